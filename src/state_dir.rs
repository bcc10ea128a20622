//! The state folder: run journals, the audit log, the sandbox's persisted account. On Linux
//! `$XDG_STATE_HOME/ferry` (`~/.local/state/ferry`), the platform's local data folder
//! elsewhere; `FERRY_STATE_DIR` moves it (tests, shared operator hosts).

use std::path::PathBuf;

/// The environment variable that overrides the state folder.
pub const OVERRIDE: &str = "FERRY_STATE_DIR";

pub fn state_dir() -> Option<PathBuf> {
    if let Some(dir) = std::env::var_os(OVERRIDE).filter(|d| !d.is_empty()) {
        return Some(PathBuf::from(dir));
    }
    let dirs = directories::ProjectDirs::from("", "", "ferry")?;
    Some(dirs.state_dir().unwrap_or_else(|| dirs.data_local_dir()).to_path_buf())
}

/// The audit log of every change ferry made or tried.
pub fn audit_log() -> Option<PathBuf> {
    state_dir().map(|dir| dir.join("audit.jsonl"))
}
