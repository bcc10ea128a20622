//! The Go and Java failure classes of held-out round 14, each reproduced in a fixture of its
//! own (tests/fixtures/apps): environment names a helper builds from a constant prefix, the
//! port and bind address a flag sets, the flags of the repository's own entrypoint, and a
//! multi-module Spring build whose settings come from several files and modules.

use crate::app_fixtures::{findings, profile as fixture, variable};

use ferry::model::FindingLevel;

/// `os.Getenv(envPrefix + name)` with `envPrefix = "LEDGER_"`, falling back to the bare name:
/// both names of each call are variables, and the secret ones are marked. The port is the
/// `--listen` flag's, not the SSH default of a helper; the entrypoint's flags stay in the
/// command, and the loopback default of `--bind` is said.
#[test]
fn flags_with_prefixed_environment_fallbacks() {
    let app = fixture("go-flags-prefixed-env");
    for name in ["LEDGER_DATABASE_URL", "DATABASE_URL", "LEDGER_ADMIN_USER", "ADMIN_USER"] {
        assert!(app.variables.iter().any(|v| v.name == name), "{name} is read");
    }
    assert!(variable(&app, "LEDGER_DATABASE_URL").secret);
    assert!(variable(&app, "LEDGER_ADMIN_PASSWORD").secret);
    assert_eq!(app.port, 7310, "{}", app.port_source);
    assert!(findings(&app, "low-port").is_empty());
    assert_eq!(app.start_command, ["/app/ledgerview", "--bind=0.0.0.0", "--listen=7310"]);
    let loopback = findings(&app, "loopback-bind");
    assert_eq!(loopback.len(), 1, "{loopback:?}");
    assert_eq!(
        (loopback[0].level, loopback[0].source.as_str()),
        (FindingLevel::Warning, "internal/settings/settings.go:16")
    );
}
