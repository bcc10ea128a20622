//! The Go failure classes of held-out round 18, reproduced in a fixture of their own
//! (tests/fixtures/apps/go-json-settings-two-listeners): a validation's range bound taken as
//! the port, listen addresses kept in a JSON settings file a flag names, a login wrapper on
//! the root route, a variable named through a constant, and files the binary opens at start.

use crate::app_fixtures::{findings, profile as fixture, variable};

use ferry::model::FindingLevel;

const APP: &str = "go-json-settings-two-listeners";

/// `if r.Port < 1 || r.Port > 65535` checks a port, it sets none. The server listens where the
/// JSON settings file its `--config` flag names says: the first listener, on loopback, which
/// the load balancer cannot reach.
#[test]
fn the_port_is_the_settings_listen_address_not_a_range_bound() {
    let app = fixture(APP);
    assert_eq!((app.port, app.port_source.as_str()), (4444, "settings.json:3"));
    let loopback = findings(&app, "loopback-bind");
    assert!(loopback.iter().any(|f| f.level == FindingLevel::Blocker && f.source == "settings.json:3"), "{loopback:?}");
}

/// `r.HandleFunc("/", chain(dashboard, RequireLogin))` redirects to the sign-in page, which
/// answers 200 without a session.
#[test]
fn a_root_wrapped_in_require_login_is_not_the_health_page() {
    let app = fixture(APP);
    assert_eq!((app.health_check_path.as_str(), app.health_source.as_str()), ("/login", "web/routes.go:13"));
}

/// `os.Getenv(OwnerPasswordVariable)` with `const OwnerPasswordVariable = "..."` reads the
/// constant's value.
#[test]
fn a_variable_named_through_a_constant() {
    let app = fixture(APP);
    let owner = variable(&app, "NEWSLETTER_OWNER_PASSWORD");
    assert!(owner.secret);
    assert_eq!(owner.source, "store/settings.go:46");
}

/// The settings file, `./RELEASE` read at start and the schema folder a setting names by its
/// prefix (`schema/v_`) are opened from the working directory: the image holds them all.
#[test]
fn files_the_binary_opens_at_start_are_copied() {
    let app = fixture(APP);
    assert_eq!(app.runtime_files, ["settings.json", "RELEASE", "schema"]);
}

/// A session store signed with `securecookie.GenerateRandomKey` at start has a key per task,
/// and goose migrating before the console serves runs in every task.
#[test]
fn a_per_process_cookie_key_and_migrations_at_start() {
    let app = fixture(APP);
    let sessions = findings(&app, "in-memory-sessions");
    assert!(
        sessions.iter().any(|f| f.level == FindingLevel::Blocker && f.source == "web/session.go:10"),
        "{sessions:?}"
    );
    let migrations = findings(&app, "migrations-at-start");
    assert!(migrations.iter().any(|f| f.source == "store/migrate.go:11"), "{migrations:?}");
}

/// The settings start a second server on another port, and the first terminates TLS itself:
/// both are said, where the settings file says them.
#[test]
fn a_second_listener_and_tls_the_server_terminates() {
    let app = fixture(APP);
    let two = findings(&app, "two-listeners");
    assert!(two.iter().any(|f| f.source == "settings.json:7" && f.message.contains("8081")), "{two:?}");
    let tls = findings(&app, "https-listener");
    assert!(tls.iter().any(|f| f.source == "settings.json:4"), "{tls:?}");
}
