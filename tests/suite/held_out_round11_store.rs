//! The storage, required-variable, secret and health classes of held-out round 11, each in a
//! fixture of its own (tests/fixtures/apps): SQLite as the default a setting falls back to,
//! uploads kept in a folder of the task, a Go variable whose absence stops the program, a
//! secret key made up per process, a router's mount point with no view, and a cookie's name
//! that is no secret.

use crate::app_fixtures::{findings, profile as fixture, variable};

use ferry::model::FindingLevel;

/// `type: env.GLOSSARY_DB_TYPE || 'better-sqlite3'`: the database is an SQLite file unless
/// the driver is changed, and the host beside it (127.0.0.1) is used only by the other
/// drivers, so it blocks nothing.
#[test]
fn a_database_driver_that_defaults_to_sqlite() {
    let app = fixture("node-db-type-sqlite-default");
    let sqlite = findings(&app, "sqlite");
    assert_eq!(sqlite.iter().map(|f| f.source.as_str()).collect::<Vec<_>>(), ["src/config.js:7"]);
    assert_eq!(sqlite[0].level, FindingLevel::Blocker);
    let host = findings(&app, "localhost-default-host");
    assert!(host.iter().all(|f| f.level != FindingLevel::Blocker), "{host:?}");
}

/// `os.getenv('JOURNAL_DATABASE_URL', uri_start + ...)` where `uri_start = 'sqlite:////'`:
/// production falls back to an SQLite file; the development class's file is not the
/// service's. Pictures are saved under the upload folder on the task's disk.
#[test]
fn an_sqlite_default_built_from_a_prefix_and_uploads_on_disk() {
    let app = fixture("flask-sqlite-prefix-uploads");
    let sqlite = findings(&app, "sqlite");
    assert_eq!(sqlite.iter().map(|f| f.source.as_str()).collect::<Vec<_>>(), ["journal/settings.py:23"]);
    let uploads = findings(&app, "local-disk-writes");
    assert!(uploads.iter().any(|f| f.source == "journal/__init__.py:19"), "{uploads:?}");
}

/// Django's `DATABASES` on SQLite in the else branch of a base module the production module
/// imports whole; a key made up per process without PANTRY_SECRET_KEY; `api/v2/` mounts a
/// router's URL list, with no view of its own, so it is no health path.
#[test]
fn django_base_sqlite_a_per_process_key_and_a_router_mount() {
    let app = fixture("django-sqlite-base-router");
    let sqlite = findings(&app, "sqlite");
    assert_eq!(sqlite.iter().map(|f| f.source.as_str()).collect::<Vec<_>>(), ["pantry/settings/base.py:21"]);
    let generated = findings(&app, "per-process-secret");
    assert_eq!(generated.iter().map(|f| f.source.as_str()).collect::<Vec<_>>(), ["pantry/settings/production.py:15"]);
    assert!(variable(&app, "PANTRY_SECRET_KEY").required);
    // The app starts without it; what breaks is that each task signs with a key of its own,
    // which the per-process-secret warning says: no required-env blocker claims it stops.
    let required = findings(&app, "required-env");
    assert!(!required.iter().any(|f| f.message.contains("PANTRY_SECRET_KEY")), "{required:?}");
    assert_ne!(app.health_check_path, "/api/v2/", "{}", app.health_source);
}

/// `http-socket=:$(PORT)` in the uWSGI ini the Procfile runs, and logback's
/// `${DESK_LOG_DIR:-/var/log/desk}`: the launcher's configuration reads them from the
/// environment.
#[test]
fn variables_a_launchers_configuration_reads() {
    let django = fixture("django-sqlite-base-router");
    assert_eq!(variable(&django, "VIRTUAL_ENV").source, "etc/uwsgi.ini:5");
    assert!(django.variables.iter().any(|v| v.name == "PORT"));
    let spring = fixture("spring-token-cookie-name");
    let log_dir = variable(&spring, "DESK_LOG_DIR");
    assert_eq!(log_dir.default.as_deref(), Some("/var/log/desk"));
}

/// `secret := os.Getenv(...)`, then `if secret == "" { return "", fmt.Errorf(...) }`: the
/// variable is required; PORT, given a value when empty, is not.
#[test]
fn a_go_variable_whose_absence_fails() {
    let app = fixture("go-secret-exits");
    assert!(variable(&app, "VAULT_SHARED_SECRET").required);
    assert!(!variable(&app, "PORT").required);
}

/// `desk-sso.token.key=desk_login_token` names the cookie a login token travels in: no
/// secret, and no committed-secret blocker; the signing key beside it stays one.
#[test]
fn a_token_cookie_name_is_no_secret() {
    let app = fixture("spring-token-cookie-name");
    let token_key = app.variables.iter().find(|v| v.name.contains("TOKEN_KEY")).expect("the token key is read");
    assert!(!token_key.secret, "{token_key:?}");
    let committed = findings(&app, "secret-default");
    assert!(!committed.iter().any(|f| f.message.contains("TOKEN_KEY")), "{committed:?}");
    let signing = app.variables.iter().find(|v| v.name.contains("SIGNING_KEY")).expect("the signing key is read");
    assert!(signing.secret);
}

/// A hapi plugin registered in a Glue manifest with `routes: { prefix: '/api' }`: its
/// `path: '/'` answers at `/api`, so the root is not what the service checks.
#[test]
fn a_hapi_plugins_routes_answer_under_its_registered_prefix() {
    let app = fixture("hapi-glue-prefix");
    assert_eq!((app.health_check_path.as_str(), app.health_source.as_str()), ("/api", "server/api/index.js:6"));
}

/// log4js with a `file` appender the production category writes to: the log is on the task's
/// disk, lost when it stops.
#[test]
fn a_log4js_file_appender_is_a_log_file() {
    let app = fixture("koa-log4js-file");
    let logs = findings(&app, "log-files");
    assert_eq!(logs.iter().map(|f| f.source.as_str()).collect::<Vec<_>>(), ["src/logs/log.js:7"]);
}
