//! The code of a Node.js module that a production start runs: ferry's image sets
//! NODE_ENV=production, so a block behind `if (process.env.NODE_ENV === 'development')` (or a
//! name the module defines from such a test, `isDevMode`), or the `else` of a production test,
//! never runs there. Its `require('webpack')` loads nothing in the image.

use std::collections::HashMap;
use std::sync::LazyLock;

use regex::Regex;

/// `process.env.NODE_ENV === 'production'`, either way round; Express's `app.get('env')` too.
static ENV_TEST: LazyLock<Regex> = LazyLock::new(|| {
    let env = r#"(?:process\.env\.NODE_ENV|process\.env\[['"]NODE_ENV['"]\]|\w+\.get\(\s*['"]env['"]\s*\))"#;
    Regex::new(&format!(
        r#"^(?:{env}\s*(?P<op>[!=]==?)\s*['"](?P<value>\w+)['"]|['"](?P<value2>\w+)['"]\s*(?P<op2>[!=]==?)\s*{env})$"#
    ))
    .expect("valid pattern")
});

/// `const isDevMode = process.env.NODE_ENV === 'development' || false;`
static NAMED_TEST: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?m)^\s*(?:export\s+)?(?:const|let|var)\s+([A-Za-z_$][\w$]*)\s*=\s*([^;\n]+)").expect("valid pattern")
});

static IF_OPEN: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"\bif\s*\(").expect("valid pattern"));

/// Each `if (...)` of `text`: its condition, and the span of the block it guards.
fn if_blocks(text: &str) -> impl Iterator<Item = (&str, (usize, usize))> {
    IF_OPEN.find_iter(text).filter_map(move |found| {
        let open = found.end() - 1;
        let close = matching(text, open, '(', ')')?;
        let then_block = block_after(text, close + 1)?;
        Some((&text[open + 1..close], then_block))
    })
}

/// `lines` (comments already blanked) with every block production skips blanked too; line
/// numbers stay as they were.
pub fn production_lines(lines: Vec<String>) -> Vec<String> {
    let text = lines.join("\n");
    let names = named_tests(&text);
    let mut dead: Vec<(usize, usize)> = Vec::new();
    for (condition, then_block) in if_blocks(&text) {
        match in_production(condition, &names, 0) {
            Some(false) => dead.push(then_block),
            Some(true) => {
                let rest = &text[then_block.1 + 1..];
                let trimmed = rest.trim_start();
                if let Some(after_else) = trimmed.strip_prefix("else") {
                    let at = text.len() - after_else.len();
                    if let Some(else_block) = block_after(&text, at) {
                        dead.push(else_block);
                    }
                }
            }
            None => {}
        }
    }
    blank(&text, &dead).unwrap_or(lines)
}

/// `lines` with every block a condition guards blanked too (`if (configURL) { require('axios')
/// }`, an `else`): what a production start runs whatever the settings. A package loaded only
/// under a setting stops nothing from starting when the setting is off.
pub fn unconditional_lines(lines: Vec<String>) -> Vec<String> {
    let lines = production_lines(lines);
    let text = lines.join("\n");
    let names = named_tests(&text);
    let mut dead: Vec<(usize, usize)> = Vec::new();
    for (condition, then_block) in if_blocks(&text) {
        // A production test's own block runs in the image; production_lines kept it.
        if in_production(condition, &names, 0) != Some(true) {
            dead.push(then_block);
        }
        let after = text[then_block.1 + 1..].trim_start();
        if let Some(after_else) = after.strip_prefix("else")
            && let Some(else_block) = block_after(&text, text.len() - after_else.len())
        {
            dead.push(else_block);
        }
    }
    blank(&text, &dead).unwrap_or(lines)
}

/// `text` split into lines with the `dead` spans blanked; `None` when there are none.
fn blank(text: &str, dead: &[(usize, usize)]) -> Option<Vec<String>> {
    if dead.is_empty() {
        return None;
    }
    let blanked: String = text
        .char_indices()
        .map(|(at, c)| if c != '\n' && dead.iter().any(|&(from, to)| (from..=to).contains(&at)) { ' ' } else { c })
        .collect();
    Some(blanked.split('\n').map(str::to_string).collect())
}

/// The names the module defines as a test of the environment it runs in.
fn named_tests(text: &str) -> HashMap<String, String> {
    NAMED_TEST
        .captures_iter(text)
        .filter(|c| c[2].contains("NODE_ENV") || c[2].contains("'env'") || c[2].contains("\"env\""))
        .map(|c| (c[1].to_string(), c[2].trim().to_string()))
        .collect()
}

/// The `{ ... }` block that opens at the first non-blank character from `at`, as the offsets
/// of its two braces.
fn block_after(text: &str, at: usize) -> Option<(usize, usize)> {
    let skipped = text[at..].len() - text[at..].trim_start().len();
    let open = at + skipped;
    if !text[open..].starts_with('{') {
        return None;
    }
    Some((open, matching(text, open, '{', '}')?))
}

