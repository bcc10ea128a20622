//! The Node.js failure classes of held-out round 9, each reproduced in a fixture of its own
//! (tests/fixtures/apps): settings node-config reads from its files, health routes that do not
//! answer a check, dev dependencies the lockfile installs anyway, engines ranges that state no
//! version, env schemas, and local storage chosen by a default.

use crate::app_fixtures::{findings, profile as fixture, variable};

use ferry::model::FindingLevel;

/// Class C4: node-config's `config/default.json` (under `config/production.json`) is what the
/// app runs with wherever no variable is mapped: its port is the app's, and a localhost store
/// or a committed secret there is what a task gets. NODE_CONFIG overrides any of it.
#[test]
fn a_koa_app_with_node_config_files() {
    let app = fixture("koa-node-config-defaults");
    assert_eq!((app.port, app.port_source.as_str()), (7310, "config/default.json:2"));
    assert!(findings(&app, "port-unknown").is_empty(), "{:?}", app.findings);
    let localhost: Vec<(&str, FindingLevel)> =
        findings(&app, "localhost-default-host").iter().map(|f| (f.source.as_str(), f.level)).collect();
    assert!(localhost.contains(&("config/default.json:9", FindingLevel::Blocker)), "{localhost:?}");
    let mongo = variable(&app, "BOARDS_MONGO_URL");
    assert_eq!((mongo.source.as_str(), mongo.required), ("config/custom-environment-variables.json:3", false));
    assert!(localhost.iter().any(|(at, _)| *at == "config/custom-environment-variables.json:3"), "{localhost:?}");
    let secret = findings(&app, "secret-default");
    assert_eq!(secret.len(), 1, "{secret:?}");
    assert_eq!(secret[0].source, "config/default.json:13");
    assert!(secret[0].message.contains("session.tokenSecret"), "{}", secret[0].message);
    assert!(secret[0].fix.as_deref().is_some_and(|f| f.contains("NODE_CONFIG")));
    let node_config = variable(&app, "NODE_CONFIG");
    assert_eq!((node_config.source.as_str(), node_config.required), ("app.js:1", false));
}

/// Class C8b: Fastify route-options objects, given to `route()` inside plugins registered with
/// a `prefix`, answer under it; a favicon answered with 204 is no health check.
#[test]
fn fastify_route_objects_under_a_prefix() {
    let app = fixture("fastify-route-objects-prefix");
    assert_eq!(
        (app.health_check_path.as_str(), app.health_source.as_str()),
        ("/v3/objects/status", "src/plugins/objects/routes.js:12")
    );
}

/// Class C8c: a Next.js API page that serves only PUT, and a route handler exporting only
/// POST, leave a load balancer's GET unanswered: neither is the health check.
#[test]
fn next_api_routes_that_serve_no_get() {
    let app = fixture("next-api-put-only");
    assert!(!app.health_check_path.starts_with("/api/"), "{} from {}", app.health_check_path, app.health_source);
}

/// Class C18d: a package only devDependencies lists, which the lockfile installs for a
/// production dependency anyway (no `"dev": true`), is in the image: only the truly
/// development-only package the server loads blocks.
#[test]
fn a_dev_dependency_the_lockfile_installs_for_production() {
    let app = fixture("express-lockfile-transitive-dev");
    let dev = findings(&app, "install-needs-dev-deps");
    assert_eq!(dev.len(), 1, "{dev:?}");
    assert_eq!(dev[0].level, FindingLevel::Blocker);
    assert!(dev[0].message.contains("pino-pretty") && !dev[0].message.contains("base64-js"), "{}", dev[0].message);
}

/// Class C18a: `engines.node: ">=15"` is a floor, not a version: with nothing else stating
/// one, the app gets ferry's default release, said as ferry's default.
#[test]
fn an_engines_floor_states_no_version() {
    let app = fixture("express-engines-floor");
    let runtime = app.runtime.as_ref().expect("a runtime");
    assert_eq!(runtime.version, "24");
    assert!(runtime.source.starts_with("default: the current long-term release"), "{}", runtime.source);
    assert!(runtime.source.contains(">=15"), "{}", runtime.source);
}

/// Class C1: a TypeBox schema @fastify/env checks at start names the variables: `default` is
/// the default, `Type.Optional` or a default makes one not required, secrets by their names.
/// Class C5a: the storage provider it defaults to `local` keeps files on the task's disk.
#[test]
fn a_typebox_env_schema() {
    let app = fixture("fastify-typebox-env-schema");
    let port = variable(&app, "PORT");
    assert_eq!(
        (port.default.as_deref(), port.required, port.source.as_str()),
        (Some("3000"), false, "src/schema.js:10")
    );
    let signing = variable(&app, "SIGNING_SECRET");
    assert!(signing.required && signing.secret, "{signing:?}");
    let token = variable(&app, "CACHE_TOKEN");
    assert!(!token.required && token.secret, "{token:?}");
    let provider = variable(&app, "STORAGE_PROVIDER");
    assert_eq!((provider.default.as_deref(), provider.required), (Some("local"), false));
    assert_eq!(variable(&app, "LOG_LEVEL").default.as_deref(), Some("info"));
    let disk = findings(&app, "local-disk-writes");
    assert!(
        disk.iter().any(|f| f.level == FindingLevel::Blocker && f.message.contains("STORAGE_PROVIDER")),
        "{disk:?}"
    );
}

/// Class C5b: storage that takes S3 only when a bucket is set and falls back to a folder on
/// the task's disk: a blocker at the fallback, naming the variable to set.
#[test]
fn a_bucket_or_the_local_disk() {
    let app = fixture("express-bucket-or-disk");
    let disk = findings(&app, "local-disk-writes");
    let fallback = disk.iter().find(|f| f.source == "server/storage/index.js:8").unwrap_or_else(|| panic!("{disk:?}"));
    assert_eq!(fallback.level, FindingLevel::Blocker);
    assert!(fallback.message.contains("S3_BUCKET"), "{}", fallback.message);
}
