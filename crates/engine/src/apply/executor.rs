use std::collections::BTreeSet;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant, SystemTime};

use super::drift::check_drift;
use super::reconcile::reconcile;
use super::run_log::{Record, RunLog, StepResult, now};
use super::runs::replay;
use super::{ApplyEvent, Journal, JournalEntry, RunOutcome};
use crate::cloud::{Cloud, CloudError};
use crate::plan::{Action, ActionOutput, Outputs, resolve};

/// Set by the front end to stop a run between steps (and to leave a long wait early).
pub type CancelFlag = std::sync::Arc<AtomicBool>;

/// How long each call may take before it counts as unanswered.
#[derive(Debug, Clone)]
pub struct ApplyOptions {
    /// An ordinary API call, retries included.
    pub call_timeout: Duration,
    /// Building and pushing the image.
    pub build_timeout: Duration,
    /// Added to a wait step's own bound, for its last poll to answer.
    pub wait_margin: Duration,
}

impl Default for ApplyOptions {
    fn default() -> Self {
        ApplyOptions {
            call_timeout: Duration::from_secs(5 * 60),
            build_timeout: Duration::from_secs(60 * 60),
            wait_margin: Duration::from_secs(2 * 60),
        }
    }
}

impl ApplyOptions {
    pub(super) fn deadline(&self, action: &Action) -> Duration {
        match action {
            Action::WaitServiceActive { timeout_secs, .. } => {
                Duration::from_secs(*timeout_secs).saturating_add(self.wait_margin)
            }
            // Deleting a service drains it first.
            Action::DeleteExpressService { .. } => Duration::from_secs(40 * 60).saturating_add(self.wait_margin),
            Action::BuildAndPushImage { .. } => self.build_timeout,
            _ => self.call_timeout,
        }
    }
}

/// `20261125T101403Z-shop-api-4f1c9a0b3e7d`: sortable, says what it was for, safe in a file
/// name and a tag, and unique across runs and machines (resources are claimed by this id, so
/// two runs must never share one): 48 bits digested from the time to the nanosecond, the
/// process, the host's state folder and a counter.
pub fn new_run_id(service: &str) -> String {
    static RUNS: AtomicU64 = AtomicU64::new(0);
    let now = SystemTime::now();
    let nanos = now.duration_since(SystemTime::UNIX_EPOCH).map_or(0, |d| d.as_nanos());
    let seed = format!(
        "{nanos}/{}/{}/{:?}",
        std::process::id(),
        RUNS.fetch_add(1, Ordering::SeqCst),
        crate::state_dir::state_dir()
    );
    let unique = &crate::digest::sha256_hex(seed.as_bytes())[..12];
    let time: String =
        humantime::format_rfc3339_seconds(now).to_string().chars().filter(|c| *c != '-' && *c != ':').collect();
    // The service name comes from a plan file: only what is safe in a path and a tag is kept.
    let service: String = service
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() || c == '-' { c.to_ascii_lowercase() } else { '-' })
        .take(40)
        .collect();
    format!("{time}-{}-{unique}", service.trim_matches('-'))
}

