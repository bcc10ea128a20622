//! What the Apply screen knows about a run, folded from `ApplyEvent`s.

use std::time::{Duration, Instant};

use crate::apply::{ApplyEvent, CancelFlag, Journal, RollbackOutcome, RunOutcome};
use crate::plan::Plan;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StepStatus {
    Pending,
    Running,
    Done,
    Failed,
    Undoing,
    Undone,
    UndoFailed,
}

#[derive(Debug, Clone)]
pub struct StepView {
    pub status: StepStatus,
    pub elapsed: Duration,
    /// The result line, the live progress line, or the error.
    pub detail: Option<String>,
    pub started: Option<Instant>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RunPhase {
    Applying,
    Applied,
    Failed {
        step: usize,
        reason: String,
    },
    Cancelled {
        step: usize,
    },
    RollingBack,
    RolledBack,
    RollbackIncomplete {
        failures: Vec<String>,
    },
    /// Apply changed nothing: the account drifted from the plan, or a step cannot run here.
    Refused {
        reasons: Vec<String>,
    },
}

impl RunPhase {
    /// Whether engine work is under way (quitting now needs confirming).
    pub fn is_busy(&self) -> bool {
        matches!(self, RunPhase::Applying | RunPhase::RollingBack)
    }

    /// Whether `r` can start a rollback now.
    pub fn can_roll_back(&self) -> bool {
        matches!(
            self,
            RunPhase::Applied
                | RunPhase::Failed { .. }
                | RunPhase::Cancelled { .. }
                | RunPhase::RollbackIncomplete { .. }
        )
    }
}

#[derive(Debug, Clone)]
pub struct RunView {
    pub plan: Plan,
    pub run_id: Option<String>,
    pub steps: Vec<StepView>,
    pub phase: RunPhase,
    pub journal: Option<Journal>,
    pub cancel: CancelFlag,
    /// `r` was pressed while applying: roll back as soon as the run stops.
    pub rollback_requested: bool,
}

impl RunView {
    pub fn new(plan: Plan, cancel: CancelFlag) -> RunView {
        let steps = plan
            .steps
            .iter()
            .map(|_| StepView { status: StepStatus::Pending, elapsed: Duration::ZERO, detail: None, started: None })
            .collect();
        RunView {
            plan,
            run_id: None,
            steps,
            phase: RunPhase::Applying,
            journal: None,
            cancel,
            rollback_requested: false,
        }
    }

    /// Folds one engine event into the view.
    pub fn apply_event(&mut self, event: ApplyEvent) {
        let ms = Duration::from_millis;
        match event {
            ApplyEvent::RunStarted { run_id, .. } => self.run_id = Some(run_id),
            ApplyEvent::StepStarted { step } => self.set(step, StepStatus::Running, None, Some(Instant::now())),
            ApplyEvent::StepProgress { step, message } => {
                if let Some(view) = self.steps.get_mut(step) {
                    view.detail = Some(message);
                }
            }
            ApplyEvent::StepDone { step, elapsed_ms, summary } => {
                self.set(step, StepStatus::Done, Some(summary), None);
                self.set_elapsed(step, ms(elapsed_ms));
            }
            ApplyEvent::StepFailed { step, elapsed_ms, error } => {
                self.set(step, StepStatus::Failed, Some(error), None);
                self.set_elapsed(step, ms(elapsed_ms));
            }
            ApplyEvent::StepAlreadyDone { step, summary } => self.set(step, StepStatus::Done, Some(summary), None),
            ApplyEvent::StepReconciled { step, made, note, .. } => {
                let status = if made { StepStatus::Done } else { StepStatus::Failed };
                let detail = self.steps.get(step).and_then(|v| v.detail.clone());
                let detail = detail.map_or(note.clone(), |d| format!("{d} · {note}"));
                self.set(step, status, Some(detail), None);
            }
            ApplyEvent::RunFinished { outcome, journal } => {
                self.journal = Some(journal);
                self.phase = match outcome {
                    RunOutcome::Applied => RunPhase::Applied,
                    RunOutcome::Failed { step, reason } => RunPhase::Failed { step, reason },
                    RunOutcome::Cancelled { step } => RunPhase::Cancelled { step },
                    RunOutcome::Refused { reasons } => RunPhase::Refused { reasons },
                };
            }
            ApplyEvent::RollbackStarted { .. } => self.phase = RunPhase::RollingBack,
            ApplyEvent::UndoStarted { step } => self.set(step, StepStatus::Undoing, None, Some(Instant::now())),
            ApplyEvent::UndoDone { step, elapsed_ms } => {
                self.set(step, StepStatus::Undone, Some("undone".into()), None);
                self.set_elapsed(step, ms(elapsed_ms));
            }
            ApplyEvent::UndoFailed { step, error } => self.set(step, StepStatus::UndoFailed, Some(error), None),
            ApplyEvent::RollbackFinished { outcome } => {
                // A step that left nothing behind (a wait) is not shown as still in place.
                for (view, step) in self.steps.iter_mut().zip(&self.plan.steps) {
                    if view.status == StepStatus::Done && !step.action.has_inverse() {
                        view.status = StepStatus::Undone;
                        view.detail = Some("nothing to undo".into());
                    }
                }
                self.rollback_requested = false;
                self.phase = match outcome {
                    RollbackOutcome::RolledBack => RunPhase::RolledBack,
                    RollbackOutcome::Incomplete { failures } => RunPhase::RollbackIncomplete { failures },
                };
            }
        }
    }

    /// Moves the running step's timer on.
    pub fn tick(&mut self) {
        for view in &mut self.steps {
            if let (StepStatus::Running | StepStatus::Undoing, Some(started)) = (view.status, view.started) {
                view.elapsed = started.elapsed();
            }
        }
    }

    fn set(&mut self, step: usize, status: StepStatus, detail: Option<String>, started: Option<Instant>) {
        if let Some(view) = self.steps.get_mut(step) {
            view.status = status;
            view.detail = detail;
            view.started = started;
        }
    }

    fn set_elapsed(&mut self, step: usize, elapsed: Duration) {
        if let Some(view) = self.steps.get_mut(step) {
            view.elapsed = elapsed;
        }
    }
}
