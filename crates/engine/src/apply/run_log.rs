//! The journal of one run, as a file: an intent record fsync'd before every call and an
//! outcome record after it. Whatever kills the process (kill -9, a lost network, a closed
//! laptop), the file says which call may have been in flight, and `replay` rebuilds the run.
//!
//! A run holds an exclusive lock on its file while it works, so another process can tell a
//! run in progress from one that was interrupted (the kernel drops the lock with the process).

use std::fs::{File, OpenOptions};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use serde::{Deserialize, Serialize};
use thiserror::Error;

use super::{RollbackOutcome, RunOutcome};
use crate::plan::{Action, ActionOutput, Approved, Override, Plan};

/// How to reach the account again, so `ferry rollback RUN_ID` needs no other flags.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "backend", rename_all = "kebab-case")]
pub enum Target {
    /// A sandbox scenario (bundled name or file), its account kept in the state folder.
    Sandbox {
        /// The bundled scenario's name, or the path of a scenario file.
        scenario: String,
    },
    /// AWS as the CLI reaches it; unset fields came from the environment.
    Aws {
        /// The named profile given with `--profile`.
        profile: Option<String>,
        /// The region given with `--region`, e.g. `eu-west-1`.
        region: Option<String>,
        /// An endpoint that takes every call in AWS's place (`--endpoint-url`), e.g. an emulator.
        endpoint_url: Option<String>,
    },
    /// An account only this process can reach (tests, embedding): cannot be reopened.
    InProcess,
}

/// One line of a run's journal file (`RUN_ID.jsonl`), tagged by `record`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "record", rename_all = "kebab-case")]
pub enum Record {
    /// Always the first record: who started the run, against which account, and the approved
    /// plan it carries out.
    Started {
        /// The run's id; the journal file is named after it.
        run_id: String,
        /// When the run started: RFC 3339, UTC, to the millisecond.
        time: String,
        /// Who started the run: the STS caller ARN (empty for a run kept in process).
        operator: String,
        /// How to reach the account again to resume or roll back.
        target: Target,
        /// The approved plan in full: resume and rollback read it from here, not from a plan file.
        plan: Box<Plan>,
        /// The denies overridden at approval, with their reasons: approval is checked again with
        /// them whenever apply starts.
        overrides: Vec<Override>,
    },
    /// Written and synced before the call: from here until its outcome, the step is in doubt.
    Intent {
        /// 0-based plan index of the step.
        step: usize,
        /// The step's id in the plan.
        step_id: String,
        /// The action as sent: placeholders filled.
        action: Action,
        /// When the record was written: RFC 3339, UTC, to the millisecond.
        time: String,
    },
    /// Written after the call answers. A failure leaves the step in doubt: the call may have
    /// made its change anyway, until a `Reconciled` record decides.
    Outcome {
        /// 0-based plan index of the step.
        step: usize,
        /// What the call returned, or its error.
        result: StepResult,
        /// Milliseconds from the step's start to the answer.
        elapsed_ms: u64,
        /// When the record was written: RFC 3339, UTC, to the millisecond.
        time: String,
    },
    /// What looking the step's resource up found, for a step whose call failed, timed out or
    /// never answered: `output` is `Some` when the change was made after all.
    Reconciled {
        /// 0-based plan index of the step.
        step: usize,
        /// What was found, when the change exists and is the run's own.
        output: Option<ActionOutput>,
        /// What the lookup found, in a sentence for the operator.
        note: String,
        /// When the record was written: RFC 3339, UTC, to the millisecond.
        time: String,
    },
    /// A change of this run the journal had no record of (a lookup missed it once), found at
    /// rollback by its name and `ferry:run-id` tag: undone like any other.
    Found {
        /// 0-based plan index of the create step that made it.
        step: usize,
        /// The step's id in the plan.
        step_id: String,
        /// The create action, filled in as it was looked up.
        action: Action,
        /// What the lookup returned: the ids the undo needs.
        output: ActionOutput,
        /// When the record was written: RFC 3339, UTC, to the millisecond.
        time: String,
    },
    /// An apply picks the run up again after passing its checks: the outcome journaled before
    /// no longer holds.
    Resumed {
        /// When the record was written: RFC 3339, UTC, to the millisecond.
        time: String,
    },
    /// How an apply ended. A resume that is refused writes none: the run keeps its status.
    Finished {
        /// The apply's outcome; the last one journaled is the run's status.
        outcome: RunOutcome,
        /// When the record was written: RFC 3339, UTC, to the millisecond.
        time: String,
    },
    /// Written and synced before an undo's call, as `Intent` is before a step's: until a
    /// `RollbackFinished`, the rollback counts as interrupted.
    UndoIntent {
        /// 0-based plan index of the step being undone.
        step: usize,
        /// The undo action as sent.
        action: Action,
        /// When the record was written: RFC 3339, UTC, to the millisecond.
        time: String,
    },
    /// How an undo ended. Also written, without an error, for a resource left alone as gone or
    /// no longer the run's: either way the step is never undone again.
    UndoOutcome {
        /// 0-based plan index of the step being undone.
        step: usize,
        /// `None` when the step counts as undone; otherwise the undo's verb, target and error.
        error: Option<String>,
        /// When the record was written: RFC 3339, UTC, to the millisecond.
        time: String,
    },
    /// What a failed step put back at once (a failed gate's traffic returned to the old stack),
    /// after the step's own `Outcome`.
    Compensated {
        /// 0-based plan index of the failed step.
        step: usize,
        /// The action carried out.
        action: Action,
        /// `None` when it succeeded; otherwise what went wrong.
        error: Option<String>,
        /// When the record was written: RFC 3339, UTC, to the millisecond.
        time: String,
    },
    /// How a rollback ended: the run's status from here on.
    RollbackFinished {
        /// Whether everything was undone.
        outcome: RollbackOutcome,
        /// When the record was written: RFC 3339, UTC, to the millisecond.
        time: String,
    },
    /// Written after each audit record this run appends: the audit log then held `records`
    /// lines, the last hashing to `hash`. A log later found shorter, or with another hash on
    /// that line, was cut or rewritten (`ferry audit verify`). It changes nothing in the run.
    Audited {
        /// How many lines the audit log held once the record was written: its 1-based line.
        records: u64,
        /// That audit record's `hash` (sha256, hex).
        hash: String,
        /// When the record was written: RFC 3339, UTC, to the millisecond.
        time: String,
    },
}

