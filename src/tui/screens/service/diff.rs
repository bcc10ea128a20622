//! The edited artifact against the generated one, as a unified diff (`similar`): what an
//! operator reviews before approving a plan that ships their edit.

use ratatui::style::Style;
use similar::{ChangeTag, TextDiff};

use crate::tui::theme;

/// Lines of context kept around each change, as `diff -u` does.
const CONTEXT: usize = 3;

/// The diff of `generated` to `edited`: a count, then each hunk's header and lines, `-` for
/// what the edit took out and `+` for what it put in (the signs stay without colour).
pub fn diff_lines(generated: &str, edited: &str) -> Vec<Vec<(Style, String)>> {
    let diff = TextDiff::from_lines(generated, edited);
    let (mut added, mut removed) = (0, 0);
    for change in diff.iter_all_changes() {
        match change.tag() {
            ChangeTag::Insert => added += 1,
            ChangeTag::Delete => removed += 1,
            ChangeTag::Equal => {}
        }
    }
    let mut lines = vec![vec![(theme::bold(), format!("generated → edited: +{added} −{removed} lines"))]];
    for hunk in diff.unified_diff().context_radius(CONTEXT).iter_hunks() {
        lines.push(vec![(theme::dim(), hunk.header().to_string())]);
        for change in hunk.iter_changes() {
            let (sign, style) = match change.tag() {
                ChangeTag::Delete => ("-", theme::error()),
                ChangeTag::Insert => ("+", theme::ok()),
                ChangeTag::Equal => (" ", Style::new()),
            };
            let text = change.to_string_lossy();
            lines.push(vec![(style, format!("{sign}{}", text.trim_end_matches(['\n', '\r'])))]);
        }
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(lines: &[Vec<(Style, String)>]) -> Vec<String> {
        lines.iter().map(|l| l.iter().map(|(_, s)| s.as_str()).collect()).collect()
    }

    #[test]
    fn an_edit_is_a_hunk_with_its_context() {
        let generated = "{\n  \"a\": 1,\n  \"cpu\": \"1024\",\n  \"b\": 2\n}\n";
        let edited = "{\n  \"a\": 1,\n  \"cpu\": \"999\",\n  \"b\": 2\n}\n";
        let lines = diff_lines(generated, edited);
        assert_eq!(
            text(&lines),
            vec![
                "generated → edited: +1 −1 lines",
                "@@ -1,5 +1,5 @@",
                " {",
                "   \"a\": 1,",
                "-  \"cpu\": \"1024\",",
                "+  \"cpu\": \"999\",",
                "   \"b\": 2",
                " }",
            ]
        );
        assert_eq!(lines[4][0].0, theme::error());
        assert_eq!(lines[5][0].0, theme::ok());
    }

    #[test]
    fn the_same_text_has_no_hunk() {
        assert_eq!(text(&diff_lines("a\n", "a\n")), vec!["generated → edited: +0 −0 lines"]);
        assert_eq!(text(&diff_lines("a", "a\n")).len(), 4, "a missing last newline is a change");
    }
}
