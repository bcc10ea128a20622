use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use crate::tui::actions::{Action, Keymap};

/// Selection and `/` filter of a list or table. The screen decides what matches.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FilteredList {
    pub selected: usize,
    pub filter: String,
    /// The filter prompt is open and takes every key.
    pub editing: bool,
}

impl FilteredList {
    /// Whether `text` passes the filter (case-insensitive substring).
    pub fn matches(&self, text: &str) -> bool {
        self.filter.is_empty() || text.to_lowercase().contains(&self.filter.to_lowercase())
    }

    /// The selection clamped to a list of `len` visible rows.
    pub fn selected_in(&self, len: usize) -> Option<usize> {
        (len > 0).then(|| self.selected.min(len - 1))
    }

    /// Handles movement and filter keys, as `keymap` binds them; returns whether the key was used.
    pub fn handle_key(&mut self, keymap: &Keymap, key: KeyEvent, len: usize) -> bool {
        if self.editing {
            self.filter_key(keymap, key);
            self.selected = 0;
            return true;
        }
        const KEYS: [Action; 7] = [
            Action::MoveUp,
            Action::MoveDown,
            Action::First,
            Action::Last,
            Action::PageUp,
            Action::PageDown,
            Action::Filter,
        ];
        let last = len.saturating_sub(1);
        match keymap.action(&key, &KEYS) {
            Some(Action::MoveUp) => self.selected = self.selected.min(last).saturating_sub(1),
            Some(Action::MoveDown) => self.selected = (self.selected + 1).min(last),
            Some(Action::First) => self.selected = 0,
            Some(Action::Last) => self.selected = last,
            Some(Action::PageUp) => self.selected = self.selected.min(last).saturating_sub(10),
            Some(Action::PageDown) => self.selected = (self.selected + 10).min(last),
            Some(_) => {
                self.editing = true;
                self.selected = 0;
            }
            None => return false,
        }
        true
    }

    /// A key while the filter prompt is open: Enter keeps the filter, Esc clears it.
    fn filter_key(&mut self, keymap: &Keymap, key: KeyEvent) {
        let key = crate::tui::actions::in_text_field(key);
        if keymap.is(Action::Accept, &key) {
            self.editing = false;
        } else if keymap.is(Action::Cancel, &key) {
            self.editing = false;
            self.filter.clear();
        } else if keymap.is(Action::ClearEntry, &key) {
            self.filter.clear();
        } else if key.code == KeyCode::Backspace {
            self.filter.pop();
        } else if let KeyCode::Char(c) = key.code
            && !c.is_control()
            && !key.modifiers.contains(KeyModifiers::CONTROL)
        {
            self.filter.push(c);
        }
    }

    /// The block title suffix: ` /text` while filtering.
    /// Clears a kept filter; false when there was none.
    pub fn clear_filter(&mut self) -> bool {
        let had = !self.filter.is_empty();
        self.filter.clear();
        had
    }

    pub fn title_suffix(&self) -> String {
        match (self.editing, self.filter.is_empty()) {
            (true, _) => format!(" /{}▏", self.filter),
            (false, false) => format!(" /{}", self.filter),
            (false, true) => String::new(),
        }
    }
}
