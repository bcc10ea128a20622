//! The state folder: run journals, the audit log, the sandbox's persisted account. On Linux
//! `$XDG_STATE_HOME/ferry` (`~/.local/state/ferry`), the platform's local data folder
//! elsewhere; `FERRY_STATE_DIR` moves it (tests, shared operator hosts).

use std::path::PathBuf;

/// The environment variable that overrides the state folder.
pub const OVERRIDE: &str = "FERRY_STATE_DIR";

/// The state folder: `FERRY_STATE_DIR` when set, else the platform's. `None` when no home
/// folder can be found. It need not exist yet.
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

/// One journal file per apply run.
pub fn runs_dir() -> Option<PathBuf> {
    state_dir().map(|dir| dir.join("runs"))
}

/// The persisted account of a sandbox scenario (bundled name or file path).
pub fn sandbox_account(scenario: &str) -> Option<PathBuf> {
    // A scenario given by path is kept under its file name and a digest of the path, so two
    // files called `shop.toml` do not share an account.
    let stem = std::path::Path::new(scenario).file_stem().map_or("scenario".into(), |s| s.to_string_lossy());
    let name: String = stem.chars().map(|c| if c.is_ascii_alphanumeric() || c == '-' { c } else { '_' }).collect();
    let file = if scenario.contains('/') || scenario.ends_with(".toml") {
        format!("{name}-{}.json", &crate::digest::sha256_hex(scenario.as_bytes())[..8])
    } else {
        format!("{name}.json")
    };
    state_dir().map(|dir| dir.join("sandbox").join(file))
}
