//! Round 16's leftover classes, each in a fixture of its own (tests/fixtures/apps): secrets
//! committed in a `.env` the app loads, migrations the app keeps that nothing at start runs, a
//! repository start that migrates, Flask's own FLASK_ENV on a release that still reads it, an
//! image entrypoint that only prepares (`exec "$@"`), and Django hosts empty unless set.

use crate::app_fixtures::{findings, profile as fixture, variable};

use ferry::analyze::AppFiles;
use ferry::model::{FindingLevel, VariableScope};

/// NestJS's `ConfigModule.forRoot()` loads the committed `.env`: each secret it gives a value
/// is a warning by name at its line, and no committed value appears anywhere in the analysis.
/// ferry's image leaves `.env` out, so both secrets stay required. The Prisma migrations
/// folder is applied by `prisma migrate deploy`, which no start runs (the only script that does
/// is a developer's).
#[test]
fn a_loaded_env_file_with_secrets_and_migrations_nothing_runs() {
    let app = fixture("nest-prisma-committed-env");
    let committed: Vec<(&str, FindingLevel)> =
        findings(&app, "secret-default").iter().map(|f| (f.source.as_str(), f.level)).collect();
    assert_eq!(committed, [(".env:1", FindingLevel::Warning), (".env:2", FindingLevel::Warning)]);
    let json = serde_json::to_string(&app).expect("profile serializes");
    assert!(!json.contains("hunter2-db") && !json.contains("committed-signing-key"), "{json}");
    assert!(variable(&app, "JWT_SECRET").required && variable(&app, "JWT_SECRET").secret);
    let migrations = findings(&app, "migrations-separate-step");
    assert_eq!(migrations.len(), 1, "{:?}", app.findings);
    assert!(migrations[0].message.contains("`npx prisma migrate deploy`"), "{}", migrations[0].message);
    assert_eq!(migrations[0].source, "prisma/migrations/20240101000000_init/migration.sql:1");
}

/// Flask 1.1 reads FLASK_ENV when the app object is made; the repository sets it in
/// `.flaskenv`. FLASK_DEBUG, which the repository never sets, is not said.
#[test]
fn an_old_flask_reads_the_flask_env_the_repository_sets() {
    let app = fixture("flask-flaskenv-old-release");
    let flask_env = variable(&app, "FLASK_ENV");
    assert_eq!((flask_env.source.as_str(), flask_env.required), ("guestbook/__init__.py:6", false));
    assert!(!app.variables.iter().any(|v| v.name == "FLASK_DEBUG"));
}

/// The image's entrypoint only waits for the database and ends in `exec "$@"`; ferry's
/// container runs gunicorn directly, so `$DATABASE`, which only the script reads, is tooling.
/// Django's hosts list holds only "" when the variable is unset: every request gets a 400.
/// Migrations are in the repository but nothing at start runs them.
#[test]
fn a_passthrough_entrypoint_reads_for_tooling_and_empty_hosts_block() {
    let app = fixture("django-entrypoint-passthrough");
    assert_eq!(app.start_command.first().map(String::as_str), Some("gunicorn"));
    let database = variable(&app, "DATABASE");
    assert_eq!((database.scope, database.source.as_str()), (VariableScope::Tooling, "entrypoint.sh:3"));
    assert_eq!(variable(&app, "SQL_HOST").scope, VariableScope::Runtime, "settings.py reads it too");
    let hosts = findings(&app, "hard-coded-hosts");
    assert_eq!(hosts.len(), 1, "{:?}", app.findings);
    assert_eq!((hosts[0].level, hosts[0].source.as_str()), (FindingLevel::Blocker, "site_conf/settings.py:5"));
    let migrations = findings(&app, "migrations-separate-step");
    assert!(migrations[0].message.contains("`python manage.py migrate`"), "{}", migrations[0].message);
}

/// A `start` script that runs the migrations script before the server: the repository's own
/// start migrates at every start, which ferry's container leaves out, so that is what is said,
/// at the script's line; no separate step is said beside it.
#[test]
fn a_repository_start_that_migrates_is_migrations_at_start() {
    let manifest = "{\n  \"scripts\": {\n    \"db:deploy\": \"prisma migrate deploy\",\n    \"start:migrate\": \"npm run db:deploy && node server.js\",\n    \"start\": \"node server.js\"\n  },\n  \"dependencies\": { \"express\": \"^4.19.0\" }\n}\n";
    let files = AppFiles::from_pairs([
        ("package.json", manifest),
        ("server.js", "const app = require('express')();\napp.listen(process.env.PORT || 3000);\n"),
    ]);
    let facts = ferry::analyze::analyze_source(&files).expect("a Node.js app");
    let kinds: Vec<(&str, &str)> = facts
        .findings
        .iter()
        .filter(|f| f.kind.starts_with("migrations"))
        .map(|f| (f.kind.as_str(), f.source.as_str()))
        .collect();
    assert_eq!(kinds, [("migrations-at-start", "package.json:4")]);
}
