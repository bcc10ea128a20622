//! Every action a key can do in the wizard and the inventory browser, defined once: its id
//! (what `[keys]` in the config file and `ferry keys` call it), its default keys, its hint
//! text, and where it works. The key handlers, the footers, `?` help and the messages that
//! name a key all read these definitions through the [`Keymap`], so a rebound key is rebound
//! everywhere. Typed text (characters and Backspace in a text field) is not an action.

mod config;
mod definitions;
mod key;

use std::collections::BTreeMap;

use ratatui::crossterm::event::KeyEvent;

pub use config::{KeysError, load};
pub use definitions::{Action, DEFINITIONS, Definition, Scope, definition};
pub use key::{Key, in_text_field};

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

impl Keymap {
    /// The keys `action` answers to.
    pub fn keys_of(&self, action: Action) -> &[Key] {
        self.keys.get(&action).map_or(&[], Vec::as_slice)
    }

    /// Whether `event` is one of `action`'s keys.
    pub fn is(&self, action: Action, event: &KeyEvent) -> bool {
        self.keys_of(action).iter().any(|key| key.matches(event))
    }

    /// Whether `event` answers a question with `action`: one of its keys, a letter in either
    /// case.
    pub fn answers(&self, action: Action, event: &KeyEvent) -> bool {
        self.keys_of(action).iter().any(|key| key.answers(event))
    }

    /// The action among `allowed` that `event` triggers.
    pub fn action(&self, event: &KeyEvent, allowed: &[Action]) -> Option<Action> {
        allowed.iter().copied().find(|action| self.is(*action, event))
    }

    /// The keys of `action` as the footer writes them (`Ctrl-S`, `u/Ctrl-R`).
    pub fn label(&self, action: Action) -> String {
        self.keys_of(action).iter().map(Key::to_string).collect::<Vec<_>>().join("/")
    }

    /// Two actions' keys as one hint: the keys at each position together, in code-point order,
    /// the positions joined by `/` (`↑↓/jk` for move_up and move_down). Rebound to unlike
    /// lists (another count, a key longer than one glyph), each action's own label, `↑/k n`.
    pub fn pair_label(&self, first: Action, second: Action) -> String {
        let (a, b) = (self.keys_of(first), self.keys_of(second));
        match paired(a, b) {
            Some(positions) => positions.join("/"),
            None => format!("{} {}", self.label(first), self.label(second)),
        }
    }

    /// As [`Keymap::pair_label`], the first key of each only (`↑↓`), where room is short.
    pub fn short_pair_label(&self, first: Action, second: Action) -> String {
        let head = |action| self.keys_of(action).first().copied().into_iter().collect::<Vec<Key>>();
        let (a, b) = (head(first), head(second));
        match paired(&a, &b) {
            Some(positions) => positions.concat(),
            None => [a, b].iter().flatten().map(Key::to_string).collect::<Vec<_>>().join(" "),
        }
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

/// The keys of `a` and `b` position by position; two glyphs of a kind (arrows, letters) in
/// code-point order (`↑` before `↓`, `j` before `k`), else `a`'s first. `None` unless both
/// have as many keys, each one glyph.
fn paired(a: &[Key], b: &[Key]) -> Option<Vec<String>> {
    let glyph = |key: &Key| Some(key.to_string()).filter(|s| s.chars().count() == 1);
    if a.len() != b.len() || a.is_empty() {
        return None;
    }
    a.iter()
        .zip(b)
        .map(|(x, y)| {
            let mut two = [glyph(x)?, glyph(y)?];
            if two[0].is_ascii() == two[1].is_ascii() {
                two.sort();
            }
            Some(two.concat())
        })
        .collect()
}

#[cfg(test)]
mod tests;
