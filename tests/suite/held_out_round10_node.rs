//! The Node.js failure classes of held-out round 10, each reproduced in a fixture of its own
//! (tests/fixtures/apps): names read through an enum's members and a helper whose argument
//! sits on the next line, Next.js variables inlined at build, rooms of a `ws` server under its
//! namespace, and uploads written with plain `fs` in a utility module.

use crate::app_fixtures::{findings, profile as fixture, variable};

use ferry::model::{FindingLevel, VariableScope};

/// `process.env[envName]` over an object keyed by an enum's members (`[ProviderKey.MAPS_API_KEY]:
/// "maps_key"`) names each member's value; `readEnvSetting(\n "NAME"\n)` names its argument
/// on the next line as well as on its own.
#[test]
fn names_read_through_enum_members_and_a_broken_call() {
    let app = fixture("next-enum-keys");
    for name in ["MAPS_API_KEY", "WEATHER_API_KEY", "WEATHER_REGION"] {
        let read = variable(&app, name);
        assert_eq!(read.scope, VariableScope::Runtime, "{name}");
        assert!(read.source.starts_with("lib/providers.ts:"), "{name}: {}", read.source);
    }
    assert!(variable(&app, "WEATHER_API_KEY").secret);
    assert_eq!(variable(&app, "SIGNUP_ALLOWED_DOMAINS").source, "app/signup/actions.ts:8");
    assert_eq!(variable(&app, "SIGNUP_ALLOWED_ADDRESSES").source, "app/signup/actions.ts:11");
}

/// Next.js inlines `NEXT_PUBLIC_*` into the bundle when it builds, server code included: the
/// variables are listed, marked as needed at build, with their fallbacks.
#[test]
fn next_public_variables_are_listed_as_inlined_at_build() {
    let app = fixture("next-enum-keys");
    let origin = variable(&app, "NEXT_PUBLIC_API_ORIGIN");
    assert!(origin.build_time && origin.scope == VariableScope::Runtime, "{origin:?}");
    let limit = variable(&app, "NEXT_PUBLIC_UPLOAD_LIMIT");
    assert_eq!((limit.build_time, limit.default.as_deref()), (true, Some("1000000")));
    assert!(!variable(&app, "WEATHER_REGION").build_time);
}

/// `new WebSocket.Server(...)` with `this._lobbies = {}`: peers on different tasks never meet.
#[test]
fn rooms_of_a_ws_server_under_its_namespace() {
    let app = fixture("ws-namespace-rooms");
    let rooms = findings(&app, "in-memory-sessions");
    assert_eq!(rooms.len(), 1, "{rooms:?}");
    assert_eq!((rooms[0].level, rooms[0].source.as_str()), (FindingLevel::Blocker, "index.js:8"));
}

/// `fs.createWriteStream(path.join(folder, name))` with `folder` under `public/uploads`, in a
/// utility module no upload middleware names: a blocker at the write.
#[test]
fn uploads_written_with_plain_fs_in_a_utility() {
    let app = fixture("express-fs-uploads");
    let writes = findings(&app, "local-disk-writes");
    assert_eq!(writes.len(), 1, "{writes:?}");
    assert_eq!((writes[0].level, writes[0].source.as_str()), (FindingLevel::Blocker, "src/utils/avatars.js:8"));
}

/// `config/index.js` exporting `bindingHost: '127.0.0.1'`, a Sequelize `dialect: 'sqlite'`
/// and a store built on a local folder: loopback, SQLite and file-storage blockers at their
/// lines; the config's `http://127.0.0.1:6100` is the app calling itself, no database host,
/// and the port is the server's, never the database block's.
#[test]
fn settings_kept_in_a_config_object() {
    let app = fixture("koa-config-object");
    assert_eq!(app.port, 6100, "{}", app.port_source);
    let at = |kind: &str| findings(&app, kind).iter().map(|f| (f.level, f.source.clone())).collect::<Vec<_>>();
    assert_eq!(at("loopback-bind"), [(FindingLevel::Blocker, "config/index.js:8".to_string())]);
    assert_eq!(at("file-storage"), [(FindingLevel::Blocker, "config/index.js:17".to_string())]);
    assert!(!findings(&app, "sqlite").is_empty());
    assert!(findings(&app, "hard-coded-hosts").is_empty(), "{:?}", findings(&app, "hard-coded-hosts"));
}

/// `app.js` loads `./config`, which git ignores and only `config.default.js` stands for: the
/// image has no config, a blocker at the require. The template's literal 127.0.0.1 Mongo and
/// cache hosts and its `debug: true` are blockers too; a host the environment fills is not.
#[test]
fn a_config_module_left_to_the_operator() {
    let app = fixture("express-config-template");
    let missing = findings(&app, "required-env");
    assert_eq!(missing.len(), 1, "{missing:?}");
    assert_eq!((missing[0].level, missing[0].source.as_str()), (FindingLevel::Blocker, "app.js:1"));
    let hosts = findings(&app, "hard-coded-hosts");
    assert_eq!(hosts.len(), 1, "{hosts:?}");
    assert_eq!(hosts[0].source, "config.default.js:6");
    assert!(hosts[0].message.contains("mongo, cache_host") && !hosts[0].message.contains("search_host"));
    let debug = findings(&app, "debug-default");
    assert_eq!((debug.len(), debug[0].source.as_str()), (1, "config.default.js:3"));
}

/// Names no operator sets: a wait script's own state (`PROBE_SECONDS="$2"`, then
/// `${PROBE_SECONDS:-20}`), what npm sets for its script (`npm_lifecycle_event`), a variable
/// the entry sets to a constant before anything reads it, and a bundle analyzer's switch in
/// `next.config.js`.
#[test]
fn names_no_operator_sets() {
    let app = fixture("express-internal-names");
    for name in ["PROBE_SECONDS", "PROBE_QUIET", "PROBE_TARGET", "SELF_HOSTED"] {
        assert!(!app.variables.iter().any(|v| v.name == name), "{name} is no operator's");
    }
    assert_eq!(variable(&app, "npm_lifecycle_event").scope, VariableScope::Tooling);
    assert_eq!(variable(&app, "PORT").default.as_deref(), Some("5300"));
    let next = fixture("next-enum-keys");
    assert_eq!(variable(&next, "BUNDLE_REPORT").scope, VariableScope::Tooling);
}

/// `app.setGlobalPrefix(routePrefix)` with a prefix the code computes, and a factory's
/// `@Controller(resource)`: where the `@Get()` answers is not written, so it is never the
/// health path.
#[test]
fn routes_under_a_computed_nest_prefix_are_not_placed() {
    let app = fixture("nest-computed-prefix");
    assert!(!app.health_source.contains("controller.factory"), "{}", app.health_source);
    assert_eq!(findings(&app, "no-health-route").len(), 1);
}

/// A middleware that redirects `/` before the routes answer: `/` is no health path.
#[test]
fn a_root_a_middleware_redirects_is_no_health_path() {
    let app = fixture("express-root-redirect");
    assert!(!app.health_source.starts_with("server.js"), "{}", app.health_source);
}
