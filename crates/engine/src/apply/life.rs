//! A run's life, ruled here once: where it stands, how each event moves it, and what can be
//! done with it next. The wizard, `ferry runs` and every other front end read these answers;
//! none of them decides for itself whether a run may be continued or rolled back.

use serde::Serialize;

use super::{ApplyEvent, RollbackOutcome, RunOutcome};

/// Where a run stands, as its journal and its lock tell it, or as the events of the work under
/// way in this process move it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "status", rename_all = "kebab-case")]
pub enum RunStatus {
    /// Another process holds the run's lock.
    InProgress,
    /// This process is applying (or resuming) the run.
    Applying,
    /// This process is rolling the run back.
    RollingBack,
    /// The process stopped without finishing: resume it or roll it back.
    Interrupted,
    /// Every step of the plan is done.
    Applied,
    /// The last apply stopped at a failed step: resume it or roll it back.
    Failed {
        /// 0-based plan index of the failed step.
        step: usize,
        /// What went wrong, as the run reported it.
        reason: String,
    },
    /// The operator stopped the last apply: resume it or roll it back.
    Cancelled {
        /// 0-based plan index of the first step not done.
        step: usize,
    },
    /// Apply refused to start (drift, preflight): nothing was changed.
    Refused {
        /// Why, one sentence each.
        reasons: Vec<String>,
    },
    /// A rollback undid everything that was still the run's.
    RolledBack,
    /// A rollback finished with undos that failed: roll back again once the cause is fixed.
    RollbackIncomplete {
        /// What could not be undone, one message each.
        failures: Vec<String>,
    },
    /// A rollback stopped part way: roll back again.
    RollbackInterrupted,
}

/// Something a front end may offer to do with a run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum NextMove {
    /// Continue from the first step not done.
    Resume,
    /// Undo what the run made, newest first.
    RollBack,
    /// The run is being applied here: stop it after the current step, then roll it back
    /// (`RunControl::stop_then_roll_back`).
    StopThenRollBack,
    /// Someone is working on the run: wait for them to finish.
    Wait,
}

impl RunStatus {
    /// A few words for `ferry runs` and messages, steps numbered from 1 (`failed at step 3`).
    pub fn label(&self) -> String {
        match self {
            RunStatus::InProgress => "in progress".into(),
            RunStatus::Applying => "applying".into(),
            RunStatus::RollingBack => "rolling back".into(),
            RunStatus::Interrupted => "interrupted".into(),
            RunStatus::Applied => "applied".into(),
            RunStatus::Failed { step, .. } => format!("failed at step {}", step + 1),
            RunStatus::Cancelled { step } => format!("stopped before step {}", step + 1),
            RunStatus::Refused { .. } => "refused (nothing changed)".into(),
            RunStatus::RolledBack => "rolled back".into(),
            RunStatus::RollbackIncomplete { .. } => "rollback incomplete".into(),
            RunStatus::RollbackInterrupted => "rollback interrupted".into(),
        }
    }

