//! Keeping the sandbox account in a file, so a headless plan, apply and rollback in separate
//! processes (and a process killed mid-run) all see one account.
//!
//! Written whole after every change: to a temporary file, fsync'd, then renamed over the old
//! one, so a kill at any moment leaves either the previous or the new account, never half.

use std::fs::{self, File};
use std::io::Write;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use thiserror::Error;

use super::AccountState;

/// Bumped when the saved form changes incompatibly. 2: stored secrets are HMACs under the
/// state folder's key ([`super::digest_key`]); format 1 kept plain sha256 digests, which a
/// file of that format would still expose, so it is refused rather than read.
const FORMAT: u32 = 2;

#[derive(Debug, Serialize, Deserialize)]
pub struct Saved {
    pub format: u32,
    /// The id counter, so ids made by the next process never repeat earlier ones.
    pub next_id: u64,
    pub account: AccountState,
}

/// Why a saved sandbox account, or the digest key beside it, could not be read or written.
#[derive(Debug, Error)]
pub enum PersistError {
    /// The account file is there but cannot be read.
    #[error("cannot read the sandbox account {path}: {source}")]
    Read {
        /// The account file.
        path: PathBuf,
        /// Why the system refused.
        source: std::io::Error,
    },
    /// The account file is damaged, or was written by a ferry whose format this one refuses.
    #[error(
        "the sandbox account {path} is not valid ({reason}): delete it to start again from the scenario (ferry demo --reset)"
    )]
    Invalid {
        /// The account file.
        path: PathBuf,
        /// What is wrong: the JSON error, or the format found.
        reason: String,
    },
    /// The account could not be written: its folder, the temporary file, or the rename over the
    /// old one.
    #[error("cannot save the sandbox account to {path}: {source}")]
    Write {
        /// The account file that was to be written.
        path: PathBuf,
        /// Why the system refused.
        source: std::io::Error,
    },
    /// The key that fingerprints stored secrets cannot be read, made, or trusted.
    #[error("the sandbox's secret digest key {path} cannot be used: {reason}")]
    Key {
        /// The key file, `secret-digest.key` in the state folder.
        path: PathBuf,
        /// What is wrong and what to do, e.g. that other users can read it.
        reason: String,
    },
}

pub fn load(path: &Path) -> Result<Option<Saved>, PersistError> {
    let text = match fs::read_to_string(path) {
        Ok(text) => text,
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(source) => return Err(PersistError::Read { path: path.to_path_buf(), source }),
    };
    let invalid = |reason: String| PersistError::Invalid { path: path.to_path_buf(), reason };
    let saved: Saved = serde_json::from_str(&text).map_err(|e| invalid(e.to_string()))?;
    if saved.format != FORMAT {
        return Err(invalid(format!("format {} where this ferry writes {FORMAT}", saved.format)));
    }
    Ok(Some(saved))
}

pub fn save(path: &Path, next_id: u64, account: &AccountState) -> Result<(), PersistError> {
    let write_error = |source| PersistError::Write { path: path.to_path_buf(), source };
    let saved = Saved { format: FORMAT, next_id, account: account.without_secrets() };
    let bytes = serde_json::to_vec(&saved).map_err(|e| write_error(std::io::Error::other(e)))?;
    if let Some(parent) = path.parent() {
        fs::create_dir_all(parent).map_err(write_error)?;
    }
    let temporary = path.with_extension("json.tmp");
    let mut file = File::create(&temporary).map_err(write_error)?;
    file.write_all(&bytes).and_then(|()| file.sync_all()).map_err(write_error)?;
    fs::rename(&temporary, path).map_err(write_error)?;
    if let Some(parent) = path.parent()
        && let Ok(dir) = File::open(parent)
    {
        // The rename itself is durable only once the folder is synced.
        let _ = dir.sync_all();
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cloud::sandbox::Scenario;

    fn saved_form(account: &AccountState) -> Saved {
        Saved { format: FORMAT, next_id: 1, account: account.without_secrets() }
    }

    #[test]
    fn round_trips_and_rejects_garbage() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("sandbox").join("node-shop.json");
        assert!(load(&path).unwrap().is_none(), "no file yet: start from the scenario");
        let account = AccountState::from_scenario(&Scenario::load("node-shop").unwrap());
        save(&path, 7, &account).unwrap();
        let saved = load(&path).unwrap().unwrap();
        assert_eq!((saved.next_id, saved.account), (7, account.without_secrets()));
        let text = fs::read_to_string(&path).unwrap();
        assert!(!text.contains("Tr0ub4dor"), "no secret from the scenario's user data is saved");

        let mut old = serde_json::to_value(saved_form(&account)).unwrap();
        old["format"] = 1.into();
        fs::write(&path, old.to_string()).unwrap();
        let error = load(&path).unwrap_err().to_string();
        assert!(error.contains("format 1 where this ferry writes 2") && error.contains("--reset"), "{error}");

        fs::write(&path, "{\"format\": 2, \"next_id\": \"x\"").unwrap();
        let error = load(&path).unwrap_err().to_string();
        assert!(error.contains("is not valid") && error.contains("--reset"), "{error}");
    }
}
