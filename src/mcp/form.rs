//! The elicitation form a person answers to approve a change: the plan's summary (steps,
//! denies, hash) in the message, and fields for the hash's first 12 digits and a reason for
//! each deny; for a rollback, the run's id typed back, as `ferry approve --rollback` asks, so a
//! person approves the same thing whichever way they approve. The form asks for nothing
//! secret, as form mode requires.

use std::time::Duration;

use rmcp::RoleServer;
use rmcp::model::{ElicitRequestParams, ElicitResult, ElicitationAction, ElicitationSchema};
use rmcp::service::{ElicitationMode, Peer};
use serde_json::{Map, Value, json};

use crate::plan::{MIN_PREFIX, MIN_REASON, Override, Plan};

/// How long a person has to answer before the change is refused; a sealed request state
/// lasts as long.
pub const ANSWER_WITHIN: Duration = Duration::from_secs(15 * 60);

/// What the person did with the form.
pub enum Answer {
    /// They typed digits and reasons (not yet checked against the plan).
    Accepted {
        /// What they typed to approve: the hash's digits, or the run's id for a rollback.
        typed: String,
        /// A reason for each deny, in the plan's order.
        overrides: Vec<Override>,
    },
    /// They declined or cancelled: nothing may change.
    Declined(&'static str),
    /// The form could not be shown (a client of the 2026-07-28 protocol, a transport error).
    Unavailable,
}

/// A form ready to show, in a server's request or in an input-required result, and what reads
/// its answer: both ways of asking show the person the same thing and read it the same way.
pub struct Form {
    /// The request's parameters; `None` when the schema could not be built (nothing is asked).
    params: Option<ElicitRequestParams>,
    /// The field the approval is typed into.
    key: &'static str,
    /// Each deny's id and message, one reason field each.
    reasons: Vec<(String, String)>,
}

impl Form {
    fn new(message: &str, confirm: &Confirm, reasons: Vec<(String, String)>) -> Form {
        let params = ElicitationSchema::from_json_schema(schema(confirm, &reasons)).ok().map(|requested_schema| {
            ElicitRequestParams::FormElicitationParams { meta: None, message: safe_lines(message), requested_schema }
        });
        Form { params, key: confirm.key, reasons }
    }

    /// The `elicitation/create` parameters, for a client that is sent them to answer later.
    pub fn params(&self) -> Option<&ElicitRequestParams> {
        self.params.as_ref()
    }

