//! One key as the config file writes it and as the footer shows it.

use std::fmt;

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

/// A key as the config file writes it: `Enter`, `Esc`, `Tab`, `Up`, `PageDown`, `Ctrl-S`,
/// or one character (`a`, `R`, `?`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Key {
    code: KeyCode,
    ctrl: bool,
}

/// The keys with a name, as the config file writes them.
const NAMED: [(&str, KeyCode); 14] = [
    ("Enter", KeyCode::Enter),
    ("Esc", KeyCode::Esc),
    ("Tab", KeyCode::Tab),
    ("BackTab", KeyCode::BackTab),
    ("Backspace", KeyCode::Backspace),
    ("Up", KeyCode::Up),
    ("Down", KeyCode::Down),
    ("Left", KeyCode::Left),
    ("Right", KeyCode::Right),
    ("Home", KeyCode::Home),
    ("End", KeyCode::End),
    ("PageUp", KeyCode::PageUp),
    ("PageDown", KeyCode::PageDown),
    ("Space", KeyCode::Char(' ')),
];

impl Key {
    /// Reads a key as written; `None` for a name ferry does not know.
    pub fn parse(text: &str) -> Option<Key> {
        let (ctrl, name) = match text.strip_prefix("Ctrl-").or_else(|| text.strip_prefix("ctrl-")) {
            Some(rest) => (true, rest),
            None => (false, text),
        };
        let code = match NAMED.iter().find(|(n, _)| *n == name) {
            Some((_, code)) => *code,
            None if name.chars().count() == 1 => {
                let c = name.chars().next()?;
                // Ctrl with a letter arrives lower case whatever the shift key does.
                KeyCode::Char(if ctrl { c.to_ascii_lowercase() } else { c })
            }
            None => return None,
        };
        // Ctrl-Enter and the like do not reach a terminal program distinctly, and Ctrl-M and
        // Ctrl-J are how a terminal sends Enter.
        if ctrl && !matches!(code, KeyCode::Char(c) if c.is_ascii_alphabetic() && c != 'm' && c != 'j') {
            return None;
        }
        Some(Key { code, ctrl })
    }

    /// Whether `event` is this key.
    pub fn matches(&self, event: &KeyEvent) -> bool {
        let ctrl = event.modifiers.contains(KeyModifiers::CONTROL);
        ctrl == self.ctrl && event.code == self.code
    }

    /// Whether `event` is this key, a letter in either case: answers to a question, so that
    /// caps lock does not turn a `y` into a no.
    pub fn answers(&self, event: &KeyEvent) -> bool {
        let ctrl = event.modifiers.contains(KeyModifiers::CONTROL);
        let same_letter = match (self.code, event.code) {
            (KeyCode::Char(a), KeyCode::Char(b)) => a.eq_ignore_ascii_case(&b),
            (a, b) => a == b,
        };
        ctrl == self.ctrl && same_letter
    }

    /// The event the key sends, for tests that press it.
    pub fn event(&self) -> KeyEvent {
        let modifiers = if self.ctrl { KeyModifiers::CONTROL } else { KeyModifiers::NONE };
        KeyEvent::new(self.code, modifiers)
    }

    /// Whether it is a plain character, which a text field takes as text.
    pub fn is_text(&self) -> bool {
        !self.ctrl && matches!(self.code, KeyCode::Char(_))
    }
}

/// A key pressed in a one-line text field, with a newline read as Enter: Ctrl-M and Ctrl-J
/// (which ends a pasted line) accept the field as Enter does.
pub fn in_text_field(event: KeyEvent) -> KeyEvent {
    let ctrl = event.modifiers.contains(KeyModifiers::CONTROL);
    match event.code {
        KeyCode::Char('m' | 'j') if ctrl => KeyEvent::new(KeyCode::Enter, KeyModifiers::NONE),
        _ => event,
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
            // Named as the config file names them, on every platform.
            code => match NAMED.iter().find(|(_, c)| *c == code) {
                Some((name, _)) => f.write_str(name),
                None => write!(f, "{code}"),
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_read_back_as_written() {
        for written in ["Enter", "Esc", "Tab", "BackTab", "Backspace", "Home", "PageUp", "Ctrl-S", "a", "?", "Space"] {
            assert_eq!(Key::parse(written).unwrap().to_string(), written);
        }
        assert_eq!(Key::parse("Up").unwrap().to_string(), "↑");
        assert_eq!(Key::parse("Ctrl-Enter"), None);
        assert_eq!(Key::parse("Ctrl-J"), None, "a terminal sends Enter as Ctrl-J");
    }

    #[test]
    fn an_answer_ignores_the_shift_key() {
        let y = Key::parse("y").unwrap();
        assert!(y.answers(&KeyEvent::new(KeyCode::Char('Y'), KeyModifiers::SHIFT)));
        assert!(!y.matches(&KeyEvent::new(KeyCode::Char('Y'), KeyModifiers::SHIFT)));
        assert!(!y.answers(&KeyEvent::new(KeyCode::Char('n'), KeyModifiers::NONE)));
    }
}
