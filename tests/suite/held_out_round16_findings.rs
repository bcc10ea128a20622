//! Held-out round 16's classes of health paths and in-process state, each reproduced in a
//! fixture of its own (tests/fixtures/apps): guards given to a whole Nest controller, a Go API
//! whose only open GET is its Swagger UI, sessions kept in memory with logins riding on them,
//! a database host assembled from a config object's fields, a seed run once connected, and a
//! CORS origin fixed to localhost.

use crate::app_fixtures::{findings, profile as fixture};

use ferry::model::FindingLevel;

/// `@UseGuards(AuthGuard('jwt'))` on the controller class guards `/notes/count` though its own
/// decorators name no guard; with logins taken by POST and no root route, no GET answers
/// without a token. The warning says so where the routes are, once.
#[test]
fn a_guard_on_a_nest_controller_class_guards_every_route() {
    let app = fixture("nest-class-guards");
    assert_ne!(app.health_check_path, "/notes/count", "{}", app.health_source);
    let warnings = findings(&app, "no-health-route");
    assert_eq!(warnings.len(), 1, "{:?}", app.findings);
    assert_eq!(warnings[0].source, "src/notes/notes.controller.ts:8");
    assert!(warnings[0].message.contains("no GET /"), "{}", warnings[0].message);
}

/// `app.use('/api/entries', requireAuth, entries)`: the router's routes declare no guard, but
/// Express runs the middleware of the mount before each of them, so `/api/entries/recent`
/// answers 401 and is no health check.
#[test]
fn a_router_mounted_behind_a_login_middleware_is_guarded() {
    let app = fixture("express-router-behind-auth");
    assert_ne!(app.health_check_path, "/api/entries/recent", "{}", app.health_source);
    let warnings = findings(&app, "no-health-route");
    assert_eq!(warnings.len(), 1, "{:?}", app.findings);
    assert_eq!(warnings[0].source, "routes/entries.js:6");
}

/// A gin API with no root route and its GETs behind a group's auth middleware: the Swagger UI
/// under `/docs/*any` serves `/docs/index.html` without a login, checked over a `/` that
/// answers 404.
#[test]
fn a_go_api_without_a_root_checks_its_swagger_page() {
    let app = fixture("go-gin-swagger-guarded-group");
    assert_eq!(
        (app.health_check_path.as_str(), app.health_source.as_str()),
        ("/docs/index.html", "routes/routes.go:23")
    );
    let warnings = findings(&app, "no-health-route");
    assert_eq!(warnings.len(), 1, "{:?}", app.findings);
    assert_eq!(warnings[0].level, FindingLevel::Warning);
}

/// fastify-server-session on fastify-caching's default cache, with a token kept in the
/// session, and express-session's MemoryStore under `passport.session()`: a user whose next
/// request reaches another task is logged out, a blocker where the session is registered.
#[test]
fn login_sessions_in_the_process_block() {
    let fastify = fixture("fastify-server-session-cache");
    let sessions = findings(&fastify, "in-memory-sessions");
    assert_eq!(sessions.len(), 1, "{:?}", fastify.findings);
    assert_eq!((sessions[0].level, sessions[0].source.as_str()), (FindingLevel::Blocker, "lib/sessions.mjs:10"));
    assert!(sessions[0].message.contains("fastify-caching"), "{}", sessions[0].message);

    let express = fixture("express-passport-memory-session");
    let sessions = findings(&express, "in-memory-sessions");
    assert_eq!(sessions.len(), 1, "{:?}", express.findings);
    assert_eq!((sessions[0].level, sessions[0].source.as_str()), (FindingLevel::Blocker, "server.js:8"));
}

/// `module.exports = { HOST: "127.0.0.1", ... }` in a config module, and the MongoDB URL built
/// from it in a template string: the host is fixed in the image, a blocker at the entry that
/// names the place the URL is built.
#[test]
fn a_host_assembled_from_a_config_object_is_hard_coded() {
    let app = fixture("express-config-object-host");
    let hosts = findings(&app, "hard-coded-hosts");
    assert_eq!(hosts.len(), 1, "{:?}", app.findings);
    assert_eq!((hosts[0].level, hosts[0].source.as_str()), (FindingLevel::Blocker, "config/store.config.js:2"));
    assert!(hosts[0].message.contains("index.js:9"), "{}", hosts[0].message);
}

/// `seedStatuses()` in the connect call's `.then(...)` counts a collection and inserts its rows
/// when empty: every task that starts seeds, a warning at the call.
#[test]
fn a_seed_run_once_the_database_connects() {
    let app = fixture("express-config-object-host");
    let seeds = findings(&app, "migrations-at-start");
    assert_eq!(seeds.len(), 1, "{:?}", app.findings);
    assert_eq!((seeds[0].level, seeds[0].source.as_str()), (FindingLevel::Warning, "index.js:12"));
    assert!(seeds[0].message.contains("`seedStatuses()`"), "{}", seeds[0].message);
}

/// `cors({ origin: "http://localhost:4200" })`: the developer's front end is the only origin
/// allowed, so the site's own address is refused; a warning at the option.
#[test]
fn a_cors_origin_fixed_to_localhost() {
    let app = fixture("express-config-object-host");
    let origins = findings(&app, "cors-origin");
    assert_eq!(origins.len(), 1, "{:?}", app.findings);
    assert_eq!((origins[0].level, origins[0].source.as_str()), (FindingLevel::Warning, "index.js:16"));
}
