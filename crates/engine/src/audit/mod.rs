//! The audit trail: one JSON line per call that changed (or tried to change) an account,
//! appended and fsync'd, each record carrying the previous record's hash and its own, so a
//! changed, removed or reordered line breaks the chain at the first record that was touched.
//!
//! Parameters pass through the same masking as user data before they are written: plans hold
//! no secret values by design, and the audit log does not rely on that alone.
//!
//! The chain alone cannot tell a log cut short from one that was never longer, nor a log
//! rewritten with every hash recomputed from a true one: `chain` reads a log back for the
//! checks that can (run journals, and a copy kept elsewhere through `anchor`).

mod anchor;
mod chain;

use std::fs::{File, OpenOptions};
use std::io::{BufRead, BufReader, Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

pub use anchor::{AnchorError, AnchorOpened, Anchored, AnchoredEvent, AuditAnchor, Comparison, compare};
pub use chain::{Chain, read_chain, short_hash, verify};

use serde::{Deserialize, Serialize};
use serde_json::Value;
use thiserror::Error;

/// The `prev_hash` of the first record.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// What happened, as the caller knows it; the log adds time and the chain.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditEntry {
    /// The run the record belongs to.
    pub run_id: String,
    /// Who acted: the STS caller ARN on AWS, the sandbox operator in a demo.
    pub operator: String,
    /// The action type (`create secret`) or a run event (`override deny check`).
    pub action: String,
    /// The action's parameters as JSON, or what a run event records (`Null` when nothing);
    /// secrets are masked when the record is written.
    pub parameters: Value,
    /// `ok`, `failed: reason`, `cancelled`...
    pub outcome: String,
    /// How long the call took, in milliseconds; 0 for an event that is not a call.
    pub duration_ms: u64,
}

/// One line of the log.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditRecord {
    /// RFC 3339, UTC.
    pub time: String,
    /// The run the record belongs to.
    pub run_id: String,
    /// Who acted, as `AuditEntry::operator` says.
    pub operator: String,
    /// What was done, as `AuditEntry::action` says.
    pub action: String,
    /// The entry's parameters, every secret in them masked.
    pub parameters: Value,
    /// The entry's outcome, masked as the parameters are.
    pub outcome: String,
    /// How long the call took, in milliseconds.
    pub duration_ms: u64,
    /// The `hash` of the record on the line before; `GENESIS` on the first line.
    pub prev_hash: String,
    /// sha256 of this record's canonical JSON without `hash`.
    pub hash: String,
}

impl AuditRecord {
    fn content_hash(&self) -> String {
        let mut unsealed = self.clone();
        unsealed.hash = String::new();
        // Fields serialize in declaration order and JSON objects as sorted maps: the same
        // record always gives the same bytes.
        crate::digest::sha256_hex(&serde_json::to_vec(&unsealed).unwrap_or_default())
    }
}

/// Why the audit log could not be opened, read or written.
#[derive(Debug, Error)]
pub enum AuditError {
    /// The log or its folder could not be created, read, locked, written or synced.
    #[error("audit log {path}: {source}")]
    Io {
        /// The audit log file.
        path: PathBuf,
        /// What the system reported.
        source: std::io::Error,
    },
    /// A line of the log is not a record, so nothing can be chained onto it.
    #[error(
        "the audit log {path} is damaged at line {line} ({reason}): run `ferry audit verify` and keep the file for review"
    )]
    Damaged {
        /// The audit log file.
        path: PathBuf,
        /// 1-based number of the first line that is not a record.
        line: usize,
        /// Why it does not read as a record.
        reason: String,
    },
}

/// Where verification found the chain broken.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[error("record {line} is broken: {reason}")]
pub struct BrokenRecord {
    /// 1-based line number in the file.
    pub line: usize,
    /// What is wrong there, with the short hashes involved.
    pub reason: String,
}

/// A record as written, with its place in the file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Appended {
    /// 1-based line number: the number of records in the file once this one was written.
    pub line: u64,
    /// The record as written, hash and all.
    pub record: AuditRecord,
}

/// An append-only audit log file.
pub struct AuditLog {
    path: PathBuf,
    last_hash: String,
    /// Lines in the file and its length in bytes when this process last read or wrote it:
    /// when the length is unchanged under the lock, no other process has appended since.
    lines: u64,
    length: u64,
}

