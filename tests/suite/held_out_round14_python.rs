//! Held-out round 14's Python classes, each in a fixture of its own (tests/fixtures/apps): a
//! Django project that imports from a folder of its own (its `wsgi.py` names `hub.settings`,
//! which only `webapp/` on the path imports), a test settings package read as live settings, a
//! health route written as `re_path(r"^status/?$")` in a URL module included by its imported
//! name, notification URLs as secrets, defaults taken from one branch of a conditional, the
//! variables of the start script the repository's image runs, and a Flask app whose default
//! configuration is the development one, with its CLI commands' reads and the boot script's
//! migrating command.

use crate::app_fixtures::{findings, profile as fixture, variable};

use ferry::model::FindingLevel;

/// `webapp/hub/wsgi.py` sets `hub.settings`: the server starts from `webapp/` and imports
/// `hub.wsgi`, as the repository's supervisord does, not `webapp.hub.wsgi` from the root.
#[test]
fn a_django_project_starts_from_its_import_root() {
    let app = fixture("django-nested-import-root");
    assert_eq!(
        app.start_command,
        ["gunicorn", "--chdir", "webapp", "--bind", "0.0.0.0:8000", "--access-logfile", "-", "hub.wsgi:application"]
    );
}

/// `settings/pytest/__init__.py` is the test runner's: its `ALLOWED_HOSTS = []` raises nothing,
/// the live settings read the hosts from the environment. `re_path(r"^status/?$", ...)` in the
/// module `include(page_urls)` names is the health route.
#[test]
fn test_settings_and_a_status_route_under_an_imported_include() {
    let app = fixture("django-nested-import-root");
    assert!(findings(&app, "hard-coded-hosts").is_empty(), "{:?}", findings(&app, "hard-coded-hosts"));
    assert_eq!((app.health_check_path.as_str(), app.health_source.as_str()), ("/status", "webapp/pages/urls.py:7"));
    assert!(findings(&app, "no-health-route").is_empty());
}

/// Notification service URLs carry their tokens; a chat webhook is its own token.
#[test]
fn notification_urls_and_webhooks_are_secrets() {
    let app = fixture("django-nested-import-root");
    assert!(variable(&app, "HUB_NOTIFY_URLS").secret);
    assert!(variable(&fixture("flask-config-classes-cli"), "JOURNAL_SLACK_WEBHOOK").secret);
}

/// `"debug" if DEBUG else "info"` has no single default, `",".join(...)` is not ",", a read in
/// the branch for a set variable gives none, and a GPU condition leaves the CPU branch on a
/// task without one.
#[test]
fn defaults_from_one_branch_of_a_conditional() {
    let app = fixture("django-nested-import-root");
    assert_eq!(variable(&app, "HUB_LOG_LEVEL").default, None);
    assert_eq!(variable(&app, "HUB_BLOCKED_TRANSPORTS").default, None);
    assert_eq!(variable(&app, "HUB_EMOJI").default, None, "unset, the other branch's None");
    let flask = fixture("flask-config-classes-cli");
    assert_eq!(variable(&flask, "JOURNAL_DEVICE").default.as_deref(), Some("cpu"));
}

/// The image's CMD runs `webapp/start-services`: what it reads before it assigns (QUIET_MODE),
/// defaults with `:=` and `:-` (RUN_UID, WEB_PORT) and tests with `+x` (ONLY_V4) are the
/// operator's; nginx's `\$host` in its heredoc and its own `port` are not, and no file it
/// writes makes a config-from-entrypoint blocker.
#[test]
fn variables_the_images_start_script_reads() {
    let app = fixture("django-nested-import-root");
    assert_eq!(variable(&app, "RUN_UID").default.as_deref(), Some("1000"));
    assert_eq!(variable(&app, "WEB_PORT").default.as_deref(), Some("8000"));
    assert_eq!(variable(&app, "ONLY_V4").source, "webapp/start-services:20");
    assert_eq!(variable(&app, "QUIET_MODE").source, "webapp/start-services:5");
    for own in ["host", "port", "RUN_USER", "CONF"] {
        assert!(!app.variables.iter().any(|v| v.name == own), "{own} is the script's own");
    }
    assert!(findings(&app, "config-from-entrypoint").is_empty(), "{:?}", findings(&app, "config-from-entrypoint"));
}

/// `create_app(os.getenv("JOURNAL_CONFIG") or "default")` loads DevelopmentConfig, which sets
/// DEBUG = True; JOURNAL_COVERAGE is the `test` command's; the boot script's `flask release`
/// runs the command that upgrades the database, and is where the migration is said.
#[test]
fn a_flask_app_whose_default_configuration_is_development() {
    let app = fixture("flask-config-classes-cli");
    let debug = findings(&app, "debug-default");
    assert_eq!(debug.len(), 1, "{debug:?}");
    assert_eq!((debug[0].level, debug[0].source.as_str()), (FindingLevel::Blocker, "config.py:17"));
    assert!(debug[0].fix.as_deref().is_some_and(|f| f.contains("JOURNAL_CONFIG=production")), "{:?}", debug[0].fix);
    assert_eq!(variable(&app, "JOURNAL_COVERAGE").scope, ferry::model::VariableScope::Tooling);
    let migrations = findings(&app, "migrations-at-start");
    assert_eq!(migrations.len(), 1, "{migrations:?}");
    assert_eq!(migrations[0].source, "boot.sh:2");
}

/// The repository's image runs `poetry install --extras cpu` and starts `transcribe-api`, the
/// project's own console script: the generated image installs the `cpu` extra (not the GPU
/// image's `gpu`), the project itself, and ffmpeg, which `ffmpeg-python` runs.
#[test]
fn a_poetry_project_started_by_its_own_script() {
    let app = fixture("fastapi-poetry-script-extras");
    assert_eq!(app.start_command, ["transcribe-api"]);
    assert_eq!(app.install_extras, ["cpu"]);
    assert!(app.install_project);
    assert_eq!(app.system_packages, ["ffmpeg"]);
    assert_eq!(findings(&app, "install-project")[0].source, "pyproject.toml:12");
}
