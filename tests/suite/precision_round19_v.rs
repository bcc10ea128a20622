//! Round 19's precision audit of four Express servers (helper v): a database name handed to
//! Sequelize is no connection string, a URL the code tests before using is optional, a port
//! under 1024 that is only the fallback of PORT moves to 8080, Swagger UI pages are open GETs,
//! and a `prestart` whose scripts open a browser stays out of the image build.

use crate::app_fixtures::{findings, profile as fixture, variable};

/// `if (process.env.URL) new Sequelize(url) else new Sequelize(name, user, password, {...})`:
/// the URL is optional (the other branch connects from parts), and the database's name is a
/// name, not a secret connection string. Neither is a required-env blocker.
#[test]
fn sequelize_from_a_tested_url_or_from_parts_requires_neither() {
    let app = fixture("express-sequelize-url-or-parts");
    assert!(findings(&app, "required-env").is_empty(), "{:?}", app.findings);
    let url = variable(&app, "LEDGER_DB_URL");
    assert!(url.secret && !url.required, "{url:?}");
    let schema = variable(&app, "LEDGER_DB_SCHEMA");
    assert!(!schema.secret && !schema.required, "{schema:?}");
    assert!(variable(&app, "LEDGER_DB_PASSWORD").secret);
}

/// `process.env.PORT || 80` (in production): 80 is only the fallback, the service sets PORT,
/// so the app listens on 8080 and nothing asks the operator to change the code.
#[test]
fn a_low_port_behind_port_moves_to_8080() {
    let app = fixture("express-port-fallback-80");
    assert_eq!(app.port, 8080, "{}", app.port_source);
    assert!(findings(&app, "low-port").is_empty(), "{:?}", app.findings);
    let moved = findings(&app, "port-moved");
    assert_eq!(moved.iter().map(|f| f.source.as_str()).collect::<Vec<_>>(), ["main.js:7"]);
}

/// Every declared GET needs a token, but a router mounts swagger-ui-express: its pages answer
/// without one, so the warning does not say every GET needs a login; it names the docs mount.
#[test]
fn swagger_ui_express_pages_are_open_gets() {
    let app = fixture("express-swagger-docs-guarded-api");
    let warned = findings(&app, "no-health-route");
    assert_eq!(warned.len(), 1, "{:?}", app.findings);
    assert!(!warned[0].message.contains("every GET route"), "{}", warned[0].message);
    assert!(warned[0].message.contains("lib/reference.js:6"), "{}", warned[0].message);
}

/// `prestart` runs a docs script whose `post` hook opens a browser: in an image build that
/// fails, so the build runs no prestart and the info says why.
#[test]
fn a_prestart_that_opens_a_browser_is_not_built() {
    let app = fixture("express-prestart-opens-browser");
    assert_eq!(app.build_command, None, "{:?}", app.build_command);
    let said = findings(&app, "build-at-start");
    assert_eq!(said.len(), 1, "{:?}", app.findings);
    assert!(said[0].message.contains("scripts.postreference"), "{}", said[0].message);
    assert_eq!(app.start_command, ["node", "src/server.js"]);
}