/// What a step's call answered, as an `Outcome` record holds it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "status", rename_all = "kebab-case")]
pub enum StepResult {
    /// The call made its change.
    Done {
        /// The ids and ARNs it returned, and its summary.
        output: ActionOutput,
    },
    /// The call failed or did not answer in time: the change may still have been made.
    Failed {
        /// The error, as shown to the operator.
        error: String,
    },
}

/// Why a run journal could not be created, opened, read or written.
#[derive(Debug, Error)]
pub enum RunLogError {
    /// The journal file or its folder could not be created, or a record could not be written and
    /// synced.
    #[error("cannot write the run journal {path}: {source}")]
    Write {
        /// The journal file.
        path: PathBuf,
        /// What the system reported.
        source: std::io::Error,
    },
    /// The journal file could not be opened, read or locked.
    #[error("cannot read the run journal {path}: {source}")]
    Read {
        /// The journal file.
        path: PathBuf,
        /// What the system reported.
        source: std::io::Error,
    },
    /// A line is not a record, or the file does not start with this run's `Started` record.
    #[error("the run journal {path} is damaged at line {line}: {reason}")]
    Damaged {
        /// The journal file.
        path: PathBuf,
        /// 1-based number of the first bad line.
        line: usize,
        /// What is wrong with it.
        reason: String,
    },
    /// Another process holds the run's lock (it is applying or rolling the run back); holds
    /// the run's id.
    #[error("run {0} is still in progress in another ferry process")]
    Busy(String),
    /// No journal for this id in the runs folder, or the id is not one a journal file can have.
    #[error("no run {run_id} in {dir}: `ferry runs` lists them")]
    Unknown {
        /// The id asked for, control characters escaped.
        run_id: String,
        /// The runs folder looked in.
        dir: PathBuf,
    },
}

impl Record {
    /// Whether the record says something about the run itself: an audit checkpoint does not,
    /// so a journal holding only its start and checkpoints is a run that has not begun.
    pub fn is_progress(&self) -> bool {
        !matches!(self, Record::Audited { .. })
    }

    /// The first record of a run of `approved`.
    fn start(run_id: &str, operator: &str, target: Target, approved: &Approved) -> Record {
        Record::Started {
            run_id: run_id.to_string(),
            time: now(),
            operator: operator.to_string(),
            target,
            plan: Box::new(approved.plan().clone()),
            overrides: approved.overrides().to_vec(),
        }
    }
}

/// The time of a record, to the millisecond.
pub fn now() -> String {
    humantime::format_rfc3339_millis(std::time::SystemTime::now()).to_string()
}

/// An open journal. In memory when it has no file (tests and embedding without a state folder).
pub struct RunLog {
    run_id: String,
    path: Option<PathBuf>,
    file: Mutex<Option<File>>,
    records: Mutex<Vec<Record>>,
}

impl RunLog {
    /// Creates `dir/RUN_ID.jsonl` for a run of the approved plan, locks it and writes the
    /// first record. Only an `Approved` plan starts a run.
    pub fn create(
        dir: &Path,
        run_id: &str,
        operator: &str,
        target: Target,
        approved: &Approved,
    ) -> Result<RunLog, RunLogError> {
        RunLog::create_started(dir, Record::start(run_id, operator, target, approved))
    }

