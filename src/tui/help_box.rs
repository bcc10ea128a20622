//! The `?` box: drawn whole when it fits; on a terminal too small for it, as tall as the
//! terminal and scrolled with the moves, never past its last line. Any other key closes it.

use ratatui::Frame;
use ratatui::crossterm::event::KeyEvent;
use ratatui::text::Line;
use ratatui::widgets::{Block, Borders, Clear, Paragraph, Wrap};

use super::app::App;
use super::theme;

/// Draws the help's `lines` in a box over the screen.
pub fn render(app: &App, frame: &mut Frame, lines: Vec<Line<'static>>) {
    let area = frame.area();
    let width = (lines.iter().map(Line::width).max().unwrap_or(20) as u16 + 6).min(area.width);
    let inner = usize::from(width.saturating_sub(2)).max(1);
    let rows: usize = lines.iter().map(|l| l.width().max(1).div_ceil(inner)).sum();
    if rows + 2 <= usize::from(area.height) {
        return super::view::confirm(frame, " Keys ", lines);
    }
    let keys = app.keymap.short_pair_label(super::actions::Action::MoveUp, super::actions::Action::MoveDown);
    let title = format!(" Keys · {keys} scroll ");
    let cell = super::view::centered(area, width, area.height);
    frame.render_widget(Clear, cell);
    let block = Block::new().borders(Borders::ALL).title(title).border_style(theme::focused_border());
    app.help_scroll.render(Paragraph::new(lines).wrap(Wrap { trim: false }), block, frame, cell);
}

/// A key while the help is open: whether it scrolled (any other key closes the help).
pub fn scroll_key(app: &mut App, key: &KeyEvent) -> bool {
    app.help_scroll.can_scroll() && app.help_scroll.key(&app.keymap, key)
}
