//! Go loops that read one variable per key of a literal map or list:
//! `for key, value := range defaults { if os.Getenv("APP_"+key) == "" { os.Setenv(key, value) } }`.
//! No read spells a name, yet each key joined with the prefix is a variable an operator sets,
//! with the map's value as its default when the loop falls back to it. A loop that copies
//! each read into the bare key (`os.Setenv(key, …)`) makes the bare names the app's own:
//! the reads of them elsewhere are not what an operator sets.

use std::collections::{HashMap, HashSet};
use std::sync::LazyLock;

use regex::Regex;

use super::VariableRead;
use super::computed_names::mentions;
use super::key_loops::{KeyLoop, balanced, block_after, reads_of, uses_value};
use super::text::without_line_comments;

/// `for key, value := range defaults {`, `for _, name := range []string{"A", "B"} {`.
static GO_FOR: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\bfor\s+(\w+)\s*(?:,\s*(\w+))?\s*:=\s*range\s+(\[\][\w.]+\s*\{[^{}]*\}|map\[[\w.]+\][\w.*]+\s*\{[^{}]*\}|[\w.]+)\s*\{")
        .expect("valid pattern")
});
static GO_READ: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"\bos\.(?:Getenv|LookupEnv)\(").expect("valid pattern"));

/// The variables Go loops read by a computed name, and the bare keys those loops copy the
/// values into (names the app sets for itself), each with the variable it comes from. A loop
/// that refuses to start on an empty value (`if os.Getenv(env) == "" { return err }`) makes
/// its reads required.
pub fn reads(sources: &[(&str, &str)]) -> (Vec<VariableRead>, HashMap<String, String>) {
    // A comment inside a map literal (`// the default is 100, so …`) is no entry.
    let blanked: Vec<(&str, String)> = sources.iter().map(|(p, t)| (*p, without_line_comments(t))).collect();
    let blanked: Vec<(&str, &str)> = blanked.iter().map(|(p, t)| (*p, t.as_str())).collect();
    let (mut found, mut mirrored) = (Vec::new(), HashMap::new());
    for &(path, text) in blanked.iter().filter(|(_, t)| t.contains("range") && GO_READ.is_match(t)) {
        for captures in GO_FOR.captures_iter(text) {
            let whole = captures.get(0).expect("match");
            let Some(found_loop) = key_loop(&blanked, &captures, block_after(text, whole.end() - 1)) else { continue };
            let (mut named, mut seen) = (Vec::new(), HashSet::new());
            for at in GO_READ.find_iter(found_loop.body) {
                let Some(inside) = balanced(&found_loop.body[at.end()..], ')') else { continue };
                if mentions(inside, &found_loop.key) {
                    let each = reads_of(&blanked, path, &found_loop, inside, uses_value(&found_loop));
                    named.extend(each.into_iter().filter(|r| !seen.contains(&(r.name.clone(), r.source.clone()))));
                    seen.extend(named.iter().map(|r| (r.name.clone(), r.source.clone())));
                }
            }
            let bare = reads_of(&blanked, path, &found_loop, &found_loop.key, false);
            let renamed = named.iter().any(|r| bare.iter().all(|b| b.name != r.name));
            if renamed && sets_key(found_loop.body, &found_loop.key) {
                // The prefixed read of each key ends with the key: `COMMENTO_PORT` for `PORT`.
                for key in bare {
                    if let Some(prefixed) = named.iter().find(|r| r.name.ends_with(&format!("_{}", key.name))) {
                        mirrored.insert(key.name, prefixed.name.clone());
                    }
                }
            }
            if refuses_empty(found_loop.body) {
                named.iter_mut().for_each(|read| read.required = true);
            }
            found.extend(named);
        }
    }
    (found, mirrored)
}

/// The loop a `for … := range` header starts: a map's key and value, or a list's element.
fn key_loop<'a>(sources: &[(&str, &str)], captures: &regex::Captures, body: &'a str) -> Option<KeyLoop<'a>> {
    let ranged = &captures[3];
    let (object, list) = match ranged.find('{') {
        Some(open) => (ranged[open..].to_string(), ranged.starts_with("[]")),
        None => (ranged.to_string(), is_list(sources, ranged)),
    };
    let first = captures[1].to_string();
    let second = captures.get(2).map(|m| m.as_str().to_string());
    // Ranging over a list binds its index first; over a map, its key.
    // `for _, v := range aMap` binds the map's values, which are then the names.
    let over_values = !list && first == "_";
    let (key, value) = if list || first == "_" { (second?, None) } else { (first, second) };
    (key != "_").then_some(KeyLoop { key, value, object, body, over_values })
}

