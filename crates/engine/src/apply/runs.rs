//! What a run's journal says: which steps made their change, which call is in doubt, and
//! how the run ended (or that it did not). `ferry runs`, resume and rollback all start here.

use std::collections::BTreeMap;
use std::path::Path;

use serde::Serialize;

use super::life::RunStatus;
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
    /// The last undo outcome of each step a rollback reached: `None` undone, `Some(error)`
    /// failed.
    pub undo_results: BTreeMap<usize, Option<String>>,
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
        undo_results: replayed.undo_results,
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
    undo_results: BTreeMap<usize, Option<String>>,
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
            undo_results: BTreeMap::new(),
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
                self.undo_results.insert(*step, error.clone());
                if error.is_none() {
                    self.undone.insert(*step);
                }
            }
            Record::RollbackFinished { outcome, .. } => {
                self.rolled_back = Some(outcome.clone());
                self.undoing = false;
            }
            // Where the audit log stood: for `ferry audit verify`, not for the run's state.
            // What a failed step put back changes nothing a resume or a rollback reads: the step
            // stays failed, and undoing its stage's weights returns them the same way again.
            Record::Started { .. } | Record::Audited { .. } | Record::Compensated { .. } => {}
        }
    }

    /// Where the run stands: a rollback, begun or ended, outranks how the last apply ended.
    fn status(&self) -> RunStatus {
        if self.undoing {
            return RunStatus::RollbackInterrupted;
        }
        if let Some(outcome) = &self.rolled_back {
            return RunStatus::after_rollback(outcome);
        }
        match &self.finished {
            // Never journaled: a refused resume leaves the run's records as they were.
            None | Some(RunOutcome::ResumeRefused { .. }) => RunStatus::Interrupted,
            Some(outcome) => RunStatus::after_apply(outcome, self.next_step()),
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
    journal_paths(dir).iter().map(|path| load_run(path)).collect()
}

/// The run journals in `dir`, newest first: the `.jsonl` files beside them that journal an old
/// stack's removals are not runs.
fn journal_paths(dir: &Path) -> Vec<std::path::PathBuf> {
    let Ok(entries) = std::fs::read_dir(dir) else { return Vec::new() };
    let mut paths: Vec<_> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "jsonl"))
        .filter(|p| !p.file_stem().is_some_and(|s| s.to_string_lossy().ends_with(".decommission")))
        .collect();
    paths.sort();
    paths.reverse();
    paths
}

/// Forgets the runs of `target` in `dir`, with the removals journaled for their old stacks:
/// for a sandbox account started again from its scenario, where nothing they made exists any
/// more. A run another process is carrying out, or a journal that cannot be read, is kept.
/// Returns how many runs were forgotten.
pub fn forget_runs(dir: &Path, target: &super::Target) -> std::io::Result<usize> {
    let mut forgotten = 0;
    for path in journal_paths(dir) {
        let Ok(state) = load_run(&path) else { continue };
        if state.target != *target || state.status == RunStatus::InProgress {
            continue;
        }
        std::fs::remove_file(&path)?;
        let removals = dir.join(format!("{}.decommission.jsonl", state.run_id));
        match std::fs::remove_file(&removals) {
            Err(error) if error.kind() != std::io::ErrorKind::NotFound => return Err(error),
            _ => {}
        }
        forgotten += 1;
    }
    Ok(forgotten)
}

/// Reads one journal, marking the run in progress when another process holds its lock.
pub fn load_run(path: &Path) -> Result<RunState, RunLogError> {
    let mut state = replay(&read_records(path)?);
    if (state.status == RunStatus::Interrupted || state.status == RunStatus::RollbackInterrupted) && held(path) {
        state.status = RunStatus::InProgress;
    }
    Ok(state)
}

/// Whether a process holds the journal's lock. A lock held for an instant is not a run in
/// progress: a process that spawns a child while it has the journal open shares the lock with
/// the child until the child's program starts, so a lock is asked for a few times before it
/// counts as held.
fn held(path: &Path) -> bool {
    const ASKS: u32 = 4;
    for ask in 1..=ASKS {
        let free = std::fs::File::open(path).map(|f| f.try_lock_shared().is_ok()).unwrap_or(true);
        if free {
            return false;
        }
        if ask < ASKS {
            std::thread::sleep(std::time::Duration::from_millis(25));
        }
    }
    true
}

/// The runs an earlier process left that may still hold resources, and the journals that
/// could not be read (one of them may be such a run).
#[derive(Debug, Clone, Default)]
pub struct LeftRuns {
    /// Newest first.
    pub runs: Vec<RunState>,
    /// Why each unreadable journal could not be read.
    pub unreadable: Vec<String>,
}

/// Every run in `dir` on `target` (the state folder keeps the runs of every account) that may
/// hold resources and that no process is working on, newest first: what a front end offers
/// to continue or roll back when it starts. Reads files: call it off a UI thread.
pub fn left_runs(dir: &Path, target: &Target) -> LeftRuns {
    let mut left = LeftRuns::default();
    for run in list_runs(dir) {
        match run {
            Ok(state) if &state.target != target => {}
            Ok(state) if state.status.may_hold_resources() && !state.status.is_busy() => left.runs.push(state),
            Ok(_) => {}
            Err(error) => left.unreadable.push(error.to_string()),
        }
    }
    left
}
