//! The line taking typed text: `:` switches kind, `/` filters as you type.

use ratatui::Frame;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};

use super::{Context, Place, Reply, View};
use crate::inventory::Kind;
use crate::tui::actions::{Action, Keymap};
use crate::tui::keymap::Hint;
use crate::tui::theme;

/// A prompt and the text typed so far.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Prompt {
    /// `:`, a kind's name, alias or prefix.
    Command(String),
    /// `/`, the current table's filter.
    Filter(String),
}

impl Prompt {
    fn text_mut(&mut self) -> &mut String {
        match self {
            Prompt::Command(text) | Prompt::Filter(text) => text,
        }
    }
}

impl View for Prompt {
    fn place(&self) -> Place {
        Place::StatusLine
    }

    fn handle_key(&mut self, ctx: &Context, key: KeyEvent) -> Reply {
        if ctx.keymap.is(Action::Cancel, &key) {
            return match self {
                // Leaving the filter shows every row again.
                Prompt::Filter(_) => Reply::CloseThen(Box::new(Reply::Filter(String::new()))),
                Prompt::Command(_) => Reply::Close,
            };
        }
        if ctx.keymap.is(Action::Accept, &key) {
            return match self {
                Prompt::Command(text) => Reply::CloseThen(Box::new(switch_to(text))),
                // The filter was applied as it was typed: it stays.
                Prompt::Filter(_) => Reply::Close,
            };
        }
        edit(self.text_mut(), ctx.keymap, &key);
        match self {
            // The filter applies as it is typed.
            Prompt::Filter(text) => Reply::Filter(text.clone()),
            Prompt::Command(_) => Reply::Nothing,
        }
    }

    fn render(&self, _ctx: &Context, frame: &mut Frame, area: Rect) {
        let line = match self {
            Prompt::Command(text) => Line::from(vec![
                Span::styled(format!(":{text}▏"), theme::bold()),
                Span::styled(format!("   {}", kinds_matching(text)), theme::dim()),
            ]),
            Prompt::Filter(text) => Line::styled(format!("/{text}▏"), theme::bold()),
        };
        frame.render_widget(line, area);
    }

    /// None: the prompt's line is its own cue, and the footer keeps naming the keys of the
    /// view below, which work again once Enter or Esc closes the prompt.
    fn hints(&self, _ctx: &Context) -> Vec<Hint> {
        Vec::new()
    }

    fn is_typing(&self) -> bool {
        true
    }
}

/// Types `key` into `text`: a character, a Backspace, or clearing the whole entry.
fn edit(text: &mut String, keymap: &Keymap, key: &KeyEvent) {
    if keymap.is(Action::ClearEntry, key) {
        text.clear();
    } else if key.code == KeyCode::Backspace {
        text.pop();
    } else if let KeyCode::Char(c) = key.code
        && !c.is_control()
        && !key.modifiers.contains(KeyModifiers::CONTROL)
    {
        text.push(c);
    }
}

/// What an accepted `:` asks: the kind it names, or why there is none.
fn switch_to(text: &str) -> Reply {
    match Kind::parse(text) {
        Some(kind) => Reply::SwitchKind(kind),
        None => {
            let names = Kind::ALL.iter().map(|k| k.aliases()[0]).collect::<Vec<_>>().join(", ");
            Reply::Status(format!("no resource kind {text:?}: try {names}"))
        }
    }
}

/// The kinds whose names start with `text` (all of them for none), as `:` offers them.
pub(super) fn kinds_matching(text: &str) -> String {
    let names: Vec<&str> = Kind::ALL
        .iter()
        .filter(|k| text.is_empty() || k.aliases().iter().any(|a| a.starts_with(&text.to_lowercase())))
        .map(|k| k.aliases()[0])
        .collect();
    names.join("  ")
}
