//! The key under which the sandbox fingerprints the secrets it stores.
//!
//! The sandbox never keeps a secret's value, only a fingerprint so tests can check that the
//! right value was read at apply time. A plain sha256 of a weak password sitting in a known URL
//! can be confirmed offline by hashing guesses, and a salt written beside the digest would not
//! stop that: whoever holds the account file holds the salt too. So the fingerprint is an
//! HMAC under a random 256-bit key that lives in its own file, created 0600 in the state
//! folder and never written into the account file: the account file alone (attached to a bug
//! report, copied off a training laptop) tells nothing about any secret. A sandbox without a
//! state folder keys with a random key that lives only as long as its process.

use std::fs::{self, File, OpenOptions};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use super::PersistError;

/// Bytes in a key: as long as the HMAC-SHA256 output, the size RFC 2104 recommends.
const KEY_BYTES: usize = 32;

/// A fingerprint key.
pub(super) type DigestKey = [u8; KEY_BYTES];

/// The key file's name, in the folder of the saved sandbox accounts.
pub(super) const FILE_NAME: &str = "secret-digest.key";

/// The key of sandboxes without a state folder: one per process, so every sandbox in a
/// process fingerprints a value alike and their accounts compare equal.
pub(super) fn process_key() -> DigestKey {
    static KEY: OnceLock<DigestKey> = OnceLock::new();
    // Without randomness from the system a per-process key still differs per process, which
    // is all an in-memory account needs; the state folder's key below does insist on it.
    *KEY.get_or_init(|| random().unwrap_or_else(|_| fallback_key()))
}

/// The key kept beside the saved accounts in `folder`, made on first use.
pub(super) fn load_or_create(folder: &Path) -> Result<DigestKey, PersistError> {
    let path = folder.join(FILE_NAME);
    match read(&path)? {
        Some(key) => Ok(key),
        None => create(&path),
    }
}

fn read(path: &Path) -> Result<Option<DigestKey>, PersistError> {
    let invalid = |reason: String| PersistError::Key { path: path.to_path_buf(), reason };
    let text = match fs::read_to_string(path) {
        Ok(text) => text,
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(error) => return Err(invalid(error.to_string())),
    };
    check_private(path)?;
    let text = text.trim();
    let bytes: Option<Vec<u8>> = (text.len() == KEY_BYTES * 2 && text.is_ascii())
        .then(|| (0..KEY_BYTES).map(|i| u8::from_str_radix(&text[i * 2..i * 2 + 2], 16).ok()).collect())
        .flatten();
    let bytes = bytes.ok_or_else(|| {
        invalid(format!("it should hold {} hex digits: delete it and ferry makes a new one", KEY_BYTES * 2))
    })?;
    let mut key = [0u8; KEY_BYTES];
    key.copy_from_slice(&bytes);
    Ok(Some(key))
}

/// Refuses a key file others can read: it would let them confirm guessed secrets again.
#[cfg(unix)]
fn check_private(path: &Path) -> Result<(), PersistError> {
    use std::os::unix::fs::PermissionsExt;
    let mode = fs::metadata(path).map_err(|e| key_error(path, e.to_string()))?.permissions().mode();
    if mode & 0o077 != 0 {
        return Err(key_error(
            path,
            format!("other users can read it (mode {:o}): run chmod 600 {}", mode & 0o777, path.display()),
        ));
    }
    Ok(())
}

#[cfg(not(unix))]
fn check_private(_path: &Path) -> Result<(), PersistError> {
    Ok(())
}

fn key_error(path: &Path, reason: String) -> PersistError {
    PersistError::Key { path: path.to_path_buf(), reason }
}

fn create(path: &Path) -> Result<DigestKey, PersistError> {
    let key = random().map_err(|e| key_error(path, format!("no randomness from the system: {e}")))?;
    if let Some(parent) = path.parent() {
        fs::create_dir_all(parent).map_err(|e| key_error(path, e.to_string()))?;
    }
    let mut options = OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let mut file: File = match options.open(path) {
        Ok(file) => file,
        // Another process made it first: use its key, so both fingerprint alike.
        Err(error) if error.kind() == std::io::ErrorKind::AlreadyExists => {
            return read(path)?.ok_or_else(|| key_error(path, "it vanished while being made".into()));
        }
        Err(error) => return Err(key_error(path, error.to_string())),
    };
    let text: String = key.iter().map(|b| format!("{b:02x}")).collect::<String>() + "\n";
    file.write_all(text.as_bytes()).and_then(|()| file.sync_all()).map_err(|e| key_error(path, e.to_string()))?;
    Ok(key)
}

fn random() -> Result<DigestKey, getrandom::Error> {
    let mut key = [0u8; KEY_BYTES];
    getrandom::fill(&mut key)?;
    Ok(key)
}

/// A key from the clock and the process id, for a process whose system gives no randomness:
/// never written anywhere, so it only has to differ between processes.
fn fallback_key() -> DigestKey {
    let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap_or_default();
    let seed = format!("{}:{}", now.as_nanos(), std::process::id());
    let digest = crate::digest::sha256_hex(seed.as_bytes());
    let mut key = [0u8; KEY_BYTES];
    for (i, byte) in key.iter_mut().enumerate() {
        *byte = u8::from_str_radix(&digest[i * 2..i * 2 + 2], 16).unwrap_or(0);
    }
    key
}

/// Where the key of the accounts saved at `state_file` lives.
pub(super) fn folder_of(state_file: &Path) -> PathBuf {
    state_file.parent().map_or_else(|| PathBuf::from("."), Path::to_path_buf)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn made_once_private_then_reused() {
        let dir = tempfile::tempdir().unwrap();
        let folder = dir.path().join("sandbox");
        let key = load_or_create(&folder).unwrap();
        assert_eq!(load_or_create(&folder).unwrap(), key, "the same key for every process");
        assert_ne!(load_or_create(tempfile::tempdir().unwrap().path()).unwrap(), key, "another folder, another key");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let path = folder.join(FILE_NAME);
            assert_eq!(fs::metadata(&path).unwrap().permissions().mode() & 0o777, 0o600);
            fs::set_permissions(&path, fs::Permissions::from_mode(0o644)).unwrap();
            let error = load_or_create(&folder).unwrap_err().to_string();
            assert!(error.contains("other users can read it") && error.contains("chmod 600"), "{error}");
        }
    }

    #[test]
    fn a_damaged_key_is_refused_with_what_to_do() {
        let dir = tempfile::tempdir().unwrap();
        fs::write(dir.path().join(FILE_NAME), "not hex").unwrap();
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            fs::set_permissions(dir.path().join(FILE_NAME), fs::Permissions::from_mode(0o600)).unwrap();
        }
        let error = load_or_create(dir.path()).unwrap_err().to_string();
        assert!(error.contains("64 hex digits") && error.contains("delete it"), "{error}");
    }
}