/// Carries the run's plan out from where its journal says it stands: from the first step for
/// a new run; for an interrupted, failed or stopped one, after reconciling the call in doubt,
/// from the first step not done. Stops at the first failure or when cancelled.
///
/// Before any step it checks that the account still matches the plan's assumptions and that
/// this machine can run every step (`Cloud::preflight`); if not, it changes nothing.
pub async fn apply(
    cloud: &dyn Cloud,
    run: &RunLog,
    cancel: &AtomicBool,
    options: &ApplyOptions,
    emit: &(dyn Fn(ApplyEvent) + Send + Sync),
) -> Journal {
    let state = replay(&run.records());
    let plan = &state.plan;
    let run_id = run.run_id().to_string();
    let resuming = run.records().iter().skip(1).any(Record::is_progress);
    emit(ApplyEvent::RunStarted { run_id: run_id.clone(), plan_hash: plan.hash.clone(), steps: plan.steps.len() });
    let finish = |outcome: RunOutcome, journal: &Journal| {
        let _ = run.append(Record::Finished { outcome: outcome.clone(), time: now() });
        emit(ApplyEvent::RunFinished { outcome, journal: journal.clone() });
    };
    let mut journal = state.journal.clone();
    if resuming && !state.status.can_resume() {
        let reason = format!("run {run_id} is {}: it cannot be resumed", state.status.label());
        emit(ApplyEvent::RunFinished { outcome: RunOutcome::ResumeRefused { reasons: vec![reason] }, journal });
        return state.journal;
    }

    // The journal's plan is approved again from its content: a plan or an override edited in
    // the journal since the run began is not carried out.
    if let Err(error) = plan.approve(&plan.hash, state.overrides.clone()) {
        let reasons = vec![format!("the run's plan no longer passes approval: {error}")];
        if resuming {
            emit(ApplyEvent::RunFinished { outcome: RunOutcome::ResumeRefused { reasons }, journal: journal.clone() });
        } else {
            finish(RunOutcome::Refused { reasons }, &journal);
        }
        return journal;
    }

    // Refuse before changing anything: the plan's view of the account, and this machine.
    // Only the steps still to run are checked: what the run already did is its own change.
    let started: BTreeSet<&str> = journal
        .entries
        .iter()
        .map(|e| e.step_id.as_str())
        .chain(state.in_doubt.iter().map(|d| d.step_id.as_str()))
        .collect();
    let mut remaining = plan.clone();
    remaining.steps.retain(|step| !started.contains(step.id.as_str()));
    let mut problems = cloud.preflight(&remaining).await;
    match check_drift(cloud, plan, &started, &run_id).await {
        Ok(changes) => problems.extend(changes),
        Err(error) => problems.push(format!("cannot check the account against the plan: {error}")),
    }
    if !problems.is_empty() {
        if resuming {
            // The run keeps the status it had: it still holds what it made.
            let outcome = RunOutcome::ResumeRefused { reasons: problems };
            emit(ApplyEvent::RunFinished { outcome, journal: journal.clone() });
        } else {
            finish(RunOutcome::Refused { reasons: problems }, &journal);
        }
        return journal;
    }
    if resuming {
        let _ = run.append(Record::Resumed { time: now() });
    }

    if let Some(in_doubt) = &state.in_doubt {
        match reconcile(cloud, run, in_doubt, false, emit).await {
            Ok(Some(entry)) => journal.entries.push(entry),
            Ok(None) => {}
            Err(reason) => {
                finish(RunOutcome::Failed { step: in_doubt.step, reason }, &journal);
                return journal;
            }
        }
    }
    let mut outputs: Outputs = journal.entries.iter().map(|e| (e.step_id.clone(), e.output.clone())).collect();
    if resuming {
        match confirmed_outputs(cloud, &run_id, &journal.entries).await {
            Ok(confirmed) => outputs.extend(confirmed),
            Err(reason) => {
                let outcome = RunOutcome::ResumeRefused { reasons: vec![reason] };
                emit(ApplyEvent::RunFinished { outcome, journal: journal.clone() });
                return journal;
            }
        }
    }
    for entry in &journal.entries {
        emit(ApplyEvent::StepAlreadyDone { step: entry.step, summary: entry.output.summary.clone() });
    }

    for (index, step) in plan.steps.iter().enumerate() {
        if journal.entries.iter().any(|e| e.step == index) {
            continue;
        }
        if cancel.load(Ordering::SeqCst) {
            finish(RunOutcome::Cancelled { step: index }, &journal);
            return journal;
        }
        emit(ApplyEvent::StepStarted { step: index });
        let started = Instant::now();
        let action = match resolve(&step.action, &run_id, &outputs) {
            Ok(action) => action,
            Err(error) => {
                let reason = error.to_string();
                emit(ApplyEvent::StepFailed { step: index, elapsed_ms: 0, error: reason.clone() });
                finish(RunOutcome::Failed { step: index, reason }, &journal);
                return journal;
            }
        };
        // The intent is on disk before the call leaves: a crash from here on leaves the step
        // in doubt, never unknown.
        let intent = Record::Intent { step: index, step_id: step.id.clone(), action: action.clone(), time: now() };
        if let Err(error) = run.append(intent) {
            let reason = format!("{error}; nothing was sent for this step");
            emit(ApplyEvent::StepFailed { step: index, elapsed_ms: 0, error: reason.clone() });
            finish(RunOutcome::Failed { step: index, reason }, &journal);
            return journal;
        }
        let progress = |message: String| emit(ApplyEvent::StepProgress { step: index, message });
        let result = call(cloud, &action, options, cancel, &progress).await;
        let elapsed_ms = started.elapsed().as_millis() as u64;
        match result {
            Ok(output) => {
                let recorded = run.append(Record::Outcome {
                    step: index,
                    result: StepResult::Done { output: output.clone() },
                    elapsed_ms,
                    time: now(),
                });
                emit(ApplyEvent::StepDone { step: index, elapsed_ms, summary: output.summary.clone() });
                outputs.insert(step.id.clone(), output.clone());
                journal.entries.push(JournalEntry { step: index, step_id: step.id.clone(), action, output });
                if let Err(error) = recorded {
                    // The change is made but the journal could not say so: stop while the
                    // in-memory journal still knows, so a rollback from here is complete.
                    finish(RunOutcome::Failed { step: index, reason: error.to_string() }, &journal);
                    return journal;
                }
            }
            Err(error) => {
                let reason = error.to_string();
                let _ = run.append(Record::Outcome {
                    step: index,
                    result: StepResult::Failed { error: reason.clone() },
                    elapsed_ms,
                    time: now(),
                });
                // The call may have made its change anyway: look for it before going on.
                let unanswered = matches!(error, CallError::Cloud(CloudError::Timeout { .. }));
                let already_exists = matches!(error, CallError::Cloud(CloudError::AlreadyExists { .. }));
                let in_doubt = super::runs::InDoubt { step: index, step_id: step.id.clone(), action };
                let made = reconcile(cloud, run, &in_doubt, unanswered, emit).await.ok().flatten();
                if let (Some(entry), true) = (&made, already_exists) {
                    // This run made it before (a call answered too late, a resumed run):
                    // it is done, not a failure.
                    emit(ApplyEvent::StepDone { step: index, elapsed_ms, summary: entry.output.summary.clone() });
                    outputs.insert(entry.step_id.clone(), entry.output.clone());
                    journal.entries.extend(made);
                    continue;
                }
                emit(ApplyEvent::StepFailed { step: index, elapsed_ms, error: reason.clone() });
                if let Some(entry) = made {
                    outputs.insert(entry.step_id.clone(), entry.output.clone());
                    journal.entries.push(entry);
                }
                let outcome = match error {
                    CallError::Cancelled => RunOutcome::Cancelled { step: index },
                    _ => RunOutcome::Failed { step: index, reason },
                };
                finish(outcome, &journal);
                return journal;
            }
        }
    }
    finish(RunOutcome::Applied, &journal);
    journal
}

