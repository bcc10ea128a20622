//! The operator's confirmations, one JSON line each, in the state folder beside the runs:
//! which item of the old stack they removed, when, and who they are.

use std::io::Write;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use thiserror::Error;

/// One item the operator says they removed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Confirmation {
    /// The item's id, as the checklist gives it.
    pub item: String,
    /// When it was confirmed (RFC 3339).
    pub at: String,
    /// Who confirmed it (the caller's identity).
    pub operator: String,
}

/// A journal that cannot be read or written.
#[derive(Debug, Error)]
pub enum JournalError {
    /// The file system refused.
    #[error("decommission journal {path}: {source}")]
    Io {
        /// The journal file.
        path: String,
        /// What went wrong.
        source: std::io::Error,
    },
    /// A line that is not a confirmation.
    #[error("decommission journal {path} line {line}: {message}")]
    Corrupt {
        /// The journal file.
        path: String,
        /// 1-based.
        line: usize,
        /// What is wrong with it.
        message: String,
    },
}

fn file(dir: &Path, run_id: &str) -> PathBuf {
    dir.join(format!("{run_id}.decommission.jsonl"))
}

/// Every confirmation for the run's old stack, oldest first; none when nothing was confirmed.
pub fn confirmations(dir: &Path, run_id: &str) -> Result<Vec<Confirmation>, JournalError> {
    let path = file(dir, run_id);
    let text = match std::fs::read_to_string(&path) {
        Ok(text) => text,
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(source) => return Err(JournalError::Io { path: path.display().to_string(), source }),
    };
    text.lines()
        .enumerate()
        .filter(|(_, line)| !line.trim().is_empty())
        .map(|(index, line)| {
            serde_json::from_str(line).map_err(|e| JournalError::Corrupt {
                path: path.display().to_string(),
                line: index + 1,
                message: e.to_string(),
            })
        })
        .collect()
}

/// Appends one confirmation.
pub fn confirm(dir: &Path, run_id: &str, confirmation: &Confirmation) -> Result<(), JournalError> {
    let path = file(dir, run_id);
    let io = |source| JournalError::Io { path: path.display().to_string(), source };
    std::fs::create_dir_all(dir).map_err(io)?;
    let mut out = std::fs::OpenOptions::new().create(true).append(true).open(&path).map_err(io)?;
    let line = serde_json::to_string(confirmation).unwrap_or_default();
    writeln!(out, "{line}").and_then(|()| out.sync_all()).map_err(io)
}
