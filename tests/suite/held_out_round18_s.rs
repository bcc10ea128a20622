//! Node.js failure classes of held-out round 18, each in a fixture of its own: a REPL socket
//! beside the HTTP server and a port kept in a JSON settings file, a start handed to a task
//! runner, a settings library's typed readers, a Joi schema over a settings object, an
//! "either of" requirement, display placeholders, and release tooling's `GITHUB_*` reads.

use crate::app_fixtures::{findings, profile as fixture, variable};

use ferry::model::{FindingLevel, VariableScope};

/// `net.createServer(...).listen(5150)` serves a debugging REPL, not HTTP: the port is the one
/// the HTTP server takes from `config('port')`, kept in `settings/config.json` (8300, not the
/// nested storage port). `madrun start` runs what `.madrun.js` says, so no devDependency is
/// needed to start.
#[test]
fn a_repl_socket_and_a_json_settings_port_and_a_task_runner() {
    let app = fixture("node-repl-json-port");
    assert_eq!((app.port, app.port_source.as_str()), (8300, "settings/config.json:6"));
    assert_eq!(app.start_command, ["node", "src/main.js"]);
    assert!(findings(&app, "install-needs-dev-deps").is_empty(), "{:?}", findings(&app, "install-needs-dev-deps"));
}

/// `env.int('PORT', 1337)`, `env.bool`, `env.array('APP_KEYS', [...])`: reads with defaults;
/// the key list's committed default is a secret's.
#[test]
fn a_settings_librarys_typed_readers() {
    let app = fixture("node-strapi-typed-env");
    assert_eq!((app.port, app.port_source.as_str()), (1337, "config/server.js:3"));
    assert!(findings(&app, "port-unknown").is_empty());
    assert_eq!(variable(&app, "DATABASE_PORT").default.as_deref(), Some("5432"));
    assert_eq!(variable(&app, "DATABASE_SSL").default.as_deref(), Some("false"));
    assert_eq!(variable(&app, "DATABASE_POOL_MAX").default.as_deref(), Some("10"));
    let keys = variable(&app, "APP_KEYS");
    assert!(keys.secret && keys.default.is_some(), "{keys:?}");
    assert!(findings(&app, "secret-default").iter().any(|f| f.message.contains("APP_KEYS")));
}

/// A Joi schema validating a settings object of the same shape: `.required()` at a read's key
/// path makes it required (through a constant too), `.default(3001)` is its default, and a
/// requirement under `.when(...)` is none.
#[test]
fn a_joi_schema_over_a_settings_object() {
    let app = fixture("node-hapi-joi-config");
    assert_eq!(app.port, 3001, "{}", app.port_source);
    assert_eq!(variable(&app, "PORT").default.as_deref(), Some("3001"));
    assert!(variable(&app, "REGISTRY_API_URL").required);
    assert!(variable(&app, "MAPS_API_KEY").required);
    assert_eq!(variable(&app, "MAPS_API_URL").default.as_deref(), Some("https://maps.example.org/v2"));
    assert!(!variable(&app, "ARCHIVE_URL").required);
    let required: Vec<&str> = findings(&app, "required-env").iter().map(|f| f.source.as_str()).collect();
    assert_eq!(required, ["app/config/index.js:17", "app/config/index.js:26"]);
}

/// `if (!isSet(A) && !isSet(B)) throw`: one finding naming both, neither required alone; a
/// checked ternary's literal is the default and a `?? '-'` display placeholder is none;
/// `release.config.js` reads are tooling.
#[test]
fn either_of_requirements_placeholders_and_release_tooling() {
    let app = fixture("node-either-of-env");
    let required = findings(&app, "required-env");
    assert_eq!(required.len(), 1, "{required:?}");
    assert!(required[0].message.contains("RELAY_API_KEY or RELAY_SESSION_TOKEN"), "{}", required[0].message);
    assert_eq!(required[0].level, FindingLevel::Blocker);
    assert!(!variable(&app, "RELAY_SESSION_TOKEN").required);
    assert_eq!(variable(&app, "RELAY_PROXY").default.as_deref(), Some("https://relay.example.net/v1"));
    assert_eq!(variable(&app, "RELAY_MODEL").default.as_deref(), Some("small-v2"));
    assert_eq!(variable(&app, "RELAY_TIMEOUT_MS").default.as_deref(), Some("60000"));
    for name in ["GITHUB_REF", "GITHUB_SERVER_URL", "GITHUB_REPOSITORY"] {
        assert_eq!(variable(&app, name).scope, VariableScope::Tooling, "{name}");
    }
}
