//! Every action a key can do in the wizard, defined once: its id (what `[keys]` in the
//! config file and `ferry keys` call it), its default keys, its hint text, and where it
//! works. The key handler, the footer, `?` help and the messages that name a key all read
//! these definitions through the [`Keymap`], so a rebound key is rebound everywhere.

use std::collections::BTreeMap;
use std::fmt;

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

/// What a key does.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Action {
    Next,
    Back,
    Help,
    Quit,
    Approve,
    RollBack,
    Resume,
    ReviewRuns,
    OpenFolder,
    SecretSource,
}

/// Where an action works: the whole wizard, or one step.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Scope {
    Everywhere,
    Container,
    Plan,
    Apply,
}

impl Scope {
    fn label(self) -> &'static str {
        match self {
            Scope::Everywhere => "everywhere",
            Scope::Container => "Container",
            Scope::Plan => "Plan",
            Scope::Apply => "Apply",
        }
    }
}

/// One action's definition.
pub struct Definition {
    pub action: Action,
    /// The name `[keys]` and `ferry keys` use.
    pub id: &'static str,
    pub keys: &'static [&'static str],
    /// What the footer and `?` help say it does.
    pub hint: &'static str,
    pub scope: Scope,
}

/// The wizard's actions, in the order `ferry keys` lists them.
pub const DEFINITIONS: [Definition; 10] = [
    Definition { action: Action::Next, id: "next", keys: &["Enter"], hint: "next", scope: Scope::Everywhere },
    Definition { action: Action::Back, id: "back", keys: &["Esc"], hint: "back", scope: Scope::Everywhere },
    Definition { action: Action::Help, id: "help", keys: &["?"], hint: "help", scope: Scope::Everywhere },
    Definition { action: Action::Quit, id: "quit", keys: &["q"], hint: "quit", scope: Scope::Everywhere },
    Definition {
        action: Action::ReviewRuns,
        id: "review_runs",
        keys: &["R"],
        hint: "earlier runs",
        scope: Scope::Everywhere,
    },
    Definition {
        action: Action::OpenFolder,
        id: "open_folder",
        keys: &["o"],
        hint: "open source folder",
        scope: Scope::Container,
    },
    Definition {
        action: Action::SecretSource,
        id: "secret_source",
        keys: &["s"],
        hint: "secret source",
        scope: Scope::Container,
    },
    Definition { action: Action::Approve, id: "approve", keys: &["a"], hint: "approve and apply", scope: Scope::Plan },
    Definition { action: Action::RollBack, id: "roll_back", keys: &["r"], hint: "roll back", scope: Scope::Apply },
    Definition { action: Action::Resume, id: "resume", keys: &["c"], hint: "continue the run", scope: Scope::Apply },
];

/// A key as the config file writes it: `Enter`, `Esc`, `Tab`, `Up`, `PageDown`, `Ctrl-S`,
/// or one character (`a`, `R`, `?`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Key {
    code: KeyCode,
    ctrl: bool,
}

impl Key {
    /// Reads a key as written; `None` for a name ferry does not know.
    pub fn parse(text: &str) -> Option<Key> {
        let (ctrl, name) = match text.strip_prefix("Ctrl-").or_else(|| text.strip_prefix("ctrl-")) {
            Some(rest) => (true, rest),
            None => (false, text),
        };
        let code = match name {
            "Enter" => KeyCode::Enter,
            "Esc" => KeyCode::Esc,
            "Tab" => KeyCode::Tab,
            "Backspace" => KeyCode::Backspace,
            "Up" => KeyCode::Up,
            "Down" => KeyCode::Down,
            "Left" => KeyCode::Left,
            "Right" => KeyCode::Right,
            "Home" => KeyCode::Home,
            "End" => KeyCode::End,
            "PageUp" => KeyCode::PageUp,
            "PageDown" => KeyCode::PageDown,
            "Space" => KeyCode::Char(' '),
            single if single.chars().count() == 1 => {
                let c = single.chars().next()?;
                // Ctrl with a letter arrives lower case whatever the shift key does.
                KeyCode::Char(if ctrl { c.to_ascii_lowercase() } else { c })
            }
            _ => return None,
        };
        // Ctrl-Enter and the like do not reach a terminal program distinctly.
        if ctrl && !matches!(code, KeyCode::Char(c) if c.is_ascii_alphabetic()) {
            return None;
        }
        Some(Key { code, ctrl })
    }

