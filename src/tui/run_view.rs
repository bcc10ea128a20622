//! What the Apply screen knows about a run, folded from `ApplyEvent`s, or rebuilt from a
//! journal a run left on disk.

use std::time::{Duration, Instant};

use crate::apply::{ApplyEvent, Journal, RunControl, RunState, RunStatus};
use crate::plan::{Override, Plan};

/// Which of the wizard's runs an event, a command or a box is about: the migration itself, or
/// one of the two plans that move its traffic afterwards.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Lane {
    /// The plan approved on the Plan step: the new service.
    Migration,
    /// The staged, health-gated move of the host names to the new service.
    Cutover,
    /// The last step of the move: plain records to the new service, the old ones gone.
    Finalize,
}

impl Lane {
    /// The lane in a sentence: "the cutover".
    pub fn noun(self) -> &'static str {
        match self {
            Lane::Migration => "the migration",
            Lane::Cutover => "the cutover",
            Lane::Finalize => "the finalize run",
        }
    }
}

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
    /// What the failed step puts back at once (a gate's traffic) did not all succeed.
    pub not_put_back: bool,
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
            not_put_back: false,
            started: None,
        }
    }
}

#[derive(Debug, Clone)]
pub struct RunView {
    pub plan: Plan,
    pub run_id: Option<String>,
    pub steps: Vec<StepView>,
    /// Where the run stands, as the engine rules it from the run's events.
    pub phase: RunStatus,
    /// The first step not done, where an interrupted run continues.
    pub next_step: usize,
    pub journal: Option<Journal>,
    /// Stops the run under way (and rolls it back, when asked).
    pub control: RunControl,
    /// The denies the approval overrode, with their reasons.
    pub overrides: Vec<Override>,
}

impl RunView {
    pub fn new(plan: Plan, overrides: Vec<Override>, control: RunControl) -> RunView {
        let steps = plan.steps.iter().map(|_| StepView::pending()).collect();
        RunView {
            plan,
            run_id: None,
            steps,
            phase: RunStatus::Applying,
            next_step: 0,
            journal: None,
            control,
            overrides,
        }
    }

    /// A run as its journal left it, each step as its last undo left it.
    pub fn from_state(state: &RunState) -> RunView {
        let mut view = RunView::new(state.plan.clone(), state.overrides.clone(), RunControl::new());
        view.run_id = Some(state.run_id.clone());
        view.journal = Some(state.journal.clone());
        view.phase = state.status.clone();
        view.next_step = state.next_step;
        for entry in &state.journal.entries {
            let (status, detail) = match state.undo_results.get(&entry.step) {
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
        self.phase.is_busy() || (self.run_id.is_some() && self.phase.may_hold_resources())
    }

    /// How many steps have their change in place.
    pub fn done(&self) -> usize {
        self.steps.iter().filter(|s| s.status == StepStatus::Done).count()
    }

    /// The step's result, saying so when a throttled call went through on its retry: the
    /// progress line that said it is replaced by the result.
    fn with_retries(&self, step: usize, summary: String) -> String {
        let detail = self.steps.get(step).and_then(|v| v.detail.as_deref());
        if detail.is_some_and(|d| d.ends_with(crate::cloud::sandbox::THROTTLING_ABSORBED)) {
            format!("{summary} · throttled once, retried")
        } else {
            summary
        }
    }
    /// Folds one engine event into the view; where the run stands after it is the engine's
    /// answer.
    pub fn apply_event(&mut self, event: ApplyEvent) {
        if let Some(status) = RunStatus::after(&event, self.steps.len()) {
            self.phase = status;
        }
        let ms = |ms| Some(Duration::from_millis(ms));
        match event {
            ApplyEvent::RunStarted { run_id, .. } => {
                self.run_id = Some(run_id);
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
                self.set(step, StepStatus::Done, Some(self.with_retries(step, summary)), None);
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
            ApplyEvent::RunFinished { journal, .. } => {
                self.journal = Some(journal);
            }
            ApplyEvent::StepCompensated { step, action, error, .. } => {
                let what = format!("{} {}", action.verb(), action.target());
                let note = match &error {
                    None => format!("{what}: done"),
                    Some(error) => format!("{what}: FAILED: {error}"),
                };
                if let Some(view) = self.steps.get_mut(step) {
                    view.not_put_back |= error.is_some();
                    view.note = Some(match view.note.take() {
                        Some(earlier) if !view.reconciled => format!("{earlier}; {note}"),
                        _ => note,
                    });
                    view.reconciled = false;
                }
            }
            ApplyEvent::RollbackStarted { .. } => {}
            ApplyEvent::UndoStarted { step } => self.set(step, StepStatus::Undoing, None, Some(Instant::now())),
            ApplyEvent::UndoDone { step, elapsed_ms } => {
                self.set(step, StepStatus::Undone, Some("undone".into()), None);
                self.set_elapsed(step, ms(elapsed_ms));
            }
            ApplyEvent::UndoFailed { step, error } => self.set(step, StepStatus::UndoFailed, Some(error), None),
            ApplyEvent::RollbackFinished { .. } => {
                // A step that left nothing behind (a wait) is not shown as still in place.
                for (view, step) in self.steps.iter_mut().zip(&self.plan.steps) {
                    if view.status == StepStatus::Done && !step.action.has_inverse() {
                        view.status = StepStatus::Undone;
                        view.detail = Some("nothing to undo".into());
                    }
                }
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
