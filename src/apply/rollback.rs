use std::time::Instant;

use super::{ApplyEvent, Journal, RollbackOutcome};
use crate::cloud::Cloud;

/// Undoes a run's journal in reverse order. An inverse that fails is reported and the rest
/// still run: leaving one thing behind is better than leaving everything behind.
pub async fn rollback(
    cloud: &dyn Cloud,
    journal: &Journal,
    emit: &(dyn Fn(ApplyEvent) + Send + Sync),
) -> RollbackOutcome {
    let undoable: Vec<_> = journal.entries.iter().rev().filter_map(|entry| Some((entry, entry.inverse()?))).collect();
    emit(ApplyEvent::RollbackStarted { steps: undoable.len() });
    let mut failures = Vec::new();
    for (entry, inverse) in undoable {
        emit(ApplyEvent::UndoStarted { step: entry.step });
        let started = Instant::now();
        let progress = |_message: String| {};
        match cloud.execute(&inverse, &progress).await {
            Ok(_) => emit(ApplyEvent::UndoDone { step: entry.step, elapsed_ms: started.elapsed().as_millis() as u64 }),
            Err(error) => {
                let message = format!("{} {}: {error}", inverse.verb(), inverse.target());
                emit(ApplyEvent::UndoFailed { step: entry.step, error: message.clone() });
                failures.push(message);
            }
        }
    }
    let outcome =
        if failures.is_empty() { RollbackOutcome::RolledBack } else { RollbackOutcome::Incomplete { failures } };
    emit(ApplyEvent::RollbackFinished { outcome: outcome.clone() });
    outcome
}
