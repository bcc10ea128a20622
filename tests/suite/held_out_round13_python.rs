//! Held-out round 13's Python classes, each in a fixture of its own (tests/fixtures/apps):
//! variables a library reads itself (`dj_database_url.config()` reads `DATABASE_URL`) behind
//! a membership test, and exact pins of compiled packages that install only on the Python of
//! their day; a server the requirements lack, which the image adds.

use crate::app_fixtures::{profile as fixture, variable};

/// `if "DATABASE_URL" in os.environ: ... dj_database_url.config(...)`: the app reads
/// DATABASE_URL, a secret it does not require; `dj_email_url.config(env="MAIL_URL")` reads
/// the name it is given.
#[test]
fn variables_a_library_reads_itself() {
    let app = fixture("django-database-url-membership");
    let url = variable(&app, "DATABASE_URL");
    assert!(url.secret && !url.required, "{url:?}");
    assert_eq!(url.source, "catalog/settings.py:23");
    assert_eq!(variable(&app, "MAIL_URL").source, "catalog/settings.py:30");
    assert!(!app.variables.iter().any(|v| v.name == "EMAIL_URL"), "the call names MAIL_URL instead");
}

/// `Pillow==7.1.1` has wheels up to Python 3.8: with no version stated, the image is built on
/// 3.8, where pip installs it, not on the newest Python, where it would build from source.
#[test]
fn old_compiled_pins_choose_the_python_they_install_on() {
    let app = fixture("flask-old-pins");
    let runtime = app.runtime.as_ref().expect("python");
    assert_eq!(runtime.version, "3.8");
    assert_eq!(runtime.source, "requirements.txt:4 (pillow==7.1.1 has wheels up to Python 3.8)");
    let current = fixture("django-database-url-membership");
    assert!(current.runtime.as_ref().is_some_and(|r| r.source.starts_with("default")), "current pins say nothing");
}

/// A Flask factory whose requirements have no production server (the README says `flask run`):
/// the image installs gunicorn beside them, bounded to its major version, and runs it on all
/// interfaces; a warning says to add it to the requirements.
#[test]
fn a_server_the_requirements_lack_is_added_to_the_image() {
    let app = fixture("flask-factory-no-server");
    assert_eq!(
        app.start_command,
        ["gunicorn", "--bind", "0.0.0.0:8000", "--access-logfile", "-", "photos:create_app()"]
    );
    assert_eq!(app.added_packages, ["gunicorn<24"]);
    let warning = app.findings.iter().find(|f| f.kind == "no-production-server").expect("said");
    assert_eq!(warning.level, ferry::model::FindingLevel::Warning, "{warning:?}");
    assert!(
        !app.findings
            .iter()
            .any(|f| f.level == ferry::model::FindingLevel::Blocker && f.kind == "no-production-server")
    );
    // The image's install line is in app_analysis's golden Dockerfile, which hadolint checks.
}
