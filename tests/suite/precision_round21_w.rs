//! Precision classes found by reading ferry's output against TypeScript servers: a Dockerfile
//! with one target per process (the API's, then a migration's), a health check that glues its
//! path onto the URL by concatenation, the tsc-alias blocker citing a front end the root tsc
//! never compiles, AdonisJS route groups whose prefix and login are chained after the group,
//! and the `build/` folder `node ace build` writes the app to.

use crate::app_fixtures::{findings, profile as fixture};

/// The last stage runs the migration: the API's own target (`FROM runtime AS api`) says how
/// the server runs, cited at its `CMD` line, not at the base stage's `tini` entrypoint. Its
/// `dist/main.js` is the build's `dist/apps/api/main.js`, copied under another path: ferry's
/// image keeps the build folder whole, so it starts the file where the build wrote it.
#[test]
fn a_multi_target_dockerfile_starts_the_server_stage_not_the_migration() {
    let app = fixture("nx-multi-target-image");
    assert_eq!(app.start_command, ["node", "dist/apps/api/main.js"], "{}", app.start_source);
    assert_eq!(app.start_source, "Dockerfile:18 (the repository's own image)");
}

/// `'http://127.0.0.1:' + (process.env.PORT || 3000) + '/api/v1/health/live'`: the probe asks
/// for the glued path, not for the root page.
#[test]
fn a_healthcheck_url_built_by_concatenation_keeps_its_path() {
    let app = fixture("nx-multi-target-image");
    assert_eq!(app.health_check_path, "/api/v1/health/live", "{}", app.health_source);
    assert_eq!(app.health_source, "Dockerfile:16 HEALTHCHECK");
}

/// The root tsc compiles `src/` (its rootDir): the alias `admin/`'s own Vite build resolves is
/// no evidence; the blocker cites the server's aliased import.
#[test]
fn the_alias_blocker_cites_a_file_the_root_tsc_compiles() {
    let app = fixture("fastify-tsc-alias-admin");
    let broken = findings(&app, "start-command-broken");
    assert_eq!(broken.len(), 1, "{:?}", app.findings);
    assert_eq!(broken[0].source, "src/server.ts:2");
    assert!(broken[0].message.contains("'@/config'"), "{}", broken[0].message);
}

/// `router.group(() => { router.get('/status') }).prefix('/api')` answers at `/api/status`; a
/// group behind `.use(middleware.auth())` and a route module's exported function are no open
/// root page.
#[test]
fn adonis_route_groups_answer_under_their_chained_prefix() {
    let app = fixture("adonis6-grouped-routes");
    assert_eq!(app.health_check_path, "/api/status", "{}", app.health_source);
    assert_eq!(app.health_source, "start/routes.ts:7");
    assert!(findings(&app, "health-page").is_empty(), "{:?}", app.findings);
}

/// `node ace build` writes the app to `build/`: the start script's `node bin/server.js` runs
/// there, and from the repository's root the entry is `build/bin/server.js`.
#[test]
fn adonis_starts_the_entry_ace_build_writes() {
    let app = fixture("adonis6-grouped-routes");
    assert_eq!(app.start_command, ["node", "build/bin/server.js"], "{}", app.start_source);
    assert_eq!(findings(&app, "start-entry").len(), 1, "{:?}", app.findings);
}
