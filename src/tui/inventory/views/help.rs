//! The help: a box over the browser naming the table's keys and the kinds `:` takes.

use ratatui::Frame;
use ratatui::crossterm::event::KeyEvent;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Clear, Paragraph, Wrap};

use super::prompt::kinds_matching;
use super::{Context, Place, Reply, View, table_hints};
use crate::tui::keymap::Hint;
use crate::tui::theme;
use crate::tui::widgets::panel;

/// The help view. It keeps no state: whether it is open is the app's `help`.
#[derive(Debug, Clone, Copy, Default)]
pub struct Help;

impl View for Help {
    fn place(&self) -> Place {
        Place::Overlay
    }

    /// Any key closes it, so that no key is ever lost to it unexpectedly.
    fn handle_key(&mut self, _ctx: &Context, _key: KeyEvent) -> Reply {
        Reply::Close
    }

    /// Centred in `area`, over what is drawn there.
    fn render(&self, ctx: &Context, frame: &mut Frame, area: Rect) {
        let mut lines = vec![
            Line::styled("Inventory: the account, read-only", theme::bold()),
            Line::from("Nothing here can change the account: this browser only reads."),
            Line::from(""),
        ];
        lines.extend(table_hints(ctx.keymap).into_iter().map(|hint| {
            Line::from(vec![Span::styled(format!("{:>8}  ", hint.keys), theme::key()), Span::raw(hint.label)])
        }));
        lines.push(Line::from(""));
        lines.push(Line::styled("kinds for ':'", theme::dim()));
        lines.push(Line::styled(format!("  {}", kinds_matching("")), theme::dim()));
        lines.push(Line::styled("any key closes this help", theme::dim()));
        let width = 80.min(area.width);
        let height = (lines.len() as u16 + 2).min(area.height);
        let area = Rect {
            x: area.x + area.width.saturating_sub(width) / 2,
            y: area.y + area.height.saturating_sub(height) / 2,
            width,
            height,
        };
        frame.render_widget(Clear, area);
        frame.render_widget(Paragraph::new(lines).block(panel(" Keys ".into(), true)).wrap(Wrap { trim: false }), area);
    }

    /// None: the box says its keys itself, and the footer below stays as it was.
    fn hints(&self, _ctx: &Context) -> Vec<Hint> {
        Vec::new()
    }
}