    /// Whether `event` is this key.
    pub fn matches(&self, event: &KeyEvent) -> bool {
        let ctrl = event.modifiers.contains(KeyModifiers::CONTROL);
        ctrl == self.ctrl && event.code == self.code
    }

    /// The event the key sends, for tests that press it.
    pub fn event(&self) -> KeyEvent {
        let modifiers = if self.ctrl { KeyModifiers::CONTROL } else { KeyModifiers::NONE };
        KeyEvent::new(self.code, modifiers)
    }
}

impl fmt::Display for Key {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.ctrl {
            f.write_str("Ctrl-")?;
        }
        match self.code {
            KeyCode::Char(' ') => f.write_str("Space"),
            KeyCode::Char(c) if self.ctrl => write!(f, "{}", c.to_ascii_uppercase()),
            KeyCode::Char(c) => write!(f, "{c}"),
            KeyCode::Up => f.write_str("↑"),
            KeyCode::Down => f.write_str("↓"),
            KeyCode::Left => f.write_str("←"),
            KeyCode::Right => f.write_str("→"),
            other => write!(f, "{other}"),
        }
    }
}

/// The keys each action answers to: the defaults, with the config file's `[keys]` over them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Keymap {
    keys: BTreeMap<Action, Vec<Key>>,
}

impl Default for Keymap {
    fn default() -> Keymap {
        let keys = DEFINITIONS
            .iter()
            .map(|d| (d.action, d.keys.iter().map(|k| Key::parse(k).expect("a default key parses")).collect()))
            .collect();
        Keymap { keys }
    }
}

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

impl Keymap {
    /// The defaults with the `[keys]` of the config file `text` (at `path`) over them. An
    /// unknown action, a key ferry cannot read, or two actions on one key where both work is
    /// refused, naming the file and the line.
    pub fn from_config(text: &str, path: &std::path::Path) -> Result<Keymap, KeysError> {
        let at = |key: &str| {
            let line = text
                .lines()
                .position(|l| {
                    l.trim_start().starts_with(key)
                        && l[l.find(key).unwrap_or(0) + key.len()..].trim_start().starts_with('=')
                })
                .map_or(0, |i| i + 1);
            format!("{}:{line}", path.display())
        };
        let error = |message: String| KeysError { message };
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
            let written: Vec<&str> = match value {
                toml::Value::String(key) => vec![key.as_str()],
                toml::Value::Array(keys) => keys.iter().filter_map(toml::Value::as_str).collect(),
                _ => return Err(error(format!("{}: [keys] {id} must be a key (\"n\") or a list of keys", at(id)))),
            };
            if written.is_empty() || matches!(value, toml::Value::Array(keys) if keys.len() != written.len()) {
                return Err(error(format!("{}: [keys] {id} must be a key (\"n\") or a list of keys", at(id))));
            }
            let keys = written
                .iter()
                .map(|k| {
                    Key::parse(k).ok_or_else(|| {
                        error(format!(
                            "{}: [keys] {id}: {} is not a key ferry can read (a character, Enter, Esc, Tab, Up, Down, Left, Right, Home, End, PageUp, PageDown, Space, Ctrl-<letter>)",
                            at(id),
                            crate::text::escape_controls(k)
                        ))
                    })
                })
                .collect::<Result<Vec<Key>, KeysError>>()?;
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

    /// Two actions on one key where both work (one of them everywhere, or both on one step).
    fn conflict(&self) -> Option<(&'static str, &'static str, Key)> {
        for (index, first) in DEFINITIONS.iter().enumerate() {
            for second in &DEFINITIONS[index + 1..] {
                let overlap = first.scope == second.scope
                    || first.scope == Scope::Everywhere
                    || second.scope == Scope::Everywhere;
                if !overlap {
                    continue;
                }
                if let Some(key) = self.keys_of(first.action).iter().find(|k| self.keys_of(second.action).contains(k)) {
                    return Some((first.id, second.id, *key));
                }
            }
        }
        None
    }

    /// The keys `action` answers to.
    pub fn keys_of(&self, action: Action) -> &[Key] {
        self.keys.get(&action).map_or(&[], Vec::as_slice)
    }

    /// Whether `event` is one of `action`'s keys.
    pub fn is(&self, action: Action, event: &KeyEvent) -> bool {
        self.keys_of(action).iter().any(|key| key.matches(event))
    }

    /// The action among `allowed` that `event` triggers.
    pub fn action(&self, event: &KeyEvent, allowed: &[Action]) -> Option<Action> {
        allowed.iter().copied().find(|action| self.is(*action, event))
    }

    /// The keys of `action` as the footer writes them (`Ctrl-S`, `n/Esc`).
    pub fn label(&self, action: Action) -> String {
        self.keys_of(action).iter().map(Key::to_string).collect::<Vec<_>>().join("/")
    }

    /// The table `ferry keys` prints: action, keys, what it does, where it works.
    pub fn table(&self) -> String {
        let mut rows = vec![("ACTION".to_string(), "KEYS".to_string(), "DOES".to_string(), "WHERE".to_string())];
        for definition in &DEFINITIONS {
            rows.push((
                definition.id.to_string(),
                self.keys_of(definition.action).iter().map(Key::to_string).collect::<Vec<_>>().join(" "),
                definition.hint.to_string(),
                definition.scope.label().to_string(),
            ));
        }
        let width = |pick: fn(&(String, String, String, String)) -> &String| {
            rows.iter().map(|r| pick(r).chars().count()).max().unwrap_or(0)
        };
        let (a, k, d) = (width(|r| &r.0), width(|r| &r.1), width(|r| &r.2));
        rows.iter()
            .map(|(action, keys, does, scope)| format!("{action:<a$}  {keys:<k$}  {does:<d$}  {scope}\n"))
            .collect()
    }
}

/// The keymap of this machine: the defaults with the settings file's `[keys]` over them. A
/// settings file that cannot be read, or a `[keys]` section ferry cannot use, is an error
/// naming the file (and the line).
pub fn load() -> Result<Keymap, KeysError> {
    let Some(path) = crate::config::config_path() else { return Ok(Keymap::default()) };
    match std::fs::read_to_string(&path) {
        Ok(text) => Keymap::from_config(&text, &path),
        Err(error)
            if error.kind() == std::io::ErrorKind::NotFound && std::env::var_os(crate::config::OVERRIDE).is_none() =>
        {
            Ok(Keymap::default())
        }
        Err(error) => Err(KeysError { message: format!("cannot read the config file {}: {error}", path.display()) }),
    }
}

/// The definition of `action`.
pub fn definition(action: Action) -> &'static Definition {
    DEFINITIONS.iter().find(|d| d.action == action).expect("every action is defined")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn from(text: &str) -> Result<Keymap, String> {
        Keymap::from_config(text, std::path::Path::new("/home/ops/.config/ferry/config.toml")).map_err(|e| e.message)
    }

