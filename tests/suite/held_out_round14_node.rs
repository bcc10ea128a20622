//! Held-out round 14's Node.js findings, each in a fixture of its own (tests/fixtures/apps): a
//! module `next build` loads that throws at import without its database, a Next.js landing page
//! at the root beside a route that redirects, a proxy's deny list that names the metadata
//! service, and an assignment to the environment that reads nothing.

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
