//! `[keys]` in the config file: rebinding actions, refused with the file and line when ferry
//! cannot use it.

use std::fmt;

use super::definitions::DEFINITIONS;
use super::{Key, Keymap};

/// A `[keys]` section ferry cannot use, with the file and line to fix.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeysError {
    pub message: String,
}

impl fmt::Display for KeysError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for KeysError {}

fn error(message: String) -> KeysError {
    KeysError { message }
}

/// `file:line` of the setting `key` in `text`, for the messages.
fn place_of(text: &str, path: &std::path::Path, key: &str) -> String {
    let line = text
        .lines()
        .position(|l| {
            l.trim_start().starts_with(key) && l[l.find(key).unwrap_or(0) + key.len()..].trim_start().starts_with('=')
        })
        .map_or(0, |i| i + 1);
    format!("{}:{line}", path.display())
}

impl Keymap {
    /// The defaults with the `[keys]` of the config file `text` (at `path`) over them. An
    /// unknown action, a key ferry cannot read, a character where it would be typed as text,
    /// or two actions on one key where both work is refused, naming the file and the line.
    pub fn from_config(text: &str, path: &std::path::Path) -> Result<Keymap, KeysError> {
        let at = |key: &str| place_of(text, path, key);
        let table: toml::Table = toml::from_str(text)
            .map_err(|e| error(format!("the config file {} is not valid TOML: {e}", path.display())))?;
        let mut keymap = Keymap::default();
        let Some(section) = table.get("keys") else { return Ok(keymap) };
        let section = section.as_table().ok_or_else(|| error(format!("{}: [keys] must be a table", at("keys"))))?;
        for (id, value) in section {
            let definition = DEFINITIONS.iter().find(|d| d.id == id).ok_or_else(|| {
                let known: Vec<&str> = DEFINITIONS.iter().map(|d| d.id).collect();
                error(format!(
                    "{}: [keys] {} is not an action ferry knows (known: {})",
                    at(id),
                    crate::text::escape_controls(id),
                    known.join(", ")
                ))
            })?;
            let keys = read_keys(id, value, &at)?;
            if let Some(key) = keys.iter().find(|k| k.is_text()).filter(|_| definition.scope.takes_text()) {
                return Err(error(format!(
                    "{}: [keys] {id}: {key} would be typed as text where {id} works ({}): give it a Ctrl- key or a named one",
                    at(id),
                    definition.scope.label()
                )));
            }
            keymap.keys.insert(definition.action, keys);
        }
        if let Some((first, second, key)) = keymap.conflict() {
            let place = if section.contains_key(second) { at(second) } else { at(first) };
            return Err(error(format!(
                "{place}: [keys] {first} and {second} are both on {key}, and both work on one screen: give one another key"
            )));
        }
        Ok(keymap)
    }

    /// Two actions on one key where both work: their scopes share a place.
    pub(super) fn conflict(&self) -> Option<(&'static str, &'static str, Key)> {
        for (index, first) in DEFINITIONS.iter().enumerate() {
            for second in DEFINITIONS[index + 1..].iter().filter(|s| s.scope.overlaps(first.scope)) {
                if let Some(key) = self.keys_of(first.action).iter().find(|k| self.keys_of(second.action).contains(k)) {
                    return Some((first.id, second.id, *key));
                }
            }
        }
        None
    }
}

/// The keys `value` gives the action `id`: one key or a list of them.
fn read_keys(id: &str, value: &toml::Value, at: &dyn Fn(&str) -> String) -> Result<Vec<Key>, KeysError> {
    let written: Vec<&str> = match value {
        toml::Value::String(key) => vec![key.as_str()],
        toml::Value::Array(keys) => keys.iter().filter_map(toml::Value::as_str).collect(),
        _ => return Err(error(format!("{}: [keys] {id} must be a key (\"n\") or a list of keys", at(id)))),
    };
    if written.is_empty() || matches!(value, toml::Value::Array(keys) if keys.len() != written.len()) {
        return Err(error(format!("{}: [keys] {id} must be a key (\"n\") or a list of keys", at(id))));
    }
    written
        .iter()
        .map(|k| {
            Key::parse(k).ok_or_else(|| {
                error(format!(
                    "{}: [keys] {id}: {} is not a key ferry can read (a character, Enter, Esc, Tab, BackTab, Backspace, Up, Down, Left, Right, Home, End, PageUp, PageDown, Space, Ctrl-<letter>)",
                    at(id),
                    crate::text::escape_controls(k)
                ))
            })
        })
        .collect()
}

/// The keymap of this machine: the defaults with the settings file's `[keys]` over them. A
/// settings file that cannot be read, or a `[keys]` section ferry cannot use, is an error
/// naming the file (and the line).
pub fn load() -> Result<Keymap, KeysError> {
    let Some(path) = crate::config::config_path() else { return Ok(Keymap::default()) };
    match std::fs::read_to_string(&path) {
        Ok(text) => Keymap::from_config(&text, &path),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound && std::env::var_os(crate::config::OVERRIDE).is_none() => {
            Ok(Keymap::default())
        }
        Err(e) => Err(error(format!("cannot read the config file {}: {e}", path.display()))),
    }
}
