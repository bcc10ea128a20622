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

/// `text` broken into lines of at most `width` characters, at spaces where it can be.
pub fn wrap(text: &str, width: usize) -> Vec<String> {
    let width = width.max(1);
    let mut lines = Vec::new();
    let mut line = String::new();
    for word in text.split(' ') {
        let mut word = word.to_string();
        while word.chars().count() > width {
            if !line.is_empty() {
                lines.push(std::mem::take(&mut line));
            }
            let head: String = word.chars().take(width).collect();
            word = word.chars().skip(width).collect();
            lines.push(head);
        }
        let used = line.chars().count();
        if used > 0 && used + 1 + word.chars().count() > width {
            lines.push(std::mem::take(&mut line));
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(&word);
    }
    if !line.is_empty() || lines.is_empty() {
        lines.push(line);
    }
    lines
}

/// A pane's scroll, never past its end: the last line is at most at the bottom of the pane
/// (`lines` long, drawn in `area` with a border).
pub fn clamp_scroll(scroll: u16, lines: usize, area: ratatui::layout::Rect) -> u16 {
    let shown = usize::from(area.height.saturating_sub(2));
    scroll.min(u16::try_from(lines.saturating_sub(shown)).unwrap_or(u16::MAX))
}

#[cfg(test)]
mod tests {
    use super::wrap;

    #[test]
    fn wraps_at_spaces_and_cuts_long_words() {
        assert_eq!(wrap("one two three", 7), vec!["one two", "three"]);
        assert_eq!(wrap("abcdefghij", 4), vec!["abcd", "efgh", "ij"]);
        assert_eq!(wrap("", 4), vec![""]);
    }
}
