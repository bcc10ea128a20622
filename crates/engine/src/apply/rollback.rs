use std::time::Instant;

use super::life::RunStatus;
use super::reconcile::{groups_made, is_ours, reconcile};
use super::run_log::{Record, RunLog, now};
use super::runs::{RunState, replay};
use super::{ApplyEvent, ApplyOptions, JournalEntry, RollbackOutcome};
use crate::cloud::{Cloud, CloudError, CloudResult, Found};
use crate::plan::{Action, Outputs, resolve};

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
    // The journal is a file: the ids it holds are confirmed with the account before anything
    // is removed by them.
    let mut made_groups = confirmed_groups(cloud, run.run_id(), &journal.entries).await;
    let swept = sweep(cloud, run, &state, &journal.entries, &made_groups, emit).await;
    // What the sweep found carries the run's tag: the account's own word.
    made_groups.extend(groups_made(&swept));
    journal.entries.extend(swept);

    let undoable: Vec<_> = journal
        .entries
        .iter()
        .rev()
        .filter(|entry| !state.undone.contains(&entry.step))
        .filter_map(|entry| Some((entry, entry.inverse()?)))
        .collect();
    emit(ApplyEvent::RollbackStarted { steps: undoable.len() });
    for (entry, inverse) in undoable {
        if let Err(message) = undo(cloud, run, options, entry, inverse, &made_groups, emit).await {
            failures.push(message);
        }
    }
    let outcome =
        if failures.is_empty() { RollbackOutcome::RolledBack } else { RollbackOutcome::Incomplete { failures } };
    let _ = run.append(Record::RollbackFinished { outcome: outcome.clone(), time: now() });
    emit(ApplyEvent::RollbackFinished { outcome: outcome.clone() });
    outcome
}

/// Undoes one step once its resource is looked up again, journaling the undo's intent and
/// outcome. `Err` is the failure to report; the rollback goes on either way.
async fn undo(
    cloud: &dyn Cloud,
    run: &RunLog,
    options: &ApplyOptions,
    entry: &JournalEntry,
    inverse: Action,
    made_groups: &[String],
    emit: &(dyn Fn(ApplyEvent) + Send + Sync),
) -> Result<(), String> {
    emit(ApplyEvent::UndoStarted { step: entry.step });
    let started = Instant::now();
    let found = cloud.lookup(&entry.action).await;
    let inverse = match decide_undo(entry, inverse, found, run.run_id(), made_groups) {
        Undo::Run(inverse) => inverse,
        Undo::Leave(note) => {
            emit(ApplyEvent::StepProgress { step: entry.step, message: note });
            let _ = run.append(Record::UndoOutcome { step: entry.step, error: None, time: now() });
            emit(ApplyEvent::UndoDone { step: entry.step, elapsed_ms: started.elapsed().as_millis() as u64 });
            return Ok(());
        }
        Undo::Fail(message) => {
            emit(ApplyEvent::UndoFailed { step: entry.step, error: message.clone() });
            return Err(message);
        }
    };
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
        None => {
            emit(ApplyEvent::UndoDone { step: entry.step, elapsed_ms: started.elapsed().as_millis() as u64 });
            Ok(())
        }
        Some(message) => {
            emit(ApplyEvent::UndoFailed { step: entry.step, error: message.clone() });
            Err(message)
        }
    }
}

/// What becomes of one undo once its resource has been looked up again.
enum Undo {
    /// Carry out this inverse.
    Run(Action),
    /// Leave the resource alone, with this note: journaled as undone.
    Leave(String),
    /// Whose the resource is cannot be told: reported as a failure.
    Fail(String),
}

/// Decides one undo from the lookup of its resource: one carrying another run's tag is left
/// alone, and an undo by an id is carried out only with the id the account confirms.
fn decide_undo(
    entry: &JournalEntry,
    inverse: Action,
    found: CloudResult<Option<Found>>,
    run_id: &str,
    made_groups: &[String],
) -> Undo {
    // An undo by an id the create returned (a group, a service) takes the id from the
    // resource found by name with this run's tag, never from the journal alone: an id
    // edited into the journal would otherwise remove what ferry did not make.
    let by_output = entry.action.inverse(&Default::default()).is_none();
    match found {
        Ok(Some(found)) if !is_ours(&entry.action, found.run_id.as_deref(), run_id, made_groups) => {
            Undo::Leave(format!(
                "{} {} now belongs to {}: left alone",
                inverse.verb(),
                inverse.target(),
                found.run_id.map_or("someone else".to_string(), |r| format!("run {r}"))
            ))
        }
        Ok(Some(found)) if by_output => match entry.action.inverse(&found.output) {
            Some(confirmed) => Undo::Run(confirmed),
            None => Undo::Leave(format!(
                "{} {}: its id could not be confirmed, left alone",
                inverse.verb(),
                inverse.target()
            )),
        },
        Ok(None) if by_output => {
            Undo::Leave(format!("{} {}: not found by its name, nothing to undo", inverse.verb(), inverse.target()))
        }
        Err(error) if by_output => {
            Undo::Fail(format!("{} {}: cannot confirm it is this run's ({error})", inverse.verb(), inverse.target()))
        }
        _ => Undo::Run(inverse),
    }
}

/// Create steps of the plan the journal does not hold, looked up: what carries this run's tag
/// was made by it after all (a call answered too late, a lookup ran before the change showed).
async fn sweep(
    cloud: &dyn Cloud,
    run: &RunLog,
    state: &RunState,
    known: &[JournalEntry],
    made_groups: &[String],
    emit: &(dyn Fn(ApplyEvent) + Send + Sync),
) -> Vec<JournalEntry> {
    let outputs: Outputs = known.iter().map(|e| (e.step_id.clone(), e.output.clone())).collect();
    let mut found = Vec::new();
    for (index, step) in state.plan.steps.iter().enumerate() {
        if !step.action.has_inverse() || known.iter().any(|e| e.step == index) || state.undone.contains(&index) {
            continue;
        }
        // A step whose inputs were never made (its placeholders do not resolve) made nothing.
        let Ok(action) = resolve(&step.action, run.run_id(), &outputs) else { continue };
        let Ok(Some(resource)) = cloud.lookup(&action).await else { continue };
        if !is_ours(&action, resource.run_id.as_deref(), run.run_id(), made_groups) {
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

/// The security groups the run made, as the account confirms them: a group the journal names
/// counts only when the group of that name carries this run's tag and has that id. A rule's
/// source is judged by these, so an id edited into the journal cannot make an existing rule
/// (or group) look like the run's.
async fn confirmed_groups(cloud: &dyn Cloud, run_id: &str, entries: &[JournalEntry]) -> Vec<String> {
    let mut confirmed = Vec::new();
    for entry in entries.iter().filter(|e| matches!(e.action, Action::CreateSecurityGroup { .. })) {
        let Ok(Some(found)) = cloud.lookup(&entry.action).await else { continue };
        if found.run_id.as_deref() == Some(run_id) {
            confirmed.extend(groups_made(&[JournalEntry { output: found.output, ..entry.clone() }]));
        }
    }
    confirmed
}
