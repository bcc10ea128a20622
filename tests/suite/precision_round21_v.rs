//! Round 21's precision audit of four Node servers (helper v: Express in JavaScript and
//! TypeScript, Sails, Feathers): a Dockerfile command led by an assignment runs through a
//! shell, a command that runs a file only the image build makes is not ferry's start, a build
//! the start script repeats under `cross-env` is built once, a one-off migration's connection
//! string and a search engine's compose volume are not the app's, a cache server's password is
//! a login, Sails' sockets hook with nothing sent and blueprints off passes no messages, and
//! an ngrok tunnel script is a developer's tool.

use crate::app_fixtures::{findings, profile as fixture};

/// `CMD NODE_ENV=production node server.js`: split into exec words, the assignment would be
/// the program and the container would not start.
#[test]
fn a_dockerfile_command_led_by_an_assignment_runs_in_a_shell() {
    let app = fixture("express-dockerfile-env-prefixed-cmd");
    assert_eq!(app.start_command, ["sh", "-c", "NODE_ENV=production node server.js --stack-size=4000"]);
    assert_eq!(app.start_source, "Dockerfile:6 (the repository's own image)");
}

/// `CMD /wait && pm2-runtime ./cluster.json`: `/wait` is fetched by `ADD <url>` and
/// `cluster.json` written by a heredoc, neither in the repository, so ferry's image could not
/// run it; the package's start is used.
#[test]
fn a_command_running_a_file_the_image_makes_is_not_the_start() {
    let app = fixture("express-image-fetched-wait-cmd");
    assert_eq!(app.start_command, ["node", "dist/main.js"]);
    assert_eq!(app.start_source, "package.json scripts.start");
    assert!(findings(&app, "start-from-dockerfile").is_empty(), "{:?}", app.findings);
}

/// `cross-env NODE_ENV=production npm run build && node ./dist/app.js`: the build before the
/// server is the `build` script the image already runs, not a second step.
#[test]
fn a_build_the_start_repeats_under_cross_env_runs_once() {
    let app = fixture("express-cross-env-build-at-start");
    assert_eq!(app.start_command, ["node", "dist/app.js"]);
    assert_eq!(app.build_command.as_deref(), Some(&["npm".to_string(), "run".into(), "build".into()][..]));
}

/// `scripts/migrations/rename_owner.js` connects to its author's local database, and the
/// `elk/` compose file's search service keeps the search engine's data: neither is the app's
/// connection or state. `CACHE_PASSWORD` logs in to the cache server: nothing is forged with it.
#[test]
fn a_migration_script_and_a_search_engines_volume_are_not_the_apps() {
    let app = fixture("express-elk-and-migration-script");
    assert!(findings(&app, "hard-coded-hosts").is_empty(), "{:?}", app.findings);
    assert!(findings(&app, "local-disk-writes").is_empty(), "{:?}", app.findings);
    let cache = findings(&app, "secret-default");
    assert_eq!(cache.len(), 1, "{:?}", app.findings);
    assert_eq!(cache[0].source, "index.js:8");
    assert_eq!(cache[0].level, ferry::model::FindingLevel::Warning);
    assert!(!cache[0].message.contains("forge"), "{}", cache[0].message);
}

/// The sockets hook is installed, but no code broadcasts, publishes or joins a room, and the
/// blueprints that would publish record changes are off: no message crosses tasks.
#[test]
fn sails_sockets_with_nothing_sent_pass_no_messages() {
    let app = fixture("sails-sockets-hook-no-broadcast");
    assert!(findings(&app, "in-memory-pubsub").is_empty(), "{:?}", app.findings);
    assert_eq!(findings(&fixture("sails-env-sample"), "in-memory-pubsub").len(), 1, "blueprints on still publish");
}

/// `config/ngrok.js` and `ngrok.js` open a developer's tunnel on port 4343: that is the
/// laptop's port, not where the lifted app listens in a task (Sails' own 1337).
#[test]
fn a_tunnel_scripts_port_is_not_the_apps() {
    let app = fixture("sails-ngrok-tunnel-port");
    assert_eq!(app.port, 1337, "{}", app.port_source);
    assert!(findings(&app, "port-disagreement").is_empty(), "{:?}", app.findings);
    assert_eq!(crate::app_fixtures::variable(&app, "PORT").scope, ferry::model::VariableScope::Tooling);
}
