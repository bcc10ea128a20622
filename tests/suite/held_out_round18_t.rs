//! Python failure classes of held-out round 18, each reproduced in a fixture of its own
//! (tests/fixtures/apps): words in a settings field's docstring taken for fields, another
//! container's compose healthcheck taken for the app's, an image's `ENTRYPOINT` program
//! from its virtualenv with the `CMD` that completes it, a start script run through `uv run`, a
//! docs URL taken for the port, a workspace command-line tool, and an opt-in log file.

use crate::app_fixtures::{findings, profile as fixture, variable};

/// The docstrings under pydantic settings fields say `NOTE:`, `EXAMPLE:` and a `https://` URL:
/// prose, never fields. Loki's healthcheck in compose.observability.yaml is Loki's: the app
/// is the service that builds the repository, and its own `/health` route answers.
#[test]
fn settings_docstrings_and_a_sidecars_healthcheck() {
    let app = fixture("python-settings-docstrings-sidecars");
    let names: Vec<&str> = app.variables.iter().map(|v| v.name.as_str()).collect();
    assert_eq!(names, ["API_KEY", "CORS_ORIGINS", "MODEL_DIR"]);
    assert_eq!(variable(&app, "MODEL_DIR").default.as_deref(), Some("models"));
    assert!(findings(&app, "required-env").is_empty(), "{:?}", findings(&app, "required-env"));
    assert_eq!((app.health_check_path.as_str(), app.health_source.as_str()), ("/health", "transcribe/main.py:10"));
}

/// `ENTRYPOINT ["/guestbook/bin/gunicorn", ...]` with `CMD ["guestbook.run"]`: the image runs
/// both together, and the virtualenv's gunicorn is on PATH in ferry's image by its name.
#[test]
fn an_entrypoint_from_the_images_virtualenv_and_its_cmd() {
    let app = fixture("python-image-venv-entrypoint");
    assert_eq!(app.start_command, ["gunicorn", "-b", "0.0.0.0:8080", "-w", "2", "guestbook.run"]);
    assert_eq!(app.port, 8080);
    assert!(findings(&app, "no-start-command").is_empty());
    assert_eq!(findings(&app, "start-from-dockerfile").len(), 1);
}

/// A start script that migrates with `uv run` and then runs `uv run gunicorn ... --bind
/// 0.0.0.0:8000` (no `exec`): ferry's runtime stage has the environment but not uv, so the
/// server line runs without the runner. `DOCS_URL = "http://0.0.0.0:4000"` in the settings is
/// where a docs server is reached, not the app's port.
#[test]
fn a_start_script_through_uv_and_a_docs_url_in_the_settings() {
    let app = fixture("django-uv-start-script-docs-url");
    assert_eq!(app.start_command, ["gunicorn", "catalog.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3"]);
    assert_eq!(app.start_source, "deploy/start.sh:4 (run by Dockerfile:7, the repository's own image)");
    assert_eq!(app.port, 8000, "{}", app.port_source);
    assert_eq!(findings(&app, "migrations-at-start").len(), 1);
    assert!(findings(&app, "start-adjusted").iter().any(|f| f.message.contains("`uv run` dropped")));
}

/// A uv workspace member with a console script of its own (`packages/relay-cli`) that the app
/// does not depend on is a command-line tool its users install: its `RELAY_BASE_URL` is
/// tooling, with no localhost blocker. `if log_path:` then `FileHandler(log_path)`: a log
/// file is written only when an operator names one, so no log-files warning.
#[test]
fn a_workspace_command_line_tool_and_an_optional_log_file() {
    let app = fixture("python-workspace-cli-optional-log");
    assert_eq!(variable(&app, "RELAY_BASE_URL").scope, ferry::model::VariableScope::Tooling);
    assert_eq!(variable(&app, "RELAY_TARGET").scope, ferry::model::VariableScope::Runtime);
    assert!(findings(&app, "localhost-default-host").is_empty(), "{:?}", findings(&app, "localhost-default-host"));
    assert!(findings(&app, "log-files").is_empty(), "{:?}", findings(&app, "log-files"));
}
