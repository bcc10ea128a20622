//! Precision classes of the Python apps of rounds 9 to 17, each in a fixture of its own: a
//! password the app gives its database or mail server is not a key anyone can forge with, and
//! an entrypoint's message that names an upgrade migrates nothing, and a settings class that an
//! unset selector falls back to (with defaults in its annotations) is the one the app runs with.

use crate::app_fixtures::{findings, profile as fixture, variable};

use ferry::model::FindingLevel;

/// The database and SMTP passwords fall back to committed values: said at warning level, as
/// passwords the app logs in with; the committed signing key stays a blocker.
#[test]
fn client_passwords_are_not_forgeable_keys() {
    let app = fixture("django-client-passwords");
    let said: Vec<(&str, FindingLevel)> =
        findings(&app, "secret-default").iter().map(|f| (f.source.as_str(), f.level)).collect();
    assert_eq!(
        said,
        [
            ("shop/settings.py:3", FindingLevel::Blocker),
            ("shop/settings.py:15", FindingLevel::Warning),
            ("shop/settings.py:22", FindingLevel::Warning),
        ],
        "{:?}",
        app.findings
    );
    assert!(variable(&app, "SHOP_DB_PASSWORD").secret);
}

/// The entrypoint echoes messages about upgrading a tool with pip: no migration is claimed.
#[test]
fn an_echoed_upgrade_is_no_migration() {
    let app = fixture("django-entrypoint-echo-upgrade");
    assert!(findings(&app, "migrations-at-start").is_empty(), "{:?}", app.findings);
}

/// The base settings class requires the signing key, but the stage variable falls back to
/// `development`, whose class gives the key in its annotation (`Annotated[str, Field("...")]`):
/// the app starts with the committed key, said as such, and nothing claims it cannot start.
#[test]
fn the_settings_class_chosen_by_default_gives_the_key() {
    let app = fixture("fastapi-settings-dev-class-by-default");
    assert!(findings(&app, "required-env").is_empty(), "{:?}", app.findings);
    let committed: Vec<&str> = findings(&app, "secret-default").iter().map(|f| f.source.as_str()).collect();
    assert_eq!(committed, ["ledger/settings.py:14"]);
    assert!(!variable(&app, "TOKEN_SIGNING_KEY").required);
}
