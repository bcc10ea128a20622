//! The details of one resource: what it is connected to, read when it is opened, scrolled.

use ratatui::Frame;
use ratatui::crossterm::event::KeyEvent;
use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::widgets::{Paragraph, Wrap};

use super::related::related_lines;
use super::{Context, Place, Reply, View};
use crate::inventory::{Kind, Related};
use crate::tui::actions::{Action, Keymap};
use crate::tui::app::Loadable;
use crate::tui::keymap::{Hint, of, pair};
use crate::tui::theme;
use crate::tui::widgets::{panel, safe};

/// The keys while a resource's details are open.
pub fn detail_hints(keymap: &Keymap) -> Vec<Hint> {
    vec![
        of(keymap, Action::Back),
        pair(keymap, Action::MoveUp, Action::MoveDown, "scroll"),
        of(keymap, Action::Help),
        of(keymap, Action::Quit),
    ]
}

/// The resource opened with Enter, and what it is connected to.
#[derive(Debug, Clone)]
pub struct Details {
    /// The kind of the resource.
    pub kind: Kind,
    /// What `related` takes for this resource (id, ARN or name).
    pub key: String,
    /// The resource's first cell, its name.
    pub title: String,
    /// What it is connected to, once read.
    pub related: Loadable<Box<Related>>,
    /// Lines scrolled past.
    pub scroll: u16,
}

impl Details {
    /// A resource's details, before what it is connected to has been read.
    pub fn new(kind: Kind, key: String, title: String) -> Details {
        Details { kind, key, title, related: Loadable::Loading, scroll: 0 }
    }

    /// Takes what the resource is connected to, or why it could not be read; an answer for
    /// another resource (opened before this one) is left alone.
    pub fn take_related(&mut self, kind: Kind, key: &str, result: Result<Box<Related>, String>) {
        if self.kind != kind || self.key != key {
            return;
        }
        self.related = match result {
            Ok(related) => Loadable::Ready(related),
            Err(error) => Loadable::Failed(error),
        };
    }
}

impl View for Details {
    fn place(&self) -> Place {
        Place::Body
    }

    fn handle_key(&mut self, ctx: &Context, key: KeyEvent) -> Reply {
        use Action::{Back, CloseDetails, Help, MoveDown, MoveUp, Next, PageDown, PageUp, Quit};
        let keys = [Back, Next, CloseDetails, MoveDown, MoveUp, PageDown, PageUp, Quit, Help];
        let step: i16 = match ctx.keymap.action(&key, &keys) {
            Some(Back | Next | CloseDetails) => return Reply::Close,
            Some(Quit) => return Reply::Quit,
            Some(Help) => return Reply::OpenHelp,
            Some(MoveDown) => 1,
            Some(MoveUp) => -1,
            Some(PageDown) => 20,
            Some(PageUp) => -20,
            Some(_) | None => return Reply::Nothing,
        };
        self.scroll = self.scroll.saturating_add_signed(step);
        Reply::Nothing
    }

    fn render(&self, ctx: &Context, frame: &mut Frame, area: Rect) {
        let back = ctx.keymap.label(Action::Back);
        let title = format!(" {} {} · {back} back ", self.kind.title(), self.title);
        let lines = match &self.related {
            Loadable::Ready(related) => related_lines(related),
            Loadable::Failed(error) => {
                vec![Line::styled("could not read what this is connected to", theme::warn()), Line::from(safe(error))]
            }
            _ => vec![Line::from("reading related resources…")],
        };
        frame.render_widget(
            Paragraph::new(lines).block(panel(title, true)).wrap(Wrap { trim: false }).scroll((self.scroll, 0)),
            area,
        );
    }

    fn hints(&self, ctx: &Context) -> Vec<Hint> {
        detail_hints(ctx.keymap)
    }
}
