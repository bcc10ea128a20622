//! The Node.js failure classes of held-out round 17, each reproduced in a fixture of its own
//! (tests/fixtures/apps): development-only requires behind an environment test, a connection
//! string written in the code, a health path where nothing serves `/`, and more.

use crate::app_fixtures::{findings, profile as fixture};

/// `webpack` and `@babel/register` are required only where NODE_ENV is development (the `else`
/// of a production test, a block behind `isDevelopment`): ferry's image starts with
/// NODE_ENV=production, so they are not needed there.
#[test]
fn development_only_requires_do_not_block_a_production_start() {
    let app = fixture("node-dev-branch-requires");
    assert_eq!(app.start_command, ["node", "index.js"]);
    assert!(findings(&app, "install-needs-dev-deps").is_empty(), "{:?}", findings(&app, "install-needs-dev-deps"));
}

/// The production path of index.js requires `./dist/server.bundle.js`, which `build:server`
/// writes, not `build`: the image's build runs both (and not the watcher of the same family).
#[test]
fn the_build_script_that_writes_the_server_bundle_runs_too() {
    let app = fixture("node-server-bundle-script");
    assert_eq!(app.start_command, ["node", "index.js"]);
    let build = app.build_command.as_ref().expect("a build").join(" ");
    assert_eq!(build, "npm run build && npm run build:server");
}

/// A MongoDB connection string with a user and password, held in a constant handed to
/// `mongoose.connect`: no variable changes it (`hard-coded-hosts`) and the password is
/// committed (`secret-default`). The password is never repeated in a finding.
#[test]
fn a_connection_string_written_in_the_code() {
    let app = fixture("node-db-url-literal");
    let hosts = findings(&app, "hard-coded-hosts");
    assert_eq!(hosts.iter().map(|f| f.source.as_str()).collect::<Vec<_>>(), ["server.js:8"]);
    let secret = findings(&app, "secret-default");
    assert_eq!(secret.iter().map(|f| f.source.as_str()).collect::<Vec<_>>(), ["server.js:8"]);
    assert!(app.findings.iter().all(|f| !f.message.contains("opensesame42")), "the password is not repeated");
}

/// Nothing serves `/`; the only router, imported with its `.js` extension (an ES module), is
/// mounted at `/recipes` and lists without a login: the check goes there, not to a `/` that
/// answers 404.
#[test]
fn the_health_check_goes_to_an_open_mounted_list_when_nothing_serves_the_root() {
    let app = fixture("node-health-mounted-list");
    assert_eq!((app.health_check_path.as_str(), app.health_source.as_str()), ("/recipes", "routes/recipes.js:6"));
    assert_eq!(findings(&app, "no-health-route").len(), 1);
}

/// The Redis client is made only when both its variables are set (`!!X && !!Y ? new Redis(X)
/// : undefined`): unset, there is no client, so no localhost default and no blocker.
#[test]
fn a_client_made_only_when_its_variables_are_set_has_no_localhost_default() {
    let app = fixture("node-guarded-cache-client");
    let url = crate::app_fixtures::variable(&app, "LIMITER_REDIS_URL");
    assert_eq!((url.default.as_deref(), url.required), (None, false));
    assert!(url.secret, "still a connection string");
    assert!(findings(&app, "localhost-default-host").is_empty(), "{:?}", findings(&app, "localhost-default-host"));
}

/// Only `npm run init-db` makes the tables (its file calls `sequelize.sync({ force: true })`;
/// the server never syncs): a separate step, named, and said to drop the tables.
#[test]
fn a_setup_script_that_syncs_the_models_is_a_separate_destructive_step() {
    let app = fixture("node-sequelize-setup-script");
    let step = findings(&app, "migrations-separate-step");
    assert_eq!(step.iter().map(|f| f.source.as_str()).collect::<Vec<_>>(), ["db/init.js:5"]);
    assert!(step[0].message.contains("npm run init-db") && step[0].message.contains("drops every table"));
}

/// Egg.js: EGG_SERVER_ENV is read by Egg itself; `config.keys` (a literal joined to the app's
/// name) and `config.session_secret` are committed signing keys; a storage account's
/// `'your secret key'` is a placeholder that signs nothing; `config.debug = true` is committed.
#[test]
fn egg_committed_keys_debug_and_its_own_variable() {
    let app = fixture("node-egg-committed-keys");
    assert!(app.variables.iter().any(|v| v.name == "EGG_SERVER_ENV"));
    let secret = findings(&app, "secret-default");
    assert_eq!(secret.iter().map(|f| f.source.as_str()).collect::<Vec<_>>(), ["config/config.default.js:9"]);
    assert!(secret[0].message.contains("`keys`, `session_secret`"), "{}", secret[0].message);
    assert!(!secret[0].message.contains("secretKey"), "a placeholder signs nothing");
    let debug = findings(&app, "debug-default");
    assert_eq!(debug.iter().map(|f| f.source.as_str()).collect::<Vec<_>>(), ["config/config.default.js:6"]);
}
