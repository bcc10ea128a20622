use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, BorderType, Borders};

use crate::model::Evidence;
use crate::tui::theme;

/// Untrusted text (names, tags, user data) made safe to draw.
pub fn safe(text: &str) -> String {
    crate::text::escape_controls(text)
}

/// At most `width` characters, with `…` when cut.
pub fn truncate(text: &str, width: usize) -> String {
    if text.chars().count() <= width {
        return text.to_string();
    }
    let mut out: String = text.chars().take(width.saturating_sub(1)).collect();
    out.push('…');
    out
}

/// A bordered panel, highlighted when it has the focus.
pub fn panel(title: String, focused: bool) -> Block<'static> {
    let block = Block::new().borders(Borders::ALL).border_type(BorderType::Plain).title(title);
    if focused { block.border_style(theme::focused_border()) } else { block }
}

/// `  ← evidence` in the dim style of a fact's source.
pub fn evidence_line(evidence: &Evidence) -> Line<'static> {
    Line::from(vec![Span::styled(format!("  ← {}", safe(&evidence.text)), theme::dim())])
}

const SPINNER: [&str; 10] = ["⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"];

/// A braille spinner frame for the tick count.
pub fn spinner(ticks: u64) -> Span<'static> {
    Span::styled(SPINNER[(ticks % SPINNER.len() as u64) as usize], Style::new().fg(theme::RUNNING))
}
