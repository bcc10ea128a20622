//! Node.js TypeScript failure classes of held-out round 19, each in a fixture of its own: a
//! Nest global prefix that is commented out, a config service's own typed getters, and
//! Fastify's positional `listen(port, cb)`, and pg's `Pool` given a Redis client's default.

use crate::app_fixtures::{findings, profile as fixture, variable};

use ferry::model::FindingLevel;

/// `// app.setGlobalPrefix('/v2')` is switched off: the health route answers at `/status`.
#[test]
fn a_commented_global_prefix_gives_no_prefix() {
    let app = fixture("node-nest-settings-getters");
    assert_eq!(app.health_check_path, "/status", "{}", app.health_source);
}

/// `this.readText('LEDGER_DB_HOST')` reads through `config.get<string>(name)` and throws when it
/// is unset: a required read. `this.readInt` hands the name to a throwing `lookup`; a fallback
/// the getter returns is a default; a getter that never throws makes no requirement.
#[test]
fn a_config_services_own_typed_getters_are_reads() {
    let app = fixture("node-nest-settings-getters");
    for name in ["LEDGER_DB_HOST", "LEDGER_DB_USER", "LEDGER_PORT"] {
        let read = variable(&app, name);
        assert!(read.required && read.default.is_none(), "{read:?}");
    }
    let region = variable(&app, "LEDGER_REGION");
    assert!(!region.required && region.default.as_deref() == Some("north"), "{region:?}");
    assert!(!variable(&app, "LEDGER_VERBOSE").required);
    assert_eq!(variable(&app, "LEDGER_DB_HOST").source, "src/settings/settings.service.ts:14");
    let required: Vec<&str> = findings(&app, "required-env").iter().map(|f| f.source.as_str()).collect();
    assert!(required.contains(&"src/settings/settings.service.ts:15"), "{required:?}");
}

/// `app.listen(7070, cb)` on Fastify 3 names no host: Fastify binds localhost, a blocker. The
/// port is the call's, not the commented-out `listen(9000, '0.0.0.0')` above it.
#[test]
fn fastifys_positional_listen_binds_localhost() {
    let app = fixture("node-fastify-positional-listen");
    assert_eq!((app.port, app.port_source.as_str()), (7070, "server.js:7"));
    let loopback = findings(&app, "loopback-bind");
    assert_eq!(loopback.len(), 1, "{loopback:?}");
    assert_eq!((loopback[0].level, loopback[0].source.as_str()), (FindingLevel::Blocker, "server.js:7"));
}

/// `new Pool({ connectionString: process.env.ORDERS_DB_URL })` is pg's: unset, it does not fall
/// back to Redis's localhost:6379, so the variable has no default and no localhost blocker.
#[test]
fn a_pg_pool_url_has_no_redis_default() {
    let app = fixture("node-pg-pool-url");
    let url = variable(&app, "ORDERS_DB_URL");
    assert!(url.default.is_none() && url.secret, "{url:?}");
    assert!(findings(&app, "localhost-default-host").is_empty(), "{:?}", findings(&app, "localhost-default-host"));
}
