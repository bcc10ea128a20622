//! Blind round 17's classes fixed outside the helpers' branches, each in a fixture of its own
//! (tests/fixtures/apps) or a few files in memory: springdoc's API description as the check of
//! a Spring app whose routes all need a login, a FastAPI app made by a factory at module level,
//! a start command's port under 1024 moved where the image's user can bind, and a public build
//! argument hadolint would read as a secret.

use crate::app_fixtures::{findings, profile as fixture};

use ferry::analyze::AppFiles;

/// Every controller route needs a token, but the security chain opens `/v3/api-docs` through a
/// constant array (`requestMatchers(OPEN_URLS).permitAll()`), and springdoc serves it: the
/// service checks it, with the warning that a health route says more.
#[test]
fn springdoc_is_checked_when_every_route_needs_a_login() {
    let app = fixture("spring-springdoc-behind-security");
    assert_eq!((app.health_check_path.as_str(), app.health_source.as_str()), ("/v3/api-docs", "pom.xml:25"));
    let warnings = findings(&app, "no-health-route");
    assert_eq!(warnings.len(), 1, "{:?}", app.findings);
    assert!(warnings[0].message.contains("springdoc"), "{}", warnings[0].message);
}

/// `app = create_app()` at the bottom of `app/main.py`, whose `create_app` builds the
/// `FastAPI(...)`: the served object, and the start serves it.
#[test]
fn a_fastapi_app_made_by_a_factory_at_module_level_is_served() {
    let main = "from fastapi import FastAPI\n\n\ndef create_app() -> FastAPI:\n    app = FastAPI(\n        title=\"Stuff\",\n    )\n    return app\n\n\napp = create_app()\n";
    let files = AppFiles::from_pairs([
        (
            "pyproject.toml",
            "[project]\nname = \"stuff\"\ndependencies = [\"fastapi[all]==0.115.0\", \"uvicorn[standard]==0.30.0\"]\n",
        ),
        ("app/__init__.py", ""),
        ("app/main.py", main),
    ]);
    let facts = ferry::analyze::analyze_source(&files).expect("a Python app");
    assert_eq!(
        facts.entry.as_ref().map(|e| (e.value.as_str(), e.source.as_str())),
        Some(("app.main:app", "app/main.py:11"))
    );
    let start = facts.start.expect("a start command").value;
    assert_eq!(start[..2], ["uvicorn".to_string(), "app.main:app".to_string()], "{start:?}");
    assert!(!facts.findings.iter().any(|f| f.kind == "no-app-object"), "{:?}", facts.findings);
}

/// The repository's image binds gunicorn to port 80, which the image's unprivileged user
/// cannot: ferry's command listens on 8080 and the service follows, said as an info; the
/// low-port warning, which asked the operator to do the same, is not raised.
#[test]
fn a_start_command_port_under_1024_moves_to_8080() {
    let dockerfile = "FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\nRUN pip install -r requirements.txt\nEXPOSE 80\nCMD [\"gunicorn\", \"-b\", \"0.0.0.0:80\", \"echo:app\", \"-k\", \"gevent\"]\n";
    let dir = tempfile::tempdir().expect("a folder");
    for (path, text) in [
        ("Dockerfile", dockerfile),
        ("requirements.txt", "flask==3.0.3\ngunicorn==22.0.0\ngevent==24.2.1\n"),
        (
            "echo.py",
            "from flask import Flask\n\napp = Flask(__name__)\n\n\n@app.route('/')\ndef index():\n    return 'ok'\n",
        ),
    ] {
        std::fs::write(dir.path().join(path), text).expect("write");
    }
    let files = AppFiles::read(dir.path()).expect("the folder reads");
    let app = ferry::analyze::analyze_folder(&files);
    assert_eq!(app.port, 8080);
    assert_eq!(app.start_command.join(" "), "gunicorn -b 0.0.0.0:8080 echo:app -k gevent");
    assert_eq!(findings(&app, "port-moved").len(), 1, "{:?}", app.findings);
    assert!(findings(&app, "low-port").is_empty(), "{:?}", app.findings);
}
