//! Deciding a step in doubt: a call that failed, timed out or never answered may still have
//! made its change. The resource is looked up by the name the action gives it and counted as
//! the run's own only when it carries the run's `ferry:run-id` tag. An ingress rule carries
//! none: it is the run's when its source is the security group the run made, which is how
//! its action was filled in (`${ferry:service-security-group.groupId}`), so a rule found with
//! that source is the run's. What another run or a person made is never claimed.

use std::time::Duration;

use super::run_log::{Record, RunLog, now};
use super::runs::InDoubt;
use super::{ApplyEvent, JournalEntry};
use crate::cloud::{Found, ReadCloud};
use crate::plan::Action;

/// How long to keep looking for a change after a call that did not answer in time: AWS may
/// still be carrying it out, and reads can lag behind writes.
const PATIENCE: [Duration; 3] = [Duration::from_secs(5), Duration::from_secs(15), Duration::from_secs(30)];

/// Whether a resource found for `action` belongs to run `run_id`. A rule carries no tag: it
/// is the run's only when its source is a security group the run itself made (`made_groups`),
/// since a rule from any other source may have been there before the run.
pub fn is_ours(action: &Action, found_run: Option<&str>, run_id: &str, made_groups: &[String]) -> bool {
    match action {
        Action::AuthorizeIngress { source_group_id, .. } => {
            found_run.is_none() && made_groups.contains(source_group_id)
        }
        _ => found_run == Some(run_id),
    }
}

/// The security groups the run made, by the ids their create steps returned.
pub fn groups_made(entries: &[JournalEntry]) -> Vec<String> {
    entries
        .iter()
        .filter(|e| matches!(e.action, Action::CreateSecurityGroup { .. }))
        .filter_map(|e| e.output.get("groupId").map(str::to_string))
        .collect()
}

/// Looks the step's resource up and records what was found. `Ok(Some)` when the change was
/// made (the entry to undo), `Ok(None)` when it was not, `Err` when the lookup itself failed
/// and the step stays in doubt. `patient` after a call that timed out: a miss is looked up
/// again a few times before it counts as "not made".
pub async fn reconcile(
    cloud: &dyn ReadCloud,
    run: &RunLog,
    in_doubt: &InDoubt,
    patient: bool,
    emit: &(dyn Fn(ApplyEvent) + Send + Sync),
) -> Result<Option<JournalEntry>, String> {
    let step = in_doubt.step;
    let lookup_failed = |error: crate::cloud::CloudError| {
        let reason = format!(
            "step {} is in doubt and could not be looked up ({error}): try again when the account answers",
            step + 1
        );
        emit(ApplyEvent::StepProgress { step, message: reason.clone() });
        reason
    };
    let mut found: Option<Found> = cloud.lookup(&in_doubt.action).await.map_err(lookup_failed)?;
    if patient && in_doubt.action.has_inverse() {
        for wait in PATIENCE {
            if found.is_some() {
                break;
            }
            let message = format!("the call did not answer: looking again in {} s", wait.as_secs());
            emit(ApplyEvent::StepProgress { step, message });
            tokio::time::sleep(wait).await;
            found = cloud.lookup(&in_doubt.action).await.map_err(lookup_failed)?;
        }
    }
    let made_groups = groups_made(&super::runs::replay(&run.records()).journal.entries);
    let (output, note) = match found {
        Some(found) if is_ours(&in_doubt.action, found.run_id.as_deref(), run.run_id(), &made_groups) => {
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
