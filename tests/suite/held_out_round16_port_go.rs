//! The port and Go failure classes of held-out round 16, each in a fixture of its own
//! (tests/fixtures/apps): a port taken from a file that is not the server (an error code whose
//! name holds `EXPORT`, a database's port default, a demo in a side folder), a Go app whose
//! settings file names the port and fixes its stores' hosts, and an indirect SQLite driver.

use crate::app_fixtures::{findings, profile as fixture};

use ferry::model::FindingLevel;

/// `[server] HttpPort = 7400` in the ini file the code loads is the port; the error code
/// `ERROR_EXPORT_NOTE_FAIL = 30011` is no port (`EXPORT` only holds the letters).
#[test]
fn a_go_apps_port_from_the_settings_file_it_loads() {
    let app = fixture("go-ini-settings-blog");
    assert_eq!((app.port, app.port_source.as_str()), (7400, "conf/settings.ini:8"));
    let loaded = findings(&app, "files-at-runtime");
    assert!(
        loaded.iter().any(|f| f.source == "pkg/settings/settings.go:18" && f.message.contains("conf/settings.ini")),
        "{loaded:?}"
    );
    // The final image holds the binary alone: the image copies the file beside it (the Go
    // Dockerfile's own tests check the COPY line).
    assert_eq!(app.runtime_files, ["conf/settings.ini"]);
}

/// go-sqlite3 `// indirect` (gorm v1 requires it for a dialect the app never imports) is not
/// used: no SQLite blocker, and the build keeps cgo off.
#[test]
fn an_indirect_sqlite_driver_the_code_never_imports() {
    let app = fixture("go-ini-settings-blog");
    assert!(findings(&app, "sqlite").is_empty(), "{:?}", findings(&app, "sqlite"));
    assert!(findings(&app, "cgo").is_empty());
    assert!(app.build_command.unwrap_or_default().contains(&"CGO_ENABLED=0".to_string()));
}

/// The store hosts fixed to this machine in the loaded settings file block; the debug run
/// mode and the committed secrets warn, naming the key and never the value.
#[test]
fn hosts_debug_mode_and_secrets_in_a_go_settings_file() {
    let app = fixture("go-ini-settings-blog");
    let hosts: Vec<(&str, FindingLevel)> =
        findings(&app, "hard-coded-hosts").iter().map(|f| (f.source.as_str(), f.level)).collect();
    assert_eq!(
        hosts,
        [("conf/settings.ini:13", FindingLevel::Blocker), ("conf/settings.ini:17", FindingLevel::Blocker)]
    );
    let debug = findings(&app, "debug-default");
    assert_eq!(debug.iter().map(|f| f.source.as_str()).collect::<Vec<_>>(), ["conf/settings.ini:7"]);
    let secrets = findings(&app, "secret-default");
    let keys: Vec<&str> = secrets.iter().map(|f| f.source.as_str()).collect();
    assert_eq!(keys, ["conf/settings.ini:3", "conf/settings.ini:14"]);
    assert!(secrets[0].message.contains("SigningSecret") && secrets[1].message.contains("Password"));
    assert!(secrets.iter().all(|f| !f.message.contains("n0tebook") && !f.message.contains("k3y")));
}

/// `SQL_PORT` defaulting to 5432 is the database's port: the app serves on gunicorn's 8000.
#[test]
fn a_databases_port_default_is_not_the_apps() {
    let app = fixture("django-sql-port-default");
    assert_eq!(app.port, 8000, "{}", app.port_source);
    assert!(app.start_command.contains(&"0.0.0.0:8000".to_string()), "{:?}", app.start_command);
}

/// A stand-alone demo under `bonus/` listens on 9090; the app's start file says 4100.
#[test]
fn a_demo_beside_the_app_does_not_set_its_port() {
    let app = fixture("node-demo-folder-port");
    assert_eq!((app.port, app.port_source.as_str()), (4100, "lib/start.mjs:4"));
}
