//! Round 12's findings that a reading of the code contradicted, each in a fixture of its own:
//! a log switch is no debug mode, a helper named for a boolean parses a flag (no secret), a
//! computed default is its result, an add-on's compose file is not the app's, a comment or
//! docstring naming the metadata service calls nothing, a reader bound to `os.environ.get`
//! requires nothing, a media folder nothing writes to loses nothing, and a management port
//! equal to the app's is no port of its own; a path a Next.js middleware answers, and a login
//! page that redirects by default, for the health check.

use crate::app_fixtures::{findings, profile as fixture, variable};

use ferry::model::FindingLevel;

/// `LOGS_DEBUG` defaults to true but only adds lines to the server's log; `getEnvBoolean(X)`
/// reads a flag; `TURN_SERVER_CREDENTIAL` is a credential; `25 * 1024 * 1024` is 26214400.
#[test]
fn switches_flags_credentials_and_computed_defaults() {
    let app = fixture("express-log-debug-switches");
    assert!(findings(&app, "debug-default").is_empty(), "{:?}", app.findings);
    assert!(!variable(&app, "HOST_USER_AUTH").secret);
    assert!(variable(&app, "TURN_SERVER_CREDENTIAL").secret);
    assert_eq!(variable(&app, "MAX_RECORDING_BYTES").default.as_deref(), Some("26214400"));
}

/// A compose file for an add-on (another project's image) says nothing of the app's disk, a
/// block comment naming 169.254.169.254 calls nothing, and a mobile client is not the server.
#[test]
fn an_add_on_compose_file_and_a_comment_are_not_the_app() {
    let app = fixture("express-log-debug-switches");
    assert!(findings(&app, "local-disk-writes").is_empty(), "{:?}", app.findings);
    assert!(findings(&app, "instance-metadata").is_empty(), "{:?}", app.findings);
    // The React Native client beside the server talks to a developer's address, not the task.
    assert!(findings(&app, "hard-coded-address").is_empty(), "{:?}", app.findings);
}

/// `env = os.environ.get`: `env("DEBUG") == "True"` is False when unset, so nothing is
/// required; `MEDIA_ROOT` is set but no model, view or app stores a file there; a docstring
/// names the metadata service.
#[test]
fn a_lenient_reader_an_unused_media_folder_and_a_docstring() {
    let app = fixture("django-lenient-env-media");
    assert!(!variable(&app, "DEBUG").required);
    let required: Vec<&str> = findings(&app, "required-env").iter().map(|f| f.source.as_str()).collect();
    assert!(!required.contains(&"pastes/settings/base.py:8"), "{required:?}");
    assert!(findings(&app, "local-disk-writes").is_empty(), "{:?}", app.findings);
    assert!(findings(&app, "instance-metadata").is_empty(), "{:?}", app.findings);
}

/// `management.server.port: 9000` beside `server.port: ${SERVER_PORT:9000}`: Actuator answers
/// on the app's port, which is said, not warned; `exposure.include: "*"` is.
#[test]
fn a_management_port_equal_to_the_apps_and_every_endpoint_exposed() {
    let app = fixture("spring-actuator-same-port");
    let port = findings(&app, "actuator-port");
    assert!(port.len() == 1 && port[0].level == FindingLevel::Info, "{port:?}");
    let exposed = findings(&app, "actuator-exposed");
    assert_eq!(
        exposed.iter().map(|f| (f.level, f.source.as_str())).collect::<Vec<_>>(),
        [(FindingLevel::Warning, "src/main/resources/application.yml:8")]
    );
}

/// A Next.js middleware answers `/ping` itself before it sends visitors without a session to
/// the login: that path is the health check, not the redirected root.
#[test]
fn a_path_the_next_middleware_answers_itself() {
    let app = fixture("next-middleware-ping");
    assert_eq!((app.health_check_path.as_str(), app.health_source.as_str()), ("/ping", "middleware.ts:7"));
}

/// A login page whose handler ends in a redirect at its own depth sends visitors away unless
/// logins are on: it is no open page to check; an open page is.
#[test]
fn a_login_page_that_redirects_by_default_is_not_checked() {
    let app = fixture("express-login-redirects");
    assert_eq!((app.health_check_path.as_str(), app.health_source.as_str()), ("/about", "server.js:21"));
}

/// Nest on its Fastify adapter with `app.listen(PORT)`: Fastify binds localhost unless
/// listen() is given a host, so the load balancer cannot reach the task. The port is the
/// constant's, `const PORT = 8000`, not Nest's default.
#[test]
fn nest_on_fastify_listening_without_a_host() {
    let app = fixture("nest-fastify-listen");
    assert_eq!((app.port, app.port_source.as_str()), (8000, "src/main.ts:11"));
    let bind = findings(&app, "loopback-bind");
    assert_eq!(
        bind.iter().map(|f| (f.level, f.source.as_str())).collect::<Vec<_>>(),
        [(FindingLevel::Blocker, "src/main.ts:11")]
    );
}
