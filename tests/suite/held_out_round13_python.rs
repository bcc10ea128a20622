//! Held-out round 13's Python classes, each in a fixture of its own (tests/fixtures/apps):
//! variables a library reads itself (`dj_database_url.config()` reads `DATABASE_URL`) behind
//! a membership test, and exact pins of compiled packages that install only on the Python of
//! their day.

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
