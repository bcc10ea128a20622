use std::collections::BTreeSet;
use std::ops::ControlFlow;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant, SystemTime};

use super::drift::check_drift;
use super::reconcile::reconcile;
use super::run_log::{Record, RunLog, StepResult, now};
use super::runs::{InDoubt, RunState, replay};
use super::{ApplyEvent, Journal, JournalEntry, RunOutcome, RunStatus};
use crate::cloud::{Cloud, CloudError};
use crate::plan::{Action, ActionOutput, Outputs, Plan, Step, resolve};

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
    /// The bounds on a sandbox account, whose calls answer within a few latencies: an
    /// unanswered call (a `timeout` fault) is given up on in seconds, so a class sees it.
    pub fn sandbox(latency: Duration) -> ApplyOptions {
        let call = Duration::from_secs(3).saturating_add(latency.saturating_mul(10));
        ApplyOptions {
            call_timeout: call,
            build_timeout: Duration::from_secs(5).saturating_add(latency.saturating_mul(40)),
            wait_margin: call,
        }
    }

    pub(super) fn deadline(&self, action: &Action) -> Duration {
        match action {
            Action::WaitServiceActive { timeout_secs, .. } => {
                Duration::from_secs(*timeout_secs).saturating_add(self.wait_margin)
            }
            // Deleting a service drains it first.
            Action::DeleteExpressService { .. } => Duration::from_secs(40 * 60).saturating_add(self.wait_margin),
            Action::BuildAndPushImage { .. } => self.build_timeout,
            // A wait lasts as long as it says; the margin covers the clock.
            Action::Bake { seconds, .. } => Duration::from_secs(*seconds).saturating_add(self.wait_margin),
            // A Route 53 change is waited on until INSYNC (at most 10 minutes) after its call.
            Action::SplitRecords { .. }
            | Action::JoinRecords { .. }
            | Action::SetWeights { .. }
            | Action::ReturnWeights { .. }
            | Action::FinalizeRecords { .. }
            | Action::UnfinalizeRecords { .. }
            | Action::HealthGate { .. } => self.call_timeout.saturating_add(Duration::from_secs(10 * 60)),
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

/// Carries the run's plan out from where its journal says it stands; returns what the run
/// holds. `apply_run` also returns how it ended.
pub async fn apply(
    cloud: &dyn Cloud,
    run: &RunLog,
    cancel: &AtomicBool,
    options: &ApplyOptions,
    emit: &(dyn Fn(ApplyEvent) + Send + Sync),
) -> Journal {
    apply_run(cloud, run, cancel, options, emit).await.journal
}

/// How an apply or a resume ended: its outcome (also the `RunFinished` event's), and every
/// change the run holds, which is what a rollback undoes.
#[derive(Debug, Clone, PartialEq)]
pub struct RunEnd {
    /// How the run ended.
    pub outcome: RunOutcome,
    /// Every change the run has made so far.
    pub journal: Journal,
}

/// Carries the run's plan out from where its journal says it stands: from the first step for
/// a new run; for an interrupted, failed or stopped one, after reconciling the call in doubt,
/// from the first step not done. Stops at the first failure or when `cancel` is set.
///
/// Before any step it checks that the account still matches the plan's assumptions and that
/// this machine can run every step (`Cloud::preflight`); if not, it changes nothing.
pub async fn apply_run(
    cloud: &dyn Cloud,
    run: &RunLog,
    cancel: &AtomicBool,
    options: &ApplyOptions,
    emit: &(dyn Fn(ApplyEvent) + Send + Sync),
) -> RunEnd {
    let state = replay(&run.records());
    let run_id = run.run_id().to_string();
    let resuming = run.records().iter().skip(1).any(Record::is_progress);
    let steps = state.plan.steps.len();
    emit(ApplyEvent::RunStarted { run_id: run_id.clone(), plan_hash: state.plan.hash.clone(), steps });
    let applying = Applying { cloud, run, cancel, options, emit, run_id, resuming };
    let (ending, journal) = applying.carry_out(&state).await;
    let outcome = match ending {
        Ending::Finished(outcome) => {
            let _ = run.append(Record::Finished { outcome: outcome.clone(), time: now() });
            outcome
        }
        // Not journaled: the run keeps the status it had, and everything it made.
        Ending::NotResumed(reasons) => RunOutcome::ResumeRefused { reasons },
    };
    emit(ApplyEvent::RunFinished { outcome: outcome.clone(), journal: journal.clone() });
    RunEnd { outcome, journal }
}

/// How one apply ends, before it is journaled and announced.
enum Ending {
    /// Journaled as the run's outcome.
    Finished(RunOutcome),
    /// A resume that did not go on, for these reasons.
    NotResumed(Vec<String>),
}

/// What every phase of one apply shares.
struct Applying<'a> {
    cloud: &'a dyn Cloud,
    run: &'a RunLog,
    cancel: &'a AtomicBool,
    options: &'a ApplyOptions,
    emit: &'a (dyn Fn(ApplyEvent) + Send + Sync),
    run_id: String,
    /// The journal already holds progress: this apply continues an earlier one.
    resuming: bool,
}

impl Applying<'_> {
    /// The apply itself, from the checks to the last step; says how it ends and what the run
    /// then holds.
    async fn carry_out(&self, state: &RunState) -> (Ending, Journal) {
        let plan = &state.plan;
        let mut journal = state.journal.clone();
        if self.resuming && !state.status.can_resume() {
            let reason = format!("run {} is {}: it cannot be resumed", self.run_id, state.status.label());
            return (Ending::NotResumed(vec![reason]), journal);
        }
        // A step that put back what it guards when it failed (a gate's traffic) left the run
        // where continuing would judge a stage nobody is on: the way on is a rollback.
        if self.resuming
            && let RunStatus::Failed { step, .. } = &state.status
            && plan.steps.get(*step).is_some_and(|s| !s.action.on_failure().is_empty())
        {
            let reason = format!(
                "step {} ({}) failed and put everything back: continuing would judge a stage nobody is on; roll the run back, fix the cause, and plan again",
                step + 1,
                plan.steps[*step].action.verb()
            );
            return (Ending::NotResumed(vec![reason]), journal);
        }
        // The journal's plan is approved again from its content: a plan or an override edited in
        // the journal since the run began is not carried out.
        if let Err(error) = plan.approve(&plan.hash, state.overrides.clone()) {
            return (self.refuse(vec![format!("the run's plan no longer passes approval: {error}")]), journal);
        }
        // Refuse before changing anything: the plan's view of the account, and this machine.
        let problems = self.account_problems(state, &journal).await;
        if !problems.is_empty() {
            return (self.refuse(problems), journal);
        }
        if self.resuming {
            let _ = self.run.append(Record::Resumed { time: now() });
        }
        if let Some(in_doubt) = &state.in_doubt {
            match reconcile(self.cloud, self.run, in_doubt, false, self.emit).await {
                Ok(Some(entry)) => journal.entries.push(entry),
                Ok(None) => {}
                Err(reason) => return (Ending::Finished(RunOutcome::Failed { step: in_doubt.step, reason }), journal),
            }
        }
        let mut outputs: Outputs = journal.entries.iter().map(|e| (e.step_id.clone(), e.output.clone())).collect();
        if self.resuming {
            match confirmed_outputs(self.cloud, &self.run_id, &journal.entries).await {
                Ok(confirmed) => outputs.extend(confirmed),
                Err(reason) => return (Ending::NotResumed(vec![reason]), journal),
            }
        }
        for entry in &journal.entries {
            (self.emit)(ApplyEvent::StepAlreadyDone { step: entry.step, summary: entry.output.summary.clone() });
        }
        let outcome = self.run_steps(plan, &mut journal, &mut outputs).await;
        (Ending::Finished(outcome), journal)
    }

    /// An apply that changes nothing: a new run is journaled as refused, a resumed one keeps
    /// the status it had, since it still holds what it made.
    fn refuse(&self, reasons: Vec<String>) -> Ending {
        if self.resuming { Ending::NotResumed(reasons) } else { Ending::Finished(RunOutcome::Refused { reasons }) }
    }

    /// What this machine cannot run (preflight) and what changed in the account (drift), one
    /// sentence each.
    async fn account_problems(&self, state: &RunState, journal: &Journal) -> Vec<String> {
        let plan = &state.plan;
        // Only the steps still to run are checked: what the run already did is its own change.
        let started: BTreeSet<&str> = journal
            .entries
            .iter()
            .map(|e| e.step_id.as_str())
            .chain(state.in_doubt.iter().map(|d| d.step_id.as_str()))
            .collect();
        let mut remaining = plan.clone();
        remaining.steps.retain(|step| !started.contains(step.id.as_str()));
        let mut problems = self.cloud.preflight(&remaining).await;
        match check_drift(self.cloud, plan, &started, &self.run_id).await {
            Ok(changes) => problems.extend(changes),
            Err(error) => problems.push(format!("cannot check the account against the plan: {error}")),
        }
        problems
    }

    /// Carries out, in order, the steps the journal does not hold, until one ends the run or
    /// the operator stops it between steps. Returns how the run ends.
    async fn run_steps(&self, plan: &Plan, journal: &mut Journal, outputs: &mut Outputs) -> RunOutcome {
        for (index, step) in plan.steps.iter().enumerate() {
            if journal.entries.iter().any(|e| e.step == index) {
                continue;
            }
            if self.cancel.load(Ordering::SeqCst) {
                return RunOutcome::Cancelled { step: index };
            }
            if let ControlFlow::Break(outcome) = self.run_step(index, step, journal, outputs).await {
                return outcome;
            }
        }
        RunOutcome::Applied
    }

    /// One step: resolved, its intent journaled, called, and its outcome journaled. `Break`
    /// ends the run with that outcome.
    async fn run_step(
        &self,
        index: usize,
        step: &Step,
        journal: &mut Journal,
        outputs: &mut Outputs,
    ) -> ControlFlow<RunOutcome> {
        (self.emit)(ApplyEvent::StepStarted { step: index });
        let started = Instant::now();
        let action = match resolve(&step.action, &self.run_id, outputs) {
            Ok(action) => action,
            Err(error) => return self.not_sent(index, error.to_string()),
        };
        // The intent is on disk before the call leaves: a crash from here on leaves the step
        // in doubt, never unknown.
        let intent = Record::Intent { step: index, step_id: step.id.clone(), action: action.clone(), time: now() };
        if let Err(error) = self.run.append(intent) {
            return self.not_sent(index, format!("{error}; nothing was sent for this step"));
        }
        let emit = self.emit;
        let progress = |message: String| emit(ApplyEvent::StepProgress { step: index, message });
        let result = call(self.cloud, &action, self.options, self.cancel, &progress).await;
        let elapsed_ms = started.elapsed().as_millis() as u64;
        match result {
            Ok(output) => {
                let entry = JournalEntry { step: index, step_id: step.id.clone(), action, output };
                self.step_done(entry, elapsed_ms, journal, outputs)
            }
            Err(error) => {
                let compensations = action.on_failure();
                let attempt = InDoubt { step: index, step_id: step.id.clone(), action };
                match self.step_failed(attempt, error, elapsed_ms, journal, outputs).await {
                    ControlFlow::Break(RunOutcome::Failed { step, reason }) if !compensations.is_empty() => {
                        let reason = self.compensate(step, &compensations, reason).await;
                        ControlFlow::Break(RunOutcome::Failed { step, reason })
                    }
                    flow => flow,
                }
            }
        }
    }

    /// Carries out what failed step `index` puts back at once, each action journaled and
    /// reported (so audited) on its own, and says in the run's failure what came of them.
    async fn compensate(&self, index: usize, actions: &[Action], reason: String) -> String {
        let mut back = Vec::new();
        let mut failures = Vec::new();
        for action in actions {
            let started = Instant::now();
            let emit = self.emit;
            let progress = |message: String| emit(ApplyEvent::StepProgress { step: index, message });
            let error =
                call(self.cloud, action, self.options, self.cancel, &progress).await.err().map(|e| e.to_string());
            let elapsed_ms = started.elapsed().as_millis() as u64;
            let record = Record::Compensated { step: index, action: action.clone(), error: error.clone(), time: now() };
            let journaled = self.run.append(record);
            (self.emit)(ApplyEvent::StepCompensated {
                step: index,
                action: action.clone(),
                error: error.clone(),
                elapsed_ms,
            });
            match (error, journaled) {
                (None, Ok(())) => back.push(action.target()),
                (None, Err(journal)) => failures.push(format!("{} done but not journaled: {journal}", action.target())),
                (Some(error), _) => failures.push(format!("{} {}: {error}", action.verb(), action.target())),
            }
        }
        if failures.is_empty() {
            format!("{reason}; all traffic is back on the old stack (old 100 / new 0 for {})", back.join(", "))
        } else {
            format!("{reason}; putting it back failed too ({}): roll the run back now", failures.join("; "))
        }
    }

    /// A step that failed before its call was sent: the run ends failed there.
    fn not_sent(&self, index: usize, reason: String) -> ControlFlow<RunOutcome> {
        (self.emit)(ApplyEvent::StepFailed { step: index, elapsed_ms: 0, error: reason.clone() });
        ControlFlow::Break(RunOutcome::Failed { step: index, reason })
    }

    /// Journals a step whose call answered, and keeps its output for the steps after it.
    fn step_done(
        &self,
        entry: JournalEntry,
        elapsed_ms: u64,
        journal: &mut Journal,
        outputs: &mut Outputs,
    ) -> ControlFlow<RunOutcome> {
        let index = entry.step;
        let recorded = self.run.append(Record::Outcome {
            step: index,
            result: StepResult::Done { output: entry.output.clone() },
            elapsed_ms,
            time: now(),
        });
        (self.emit)(ApplyEvent::StepDone { step: index, elapsed_ms, summary: entry.output.summary.clone() });
        outputs.insert(entry.step_id.clone(), entry.output.clone());
        journal.entries.push(entry);
        if let Err(error) = recorded {
            // The change is made but the journal could not say so: stop while the
            // in-memory journal still knows, so a rollback from here is complete.
            return ControlFlow::Break(RunOutcome::Failed { step: index, reason: error.to_string() });
        }
        ControlFlow::Continue(())
    }

    /// Journals a step whose call failed or went unanswered, then looks for its change. Found
    /// after `AlreadyExists`, the step is done; otherwise the run ends, keeping what was found.
    async fn step_failed(
        &self,
        attempt: InDoubt,
        error: CallError,
        elapsed_ms: u64,
        journal: &mut Journal,
        outputs: &mut Outputs,
    ) -> ControlFlow<RunOutcome> {
        let index = attempt.step;
        let reason = error.to_string();
        let _ = self.run.append(Record::Outcome {
            step: index,
            result: StepResult::Failed { error: reason.clone() },
            elapsed_ms,
            time: now(),
        });
        // The call may have made its change anyway: look for it before going on.
        let unanswered = matches!(error, CallError::Cloud(CloudError::Timeout { .. }));
        let already_exists = matches!(error, CallError::Cloud(CloudError::AlreadyExists { .. }));
        let made = reconcile(self.cloud, self.run, &attempt, unanswered, self.emit).await.ok().flatten();
        if let (Some(entry), true) = (&made, already_exists) {
            // This run made it before (a call answered too late, a resumed run):
            // it is done, not a failure.
            (self.emit)(ApplyEvent::StepDone { step: index, elapsed_ms, summary: entry.output.summary.clone() });
            outputs.insert(entry.step_id.clone(), entry.output.clone());
            journal.entries.extend(made);
            return ControlFlow::Continue(());
        }
        (self.emit)(ApplyEvent::StepFailed { step: index, elapsed_ms, error: reason.clone() });
        if let Some(entry) = made {
            outputs.insert(entry.step_id.clone(), entry.output.clone());
            journal.entries.push(entry);
        }
        let outcome = match error {
            CallError::Cancelled => RunOutcome::Cancelled { step: index },
            _ => RunOutcome::Failed { step: index, reason },
        };
        ControlFlow::Break(outcome)
    }
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
    for entry in entries.iter().filter(|e| e.action.creates_resource()) {
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
