//! `const { PORT, DB_URL = 'sqlite://x', MARKDOWN_CONFIG = '{}', } = process.env`: the names a
//! destructuring of the environment binds, with their defaults. The block may hold comments
//! and defaults with braces or commas of their own (`'{}'`, `'a,b'`), so it is walked, not
//! matched by one pattern.

use std::sync::LazyLock;

use regex::Regex;

use super::VariableRead;
use super::text::{line_of, literal, without_line_comments};

/// The end of a destructuring of the environment: `} = process.env`.
static DESTRUCTURING_END: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\}\s*=\s*process\.env\b").expect("valid pattern"));

/// Every variable the file's destructurings of `process.env` bind.
pub(super) fn reads(path: &str, text: &str, found: &mut Vec<VariableRead>) {
    // Line comments are blanked once, offsets kept: an apostrophe in one (`// don't`) would
    // open a string for the walk back.
    let blanked = without_line_comments(text);
    for end in DESTRUCTURING_END.find_iter(text) {
        let Some(open) = matching_open(&blanked[..end.start()]) else { continue };
        let body_start = open + 1;
        for (at, entry) in entries(&text[body_start..end.start()]) {
            let (name, default) = match entry.split_once('=') {
                Some((name, default)) => (name, literal(default.trim())),
                None => (entry.as_str(), None),
            };
            // `DB_URL: databaseUrl` renames the binding; the variable is the key.
            let name = name.split(':').next().unwrap_or(name).trim();
            let plain = !name.is_empty() && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '$');
            if plain {
                let source = format!("{path}:{}", line_of(text, body_start + at));
                found.push(VariableRead::new(name, source).with_default(default));
            }
        }
    }
}

/// The offset of the `{` that opens the block ending where `before` ends, walking back over
/// nested braces and strings; `None` when there is none.
fn matching_open(before: &str) -> Option<usize> {
    let mut depth = 0usize;
    let mut quote: Option<u8> = None;
    for (at, byte) in before.bytes().enumerate().rev() {
        match (quote, byte) {
            (Some(q), b) if b == q => quote = None,
            (Some(_), _) => {}
            (None, b'\'' | b'"' | b'`') => quote = Some(byte),
            (None, b'}') => depth += 1,
            (None, b'{') if depth == 0 => return Some(at),
            (None, b'{') => depth -= 1,
            _ => {}
        }
    }
    None
}

/// The block's entries split at its own commas, each with its offset in the block and its
/// comments removed: commas and braces in strings, nested objects and comments are kept
/// inside their entry.
fn entries(body: &str) -> Vec<(usize, String)> {
    let bytes = body.as_bytes();
    let (mut entries, mut current, mut start) = (Vec::new(), String::new(), None);
    let (mut depth, mut quote, mut index) = (0usize, None::<u8>, 0);
    while index < bytes.len() {
        let byte = bytes[index];
        if quote.is_none() && bytes[index..].starts_with(b"//") {
            index += body[index..].find('\n').unwrap_or(body.len() - index);
            continue;
        }
        if quote.is_none() && bytes[index..].starts_with(b"/*") {
            index += body[index..].find("*/").map_or(body.len() - index, |end| end + 2);
            continue;
        }
        match (quote, byte) {
            (Some(q), b) if b == q => quote = None,
            (None, b'\'' | b'"' | b'`') => quote = Some(byte),
            (None, b'{' | b'[' | b'(') => depth += 1,
            (None, b'}' | b']' | b')') => depth = depth.saturating_sub(1),
            (None, b',') if depth == 0 => {
                entries.extend(start.take().map(|at| (at, std::mem::take(&mut current).trim().to_string())));
                index += 1;
                continue;
            }
            _ => {}
        }
        if start.is_none() && !byte.is_ascii_whitespace() {
            start = Some(index);
        }
        if start.is_some() {
            // A multi-byte character is copied whole from its first byte.
            if let Some(c) = body[index..].chars().next() {
                current.push(c);
                index += c.len_utf8();
                continue;
            }
        }
        index += 1;
    }
    entries.extend(start.map(|at| (at, current.trim().to_string())));
    entries
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_block_with_comments_and_braced_defaults() {
        let text = "const {\n  JWT_TOKEN,\n  MARKDOWN_CONFIG = '{}',\n  // mathjax's the default\n  MARKDOWN_TEX = 'mathjax',\n  LIST = 'a,b',\n  /* the db */ DB_URL: url,\n} = process.env;\n";
        let mut found = Vec::new();
        reads("config.js", text, &mut found);
        let named: Vec<(&str, Option<&str>, &str)> =
            found.iter().map(|r| (r.name.as_str(), r.default.as_deref(), r.source.as_str())).collect();
        assert_eq!(
            named,
            [
                ("JWT_TOKEN", None, "config.js:2"),
                ("MARKDOWN_CONFIG", Some("{}"), "config.js:3"),
                ("MARKDOWN_TEX", Some("mathjax"), "config.js:5"),
                ("LIST", Some("a,b"), "config.js:6"),
                ("DB_URL", None, "config.js:7"),
            ]
        );
    }

    #[test]
    fn a_one_line_destructuring_and_a_rest() {
        let mut found = Vec::new();
        reads("a.js", "const { PORT = 3000, ...rest } = process.env\n", &mut found);
        assert_eq!(found.len(), 1);
        assert_eq!((found[0].name.as_str(), found[0].default.as_deref()), ("PORT", Some("3000")));
    }
}
