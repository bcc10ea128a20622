//! A styled line seen through a window that scrolls sideways: `…` where it is cut, on either
//! side, so a reader knows there is more.

use ratatui::style::Style;
use ratatui::text::{Line, Span};

use super::safe;

/// The columns `from..from + width` of `pieces` (each made safe to draw first), with `…` in
/// the first column when something is cut on the left and in the last when something is cut
/// on the right. Counts characters: the artifacts shown this way are ASCII but for what the
/// operator types.
pub fn crop_line(pieces: &[(Style, String)], from: usize, width: usize) -> Line<'static> {
    let pieces: Vec<(Style, Vec<char>)> =
        pieces.iter().map(|(style, text)| (*style, safe(text).chars().collect())).collect();
    let total: usize = pieces.iter().map(|(_, chars)| chars.len()).sum();
    if width == 0 {
        return Line::default();
    }
    let cut_left = from > 0 && total > 0;
    let cut_right = total > from + width;
    let mut spans = Vec::new();
    if cut_left {
        spans.push(Span::styled("…", super::super::theme::dim()));
    }
    // The columns of text shown between the marks.
    let start = from + usize::from(cut_left);
    let end = (from + width).saturating_sub(usize::from(cut_right)).max(start);
    let mut at = 0;
    for (style, chars) in &pieces {
        let (piece_start, piece_end) = (at, at + chars.len());
        at = piece_end;
        let (a, b) = (start.max(piece_start), end.min(piece_end));
        if a < b {
            spans.push(Span::styled(chars[a - piece_start..b - piece_start].iter().collect::<String>(), *style));
        }
    }
    if cut_right {
        spans.push(Span::styled("…", super::super::theme::dim()));
    }
    Line::from(spans)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(line: &Line) -> String {
        line.spans.iter().map(|s| s.content.as_ref()).collect()
    }

    fn plain(text: &str) -> Vec<(Style, String)> {
        vec![(Style::new(), text.to_string())]
    }

    #[test]
    fn marks_each_side_that_is_cut() {
        assert_eq!(text(&crop_line(&plain("abcdefghij"), 0, 20)), "abcdefghij");
        assert_eq!(text(&crop_line(&plain("abcdefghij"), 0, 5)), "abcd…");
        assert_eq!(text(&crop_line(&plain("abcdefghij"), 3, 5)), "…efg…");
        assert_eq!(text(&crop_line(&plain("abcdefghij"), 5, 5)), "…ghij");
        assert_eq!(text(&crop_line(&plain("abc"), 5, 5)), "…", "scrolled past a short line: only the mark");
        assert_eq!(text(&crop_line(&plain(""), 5, 5)), "");
        assert_eq!(text(&crop_line(&plain("abc"), 0, 0)), "");
    }

    #[test]
    fn keeps_each_piece_its_style_and_makes_it_safe() {
        let bold = Style::new().bold();
        let pieces = vec![(Style::new(), "ab".to_string()), (bold, "cd\u{1b}".to_string())];
        let line = crop_line(&pieces, 1, 4);
        assert_eq!(text(&line), "…cd…");
        assert_eq!(line.spans[1].style, bold);
    }
}
