//! Round 13's health and runtime-version classes, each in a fixture of its own
//! (tests/fixtures/apps): a route guarded by a hook its Fastify plugin adds for every route, a
//! handler that needs the session's user, and a CI version the package's strict `engines`
//! rules out.

use crate::app_fixtures::{findings, profile as fixture};

/// `app.addHook('onRequest', app.requireSession)` in a plugin guards every route of that
/// plugin, and a hook in a nested `register` every route inside it: no API route is open, so
/// ferry says it found no health route rather than calling one "no login guards".
#[test]
fn routes_behind_a_plugin_hook_are_guarded() {
    let app = fixture("fastify-hooked-plugins");
    assert!(!app.health_check_path.starts_with("/api/"), "{} ({})", app.health_check_path, app.health_source);
    let said = findings(&app, "no-health-route");
    assert!(!said.is_empty(), "{:?}", app.findings);
    assert!(said.iter().all(|f| !f.message.contains("no login guards")), "{said:?}");
}

/// A handler that reads `req.user` into a name and calls a method on it fails for a visitor
/// without a session: it is no open route. The CI's Node 12 is below the `engines` floor that
/// `.npmrc`'s `engine-strict=true` enforces at install, so the image runs the floor, 16.
#[test]
fn a_session_user_handler_and_strict_engines() {
    let app = fixture("express-strict-engines-session-user");
    assert_ne!(app.health_check_path, "/api/v1/requests/", "{}", app.health_source);
    let runtime = app.runtime.as_ref().expect("a runtime");
    assert_eq!(runtime.version, "16", "{}", runtime.source);
    assert!(runtime.source.contains(".travis.yml"), "{}", runtime.source);
}