    /// What can be done with the run now, most likely first. Empty when nothing can: it is
    /// rolled back, or it never changed anything.
    pub fn next_moves(&self) -> &'static [NextMove] {
        use NextMove::*;
        match self {
            RunStatus::InProgress | RunStatus::RollingBack => &[Wait],
            RunStatus::Applying => &[Wait, StopThenRollBack],
            RunStatus::Interrupted | RunStatus::Failed { .. } | RunStatus::Cancelled { .. } => &[Resume, RollBack],
            RunStatus::Applied | RunStatus::RollbackIncomplete { .. } | RunStatus::RollbackInterrupted => &[RollBack],
            RunStatus::Refused { .. } | RunStatus::RolledBack => &[],
        }
    }

    /// Whether apply can continue this run where it stopped.
    pub fn can_resume(&self) -> bool {
        self.next_moves().contains(&NextMove::Resume)
    }

    /// Whether a rollback can start now.
    pub fn can_roll_back(&self) -> bool {
        self.next_moves().contains(&NextMove::RollBack)
    }

    /// Whether someone is working on the run (quitting now walks away from it).
    pub fn is_busy(&self) -> bool {
        self.next_moves().contains(&NextMove::Wait)
    }

    /// Whether something the run made may still be in the account.
    pub fn may_hold_resources(&self) -> bool {
        !matches!(self, RunStatus::RolledBack | RunStatus::Refused { .. })
    }

    /// Where a run stands once an apply ended with `outcome`. `next_step` is the first step
    /// not done, where a refused resume leaves the run.
    pub fn after_apply(outcome: &RunOutcome, next_step: usize) -> RunStatus {
        match outcome {
            RunOutcome::Applied => RunStatus::Applied,
            RunOutcome::Failed { step, reason } => RunStatus::Failed { step: *step, reason: reason.clone() },
            RunOutcome::Cancelled { step } => RunStatus::Cancelled { step: *step },
            RunOutcome::Refused { reasons } => RunStatus::Refused { reasons: reasons.clone() },
            // The run still holds what it made: to roll back, or to continue once fixed.
            RunOutcome::ResumeRefused { reasons } => {
                RunStatus::Failed { step: next_step, reason: format!("not continued: {}", reasons.join("; ")) }
            }
        }
    }

    /// Where a run stands once a rollback ended with `outcome`.
    pub fn after_rollback(outcome: &RollbackOutcome) -> RunStatus {
        match outcome {
            RollbackOutcome::RolledBack => RunStatus::RolledBack,
            RollbackOutcome::Incomplete { failures } => RunStatus::RollbackIncomplete { failures: failures.clone() },
        }
    }

    /// Where the run stands after `event`; `None` when the event does not move it. `steps` is
    /// the number of steps in the plan.
    pub fn after(event: &ApplyEvent, steps: usize) -> Option<RunStatus> {
        Some(match event {
            ApplyEvent::RunStarted { .. } => RunStatus::Applying,
            ApplyEvent::RunFinished { outcome, journal } => {
                let next = (0..steps).find(|i| !journal.entries.iter().any(|e| e.step == *i)).unwrap_or(0);
                RunStatus::after_apply(outcome, next)
            }
            ApplyEvent::RollbackStarted { .. } => RunStatus::RollingBack,
            ApplyEvent::RollbackFinished { outcome } => RunStatus::after_rollback(outcome),
            _ => return None,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::apply::{Journal, JournalEntry};
    use crate::plan::{Action, ActionOutput};

    fn finished(outcome: RunOutcome, done: &[usize]) -> RunStatus {
        let entry = |step: usize| JournalEntry {
            step,
            step_id: format!("s{step}"),
            action: Action::CreateEcrRepository { name: "r".into(), tags: Vec::new() },
            output: ActionOutput::new("made"),
        };
        let journal =
            Journal { run_id: "r".into(), plan_hash: String::new(), entries: done.iter().map(|s| entry(*s)).collect() };
        RunStatus::after(&ApplyEvent::RunFinished { outcome, journal }, 3).unwrap()
    }

    #[test]
    fn a_refused_resume_stays_a_run_to_roll_back_or_continue() {
        let reasons = vec!["subnet gone".to_string()];
        let fresh = finished(RunOutcome::Refused { reasons: reasons.clone() }, &[]);
        assert_eq!(fresh.next_moves(), &[] as &[NextMove]);
        let resumed = finished(RunOutcome::ResumeRefused { reasons }, &[0]);
        assert_eq!(resumed, RunStatus::Failed { step: 1, reason: "not continued: subnet gone".into() });
        assert_eq!(resumed.next_moves(), &[NextMove::Resume, NextMove::RollBack]);
    }

    #[test]
    fn only_finished_runs_offer_a_rollback_and_only_stopped_ones_a_resume() {
        assert!(RunStatus::Applied.can_roll_back() && !RunStatus::Applied.can_resume());
        assert!(RunStatus::Interrupted.can_resume() && RunStatus::Interrupted.can_roll_back());
        assert!(RunStatus::Applying.is_busy() && !RunStatus::Applying.can_roll_back());
        assert!(RunStatus::Applying.next_moves().contains(&NextMove::StopThenRollBack));
        assert!(RunStatus::InProgress.is_busy() && RunStatus::InProgress.next_moves() == [NextMove::Wait]);
        assert!(!RunStatus::RolledBack.may_hold_resources() && RunStatus::RolledBack.next_moves().is_empty());
        let incomplete = RunStatus::after_rollback(&RollbackOutcome::Incomplete { failures: vec!["x".into()] });
        assert_eq!(incomplete.next_moves(), &[NextMove::RollBack]);
    }
}
