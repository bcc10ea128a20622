//! The human gate in front of every change tool. A change goes ahead only with a person's
//! approval of the exact plan hash (or of the run's rollback), taken once from the engine's
//! approvals:
//! - one already given in a terminal (`ferry approve`) is taken first;
//! - else, when the client can show a form, the person is asked there, and what they type is
//!   recorded as an approval (`via` names the client) and taken at once; a stateless
//!   2026-07-28 client is asked through an input-required round trip with sealed state (mrtr);
//! - else the call fails closed: approval pending, with the command the operator runs.
//!
//! No tool argument reaches this module, so nothing the model sends can approve, and no answer
//! carries an approval back to the model.

use super::access::Full;
use super::approvals_link::{Approval, ApprovalError, Subject};
use super::audit::ClientLabel;
use super::form::{self, Answer};
use super::mrtr;
use super::server::{Call, FerryServer};
use super::tools::ToolError;
use crate::plan::{Approved, Plan};

/// Applying or resuming `plan`: the approval taken, and the plan approved with its overrides.
pub async fn plan(
    server: &FerryServer<Full>,
    call: &Call,
    plan: &Plan,
    what: &str,
) -> Result<(Approval, Approved), ToolError> {
    let approvals = &server.access.approvals;
    let subject = Subject::plan(&plan.hash);
    if approvals.pending(&subject).is_none() {
        let form = form::plan_form(plan, what);
        if let Some((answer, via)) = answer(server, call, &subject, &form).await? {
            let operator = server.audit.caller().await;
            match answer {
                Answer::Accepted { typed, overrides } => {
                    approvals
                        .approve_plan(plan, &typed, overrides, &operator, &via)
                        .map_err(|e| not_given(&e, what))?;
                }
                Answer::Declined(how) => return Err(declined(server, &subject, &operator, &via, how)),
                // A client that cannot answer now is treated as one without forms: fail closed.
                Answer::Unavailable => {}
            }
        }
    }
    approvals.take_plan(plan).map_err(|e| refusal(&e, &command(server, &subject), what))
}

/// Rolling back `run_id`, which carried out `plan` and holds `done` changes.
pub async fn rollback(
    server: &FerryServer<Full>,
    call: &Call,
    run_id: &str,
    plan: &Plan,
    done: usize,
) -> Result<Approval, ToolError> {
    let approvals = &server.access.approvals;
    let subject = Subject::rollback(run_id);
    if approvals.pending(&subject).is_none() {
        let form = form::rollback_form(run_id, plan, done);
        if let Some((answer, via)) = answer(server, call, &subject, &form).await? {
            let operator = server.audit.caller().await;
            match answer {
                Answer::Accepted { typed, .. } => {
                    // What `ferry approve --rollback` asks: the run's id typed back, exactly.
                    if typed != run_id {
                        let why = "the id typed is not the run's id";
                        let _ = approvals.note_refusal(&subject, &operator, &via, why);
                        return Err(ToolError::refused(
                            format!("the rollback was not approved: {why}; nothing changed"),
                            "call rollback_run again to ask the person once more",
                        ));
                    }
                    approvals
                        .record(subject.clone(), Vec::new(), &operator, &via)
                        .map_err(|e| not_given(&e, "roll back"))?;
                }
                Answer::Declined(how) => return Err(declined(server, &subject, &operator, &via, how)),
                Answer::Unavailable => {}
            }
        }
    }
    approvals.take(&subject).map_err(|e| refusal(&e, &command(server, &subject), "roll back"))
}

/// The person's answer to `form` about `subject`, and where they gave it; `None` when the
/// client is not asked (the server forbids it, or the client cannot show a form), and the
/// call then takes an approval given in a terminal or fails closed.
///
/// A stateless client is asked through an input-required result: the first call ends with
/// it (an error here, the result left on `call` for the server to send), and the call that
/// comes back with the answer and the sealed state is read like an elicitation's answer.
async fn answer(
    server: &FerryServer<Full>,
    call: &Call,
    subject: &Subject,
    form: &form::Form,
) -> Result<Option<(Answer, String)>, ToolError> {
    if !server.setup.ask_in_client {
        return Ok(None);
    }
    let client = ClientLabel::of(&call.ctx);
    if !mrtr::stateless(&call.ctx) {
        if !form::can_ask(&call.ctx.peer) {
            return Ok(None);
        }
        let answer = form::ask(&call.ctx.peer, form).await;
        return Ok(Some((answer, format!("elicitation in {}", client.describe()))));
    }
    if let Some(retry) = &call.retry {
        let answer = server.rounds.redeem(retry, subject, &client, form)?;
        return Ok(Some((answer, format!("input-required round trip in {}", client.describe()))));
    }
    if !mrtr::can_answer(&call.ctx) {
        return Ok(None);
    }
    let Some(asked) = server.rounds.ask(subject, &client, form) else {
        return Ok(None);
    };
    call.ask(asked);
    Err(ToolError::refused(
        format!("input required: the person is asked to approve {subject} through the client; nothing changed yet"),
        "show the person the form, then call again with their answer as inputResponses and the requestState",
    ))
}

/// The approval was taken but the run could not start (its journal, the audit log or its
/// anchor could not be opened). It is not given back: a start that failed part way may have
/// left a journal behind, and an approval given back then could start a second run. So the
/// error says plainly that a person must approve again, and how.
pub fn used_up(
    server: &FerryServer<Full>,
    subject: &Subject,
    approval: &Approval,
    error: impl std::fmt::Display,
) -> ToolError {
    ToolError::new(
        format!(
            "the run did not start, nothing changed in the account: {error}. The approval of {subject} (by {}, {}) \
             was used up by this attempt: a person must approve again",
            approval.operator, approval.via
        ),
        format!(
            "fix the cause, then ask the person to approve again: `{}` in a terminal, or the form shown when the \
             tool is called again",
            command(server, subject)
        ),
    )
}

/// The command a person runs to approve `subject`: a plan on a sandbox is found on it.
fn command(server: &FerryServer<Full>, subject: &Subject) -> String {
    match (subject, &server.setup.sandbox) {
        (Subject::Plan { .. }, Some(scenario)) => format!("{} --sandbox {scenario}", subject.command()),
        _ => subject.command(),
    }
}

/// The person declined or cancelled: recorded, and nothing changes.
fn declined(server: &FerryServer<Full>, subject: &Subject, operator: &str, via: &str, how: &str) -> ToolError {
    let _ = server.access.approvals.note_refusal(subject, operator, via, &format!("the person {how} the form"));
    ToolError::refused(
        format!("the person {how} the approval of {subject}: nothing changed"),
        "ask the person what they want changed; make a new plan with create_plan if needed",
    )
}

/// What the person typed could not be recorded (wrong digits, a reason too short).
fn not_given(error: &ApprovalError, what: &str) -> ToolError {
    let what = what.to_lowercase();
    ToolError::refused(
        format!("the approval typed was not accepted ({error}); nothing changed"),
        format!("call the tool again to {what} and ask the person once more"),
    )
}

/// Why no approval could be taken; a missing one is `approval pending` with the command.
fn refusal(error: &ApprovalError, command: &str, what: &str) -> ToolError {
    let what = what.to_lowercase();
    match error {
        ApprovalError::Missing { .. } => ToolError::refused(
            format!("approval pending: ask the operator to run `{command}` in a terminal"),
            format!("tell the person the command; once they have approved, call the tool again to {what}"),
        ),
        other => ToolError::refused(
            format!("{other}"),
            format!("nothing changed; once a person has approved it (`{command}`), call the tool again"),
        ),
    }
}
