use serde::{Deserialize, Serialize};

use super::Journal;

/// How an apply run ended.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "outcome", rename_all = "snake_case")]
pub enum RunOutcome {
    /// Every step of the plan is done.
    Applied,
    /// `step` is the 0-based index of the step that failed.
    Failed {
        /// 0-based plan index of the failed step.
        step: usize,
        /// What went wrong, as shown to the operator: the call's error, or why the step could not
        /// be filled in or journaled.
        reason: String,
    },
    /// The operator stopped the run before `step`.
    Cancelled {
        /// 0-based plan index of the first step not done: a resume starts there.
        step: usize,
    },
    /// Nothing was changed: the account no longer matches the plan, or this machine cannot
    /// run one of its steps.
    Refused {
        /// One sentence each: an assumption that no longer holds, a preflight problem, or why the
        /// plan no longer passes approval.
        reasons: Vec<String>,
    },
    /// A resume that did not go on, for the same reasons: the run keeps its status and
    /// everything it made, to roll back or to continue once the cause is fixed.
    ResumeRefused {
        /// Why the resume stopped, one sentence each.
        reasons: Vec<String>,
    },
}

/// How a rollback ended.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "outcome", rename_all = "snake_case")]
pub enum RollbackOutcome {
    /// Every undo succeeded, or found nothing of the run's left to undo.
    RolledBack,
    /// Some inverses failed; what they would have removed is still in the account.
    Incomplete {
        /// One message per undo that failed or could not confirm its resource is the run's:
        /// what it would have removed, and the error.
        failures: Vec<String>,
    },
}

/// Everything an apply or rollback reports, in order. Steps are 0-based plan indices.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum ApplyEvent {
    /// An apply or a resume began. Sent before any check, so a refused run starts with it too.
    RunStarted {
        /// The run's id, as `new_run_id` made it.
        run_id: String,
        /// The full sha256 of the plan the run carries out.
        plan_hash: String,
        /// How many steps the plan has, done or not.
        steps: usize,
    },
    /// A step begins: its placeholders are filled, its intent journaled, then its call sent.
    StepStarted {
        /// 0-based plan index of the step.
        step: usize,
    },
    /// A line of progress from a step or an undo: build output, a wait's status, a lookup's note.
    StepProgress {
        /// 0-based plan index of the step.
        step: usize,
        /// One line for the progress view.
        message: String,
    },
    /// A step made its change. Also sent when a create answered `AlreadyExists` and the lookup
    /// found the resource is this run's own.
    StepDone {
        /// 0-based plan index of the step.
        step: usize,
        /// Milliseconds from the step's start to its answer.
        elapsed_ms: u64,
        /// The output's one-line summary, e.g. `sg-0abc created`.
        summary: String,
    },
    /// A step's call failed, or the step could not be filled in or journaled; `RunFinished`
    /// follows. After a failed call, a `StepReconciled` first says whether the change was made
    /// anyway.
    StepFailed {
        /// 0-based plan index of the step.
        step: usize,
        /// Milliseconds from the step's start to the failure; 0 when nothing was sent.
        elapsed_ms: u64,
        /// What went wrong, as shown to the operator.
        error: String,
    },
    /// A resumed run's step that an earlier process already carried out.
    StepAlreadyDone {
        /// 0-based plan index of the step.
        step: usize,
        /// The summary journaled when the step was done.
        summary: String,
    },
    /// A step in doubt, decided by looking its resource up: `made` when the change exists.
    /// `undo` is what rollback runs for it when the change was made.
    StepReconciled {
        /// 0-based plan index of the step.
        step: usize,
        /// Whether the change exists and is this run's own.
        made: bool,
        /// What the lookup found, in a sentence for the operator.
        note: String,
        /// The undo, filled from what was found; `None` when nothing was made.
        undo: Option<crate::plan::Action>,
    },
    /// The last event of an apply or a resume, whatever its outcome.
    RunFinished {
        /// How the run ended; journaled, except for a refused resume.
        outcome: RunOutcome,
        /// Every change the run has made so far: what a rollback would undo.
        journal: Journal,
    },
    /// A rollback begins, after the step in doubt is decided and anything of the run's the
    /// journal missed is found.
    RollbackStarted {
        /// How many undos it will try, newest first.
        steps: usize,
    },
    /// A step's undo begins: its resource is looked up again first.
    UndoStarted {
        /// 0-based plan index of the step being undone.
        step: usize,
    },
    /// The step's change is undone, or was left alone because it is gone or no longer the run's
    /// (a `StepProgress` before it says which).
    UndoDone {
        /// 0-based plan index of the step undone.
        step: usize,
        /// Milliseconds from the undo's start, the lookup included.
        elapsed_ms: u64,
    },
    /// An undo failed, or its resource could not be confirmed as the run's; the rollback goes on
    /// with the rest.
    UndoFailed {
        /// 0-based plan index of the step whose undo failed.
        step: usize,
        /// The undo's verb and target, and what went wrong.
        error: String,
    },
    /// What a failed step puts back at once, as the step itself says (a failed health gate
    /// returns every host name's traffic to the old stack): journaled and audited on its own.
    StepCompensated {
        /// 0-based plan index of the failed step.
        step: usize,
        /// The action carried out.
        action: crate::plan::Action,
        /// `None` when it succeeded; otherwise what went wrong.
        error: Option<String>,
        /// How long it took, in milliseconds.
        elapsed_ms: u64,
    },
    /// The last event of a rollback.
    RollbackFinished {
        /// Whether everything was undone; journaled as the run's new status.
        outcome: RollbackOutcome,
    },
}
