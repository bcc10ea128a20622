//! Round 22's precision audit of Python, Go and Java servers (helper x): django-environ's
//! scheme gives every name it lists a default, a store's or a side server's port is not the
//! app's, a Maven reactor beside a worker may hold the server, and the Maven wrapper is build
//! tooling.

use crate::app_fixtures::{findings, profile as fixture};

/// `environ.Env(BUCKET_NAME=(str, None), ALLOWED_HOSTS=(list, ["*"]), ...)`: a bare
/// `env("BUCKET_NAME")` then returns the scheme's default, so nothing it lists is required,
/// ALLOWED_HOSTS is `*` when unset, and the cache read under `if os.environ.get(...)` is
/// optional.
#[test]
fn an_environ_scheme_gives_defaults_to_what_it_lists() {
    let app = fixture("django-environ-scheme");
    let required: Vec<&str> = findings(&app, "required-env").iter().map(|f| f.message.as_str()).collect();
    for name in ["BUCKET_NAME", "BUCKET_REGION", "RECEIPT_STORAGE", "ALLOWED_HOSTS", "CACHE_URL", "DEBUG"] {
        assert!(!required.iter().any(|m| m.contains(&format!(" {name} "))), "{name}: {required:?}");
    }
    assert!(required.iter().any(|m| m.contains("SECRET_KEY")), "{required:?}");
    assert!(findings(&app, "hard-coded-hosts").is_empty(), "{:?}", app.findings);
}

/// `KV_PORT` is the key-value store's, `INDEXER_PORT` the search engine's and
/// `EVENT_STREAM_PORT` a second server's: none is where gunicorn serves the app, and the
/// stores' localhost hosts are addresses the app calls, not ones it binds.
#[test]
fn a_stores_or_side_servers_port_is_not_the_apps() {
    let app = fixture("flask-side-service-ports");
    assert!(![6379, 7700, 5001].contains(&app.port), "{} ({})", app.port, app.port_source);
    let loopback: Vec<String> = findings(&app, "loopback-bind").iter().map(|f| f.message.clone()).collect();
    assert!(!loopback.iter().any(|m| m.contains("KV_HOST") || m.contains("INDEXER_HOST")), "{loopback:?}");
}

/// The root's reactor builds `api/` (itself a reactor whose `web` module serves) and
/// `notifier/`, a queue listener: ferry does not pick the notifier as the only server.
#[test]
fn a_reactor_beside_a_worker_may_hold_the_server() {
    let app = fixture("java-reactor-beside-worker");
    assert!(findings(&app, "server-in-subfolder").is_empty(), "{:?}", app.findings);
    assert!(!findings(&app, "several-servers").is_empty(), "{:?}", app.findings);
    assert!(
        !app.build_command.as_ref().is_some_and(|c| c.contains(&"notifier".to_string())),
        "{:?}",
        app.build_command
    );
}

/// `.mvn/wrapper/MavenWrapperDownloader.java` reads a proxy login to fetch Maven: the build
/// machine's, never the running app's.
#[test]
fn the_maven_wrapper_is_build_tooling() {
    let app = fixture("java-maven-wrapper-downloader");
    let runtime: Vec<&str> = app
        .variables
        .iter()
        .filter(|v| v.scope == ferry::model::VariableScope::Runtime)
        .map(|v| v.name.as_str())
        .collect();
    assert!(!runtime.contains(&"MVNW_USERNAME") && !runtime.contains(&"MVNW_PASSWORD"), "{runtime:?}");
    assert_eq!(app.port, 8081, "{}", app.port_source);
}
