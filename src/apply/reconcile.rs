//! Deciding a step in doubt: a call that failed, timed out or never answered may still have
//! made its change. The resource is looked up by the name the action gives it and counted as
//! the run's own only when it carries the run's `ferry:run-id` tag (an ingress rule carries
//! none, but its source is the group this run created): what another run or a person made
//! is never undone by this one.

use super::run_log::{Record, RunLog, now};
use super::runs::InDoubt;
use super::{ApplyEvent, JournalEntry};
use crate::cloud::ReadCloud;
use crate::plan::Action;

/// Looks the step's resource up and records what was found. `Ok(Some)` when the change was
/// made (the entry to undo), `Ok(None)` when it was not, `Err` when the lookup itself failed
/// and the step stays in doubt.
pub async fn reconcile(
    cloud: &dyn ReadCloud,
    run: &RunLog,
    in_doubt: &InDoubt,
    emit: &(dyn Fn(ApplyEvent) + Send + Sync),
) -> Result<Option<JournalEntry>, String> {
    let step = in_doubt.step;
    let found = cloud.lookup(&in_doubt.action).await.map_err(|error| {
        let reason = format!(
            "step {} is in doubt and could not be looked up ({error}): try again when the account answers",
            step + 1
        );
        emit(ApplyEvent::StepProgress { step, message: reason.clone() });
        reason
    })?;
    let ours = |found_run: Option<&str>| {
        found_run == Some(run.run_id()) || matches!(in_doubt.action, Action::AuthorizeIngress { .. })
    };
    let (output, note) = match found {
        Some(found) if ours(found.run_id.as_deref()) => {
            (Some(found.output), "the change was made: it is in the journal and rollback undoes it".to_string())
        }
        Some(found) => (
            None,
            format!(
                "found, but made by {}: not this run's, left alone",
                found.run_id.as_deref().map_or("someone else".to_string(), |r| format!("run {r}"))
            ),
        ),
        None => (None, "not made: nothing to undo".to_string()),
    };
    run.append(Record::Reconciled { step, output: output.clone(), note: note.clone(), time: now() })
        .map_err(|e| e.to_string())?;
    let undo = output.as_ref().and_then(|output| in_doubt.action.inverse(output));
    emit(ApplyEvent::StepReconciled { step, made: output.is_some(), note, undo });
    Ok(output.map(|output| JournalEntry {
        step,
        step_id: in_doubt.step_id.clone(),
        action: in_doubt.action.clone(),
        output,
    }))
}
