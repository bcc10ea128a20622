//! What the Apply screen knows about a run, folded from `ApplyEvent`s, or rebuilt from a
//! journal a run left on disk.

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use crate::apply::{ApplyEvent, CancelFlag, Journal, RollbackOutcome, RunOutcome, RunState, RunStatus};
use crate::plan::{Override, Plan};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StepStatus {
    Pending,
    Running,
    Done,
    Failed,
    /// Its call was sent and no answer was recorded: looked up before anything else runs.
    InDoubt,
    Undoing,
    Undone,
    UndoFailed,
}

#[derive(Debug, Clone)]
pub struct StepView {
    pub status: StepStatus,
    /// How long the step took; `None` when not timed here (pending, or done by an earlier process).
    pub elapsed: Option<Duration>,
    /// The result line, the live progress line, or the error.
    pub detail: Option<String>,
    /// What ferry learnt about the step besides its result: reconciled, done before a resume.
    pub note: Option<String>,
    /// The note is what looking the step up found (it says more than any later note).
    pub reconciled: bool,
    pub started: Option<Instant>,
}

impl StepView {
    fn pending() -> StepView {
        StepView {
            status: StepStatus::Pending,
            elapsed: None,
            detail: None,
            note: None,
            reconciled: false,
            started: None,
        }
    }
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
    /// The process that ran it stopped without finishing (a crash, a kill, a closed terminal).
    Interrupted {
        step: usize,
    },
    RollingBack,
    RolledBack,
    RollbackIncomplete {
        failures: Vec<String>,
    },
    /// A rollback stopped part way: rolling back again finishes it.
    RollbackInterrupted,
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
                | RunPhase::Interrupted { .. }
                | RunPhase::RollbackIncomplete { .. }
                | RunPhase::RollbackInterrupted
        )
    }

    /// Whether `c` can continue the run where it stopped.
    pub fn can_resume(&self) -> bool {
        matches!(self, RunPhase::Failed { .. } | RunPhase::Cancelled { .. } | RunPhase::Interrupted { .. })
    }

    /// Whether what the run made may still be in the account.
    pub fn holds_resources(&self) -> bool {
        !matches!(self, RunPhase::RolledBack | RunPhase::Refused { .. })
    }

    fn from_status(status: &RunStatus, next_step: usize) -> RunPhase {
        match status {
            RunStatus::InProgress | RunStatus::Interrupted => RunPhase::Interrupted { step: next_step },
            RunStatus::Applied => RunPhase::Applied,
            RunStatus::Failed { step, reason } => RunPhase::Failed { step: *step, reason: reason.clone() },
            RunStatus::Cancelled { step } => RunPhase::Cancelled { step: *step },
            RunStatus::Refused { reasons } => RunPhase::Refused { reasons: reasons.clone() },
            RunStatus::RolledBack => RunPhase::RolledBack,
            RunStatus::RollbackIncomplete { failures } => RunPhase::RollbackIncomplete { failures: failures.clone() },
            RunStatus::RollbackInterrupted => RunPhase::RollbackInterrupted,
        }
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
    /// The denies the approval overrode, with their reasons.
    pub overrides: Vec<Override>,
    /// `r` was pressed while applying: roll back as soon as the run stops.
    pub rollback_requested: bool,
}

impl RunView {
    pub fn new(plan: Plan, overrides: Vec<Override>, cancel: CancelFlag) -> RunView {
        let steps = plan.steps.iter().map(|_| StepView::pending()).collect();
        RunView {
            plan,
            run_id: None,
            steps,
            phase: RunPhase::Applying,
            journal: None,
            cancel,
            overrides,
            rollback_requested: false,
        }
    }

    /// A run as its journal left it. `undo` is the last undo outcome of each step, from the
    /// journal's records: `None` undone, `Some(error)` failed.
    pub fn from_state(state: &RunState, undo: &BTreeMap<usize, Option<String>>, cancel: CancelFlag) -> RunView {
        let mut view = RunView::new(state.plan.clone(), state.overrides.clone(), cancel);
        view.run_id = Some(state.run_id.clone());
        view.journal = Some(state.journal.clone());
        view.phase = RunPhase::from_status(&state.status, state.next_step);
        for entry in &state.journal.entries {
            let (status, detail) = match undo.get(&entry.step) {
                Some(None) => (StepStatus::Undone, "undone".to_string()),
                Some(Some(error)) => (StepStatus::UndoFailed, error.clone()),
                None => (StepStatus::Done, entry.output.summary.clone()),
            };
            view.set(entry.step, status, Some(detail), None);
        }
        if let RunStatus::Failed { step, reason } = &state.status {
            view.set(*step, StepStatus::Failed, Some(reason.clone()), None);
        }
        if let Some(in_doubt) = &state.in_doubt
            && let Some(step) = view.steps.get_mut(in_doubt.step)
        {
            if step.status != StepStatus::Failed {
                step.status = StepStatus::InDoubt;
            }
            step.note = Some("in doubt: its call was sent and no answer recorded; looked up before going on".into());
        }
        view
    }

