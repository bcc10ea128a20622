//! Running an approved plan the way every front end must: a journal on disk for the run, an
//! audit record for every change and every overridden deny. A run does not start when either
//! cannot be opened (or the overrides cannot be recorded); a record that fails to write later
//! is reported to the front end when the run ends. The TUI and the headless commands both go
//! through here.
//!
//! With an anchor (a CloudWatch Logs group on a live account), every session (start, apply or
//! resume, rollback) first sends a record there and waits for it to be taken: if it is not,
//! nothing is changed. A send that fails later stops an apply before its next step (a rollback
//! keeps undoing: stopping it would leave more behind), and the records not sent are named to
//! the front end; they stay in the local log either way.

mod anchor_queue;
mod carry_out;
mod log_check;
mod recorder;

use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use thiserror::Error;

use crate::apply::{
    self, ApplyEvent, ApplyOptions, Journal, RollbackOutcome, RunEnd, RunLog, RunLogError, RunState, Target, list_runs,
    new_run_id, replay,
};

pub use anchor_queue::{AnchorQueue, pumped};
pub use carry_out::RunReport;
pub use log_check::{LogCheck, check_log};
pub use recorder::Recorder;

use crate::audit::{AnchorOpened, AuditAnchor, AuditError, AuditLog};
use crate::cloud::Cloud;
use crate::plan::{Action, Approved};

/// Why a run was not started, opened, applied or rolled back: returned before any step or
/// undo is sent.
#[derive(Debug, Error)]
pub enum OperateError {
    /// The run's journal could not be created, opened or written.
    #[error(transparent)]
    Journal(#[from] RunLogError),
    /// The audit log could not be opened or read.
    #[error("no change without a record of it: {0}")]
    Audit(#[from] AuditError),
    /// An audit record written as the run starts (an overridden deny) failed; holds the first
    /// error.
    #[error("no change without a record of it: the audit log could not be written ({0})")]
    AuditWrite(String),
    /// The service this run made still takes traffic through a cutover: removing it would
    /// send the app's users to nothing.
    #[error(
        "cutover run {cutover} still sends traffic to the service run {run_id} made: roll the cutover back first (ferry rollback {cutover})"
    )]
    TrafficStillMoved {
        /// The migration run asked to roll back.
        run_id: String,
        /// The cutover (or finalize) run that points records at its service.
        cutover: String,
    },
    /// A run needs its journal on disk, and this system has no state folder for it.
    #[error("no state folder on this system to keep runs in: set FERRY_STATE_DIR")]
    NoStateDir,
    /// The anchor could not be opened, or did not take the session's first records.
    #[error(
        "no change without a record of it: the audit log cannot be sent to {anchor} ({error}); fix the access, or leave out --audit-cloudwatch-group and [audit] cloudwatch_log_group"
    )]
    Anchor {
        /// The anchor as messages name it, e.g. `CloudWatch Logs group ferry-audit`.
        anchor: String,
        /// What the anchor reported.
        error: String,
    },
    /// The journal's plan is not the one the audit log recorded when the run started.
    #[error(
        "run {run_id} started plan {audited}, but its journal now holds plan {journaled}: the journal was changed, so the run is not continued; roll it back, or make and approve a new plan"
    )]
    PlanChanged {
        /// The run being continued.
        run_id: String,
        /// The plan hash the audit log recorded at the run's start.
        audited: String,
        /// The plan hash the journal holds now.
        journaled: String,
    },
}

/// Where runs are kept and audited, and the account they change.
#[derive(Clone)]
pub struct Operator {
    /// The account runs change.
    pub cloud: Arc<dyn Cloud>,
    /// Run journals; `None` keeps them in memory (tests, a system without a state folder).
    pub runs_dir: Option<PathBuf>,
    /// The audit log; `None` audits nothing (tests only: front ends always give one).
    pub audit: Option<PathBuf>,
    /// How to reach that account again, journaled with every new run.
    pub target: Target,
    /// How long each call may take.
    pub options: ApplyOptions,
    /// Where every audit record is also sent as it is written; `None` keeps the local log only.
    pub anchor: Option<Arc<dyn AuditAnchor>>,
}

impl Operator {
    /// The state folder's runs and audit log, as the front ends use them.
    pub fn in_state_dir(cloud: Arc<dyn Cloud>, target: Target) -> Operator {
        Operator {
            cloud,
            runs_dir: crate::state_dir::runs_dir(),
            audit: crate::state_dir::audit_log(),
            target,
            options: ApplyOptions::default(),
            anchor: None,
        }
    }

    /// The same operator, sending every audit record to `anchor` too.
    pub fn with_anchor(mut self, anchor: Option<Arc<dyn AuditAnchor>>) -> Operator {
        self.anchor = anchor;
        self
    }

    /// Who is making the change, as AWS sees them.
    async fn operator(&self) -> String {
        self.cloud.account().await.map_or_else(|e| format!("unknown ({e})"), |account| account.caller_arn)
    }

