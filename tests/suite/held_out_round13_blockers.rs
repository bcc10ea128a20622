//! The round-13 classes of true blockers missed or under-levelled, and the server among several
//! Go main packages, each reproduced in a fixture of its own (tests/fixtures/apps): a CLI
//! client and a storybook beside the daemon, uploads on the task's disk, a setting's SQLite
//! default on the line after its read, a Sequelize config whose production database is on
//! loopback, an in-process GraphQL PubSub, and a public URL chain ending on localhost.

use crate::app_fixtures::{findings, profile as fixture};

use ferry::model::FindingLevel;

/// `cmd/notes` only dials a URL, `cmd/notes-storybook` serves a developer's pages on :4001:
/// the image runs the daemon `cmd/notesd`, and the port and health path are its server's.
#[test]
fn the_daemon_among_a_client_and_a_storybook() {
    let app = fixture("go-client-daemon-storybook");
    assert_eq!(app.start_command, ["/app/notesd"]);
    assert_eq!(app.port, 7400, "{}", app.port_source);
    assert_eq!(app.health_check_path, "/healthz", "{}", app.health_source);
    assert!(!app.port_source.contains("storybook") && !app.health_source.contains("storybook"));
}

/// multer's disk storage keeps each upload on the task that took it: a blocker.
#[test]
fn multer_uploads_on_local_disk_block() {
    let app = fixture("express-multer-disk");
    let disk = findings(&app, "local-disk-writes");
    assert!(
        disk.iter().any(|f| f.level == FindingLevel::Blocker && f.source.starts_with("routes/uploads.js")),
        "{disk:?}"
    );
}

/// `os.getenv('PHOTOS_DB_URL',\n    sqlite_start + ...)`: the SQLite default on the read's
/// second line is still its default; uploads saved under the app's folder block too.
#[test]
fn a_flask_sqlite_default_on_a_continued_line_and_its_uploads() {
    let app = fixture("flask-multiline-sqlite-uploads");
    let sqlite = findings(&app, "sqlite");
    assert!(sqlite.iter().any(|f| f.level == FindingLevel::Blocker && f.source == "photos/config.py:16"), "{sqlite:?}");
    let disk = findings(&app, "local-disk-writes");
    assert!(disk.iter().any(|f| f.level == FindingLevel::Blocker && f.source == "photos/__init__.py:21"), "{disk:?}");
}

/// The production block of config/database.json is MySQL on localhost with no
/// `use_env_variable`: nothing the service sets can move it.
#[test]
fn a_sequelize_production_database_on_loopback() {
    let app = fixture("express-sequelize-json-config");
    let hosts = findings(&app, "hard-coded-hosts");
    assert!(
        hosts.iter().any(|f| f.level == FindingLevel::Blocker && f.source == "config/database.json:12"),
        "{hosts:?}"
    );
}

/// `new PubSub()` from graphql-subscriptions: subscribers on one task miss another's events.
#[test]
fn an_in_process_graphql_pubsub() {
    let app = fixture("express-graphql-pubsub");
    let pubsub = findings(&app, "in-memory-pubsub");
    assert!(pubsub.iter().any(|f| f.level == FindingLevel::Warning && f.source == "src/events.js:3"), "{pubsub:?}");
}

/// The site's address tries two settings and ends on `http://localhost:3000/`: every link
/// built from it points at the user's own machine unless NEXT_PUBLIC_APP_URL is set.
#[test]
fn a_public_url_chain_ending_on_localhost() {
    let app = fixture("next-site-url-fallback");
    let local = findings(&app, "localhost-default-host");
    let blocker = local.iter().find(|f| f.level == FindingLevel::Blocker).unwrap_or_else(|| panic!("{local:?}"));
    assert_eq!(blocker.source, "lib/links.ts:11");
    assert!(blocker.message.contains("NEXT_PUBLIC_APP_URL"), "{}", blocker.message);
}