/// Whether a source defines `name` as a slice (`names := []string{…}`).
fn is_list(sources: &[(&str, &str)], name: &str) -> bool {
    let Ok(slice) = Regex::new(&format!(r"\b{}\s*(?::=|=|\[\])\s*\[\]", regex::escape(name))) else { return false };
    sources.iter().any(|(_, text)| slice.is_match(text))
}

/// `if os.Getenv(env) == "" { …; return errorMissingConfig }`: the loop stops the app when a
/// value is empty.
fn refuses_empty(body: &str) -> bool {
    let empty_test = body.contains("== \"\"") || body.contains("len(os.Getenv(");
    let stops = ["return err", "os.Exit(", "log.Fatal", "panic(", "logger.Fatal"].iter().any(|s| body.contains(s))
        || body.lines().any(|line| line.trim_start().starts_with("return ") && line.contains("rror"));
    empty_test && stops && !body.contains("os.Setenv(")
}

/// `os.Setenv(key, …)`: the loop copies the value into the bare key.
fn sets_key(body: &str, key: &str) -> bool {
    body.match_indices("os.Setenv(").any(|(at, call)| {
        let rest = &body[at + call.len()..];
        rest.split(',').next().is_some_and(|first| first.trim() == key)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_prefix_joined_with_each_key_of_a_defaults_map() {
        let config = "package main\n\nfunc load() {\n\tdefaults := map[string]string{\n\t\t// the pool: 50, so half of it\n\t\t\"BIND_ADDRESS\": \"127.0.0.1\",\n\t\t\"PORT\":         \"8080\",\n\t\t\"DIR\":          binPath,\n\t}\n\tfor key, value := range defaults {\n\t\tif os.Getenv(\"SHOP_\"+key) == \"\" {\n\t\t\tos.Setenv(key, value)\n\t\t} else {\n\t\t\tos.Setenv(key, os.Getenv(\"SHOP_\"+key))\n\t\t}\n\t}\n\tfor _, env := range []string{\"PORT\"} {\n\t\tif os.Getenv(env) == \"\" {\n\t\t\treturn\n\t\t}\n\t}\n}\n";
        let (reads, mirrored) = reads(&[("api/config.go", config)]);
        let named: Vec<(&str, Option<&str>, &str)> =
            reads.iter().map(|r| (r.name.as_str(), r.default.as_deref(), r.source.as_str())).collect();
        assert_eq!(
            &named[..3],
            [
                ("SHOP_BIND_ADDRESS", Some("127.0.0.1"), "api/config.go:6"),
                ("SHOP_PORT", Some("8080"), "api/config.go:7"),
                ("SHOP_DIR", None, "api/config.go:8"),
            ]
        );
        // The list loop reads the bare names the first loop sets: `go::reads` drops them.
        assert_eq!(&named[3..], [("PORT", None, "api/config.go:17")]);
        let mut mirrored: Vec<(String, String)> = mirrored.into_iter().collect();
        mirrored.sort();
        let pair = |bare: &str| (bare.to_string(), format!("SHOP_{bare}"));
        assert_eq!(mirrored, [pair("BIND_ADDRESS"), pair("DIR"), pair("PORT")]);
    }

    #[test]
    fn a_loop_reading_bare_names_mirrors_nothing() {
        let code = "var names = []string{\"A_KEY\", \"B_KEY\"}\nfunc f() {\n\tfor i, name := range names {\n\t\tuse(i, os.Getenv(name))\n\t}\n}\n";
        let (reads, mirrored) = reads(&[("main.go", code)]);
        let names: Vec<&str> = reads.iter().map(|r| r.name.as_str()).collect();
        assert_eq!(names, ["A_KEY", "B_KEY"]);
        assert!(mirrored.is_empty());
    }
}
