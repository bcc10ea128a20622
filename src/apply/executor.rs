use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Instant, SystemTime};

use super::{ApplyEvent, Journal, JournalEntry, RunOutcome};
use crate::cloud::Cloud;
use crate::plan::{Outputs, Plan, resolve};

/// Set by the front end to stop a run between steps.
pub type CancelFlag = std::sync::Arc<AtomicBool>;

/// `2026-11-25T10:14:03Z-shop-api-4f1c`: sortable, says what it was for, and unique even
/// for two runs in the same second (resources are found again by this id).
pub fn new_run_id(service: &str) -> String {
    static RUNS: AtomicU64 = AtomicU64::new(0);
    let now = SystemTime::now();
    let micros = now.duration_since(SystemTime::UNIX_EPOCH).map_or(0, |d| u64::from(d.subsec_micros()));
    let unique = (micros + RUNS.fetch_add(1, Ordering::SeqCst) * 7919) & 0xffff;
    format!("{}-{service}-{unique:04x}", humantime::format_rfc3339_seconds(now))
}

/// Executes the plan's steps in order, stopping at the first failure or when cancelled.
/// Returns the journal of what was done, which `rollback` undoes.
pub async fn apply(
    cloud: &dyn Cloud,
    plan: &Plan,
    run_id: &str,
    cancel: &AtomicBool,
    emit: &(dyn Fn(ApplyEvent) + Send + Sync),
) -> Journal {
    let mut journal = Journal { run_id: run_id.to_string(), plan_hash: plan.hash.clone(), entries: Vec::new() };
    emit(ApplyEvent::RunStarted { run_id: run_id.to_string(), plan_hash: plan.hash.clone(), steps: plan.steps.len() });
    let mut outputs = Outputs::new();

    for (index, step) in plan.steps.iter().enumerate() {
        if cancel.load(Ordering::SeqCst) {
            emit(ApplyEvent::RunFinished { outcome: RunOutcome::Cancelled { step: index }, journal: journal.clone() });
            return journal;
        }
        emit(ApplyEvent::StepStarted { step: index });
        let started = Instant::now();
        let progress = |message: String| emit(ApplyEvent::StepProgress { step: index, message });
        let result = match resolve(&step.action, run_id, &outputs) {
            Ok(action) => {
                cloud.execute(&action, &progress).await.map(|output| (action, output)).map_err(|e| e.to_string())
            }
            Err(error) => Err(error.to_string()),
        };
        let elapsed_ms = started.elapsed().as_millis() as u64;
        match result {
            Ok((action, output)) => {
                emit(ApplyEvent::StepDone { step: index, elapsed_ms, summary: output.summary.clone() });
                outputs.insert(step.id.clone(), output.clone());
                journal.entries.push(JournalEntry { step: index, step_id: step.id.clone(), action, output });
            }
            Err(reason) => {
                emit(ApplyEvent::StepFailed { step: index, elapsed_ms, error: reason.clone() });
                let outcome = RunOutcome::Failed { step: index, reason };
                emit(ApplyEvent::RunFinished { outcome, journal: journal.clone() });
                return journal;
            }
        }
    }
    emit(ApplyEvent::RunFinished { outcome: RunOutcome::Applied, journal: journal.clone() });
    journal
}
