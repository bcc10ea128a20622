//! The Node.js failure classes of held-out round 11, each reproduced in a fixture of its own
//! (tests/fixtures/apps): a `start` script that is a development runner gives way to how the
//! maintainers run the app in production.

use crate::app_fixtures::{findings, profile as fixture};

/// `start: gulp` runs the default task (a watcher) and `postinstall: gulp build` needs the
/// development dependencies: the Procfile's web command is the container's.
#[test]
fn a_gulp_start_gives_way_to_the_procfile() {
    let app = fixture("node-gulp-procfile");
    assert_eq!(app.start_command, ["node", "server.js"], "{}", app.start_source);
    assert!(app.start_source.starts_with("Procfile"), "{}", app.start_source);
    let dev = findings(&app, "install-needs-dev-deps");
    assert!(dev.iter().any(|f| f.source == "package.json scripts.postinstall"), "{dev:?}");
}

/// `start: concurrently "backend watcher" "bundle watcher"` is development: the production
/// Dockerfile under another name gives the command, and the build script it runs goes to the
/// image build.
#[test]
fn a_concurrently_start_gives_way_to_the_production_dockerfile() {
    let app = fixture("node-concurrently-prod-image");
    assert_eq!(app.start_command, ["node", "dist/app.js"], "{}", app.start_source);
    assert!(app.start_source.starts_with("docker/Dockerfile.prod"), "{}", app.start_source);
    let build = app.build_command.clone().unwrap_or_default().join(" ");
    assert!(build.contains("compile-all"), "{build}");
}

/// The repository's image under a non-standard name (`Dockerfile-production`) gives the start
/// command and, with it, the runtime version; a route whose path joins a constant prefix
/// (`prefix + '/health'`) answers under it.
#[test]
fn a_production_dockerfile_name_states_the_version_and_a_prefix_constant_joins_routes() {
    let app = fixture("node-production-dockerfile-name");
    assert_eq!(app.start_command, ["node", "./dist/src/app.js"], "{}", app.start_source);
    let runtime = app.runtime.clone().expect("a runtime");
    assert_eq!(runtime.version, "12", "{}", runtime.source);
    assert!(app.health_check_path.starts_with("/api/v2/health"), "{}", app.health_check_path);
}

/// A helper that reads the variable its argument names (`readSecret(name)` →
/// `process.env[name]`) reads each name it is called with; the fallback after the call is
/// the committed default, a secret's.
#[test]
fn a_secret_helper_reads_the_names_it_is_called_with() {
    let app = fixture("node-secret-helper");
    let key = crate::app_fixtures::variable(&app, "SIGNING_KEY");
    assert!(key.secret, "{key:?}");
    let committed = findings(&app, "secret-default");
    assert!(committed.iter().any(|f| f.message.contains("SIGNING_KEY")), "{committed:?}");
}
