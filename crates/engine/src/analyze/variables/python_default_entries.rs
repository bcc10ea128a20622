//! A config table whose entries pair a default with the variable that overrides it:
//! `"backend": {"default": "sqlite3", "env": os.getenv("PRETALX_DB_TYPE")}`. The read itself
//! gives no fallback; the entry's `default` is what the app runs with when it is unset.

use std::sync::LazyLock;

use regex::Regex;

use super::VariableRead;
use super::text::literal;

/// `"env": os.getenv("NAME")` or `'env': os.environ.get('NAME')`: the entry's override.
static ENV_ENTRY: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"['"]env['"]\s*:\s*(?:os\.)?(?:getenv|environ\.get)\(\s*['"]([A-Za-z_][A-Za-z0-9_]*)['"]\s*\)"#)
        .expect("valid pattern")
});
/// `"default":` inside the same entry.
static DEFAULT_KEY: LazyLock<Regex> = LazyLock::new(|| Regex::new(r#"['"]default['"]\s*:\s*"#).expect("valid pattern"));

/// Gives each read of `text` without a default its entry's literal `default`.
pub(super) fn apply(text: &str, reads: &mut [VariableRead]) {
    if !text.contains("\"env\"") && !text.contains("'env'") {
        return;
    }
    for found in ENV_ENTRY.captures_iter(text) {
        let whole = found.get(0).expect("match");
        let line = text[..whole.start()].matches('\n').count() + 1;
        let Some(default) = entry_default(text, whole.start()) else { continue };
        let source_end = format!(":{line}");
        for read in reads.iter_mut().filter(|r| r.name == found[1] && r.source.ends_with(&source_end)) {
            if read.default.is_none() {
                read.default = Some(default.clone());
            }
        }
    }
}

/// The literal `default` of the `{…}` entry around offset `at`; `None` when the entry has
/// none, or its default is computed (`"runserver" in sys.argv`, `Path(__file__)`) or empty.
fn entry_default(text: &str, at: usize) -> Option<String> {
    let open = text[..at].rfind('{')?;
    let close = at + text[at..].find('}')?;
    // A `}` between the brace and the read closes another entry: this one has no brace of its own.
    if text[open..at].contains('}') {
        return None;
    }
    let entry = &text[open + 1..close];
    let value = &entry[DEFAULT_KEY.find(entry)?.end()..];
    let value = value.trim_start();
    let found = literal(value).filter(|v| !v.is_empty())?;
    // The literal must be the whole value: what follows it ends the item.
    let written = if value.starts_with(['"', '\'']) { found.len() + 2 } else { found.len() };
    let rest = value.get(written..).unwrap_or("").trim_start();
    (rest.is_empty() || rest.starts_with([',', '}'])).then_some(found)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_entrys_default_is_the_reads() {
        let text = "CONFIG = {\n    \"database\": {\n        \"backend\": {\"default\": \"sqlite3\", \"env\": os.getenv(\"APP_DB_TYPE\")},\n        \"name\": {\"env\": os.getenv(\"APP_DB_NAME\")},\n    },\n    \"site\": {\n        \"debug\": {\n            \"default\": \"runserver\" in sys.argv,\n            \"env\": os.getenv(\"APP_DEBUG\"),\n        },\n        \"limit\": {\n            \"default\": 250,\n            \"env\": os.getenv(\"APP_LIMIT\"),\n        },\n    },\n}\n";
        let mut reads: Vec<VariableRead> =
            [("APP_DB_TYPE", 3), ("APP_DB_NAME", 4), ("APP_DEBUG", 9), ("APP_LIMIT", 13)]
                .into_iter()
                .map(|(name, line)| VariableRead::new(name, format!("config.py:{line}")))
                .collect();
        apply(text, &mut reads);
        let defaults: Vec<Option<&str>> = reads.iter().map(|r| r.default.as_deref()).collect();
        assert_eq!(defaults, [Some("sqlite3"), None, None, Some("250")]);
    }
}
