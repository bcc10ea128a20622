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

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use super::PersistError;
use crate::key_file::{self, KEY_BYTES};

/// A fingerprint key.
pub(super) type DigestKey = key_file::Key;

/// The key file's name, in the folder of the saved sandbox accounts.
pub(super) const FILE_NAME: &str = "secret-digest.key";

/// The key of sandboxes without a state folder: one per process, so every sandbox in a
/// process fingerprints a value alike and their accounts compare equal.
pub(super) fn process_key() -> DigestKey {
    static KEY: OnceLock<DigestKey> = OnceLock::new();
    // Without randomness from the system a per-process key still differs per process, which
    // is all an in-memory account needs; the state folder's key below does insist on it.
    *KEY.get_or_init(|| key_file::random().unwrap_or_else(|_| fallback_key()))
}

/// The key kept beside the saved accounts in `folder`, made on first use (0600; refused when
/// other users can read it).
pub(super) fn load_or_create(folder: &Path) -> Result<DigestKey, PersistError> {
    let path = folder.join(FILE_NAME);
    key_file::load_or_create(&path).map_err(|reason| PersistError::Key { path, reason })
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

    use std::fs;

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
