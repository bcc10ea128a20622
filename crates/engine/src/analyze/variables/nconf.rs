//! nconf: once the app calls `nconf.env()`, every `nconf.get('key')` also reads the variable
//! `key`, and with `env({ separator: '__' })` a nested key `mongo:host` reads `mongo__host`. No
//! line names those variables; the keys the code gets do.

use std::sync::LazyLock;

use regex::Regex;

use super::VariableRead;
use super::text::literal;

static GET: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r#"\bnconf\.get\(\s*['"]([A-Za-z_][\w:]*)['"]\s*\)"#).expect("valid pattern"));
static SEPARATOR: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r#"\.env\(\s*(?:\{[^}]*separator\s*:\s*)?['"]([^'"]+)['"]"#).expect("valid"));
/// One more alternative of a `||` chain that is not the literal ending it: `|| nconf.get('port')`,
/// `|| urlObject.port`.
static ALTERNATIVE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r#"^\s*\|\|\s*([\w$.]+(?:\([^()]*\))?)"#).expect("valid pattern"));

/// How the app's nconf reads the environment: `None` when it never calls `nconf.env()` (or
/// `.argv().env()`), else the separator of nested keys, if any.
pub fn environment(sources: &[(&str, &str)]) -> Option<Option<String>> {
    let setup = sources.iter().find(|(_, text)| text.contains("nconf") && text.contains(".env("))?;
    Some(SEPARATOR.captures(setup.1).map(|c| c[1].to_string()))
}

/// The variables `nconf.get` reads in one file, given the separator `environment` found.
pub fn reads(path: &str, text: &str, separator: &Option<String>) -> Vec<VariableRead> {
    let mut found = Vec::new();
    for (index, line) in text.lines().enumerate() {
        if !line.contains("nconf.get(") || line.trim_start().starts_with("//") {
            continue;
        }
        for captures in GET.captures_iter(line) {
            let key = &captures[1];
            let name = match separator {
                Some(separator) => key.replace(':', separator),
                // Without a separator only a top-level key has a variable of its own.
                None if key.contains(':') => continue,
                None => key.to_string(),
            };
            let after = &line[captures.get(0).expect("match").end()..];
            found.push(VariableRead::new(name, format!("{path}:{}", index + 1)).with_default(chain_default(after)));
        }
    }
    found
}

/// The literal a `||` chain after a read ends in: `|| nconf.get('port') || url.port || 4567`.
fn chain_default(mut after: &str) -> Option<String> {
    loop {
        let rest = after.trim_start().strip_prefix("||")?;
        if let Some(value) = literal(rest) {
            return Some(value);
        }
        let next = ALTERNATIVE.captures(after)?;
        after = &after[next.get(0).expect("match").end()..];
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_the_code_gets_are_variables_with_the_separator() {
        let app = "const nconf = require('nconf');\nnconf.argv().env({\n\tseparator: '__',\n});\n";
        let loader = "let port = nconf.get('PORT') || nconf.get('port') || urlObject.port || 4567;\nconst host = nconf.get('mongo:host');\n";
        let separator = environment(&[("app.js", app), ("loader.js", loader)]).expect("nconf reads the environment");
        let read: Vec<(String, Option<String>, String)> =
            reads("loader.js", loader, &separator).into_iter().map(|r| (r.name, r.default, r.source)).collect();
        assert_eq!(
            read,
            [
                ("PORT".to_string(), Some("4567".to_string()), "loader.js:1".to_string()),
                ("port".to_string(), Some("4567".to_string()), "loader.js:1".to_string()),
                ("mongo__host".to_string(), None, "loader.js:2".to_string()),
            ]
        );
        assert_eq!(environment(&[("loader.js", loader)]), None, "without nconf.env() a key is the file's only");
        let plain = reads("loader.js", loader, &None);
        assert_eq!(plain.len(), 2, "a nested key needs a separator to have a variable");
    }
}