    fn create_started(dir: &Path, started: Record) -> Result<RunLog, RunLogError> {
        let Record::Started { run_id, .. } = &started else { unreachable!("a journal starts with its Started record") };
        let path = run_path(dir, run_id)?;
        let write_error = |source| RunLogError::Write { path: path.clone(), source };
        std::fs::create_dir_all(dir).map_err(write_error)?;
        let file = OpenOptions::new().create_new(true).append(true).open(&path).map_err(write_error)?;
        take_lock(&file, run_id, &path)?;
        let log = RunLog {
            run_id: run_id.clone(),
            path: Some(path),
            file: Mutex::new(Some(file)),
            records: Mutex::new(Vec::new()),
        };
        log.append(started)?;
        if let Ok(dir) = File::open(dir) {
            // The new file's name is durable only once its folder is synced.
            let _ = dir.sync_all();
        }
        Ok(log)
    }

    /// A journal that lives only in this process.
    fn in_memory(started: Record) -> RunLog {
        let Record::Started { run_id, .. } = &started else { unreachable!("a journal starts with its Started record") };
        RunLog { run_id: run_id.clone(), path: None, file: Mutex::new(None), records: Mutex::new(vec![started]) }
    }

    /// A run of an approved plan that lives only in this process (tests, embedding).
    pub fn in_memory_run(run_id: &str, approved: &Approved) -> RunLog {
        RunLog::in_memory(Record::start(run_id, "", Target::InProcess, approved))
    }

    /// Opens an existing run to resume or roll it back, taking its lock.
    pub fn open(dir: &Path, run_id: &str) -> Result<RunLog, RunLogError> {
        let path = run_path(dir, run_id)?;
        let file = OpenOptions::new().read(true).append(true).open(&path).map_err(|source| {
            if source.kind() == std::io::ErrorKind::NotFound {
                RunLogError::Unknown { run_id: run_id.to_string(), dir: dir.to_path_buf() }
            } else {
                RunLogError::Read { path: path.clone(), source }
            }
        })?;
        take_lock(&file, run_id, &path)?;
        drop_torn_tail(&file, &path)?;
        let records = read_records(&path)?;
        if let Some(Record::Started { run_id: recorded, .. }) = records.first()
            && recorded != run_id
        {
            return Err(RunLogError::Damaged {
                path,
                line: 1,
                reason: format!("it is the journal of run {recorded}, not {run_id}: was it renamed?"),
            });
        }
        Ok(RunLog {
            run_id: run_id.to_string(),
            path: Some(path),
            file: Mutex::new(Some(file)),
            records: Mutex::new(records),
        })
    }

    /// The id of the run this journal records.
    pub fn run_id(&self) -> &str {
        &self.run_id
    }

    /// The journal file; `None` for a run kept in memory.
    pub fn path(&self) -> Option<&Path> {
        self.path.as_deref()
    }

    /// Appends one record and syncs it to disk before returning. The record is kept in memory
    /// even when the file cannot take it, so this process still knows what it did; a write
    /// that fails part way is cut off again, so the file never holds half a line.
    pub fn append(&self, record: Record) -> Result<(), RunLogError> {
        let mut file = self.file.lock().unwrap_or_else(|p| p.into_inner());
        let written = match (file.as_mut(), &self.path) {
            (Some(file), Some(path)) => {
                let write_error = |source| RunLogError::Write { path: path.clone(), source };
                let mut line = serde_json::to_vec(&record).map_err(|e| write_error(std::io::Error::other(e)))?;
                line.push(b'\n');
                let length = file.metadata().map_err(write_error)?.len();
                file.write_all(&line).and_then(|()| file.sync_data()).map_err(|source| {
                    let _ = file.set_len(length);
                    write_error(source)
                })
            }
            _ => Ok(()),
        };
        self.records.lock().unwrap_or_else(|p| p.into_inner()).push(record);
        written
    }

    /// Every record so far, in order.
    pub fn records(&self) -> Vec<Record> {
        self.records.lock().unwrap_or_else(|p| p.into_inner()).clone()
    }
}

/// Takes the run's lock; only "someone else holds it" means busy. A child process forked while
/// this process had the journal open shares its lock until the child's program starts, so the
/// lock is asked for a few times before the run counts as busy.
fn take_lock(file: &File, run_id: &str, path: &Path) -> Result<(), RunLogError> {
    const ASKS: u32 = 4;
    for ask in 1..=ASKS {
        match file.try_lock() {
            Ok(()) => return Ok(()),
            Err(std::fs::TryLockError::WouldBlock) if ask < ASKS => {
                std::thread::sleep(std::time::Duration::from_millis(25));
            }
            Err(std::fs::TryLockError::WouldBlock) => return Err(RunLogError::Busy(run_id.to_string())),
            Err(std::fs::TryLockError::Error(source)) => {
                return Err(RunLogError::Read { path: path.to_path_buf(), source });
            }
        }
    }
    Err(RunLogError::Busy(run_id.to_string()))
}

