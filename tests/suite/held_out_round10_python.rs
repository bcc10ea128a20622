//! The Python failure classes of held-out round 10, each reproduced in a fixture of its own
//! (tests/fixtures/apps): settings a Flask app loads before its environment helper falls back
//! to them, a blueprint imported from its own package, plugin methods that read the
//! environment, a fire CLI whose subcommand names the port, variables the app sets for
//! itself, an entrypoint script that migrates, and secrets a name says less plainly.

use crate::app_fixtures::{findings, profile as fixture, variable};

use ferry::model::FindingLevel;

/// `config.from_object('monitor.settings')`, then `get_config('DEBUG', default=True,
/// config=config)`, which falls back to that config: the module's `DEBUG = False` runs, and
/// its `DATABASE_URL` (through `STORE_URI`) points at localhost.
#[test]
fn a_settings_module_before_the_environment_helper() {
    let app = fixture("flask-settings-blueprint");
    assert_eq!(variable(&app, "DEBUG").default.as_deref(), Some("false"));
    assert!(findings(&app, "debug-default").is_empty(), "{:?}", findings(&app, "debug-default"));
    assert_eq!(variable(&app, "PAGE_SIZE").default.as_deref(), Some("50"));
    let localhost = findings(&app, "localhost-default-host");
    assert!(
        localhost.iter().any(|f| f.message.contains("DATABASE_URL") && f.level == FindingLevel::Blocker),
        "{localhost:?}"
    );
    assert!(findings(&app, "secret-default").iter().any(|f| f.message.contains("SECRET_KEY")));
    let conf_file = variable(&app, "MONITOR_CONF_FILE");
    assert_eq!((conf_file.required, conf_file.source.as_str()), (false, "monitor/config.py:9"));
}

/// A health route in a `management` package (a Flask blueprint, not Django's management
/// commands) whose views import the blueprint with `from . import mgmt`; a plugin's
/// `self.get_config('KEY')` reads the environment through a method defined elsewhere, while
/// a dict's `.get('KEY')` reads nothing.
#[test]
fn a_blueprint_from_its_own_package_and_plugin_reads() {
    let app = fixture("flask-settings-blueprint");
    assert_eq!(
        (app.health_check_path.as_str(), app.health_source.as_str()),
        ("/management/healthcheck", "monitor/management/views.py:9")
    );
    assert_eq!(variable(&app, "FORWARD_DESTINATIONS").source, "monitor/plugins/forward.py:7");
    assert!(!app.variables.iter().any(|v| v.name == "RETRIES"));
}

/// `python -m relay run` runs the CLI's `run(self, port=8000)`: not the UI's
/// `run_ui(self, port=8501)` written first. The UI's target host, which the app sets itself
/// before starting it, is no setting and no loopback bind; a value set on one path only
/// (`RELAY_LOG_LEVEL` under `if`) still is.
#[test]
fn the_subcommand_the_start_command_runs() {
    let app = fixture("python-fire-subcommands");
    assert_eq!(app.start_command, ["python", "-m", "relay", "run"]);
    assert_eq!((app.port, app.port_source.as_str()), (8000, "relay/__main__.py:13"));
    assert!(!app.variables.iter().any(|v| v.name == "RELAY_UI_TARGET"));
    assert!(findings(&app, "loopback-bind").is_empty(), "{:?}", findings(&app, "loopback-bind"));
    assert_eq!(variable(&app, "RELAY_LOG_LEVEL").default.as_deref(), Some("info"));
    assert!(!app.variables.iter().any(|v| v.name == "PYTHONPATH"), "the script extends a search path");
}

/// The entrypoint's migration is said with its line; `*_KEY_CONFIG` holds keys, and a
/// committed URL with a token in its query is a secret whatever its name.
#[test]
fn entrypoint_migrations_and_secrets_named_less_plainly() {
    let app = fixture("python-fire-subcommands");
    let migrations = findings(&app, "migrations-at-start");
    assert_eq!(migrations.iter().map(|f| f.source.as_str()).collect::<Vec<_>>(), ["deploy/start.sh:4"]);
    assert!(variable(&app, "RELAY_API_KEY_CONFIG").secret);
    let notify = variable(&app, "RELAY_NOTIFY_URL");
    assert!(notify.secret && !notify.default.as_deref().unwrap_or("").contains("9fQeX2kLm81Zt"), "{notify:?}");
}
