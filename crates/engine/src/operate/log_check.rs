//! `ferry audit verify`'s checks, for any front end: the log's own chain, then every run
//! journal's checkpoints against it, then (when asked) the copy kept by the anchor.
//!
//! The chain catches a record changed, removed or moved inside the file. It cannot see records
//! cut from the end, an emptied or deleted file, or a chain recomputed from a true one: the
//! journals (which say how far the log had grown, and the hash it had there) and the anchor can.

use std::path::{Path, PathBuf};

use crate::apply::{Record, read_records};
use crate::audit::{self, AnchorError, AuditAnchor, AuditError, Chain, Comparison, short_hash};

/// What verification found, problems first.
#[derive(Debug, Clone, Default)]
pub struct LogCheck {
    /// The log checked.
    pub path: PathBuf,
    /// The log as read; `None` when there is no file.
    pub chain: Option<Chain>,
    /// Run journals read.
    pub journals: usize,
    /// Checkpoints (`Record::Audited`) in them.
    pub checkpoints: usize,
    /// Anything here means the log cannot be relied on.
    pub problems: Vec<String>,
    /// What is worth knowing and proves nothing wrong.
    pub notes: Vec<String>,
}

impl LogCheck {
    /// Compares the log with the anchor's copy, adding what differs to the problems.
    pub async fn against(&mut self, anchor: &dyn AuditAnchor) -> Result<Comparison, AnchorError> {
        let events = anchor.read().await?;
        let comparison = audit::compare(self.chain.as_ref().unwrap_or(&Chain::default()), &events);
        self.problems.extend(comparison.problems.iter().map(|p| format!("{}: {p}", anchor.describe())));
        self.notes.extend(comparison.notes.iter().cloned());
        Ok(comparison)
    }
}

/// Reads the log at `path`, checks its chain, and checks it against every journal in `runs_dir`.
pub fn check_log(path: &Path, runs_dir: &Path) -> Result<LogCheck, AuditError> {
    let mut check = LogCheck { path: path.to_path_buf(), chain: audit::read_chain(path)?, ..LogCheck::default() };
    if let Some(broken) = check.chain.as_ref().and_then(|c| c.broken.clone()) {
        check.problems.push(broken.to_string());
    }
    for journal in journal_files(runs_dir) {
        match read_records(&journal) {
            Ok(records) => check_journal(&mut check, &records),
            Err(error) => check.problems.push(format!("{error}: its checkpoints cannot be compared with the log")),
        }
    }
    Ok(check)
}

/// Every journal file in the folder, in name (so start time) order.
fn journal_files(runs_dir: &Path) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(runs_dir) else { return Vec::new() };
    let mut files: Vec<PathBuf> = entries
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .filter(|path| path.extension().is_some_and(|ext| ext == "jsonl"))
        .collect();
    files.sort();
    files
}

/// One run's checkpoints against the log: the first that does not hold is the problem.
fn check_journal(check: &mut LogCheck, records: &[Record]) {
    check.journals += 1;
    let Some(Record::Started { run_id, .. }) = records.first() else { return };
    let checkpoints: Vec<(u64, &str)> = records
        .iter()
        .filter_map(|record| match record {
            Record::Audited { records, hash, .. } => Some((*records, hash.as_str())),
            _ => None,
        })
        .collect();
    check.checkpoints += checkpoints.len();
    let path = check.path.display().to_string();
    let found = check.chain.as_ref().map_or(0, Chain::len);
    let reached = checkpoints.iter().map(|(line, _)| *line).max();
    let problem = match (&check.chain, reached) {
        (None, Some(reached)) => Some(format!(
            "run {run_id}: its journal says the audit log reached {reached} records, but there is no audit log at {path}"
        )),
        (None, None) => Some(format!("run {run_id} is journaled, but there is no audit log at {path}")),
        (Some(chain), None) if chain.is_empty() => {
            Some(format!("run {run_id} is journaled, but the audit log at {path} is empty"))
        }
        (Some(_), None) => {
            check.notes.push(format!(
                "run {run_id} has no audit checkpoints (journaled by an older ferry): not cross-checked"
            ));
            None
        }
        (Some(_), Some(reached)) if reached > found => Some(format!(
            "run {run_id}: its journal says the audit log reached {reached} records, but it has {found}: records {}-{reached} were removed from its end",
            found + 1
        )),
        (Some(chain), Some(_)) => rewritten(run_id, chain, &checkpoints),
    };
    check.problems.extend(problem);
}

/// The first checkpoint whose line no longer has the hash the run saw there.
fn rewritten(run_id: &str, chain: &Chain, checkpoints: &[(u64, &str)]) -> Option<String> {
    let mut last_good = None;
    for (line, hash) in checkpoints {
        let found = chain.record(*line).map(|r| r.hash.as_str());
        if found == Some(*hash) {
            last_good = Some(*line);
            continue;
        }
        let found = found.map_or("no record".to_string(), |h| format!("hash {}", short_hash(h)));
        let since = match last_good {
            Some(good) if good + 1 == *line => format!("at record {line}"),
            Some(good) if good < *line => format!("between records {} and {line}", good + 1),
            _ => format!("at or before record {line}"),
        };
        return Some(format!(
            "run {run_id}: its journal says record {line} has hash {}, but the log has {found} there: it was rewritten {since}",
            short_hash(hash)
        ));
    }
    None
}
