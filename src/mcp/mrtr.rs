//! Asking the person on the stateless 2026-07-28 protocol, where a server may not send a
//! request mid-call: the change tool answers with an input-required result carrying the same
//! form as elicitation and a sealed `requestState`, and the client calls again with the
//! person's answer and that state.
//!
//! The state comes back from the client, so it is untrusted: it is sealed (HMAC, a key made
//! at each start and never sent) and bound to the client, names the subject it asks about,
//! expires with the form, and is redeemed once (the server remembers the rounds redeemed), so
//! a state that was altered, is stale, is replayed or is for another plan or run changes nothing.

use std::collections::HashSet;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};

use rmcp::RoleServer;
use rmcp::model::{
    ElicitResult, InputRequest, InputRequests, InputRequiredResult, InputResponses, RequestStateCodec,
    RequestStateError, SealOptions,
};
use rmcp::service::RequestContext;
use serde::{Deserialize, Serialize};

use super::approvals_link::Subject;
use super::audit::ClientLabel;
use super::form::{ANSWER_WITHIN, Answer, Form};
use super::tools::ToolError;

/// The key of the one input request: the approval form.
const APPROVAL: &str = "approval";

/// A call that comes back with the person's answer to an input-required result.
pub struct Retry {
    /// The `requestState` echoed back, untrusted until opened.
    pub state: String,
    /// The client's answers, by the keys of the input requests.
    pub responses: InputResponses,
}

/// What a sealed state says: the subject asked about, the client asked, and the round (unique
/// in this server's life, so it can be redeemed once).
#[derive(Serialize, Deserialize)]
struct Sealed {
    subject: String,
    client: String,
    round: u64,
}

/// The seal and the rounds already redeemed.
pub struct Rounds {
    /// `None` when no random key could be had: then nothing is asked this way (fail closed).
    codec: Option<RequestStateCodec>,
    next: AtomicU64,
    redeemed: Mutex<HashSet<u64>>,
}

impl Default for Rounds {
    fn default() -> Self {
        let mut key = vec![0u8; RequestStateCodec::MIN_KEY_LENGTH];
        let codec = getrandom::fill(&mut key).ok().and_then(|()| RequestStateCodec::try_new(key).ok());
        Rounds { codec, next: AtomicU64::new(1), redeemed: Mutex::new(HashSet::new()) }
    }
}

/// Whether the request is of the stateless protocol (no `initialize`): the server may not
/// ask mid-call, only answer with an input-required result.
pub fn stateless(ctx: &RequestContext<RoleServer>) -> bool {
    ctx.protocol_version().is_some_and(|version| !version.has_initialize())
}

/// Whether the request's client said it can answer a form (as at `initialize`, a bare
/// `elicitation` capability means form).
pub fn can_answer(ctx: &RequestContext<RoleServer>) -> bool {
    let elicitation = ctx.client_capabilities().and_then(|capabilities| capabilities.elicitation);
    elicitation.is_some_and(|e| e.form.is_some() || e.url.is_none())
}

/// The bytes a state is bound to: the client as it names itself in each request.
fn bound_to(client: &ClientLabel) -> Vec<u8> {
    format!("{}\n{}", client.name, client.version).into_bytes()
}

impl Rounds {
    /// The input-required result asking the person `form` about `subject`; `None` when it
    /// cannot be made (no key, no form), and the call then fails closed as for a client
    /// without forms.
    pub fn ask(&self, subject: &Subject, client: &ClientLabel, form: &Form) -> Option<InputRequiredResult> {
        let codec = self.codec.as_ref()?;
        let request = serde_json::json!({"method": "elicitation/create", "params": form.params()?});
        let request: InputRequest = serde_json::from_value(request).ok()?;
        let round = self.next.fetch_add(1, Ordering::Relaxed);
        let sealed = Sealed { subject: subject.to_string(), client: client.describe(), round };
        let bound = bound_to(client);
        let options = SealOptions::new().associated_data(&bound).ttl(ANSWER_WITHIN);
        let state = codec.seal_json_with(&sealed, &options).ok()?;
        let requests = InputRequests::from([(APPROVAL.to_string(), request)]);
        Some(InputRequiredResult::new(Some(requests), Some(state)))
    }

    /// Opens `retry`'s state for `subject` and `client` and redeems it, then reads the
    /// person's answer; a state that fails any check is refused and changes nothing.
    pub fn redeem(
        &self,
        retry: &Retry,
        subject: &Subject,
        client: &ClientLabel,
        form: &Form,
    ) -> Result<Answer, ToolError> {
        let codec = self.codec.as_ref().ok_or_else(|| refused("this server has no key to open it"))?;
        let sealed: Sealed = codec.open_json_with(&retry.state, &bound_to(client)).map_err(|e| refused(&why(&e)))?;
        if sealed.subject != subject.to_string() {
            return Err(refused(&format!("it was issued for {}, not {subject}", sealed.subject)));
        }
        // Redeemed before the answer is read: a state is used once, whatever the answer.
        if !self.redeemed.lock().unwrap_or_else(|e| e.into_inner()).insert(sealed.round) {
            return Err(refused("it was already used once; each state is good for one answer"));
        }
        let answer = retry.responses.get(APPROVAL).cloned().map(serde_json::from_value::<ElicitResult>);
        Ok(match answer {
            Some(Ok(result)) => form.answered(result),
            _ => Answer::Declined("gave no answer to"),
        })
    }
}

/// Why a state did not open, in words.
fn why(error: &RequestStateError) -> String {
    match error {
        RequestStateError::Expired => {
            format!("it expired (a state is good for {} minutes)", ANSWER_WITHIN.as_secs() / 60)
        }
        RequestStateError::IntegrityCheckFailed => {
            "its seal does not match: it was altered, forged, or sent by another client".to_string()
        }
        other => format!("it is not one this server issued ({other})"),
    }
}

/// The refusal of a state, saying why.
fn refused(why: &str) -> ToolError {
    ToolError::refused(
        format!("the request state was refused: {why}; nothing changed"),
        "call the tool again without requestState to ask the person once more",
    )
}
