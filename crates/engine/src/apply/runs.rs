//! What a run's journal says: which steps made their change, which call is in doubt, and
//! how the run ended (or that it did not). `ferry runs`, resume and rollback all start here.

use std::path::Path;

use serde::Serialize;

use super::run_log::{Record, RunLogError, StepResult, Target, read_records};
use super::{Journal, JournalEntry, RollbackOutcome, RunOutcome};
use crate::plan::{Action, Override, Plan};

/// A call that was sent and never answered, or answered with an error: it may have taken
/// effect. Looking its resource up decides.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct InDoubt {
    /// 0-based plan index of the step.
    pub step: usize,
    /// The step's id in the plan.
    pub step_id: String,
    /// The action as sent, placeholders filled: what the lookup looks for.
    pub action: Action,
}

/// Where a run stands, as its journal and its lock tell it: what `ferry runs` shows, and
/// what decides whether it can be resumed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "status", rename_all = "kebab-case")]
pub enum RunStatus {
    /// Another process holds the run's lock.
    InProgress,
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

impl RunStatus {
    /// A few words for `ferry runs` and messages, steps numbered from 1 (`failed at step 3`).
    pub fn label(&self) -> String {
        match self {
            RunStatus::InProgress => "in progress".into(),
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

    /// Whether something the run made may still be in the account.
    pub fn may_hold_resources(&self) -> bool {
        !matches!(self, RunStatus::RolledBack | RunStatus::Refused { .. })
    }

    /// Whether apply can continue this run where it stopped.
    pub fn can_resume(&self) -> bool {
        matches!(self, RunStatus::Interrupted | RunStatus::Failed { .. } | RunStatus::Cancelled { .. })
    }
}

/// A run as `replay` rebuilds it from its journal.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RunState {
    /// The run's id, which names its journal file.
    pub run_id: String,
    /// When the run started: RFC 3339, UTC, to the millisecond.
    pub started: String,
    /// Who started the run: the STS caller ARN (empty for a run kept in process).
    pub operator: String,
    /// How to reach the account again.
    pub target: Target,
    /// The approved plan the run carries out, as its journal holds it.
    pub plan: Plan,
    /// The denies overridden at approval, with their reasons.
    pub overrides: Vec<Override>,
    /// Steps whose change is made, in the order they were made.
    pub journal: Journal,
    /// Steps a rollback has already undone: never undone twice, since by then the name may
    /// belong to another run's resource.
    pub undone: std::collections::BTreeSet<usize>,
    /// A step whose intent is journaled with no successful outcome or reconcile after it: its
    /// call may have made its change. Looked up before the run is resumed or rolled back.
    pub in_doubt: Option<InDoubt>,
    /// Where the run stands.
    pub status: RunStatus,
    /// Where a resume continues: the first step not done.
    pub next_step: usize,
}

/// Rebuilds a run from its records (the first one is always `Started`).
pub fn replay(records: &[Record]) -> RunState {
    let Some(Record::Started { run_id, time, operator, target, plan, overrides }) = records.first() else {
        unreachable!("read_records and RunLog only hold journals that start with Started")
    };
    let journal = Journal { run_id: run_id.clone(), plan_hash: plan.hash.clone(), entries: Vec::new() };
    let mut replayed = Replayed::new(journal);
    for record in &records[1..] {
        replayed.record(record);
    }
    let status = replayed.status();
    let next_step = replayed.next_step();
    RunState {
        run_id: run_id.clone(),
        started: time.clone(),
        operator: operator.clone(),
        target: target.clone(),
        plan: (**plan).clone(),
        overrides: overrides.clone(),
        journal: replayed.journal,
        undone: replayed.undone,
        in_doubt: replayed.pending,
        status,
        next_step,
    }
}

/// What `replay` has gathered from the records read so far.
struct Replayed {
    journal: Journal,
    pending: Option<InDoubt>,
    finished: Option<RunOutcome>,
    rolled_back: Option<RollbackOutcome>,
    undoing: bool,
    undone: std::collections::BTreeSet<usize>,
}

impl Replayed {
    fn new(journal: Journal) -> Self {
        Replayed {
            journal,
            pending: None,
            finished: None,
            rolled_back: None,
            undoing: false,
            undone: std::collections::BTreeSet::new(),
        }
    }

