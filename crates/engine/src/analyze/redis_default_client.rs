//! A Redis client created with no address: `new Redis()`, `redis.createClient()`, or a Redis
//! wrapper package called bare (`require('redis-connection')()`). The client connects to its
//! library's default, localhost:6379, where nothing listens in a task. A client given a
//! variable is judged with that variable instead.

use std::sync::LazyLock;

use regex::Regex;

use super::app_files::AppFiles;
use super::source::is_test_path;
use crate::model::Finding;

/// A client made with empty arguments.
static BARE_CLIENT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"(?:new\s+(?:IO)?Redis|\b(?:redis|Redis)\.createClient|require\(\s*['"][\w@/.-]*redis[\w/.-]*['"]\s*\))\(\s*\)"#)
        .expect("valid pattern")
});

/// One finding, at the first bare client: the others connect to the same place.
pub fn findings(files: &AppFiles) -> Vec<Finding> {
    let code = files.with_extensions(&["js", "mjs", "cjs", "ts", "mts", "cts"]).filter(|(path, _)| !is_test_path(path));
    let first = code.filter(|(_, text)| text.contains("edis")).find_map(|(path, text)| {
        let lines = super::node_imports::live_lines(text);
        let bare = lines.iter().position(|line| !line.contains("process.env") && BARE_CLIENT.is_match(line));
        bare.map(|index| format!("{path}:{}", index + 1))
    });
    let mut found: Vec<Finding> = first
        .map(|at| {
            Finding::blocker(
                "localhost-default-host",
                "the Redis client is created with no address: it connects to localhost:6379 (its library's default, unless the library reads a variable of its own), and in a task nothing listens there",
                at,
            )
            .with_fix("pass the Redis URL from a variable the service sets (a secret when it holds a password)")
        })
        .into_iter()
        .collect();
    super::optional_cache::relax(files, &mut found);
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sources(files: &[(&str, &str)]) -> Vec<String> {
        findings(&AppFiles::from_pairs(files.iter().copied())).into_iter().map(|f| f.source).collect()
    }

    #[test]
    fn clients_with_no_address() {
        let found = sources(&[
            ("lib/pub.js", "var pub = require('redis-connection')();\nvar sub = require('redis-connection')('sub');\n"),
            (
                "lib/cache.js",
                "const Redis = require('ioredis');\n// const old = new Redis();\nconst cache = new Redis();\n",
            ),
            ("lib/given.js", "const client = redis.createClient({ url: process.env.CACHE });\n"),
            ("lib/switch.js", "const r = process.env.CACHE ? new Redis(process.env.CACHE) : new Redis();\n"),
        ]);
        assert_eq!(found, ["lib/cache.js:3"], "said once, at the first");
        let wrapper = sources(&[("lib/pub.js", "var pub = require('redis-connection')();\n")]);
        assert_eq!(wrapper, ["lib/pub.js:1"]);
    }

    #[test]
    fn a_bare_client_the_code_can_do_without_is_a_warning() {
        let cache = "const cache = new Redis();\nlet ready = false;\ncache.on('ready', () => { ready = true; });\ncache.on('error', () => { ready = false; });\nexports.get = (key) => {\n  if (!ready) return null;\n  return cache.get(key);\n};\n";
        let found = findings(&AppFiles::from_pairs([("lib/cache.js", cache)]));
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].level, crate::model::FindingLevel::Warning, "{}", found[0].message);
    }
}
