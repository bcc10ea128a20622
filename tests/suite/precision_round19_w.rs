//! Round 19's precision audit of public Node.js TypeScript servers (helper w): claims a
//! reading of the code contradicts. An upload written only when NODE_ENV is not production, a
//! routing-controllers class that asks for a login, a route scan that missed routes yet said
//! all of them need a login, a Prisma push to MongoDB said to make tables, and a server that
//! `vite build` bundles said to have no start.

use crate::app_fixtures::{findings, profile as fixture};

/// The development branch of `if (process.env.NODE_ENV === 'production')` writes the upload to
/// a local folder; production streams it to a bucket. ferry's image sets NODE_ENV=production,
/// so the local write never runs there and no local-disk-writes blocker is claimed.
#[test]
fn an_upload_written_locally_only_outside_production_is_no_disk_write() {
    let app = fixture("fastify-upload-dev-branch");
    assert!(findings(&app, "local-disk-writes").is_empty(), "{:?}", app.findings);
}

/// `@Authorized() @JsonController('/kennels')`: every action answers under the class path (and
/// the computed `routePrefix`) and asks for a login, so `@Get()` is no open root page.
#[test]
fn routing_controllers_actions_are_under_their_class_path_and_its_login() {
    let app = fixture("express-routing-controllers-authorized");
    assert!(findings(&app, "health-page").is_empty(), "{:?}", app.findings);
    assert!(!app.health_source.contains("KennelController"), "{}", app.health_source);
}

/// Two single-line GET routes ask for a login; an open one is declared with its path on the
/// line after `.get(`, which the route scan does not read: ferry cannot say every GET route
/// needs a login.
#[test]
fn a_route_whose_path_the_scan_missed_keeps_the_all_guarded_claim_unsaid() {
    let app = fixture("fastify-split-route-declarations");
    let said = findings(&app, "no-health-route");
    assert!(said.iter().all(|f| !f.message.contains("every GET route")), "{:?}", app.findings);
}

/// `prisma db push` against a MongoDB datasource builds indexes only; collections appear at
/// their first write, so no query waits on it and no separate migration step is claimed.
#[test]
fn a_prisma_push_to_mongodb_is_no_migration_step() {
    let app = fixture("nest-prisma-mongodb-push");
    assert!(findings(&app, "migrations-separate-step").is_empty(), "{:?}", app.findings);
}

/// No start script, and `vite build` with vite-plugin-fastify's `serverPath: './src/server.ts'`:
/// the build bundles the server into dist/server.js, which is what production runs.
#[test]
fn a_server_vite_builds_starts_from_its_bundle() {
    let app = fixture("fastify-vite-built-server");
    assert_eq!(app.start_command, ["node", "dist/server.js"]);
    assert!(findings(&app, "no-start-command").is_empty(), "{:?}", app.findings);
}
