//! The Python, Go and Java failure classes of held-out round 9, each reproduced in a fixture of
//! its own (tests/fixtures/apps): a project runner dropped with its own options, a profiling
//! listener beside the server, a sub-router mounted under a path, the environment read through
//! a small helper, files a build tag leaves out, and secrets judged by their names.

use crate::app_fixtures::{findings, profile as fixture, variable};

use ferry::model::FindingLevel;

/// `uv run --no-dev --locked -- gunicorn ...`: the runner's own options and the `--` that ends
/// them go with it, or the image's command would start with `--no-dev`.
#[test]
fn a_uv_runner_goes_with_its_options() {
    let app = fixture("python-uv-run-options");
    assert_eq!(app.start_command, ["gunicorn", "--bind", "0.0.0.0:8000", "app:app"]);
    assert_eq!(app.port, 8000);
    assert!(findings(&app, "start-adjusted").iter().any(|f| f.message.contains("`uv run` dropped")));
}

/// A pprof listener on 127.0.0.1:6060 behind a flag is a side door: the port is the server's
/// (3000, from its settings), and no loopback blocker is raised on the side door. The health
/// route a handler registers on the router mounted at `/api` answers at `/api/health`.
#[test]
fn a_profiling_listener_and_a_mounted_sub_router() {
    let app = fixture("go-chi-pprof-mounted");
    assert_eq!(app.port, 3000, "{}", app.port_source);
    assert!(
        !app.findings.iter().any(|f| f.kind == "loopback-bind" && f.level == FindingLevel::Blocker),
        "{:?}",
        findings(&app, "loopback-bind")
    );
    assert_eq!((app.health_check_path.as_str(), app.health_source.as_str()), ("/api/health", "handlers/status.go:14"));
}

/// `opt("FEEDS_ADDR", "127.0.0.1:7070")` as a flag's default: each call of the helper is a
/// variable with its default; the loopback default is set to every interface on the service.
#[test]
fn the_environment_read_through_a_small_helper() {
    let app = fixture("go-env-helper-flags");
    let addr = variable(&app, "FEEDS_ADDR");
    assert_eq!((addr.default.as_deref(), addr.source.as_str()), (Some("127.0.0.1:7070"), "cmd/feeds/main.go:22"));
    assert_eq!(variable(&app, "FEEDS_DB").default, None);
    assert!(variable(&app, "FEEDS_AUTH_PASSWORD").secret);
    assert_eq!(app.port, 7070, "{}", app.port_source);
    let set = app.env.iter().find(|e| e.name == "FEEDS_ADDR").expect("the service sets the address");
    assert_eq!(set.value.as_deref(), Some("0.0.0.0:7070"));
    let loopback = findings(&app, "loopback-bind");
    assert!(!loopback.is_empty() && loopback.iter().all(|f| f.level == FindingLevel::Info), "{loopback:?}");
}

/// Files behind `//go:build devassets` or `windows`, or named `_windows.go`, are not in the
/// binary: their disk reads and variables are not the service's.
#[test]
fn files_a_build_tag_leaves_out() {
    let app = fixture("go-build-tagged-assets");
    assert!(findings(&app, "files-at-runtime").is_empty(), "{:?}", findings(&app, "files-at-runtime"));
    for name in ["SYSTEMROOT", "NOTES_ASSETS_DIR", "NOTES_WINDOWS_BROWSER"] {
        assert!(!app.variables.iter().any(|v| v.name == name), "{name} is read only by files left out");
    }
    assert_eq!(app.port, 8090);
    assert_eq!(app.health_check_path, "/ping");
}

/// `configs/test.py` and `configs/development.py` set filesystem sessions and SQLite for the
/// tests and a developer's run; the app loads its default configuration, with database
/// sessions and a database from the environment. Neither finding is the service's.
#[test]
fn test_and_development_configurations_are_no_evidence() {
    let app = fixture("flask-test-configs");
    assert!(findings(&app, "in-memory-sessions").is_empty(), "{:?}", findings(&app, "in-memory-sessions"));
    assert!(findings(&app, "sqlite").is_empty(), "{:?}", findings(&app, "sqlite"));
    assert!(variable(&app, "NOTEBOOK_DATABASE_URL").required);
}

/// A salt with a committed default is a secret; a header's key (`X-User`) is a header name.
#[test]
fn secrets_by_name_salt_and_header_keys() {
    let app = fixture("flask-test-configs");
    assert!(variable(&app, "NOTEBOOK_SALT").secret);
    assert!(!variable(&app, "NOTEBOOK_TRUSTED_HEADER_KEY").secret);
    let committed: Vec<&str> = findings(&app, "secret-default").iter().map(|f| f.message.as_str()).collect();
    assert!(committed.iter().any(|m| m.starts_with("NOTEBOOK_SALT")), "{committed:?}");
    assert!(!committed.iter().any(|m| m.contains("NOTEBOOK_TRUSTED_HEADER_KEY")), "{committed:?}");
}

/// nginx in the same image answers on the `EXPOSE 80` and proxies to gunicorn on 8000: the app
/// server's port is 8000. Its wsgi.py names no settings module; the repository's gunicorn
/// script does, so the service sets it.
#[test]
fn django_behind_nginx_in_one_image_without_a_settings_default() {
    let app = fixture("django-nginx-front");
    assert_eq!(app.port, 8000, "{}", app.port_source);
    assert!(app.port_source.starts_with("docker/nginx/site.conf:11"), "{}", app.port_source);
    assert!(!app.start_command.iter().any(|w| w.contains(":80") && !w.contains(":8000")), "{:?}", app.start_command);
    assert!(findings(&app, "low-port").is_empty());
    let module = app.env.iter().find(|e| e.name == "DJANGO_SETTINGS_MODULE").expect("the service names the settings");
    assert_eq!(module.value.as_deref(), Some("gallery.settings.container"));
    assert_eq!(findings(&app, "settings-module")[0].source, "gallery/wsgi.py");
}

/// `spring.profiles.active: dev` with a development profile that writes in a database on
/// localhost and its password: the app starts with that profile unless the service says otherwise.
#[test]
fn spring_starts_with_a_development_profile() {
    let app = fixture("spring-dev-profile-active");
    let dev = findings(&app, "dev-profile-default");
    assert_eq!(dev.len(), 1, "{dev:?}");
    assert_eq!((dev[0].level, dev[0].source.as_str()), (FindingLevel::Blocker, "src/main/resources/application.yml:8"));
    assert!(dev[0].message.contains("application-dev.yml:3"), "{}", dev[0].message);
}
