//! Round 17's Python classes, each reproduced in a fixture of its own (tests/fixtures/apps):
//! a start command taken from the main compose file's app service, a health router mounted at
//! a prefix, a scheduler dependency the served code never starts, a committed `.env` that
//! pydantic-settings loads, Django uploads on the local disk, and images that must build.

use crate::app_fixtures::{findings, profile as fixture, variable};

use ferry::model::FindingLevel;

/// No Dockerfile command and no Procfile: the compose service built from `.` runs
/// `bash -c "uvicorn ... --reload"` over several lines. Its server is the start, without the
/// reloader, and its `--port` the app's port. The health router is mounted over several lines
/// at `/v2/open/health`, which answers 404: its route `/db` answers below it.
#[test]
fn the_compose_command_starts_it_and_the_health_router_answers_below_its_prefix() {
    let app = fixture("fastapi-compose-router-health");
    assert_eq!(app.start_command, ["uvicorn", "app.main:app", "--host", "0.0.0.0", "--port", "8181", "--use-colors"]);
    assert_eq!(app.start_source, "compose.yml:6 (the app service's `command:`)");
    assert_eq!(app.port, 8181, "{}", app.port_source);
    assert_eq!(
        (app.health_check_path.as_str(), app.health_source.as_str()),
        ("/v2/open/health/db", "app/api/health.py:6")
    );
    assert_eq!(findings(&app, "start-from-compose").len(), 1);
}

/// Models keep files (`FileField`) under `MEDIA_ROOT` with Django's default storage: uploads
/// stay on one task's disk, a blocker at the setting. The server imports wsgi.py, whose
/// default settings module (`live`) is the running app's, not manage.py's (`dev`). The tree
/// is no package (pyproject.toml and setup.cfg hold only tools' sections): its production
/// requirement file, which includes the rest, is what installs it.
#[test]
fn django_uploads_on_local_disk_the_served_settings_and_requirements_not_a_package() {
    let app = fixture("django-media-split-settings");
    let disk = findings(&app, "local-disk-writes");
    assert_eq!(disk.len(), 1, "{:?}", app.findings);
    assert_eq!((disk[0].level, disk[0].source.as_str()), (FindingLevel::Blocker, "quarry/settings/base.py:14"));
    assert!(disk[0].message.contains("papers/models.py:6"), "{}", disk[0].message);
    let settings = variable(&app, "DJANGO_SETTINGS_MODULE");
    assert_eq!(
        (settings.default.as_deref(), settings.source.as_str()),
        (Some("quarry.settings.live"), "quarry/wsgi.py:5")
    );
    assert_eq!(app.package_manager_source, "requirements/production.txt");
    assert_eq!(app.install_files, ["requirements/production.txt", "requirements/base.txt"]);
}

/// gunicorn is in the Pipfile's `[packages]`, which pipenv installs: the start's server is one
/// the dependencies list, so no `no-production-server` is said. A package pulled from git
/// (Pipfile.lock's `"git"`) needs git in the build, and meinheld, which publishes only its
/// source, a compiler.
#[test]
fn a_pipfile_lists_the_server_and_a_git_package_needs_git_to_build() {
    let app = fixture("flask-pipenv-git-lock");
    assert!(findings(&app, "no-production-server").is_empty(), "{:?}", app.findings);
    assert_eq!(app.system_packages, ["gcc", "git", "libc6-dev"]);
    assert!(
        app.system_packages_source.contains("a package fetched with git (Pipfile:10)"),
        "{}",
        app.system_packages_source
    );
}

/// APScheduler is a dependency, but its wiring in main.py is commented out and the module that
/// imports it is imported by nothing: no scheduler runs, so none is said.
#[test]
fn a_scheduler_dependency_the_served_code_never_starts() {
    let app = fixture("fastapi-compose-router-health");
    assert!(findings(&app, "scheduler").is_empty(), "{:?}", findings(&app, "scheduler"));
}

/// pydantic-settings loads the committed `.env` (`SettingsConfigDict(env_file=".env")`): the
/// secret it sets is said by name at its line, and a required name it sets is not set by
/// "nothing": the committed file, which the image leaves out, sets it.
#[test]
fn a_committed_env_file_loaded_by_pydantic_settings() {
    let app = fixture("fastapi-compose-router-health");
    let committed: Vec<&str> = findings(&app, "secret-default").iter().map(|f| f.source.as_str()).collect();
    assert_eq!(committed, [".env:3"]);
    let json = serde_json::to_string(&app).expect("profile serializes");
    assert!(!json.contains("ledger-local-pass"), "{json}");
    let required = findings(&app, "required-env");
    assert_eq!(required.len(), 4, "{:?}", app.findings);
    let host = required.iter().find(|f| f.source == "app/config.py:8").expect("PG_HOST is required");
    assert!(
        host.message.contains("only the committed .env sets it (.env:1), which the image leaves out"),
        "{}",
        host.message
    );
}
