//! Python failure classes of held-out round 19, each reproduced in a fixture of its own
//! (tests/fixtures/apps): a settings class the running settings do not include, URL scheme
//! prefixes taken for committed database URLs, a strict read in a settings class body, and a
//! Dockerfile start command's development flags.

use crate::app_fixtures::{findings, profile as fixture, variable};

/// `MariaSettings` is not among the bases of the `AppConfig` the app builds: its fields are no
/// read of the app's, so neither its localhost host nor its sample password is a finding.
/// `PgSettings`, a base of `AppConfig`, is read.
#[test]
fn a_settings_class_the_app_never_builds_reads_nothing() {
    let app = fixture("fastapi-settings-variants");
    for name in ["MARIA_HOST", "MARIA_PASS", "MARIA_DRIVER"] {
        assert!(app.variables.iter().all(|v| v.name != name), "{name} is read");
    }
    assert_eq!(variable(&app, "PG_HOST").default.as_deref(), Some("pg.internal"));
    assert!(findings(&app, "localhost-default-host").is_empty(), "{:?}", findings(&app, "localhost-default-host"));
    assert!(findings(&app, "secret-default").is_empty(), "{:?}", findings(&app, "secret-default"));
}

/// `"postgresql+psycopg://"` and `"postgresql://"` are schemes the code joins a host to: no
/// credential, not a secret.
#[test]
fn a_url_scheme_prefix_is_no_secret() {
    let app = fixture("fastapi-settings-variants");
    for (name, scheme) in [("PG_DRIVER", "postgresql+psycopg://"), ("PG_SYNC_DRIVER", "postgresql://")] {
        let read = variable(&app, name);
        assert!(!read.secret, "{read:?}");
        assert_eq!(read.default.as_deref(), Some(scheme));
    }
}

/// A pydantic field with no default and a strict `env("JWT_SECRET")` in a settings class body
/// (run when the module is imported) both stop the app without their variable.
#[test]
fn a_settings_field_without_a_default_is_required() {
    let app = fixture("fastapi-settings-variants");
    assert!(variable(&app, "SIGNING_KEY").required);
    assert!(variable(&app, "JWT_SECRET").required);
    let required: Vec<&str> = findings(&app, "required-env").iter().map(|f| f.source.as_str()).collect();
    assert_eq!(required, ["svc/config.py:10", "svc/config.py:9"]);
}

/// The Dockerfile's `--reload --reload-dir svc` are the maintainers' workstation's: the start
/// command goes without them, and the note says so.
#[test]
fn a_dockerfile_start_loses_its_development_flags() {
    let app = fixture("fastapi-settings-variants");
    assert_eq!(app.start_command, ["uvicorn", "svc.main:app", "--host", "0.0.0.0", "--port", "8080"]);
    let note = findings(&app, "start-from-dockerfile");
    assert_eq!(note.len(), 1);
    assert!(note[0].message.contains("`--reload`, `--reload-dir`"), "{}", note[0].message);
    assert!(!note[0].message.contains("--reload svc"), "{}", note[0].message);
}
