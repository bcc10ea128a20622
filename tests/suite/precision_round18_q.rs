//! Precision audit, round 18 (helper q): claims about Node.js apps that a reading of the code
//! contradicted, each in a fixture of its own (tests/fixtures/apps).

use crate::app_fixtures::{findings, profile as fixture, variable};

/// `process.env.CACHE_REDIS ? new Redis(process.env.CACHE_REDIS) : new Redis()`: unset, the
/// client uses ioredis's own address. Nothing is committed, so the default is shown as the
/// library's, not hidden as "a value committed in the code"; and since the code keeps a flag of
/// the connection (set by the client's `ready` and `error` events) and skips the cache when it
/// is down, the localhost default costs the cache only: a warning, not a blocker.
#[test]
fn an_optional_cache_on_the_clients_own_localhost_is_a_warning() {
    let app = fixture("node-optional-redis-cache");
    let cache = variable(&app, "CACHE_REDIS");
    assert_eq!(cache.default.as_deref(), Some("localhost:6379 (the Redis client's own)"));
    assert!(cache.secret && !cache.required, "{cache:?}");
    let localhost = findings(&app, "localhost-default-host");
    assert_eq!(localhost.len(), 1, "{:?}", app.findings);
    assert_eq!(localhost[0].level, ferry::model::FindingLevel::Warning, "{:?}", localhost[0]);
    assert!(localhost[0].message.contains("carries on without it"), "{}", localhost[0].message);
    assert_eq!(localhost[0].source, "middleware/cache.js:3");
}

/// `node-cron` is a dependency, but the only lines that load and schedule it are commented out:
/// nothing runs on a schedule, so no scheduler is claimed from the dependency's name.
#[test]
fn a_scheduler_whose_wiring_is_commented_out_is_not_claimed() {
    let app = fixture("node-cron-wiring-commented");
    assert!(findings(&app, "scheduler").is_empty(), "{:?}", app.findings);
    assert!(findings(&app, "worker-process").is_empty(), "{:?}", app.findings);
}

/// `sqlite3`, `lowdb` and `node-schedule` are still in package.json, but the running code
/// imports none of them (it keeps its data in Postgres): no SQLite file, embedded store or
/// scheduler is claimed from the names alone.
#[test]
fn dependencies_no_live_code_uses_claim_nothing() {
    let app = fixture("node-leftover-dependencies");
    for kind in ["sqlite", "embedded-database", "scheduler"] {
        assert!(findings(&app, kind).is_empty(), "{kind}: {:?}", app.findings);
    }
}
