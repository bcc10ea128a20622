//! A small Markdown renderer for training notes: headings, bullets, numbered items, block
//! quotes, fenced code, and inline **bold**, *emphasis* and `code`. Enough for notes a
//! trainer writes; anything else shows as its text.

use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};

use super::super::theme;

/// Whether a line starts a block of its own (a heading, an item, a quote, a fence).
fn starts_block(line: &str) -> bool {
    let t = line.trim_start();
    let numbered = t.split_once(". ").is_some_and(|(n, _)| !n.is_empty() && n.chars().all(|c| c.is_ascii_digit()));
    t.is_empty() || numbered || ["#", "- ", "* ", "> ", "```"].iter().any(|m| t.starts_with(m))
}

/// The source's lines with a paragraph's or an item's wrapped lines joined, as Markdown reads
/// them; code blocks kept as they are.
fn joined(text: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut in_code = false;
    for line in text.lines() {
        let fence = line.trim_start().starts_with("```");
        let joins = !in_code && !fence && !starts_block(line);
        match out.last_mut() {
            Some(last)
                if joins
                    && !last.trim().is_empty()
                    && !last.trim_start().starts_with('#')
                    && !last.trim_start().starts_with("```") =>
            {
                last.push(' ');
                last.push_str(line.trim());
            }
            _ => out.push(line.to_string()),
        }
        in_code ^= fence;
    }
    out
}

/// The lines of `text`, styled.
pub fn render(text: &str) -> Vec<Line<'static>> {
    let mut lines = Vec::new();
    let mut in_code = false;
    for raw in joined(text) {
        let line = crate::text::escape_controls(&raw);
        if line.trim_start().starts_with("```") {
            in_code = !in_code;
            continue;
        }
        if in_code {
            lines.push(Line::styled(format!("  {line}"), code()));
            continue;
        }
        lines.push(block(&line));
    }
    lines
}

/// One line outside a code block.
fn block(line: &str) -> Line<'static> {
    let trimmed = line.trim_start();
    if let Some(heading) = trimmed.strip_prefix("# ") {
        return Line::styled(heading.to_uppercase(), theme::key());
    }
    if let Some(heading) = trimmed.strip_prefix("## ").or_else(|| trimmed.strip_prefix("### ")) {
        return Line::styled(heading.to_string(), theme::bold().add_modifier(Modifier::UNDERLINED));
    }
    let indent = " ".repeat(line.len() - trimmed.len());
    if let Some(item) = trimmed.strip_prefix("- ").or_else(|| trimmed.strip_prefix("* ")) {
        return with_prefix(format!("{indent}• "), item);
    }
    if let Some(quote) = trimmed.strip_prefix("> ") {
        return with_prefix("▌ ".to_string(), quote);
    }
    let numbered = trimmed.split_once(". ").filter(|(n, _)| !n.is_empty() && n.chars().all(|c| c.is_ascii_digit()));
    if let Some((number, item)) = numbered {
        return with_prefix(format!("{indent}{number}. "), item);
    }
    Line::from(inline(line))
}

fn with_prefix(prefix: String, rest: &str) -> Line<'static> {
    let mut spans = vec![Span::styled(prefix, theme::key())];
    spans.extend(inline(rest));
    Line::from(spans)
}

fn code() -> Style {
    Style::new().fg(theme::ACCENT)
}

/// `**bold**`, `*emphasis*` and `` `code` `` within a line; an unclosed marker
/// is its own text.
pub fn inline(text: &str) -> Vec<Span<'static>> {
    let mut spans = Vec::new();
    let mut rest = text;
    while !rest.is_empty() {
        let next = ["**", "`", "*"]
            .iter()
            .filter_map(|m| rest.find(m).map(|at| (at, *m)))
            .filter(|(at, m)| rest[at + m.len()..].contains(m))
            .min_by_key(|(at, m)| (*at, std::cmp::Reverse(m.len())));
        let Some((at, marker)) = next else {
            spans.push(Span::raw(rest.to_string()));
            break;
        };
        let after = &rest[at + marker.len()..];
        let end = after.find(marker).unwrap_or(after.len());
        if at > 0 {
            spans.push(Span::raw(rest[..at].to_string()));
        }
        let style = match marker {
            "**" => theme::bold(),
            "`" => code(),
            _ => Style::new().add_modifier(Modifier::ITALIC),
        };
        spans.push(Span::styled(after[..end].to_string(), style));
        rest = &after[(end + marker.len()).min(after.len())..];
    }
    spans
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(line: &Line) -> String {
        line.spans.iter().map(|s| s.content.as_ref()).collect()
    }

    #[test]
    fn headings_bullets_bold_and_code() {
        let lines = render(
            "# Plan\n## Look at\n- the **hash** and\n  `sha256`\n1. first\n```\nferry plan\nsecond\n```\nplain snake_case_name",
        );
        let texts: Vec<String> = lines.iter().map(text).collect();
        assert_eq!(
            texts,
            [
                "PLAN",
                "Look at",
                "• the hash and sha256",
                "1. first",
                "  ferry plan",
                "  second",
                "plain snake_case_name"
            ]
        );
        let bullet = &lines[2];
        assert!(bullet.spans.iter().any(|s| s.content == "hash" && s.style.add_modifier.contains(Modifier::BOLD)));
        assert!(bullet.spans.iter().any(|s| s.content == "sha256" && s.style.fg == Some(theme::ACCENT)));
    }
}
