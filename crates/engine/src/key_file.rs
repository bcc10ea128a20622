//! A random 256-bit key kept in a file of its own, created 0600 in the state folder: the
//! sandbox's secret fingerprints and the approvals' MACs are keyed with one each.
//!
//! What the key protects is only as safe as the file, so a key file other users can read is
//! refused rather than used, with the command that fixes it. Two processes making the key at
//! once agree on one: the file is created exclusively, and the loser reads the winner's.

use std::fs::{self, File, OpenOptions};
use std::io::Write;
use std::path::Path;

/// Bytes in a key: as long as the HMAC-SHA256 output, the size RFC 2104 recommends.
pub(crate) const KEY_BYTES: usize = 32;

/// A key.
pub(crate) type Key = [u8; KEY_BYTES];

/// The key in the file at `path`, made on first use. The error says what is wrong and what
/// to do; the caller names the file and what the key is for.
pub(crate) fn load_or_create(path: &Path) -> Result<Key, String> {
    match load(path)? {
        Some(key) => Ok(key),
        None => create(path),
    }
}

/// The key in the file at `path`; `None` when there is no file. Never makes one.
pub(crate) fn load(path: &Path) -> Result<Option<Key>, String> {
    let text = match fs::read_to_string(path) {
        Ok(text) => text,
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(error) => return Err(error.to_string()),
    };
    check_private(path)?;
    let text = text.trim();
    let bytes: Option<Vec<u8>> = (text.len() == KEY_BYTES * 2 && text.is_ascii())
        .then(|| (0..KEY_BYTES).map(|i| u8::from_str_radix(&text[i * 2..i * 2 + 2], 16).ok()).collect())
        .flatten();
    let bytes = bytes
        .ok_or_else(|| format!("it should hold {} hex digits: delete it and ferry makes a new one", KEY_BYTES * 2))?;
    let mut key = [0u8; KEY_BYTES];
    key.copy_from_slice(&bytes);
    Ok(Some(key))
}

/// Refuses a key file others can read: whatever the key keys would be theirs too.
#[cfg(unix)]
fn check_private(path: &Path) -> Result<(), String> {
    use std::os::unix::fs::PermissionsExt;
    let mode = fs::metadata(path).map_err(|e| e.to_string())?.permissions().mode();
    if mode & 0o077 != 0 {
        return Err(format!("other users can read it (mode {:o}): run chmod 600 {}", mode & 0o777, path.display()));
    }
    Ok(())
}

#[cfg(not(unix))]
fn check_private(_path: &Path) -> Result<(), String> {
    Ok(())
}

fn create(path: &Path) -> Result<Key, String> {
    let key = random().map_err(|e| format!("no randomness from the system: {e}"))?;
    if let Some(parent) = path.parent() {
        fs::create_dir_all(parent).map_err(|e| e.to_string())?;
    }
    let mut options = OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let mut file: File = match options.open(path) {
        Ok(file) => file,
        // Another process made it first: use its key, so both agree.
        Err(error) if error.kind() == std::io::ErrorKind::AlreadyExists => {
            return load(path)?.ok_or_else(|| "it vanished while being made".to_string());
        }
        Err(error) => return Err(error.to_string()),
    };
    let text: String = key.iter().map(|b| format!("{b:02x}")).collect::<String>() + "\n";
    file.write_all(text.as_bytes()).and_then(|()| file.sync_all()).map_err(|e| e.to_string())?;
    Ok(key)
}

/// A fresh key from the system's randomness.
pub(crate) fn random() -> Result<Key, getrandom::Error> {
    let mut key = [0u8; KEY_BYTES];
    getrandom::fill(&mut key)?;
    Ok(key)
}