/// The offset of the bracket that closes the one at `open`.
fn matching(text: &str, open: usize, opener: char, closer: char) -> Option<usize> {
    let mut depth = 0usize;
    for (at, c) in text[open..].char_indices() {
        if c == opener {
            depth += 1;
        } else if c == closer {
            depth -= 1;
            if depth == 0 {
                return Some(open + at);
            }
        }
    }
    None
}

/// Whether `condition` holds when NODE_ENV is production; `None` when it depends on more.
fn in_production(condition: &str, names: &HashMap<String, String>, depth: usize) -> Option<bool> {
    let condition = strip_parens(condition.trim());
    let any_all = |parts: Vec<&str>, short: bool| {
        let values: Vec<Option<bool>> = parts.iter().map(|p| in_production(p, names, depth)).collect();
        if values.contains(&Some(short)) {
            Some(short)
        } else if values.iter().all(|v| *v == Some(!short)) {
            Some(!short)
        } else {
            None
        }
    };
    let disjuncts = split_top_level(condition, "||");
    if disjuncts.len() > 1 {
        return any_all(disjuncts, true);
    }
    let conjuncts = split_top_level(condition, "&&");
    if conjuncts.len() > 1 {
        return any_all(conjuncts, false);
    }
    if let Some(negated) = condition.strip_prefix('!').filter(|rest| !rest.starts_with('=')) {
        return in_production(negated, names, depth).map(|value| !value);
    }
    match condition {
        "true" => return Some(true),
        "false" => return Some(false),
        _ => {}
    }
    if let Some(test) = ENV_TEST.captures(condition) {
        let value = test.name("value").or(test.name("value2"))?.as_str();
        let equal = test.name("op").or(test.name("op2"))?.as_str().starts_with('=');
        return Some((value == "production") == equal);
    }
    let defined = names.get(condition).filter(|_| depth < 3)?;
    in_production(defined, names, depth + 1)
}

/// `(a && b)` → `a && b`, only when the outer pair encloses the whole.
fn strip_parens(text: &str) -> &str {
    let mut text = text;
    while text.starts_with('(') && matching(text, 0, '(', ')') == Some(text.len() - 1) {
        text = text[1..text.len() - 1].trim();
    }
    text
}

/// `text` split at each `operator` outside every bracket.
fn split_top_level<'a>(text: &'a str, operator: &str) -> Vec<&'a str> {
    let mut parts = Vec::new();
    let (mut depth, mut start) = (0i32, 0usize);
    let bytes = text.as_bytes();
    let mut at = 0;
    while at < bytes.len() {
        match bytes[at] {
            b'(' | b'[' | b'{' => depth += 1,
            b')' | b']' | b'}' => depth -= 1,
            _ if depth == 0 && bytes[at..].starts_with(operator.as_bytes()) => {
                parts.push(&text[start..at]);
                start = at + operator.len();
                at = start;
                continue;
            }
            _ => {}
        }
        at += 1;
    }
    parts.push(&text[start..]);
    parts
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kept(text: &str) -> String {
        production_lines(text.lines().map(str::to_string).collect()).join("\n")
    }

    #[test]
    fn blanks_what_a_production_start_skips() {
        let entry = "if (process.env.NODE_ENV === 'production') {\n  require('./dist/server.js');\n} else {\n  require('babel-register');\n}\n";
        let out = kept(entry);
        assert!(out.contains("./dist/server.js") && !out.contains("babel-register"), "{out}");
        assert_eq!(out.lines().count(), entry.lines().count());
        let named = "const isDevMode = process.env.NODE_ENV === 'development' || false;\nif (isDevMode) {\n  const w = require('webpack');\n}\nrequire('express');\n";
        let out = kept(named);
        assert!(!out.contains("webpack") && out.contains("express"), "{out}");
        let dev = "const dev = process.env.NODE_ENV !== 'production';\nif (!dev) { require('a'); }\nif (dev && x) { require('b'); }\n";
        let out = kept(dev);
        assert!(out.contains("'a'") && !out.contains("'b'"), "{out}");
        let wide = "if (item.icon_name == '票' && process.env.NODE_ENV === 'development') { require('d'); }\n";
        assert!(!kept(wide).contains("'d'"), "a condition with wide characters");
        let unknown = "if (process.env.CLIENT) { require('c'); }\n";
        assert_eq!(kept(unknown), unknown.trim_end());
        let always = |text: &str| unconditional_lines(text.lines().map(str::to_string).collect()).join("\n");
        let optional = "const x = require('a');\nif (url && href) {\n  require('b');\n} else { require('c'); }\n";
        let out = always(optional);
        assert!(out.contains("'a'") && !out.contains("'b'") && !out.contains("'c'"), "{out}");
        let prod = "if (process.env.NODE_ENV === 'production') { require('p'); }\n";
        assert!(always(prod).contains("'p'"), "a production test's block runs in the image");
    }
}
