//! Reads through the `env-var` package: `get('DB_HOST').required().asString()`, or
//! `env.get('PORT').default('3000').asPortNumber()`. `.required()` throws at import when the
//! variable is unset, so the app does not start without it.

use std::sync::LazyLock;

use regex::Regex;

use super::VariableRead;
use super::text::{line_of, literal};

/// `import { get } from 'env-var'`, `import { get as env } from "env-var"`.
static NAMED_GET: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"import\s*\{[^}]*\bget\b(?:\s+as\s+([A-Za-z_$][\w$]*))?[^}]*\}\s*from\s*['"]env-var['"]"#)
        .expect("valid pattern")
});
/// `import * as env from 'env-var'`, `import env from 'env-var'`, `const env = require('env-var')`.
static NAMESPACE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"(?:import\s+(?:\*\s+as\s+)?([A-Za-z_$][\w$]*)\s+from|(?:const|let|var)\s+([A-Za-z_$][\w$]*)\s*=\s*require\()\s*['"]env-var['"]"#)
        .expect("valid pattern")
});
/// `const { get } = require('env-var')`.
static REQUIRED_GET: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r#"(?:const|let|var)\s*\{[^}]*\bget\b(?:\s*:\s*([A-Za-z_$][\w$]*))?[^}]*\}\s*=\s*require\(\s*['"]env-var['"]"#,
    )
    .expect("valid pattern")
});
/// How far a call's chain (`.required().default('x').asString()`) is read.
const CHAIN_LENGTH: usize = 160;

/// A read per getter call with a literal name, in files that load `env-var`.
pub fn reads(sources: &[(&str, &str)]) -> Vec<VariableRead> {
    let mut found = Vec::new();
    for (path, text) in sources.iter().filter(|(_, text)| text.contains("env-var")) {
        for getter in getters(text) {
            let call =
                Regex::new(&format!(r#"(?:^|[^\w.$]){}\(\s*['"]([A-Z][A-Z0-9_]*)['"]\s*\)"#, regex::escape(&getter)))
                    .expect("valid pattern");
            for captures in call.captures_iter(text) {
                let name = captures.get(1).expect("group");
                let end = captures.get(0).expect("match").end();
                let chain = chain(&text[end..]);
                let default = chain.find(".default(").and_then(|at| literal(&chain[at + ".default(".len()..]));
                let required = chain.contains(".required()") || chain.contains(".required(true)");
                let read = VariableRead::new(name.as_str(), format!("{path}:{}", line_of(text, name.start())));
                found.push(read.with_default(default.clone()).required(required && default.is_none()));
            }
        }
    }
    found
}

/// The names a file calls env-var's `get` by: `get`, its alias, or `env.get`.
fn getters(text: &str) -> Vec<String> {
    let named = NAMED_GET.captures_iter(text).chain(REQUIRED_GET.captures_iter(text));
    let mut names: Vec<String> =
        named.map(|c| c.get(1).map_or("get".to_string(), |m| m.as_str().to_string())).collect();
    let namespaces =
        NAMESPACE.captures_iter(text).filter_map(|c| c.get(1).or(c.get(2)).map(|m| m.as_str().to_string()));
    names.extend(namespaces.map(|namespace| format!("{namespace}.get")));
    names
}

/// The method chain after a call, up to the end of its expression: it may go on over lines
/// that start with `.` (`get('X')\n  .required()`).
fn chain(rest: &str) -> &str {
    let mut depth = 0usize;
    for (at, c) in rest.char_indices().take_while(|(at, _)| *at < CHAIN_LENGTH) {
        match c {
            '(' | '[' | '{' => depth += 1,
            ')' | ']' | '}' if depth == 0 => return &rest[..at],
            ')' | ']' | '}' => depth -= 1,
            ',' | ';' if depth == 0 => return &rest[..at],
            '\n' if depth == 0 && !rest[at + 1..].trim_start().starts_with('.') => return &rest[..at],
            _ => {}
        }
    }
    &rest[..rest.char_indices().map(|(at, _)| at).find(|at| *at >= CHAIN_LENGTH).unwrap_or(rest.len())]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn required_getters_and_their_defaults() {
        let text = "import { get } from 'env-var';\n\nexport const db = {\n  host: get('DB_HOST').required().asString(),\n  port: get('DB_PORT').default('5432').asPortNumber(),\n};\n";
        let found = reads(&[("src/config.ts", text)]);
        let host = found.iter().find(|r| r.name == "DB_HOST").expect("host");
        assert!(host.required);
        assert_eq!(host.source, "src/config.ts:4");
        let port = found.iter().find(|r| r.name == "DB_PORT").expect("port");
        assert_eq!((port.required, port.default.as_deref()), (false, Some("5432")));
        let namespaced =
            "const env = require('env-var');\nconst key = env.get('API_KEY')\n  .required()\n  .asString();\n";
        let found = reads(&[("config.js", namespaced)]);
        assert!(
            found.iter().any(|r| r.name == "API_KEY" && r.required),
            "{:?}",
            found.iter().map(|r| &r.name).collect::<Vec<_>>()
        );
    }
}
