//! Secrets written as keys and values rather than shell: JSON (`"dbPassword": "x"`), YAML
//! (`password: x`, `{name: root, password: x}`), INI (`aws_secret_access_key = x`) and HTTP
//! headers (`Authorization: Bearer x`, `-H "X-Api-Key: x"`).

use super::MASK;
use super::names::{is_reference, is_secret_key};
use super::shell::Word;
use super::values::Span;

/// Every secret-valued key on the line.
pub(super) fn key_value_spans(line: &str, words: &[Word<'_>], names: &mut Vec<String>) -> Vec<Span> {
    let mut spans = json_pairs(line, names);
    if spans.is_empty() {
        spans.extend(leading_key(line, names));
    }
    spans.extend(flow_mapping_pairs(line, names));
    spans.extend(authorization(line, names));
    spans.extend(header_words(words, names));
    spans
}

/// Whether a key's value is worth masking: present, not masked already, not a reference.
fn maskable(value: &str) -> bool {
    !value.is_empty() && value != MASK && !is_reference(value)
}

/// JSON: `"key": "value"`, as many as the line holds.
fn json_pairs(line: &str, names: &mut Vec<String>) -> Vec<Span> {
    let mut spans = Vec::new();
    let mut from = 0;
    while let Some(open) = line[from..].find('"').map(|i| from + i) {
        let Some(close) = line[open + 1..].find('"').map(|i| open + 1 + i) else { break };
        let key = &line[open + 1..close];
        let after = line[close + 1..].trim_start();
        from = close + 1;
        let Some(value_part) = after.strip_prefix(':').map(str::trim_start) else { continue };
        let Some(value_body) = value_part.strip_prefix('"') else { continue };
        let Some(end) = value_body.find('"') else { break };
        let start = line.len() - value_body.len();
        if is_secret_key(key) && maskable(&value_body[..end]) {
            names.push(key.to_string());
            spans.push((start, start + end));
        }
        from = start + end + 1;
    }
    spans
}

/// YAML `key: value` and INI `key = value`, the key first on the line (after a list's `- `).
fn leading_key(line: &str, names: &mut Vec<String>) -> Option<Span> {
    let trimmed = line.trim_start().trim_start_matches("- ");
    if trimmed.starts_with(['{', '"', '#', ';']) {
        return None;
    }
    let key_end = trimmed.find(|c: char| !(c.is_ascii_alphanumeric() || "_-.".contains(c)))?;
    let key = &trimmed[..key_end];
    let rest = &trimmed[key_end..];
    let value = if let Some(value) = rest.strip_prefix(':') {
        value
    } else {
        // INI wants spaces around `=`: `NAME=value` without them is a shell assignment,
        // read word by word elsewhere.
        rest.trim_start_matches([' ', '\t']).strip_prefix('=').filter(|_| rest.starts_with([' ', '\t']))?
    };
    let value = value.trim().trim_matches(['"', '\'']);
    if key.is_empty() || !is_secret_key(key) || !maskable(value) {
        return None;
    }
    let offset = line.rfind(value)?;
    names.push(key.to_string());
    Some((offset, offset + value.len()))
}

/// YAML flow mappings: `{name: root, password: x, type: text}`.
fn flow_mapping_pairs(line: &str, names: &mut Vec<String>) -> Vec<Span> {
    let mut spans = Vec::new();
    for (colon, _) in line.match_indices(": ") {
        // Past the whole character that ends the key's run: it may be several bytes (`…: `).
        let key_start = line[..colon]
            .char_indices()
            .rev()
            .find(|(_, c)| !(c.is_ascii_alphanumeric() || "_-".contains(*c)))
            .map_or(0, |(i, c)| i + c.len_utf8());
        let key = &line[key_start..colon];
        let opens_entry = line[..key_start].trim_end().ends_with(['{', ',']);
        if key.is_empty() || !opens_entry || !is_secret_key(key) {
            continue;
        }
        let value_start = colon + 2;
        let raw = &line[value_start..];
        let raw = &raw[..raw.find([',', '}']).unwrap_or(raw.len())];
        let lead = raw.len() - raw.trim_start().len();
        let value = raw.trim().trim_matches(['"', '\'']);
        if maskable(value) {
            let start = value_start + lead + raw.trim_start().find(value).unwrap_or(0);
            names.push(key.to_string());
            spans.push((start, start + value.len()));
        }
    }
    spans
}

/// `Authorization: Bearer x` (and `Proxy-Authorization:`) anywhere on the line, up to the
/// closing quote: curl's `-H`, a heredoc'd config, a log line. `Bearer $TOKEN` is left.
fn authorization(line: &str, names: &mut Vec<String>) -> Option<Span> {
    let at = line.find("Authorization:").or_else(|| line.find("authorization:"))?;
    let value_start = at + "Authorization:".len();
    let value = &line[value_start..];
    let end = value.find(['"', '\'']).map_or(line.len(), |e| value_start + e);
    let start = value_start + (value.len() - value.trim_start().len());
    let credentials = line[start..end].split_whitespace().last().unwrap_or("");
    if start >= end || !maskable(credentials) {
        return None;
    }
    names.push("Authorization".into());
    Some((start, end))
}

/// `-H "X-Api-Key: x"`, `--header 'PRIVATE-TOKEN: x'`, `-H "Cookie: session=x"`.
fn header_words(words: &[Word<'_>], names: &mut Vec<String>) -> Vec<Span> {
    let mut spans = Vec::new();
    for pair in words.windows(2) {
        if !matches!(pair[0].text, "-H" | "--header") {
            continue;
        }
        let (start, text) = pair[1].unquoted();
        let Some((name, value)) = text.split_once(':') else { continue };
        let secret = is_secret_key(name) || name.eq_ignore_ascii_case("cookie");
        let trimmed = value.trim_start();
        if secret && maskable(trimmed) {
            let value_start = start + name.len() + 1 + (value.len() - trimmed.len());
            names.push(name.to_string());
            spans.push((value_start, start + text.len()));
        }
    }
    spans
}

#[cfg(test)]
mod tests {
    use super::super::shell::words;
    use super::*;

    fn masked(line: &str) -> String {
        let mut spans = key_value_spans(line, &words(line), &mut Vec::new());
        spans.sort_unstable();
        spans.dedup();
        let mut out = line.to_string();
        for (start, end) in spans.into_iter().rev() {
            out.replace_range(start..end, "*");
        }
        out
    }

    #[test]
    fn keys_and_values() {
        let cases = [
            ("  password: hunter2", "  password: *"),
            ("{\"dbPassword\": \"hunter2\", \"port\": 5432}", "{\"dbPassword\": \"*\", \"port\": 5432}"),
            ("aws_secret_access_key = wJalr", "aws_secret_access_key = *"),
            ("password=\"x\"", "password=\"x\""),
            ("  - {name: root, password: pw, type: text}", "  - {name: root, password: *, type: text}"),
            ("expire: false", "expire: false"),
            ("password: ${DB_PASSWORD}", "password: ${DB_PASSWORD}"),
            ("if [ \"$a\" = b ]; then", "if [ \"$a\" = b ]; then"),
            ("not 000000000000…: review the plan", "not 000000000000…: review the plan"),
            ("{a…, password: pw}", "{a…, password: *}"),
        ];
        for (line, expected) in cases {
            assert_eq!(masked(line), expected, "{line}");
        }
    }

    #[test]
    fn headers() {
        let cases = [
            ("curl -H \"Authorization: Bearer abc.def\" https://x", "curl -H \"Authorization: *\" https://x"),
            (
                "curl -H \"Authorization: Bearer $TOKEN\" https://x",
                "curl -H \"Authorization: Bearer $TOKEN\" https://x",
            ),
            ("curl -H 'PRIVATE-TOKEN: glpat-x' https://x", "curl -H 'PRIVATE-TOKEN: *' https://x"),
            ("curl --header \"X-Api-Key: k1\" https://x", "curl --header \"X-Api-Key: *\" https://x"),
            ("curl -H 'Content-Type: application/json' x", "curl -H 'Content-Type: application/json' x"),
        ];
        for (line, expected) in cases {
            assert_eq!(masked(line), expected, "{line}");
        }
    }
}
