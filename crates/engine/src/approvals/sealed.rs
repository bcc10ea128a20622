//! Approvals on disk. Each is a file `{"approval": {...}, "nonce": "...", "mac": "..."}` named
//! after its subject, the MAC an HMAC-SHA256 over the canonical JSON of the approval and the
//! nonce under the folder's key (`approval.key`, 0600). The MAC is checked over the JSON as
//! stored, not as parsed: a field added by hand breaks it as surely as one changed. The nonce
//! (random, per approval) keeps two approvals of one subject given in the same second apart,
//! so taking one never uses up the other. `used` lists the MAC of every approval taken (or
//! replaced before it was taken), so a file put back after it was taken is refused. `.lock`
//! serializes record and take between processes.

use std::fs::{self, File, OpenOptions};
use std::io::Write;
use std::path::{Path, PathBuf};

use serde_json::{Value, json};

use super::{Approval, ApprovalError, Subject};
use crate::key_file::{self, Key};

/// The key's file in the approvals folder.
const KEY_FILE: &str = "approval.key";
/// The MACs of approvals used up, one a line.
const USED_FILE: &str = "used";
/// Held while an approval is written or taken.
const LOCK_FILE: &str = ".lock";
/// The largest approval file read: a real one is well under a kilobyte, even with reasons.
const MAX_BYTES: u64 = 256 * 1024;

/// The approvals folder.
pub(super) struct Store {
    dir: PathBuf,
}

/// The file's text for `approval` sealed with `nonce`, and its MAC.
pub(super) fn seal(approval: &Approval, key: &Key, nonce: &str) -> (String, String) {
    let sealed = json!({ "approval": serde_json::to_value(approval).unwrap_or_default(), "nonce": nonce });
    let mac = crate::digest::keyed_sha256_hex(key, crate::digest::canonical_json(&sealed).as_bytes());
    let mut file = sealed;
    file["mac"] = Value::String(mac.clone());
    (serde_json::to_string_pretty(&file).unwrap_or_default() + "\n", mac)
}

/// The approval in a file's text and its MAC, or what shows it is not one ferry sealed.
pub(super) fn open(text: &str, key: &Key) -> Result<(Approval, String), String> {
    let file: Value = serde_json::from_str(text).map_err(|e| format!("it is not an approval: {e}"))?;
    let Some(mut sealed) = file.as_object().cloned() else { return Err("it is not an approval".into()) };
    let Some(Value::String(mac)) = sealed.remove("mac") else { return Err("it holds no seal".into()) };
    let mut fields: Vec<&str> = sealed.keys().map(String::as_str).collect();
    fields.sort_unstable();
    if fields != ["approval", "nonce"] {
        return Err(format!("it holds {} where ferry writes an approval, a nonce and a seal", fields.join(", ")));
    }
    let sealed = Value::Object(sealed);
    if !crate::digest::keyed_sha256_matches(key, crate::digest::canonical_json(&sealed).as_bytes(), &mac) {
        return Err("its seal does not match its content: it was made or changed by hand".into());
    }
    let parsed: Approval =
        serde_json::from_value(sealed["approval"].clone()).map_err(|e| format!("it is not an approval: {e}"))?;
    Ok((parsed, mac))
}

impl Store {
    /// The approvals kept in `dir`.
    pub(super) fn new(dir: &Path) -> Store {
        Store { dir: dir.to_path_buf() }
    }

    fn io(&self, path: &Path) -> impl Fn(std::io::Error) -> ApprovalError {
        let path = path.to_path_buf();
        move |source| ApprovalError::Io { path: path.clone(), source }
    }

    /// Creates the folder, private to its owner: it holds the key.
    fn ensure_dir(&self) -> Result<(), ApprovalError> {
        let mut builder = fs::DirBuilder::new();
        builder.recursive(true);
        #[cfg(unix)]
        std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
        builder.create(&self.dir).map_err(self.io(&self.dir))
    }

    /// Holds the folder's lock until the file returned is dropped.
    pub(super) fn lock(&self) -> Result<File, ApprovalError> {
        self.ensure_dir()?;
        let path = self.dir.join(LOCK_FILE);
        let file = OpenOptions::new().create(true).truncate(false).write(true).open(&path).map_err(self.io(&path))?;
        file.lock().map_err(self.io(&path))?;
        Ok(file)
    }

