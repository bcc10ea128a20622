//! Round 22's held-out findings the code contradicts (helper i): a Nest roles guard registered
//! for the whole app that lets routes without its metadata through, so only the routes
//! carrying its decorator need a login.

use crate::app_fixtures::{findings, profile};

/// `KindGate` returns `true` when a route names no kind: the app-wide guard turns away only the
/// routes (or classes) carrying `@NeedsKind(...)`, and the open listing answers the check.
#[test]
fn a_nest_app_guard_that_passes_routes_without_its_metadata_guards_only_its_decorator() {
    let app = profile("nest_roles_guard_opt_in");
    assert_eq!(app.health_check_path, "/shelves", "{}", app.health_source);
    assert_eq!(app.health_source, "src/shelves/shelves.controller.ts:12");
    let warned = findings(&app, "no-health-route");
    assert!(warned.iter().all(|f| !f.message.contains("every GET route")), "{warned:?}");
}
