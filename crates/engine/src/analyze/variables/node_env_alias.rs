//! Reads through a local name for `process.env`: `const { env } = process;` or
//! `const env = process.env;`, then `env.Port`, `env.JwtSecret`, `env['API_KEY']`. Such a name
//! is the environment itself, so every property read through it is a variable, whatever its
//! case (apps that name their variables `Database` or `RedisHost` read them this way).

use std::sync::LazyLock;

use regex::Regex;

use super::VariableRead;
use super::secrets::secret_by_use;
use super::text::{key_before, literal, parsed_plain};

/// `const { env } = process;`, `const { env: environment, argv } = process`.
static DESTRUCTURED_PROCESS: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?m)\b(?:const|let|var)\s*\{([^{}]*)\}\s*=\s*process\s*(?:;|$)").expect("valid pattern")
});
/// `const env = process.env;`, `let e = process.env as Record<string, string>`.
static ASSIGNED_ENV: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?m)\b(?:const|let|var)\s+([A-Za-z_$][\w$]*)\s*(?::[^=]+)?=\s*process\.env\s*(?:;|$|\bas\b)")
        .expect("valid pattern")
});
/// The fallback after a read: `|| 'x'`, `?? 3000`, past a closing `parseInt(..., 10)`.
static FALLBACK: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^[\s),0-9]{0,8}(?:\|\||\?\?)\s*").expect("valid pattern"));
/// The fallback of a conditional read, on one line or over three:
/// `env.Port ? parseInt(env.Port, 10) : 9200`.
static TERNARY: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"^\s*\?[^:?;]*:\s*").expect("valid pattern"));

/// The local names of `process.env` a file declares.
pub fn aliases(text: &str) -> Vec<String> {
    let mut names: Vec<String> = ASSIGNED_ENV.captures_iter(text).map(|c| c[1].to_string()).collect();
    for captures in DESTRUCTURED_PROCESS.captures_iter(text) {
        for entry in captures[1].split(',') {
            let entry = entry.trim();
            match entry.split_once(':') {
                Some((key, local)) if key.trim() == "env" => names.push(local.trim().to_string()),
                None if entry == "env" => names.push("env".to_string()),
                _ => {}
            }
        }
    }
    names.retain(|name| !name.is_empty() && name != "process");
    names
}

/// Every read through one of the file's local names of `process.env`.
pub fn reads(path: &str, text: &str) -> Vec<VariableRead> {
    let mut found = Vec::new();
    let lines: Vec<&str> = text.lines().collect();
    for alias in aliases(text) {
        let escaped = regex::escape(&alias);
        let read = Regex::new(&format!(
            r#"(?:^|[^\w.$]){escaped}(?:(?:\?\.|\.)([A-Za-z_][A-Za-z0-9_]*)\b|\[\s*['"]([^'"]+)['"]\s*\])"#
        ))
        .expect("valid pattern");
        for (index, line) in lines.iter().enumerate() {
            if line.trim_start().starts_with("//") || line.trim_start().starts_with('*') {
                continue;
            }
            for captures in read.captures_iter(line) {
                let whole = captures.get(0).expect("match");
                let name = captures.get(1).or(captures.get(2)).expect("one group");
                let after = &line[whole.end()..];
                // A method of the object (`env.hasOwnProperty(...)`) or an assignment for
                // others to read is no read of a variable.
                let rest = after.trim_start();
                if rest.starts_with('(') || (rest.starts_with('=') && !rest.starts_with("==")) {
                    continue;
                }
                let before = &line[..name.start()];
                let mut variable = VariableRead::new(name.as_str(), format!("{path}:{}", index + 1))
                    .with_default(default_after(after, &lines[index + 1..]));
                variable.secret_use = key_before(&line[..whole.start()]).and_then(secret_by_use);
                variable.plain_value = parsed_plain(before, after);
                found.push(variable);
            }
        }
    }
    found
}

/// The literal a read falls back to: after `||`/`??` on its line, or the third part of a
/// conditional that may continue on the next two lines.
fn default_after(after: &str, next: &[&str]) -> Option<String> {
    if let Some(m) = FALLBACK.find(after) {
        return literal(&after[m.end()..]);
    }
    let mut conditional = after.to_string();
    if after.trim().is_empty() {
        for line in next.iter().take(2) {
            conditional.push('\n');
            conditional.push_str(line);
        }
    }
    TERNARY.find(&conditional).and_then(|m| literal(&conditional[m.end()..]))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn found(text: &str) -> Vec<(String, Option<String>)> {
        reads("config/server.ts", text).into_iter().map(|r| (r.name, r.default)).collect()
    }

    #[test]
    fn names_of_any_case_through_a_destructured_env() {
        let text = "const { env } = process;\nexport default {\n  port: env.Port ? parseInt(env.Port, 10) : 9200,\n  db: env.Database || 'mongodb://localhost/app',\n  open: env.OpenSignup\n    ? env.OpenSignup === 'true'\n    : false,\n  key: env['API_KEY'],\n  own: env.hasOwnProperty('X'),\n};\n";
        let f = found(text);
        assert_eq!(f[0], ("Port".into(), Some("9200".into())));
        assert_eq!(f[1], ("Port".into(), None));
        assert_eq!(f[2], ("Database".into(), Some("mongodb://localhost/app".into())));
        assert_eq!(f[3], ("OpenSignup".into(), Some("false".into())));
        assert_eq!(f[5], ("API_KEY".into(), None));
        assert_eq!(f.len(), 6, "{f:?}");
    }

    #[test]
    fn other_local_names() {
        assert_eq!(aliases("const e = process.env;\n"), vec!["e".to_string()]);
        assert_eq!(aliases("const { env: vars, argv } = process\n"), vec!["vars".to_string()]);
        assert!(aliases("const { env } = process.versions;\nconst env = config.env;\n").is_empty());
        let text = "const { env } = process;\nconst settings = { env: 'prod' };\nsettings.env.Other;\n";
        assert!(found(text).is_empty(), "a property named env is not the alias");
    }
}