    /// A run carries out the plan its first apply recorded in the audit log: the journal sits
    /// in the same folder and could be edited, plan and hash alike, between a failure and a
    /// resume, while the log's record is chained (and anchored, when an anchor is set). A run
    /// with no such record yet (its first apply has not begun) has nothing to compare.
    fn confirm_audited_plan(&self, run_id: &str, plan_hash: &str) -> Result<(), OperateError> {
        let Some(path) = &self.audit else { return Ok(()) };
        let Some(chain) = crate::audit::read_chain(path)? else { return Ok(()) };
        let audited = chain
            .lines
            .iter()
            .flatten()
            .find(|r| r.run_id == run_id && r.action == "start run")
            .and_then(|r| r.parameters.get("plan_hash").and_then(serde_json::Value::as_str).map(str::to_string));
        match audited {
            Some(audited) if audited != plan_hash => {
                Err(OperateError::PlanChanged { run_id: run_id.to_string(), audited, journaled: plan_hash.to_string() })
            }
            _ => Ok(()),
        }
    }

    fn open_audit(&self) -> Result<Option<AuditLog>, OperateError> {
        Ok(self.audit.as_deref().map(AuditLog::open).transpose()?)
    }

    /// Readies the anchor for `run_id`, when there is one and a local log to mirror.
    async fn open_anchor(&self, run_id: &str) -> Result<Option<(AnchorQueue, AnchorOpened)>, OperateError> {
        let Some(anchor) = self.anchor.clone().filter(|_| self.audit.is_some()) else { return Ok(None) };
        let describe = anchor.describe();
        let opened = AnchorQueue::open(anchor, run_id).await;
        Ok(Some(opened.map_err(|e| OperateError::Anchor { anchor: describe, error: e.to_string() })?))
    }

    /// Records where this session's records go and waits until the anchor has taken that
    /// record: proof it can be written before anything is changed.
    async fn confirm_anchor(
        recorder: &Recorder<'_>,
        anchor: &Option<(AnchorQueue, AnchorOpened)>,
    ) -> Result<(), OperateError> {
        let Some((queue, opened)) = anchor else { return Ok(()) };
        recorder.anchor_opened(&queue.describe(), opened);
        queue.flush().await.map_err(|e| {
            recorder.anchor_failed(&queue.describe(), &e.to_string());
            OperateError::Anchor { anchor: queue.describe(), error: e.to_string() }
        })
    }

    /// Opens the journal of a new run of the approved plan, and audits the overridden denies.
    pub async fn start(&self, approved: &Approved) -> Result<RunLog, OperateError> {
        // A real account is changed only with a journal on disk: without one a crash would
        // leave nothing to recover from.
        if self.runs_dir.is_none() && self.target != Target::InProcess {
            return Err(OperateError::NoStateDir);
        }
        let run_id = new_run_id(&approved.plan().service_name);
        let operator = self.operator().await;
        // The audit log and its anchor must be writable before anything is journaled as
        // started: the anchor takes a first record before the run exists.
        let audit = self.open_audit()?;
        let anchor = self.open_anchor(&run_id).await?;
        let queue = anchor.as_ref().map(|(queue, _)| queue);
        let recorder = audit.map(|log| Recorder::for_apply(log, &run_id, &operator, approved.plan()).anchored(queue));
        if let Some(recorder) = &recorder {
            Self::confirm_anchor(recorder, &anchor).await?;
        }
        let run = match &self.runs_dir {
            Some(dir) => RunLog::create(dir, &run_id, &operator, self.target.clone(), approved)?,
            None => RunLog::in_memory_run(&run_id, approved),
        };
        let kept = if self.runs_dir.is_some() { "journaled in the state folder" } else { "kept in memory" };
        tracing::info!("run {run_id} opened, {kept}");
        if let Some(recorder) = recorder {
            let recorder = recorder.journaled(&run);
            recorder.overrides(approved.plan(), approved.overrides());
            if let Some(error) = recorder.errors().into_iter().next() {
                return Err(OperateError::AuditWrite(error));
            }
            if let Some(queue) = queue {
                let error = |e: crate::audit::AnchorError| OperateError::Anchor {
                    anchor: queue.describe(),
                    error: e.to_string(),
                };
                queue.flush().await.map_err(error)?;
            }
        }
        Ok(run)
    }

    /// Opens an existing run (to resume or roll back), taking its lock.
    pub fn open(&self, run_id: &str) -> Result<RunLog, OperateError> {
        let dir = self.runs_dir.as_deref().ok_or(OperateError::NoStateDir)?;
        Ok(RunLog::open(dir, run_id)?)
    }

    /// Applies (or resumes) the run, every event audited; `emit` sees them too. Returns what
    /// the run holds and the audit records that could not be written; `carry_out` also says
    /// how the run ended, and takes a `RunControl`.
    pub async fn apply(
        &self,
        run: &RunLog,
        cancel: &AtomicBool,
        emit: &(dyn Fn(ApplyEvent) + Send + Sync),
    ) -> Result<(Journal, Vec<String>), OperateError> {
        let (end, errors) = self.apply_run(run, cancel, emit).await?;
        Ok((end.journal, errors))
    }