    #[test]
    fn the_defaults_have_no_conflict_and_every_action_a_key() {
        let keymap = Keymap::default();
        assert_eq!(keymap.conflict(), None);
        for definition in &DEFINITIONS {
            assert!(!keymap.keys_of(definition.action).is_empty(), "{}", definition.id);
        }
    }

    #[test]
    fn rebinding_one_key_or_a_list() {
        let keymap =
            from("[audit]\ncloudwatch_log_group = \"x\"\n[keys]\nquit = \"x\"\napprove = [\"A\", \"Ctrl-Y\"]\n")
                .unwrap();
        assert_eq!(keymap.label(Action::Quit), "x");
        assert_eq!(keymap.label(Action::Approve), "A/Ctrl-Y");
        assert!(keymap.is(Action::Approve, &KeyEvent::new(KeyCode::Char('y'), KeyModifiers::CONTROL)));
        assert!(!keymap.is(Action::Quit, &KeyEvent::new(KeyCode::Char('q'), KeyModifiers::NONE)));
    }

    #[test]
    fn unknown_actions_bad_keys_and_conflicts_name_the_file_and_line() {
        let unknown = from("[keys]\n\nfrobnicate = \"f\"\n").unwrap_err();
        assert!(
            unknown.starts_with("/home/ops/.config/ferry/config.toml:3: [keys] frobnicate is not an action"),
            "{unknown}"
        );
        let bad = from("[keys]\nquit = \"Hyper-Q\"\n").unwrap_err();
        assert!(bad.starts_with("/home/ops/.config/ferry/config.toml:2: [keys] quit: Hyper-Q is not a key"), "{bad}");
        let conflict = from("[keys]\nhelp = \"h\"\nquit = \"Enter\"\n").unwrap_err();
        assert!(conflict.contains(":3: [keys] next and quit are both on Enter"), "{conflict}");
        // Two actions of different steps may share a key.
        assert!(from("[keys]\napprove = \"r\"\n").is_ok());
    }

    #[test]
    fn the_table_lists_every_action() {
        let table = Keymap::default().table();
        for definition in &DEFINITIONS {
            assert!(table.lines().any(|l| l.starts_with(definition.id)), "{table}");
        }
    }
}
