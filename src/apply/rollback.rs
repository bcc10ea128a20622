use std::time::Instant;

use super::reconcile::reconcile;
use super::run_log::{Record, RunLog, now};
use super::runs::replay;
use super::{ApplyEvent, ApplyOptions, RollbackOutcome};
use crate::cloud::{Cloud, CloudError};

/// Undoes what the run's journal says it made, newest first, after deciding a step left in
/// doubt. Inverses are idempotent (gone counts as done), so a rollback that was itself
/// interrupted is simply run again. An inverse that fails is reported and the rest still run:
/// leaving one thing behind is better than leaving everything behind.
pub async fn rollback(
    cloud: &dyn Cloud,
    run: &RunLog,
    options: &ApplyOptions,
    emit: &(dyn Fn(ApplyEvent) + Send + Sync),
) -> RollbackOutcome {
    let state = replay(&run.records());
    let mut journal = state.journal;
    let mut failures = Vec::new();
    if let Some(in_doubt) = &state.in_doubt {
        match reconcile(cloud, run, in_doubt, emit).await {
            Ok(Some(entry)) => journal.entries.push(entry),
            Ok(None) => {}
            Err(reason) => failures.push(reason),
        }
    }
    let undoable: Vec<_> = journal.entries.iter().rev().filter_map(|entry| Some((entry, entry.inverse()?))).collect();
    emit(ApplyEvent::RollbackStarted { steps: undoable.len() });
    for (entry, inverse) in undoable {
        emit(ApplyEvent::UndoStarted { step: entry.step });
        if let Err(error) = run.append(Record::UndoIntent { step: entry.step, action: inverse.clone(), time: now() }) {
            // Undoing without a record is still better than leaving the resource.
            emit(ApplyEvent::StepProgress { step: entry.step, message: error.to_string() });
        }
        let started = Instant::now();
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
