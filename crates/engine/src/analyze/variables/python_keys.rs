//! Python reads whose name sits in a variable: `key = "APP_AUTH_TYPE"` then
//! `os.environ.get(key)` or `get_env(key, default=...)`, and module constants used as the key
//! (`AUTH_TYPE_KEY = "FLATNOTES_AUTH_TYPE"`). The name is the string the variable was last
//! given above the read, in the same function or at module level.

use std::sync::LazyLock;

use regex::Regex;

use super::VariableRead;
use super::python::{starts_with_keyword, statement_from};
use super::python_wrappers::reading_wrappers;
use super::text::literal;

/// `os.environ.get(key`, `getenv(key`, `environ[key]`, `get_env(key`, `config.get_setting(KEY`.
static KEYED: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"\b((?:os\.)?(?:environ\.get|getenv|environ\.setdefault)|(?:os\.)?environ\[|[A-Za-z_][A-Za-z0-9_]*)\(?\s*([A-Za-z_][A-Za-z0-9_]*)\s*([,)\]])"#)
        .expect("valid pattern")
});
static ASSIGNED: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"^(\s*)([A-Za-z_][A-Za-z0-9_]*)\s*(?::\s*str\s*)?=\s*['"]([A-Z][A-Z0-9_]*)['"]\s*(?:#.*)?$"#)
        .expect("valid pattern")
});
static KEYWORD_DEFAULT: LazyLock<Regex> = LazyLock::new(|| Regex::new(r#"\bdefault\s*=\s*"#).expect("valid pattern"));

/// Pushes the reads of `text` (at `path`) whose name is a variable holding a string literal.
pub fn reads(path: &str, text: &str, found: &mut Vec<VariableRead>) {
    let lines: Vec<&str> = text.lines().collect();
    let wrappers = reading_wrappers(&lines);
    for (index, line) in lines.iter().enumerate() {
        if line.trim_start().starts_with('#') || !line.contains('(') && !line.contains('[') {
            continue;
        }
        let statement = statement_from(&lines, index);
        for captures in KEYED.captures_iter(&statement) {
            let whole = captures.get(0).expect("match");
            if whole.start() >= line.len() || !reads_the_environment(&captures[1], &captures[3], &wrappers) {
                continue;
            }
            let Some(name) = value_of(&lines, index, &captures[2]) else { continue };
            let after = &statement[whole.end()..];
            // `os.environ[key] = value` sets the name for what runs next; it reads nothing.
            if &captures[3] == "]" && after.trim_start().starts_with('=') && !after.trim_start().starts_with("==") {
                continue;
            }
            let default = match (&captures[3], after) {
                (",", arguments) if starts_with_keyword(arguments) => {
                    KEYWORD_DEFAULT.find(arguments).and_then(|m| literal(&arguments[m.end()..]))
                }
                (",", arguments) => literal(arguments),
                _ => None,
            };
            found.push(VariableRead::new(name, format!("{path}:{}", index + 1)).with_default(default));
        }
    }
}

/// Whether the call reads the process environment: `os.environ.get`, `getenv`, `environ[…]`,
/// or a helper named for it (`get_env`, `env_int`) or a wrapper of the file.
fn reads_the_environment(function: &str, closing: &str, wrappers: &[String]) -> bool {
    if function.ends_with('[') {
        return closing == "]";
    }
    let last = function.rsplit('.').next().unwrap_or(function);
    if function.contains("environ") || last == "getenv" {
        return true;
    }
    let lower = last.to_ascii_lowercase();
    let helper = lower.contains("env") && !lower.starts_with("set") && function == last;
    helper || wrappers.iter().any(|w| w == function)
}

/// The string `variable` holds at line `index`: the nearest assignment above it within the
/// enclosing function, else a module-level one. A parameter of the enclosing function is
/// whatever a caller passes, so it is not resolved.
fn value_of(lines: &[&str], index: usize, variable: &str) -> Option<String> {
    let indent = |l: &str| l.len() - l.trim_start().len();
    let at = indent(lines[index]);
    for line in lines[..index].iter().rev() {
        if let Some(captures) = ASSIGNED.captures(line)
            && &captures[2] == variable
            && captures[1].len() <= at
        {
            return Some(captures[3].to_string());
        }
        let trimmed = line.trim_start();
        if (trimmed.starts_with("def ") || trimmed.starts_with("async def ")) && indent(line) < at {
            let parameters = trimmed.split_once('(').map_or("", |(_, p)| p);
            let names_it = parameters.split([',', ')', '=', ':', ' ', '*']).any(|p| p == variable);
            if names_it {
                return None;
            }
            break;
        }
    }
    lines.iter().find_map(|line| {
        ASSIGNED.captures(line).filter(|c| c[1].is_empty() && &c[2] == variable).map(|c| c[3].to_string())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn found(text: &str) -> Vec<(String, Option<String>, String)> {
        let mut found = Vec::new();
        reads("server/config.py", text, &mut found);
        found.into_iter().map(|r| (r.name, r.default, r.source)).collect()
    }

    #[test]
    fn a_name_held_in_a_local_or_a_module_constant() {
        let text = "import os\nfrom helpers import get_env\n\nAUTH_TYPE_KEY = \"FLATNOTES_AUTH_TYPE\"\n\n\ndef get_env(key, default=None):\n    return os.environ.get(key, default)\n\n\nclass Config:\n    def _load(self):\n        key = \"FLATNOTES_QUICK_ACCESS_TITLE\"\n        return get_env(key, mandatory=False, default=\"RECENT\")\n\n    def _auth(self):\n        value = os.environ.get(AUTH_TYPE_KEY)\n        os.environ[key] = value\n        old = \"OLD_NAME\"\n        other = get_env(\n            old, 5\n        )\n";
        let f = found(text);
        let expected = [
            ("FLATNOTES_QUICK_ACCESS_TITLE", Some("RECENT"), "server/config.py:14"),
            ("FLATNOTES_AUTH_TYPE", None, "server/config.py:17"),
            ("OLD_NAME", Some("5"), "server/config.py:20"),
        ];
        let expected: Vec<(String, Option<String>, String)> =
            expected.iter().map(|(n, d, s)| (n.to_string(), d.map(str::to_string), s.to_string())).collect();
        assert_eq!(f, expected, "the wrapper's own parameter is not resolved");
    }
}