    /// The step the run stands at: running, undoing, failed or in doubt.
    pub fn active(&self) -> Option<usize> {
        let active = |s: &StepView| {
            matches!(s.status, StepStatus::Running | StepStatus::Undoing | StepStatus::Failed | StepStatus::InDoubt)
        };
        self.steps.iter().position(active)
    }

    /// The step the run stands at, or else the last one it reached.
    pub fn focus(&self) -> Option<usize> {
        self.active().or_else(|| self.steps.iter().rposition(|s| s.status != StepStatus::Pending))
    }

    /// Whether the run is working, or may have left something in the account. A run that
    /// never started (its journal could not be opened) holds nothing.
    pub fn holds_resources(&self) -> bool {
        self.phase.is_busy() || (self.run_id.is_some() && self.phase.holds_resources())
    }

    /// How many steps have their change in place.
    pub fn done(&self) -> usize {
        self.steps.iter().filter(|s| s.status == StepStatus::Done).count()
    }

    /// Folds one engine event into the view.
    pub fn apply_event(&mut self, event: ApplyEvent) {
        let ms = |ms| Some(Duration::from_millis(ms));
        match event {
            ApplyEvent::RunStarted { run_id, .. } => {
                self.run_id = Some(run_id);
                self.phase = RunPhase::Applying;
            }
            ApplyEvent::StepStarted { step } => {
                self.set(step, StepStatus::Running, None, Some(Instant::now()));
                self.set_note(step, None);
            }
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
            ApplyEvent::StepAlreadyDone { step, summary } => {
                self.set(step, StepStatus::Done, Some(summary), None);
                if !self.steps.get(step).is_some_and(|v| v.reconciled) {
                    self.set_note(step, Some("done earlier in this run: not repeated".into()));
                }
            }
            ApplyEvent::StepReconciled { step, made, note, .. } => {
                if let Some(view) = self.steps.get_mut(step) {
                    view.status = match (made, view.status) {
                        (true, _) => StepStatus::Done,
                        (false, StepStatus::Failed) => StepStatus::Failed,
                        // Interrupted before its answer, and not made: it runs again on resume.
                        (false, _) => StepStatus::Pending,
                    };
                    view.note = Some(note);
                    view.reconciled = true;
                }
            }
            ApplyEvent::RunFinished { outcome, journal } => {
                let next = (0..self.steps.len()).find(|i| !journal.entries.iter().any(|e| e.step == *i)).unwrap_or(0);
                self.journal = Some(journal);
                self.phase = match outcome {
                    RunOutcome::Applied => RunPhase::Applied,
                    RunOutcome::Failed { step, reason } => RunPhase::Failed { step, reason },
                    RunOutcome::Cancelled { step } => RunPhase::Cancelled { step },
                    RunOutcome::Refused { reasons } => RunPhase::Refused { reasons },
                    // The run still holds what it made: to roll back, or continue later.
                    RunOutcome::ResumeRefused { reasons } => {
                        RunPhase::Failed { step: next, reason: format!("not continued: {}", reasons.join("; ")) }
                    }
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
                view.elapsed = Some(started.elapsed());
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

    fn set_note(&mut self, step: usize, note: Option<String>) {
        if let Some(view) = self.steps.get_mut(step) {
            view.note = note;
            view.reconciled = false;
        }
    }

    fn set_elapsed(&mut self, step: usize, elapsed: Option<Duration>) {
        if let Some(view) = self.steps.get_mut(step) {
            view.elapsed = elapsed;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::apply::{Journal, JournalEntry};
    use crate::plan::{Action, ActionOutput, PlanHeader, Step};

    fn plan() -> Plan {
        let header = PlanHeader {
            service_name: "s".into(),
            source_instance_id: "i-1".into(),
            account_id: "1".into(),
            region: "r".into(),
        };
        let step = |id: &str| Step {
            id: id.into(),
            action: Action::CreateEcrRepository { name: id.into(), tags: Vec::new() },
        };
        Plan::new(header, vec![step("a"), step("b")], Vec::new(), Default::default())
    }

    fn refused(entries: Vec<JournalEntry>) -> RunPhase {
        let mut view = RunView::new(plan(), Vec::new(), CancelFlag::default());
        let reasons = vec!["subnet gone".to_string()];
        let outcome =
            if entries.is_empty() { RunOutcome::Refused { reasons } } else { RunOutcome::ResumeRefused { reasons } };
        let journal = Journal { run_id: "r".into(), plan_hash: String::new(), entries };
        view.apply_event(ApplyEvent::RunFinished { outcome, journal });
        view.phase
    }

    #[test]
    fn a_refused_resume_stays_a_run_to_roll_back() {
        assert_eq!(refused(Vec::new()), RunPhase::Refused { reasons: vec!["subnet gone".into()] });
        let made = JournalEntry {
            step: 0,
            step_id: "a".into(),
            action: Action::CreateEcrRepository { name: "a".into(), tags: Vec::new() },
            output: ActionOutput::new("made"),
        };
        let phase = refused(vec![made]);
        assert_eq!(phase, RunPhase::Failed { step: 1, reason: "not continued: subnet gone".into() });
        assert!(phase.can_roll_back());
    }
}
