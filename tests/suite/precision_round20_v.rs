//! Round 20's precision audit of four Express servers (helper v): a browser test runner's
//! configuration is tooling, a `DEBUG_*` knob is not the app's debug mode, a route kept only to
//! answer 404 is no page to health-check, an `express()` sub-application a module makes answers
//! under its caller's mount, and a package required under an `if` stops nothing from starting.

use ferry::model::VariableScope;

use crate::app_fixtures::{findings, profile as fixture, variable};

/// `nightwatch.js` is read by the end-to-end runner: the grid's build number and credentials
/// it reads are the test run's, never the server's.
#[test]
fn a_browser_test_runners_configuration_is_tooling() {
    let app = fixture("express-nightwatch-e2e-config");
    for name in ["GRID_BUILD_NUMBER", "GRID_USERNAME", "GRID_ACCESS_KEY"] {
        assert_eq!(variable(&app, name).scope, VariableScope::Tooling, "{name}");
    }
    assert_eq!(variable(&app, "PORT").scope, VariableScope::Runtime);
}

/// `DEBUG_MINIFY=true` minifies the bundle, it shows nobody a stack trace; the app's own
/// `TILES_DEBUG_MODE=true` still is debug mode.
#[test]
fn a_debug_knob_is_not_the_apps_debug_mode() {
    let app = fixture("express-debug-knob-default");
    let debug = findings(&app, "debug-default");
    assert_eq!(debug.iter().map(|f| f.source.as_str()).collect::<Vec<_>>(), ["settings.js:7"], "{:?}", app.findings);
    assert!(debug[0].message.contains("TILES_DEBUG_MODE"), "{}", debug[0].message);
}

/// `/help` only calls `next({ status: 404 })` and `/faq` only sends 404: neither is a page to
/// check, nor a page behind a login, so nothing names them.
#[test]
fn a_route_that_answers_404_is_no_health_page() {
    let app = fixture("express-retired-help-404");
    assert!(!["/help", "/faq"].contains(&app.health_check_path.as_str()), "{}", app.health_check_path);
    for finding in &app.findings {
        assert!(!finding.message.contains("/help") && !finding.message.contains("/faq"), "{finding:?}");
        assert!(!["app.js:6", "app.js:9"].contains(&finding.source.as_str()), "{finding:?}");
    }
}

/// `lib/v2/index.js` makes its own `express()` (in a comma-led declaration list) and returns
/// it; the server mounts it at `/api/v2`, so its `/status` answers at `/api/v2/status`.
#[test]
fn a_mounted_sub_application_answers_under_the_mount() {
    let app = fixture("express-mounted-subapp-status");
    assert_eq!(app.health_check_path, "/api/v2/status", "{}", app.health_source);
    assert_eq!(app.health_source, "lib/v2/index.js:11");
}

/// `got` is required only when REMOTE_SETTINGS_URL is set: the server starts without it. The
/// top-level `morgan` is still a blocker.
#[test]
fn a_development_package_required_under_an_if_stops_nothing() {
    let app = fixture("express-optional-devdep-under-if");
    let blocked = findings(&app, "install-needs-dev-deps");
    assert_eq!(blocked.len(), 1, "{:?}", app.findings);
    assert!(blocked[0].message.contains("loads morgan,"), "{}", blocked[0].message);
    assert!(!blocked[0].message.contains("got"), "{}", blocked[0].message);
}