    /// What the person did, read from the client's answer to this form.
    pub fn answered(&self, result: ElicitResult) -> Answer {
        match result.action {
            ElicitationAction::Accept => read(result.content.unwrap_or(Value::Null), self.key, &self.reasons),
            ElicitationAction::Decline => Answer::Declined("declined"),
            // Cancel, and any answer a later protocol adds: nothing may change.
            _ => Answer::Declined("cancelled"),
        }
    }
}

/// Whether the client said, at `initialize`, that it can show a form.
pub fn can_ask(peer: &Peer<RoleServer>) -> bool {
    peer.supported_elicitation_modes().contains(&ElicitationMode::Form)
}

/// The form approving applying `plan` (`what` says apply or resume).
pub fn plan_form(plan: &Plan, what: &str) -> Form {
    let denies = plan.denies();
    let mut message = format!("{what} plan {} to account {} ({})?\n", plan.hash, plan.account_id, plan.region);
    message.push_str(&format!("service {} from instance {}\n\n", plan.service_name, plan.source_instance_id));
    for (index, step) in plan.steps.iter().enumerate() {
        let action = &step.action;
        message.push_str(&format!(
            "{:>3}. {} {}  (undo: {})\n",
            index + 1,
            action.verb(),
            action.target(),
            action.undo_text()
        ));
    }
    if !denies.is_empty() {
        message.push_str("\nDenied by policy; each needs your written reason to go ahead:\n");
        for deny in &denies {
            message.push_str(&format!("  - {}: {}\n", deny.id, deny.message));
        }
    }
    message.push_str(&format!(
        "\nTo approve, type the first {MIN_PREFIX} digits of the hash above yourself. Decline to change nothing."
    ));
    let reasons: Vec<(String, String)> = denies.iter().map(|d| (d.id.clone(), d.message.clone())).collect();
    let confirm = Confirm {
        key: "hash_digits",
        title: format!("The first {MIN_PREFIX} digits of the hash"),
        description: "Type them from the plan shown above: this is your approval.",
        min_length: MIN_PREFIX,
    };
    Form::new(&message, &confirm, reasons)
}

/// The form approving rolling back `run_id`, which carried out `plan`.
pub fn rollback_form(run_id: &str, plan: &Plan, done: usize) -> Form {
    let message = format!(
        "Roll back run {run_id}? It deletes everything the run made ({done} of {} steps done) in account {} ({}): \
         service {}, its roles, secrets, rules and repository. The run carried out plan {}.\n\nTo approve, type \
         the run's id ({run_id}) yourself, as `ferry approve --rollback` asks. Decline to change nothing.",
        plan.steps.len(),
        plan.account_id,
        plan.region,
        plan.service_name,
        plan.hash
    );
    let confirm = Confirm {
        key: ROLLBACK_KEY,
        title: "The run's id".into(),
        description: "Type the id of the run shown above: this is your approval of its rollback.",
        min_length: 1,
    };
    Form::new(&message, &confirm, Vec::new())
}

/// The field a rollback's approval is typed into.
const ROLLBACK_KEY: &str = "run_id";

/// The field a person types their approval into: its key, title and description, and the
/// shortest answer the form takes.
struct Confirm {
    key: &'static str,
    title: String,
    description: &'static str,
    min_length: usize,
}

/// Every line escaped on its own: names and messages come from the account, the line breaks
/// are ours.
fn safe_lines(text: &str) -> String {
    text.lines().map(crate::text::escape_controls).collect::<Vec<_>>().join("\n")
}

/// Shows `form` to the person through the client and reads the answer.
pub async fn ask(peer: &Peer<RoleServer>, form: &Form) -> Answer {
    let Some(params) = form.params.clone() else {
        return Answer::Unavailable;
    };
    match peer.create_elicitation_with_timeout(params, Some(ANSWER_WITHIN)).await {
        Ok(result) => form.answered(result),
        Err(_) => Answer::Unavailable,
    }
}

/// The form: the field the approval is typed into, then `reason_1`... one per deny, titled
/// with the deny's id.
fn schema(confirm: &Confirm, reasons: &[(String, String)]) -> Map<String, Value> {
    let mut properties = Map::new();
    properties.insert(
        confirm.key.into(),
        json!({
            "type": "string",
            "title": confirm.title,
            "description": confirm.description,
            "minLength": confirm.min_length,
            "maxLength": 128,
        }),
    );
    let mut required = vec![Value::from(confirm.key)];
    for (index, (id, message)) in reasons.iter().enumerate() {
        let key = format!("reason_{}", index + 1);
        properties.insert(
            key.clone(),
            json!({
                "type": "string",
                "title": format!("Why overriding {id} is acceptable"),
                "description": message,
                "minLength": MIN_REASON,
            }),
        );
        required.push(Value::from(key));
    }
    let schema = json!({ "type": "object", "properties": properties, "required": required });
    schema.as_object().cloned().unwrap_or_default()
}

/// The accepted form's values.
fn read(content: Value, key: &str, reasons: &[(String, String)]) -> Answer {
    let text = |key: &str| content.get(key).and_then(Value::as_str).unwrap_or_default().trim().to_string();
    let overrides = reasons
        .iter()
        .enumerate()
        .map(|(index, (id, _))| Override { check_id: id.clone(), reason: text(&format!("reason_{}", index + 1)) })
        .collect();
    Answer::Accepted { typed: text(key), overrides }
}
