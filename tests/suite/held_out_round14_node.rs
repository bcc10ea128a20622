//! Held-out round 14's Node.js findings, each in a fixture of its own (tests/fixtures/apps): a
//! module `next build` loads that throws at import without its database, a Next.js landing page
//! at the root beside a route that redirects, a proxy's deny list that names the metadata
//! service, an assignment to the environment that reads nothing, and settings modules of a
//! config folder.

use crate::app_fixtures::{findings, profile as fixture};

/// The root layout imports a module whose top level throws without DATABASE_URL: the image
/// build stops there. `/` is a landing page in a route group; `/api/checkout` redirects a
/// visitor who brings no session, so it is no health check.
#[test]
fn a_module_next_build_loads_throws_without_its_database() {
    let app = fixture("next-import-time-check");
    let build = findings(&app, "build-needs-database");
    assert_eq!(build.len(), 1, "{:?}", app.findings);
    assert_eq!(build[0].source, "lib/db/client.ts:4");
    assert_eq!(build[0].level, ferry::model::FindingLevel::Blocker);
    assert!(build[0].message.contains("imported by app/layout.tsx"), "{}", build[0].message);
    assert_eq!((app.health_check_path.as_str(), app.health_source.as_str()), ("/", "app/(marketing)/page.tsx"));
}

/// A set of refused hosts naming 169.254.169.254 calls nothing; `process.env.CONFIG_VALID =
/// isValid` sets a variable, it does not read one.
#[test]
fn a_deny_list_and_an_assignment_are_not_uses() {
    let app = fixture("express-proxy-deny-list");
    assert!(findings(&app, "instance-metadata").is_empty(), "{:?}", app.findings);
    assert!(!app.variables.iter().any(|v| v.name == "CONFIG_VALID"), "{:?}", app.variables);
    assert_eq!(app.health_check_path, "/healthz");
}

/// A config folder of settings modules that no environment reads: the database on the
/// machine itself and a signing key written in the file (its value never repeated), but not
/// the developer's own settings file; an uploader module writing to the app's folder.
#[test]
fn settings_modules_of_a_config_folder_and_an_uploader() {
    let app = fixture("koa-settings-folder");
    let hosts = findings(&app, "hard-coded-hosts");
    assert_eq!(hosts.iter().map(|f| f.source.as_str()).collect::<Vec<_>>(), ["app/config/secure.js:7"]);
    let secret = findings(&app, "secret-default");
    assert_eq!(secret.iter().map(|f| f.source.as_str()).collect::<Vec<_>>(), ["app/config/secure.js:13"]);
    assert!(!secret[0].message.contains("f1d2c3"), "{}", secret[0].message);
    let disk = findings(&app, "local-disk-writes");
    assert_eq!(disk.iter().map(|f| f.source.as_str()).collect::<Vec<_>>(), ["app/files/local-uploader.js:11"]);
    assert_eq!(app.port, 5000);
}
