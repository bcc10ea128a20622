//! Python failure classes of held-out round 19, each reproduced in a fixture of its own
//! (tests/fixtures/apps): a settings class the running settings do not include, URL scheme
//! prefixes taken for committed database URLs, a strict read in a settings class body, a
//! Dockerfile start command's development flags, a Django admin under `i18n_patterns`, and a
//! queue pool the web app itself opens.

use crate::app_fixtures::{findings, profile as fixture, variable};

use ferry::model::FindingLevel;

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

/// The admin sits inside `i18n_patterns(...)`: `/admin/login/` answers 302 to `/fr/admin/login/`
/// (`LANGUAGE_CODE = "fr"`), so the page that answers is the prefixed one.
#[test]
fn an_admin_under_i18n_patterns_answers_under_its_language() {
    let app = fixture("django-i18n-admin");
    assert_eq!(app.health_check_path, "/fr/admin/login/", "{}", app.health_source);
}

/// `app/jobs.py` imports arq to open a job pool, and the web app's lifespan calls it: the web
/// app connects to that host, so its localhost default stays a blocker.
#[test]
fn a_queue_pool_the_web_app_opens_is_no_worker_only_setting() {
    let app = fixture("fastapi-arq-lifespan");
    let hosts = findings(&app, "localhost-default-host");
    let jobs: Vec<_> = hosts.iter().filter(|f| f.message.starts_with("JOBS_REDIS_HOST")).collect();
    assert_eq!(jobs.len(), 1, "{hosts:?}");
    assert_eq!(jobs[0].level, FindingLevel::Blocker, "{}", jobs[0].message);
    assert!(!jobs[0].message.contains("task worker"), "{}", jobs[0].message);
}