/// The ids and ARNs a resumed run fills later steps with, as the account gives them for what
/// carries the run's tag, not as the journal says: an id edited into the journal would
/// otherwise point a later step (a rule's source, the service's role) at what ferry did not
/// make. A resource the account no longer shows as the run's ends the resume.
async fn confirmed_outputs(
    cloud: &dyn Cloud,
    run_id: &str,
    entries: &[JournalEntry],
) -> Result<Vec<(String, ActionOutput)>, String> {
    let mut confirmed = Vec::new();
    for entry in
        entries.iter().filter(|e| e.action.has_inverse() && !matches!(e.action, Action::AuthorizeIngress { .. }))
    {
        let what = format!("{} {}", entry.action.verb().trim_start_matches("create "), entry.action.target());
        match cloud.lookup(&entry.action).await {
            Ok(Some(found)) if found.run_id.as_deref() == Some(run_id) => {
                confirmed.push((entry.step_id.clone(), found.output));
            }
            Ok(_) => {
                return Err(format!(
                    "step {} made {what}, which the account no longer shows as this run's: roll the run back",
                    entry.step + 1
                ));
            }
            Err(error) => {
                return Err(format!("cannot confirm step {} ({what}) with the account: {error}", entry.step + 1));
            }
        }
    }
    Ok(confirmed)
}

#[derive(Debug, thiserror::Error)]
enum CallError {
    #[error(transparent)]
    Cloud(#[from] CloudError),
    #[error("stopped by the operator while waiting; the run can be resumed")]
    Cancelled,
}

/// One call, bounded by its deadline. Waits and builds also end early when cancelled: they
/// change nothing that resuming would not redo.
async fn call(
    cloud: &dyn Cloud,
    action: &Action,
    options: &ApplyOptions,
    cancel: &AtomicBool,
    progress: &(dyn Fn(String) + Send + Sync),
) -> Result<ActionOutput, CallError> {
    let deadline = options.deadline(action);
    let bounded = async {
        tokio::time::timeout(deadline, cloud.execute(action, progress)).await.unwrap_or_else(|_| {
            Err(CloudError::Timeout {
                action: format!("{} {}", action.verb(), action.target()),
                after_secs: deadline.as_secs(),
            })
        })
    };
    if !matches!(action, Action::WaitServiceActive { .. } | Action::BuildAndPushImage { .. }) {
        return Ok(bounded.await?);
    }
    let cancelled = async {
        while !cancel.load(Ordering::SeqCst) {
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    };
    tokio::select! {
        result = bounded => Ok(result?),
        () = cancelled => Err(CallError::Cancelled),
    }
}
