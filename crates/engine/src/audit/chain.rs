//! Reading a whole log back: every line, whether it is a record, and where the chain breaks.
//! The checks that see what the chain cannot (a cut-off tail, a recomputed chain) compare
//! what is read here with the run journals and with the anchored copy.

use std::fs::File;
use std::io::{BufRead, BufReader};
use std::path::Path;

use super::{AuditError, AuditRecord, BrokenRecord, GENESIS};

/// A log as read from its file.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Chain {
    /// One entry per line, in order: `None` where a line is not a record.
    pub lines: Vec<Option<AuditRecord>>,
    /// The first place the chain is broken, if it is.
    pub broken: Option<BrokenRecord>,
}

impl Chain {
    /// The number of lines, which is the number of records in a whole log.
    pub fn len(&self) -> u64 {
        self.lines.len() as u64
    }

    /// Whether the file holds no line at all.
    pub fn is_empty(&self) -> bool {
        self.lines.is_empty()
    }

    /// The record on 1-based `line`, when that line is a record.
    pub fn record(&self, line: u64) -> Option<&AuditRecord> {
        let index = usize::try_from(line.checked_sub(1)?).ok()?;
        self.lines.get(index)?.as_ref()
    }
}

/// Reads every line of the log and checks each record's hash and its link to the one before.
/// `None` when there is no file.
pub fn read_chain(path: &Path) -> Result<Option<Chain>, AuditError> {
    let io = |source| AuditError::Io { path: path.to_path_buf(), source };
    let file = match File::open(path) {
        Ok(file) => file,
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(error) => return Err(io(error)),
    };
    let mut chain = Chain::default();
    let mut previous = Some(GENESIS.to_string());
    for (index, line) in BufReader::new(file).lines().enumerate() {
        let line = line.map_err(io)?;
        let (record, problem) = check_line(&line, previous.as_deref());
        if chain.broken.is_none()
            && let Some(reason) = problem
        {
            chain.broken = Some(BrokenRecord { line: index + 1, reason });
        }
        // After a line that is no record, the next link cannot be judged; the first break is
        // what `verify` reports, and later lines are still read for the other checks.
        previous = record.as_ref().map(|r| r.hash.clone());
        chain.lines.push(record);
    }
    Ok(Some(chain))
}

/// The record on a line, and what is wrong with it given the hash of the record before
/// (`None` when that line was no record).
fn check_line(line: &str, previous: Option<&str>) -> (Option<AuditRecord>, Option<String>) {
    if line.trim().is_empty() {
        return (None, Some("an empty line where a record should be".into()));
    }
    let record: AuditRecord = match serde_json::from_str(line) {
        Ok(record) => record,
        Err(error) => return (None, Some(format!("not a record ({error})"))),
    };
    if let Some(previous) = previous
        && record.prev_hash != previous
    {
        let reason = format!(
            "it follows {} but the record before it is {}: a record was removed, inserted or reordered",
            short_hash(&record.prev_hash),
            short_hash(previous)
        );
        return (Some(record), Some(reason));
    }
    let actual = record.content_hash();
    if record.hash != actual {
        let reason = format!(
            "its content hashes to {} but it says {}: it was changed after it was written",
            short_hash(&actual),
            short_hash(&record.hash)
        );
        return (Some(record), Some(reason));
    }
    (Some(record), None)
}

/// Checks every record's hash and its link to the one before; the number of records when the
/// chain is whole.
pub fn verify(path: &Path) -> Result<Result<usize, BrokenRecord>, AuditError> {
    let chain = read_chain(path)?.ok_or_else(|| AuditError::Io {
        path: path.to_path_buf(),
        source: std::io::Error::new(std::io::ErrorKind::NotFound, "no such file"),
    })?;
    Ok(match chain.broken {
        Some(broken) => Err(broken),
        None => Ok(chain.lines.len()),
    })
}

/// The first 12 digits of a hash, as messages show it.
pub fn short_hash(hash: &str) -> &str {
    hash.get(..12).unwrap_or(hash)
}
