//! The required-variable and secret classes of held-out round 15, each reproduced in a fixture
//! of its own (tests/fixtures/apps): a variable indexed where a settings class is built, a port
//! parsed from a variable with no fallback, connection strings judged by what they are passed
//! to, committed placeholder keys, and localhost defaults in modules and profiles.

use crate::app_fixtures::{findings, profile as fixture, variable};

use ferry::model::FindingLevel;

/// `os.environ['LEDGER_PROFILE']` inside the arguments of a call in a settings class body runs
/// at import: unset, it raises KeyError before the server starts. It is required, and nothing
/// sets it, so it is a required-env blocker.
#[test]
fn a_subscript_read_in_a_settings_class_call() {
    let app = fixture("python-settings-env-selector");
    let profile = variable(&app, "LEDGER_PROFILE");
    assert!(profile.required, "{profile:?}");
    assert_eq!(profile.source, "ledger/config.py:13");
    let blockers = findings(&app, "required-env");
    assert!(
        blockers.iter().any(|f| f.level == FindingLevel::Blocker && f.message.contains("LEDGER_PROFILE")),
        "{blockers:?}"
    );
}
