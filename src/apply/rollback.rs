use std::time::Instant;

use super::reconcile::{groups_made, is_ours, reconcile};
use super::run_log::{Record, RunLog, now};
use super::runs::{RunState, RunStatus, replay};
use super::{ApplyEvent, ApplyOptions, JournalEntry, RollbackOutcome};
use crate::cloud::{Cloud, CloudError};
use crate::plan::{Outputs, resolve};

/// Undoes what the run made, newest first: what its journal says, the step it left in doubt
/// once decided, and anything of its own a lookup once missed (every create step of the plan
/// is looked up by name and `ferry:run-id` tag). Before each undo the resource is looked up
/// again, and one carrying another run's tag is left alone: a name this run freed may have
/// been taken since. Undo steps are idempotent (gone counts as done) and an interrupted
/// rollback is simply run again; what it already undid is not undone twice. An undo that
/// fails is reported and the rest still run: leaving one thing behind is better than
/// leaving everything behind.
pub async fn rollback(
    cloud: &dyn Cloud,
    run: &RunLog,
    options: &ApplyOptions,
    emit: &(dyn Fn(ApplyEvent) + Send + Sync),
) -> RollbackOutcome {
    let state = replay(&run.records());
    if state.status == RunStatus::RolledBack {
        emit(ApplyEvent::RollbackStarted { steps: 0 });
        emit(ApplyEvent::RollbackFinished { outcome: RollbackOutcome::RolledBack });
        return RollbackOutcome::RolledBack;
    }
    let mut journal = state.journal.clone();
    let mut failures = Vec::new();
    if let Some(in_doubt) = &state.in_doubt {
        match reconcile(cloud, run, in_doubt, false, emit).await {
            Ok(Some(entry)) => journal.entries.push(entry),
            Ok(None) => {}
            Err(reason) => failures.push(reason),
        }
    }
    journal.entries.extend(sweep(cloud, run, &state, &journal.entries, emit).await);
    let made_groups = groups_made(&journal.entries);

    let undoable: Vec<_> = journal
        .entries
        .iter()
        .rev()
        .filter(|entry| !state.undone.contains(&entry.step))
        .filter_map(|entry| Some((entry, entry.inverse()?)))
        .collect();
    emit(ApplyEvent::RollbackStarted { steps: undoable.len() });
    for (entry, inverse) in undoable {
        emit(ApplyEvent::UndoStarted { step: entry.step });
        let started = Instant::now();
        if let Ok(Some(found)) = cloud.lookup(&entry.action).await
            && !is_ours(&entry.action, found.run_id.as_deref(), run.run_id(), &made_groups)
        {
            let note = format!(
                "{} {} now belongs to {}: left alone",
                inverse.verb(),
                inverse.target(),
                found.run_id.map_or("someone else".to_string(), |r| format!("run {r}"))
            );
            emit(ApplyEvent::StepProgress { step: entry.step, message: note });
            let _ = run.append(Record::UndoOutcome { step: entry.step, error: None, time: now() });
            emit(ApplyEvent::UndoDone { step: entry.step, elapsed_ms: started.elapsed().as_millis() as u64 });
            continue;
        }
        if let Err(error) = run.append(Record::UndoIntent { step: entry.step, action: inverse.clone(), time: now() }) {
            // Undoing without a record is still better than leaving the resource.
            emit(ApplyEvent::StepProgress { step: entry.step, message: error.to_string() });
        }
        let progress = |message: String| emit(ApplyEvent::StepProgress { step: entry.step, message });
        let deadline = options.deadline(&inverse);
        let result = tokio::time::timeout(deadline, cloud.execute(&inverse, &progress)).await.unwrap_or_else(|_| {
            Err(CloudError::Timeout {
                action: format!("{} {}", inverse.verb(), inverse.target()),
                after_secs: deadline.as_secs(),
            })
        });
        let error = result.err().map(|error| format!("{} {}: {error}", inverse.verb(), inverse.target()));
        let _ = run.append(Record::UndoOutcome { step: entry.step, error: error.clone(), time: now() });
        match error {
            None => emit(ApplyEvent::UndoDone { step: entry.step, elapsed_ms: started.elapsed().as_millis() as u64 }),
            Some(message) => {
                emit(ApplyEvent::UndoFailed { step: entry.step, error: message.clone() });
                failures.push(message);
            }
        }
    }
    let outcome =
        if failures.is_empty() { RollbackOutcome::RolledBack } else { RollbackOutcome::Incomplete { failures } };
    let _ = run.append(Record::RollbackFinished { outcome: outcome.clone(), time: now() });
    emit(ApplyEvent::RollbackFinished { outcome: outcome.clone() });
    outcome
}

/// Create steps of the plan the journal does not hold, looked up: what carries this run's tag
/// was made by it after all (a call answered too late, a lookup ran before the change showed).
async fn sweep(
    cloud: &dyn Cloud,
    run: &RunLog,
    state: &RunState,
    known: &[JournalEntry],
    emit: &(dyn Fn(ApplyEvent) + Send + Sync),
) -> Vec<JournalEntry> {
    let outputs: Outputs = known.iter().map(|e| (e.step_id.clone(), e.output.clone())).collect();
    let made_groups = groups_made(known);
    let mut found = Vec::new();
    for (index, step) in state.plan.steps.iter().enumerate() {
        if !step.action.has_inverse() || known.iter().any(|e| e.step == index) || state.undone.contains(&index) {
            continue;
        }
        // A step whose inputs were never made (its placeholders do not resolve) made nothing.
        let Ok(action) = resolve(&step.action, run.run_id(), &outputs) else { continue };
        let Ok(Some(resource)) = cloud.lookup(&action).await else { continue };
        if !is_ours(&action, resource.run_id.as_deref(), run.run_id(), &made_groups) {
            continue;
        }
        let entry = JournalEntry { step: index, step_id: step.id.clone(), action, output: resource.output };
        let _ = run.append(Record::Found {
            step: index,
            step_id: entry.step_id.clone(),
            action: entry.action.clone(),
            output: entry.output.clone(),
            time: now(),
        });
        let note = "found by its run tag though the journal had no record of it".to_string();
        emit(ApplyEvent::StepReconciled { step: index, made: true, note, undo: entry.inverse() });
        found.push(entry);
    }
    found
}
