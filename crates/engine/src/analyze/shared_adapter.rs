//! A socket.io server that joins its tasks through a shared adapter (`io.adapter(createAdapter(
//! pub, sub))` from `@socket.io/redis-adapter`): the maps of connections it keeps in its own
//! process are then bookkeeping, not what reaches other tasks' clients. Often the adapter is set
//! only when its store is configured (`if (!redisConfig.host) { ...; return; }` above it): then
//! a single setting decides whether the tasks share, which is a warning, not a blocker.

use std::sync::LazyLock;

use regex::Regex;

use super::node_socket_io::shares_rooms;

/// The module a line imports: `require("@socket.io/redis-adapter")`, `from 'socket.io-redis'`.
static IMPORTED: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r#"(?:require\(\s*|from\s+)['"]([^'"]+)['"]"#).expect("valid pattern"));

/// `if (!config.host) {` or `if (!host) return`: a guard that leaves when a setting is missing.
static MISSING_GUARD: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"^\s*if\s*\(\s*!").expect("valid pattern"));

/// How far above the adapter its guard may sit.
const GUARD_LINES: usize = 80;

/// Where `text` sets a shared adapter (1-based lines): the `.adapter(` call, and the guard that
/// returns before it when its store is not configured.
#[derive(Debug, PartialEq)]
pub struct Adapter {
    pub at: usize,
    pub guard: Option<usize>,
}

/// The shared adapter `text` sets, if it imports one and calls `.adapter(`.
pub fn adapter_in(text: &str) -> Option<Adapter> {
    let shared = IMPORTED.captures_iter(text).any(|c| shares_rooms(&c[1]));
    if !shared {
        return None;
    }
    let lines: Vec<&str> = text.lines().collect();
    let at = lines.iter().position(|l| l.contains(".adapter(") && !l.trim_start().starts_with("//"))?;
    let indent = |l: &str| l.len() - l.trim_start().len();
    // The guard must sit in the block the adapter is set in: no line between them closes it.
    let same_block = |index: usize| {
        lines[index + 1..at].iter().filter(|l| !l.trim().is_empty()).all(|l| indent(l) >= indent(lines[index]))
    };
    let guard = (at.saturating_sub(GUARD_LINES)..at).rev().find(|&index| {
        MISSING_GUARD.is_match(lines[index])
            && lines[index..(index + 4).min(at)].iter().any(|l| l.contains("return"))
            && same_block(index)
    });
    Some(Adapter { at: at + 1, guard: guard.map(|g| g + 1) })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_adapter_set_only_when_configured() {
        let guarded = "const { createAdapter } = require('@socket.io/redis-adapter');\nasync function share(io) {\n  const options = redisOptions();\n  if (!options.host) {\n    console.log('no redis');\n    return;\n  }\n  io.adapter(createAdapter(pub, sub));\n}\n";
        assert_eq!(adapter_in(guarded), Some(Adapter { at: 8, guard: Some(4) }));
        let always =
            "const { createAdapter } = require('@socket.io/redis-adapter');\nio.adapter(createAdapter(pub, sub));\n";
        assert_eq!(adapter_in(always), Some(Adapter { at: 2, guard: None }));
        let elsewhere = "const { createAdapter } = require('@socket.io/redis-adapter');\nfunction auth(token) {\n  if (!token) {\n    return false;\n  }\n}\nfunction share(io) {\n  io.adapter(createAdapter(pub, sub));\n}\n";
        assert_eq!(adapter_in(elsewhere), Some(Adapter { at: 8, guard: None }), "another function's guard");
        let cluster =
            "const { createAdapter } = require('@socket.io/cluster-adapter');\nio.adapter(createAdapter());\n";
        assert_eq!(adapter_in(cluster), None, "the cluster adapter joins one machine's workers only");
    }
}
