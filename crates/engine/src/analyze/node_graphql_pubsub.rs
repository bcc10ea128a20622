//! GraphQL subscriptions published through an in-process PubSub: `new PubSub()` from
//! graphql-subscriptions (or Apollo's re-export), graphql-yoga's `createPubSub()` without an
//! event target, mercurius' `subscription` without a shared emitter. Each task has its own, so
//! a subscriber connected to one task never hears what another publishes.

use serde_json::Value;

use super::app_files::AppFiles;
use super::node_imports::live_lines;
use super::source::is_test_path;
use super::variables::scope_of;
use crate::model::{Finding, VariableScope};

const EXTENSIONS: [&str; 6] = ["js", "mjs", "cjs", "ts", "mts", "cts"];

/// Packages whose PubSub or emitter goes through a shared broker.
const SHARED: [&str; 7] = [
    "graphql-redis-subscriptions",
    "graphql-postgres-subscriptions",
    "graphql-mqtt-subscriptions",
    "graphql-kafka-subscriptions",
    "@graphql-yoga/redis-event-target",
    "mqemitter-redis",
    "mqemitter-mongodb",
];

/// The warning at the first in-process PubSub of the running app's code.
pub fn finding(files: &AppFiles, manifest: &Value) -> Option<Finding> {
    let listed = |name: &str| ["dependencies", "devDependencies"].iter().any(|t| manifest[t].get(name).is_some());
    if SHARED.iter().any(|name| listed(name)) {
        return None;
    }
    let running = |path: &str| !is_test_path(path) && scope_of(path) == VariableScope::Runtime;
    files.with_extensions(&EXTENSIONS).filter(|(path, _)| running(path)).find_map(|(path, text)| {
        let (index, what) = in_process_pubsub(text)?;
        Some(
            Finding::warning(
                "in-memory-pubsub",
                format!("publishes GraphQL subscription events in memory ({what}): with more than one task, subscribers on one never hear what another publishes"),
                format!("{path}:{}", index + 1),
            )
            .with_fix("use a shared PubSub (graphql-redis-subscriptions on ElastiCache), or run one task"),
        )
    })
}

/// The line of an in-process PubSub in `text`, and what it is.
fn in_process_pubsub(text: &str) -> Option<(usize, &'static str)> {
    let lines = live_lines(text);
    let graphql_subscriptions = ["'graphql-subscriptions'", "\"graphql-subscriptions\"", "apollo-server"]
        .iter()
        .any(|source| text.contains(source));
    if graphql_subscriptions && let Some(index) = lines.iter().position(|l| l.contains("new PubSub(")) {
        return Some((index, "graphql-subscriptions' PubSub"));
    }
    if text.contains("graphql-yoga")
        && let Some(index) = lines.iter().position(|l| l.contains("createPubSub(") && !l.contains("eventTarget"))
    {
        return Some((index, "graphql-yoga's createPubSub"));
    }
    let mercurius = text.contains("mercurius") && !text.contains("emitter");
    let index = lines.iter().position(|l| l.contains("subscription: true") || l.contains("subscription: {"));
    index.filter(|_| mercurius).map(|index| (index, "mercurius' default emitter"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(code: &str, dependencies: &str) -> Option<Finding> {
        let manifest: Value = serde_json::from_str(&format!("{{\"dependencies\": {{{dependencies}}}}}")).unwrap();
        finding(&AppFiles::from_pairs([("src/feed.resolver.ts", code)]), &manifest)
    }

    #[test]
    fn an_in_process_pubsub_is_said_at_its_construction() {
        let code = "import { PubSub } from 'graphql-subscriptions';\n\nconst pubSub = new PubSub();\n";
        let found = run(code, "\"graphql-subscriptions\": \"2.0.0\"").unwrap();
        assert_eq!((found.kind.as_str(), found.source.as_str()), ("in-memory-pubsub", "src/feed.resolver.ts:3"));
        assert!(run(code, "\"graphql-redis-subscriptions\": \"2.0.0\"").is_none());
        let redis = "import { RedisPubSub } from 'graphql-redis-subscriptions';\nconst p = new RedisPubSub();\n";
        assert!(run(redis, "").is_none());
    }
}