impl AuditLog {
    /// Opens (or creates) the log; new records chain onto its last one.
    pub fn open(path: &Path) -> Result<AuditLog, AuditError> {
        let io = |source| AuditError::Io { path: path.to_path_buf(), source };
        if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
            std::fs::create_dir_all(parent).map_err(io)?;
        }
        let (mut last_hash, mut lines, mut length) = (GENESIS.to_string(), 0, 0);
        if path.exists() {
            let file = File::open(path).map_err(io)?;
            for (index, line) in BufReader::new(file).lines().enumerate() {
                let line = line.map_err(io)?;
                lines += 1;
                length += line.len() as u64 + 1;
                if line.trim().is_empty() {
                    continue;
                }
                let record: AuditRecord = serde_json::from_str(&line).map_err(|e| AuditError::Damaged {
                    path: path.to_path_buf(),
                    line: index + 1,
                    reason: e.to_string(),
                })?;
                last_hash = record.hash;
            }
        }
        Ok(AuditLog { path: path.to_path_buf(), last_hash, lines, length })
    }

    /// The file this log appends to.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Writes one record and syncs it to disk before returning; see `append_counted`.
    pub fn append(&mut self, entry: AuditEntry) -> Result<AuditRecord, AuditError> {
        self.append_counted(entry).map(|appended| appended.record)
    }

    /// Writes one record and syncs it to disk before returning, with its line number. The file
    /// is locked for the write and its last record and length read again under the lock, so two
    /// processes appending at once (a TUI session and a headless rollback) still make one chain
    /// and each knows where its records landed.
    pub fn append_counted(&mut self, entry: AuditEntry) -> Result<Appended, AuditError> {
        let io = |source| AuditError::Io { path: self.path.clone(), source };
        let mut file = OpenOptions::new().create(true).read(true).append(true).open(&self.path).map_err(io)?;
        file.lock().map_err(io)?;
        if let Some(last) = last_hash_of(&mut file).map_err(io)? {
            self.last_hash = last;
        }
        let length = file.seek(SeekFrom::End(0)).map_err(io)?;
        if length != self.length {
            // Another process wrote since: count again rather than guess.
            self.lines = count_lines(&mut file).map_err(io)?;
        }
        let mut record = AuditRecord {
            time: humantime::format_rfc3339_millis(std::time::SystemTime::now()).to_string(),
            run_id: entry.run_id,
            operator: entry.operator,
            action: entry.action,
            parameters: redacted(entry.parameters),
            outcome: crate::userdata::redact(&entry.outcome).text,
            duration_ms: entry.duration_ms,
            prev_hash: self.last_hash.clone(),
            hash: String::new(),
        };
        record.hash = record.content_hash();
        let mut line = serde_json::to_string(&record).map_err(|e| io(std::io::Error::other(e)))?;
        line.push('\n');
        file.write_all(line.as_bytes()).map_err(io)?;
        file.sync_all().map_err(io)?;
        self.last_hash = record.hash.clone();
        self.lines += 1;
        self.length = length + line.len() as u64;
        Ok(Appended { line: self.lines, record })
    }
}

/// The number of lines in the file (each record ends with a line break).
fn count_lines(file: &mut File) -> std::io::Result<u64> {
    file.seek(SeekFrom::Start(0))?;
    let mut reader = BufReader::new(file);
    let (mut lines, mut buffer) = (0, Vec::new());
    while reader.read_until(b'\n', &mut buffer)? > 0 {
        lines += 1;
        buffer.clear();
    }
    Ok(lines)
}

/// The hash of the file's last record, read from its end (a log grows large).
fn last_hash_of(file: &mut File) -> std::io::Result<Option<String>> {
    let length = file.seek(SeekFrom::End(0))?;
    let mut window = 4096u64;
    loop {
        let start = length.saturating_sub(window);
        file.seek(SeekFrom::Start(start))?;
        let mut tail = String::new();
        file.read_to_string(&mut tail)?;
        let last = tail.trim_end_matches('\n').rsplit('\n').next().unwrap_or("");
        // A whole line is known once the window reaches the file's start or a line break.
        if start == 0 || tail.trim_end_matches('\n').contains('\n') {
            if last.trim().is_empty() {
                return Ok(None);
            }
            let record: AuditRecord = serde_json::from_str(last).map_err(std::io::Error::other)?;
            return Ok(Some(record.hash));
        }
        window *= 4;
    }
}

/// `{"name": "API_TOKEN", "value": "…"}`, as a container's environment holds variables: the
/// value is masked when the name or the value says it is a secret (an overridden deny can let
/// one through to the plan; it still never reaches the log).
fn mask_name_value_pair(value: Value) -> Value {
    let Value::Object(mut map) = value else { return value };
    let secret = match (map.get("name").and_then(Value::as_str), map.get("value").and_then(Value::as_str)) {
        (Some(name), Some(text)) => crate::userdata::is_secret(name, text),
        _ => false,
    };
    if secret {
        map.insert("value".into(), Value::String(crate::userdata::MASK.into()));
    }
    Value::Object(map)
}

