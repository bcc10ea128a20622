//! The one-line entry of a prompt (the source folder, a secret's source): a bordered text
//! field, lit while it takes keys and dimmed while the prompt asks something else.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::widgets::{Block, Borders};
use ratatui_textarea::TextArea;

use crate::tui::theme;

pub fn render_entry(frame: &mut Frame, area: Rect, input: &TextArea<'static>, title: &'static str, editing: bool) {
    let mut input = input.clone();
    let border = if editing { theme::focused_border() } else { theme::dim() };
    input.set_block(Block::new().borders(Borders::ALL).title(title).border_style(border));
    if !editing {
        input.set_cursor_style(Style::new());
    }
    frame.render_widget(&input, area);
}
