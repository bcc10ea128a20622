//! Variables a Python library reads itself, which no `os.environ` in the app's code names:
//! `dj_database_url.config()` reads `DATABASE_URL`, django-environ's `env.db()` too,
//! `dj_email_url.config()` reads `EMAIL_URL`, `django_cache_url.config()` reads `CACHE_URL`;
//! each takes another name with `env=`. And a membership test, `'DATABASE_URL' in
//! os.environ`, reads the variable it tests as much as a `get` does.

use std::sync::LazyLock;

use regex::Regex;

use super::VariableRead;

/// A library call and the variable it reads when not given another.
const IMPLICIT: [(&str, &str); 6] = [
    ("dj_database_url.config(", "DATABASE_URL"),
    ("env.db(", "DATABASE_URL"),
    ("env.db_url(", "DATABASE_URL"),
    ("dj_email_url.config(", "EMAIL_URL"),
    ("django_cache_url.config(", "CACHE_URL"),
    ("env.cache(", "CACHE_URL"),
];

/// `env='NAME'` (or `var=`) among a call's arguments.
static NAMED: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r#"\b(?:env|var)\s*=\s*['"]([A-Z][A-Z0-9_]*)['"]"#).expect("valid pattern"));
/// `default='...'` among a call's arguments.
static DEFAULT: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r#"\bdefault\s*=\s*(?:f?['"]([^'"]*)['"])"#).expect("valid pattern"));
/// `'NAME' in os.environ` (also `not in`).
static MEMBERSHIP: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"['"]([A-Z][A-Z0-9_]*)['"]\s+(?:not\s+)?in\s+os\.environ\b"#).expect("valid pattern")
});

/// The reads of one file: each implicit read at its call (with the call's default), and each
/// tested name. None is required: the library's call has its own default or returns nothing.
pub fn reads(path: &str, text: &str) -> Vec<VariableRead> {
    let lines: Vec<&str> = text.lines().collect();
    let mut found = Vec::new();
    for (index, line) in lines.iter().enumerate() {
        let code = line.trim_start();
        if code.starts_with('#') {
            continue;
        }
        let at = || format!("{path}:{}", index + 1);
        for (call, name) in IMPLICIT.iter().filter(|(call, _)| line.contains(call)) {
            // The arguments, over the next few lines when the call continues there.
            let arguments = lines[index..lines.len().min(index + 6)].join(" ");
            let arguments = arguments.split_once(call).map_or("", |(_, rest)| rest);
            let arguments = arguments.split(')').next().unwrap_or("");
            // The name comes first (`env.db('OTHER_URL')`) or as `env=`.
            let positional =
                arguments.trim_start().strip_prefix(['\'', '"']).and_then(|rest| rest.split(['\'', '"']).next());
            let name = positional
                .filter(|n| crate::model::is_variable_name(n))
                .map(str::to_string)
                .or_else(|| NAMED.captures(arguments).map(|c| c[1].to_string()))
                .unwrap_or_else(|| name.to_string());
            let default = DEFAULT.captures(arguments).map(|c| c[1].to_string()).filter(|d| !d.is_empty());
            found.push(VariableRead::new(name, at()).with_default(default));
        }
        for captures in MEMBERSHIP.captures_iter(line) {
            found.push(VariableRead::new(&captures[1], at()));
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(text: &str) -> Vec<(String, Option<String>, String)> {
        reads("site/settings.py", text).into_iter().map(|r| (r.name, r.default, r.source)).collect()
    }

    #[test]
    fn a_library_reads_its_variable_unless_told_another() {
        let text = "import dj_database_url\nif 'DATABASE_URL' in os.environ:\n    DATABASES['default'] = dj_database_url.config(\n        conn_max_age=500,\n    )\nEMAIL = dj_email_url.config(env='MAIL_URL', default='smtp://localhost')\n";
        assert_eq!(
            names(text),
            [
                ("DATABASE_URL".to_string(), None, "site/settings.py:2".to_string()),
                ("DATABASE_URL".to_string(), None, "site/settings.py:3".to_string()),
                ("MAIL_URL".to_string(), Some("smtp://localhost".to_string()), "site/settings.py:6".to_string()),
            ]
        );
    }

    #[test]
    fn comments_and_other_calls_read_nothing() {
        assert!(names("# dj_database_url.config() reads DATABASE_URL\nconfig = load('x')\n").is_empty());
        assert_eq!(names("DATABASES = {'default': env.db('PRIMARY_DB_URL')}\n")[0].0, "PRIMARY_DB_URL");
    }
}
