use ratatui::crossterm::event::{KeyCode, KeyEvent};

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

    /// Handles movement and filter keys; returns whether the key was used.
    pub fn handle_key(&mut self, key: KeyEvent, len: usize) -> bool {
        if self.editing {
            match key.code {
                KeyCode::Enter => self.editing = false,
                KeyCode::Esc => {
                    self.editing = false;
                    self.filter.clear();
                }
                KeyCode::Backspace => {
                    self.filter.pop();
                }
                KeyCode::Char(c) if !c.is_control() => self.filter.push(c),
                _ => {}
            }
            self.selected = 0;
            return true;
        }
        let last = len.saturating_sub(1);
        match key.code {
            KeyCode::Up | KeyCode::Char('k') => self.selected = self.selected.min(last).saturating_sub(1),
            KeyCode::Down | KeyCode::Char('j') => self.selected = (self.selected + 1).min(last),
            KeyCode::Home | KeyCode::Char('g') => self.selected = 0,
            KeyCode::End | KeyCode::Char('G') => self.selected = last,
            KeyCode::PageUp => self.selected = self.selected.min(last).saturating_sub(10),
            KeyCode::PageDown => self.selected = (self.selected + 10).min(last),
            KeyCode::Char('/') => {
                self.editing = true;
                self.selected = 0;
            }
            _ => return false,
        }
        true
    }

    /// The block title suffix: ` /text` while filtering.
    pub fn title_suffix(&self) -> String {
        match (self.editing, self.filter.is_empty()) {
            (true, _) => format!(" /{}▏", self.filter),
            (false, false) => format!(" /{}", self.filter),
            (false, true) => String::new(),
        }
    }
}
