//! The Go and Java failure classes of held-out round 14, each reproduced in a fixture of its
//! own (tests/fixtures/apps): environment names a helper builds from a constant prefix, the
//! port and bind address a flag sets, the flags of the repository's own entrypoint, and a
//! multi-module Spring build whose settings come from several files and modules.

use crate::app_fixtures::{findings, profile as fixture, variable};

use ferry::model::FindingLevel;

/// `os.Getenv(envPrefix + name)` with `envPrefix = "LEDGER_"`, falling back to the bare name:
/// both names of each call are variables, and the secret ones are marked. The port is the
/// `--listen` flag's, not the SSH default of a helper; the entrypoint's flags stay in the
/// command, and the loopback default of `--bind` is said.
#[test]
fn flags_with_prefixed_environment_fallbacks() {
    let app = fixture("go-flags-prefixed-env");
    for name in ["LEDGER_DATABASE_URL", "DATABASE_URL", "LEDGER_ADMIN_USER", "ADMIN_USER"] {
        assert!(app.variables.iter().any(|v| v.name == name), "{name} is read");
    }
    assert!(variable(&app, "LEDGER_DATABASE_URL").secret);
    assert!(variable(&app, "LEDGER_ADMIN_PASSWORD").secret);
    assert_eq!(app.port, 7310, "{}", app.port_source);
    assert!(findings(&app, "low-port").is_empty());
    assert_eq!(app.start_command, ["/app/ledgerview", "--bind=0.0.0.0", "--listen=7310"]);
    let loopback = findings(&app, "loopback-bind");
    assert_eq!(loopback.len(), 1, "{loopback:?}");
    assert_eq!(
        (loopback[0].level, loopback[0].source.as_str()),
        (FindingLevel::Warning, "internal/settings/settings.go:16")
    );
}

/// A multi-module Spring build: the module that runs is the one Spring Boot repackages, built
/// in its reactor with the sibling modules it depends on, whose code is read with it; the
/// library with a utility `main` is not a second server. Keys
/// present but empty are set, a `@PropertySource` file resolves its placeholders, static
/// `@ConfigurationProperties` fields bound through setters and a pool's datasource are
/// variables under their relaxed names, and jobs put on an in-memory Quartz store at start
/// block running several copies.
#[test]
fn a_multi_module_spring_build_with_relaxed_settings() {
    let app = fixture("spring-multi-module-relaxed");
    assert_eq!(app.entry.as_deref(), Some("depot-web/target/depot-web.jar"));
    assert!(findings(&app, "several-servers").is_empty() && findings(&app, "multi-module-build").is_empty());
    assert_eq!(findings(&app, "server-in-subfolder").len(), 1);
    let runtime = app.runtime.as_ref().expect("java");
    assert_eq!(
        (runtime.version.as_str(), runtime.source.as_str()),
        ("17", "../pom.xml:10 <java.version> (the reactor's pom)")
    );
    assert!(findings(&app, "required-env").is_empty(), "{:?}", findings(&app, "required-env"));
    for name in ["SECURITY_COOKIE_DOMAIN", "SECURITY_COOKIE_CIPHERKEY"] {
        assert!(!variable(&app, name).required, "{name} is set, empty");
    }
    assert!(variable(&app, "SECURITY_COOKIE_CIPHERKEY").secret);
    assert_eq!(variable(&app, "PRINTER").default.as_deref(), Some("zebra-1"));
    let storage = variable(&app, "DEPOT_STORAGEPATH");
    assert_eq!(
        (storage.default.as_deref(), storage.source.as_str()),
        (Some("/var/depot/files"), "src/main/resources/application.yml:4")
    );
    for (name, line) in [("SPRING_DATASOURCE_POOL_PRIMARY_URL", 5), ("SPRING_DATASOURCE_POOL_PRIMARY_USERNAME", 6)] {
        assert_eq!(variable(&app, name).source, format!("src/main/resources/application-pool.yml:{line}"));
    }
    assert!(!app.variables.iter().any(|v| v.name.starts_with("SPRING_DATASOURCE_POOL_REPLICA")));
    let scheduler = findings(&app, "scheduler");
    assert_eq!(scheduler.len(), 1, "{scheduler:?}");
    assert_eq!(
        (scheduler[0].level, scheduler[0].source.as_str()),
        (FindingLevel::Blocker, "../depot-jobs/src/main/java/com/example/depot/jobs/JobLoader.java:20")
    );
}
