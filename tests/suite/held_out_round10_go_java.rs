//! The Go and Java failure classes of held-out round 10, each reproduced in a fixture of its
//! own (tests/fixtures/apps): a server one folder below a root that holds none, environment
//! names a config library derives from command-line flags, sessions kept in process memory, a
//! route registered only when a setting is on, and an upload folder in a Java constant.

use crate::app_fixtures::{findings, profile as fixture, variable};

use ferry::model::FindingLevel;

/// The root keeps a Dockerfile that copies a prebuilt binary and a Vite front end in `web/`;
/// the server is `server/go.mod`. It is analysed there, and the finding says so.
#[test]
fn a_go_server_one_folder_down() {
    let app = fixture("go-server-in-subfolder");
    let runtime = app.runtime.as_ref().expect("go is found in server/");
    assert_eq!((runtime.name.as_str(), runtime.version.as_str()), ("go", "1.23"));
    assert_eq!(app.start_command, ["/app/reader"]);
    assert_eq!(app.port, 7300, "{}", app.port_source);
    for kind in ["no-runtime", "no-start-command", "port-unknown"] {
        assert!(findings(&app, kind).is_empty(), "{kind}: {:?}", findings(&app, kind));
    }
    // `gin.SetMode(gin.ReleaseMode)` in main: GIN_MODE changes nothing.
    assert!(findings(&app, "debug-default").is_empty(), "{:?}", findings(&app, "debug-default"));
    let said = findings(&app, "server-in-subfolder");
    assert!(said.len() == 1 && said[0].source == "server/go.mod", "{said:?}");
}

/// cobra flags on the root command (and in a helper it hands its flag set to) bound to viper
/// with `SetEnvPrefix("SHELF")`, `AutomaticEnv()` and a snake_case key replacer in another
/// file: each is `SHELF_<SNAKE>` with the flag's default. A subcommand's flag is not the
/// server's. The loopback default of the address is set to every interface on the service,
/// and a URL whose description shows a password is a secret.
#[test]
fn variables_named_by_cobra_flags_through_viper() {
    let app = fixture("go-cobra-viper-flags");
    let host = variable(&app, "SHELF_BIND_HOST");
    assert_eq!((host.default.as_deref(), host.source.as_str()), (Some("127.0.0.1"), "cmd/root.go:37"));
    assert_eq!(variable(&app, "SHELF_STORE").default.as_deref(), Some("./shelf.db"));
    assert_eq!(app.port, 8088, "{}", app.port_source);
    assert!(variable(&app, "SHELF_ADMIN_SECRET").secret);
    assert!(variable(&app, "SHELF_QUEUE_URL").secret);
    assert!(!app.variables.iter().any(|v| v.name == "SHELF_READ_ONLY"), "a subcommand's flag");
    let set = app.env.iter().find(|e| e.name == "SHELF_BIND_HOST").expect("the service sets the address");
    assert_eq!(set.value.as_deref(), Some("0.0.0.0"));
    let loopback = findings(&app, "loopback-bind");
    assert!(!loopback.is_empty() && loopback.iter().all(|f| f.level == FindingLevel::Info), "{loopback:?}");
}

/// A Go handler struct keeps its sessions in `map[string]int64` behind a mutex: each task has
/// its own table, so a second task logs the user out.
#[test]
fn a_go_session_table_in_the_process() {
    let app = fixture("go-server-in-subfolder");
    let sessions = findings(&app, "in-memory-sessions");
    assert!(
        sessions.len() == 1
            && sessions[0].level == FindingLevel::Blocker
            && sessions[0].source == "internal/web/web.go:13",
        "{sessions:?}"
    );
}

/// A servlet interceptor reads the login from `request.getSession()` and the build has Spring
/// Session's core without a store: the sessions live in the JVM.
#[test]
fn servlet_sessions_without_a_store() {
    let app = fixture("java-servlet-session-uploads");
    let sessions = findings(&app, "in-memory-sessions");
    assert!(
        sessions.len() == 1
            && sessions[0].level == FindingLevel::Blocker
            && sessions[0].source == "src/main/java/org/example/gallery/web/CuratorGuard.java:13",
        "{sessions:?}"
    );
}

/// Uploads go to the folder in `Folders.PICTURE_DIR`, a Windows path in a `static final
/// String`: a blocker that names the constant, not the URL prefix beside it.
#[test]
fn an_upload_folder_fixed_in_a_java_constant() {
    let app = fixture("java-servlet-session-uploads");
    let writes = findings(&app, "local-disk-writes");
    assert!(writes.len() == 1 && writes[0].level == FindingLevel::Blocker, "{writes:?}");
    assert_eq!(writes[0].source, "src/main/java/org/example/gallery/config/Folders.java:5");
    assert!(writes[0].message.contains("PICTURE_DIR") && writes[0].message.contains("Windows path"), "{writes:?}");
}

/// The sign-in routes are registered only `if w.ssoIssuer != ""`: by default they answer 404,
/// so the open route registered always is the one checked.
#[test]
fn a_route_behind_a_setting_is_no_health_path() {
    let app = fixture("go-server-in-subfolder");
    assert_eq!(
        (app.health_check_path.as_str(), app.health_source.as_str()),
        ("/v1/sso/available", "internal/web/web.go:24")
    );
}
