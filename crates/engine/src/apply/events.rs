use serde::{Deserialize, Serialize};

use super::Journal;

/// How an apply run ended.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "outcome", rename_all = "snake_case")]
pub enum RunOutcome {
    Applied,
    /// `step` is the 0-based index of the step that failed.
    Failed {
        step: usize,
        reason: String,
    },
    /// The operator stopped the run before `step`.
    Cancelled {
        step: usize,
    },
    /// Nothing was changed: the account no longer matches the plan, or this machine cannot
    /// run one of its steps.
    Refused {
        reasons: Vec<String>,
    },
    /// A resume that did not go on, for the same reasons: the run keeps its status and
    /// everything it made, to roll back or to continue once the cause is fixed.
    ResumeRefused {
        reasons: Vec<String>,
    },
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "outcome", rename_all = "snake_case")]
pub enum RollbackOutcome {
    RolledBack,
    /// Some inverses failed; what they would have removed is still in the account.
    Incomplete {
        failures: Vec<String>,
    },
}

/// Everything an apply or rollback reports, in order. Steps are 0-based plan indices.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum ApplyEvent {
    RunStarted {
        run_id: String,
        plan_hash: String,
        steps: usize,
    },
    StepStarted {
        step: usize,
    },
    StepProgress {
        step: usize,
        message: String,
    },
    StepDone {
        step: usize,
        elapsed_ms: u64,
        summary: String,
    },
    StepFailed {
        step: usize,
        elapsed_ms: u64,
        error: String,
    },
    /// A resumed run's step that an earlier process already carried out.
    StepAlreadyDone {
        step: usize,
        summary: String,
    },
    /// A step in doubt, decided by looking its resource up: `made` when the change exists.
    /// `undo` is what rollback runs for it when the change was made.
    StepReconciled {
        step: usize,
        made: bool,
        note: String,
        undo: Option<crate::plan::Action>,
    },
    RunFinished {
        outcome: RunOutcome,
        journal: Journal,
    },
    RollbackStarted {
        steps: usize,
    },
    UndoStarted {
        step: usize,
    },
    UndoDone {
        step: usize,
        elapsed_ms: u64,
    },
    UndoFailed {
        step: usize,
        error: String,
    },
    RollbackFinished {
        outcome: RollbackOutcome,
    },
}