    /// `apply`, returning how the run ended.
    async fn apply_run(
        &self,
        run: &RunLog,
        cancel: &AtomicBool,
        emit: &(dyn Fn(ApplyEvent) + Send + Sync),
    ) -> Result<(RunEnd, Vec<String>), OperateError> {
        let state = replay(&run.records());
        self.confirm_audited_plan(run.run_id(), &state.plan.hash)?;
        let log = self.open_audit()?;
        let anchor = self.open_anchor(run.run_id()).await?;
        let queue = anchor.as_ref().map(|(queue, _)| queue);
        let recorder = log.map(|log| {
            Recorder::for_apply(log, run.run_id(), &state.operator, &state.plan).journaled(run).anchored(queue)
        });
        if let Some(recorder) = &recorder {
            Self::confirm_anchor(recorder, &anchor).await?;
        }
        let observe = |event: ApplyEvent| {
            if let Some(recorder) = &recorder {
                recorder.observe(&event);
            }
            emit(event);
        };
        // An apply stops before its next step once the anchor stops taking records.
        let stopped = AtomicBool::new(false);
        let stop = || {
            stopped.store(true, Ordering::SeqCst);
            cancel.store(true, Ordering::SeqCst);
        };
        let work = apply::apply_run(self.cloud.as_ref(), run, cancel, &self.options, &observe);
        let (end, unsent) = pumped(queue, work, stop).await;
        let mut errors = recorder.as_ref().map(Recorder::errors).unwrap_or_default();
        if let Some(unsent) = unsent {
            let stopped =
                if stopped.load(Ordering::SeqCst) { "; the run was stopped before its next step" } else { "" };
            errors.push(format!("{unsent}{stopped}"));
            if let (Some(recorder), Some(queue)) = (&recorder, queue) {
                recorder.anchor_failed(&queue.describe(), &unsent);
            }
        }
        Ok((end, errors))
    }

    /// A migration run's service may not be removed while a cutover of it still holds records
    /// pointing at it: that cutover is rolled back first.
    fn refuse_while_traffic_moved(&self, state: &RunState) -> Result<(), OperateError> {
        let makes_service = state.plan.steps.iter().any(|s| matches!(s.action, Action::CreateExpressService { .. }));
        let Some(dir) = self.runs_dir.as_deref().filter(|_| makes_service) else { return Ok(()) };
        let moves_traffic = |run: &RunState| {
            run.plan
                .steps
                .iter()
                .any(|s| matches!(s.action, Action::SplitRecords { .. } | Action::FinalizeRecords { .. }))
        };
        let holding = list_runs(dir).into_iter().filter_map(Result::ok).find(|run| {
            run.run_id != state.run_id
                && run.plan.service_name == state.plan.service_name
                && run.plan.account_id == state.plan.account_id
                && moves_traffic(run)
                && run.status.may_hold_resources()
        });
        match holding {
            Some(cutover) => {
                Err(OperateError::TrafficStillMoved { run_id: state.run_id.clone(), cutover: cutover.run_id })
            }
            None => Ok(()),
        }
    }

    /// Rolls the run back, every undo audited. Returns the outcome and audit write errors.
    pub async fn rollback(
        &self,
        run: &RunLog,
        emit: &(dyn Fn(ApplyEvent) + Send + Sync),
    ) -> Result<(RollbackOutcome, Vec<String>), OperateError> {
        let state = replay(&run.records());
        self.refuse_while_traffic_moved(&state)?;
        tracing::info!("rollback of run {} opened: {} steps journaled", run.run_id(), state.journal.entries.len());
        let operator = self.operator().await;
        let log = self.open_audit()?;
        let anchor = self.open_anchor(run.run_id()).await?;
        let queue = anchor.as_ref().map(|(queue, _)| queue);
        let recorder =
            log.map(|log| Recorder::for_rollback(log, &operator, &state.journal).journaled(run).anchored(queue));
        if let Some(recorder) = &recorder {
            Self::confirm_anchor(recorder, &anchor).await?;
        }
        let observe = |event: ApplyEvent| {
            if let Some(recorder) = &recorder {
                recorder.observe(&event);
            }
            emit(event);
        };
        // A rollback keeps undoing when the anchor fails: stopping would leave more behind.
        let work = apply::rollback(self.cloud.as_ref(), run, &self.options, &observe);
        let (outcome, unsent) = pumped(queue, work, || {}).await;
        let mut errors = recorder.as_ref().map(Recorder::errors).unwrap_or_default();
        if let Some(unsent) = unsent {
            errors.push(unsent.clone());
            if let (Some(recorder), Some(queue)) = (&recorder, queue) {
                recorder.anchor_failed(&queue.describe(), &unsent);
            }
        }
        Ok((outcome, errors))
    }
}
