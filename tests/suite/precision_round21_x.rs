//! Round 21's precision audit of Python, Go and Java servers (helper x): a compose file that
//! builds nothing holds the app's surroundings, a side service's Dockerfile on another language
//! is not the app's image, an address named for the outside is never bound, and a
//! `Procfile.prod` names the production mode of a start script that has several.

use crate::app_fixtures::{findings, profile as fixture};

/// The compose file runs Prometheus and Grafana beside an app started elsewhere: Prometheus's
/// `/-/ready` probe is Prometheus's, so the app's own `/healthz` route is checked.
#[test]
fn a_compose_file_that_builds_nothing_gives_no_health_path() {
    let app = fixture("flask-compose-monitoring-only");
    assert_eq!(app.health_check_path, "/healthz", "{}", app.health_source);
    assert_eq!(app.health_source, "app.py:9");
}

/// `Dockerfile.thumbnailer` builds a Node renderer from its own folder: its `CMD` and `EXPOSE`
/// are the renderer's, so the Django app is served by gunicorn on its own port.
#[test]
fn another_languages_dockerfile_is_a_side_service() {
    let app = fixture("django-node-sidecar-dockerfile");
    assert_eq!(app.start_command[0], "gunicorn", "{:?} ({})", app.start_command, app.start_source);
    assert!(app.start_command.contains(&"shelf.wsgi:application".to_string()), "{:?}", app.start_command);
    assert_ne!(app.port, 7000, "{}", app.port_source);
    assert!(findings(&app, "start-from-dockerfile").is_empty(), "{:?}", app.findings);
}

/// `LAB_EXTERN_ADDRESS` is written into the links students follow: the app never binds it, so
/// ferry neither says it listens there nor sets it to every interface.
#[test]
fn an_address_named_for_the_outside_is_never_bound() {
    let app = fixture("flask-extern-address-template");
    assert!(findings(&app, "loopback-bind").is_empty(), "{:?}", app.findings);
    assert!(!app.env.iter().any(|e| e.name == "LAB_EXTERN_ADDRESS"), "{:?}", app.env);
}

/// `Procfile` starts `bin/start.sh serve-dev` (Django's development server); `Procfile.prod`
/// starts `serve`. The production one is the start, and the migration it runs is on the
/// `serve)` branch's line, said as run by the start command itself.
#[test]
fn a_production_procfile_picks_the_scripts_production_mode() {
    let app = fixture("django-procfile-prod-modes");
    assert_eq!(app.start_command, ["./bin/start.sh", "serve"], "{}", app.start_source);
    assert_eq!(app.start_source, "Procfile.prod line 1");
    let migrating = findings(&app, "migrations-at-start");
    assert_eq!(migrating.len(), 1, "{:?}", app.findings);
    assert_eq!(migrating[0].source, "bin/start.sh:11");
    assert!(migrating[0].message.starts_with("the start command runs `bin/start.sh`"), "{}", migrating[0].message);
}
