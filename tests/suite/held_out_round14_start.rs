//! The Node.js start, entry and "which code is the server's" classes of held-out round 14,
//! each in a fixture of its own (tests/fixtures/apps): a `start` that runs the package's own
//! developer CLI while the repository's image runs the server, a bootstrap file that registers
//! a compiler before loading `main`, tsc's output layout when files beside `src/` compile too,
//! a seed script only a package script runs, a client SDK shipped beside the server, and
//! variables read through `env-var` getters or destructured from the environment a helper
//! hands to a callback.

use crate::app_fixtures::{findings, profile as fixture, variable};

use ferry::model::{FindingLevel, VariableScope};

/// `npm start` runs what the package's `bin` loads (a developer CLI on localhost); the
/// repository's Dockerfile runs the server's entry, which wins. The server's settings are the
/// keys its callback destructures from what `withEnvironment` hands it (`process.env`).
#[test]
fn a_start_that_runs_the_packages_cli_gives_way_to_the_image() {
    let app = fixture("node-library-cli-image");
    assert_eq!(app.start_command, ["node", "out/src/server/main.js"]);
    assert!(app.start_source.starts_with("Dockerfile:8"), "{}", app.start_source);
    assert_eq!((app.port, app.port_source.as_str()), (7311, "src/server/main.ts:6"));
    let port = variable(&app, "PORT");
    assert_eq!((port.default.as_deref(), port.scope), (Some("7311"), VariableScope::Runtime));
    assert_eq!(variable(&app, "QUEUE_STORE_URL").source, "src/server/main.ts:7");
    assert!(variable(&app, "ADMIN_PASSPHRASE").secret);
}

/// The package publishes an SDK (`src/sdk`, exported by its library entry) that users' apps
/// import: the server loads the file for one helper, but the SDK's own reads run in the users'
/// processes. The server's reads stay runtime.
#[test]
fn a_client_sdk_shipped_beside_the_server_is_not_the_servers() {
    let app = fixture("node-library-cli-image");
    for name in ["LANE_HOSTED_URL", "LANE_URL", "LANE_TOKEN"] {
        assert_eq!(variable(&app, name).scope, VariableScope::Tooling, "{name}");
    }
    assert_eq!(variable(&app, "LANE_LOG_LEVEL").scope, VariableScope::Runtime);
    assert_eq!(app.health_check_path, "/healthz");
}

/// `main` is the starter, but only `launch.js` registers babel, without which the decorators
/// and `import`s below cannot load: the container starts from `launch.js`, and the hook is a
/// devDependency a production install leaves out.
#[test]
fn a_bootstrap_that_registers_a_compiler_is_the_start() {
    let app = fixture("node-compiler-hook-bootstrap");
    assert_eq!(app.start_command, ["node", "launch.js"]);
    assert_eq!(app.start_source, "launch.js:2");
    assert_eq!(app.port, 4620);
    let dev = findings(&app, "install-needs-dev-deps");
    assert!(dev.iter().any(|f| f.level == FindingLevel::Blocker && f.message.contains("@babel/register")), "{dev:?}");
}

/// With no `rootDir` and no `include`, `db/` compiles beside `src/`, so nest writes
/// `dist/src/main.js`, not the `dist/main` of `start:prod`. The seed script `db:seed` runs by
/// hand is not migrations at start. env-var's `.required()` makes a variable required, and
/// `.default()` gives its default.
#[test]
fn tsc_output_layout_env_var_getters_and_a_seed_script() {
    let app = fixture("nest-output-beside-scripts");
    assert_eq!(app.start_command, ["node", "dist/src/main"]);
    assert_eq!(app.start_source, "tsconfig.build.json");
    assert!(findings(&app, "migrations-at-start").is_empty(), "{:?}", findings(&app, "migrations-at-start"));
    let host = variable(&app, "LEDGER_DB_HOST");
    assert!(host.required && host.scope == VariableScope::Runtime, "{host:?}");
    assert_eq!(host.source, "src/settings/store.ts:4");
    assert!(variable(&app, "LEDGER_DB_USER").required, "a chain over several lines");
    let port = variable(&app, "LEDGER_DB_PORT");
    assert_eq!((port.required, port.default.as_deref()), (false, Some("5432")));
}
