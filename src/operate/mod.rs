//! Running an approved plan the way every front end must: a journal on disk for the run, an
//! audit record for every change and every overridden deny. A run does not start when either
//! cannot be opened (or the overrides cannot be recorded); a record that fails to write later
//! is reported to the front end when the run ends. The TUI and the headless commands both go
//! through here.

use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::AtomicBool;

use thiserror::Error;

use crate::apply::{
    self, ApplyEvent, ApplyOptions, Journal, RollbackOutcome, RunLog, RunLogError, Target, new_run_id, replay,
};
mod recorder;

pub use recorder::Recorder;

use crate::audit::{AuditError, AuditLog};
use crate::cloud::Cloud;
use crate::plan::Approved;

#[derive(Debug, Error)]
pub enum OperateError {
    #[error(transparent)]
    Journal(#[from] RunLogError),
    #[error("no change without a record of it: {0}")]
    Audit(#[from] AuditError),
    #[error("no change without a record of it: the audit log could not be written ({0})")]
    AuditWrite(String),
    #[error("no state folder on this system to keep runs in: set FERRY_STATE_DIR")]
    NoStateDir,
}

/// Where runs are kept and audited, and the account they change.
#[derive(Clone)]
pub struct Operator {
    pub cloud: Arc<dyn Cloud>,
    /// Run journals; `None` keeps them in memory (tests, a system without a state folder).
    pub runs_dir: Option<PathBuf>,
    /// The audit log; `None` audits nothing (tests only: front ends always give one).
    pub audit: Option<PathBuf>,
    pub target: Target,
    pub options: ApplyOptions,
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
        }
    }

    /// Who is making the change, as AWS sees them.
    async fn operator(&self) -> String {
        self.cloud.account().await.map_or_else(|e| format!("unknown ({e})"), |account| account.caller_arn)
    }

    fn open_audit(&self) -> Result<Option<AuditLog>, OperateError> {
        Ok(self.audit.as_deref().map(AuditLog::open).transpose()?)
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
        // The audit log must be writable before anything is journaled as started.
        let audit = self.open_audit()?;
        let run = match &self.runs_dir {
            Some(dir) => RunLog::create(dir, &run_id, &operator, self.target.clone(), approved)?,
            None => RunLog::in_memory_run(&run_id, approved),
        };
        if let Some(log) = audit {
            let recorder = Recorder::for_apply(log, &run_id, &operator, approved.plan());
            recorder.overrides(approved.plan(), approved.overrides());
            if let Some(error) = recorder.errors().into_iter().next() {
                return Err(OperateError::AuditWrite(error));
            }
        }
        Ok(run)
    }

    /// Opens an existing run (to resume or roll back), taking its lock.
    pub fn open(&self, run_id: &str) -> Result<RunLog, OperateError> {
        let dir = self.runs_dir.as_deref().ok_or(OperateError::NoStateDir)?;
        Ok(RunLog::open(dir, run_id)?)
    }

    /// Applies (or resumes) the run, every event audited; `emit` sees them too.
    pub async fn apply(
        &self,
        run: &RunLog,
        cancel: &AtomicBool,
        emit: &(dyn Fn(ApplyEvent) + Send + Sync),
    ) -> Result<(Journal, Vec<String>), OperateError> {
        let state = replay(&run.records());
        let recorder =
            self.open_audit()?.map(|log| Recorder::for_apply(log, run.run_id(), &state.operator, &state.plan));
        let observe = |event: ApplyEvent| {
            if let Some(recorder) = &recorder {
                recorder.observe(&event);
            }
            emit(event);
        };
        let journal = apply::apply(self.cloud.as_ref(), run, cancel, &self.options, &observe).await;
        Ok((journal, recorder.map(|r| r.errors()).unwrap_or_default()))
    }

    /// Rolls the run back, every undo audited. Returns the outcome and audit write errors.
    pub async fn rollback(
        &self,
        run: &RunLog,
        emit: &(dyn Fn(ApplyEvent) + Send + Sync),
    ) -> Result<(RollbackOutcome, Vec<String>), OperateError> {
        let state = replay(&run.records());
        let operator = self.operator().await;
        let recorder = self.open_audit()?.map(|log| Recorder::for_rollback(log, &operator, &state.journal));
        let observe = |event: ApplyEvent| {
            if let Some(recorder) = &recorder {
                recorder.observe(&event);
            }
            emit(event);
        };
        let outcome = apply::rollback(self.cloud.as_ref(), run, &self.options, &observe).await;
        Ok((outcome, recorder.map(|r| r.errors()).unwrap_or_default()))
    }
}