/// Cuts a last line left unfinished by a crash mid-write, so the next record starts on a line
/// of its own instead of gluing onto the fragment and damaging the journal for good.
fn drop_torn_tail(file: &File, path: &Path) -> Result<(), RunLogError> {
    let text = std::fs::read(path).map_err(|source| RunLogError::Read { path: path.to_path_buf(), source })?;
    if text.is_empty() || text.ends_with(b"\n") {
        return Ok(());
    }
    let keep = text.iter().rposition(|b| *b == b'\n').map_or(0, |i| i + 1);
    file.set_len(keep as u64).map_err(|source| RunLogError::Write { path: path.to_path_buf(), source })
}

/// The journal file of `run_id`, refusing ids that would leave the folder.
fn run_path(dir: &Path, run_id: &str) -> Result<PathBuf, RunLogError> {
    let safe = !run_id.is_empty() && run_id.chars().all(|c| c.is_ascii_alphanumeric() || "-_.".contains(c));
    if !safe || run_id.starts_with('.') {
        return Err(RunLogError::Unknown { run_id: crate::text::escape_controls(run_id), dir: dir.to_path_buf() });
    }
    Ok(dir.join(format!("{run_id}.jsonl")))
}

/// Reads a journal. A last line cut short by a crash mid-write is dropped: its call was
/// never made (the intent is synced before any call) or its outcome is recovered by lookup.
pub fn read_records(path: &Path) -> Result<Vec<Record>, RunLogError> {
    let text =
        std::fs::read_to_string(path).map_err(|source| RunLogError::Read { path: path.to_path_buf(), source })?;
    let lines: Vec<&str> = text.lines().collect();
    let mut records = Vec::new();
    for (index, line) in lines.iter().enumerate() {
        match serde_json::from_str::<Record>(line) {
            Ok(record) => records.push(record),
            Err(_) if index + 1 == lines.len() && !text.ends_with('\n') => break,
            Err(error) => {
                return Err(RunLogError::Damaged {
                    path: path.to_path_buf(),
                    line: index + 1,
                    reason: error.to_string(),
                });
            }
        }
    }
    if !matches!(records.first(), Some(Record::Started { .. })) {
        return Err(RunLogError::Damaged {
            path: path.to_path_buf(),
            line: 1,
            reason: "it does not start with the run's start record".into(),
        });
    }
    Ok(records)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plan::PlanHeader;

    fn started(run_id: &str) -> Record {
        let header = PlanHeader {
            service_name: "s".into(),
            source_instance_id: "i-1".into(),
            account_id: "1".into(),
            region: "r".into(),
        };
        Record::Started {
            run_id: run_id.into(),
            time: now(),
            operator: "op".into(),
            target: Target::InProcess,
            plan: Box::new(Plan::new(header, Vec::new(), Vec::new(), Default::default())),
            overrides: Vec::new(),
        }
    }

    #[test]
    fn a_line_torn_by_a_crash_is_cut_before_the_next_record() {
        let dir = tempfile::tempdir().unwrap();
        let log = RunLog::create_started(dir.path(), started("20261125T000000Z-s-000000000001")).unwrap();
        drop(log);
        let path = dir.path().join("20261125T000000Z-s-000000000001.jsonl");
        let mut file = OpenOptions::new().append(true).open(&path).unwrap();
        file.write_all(b"{\"record\":\"intent\",\"step\":0,\"step_i").unwrap();
        drop(file);
        assert_eq!(read_records(&path).unwrap().len(), 1, "a torn last line is not a record");

        let log = RunLog::open(dir.path(), "20261125T000000Z-s-000000000001").unwrap();
        log.append(Record::Resumed { time: now() }).unwrap();
        drop(log);
        let records = read_records(&path).unwrap();
        assert_eq!(records.len(), 2, "the new record stands on a line of its own");
        assert!(matches!(records[1], Record::Resumed { .. }));
    }

    #[test]
    fn a_run_is_held_by_one_process_and_ids_stay_in_their_folder() {
        let dir = tempfile::tempdir().unwrap();
        let id = "20261125T000000Z-s-000000000002";
        let _held = RunLog::create_started(dir.path(), started(id)).unwrap();
        assert!(matches!(RunLog::open(dir.path(), id), Err(RunLogError::Busy(_))));
        for bad in ["../x", "a/b", "", ".hidden"] {
            assert!(matches!(RunLog::open(dir.path(), bad), Err(RunLogError::Unknown { .. })), "{bad}");
            assert!(RunLog::create_started(dir.path(), started(bad)).is_err(), "{bad}");
        }
    }
}
