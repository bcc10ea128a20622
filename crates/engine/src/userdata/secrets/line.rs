//! Masking one line: every rule that reads a single line, its spans merged into one mask each.

use super::MASK;
use super::commands::command_spans;
use super::keyvalue::key_value_spans;
use super::names::{is_reference, is_secret_name, looks_random};
use super::shell::{Word, words};
use super::values::{Span, parameter_spans, pgpass_span, url_credential_spans};

/// The spans of every secret on one line; `names` gathers what held them.
pub(super) fn line_spans(line: &str, names: &mut Vec<String>) -> Vec<Span> {
    let words = words(line);
    let mut spans = parameter_spans(line);
    spans.extend(key_value_spans(line, &words, names));
    spans.extend(command_spans(&words, names));
    spans.extend(netrc_password(&words));
    for word in &words {
        let (start, text) = word.unquoted();
        if let Some(span) = assignment_span(start, text, names) {
            spans.push(span);
        }
        let credentials = url_credential_spans(text);
        if let Some((name, _)) = text.split_once('=').filter(|(name, _)| !credentials.is_empty() && is_name(name)) {
            names.push(name.to_string());
        }
        spans.extend(credentials.into_iter().map(|(s, e)| (start + s, start + e)));
        spans.extend(pgpass_span(text, true).map(|(s, e)| (start + s, start + e)));
        if let Some((inner_start, inner)) = inner_line(start, text).filter(|(_, inner)| inner.len() < word.text.len()) {
            // A quoted command or string (`su -c "mysql -ppw"`, `psql "password=pw"`) or a
            // command substitution is read as a line of its own; always a shorter one.
            spans.extend(line_spans(inner, names).into_iter().map(|(s, e)| (inner_start + s, inner_start + e)));
        }
    }
    spans
}

/// The text inside a quoted word or a `$(...)` that holds more than one word.
fn inner_line(start: usize, text: &str) -> Option<(usize, &str)> {
    let inner = text.strip_prefix("$(").and_then(|t| t.strip_suffix(')')).map_or((start, text), |t| (start + 2, t));
    inner.1.contains(char::is_whitespace).then_some(inner)
}

/// `NAME=value` with a secret name or a random-looking value, also after `export` and
/// systemd's `Environment=` and inside quotes: the whole value.
fn assignment_span(start: usize, text: &str, names: &mut Vec<String>) -> Option<Span> {
    // `export PW='x';` ends a command: the `;` is no part of the value.
    let (mut start, mut text) = (start, text.strip_suffix(';').unwrap_or(text));
    while let Some(rest) = text.strip_prefix("Environment=").or_else(|| text.strip_prefix("export=")) {
        (start, text) = super::shell::unquote(start + text.len() - rest.len(), rest);
    }
    let (name, value) = text.split_once('=')?;
    if !is_name(name) {
        return None;
    }
    let value_start = start + name.len() + 1;
    let (value_start, value) = super::shell::unquote(value_start, value);
    let value = value.strip_suffix(['"', '\'']).unwrap_or(value);
    let secret = is_secret_name(name) || looks_random(value);
    if !secret || value.is_empty() || value == MASK || is_reference(value) {
        return None;
    }
    names.push(name.trim_start_matches('-').to_string());
    Some((value_start, value_start + value.len()))
}

fn is_name(text: &str) -> bool {
    let text = text.trim_start_matches('-');
    !text.is_empty() && text.chars().all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-' || c == '.')
}

/// `.netrc`: `machine h login u password p`, or `password p` on a line of its own.
fn netrc_password(words: &[Word<'_>]) -> Option<Span> {
    let at = words.iter().position(|w| w.text == "password")?;
    let netrc = at == 0 || words.iter().any(|w| w.text == "machine" || w.text == "default");
    let (start, value) = words.get(at + 1)?.unquoted();
    (netrc && !value.is_empty() && !is_reference(value)).then_some((start, start + value.len()))
}

/// The line with every span replaced by one [`MASK`]; overlapping and touching spans merge.
pub(super) fn mask(line: &str, mut spans: Vec<Span>) -> String {
    spans.retain(|&(start, end)| {
        start < end && end <= line.len() && line.is_char_boundary(start) && line.is_char_boundary(end)
    });
    spans.sort_unstable();
    let mut merged: Vec<Span> = Vec::with_capacity(spans.len());
    for (start, end) in spans {
        match merged.last_mut() {
            Some(last) if start <= last.1 => last.1 = last.1.max(end),
            _ => merged.push((start, end)),
        }
    }
    let mut out = String::with_capacity(line.len());
    let mut at = 0;
    for (start, end) in merged {
        out.push_str(&line[at..start]);
        out.push_str(MASK);
        at = end;
    }
    out.push_str(&line[at..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn masked(line: &str) -> String {
        mask(line, line_spans(line, &mut Vec::new()))
    }

    #[test]
    fn assignments_anywhere_on_a_line() {
        let cases = [
            (
                "NODE_ENV=production SESSION_SECRET=s3 pm2 start x",
                "NODE_ENV=production SESSION_SECRET=•••• pm2 start x",
            ),
            ("echo \"DB_PASSWORD=pa ss\" >> .env", "echo \"DB_PASSWORD=••••\" >> .env"),
            ("Environment=SESSION_SECRET=xyz", "Environment=SESSION_SECRET=••••"),
            ("Environment=\"DB_PASSWORD=xyz\"", "Environment=\"DB_PASSWORD=••••\""),
            ("export PGPASSWORD='pw'; psql -h db", "export PGPASSWORD='••••'; psql -h db"),
            ("DB_PASSWORD=$DB_PASSWORD", "DB_PASSWORD=$DB_PASSWORD"),
            ("DB_PASSWORD=${DB_PASSWORD:-pw}", "DB_PASSWORD=••••"),
        ];
        for (line, expected) in cases {
            assert_eq!(masked(line), expected, "{line}");
        }
    }

    #[test]
    fn quoted_commands_are_read_too() {
        assert_eq!(masked("x $(mysql -ppw -e 'select 1')"), "x $(mysql -p•••• -e 'select 1')");
        assert_eq!(masked("a \"b c\"d $(e f"), "a \"b c\"d $(e f", "unbalanced words end");
        assert_eq!(masked("su - app -c \"mysql -uapp -ppw shop\""), "su - app -c \"mysql -uapp -p•••• shop\"");
        assert_eq!(masked("psql \"host=db user=u password=pw\""), "psql \"host=db user=u password=••••\"");
    }

    #[test]
    fn netrc_lines() {
        assert_eq!(masked("machine github.com login u password tok"), "machine github.com login u password ••••");
        assert_eq!(masked("  password tok"), "  password ••••");
        assert_eq!(masked("echo the password is set"), "echo the password is set");
    }

    #[test]
    fn spans_merge() {
        assert_eq!(mask("abcdef", vec![(1, 3), (2, 4), (4, 5)]), "a••••f");
        assert_eq!(mask("abc", vec![(2, 9), (1, 1)]), "abc");
    }
}
