//! Round 12's start-command classes around the repository's own image: an entrypoint script
//! that turns the environment into the settings file the app reads, while ferry's start
//! command runs the server without it; and a command that runs what only an optional extra
//! installs, with a file logger kept from the image's command.

use crate::app_fixtures::{findings, profile as fixture, variable};

use ferry::model::FindingLevel;

/// The entrypoint writes `/etc/ledger/ledger.cfg` from `$LEDGER_SECRET_KEY` and friends and
/// then runs gunicorn; ferry's image cannot run it (root's /etc, uid 1000), so the server runs
/// directly and a blocker says the variables reach the app only through that script. The
/// variables stay listed, read where the script templates them.
#[test]
fn variables_templated_into_a_config_file_by_a_skipped_entrypoint() {
    let app = fixture("ledger-entrypoint-config");
    assert_eq!(app.start_command.first().map(String::as_str), Some("gunicorn"), "{:?}", app.start_command);
    let found = findings(&app, "config-from-entrypoint");
    assert_eq!(found.len(), 1, "{:?}", app.findings);
    assert_eq!((found[0].level, found[0].source.as_str()), (FindingLevel::Blocker, "docker/entrypoint.sh:5"));
    assert!(found[0].message.contains("/etc/ledger/ledger.cfg"), "{}", found[0].message);
    assert!(found[0].fix.as_deref().is_some_and(|fix| fix.contains("uid 1000")), "{:?}", found[0].fix);
    let secret = variable(&app, "LEDGER_SECRET_KEY");
    assert!(secret.secret);
    assert_eq!(secret.source, "docker/entrypoint.sh:6");
    assert_eq!(variable(&app, "LEDGER_DATABASE_URL").source, "docker/entrypoint.sh:7");
}

/// `./manage.py pyuwsgi` is a management command `django-webserver[pyuwsgi]` brings, listed
/// only in setup.cfg's `deploy` extra: the image installs that extra. The image's
/// `--logger file:/var/log/uwsgi.log` is dropped, so the server logs to its output.
#[test]
fn a_server_only_an_extra_installs_and_a_file_logger() {
    let app = fixture("pastebin-server-extra");
    assert_eq!(app.install_extras, ["deploy"]);
    let extra = findings(&app, "install-extra");
    assert!(extra.iter().any(|f| f.source == "setup.cfg:13" && f.message.contains("pyuwsgi")), "{extra:?}");
    assert_eq!(app.start_command, ["./manage.py", "pyuwsgi", "--http=:8000"]);
    let dropped = findings(&app, "log-file-dropped");
    assert!(dropped.iter().any(|f| f.message.contains("file:/var/log/uwsgi.log")), "{dropped:?}");
}
