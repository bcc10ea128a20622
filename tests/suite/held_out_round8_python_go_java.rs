//! The Python, Go and Java failure classes of held-out round 8, each reproduced in a fixture of
//! its own (tests/fixtures/apps): an app a launcher hands to uvicorn by name, configuration
//! classes only tests or development select, settings only a task worker uses, host matching
//! that fails health checks, secrets and debug written into settings, maintainers' scripts for
//! another shell, schema changes at every start, and what frameworks read themselves.

use crate::app_fixtures::{findings, profile as fixture, variable};

use ferry::model::{FindingLevel, VariableScope};

/// `uvicorn.run("api.main:application", reload=...)` in a launcher names what the server
/// imports, though a factory builds it; the docs a FastAPI app turns off only in production
/// answer otherwise; a broker only the Celery worker uses does not block the web service.
#[test]
fn a_fastapi_app_started_by_a_launcher() {
    let app = fixture("python-uvicorn-launcher");
    assert_eq!(app.start_command, ["uvicorn", "api.main:application", "--host", "0.0.0.0", "--port", "8000"]);
    assert!(app.start_source.contains("run.py:6"), "{}", app.start_source);
    assert!(!app.findings.iter().any(|f| f.kind == "no-app-object" || f.kind == "no-start-command"));
    assert_eq!((app.health_check_path.as_str(), app.health_source.as_str()), ("/docs", "api/main.py:7"));
    let broker = findings(&app, "localhost-default-host")
        .into_iter()
        .find(|f| f.message.starts_with("QUEUE_BROKER_URL"))
        .expect("the broker's localhost default is said");
    assert_eq!(broker.level, FindingLevel::Warning, "{}", broker.message);
    assert!(broker.message.contains("jobs/__init__.py:5"), "{}", broker.message);
}

/// Flask configuration classes: a class body runs at import, so `os.environ["X"]` there is
/// required, and a method's read is not; what `TestingConfig` and `DevelopmentConfig` read is
/// not the service's. `SERVER_NAME` makes Flask refuse the health check's host. The
/// maintainers' Alpine script (a venv, `[[`) gives way to the server it starts.
#[test]
fn flask_configuration_classes_and_an_alpine_boot_script() {
    let app = fixture("flask-config-classes");
    assert!(variable(&app, "SERVER_NAME").required);
    assert!(!variable(&app, "ADMIN_EMAIL").required, "read when init_app is called, not at import");
    assert_eq!(variable(&app, "TEST_DATABASE_URL").scope, VariableScope::Tooling);
    assert_eq!(variable(&app, "DEV_DATABASE_URL").scope, VariableScope::Tooling);
    let sqlite: Vec<&str> = findings(&app, "sqlite").iter().map(|f| f.source.as_str()).collect();
    assert_eq!(sqlite, ["config.py:17"], "only the production class's default counts");
    let host = findings(&app, "server-name-host-check");
    assert_eq!((host[0].level, host[0].source.as_str()), (FindingLevel::Blocker, "config.py:18"));
    assert_eq!(app.start_command, ["gunicorn", "-b", ":5000", "--access-logfile", "-", "notes:app"]);
    assert!(app.start_source.starts_with("boot.sh:10"), "{}", app.start_source);
}

/// Django settings that write the secret key and DEBUG in: blockers at their lines. An `sh`
/// script written with bash's words runs under bash in ferry's Debian image.
#[test]
fn django_settings_written_in_and_a_script_for_another_shell() {
    let app = fixture("django-literal-settings");
    let at = |kind: &str| findings(&app, kind).iter().map(|f| (f.level, f.source.clone())).collect::<Vec<_>>();
    assert_eq!(at("secret-default"), [(FindingLevel::Blocker, "site_config/settings.py:5".to_string())]);
    assert_eq!(at("debug-default"), [(FindingLevel::Blocker, "site_config/settings.py:7".to_string())]);
    assert_eq!(app.start_command, ["bash", "./start.sh"]);
}

/// Spring: Hibernate's `ddl-auto=update` migrates at every start; a fixed `server.port` is set
/// through `SERVER_PORT`; a route that requires a query parameter answers 400, and a bare
/// `@GetMapping` maps its controller's path.
#[test]
fn spring_schema_updates_port_and_health() {
    let app = fixture("spring-ddl-auto");
    let migrations = findings(&app, "migrations-at-start");
    assert_eq!(migrations[0].source, "src/main/resources/application.properties:3");
    assert_eq!(variable(&app, "SERVER_PORT").default.as_deref(), Some("8080"));
    assert_ne!(app.health_check_path, "/api/taken", "it needs ?title");
    assert!(["/api/books", "/authors"].contains(&app.health_check_path.as_str()), "{}", app.health_check_path);
}

/// Gin reads GIN_MODE itself, and PORT when run without an address; GORM's AutoMigrate alters
/// the tables at every start.
#[test]
fn gin_reads_its_own_settings_and_gorm_migrates() {
    let app = fixture("go-gin-automigrate");
    assert_eq!(variable(&app, "PORT").default.as_deref(), Some("8080"));
    assert_eq!(variable(&app, "PORT").source, "main.go:25");
    assert_eq!(variable(&app, "GIN_MODE").default.as_deref(), Some("debug"));
    assert_eq!(app.port, 8080);
    let debug = findings(&app, "debug-default");
    assert_eq!(debug[0].level, FindingLevel::Warning);
    assert_eq!(findings(&app, "migrations-at-start")[0].source, "main.go:21");
}