    /// Takes in one record after `Started`.
    fn record(&mut self, record: &Record) {
        match record {
            Record::Intent { step, step_id, action, .. } => {
                self.pending = Some(InDoubt { step: *step, step_id: step_id.clone(), action: action.clone() });
            }
            Record::Outcome { step, result: StepResult::Done { output }, .. } => {
                if let Some(intent) = self.pending.take().filter(|p| p.step == *step) {
                    self.journal.entries.push(JournalEntry {
                        step: *step,
                        step_id: intent.step_id,
                        action: intent.action,
                        output: output.clone(),
                    });
                }
            }
            // A failed call may still have taken effect: in doubt until reconciled.
            Record::Outcome { result: StepResult::Failed { .. }, .. } => {}
            Record::Reconciled { step, output, .. } => {
                if let Some(intent) = self.pending.take().filter(|p| p.step == *step)
                    && let Some(output) = output
                {
                    self.journal.entries.push(JournalEntry {
                        step: *step,
                        step_id: intent.step_id,
                        action: intent.action,
                        output: output.clone(),
                    });
                }
            }
            Record::Found { step, step_id, action, output, .. } => {
                self.journal.entries.push(JournalEntry {
                    step: *step,
                    step_id: step_id.clone(),
                    action: action.clone(),
                    output: output.clone(),
                });
            }
            Record::Resumed { .. } => self.finished = None,
            Record::Finished { outcome, .. } => self.finished = Some(outcome.clone()),
            Record::UndoIntent { .. } => self.undoing = true,
            Record::UndoOutcome { step, error, .. } => {
                self.undoing = true;
                if error.is_none() {
                    self.undone.insert(*step);
                }
            }
            Record::RollbackFinished { outcome, .. } => {
                self.rolled_back = Some(outcome.clone());
                self.undoing = false;
            }
            // Where the audit log stood: for `ferry audit verify`, not for the run's state.
            Record::Started { .. } | Record::Audited { .. } => {}
        }
    }

    /// Where the run stands: a rollback, begun or ended, outranks how the last apply ended.
    fn status(&self) -> RunStatus {
        match (&self.rolled_back, self.undoing, &self.finished) {
            (_, true, _) => RunStatus::RollbackInterrupted,
            (Some(RollbackOutcome::RolledBack), ..) => RunStatus::RolledBack,
            (Some(RollbackOutcome::Incomplete { failures }), ..) => {
                RunStatus::RollbackIncomplete { failures: failures.clone() }
            }
            (None, false, Some(RunOutcome::Applied)) => RunStatus::Applied,
            (None, false, Some(RunOutcome::Failed { step, reason })) => {
                RunStatus::Failed { step: *step, reason: reason.clone() }
            }
            (None, false, Some(RunOutcome::Cancelled { step })) => RunStatus::Cancelled { step: *step },
            (None, false, Some(RunOutcome::Refused { reasons })) => RunStatus::Refused { reasons: reasons.clone() },
            // Never journaled: a refused resume leaves the run's records as they were.
            (None, false, Some(RunOutcome::ResumeRefused { .. })) => RunStatus::Interrupted,
            (None, false, None) => RunStatus::Interrupted,
        }
    }

    /// Where a resume continues: the step in doubt, else the step the last apply stopped at,
    /// else the one after the last step done.
    fn next_step(&self) -> usize {
        match &self.pending {
            Some(in_doubt) => in_doubt.step,
            None => match &self.finished {
                Some(RunOutcome::Failed { step, .. } | RunOutcome::Cancelled { step }) => *step,
                _ => self.journal.entries.iter().map(|e| e.step + 1).max().unwrap_or(0),
            },
        }
    }
}

/// Every run in `dir`, newest first. A journal that cannot be read is listed as an error
/// rather than hidden: it may be the one with resources left behind.
pub fn list_runs(dir: &Path) -> Vec<Result<RunState, RunLogError>> {
    let Ok(entries) = std::fs::read_dir(dir) else { return Vec::new() };
    let mut paths: Vec<_> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "jsonl"))
        .collect();
    paths.sort();
    paths.reverse();
    paths.iter().map(|path| load_run(path)).collect()
}

/// Reads one journal, marking the run in progress when another process holds its lock.
pub fn load_run(path: &Path) -> Result<RunState, RunLogError> {
    let mut state = replay(&read_records(path)?);
    if state.status == RunStatus::Interrupted || state.status == RunStatus::RollbackInterrupted {
        let busy = std::fs::File::open(path).map(|f| f.try_lock_shared().is_err()).unwrap_or(false);
        if busy {
            state.status = RunStatus::InProgress;
        }
    }
    Ok(state)
}
