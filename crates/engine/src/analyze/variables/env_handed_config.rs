//! Reads of an environment a helper hands to a callback: `cliWithConfig(doIt)` calls
//! `doIt(fromFile ?? process.env)`, and the app's callback takes it apart,
//! `cliWithConfig(async (config) => { const { PORT = 9181, REDIS_URL } = config; ... })`.
//! The names are destructured keys, never `process.env.X`.

use std::sync::LazyLock;

use regex::Regex;

use super::VariableRead;
use super::text::{line_of, literal};

/// `function NAME(PARAM`, `const NAME = async (PARAM`, `export async function NAME(PARAM`.
static HELPER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?:function\s+([A-Za-z_$][\w$]*)\s*\(|(?:const|let)\s+([A-Za-z_$][\w$]*)\s*=\s*(?:async\s*)?\()\s*([A-Za-z_$][\w$]*)")
        .expect("valid pattern")
});
/// How much of a helper's body is searched for the call that hands over `process.env`.
const HELPER_BODY: usize = 3000;
/// How much of a callback is searched for the destructuring of what it was handed.
const CALLBACK_BODY: usize = 4000;

/// The variables every callback of a helper that hands over `process.env` destructures.
pub fn reads(sources: &[(&str, &str)]) -> Vec<VariableRead> {
    let helpers: Vec<String> = sources
        .iter()
        .filter(|(_, text)| text.contains("process.env"))
        .flat_map(|(_, text)| handing_helpers(text))
        .collect();
    let mut found = Vec::new();
    for helper in &helpers {
        let call = Regex::new(&format!(
            r"(?:^|[^\w.$]){}\(\s*(?:async\s*)?(?:function\s*[\w$]*\s*)?\(?\s*([A-Za-z_$][\w$]*)",
            regex::escape(helper)
        ))
        .expect("valid pattern");
        for (path, text) in sources {
            for captures in call.captures_iter(text) {
                let parameter = &captures[1];
                let start = captures.get(0).expect("match").end();
                let body = within(&text[start..], CALLBACK_BODY);
                found.extend(destructured(path, text, start, body, parameter));
            }
        }
    }
    found
}

/// The helpers `text` defines that call their callback parameter with `process.env`.
fn handing_helpers(text: &str) -> Vec<String> {
    let mut names = Vec::new();
    for captures in HELPER.captures_iter(text) {
        let name = captures.get(1).or(captures.get(2)).map_or("", |m| m.as_str());
        let parameter = &captures[3];
        let body = within(&text[captures.get(0).expect("match").end()..], HELPER_BODY);
        let call = Regex::new(&format!(r"(?:^|[^\w.$]){}\(", regex::escape(parameter))).expect("valid pattern");
        let hands_env = call.find_iter(body).any(|m| arguments(&body[m.end()..]).contains("process.env"));
        if hands_env && !name.is_empty() {
            names.push(name.to_string());
        }
    }
    names
}

/// The text of a call's arguments, `rest` starting after its `(`.
fn arguments(rest: &str) -> &str {
    let mut depth = 1;
    for (at, c) in rest.char_indices() {
        match c {
            '(' => depth += 1,
            ')' if depth == 1 => return &rest[..at],
            ')' => depth -= 1,
            _ => {}
        }
    }
    rest
}

/// The first `limit` bytes of `text`, cut at a character boundary.
fn within(text: &str, limit: usize) -> &str {
    let mut end = text.len().min(limit);
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    &text[..end]
}

/// The upper-case keys of `const { A = 1, B } = parameter` in `body` (at `offset` in `text`).
fn destructured(path: &str, text: &str, offset: usize, body: &str, parameter: &str) -> Vec<VariableRead> {
    let pattern =
        Regex::new(&format!(r"\{{([^{{}}]*)\}}\s*=\s*{}\b", regex::escape(parameter))).expect("valid pattern");
    let mut found = Vec::new();
    for captures in pattern.captures_iter(body) {
        let keys = captures.get(1).expect("group");
        let mut at = offset + keys.start();
        for entry in keys.as_str().split(',') {
            let start = at + entry.len() - entry.trim_start().len();
            at += entry.len() + 1;
            let (name, default) = entry.split_once('=').map_or((entry, None), |(n, d)| (n, literal(d)));
            let name = name.split(':').next().unwrap_or(name).trim();
            let upper = name.chars().next().is_some_and(|c| c.is_ascii_uppercase())
                && name.chars().all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_');
            if upper {
                found.push(VariableRead::new(name, format!("{path}:{}", line_of(text, start))).with_default(default));
            }
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_a_callback_takes_from_the_handed_environment() {
        let helper = "export async function withSettings(run: (s: Dict) => Promise<void>) {\n  const file = readArgs();\n  await run(file ? await load(file) : process.env);\n}\n";
        let server = "import { withSettings } from './settings';\n\nwithSettings(async (settings) => {\n  const {\n    PORT = 4100,\n    QUEUE_URL,\n    mode,\n  } = settings;\n  listen(+PORT, QUEUE_URL);\n});\n";
        let found = reads(&[("src/settings.ts", helper), ("src/server.ts", server)]);
        let names: Vec<(&str, Option<&str>, &str)> =
            found.iter().map(|r| (r.name.as_str(), r.default.as_deref(), r.source.as_str())).collect();
        assert_eq!(names, [("PORT", Some("4100"), "src/server.ts:5"), ("QUEUE_URL", None, "src/server.ts:6")]);
        let not_handed = "export function withSettings(run) {\n  run(loadFile());\n}\n";
        assert!(reads(&[("src/settings.ts", not_handed), ("src/server.ts", server)]).is_empty());
    }
}