    /// The key, made on first use.
    pub(super) fn key(&self) -> Result<Key, ApprovalError> {
        self.ensure_dir()?;
        let path = self.dir.join(KEY_FILE);
        key_file::load_or_create(&path).map_err(|reason| ApprovalError::Key { path, reason })
    }

    /// The key when there is one; never makes it (reading changes nothing).
    pub(super) fn existing_key(&self) -> Result<Option<Key>, ApprovalError> {
        let path = self.dir.join(KEY_FILE);
        key_file::load(&path).map_err(|reason| ApprovalError::Key { path, reason })
    }

    /// Where the approval of `subject` is kept.
    pub(super) fn path_of(&self, subject: &Subject) -> PathBuf {
        self.dir.join(subject.file_name())
    }

    /// The text of the approval file of `subject`; `None` when there is none.
    pub(super) fn read(&self, subject: &Subject) -> Result<Option<String>, ApprovalError> {
        let path = self.path_of(subject);
        match crate::files::read_bounded_text(&path, MAX_BYTES, "approval file") {
            Ok(text) => Ok(Some(text)),
            Err(crate::files::FileError::Read { error, .. }) if error.kind() == std::io::ErrorKind::NotFound => {
                Ok(None)
            }
            Err(crate::files::FileError::Read { error, .. }) => Err(self.io(&path)(error)),
            Err(other) => Err(ApprovalError::Forged { subject: subject.clone(), path, reason: other.reason() }),
        }
    }

    /// Writes the approval whole (a file beside, synced, then renamed over the old one). An
    /// approval of the same subject still pending is used up: a copy of it kept aside must
    /// not count once it was replaced. Call with the lock held.
    pub(super) fn write(&self, approval: &Approval, key: &Key) -> Result<(), ApprovalError> {
        if let Some(old) = self.read(&approval.subject).ok().flatten()
            && let Ok((_, mac)) = open(&old, key)
        {
            self.mark_used(&mac)?;
        }
        let nonce = key_file::random().map_err(|e| ApprovalError::Key {
            path: self.dir.join(KEY_FILE),
            reason: format!("no randomness from the system for the approval's nonce: {e}"),
        })?;
        let nonce: String = nonce[..16].iter().map(|b| format!("{b:02x}")).collect();
        let (text, mac) = seal(approval, key, &nonce);
        let path = self.path_of(&approval.subject);
        let partial = self.dir.join(format!(".{}.partial", &mac[..16]));
        let mut options = OpenOptions::new();
        options.write(true).create(true).truncate(true);
        #[cfg(unix)]
        std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
        let mut file = options.open(&partial).map_err(self.io(&partial))?;
        file.write_all(text.as_bytes()).and_then(|()| file.sync_all()).map_err(self.io(&partial))?;
        fs::rename(&partial, &path).map_err(self.io(&path))?;
        self.sync_dir()
    }

    /// Removes the approval file of `subject`; gone already is fine.
    pub(super) fn remove(&self, subject: &Subject) -> Result<(), ApprovalError> {
        let path = self.path_of(subject);
        match fs::remove_file(&path) {
            Err(error) if error.kind() != std::io::ErrorKind::NotFound => Err(self.io(&path)(error)),
            _ => self.sync_dir(),
        }
    }

    /// Whether the approval sealed with `mac` was used up.
    pub(super) fn is_used(&self, mac: &str) -> Result<bool, ApprovalError> {
        let path = self.dir.join(USED_FILE);
        match fs::read_to_string(&path) {
            Ok(text) => Ok(text.lines().any(|line| line.trim() == mac)),
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => Ok(false),
            Err(error) => Err(self.io(&path)(error)),
        }
    }

    /// Adds `mac` to the used list, synced before returning. Call with the lock held.
    pub(super) fn mark_used(&self, mac: &str) -> Result<(), ApprovalError> {
        let path = self.dir.join(USED_FILE);
        let mut options = OpenOptions::new();
        options.create(true).append(true);
        #[cfg(unix)]
        std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
        let mut file = options.open(&path).map_err(self.io(&path))?;
        file.write_all(format!("{mac}\n").as_bytes()).and_then(|()| file.sync_all()).map_err(self.io(&path))
    }

    /// Makes a rename or removal in the folder durable, so a crash cannot bring a taken
    /// approval back.
    fn sync_dir(&self) -> Result<(), ApprovalError> {
        #[cfg(unix)]
        File::open(&self.dir).and_then(|dir| dir.sync_all()).map_err(self.io(&self.dir))?;
        Ok(())
    }
}