/// Every string in the parameters masked as user data is: `PASSWORD=x`, URL passwords, keys.
fn redacted(value: Value) -> Value {
    match value {
        Value::String(text) => Value::String(crate::userdata::redact(&text).text),
        Value::Array(items) => Value::Array(items.into_iter().map(redacted).collect()),
        Value::Object(map) => mask_name_value_pair(Value::Object(
            map.into_iter()
                .map(|(key, value)| {
                    let secret_named = crate::userdata::is_secret_name(&key) && value.is_string();
                    let value =
                        if secret_named { Value::String(crate::userdata::MASK.into()) } else { redacted(value) };
                    (key, value)
                })
                .collect(),
        )),
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn entry(action: &str, parameters: Value) -> AuditEntry {
        AuditEntry {
            run_id: "2026-11-25T10:14:00Z-shop-api-0001".into(),
            operator: "arn:aws:iam::111122223333:user/ops".into(),
            action: action.into(),
            parameters,
            outcome: "ok".into(),
            duration_ms: 12,
        }
    }

    #[test]
    fn records_chain_and_verify() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("state/audit.jsonl");
        let mut log = AuditLog::open(&path).unwrap();
        let first = log.append(entry("create repository", json!({"name": "shop-api"}))).unwrap();
        assert_eq!(first.prev_hash, GENESIS);
        // A second process opening the same log continues the chain.
        let mut again = AuditLog::open(&path).unwrap();
        let second = again.append(entry("create role", json!({"name": "task"}))).unwrap();
        assert_eq!(second.prev_hash, first.hash);
        assert_eq!(verify(&path).unwrap(), Ok(2));
    }

    #[test]
    fn two_writers_interleaving_keep_one_chain() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("audit.jsonl");
        let (mut tui, mut headless) = (AuditLog::open(&path).unwrap(), AuditLog::open(&path).unwrap());
        for index in 0..3 {
            tui.append(entry("tui step", json!({ "i": index }))).unwrap();
            headless.append(entry("headless step", json!({ "i": index }))).unwrap();
        }
        assert_eq!(verify(&path).unwrap(), Ok(6), "each append chains onto the file's last record");
    }

    #[test]
    fn each_writer_knows_the_line_its_record_landed_on() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("audit.jsonl");
        let (mut tui, mut headless) = (AuditLog::open(&path).unwrap(), AuditLog::open(&path).unwrap());
        let lines: Vec<u64> = (0..4)
            .map(|i| {
                let log = if i % 2 == 0 { &mut tui } else { &mut headless };
                log.append_counted(entry("step", json!({ "i": i }))).unwrap().line
            })
            .collect();
        assert_eq!(lines, vec![1, 2, 3, 4]);
        let mut reopened = AuditLog::open(&path).unwrap();
        assert_eq!(reopened.append_counted(entry("step", json!({}))).unwrap().line, 5);
    }

    #[test]
    fn an_environment_variable_holding_a_secret_is_masked_by_its_name() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("audit.jsonl");
        let mut log = AuditLog::open(&path).unwrap();
        let environment = json!({"environment": [
            {"name": "API_TOKEN", "value": "a1b2c3d4e5f60718293a4b5c6d7e8f90"},
            {"name": "NODE_ENV", "value": "production"},
        ]});
        log.append(entry("create-express-service", environment)).unwrap();
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(!text.contains("a1b2c3d4e5f60718293a4b5c6d7e8f90"), "{text}");
        assert!(text.contains("production"), "what is not secret stays readable");
    }

    #[test]
    fn secrets_in_parameters_and_outcomes_are_masked() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("audit.jsonl");
        let mut log = AuditLog::open(&path).unwrap();
        let parameters = json!({
            "url": "postgres://shop:Tr0ub4dor@db:5432/shop",
            "password": "hunter2-hunter2",
            "nested": ["SESSION_SECRET=8f1c2e0b6a9d4c7e93b15a2f6d0e4c81"],
        });
        let mut failing = entry("create secret", parameters);
        failing.outcome = "failed: rejected DB_PASSWORD=hunter2-hunter2".into();
        log.append(failing).unwrap();
        let text = std::fs::read_to_string(&path).unwrap();
        for secret in ["Tr0ub4dor", "hunter2", "8f1c2e0b6a9d4c7e93b15a2f6d0e4c81"] {
            assert!(!text.contains(secret), "{secret} in {text}");
        }
        assert_eq!(verify(&path).unwrap(), Ok(1));
    }

    #[test]
    fn a_changed_record_is_named() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("audit.jsonl");
        let mut log = AuditLog::open(&path).unwrap();
        for n in 0..3 {
            log.append(entry("create role", json!({ "n": n }))).unwrap();
        }
        let text = std::fs::read_to_string(&path).unwrap();
        std::fs::write(&path, text.replacen("\"n\":1", "\"n\":7", 1)).unwrap();
        let broken = verify(&path).unwrap().unwrap_err();
        assert_eq!(broken.line, 2);
        assert!(broken.reason.contains("changed after it was written"), "{}", broken.reason);
    }

    #[test]
    fn a_removed_or_reordered_record_is_named() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("audit.jsonl");
        let mut log = AuditLog::open(&path).unwrap();
        for n in 0..3 {
            log.append(entry("create role", json!({ "n": n }))).unwrap();
        }
        let lines: Vec<String> = std::fs::read_to_string(&path).unwrap().lines().map(String::from).collect();
        std::fs::write(&path, format!("{}\n{}\n", lines[0], lines[2])).unwrap();
        let broken = verify(&path).unwrap().unwrap_err();
        assert_eq!((broken.line, broken.reason.contains("removed, inserted or reordered")), (2, true));
        std::fs::write(&path, "{not json\n").unwrap();
        assert_eq!(verify(&path).unwrap().unwrap_err().line, 1);
        assert!(matches!(AuditLog::open(&path), Err(AuditError::Damaged { line: 1, .. })));
    }
}
