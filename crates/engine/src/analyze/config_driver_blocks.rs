//! A config object that picks one of its blocks by a selector (`driver: Env.get('SESSION_DRIVER',
//! 'cookie')` beside `cookie: {...}`, `redis: {...}`; `connection: 'sqlite'` beside `sqlite`,
//! `mysql`, `pg`): the blocks it does not select by default are settings for a driver the app
//! does not use unless the operator switches to it, so what they hold is no finding.

use std::sync::LazyLock;

use regex::Regex;

/// The keys that name which sibling block is used.
const SELECTOR_KEYS: [&str; 6] = ["driver", "connection", "default", "store", "client", "type"];

/// The default of a getter with a name and a fallback: `Env.get('SESSION_DRIVER', 'cookie')`,
/// `env('DB_CONNECTION', 'mysql')`.
static GETTER_DEFAULT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"\(\s*['"][A-Za-z_][\w.]*['"]\s*,\s*['"]([A-Za-z0-9_-]+)['"]\s*\)\s*$"#).expect("valid pattern")
});

/// A selector: the object it sits in (its parents' keys) and the block it picks by default.
pub struct Selector {
    object: Vec<String>,
    /// The selector's key (`driver`) and the block it picks (`cookie`).
    pub key: String,
    pub selected: String,
}

impl Selector {
    /// How deep the blocks it picks between sit: 0 for the file's top-level object.
    pub fn depth(&self) -> usize {
        self.object.len()
    }
}

/// The selectors among `entries` (each its parents, key and value) whose default names a
/// sibling block: a `client: 'pg'` beside a `connection: {...}` block selects nothing here.
pub fn selectors<'e, 'a: 'e>(
    entries: impl Iterator<Item = (&'e [&'a str], &'a str, &'a str)> + Clone,
) -> Vec<Selector> {
    let mut found = Vec::new();
    for (parents, key, value) in entries.clone() {
        if !SELECTOR_KEYS.contains(&key) {
            continue;
        }
        let Some(selected) = default_value(value) else { continue };
        let names_a_block = entries.clone().any(|(other, _, _)| {
            other.len() == parents.len() + 1 && other.starts_with(parents) && other[parents.len()] == selected
        });
        if names_a_block {
            found.push(Selector {
                object: parents.iter().map(|p| p.to_string()).collect(),
                key: key.to_string(),
                selected: selected.to_string(),
            });
        }
    }
    found
}

/// Whether an entry inside `parents` sits in a block some selector does not pick by default.
pub fn unselected(parents: &[&str], selectors: &[Selector]) -> bool {
    passed_over_by(parents, selectors).is_some()
}

/// The selector that does not pick the block an entry inside `parents` sits in.
pub fn passed_over_by<'s>(parents: &[&str], selectors: &'s [Selector]) -> Option<&'s Selector> {
    selectors.iter().find(|selector| {
        let depth = selector.object.len();
        let inside = parents.len() > depth && parents.iter().zip(&selector.object).all(|(a, b)| a == b);
        inside && parents[depth] != selector.selected
    })
}

/// The value a selector has when the environment leaves it unset.
fn default_value(value: &str) -> Option<&str> {
    let value = value.trim().trim_end_matches(',');
    quoted(value)
        .or_else(|| value.rsplit_once("||").or_else(|| value.rsplit_once("??")).and_then(|(_, last)| quoted(last)))
        .or_else(|| GETTER_DEFAULT.captures(value).and_then(|c| c.get(1)).map(|m| m.as_str()))
}

/// The body of a quoted literal, the whole of `text`.
fn quoted(text: &str) -> Option<&str> {
    let text = text.trim();
    let quote = text.chars().next().filter(|c| matches!(c, '\'' | '"' | '`'))?;
    text.strip_prefix(quote)?.strip_suffix(quote).filter(|body| !body.contains(quote))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blocks_the_default_driver_does_not_pick() {
        let top: &[&str] = &[];
        let cookie: &[&str] = &["cookie"];
        let redis: &[&str] = &["redis"];
        let entries = [
            (top, "driver", "Env.get('SESSION_DRIVER', 'cookie')"),
            (top, "cookie", "{"),
            (cookie, "path", "'/'"),
            (top, "redis", "{"),
            (redis, "host", "'127.0.0.1'"),
        ];
        let selectors = selectors(entries.iter().copied());
        assert!(unselected(&["redis"], &selectors));
        assert!(!unselected(&["cookie"], &selectors));
        assert!(!unselected(&[], &selectors));
    }

    #[test]
    fn a_selector_naming_no_block_selects_nothing() {
        let top: &[&str] = &[];
        let connection: &[&str] = &["connection"];
        let entries = [(top, "client", "'pg'"), (top, "connection", "{"), (connection, "host", "'localhost'")];
        assert!(!unselected(&["connection"], &selectors(entries.iter().copied())));
    }
}
