//! Round 22's precision audit of four TypeScript monorepos (helper w: Next.js and a custom
//! server, React Router on Hono, NestJS beside Next.js): a health path named in a comment
//! about another service is no setting, Hono's `app.route(path, subApp)` mounts routes rather
//! than answering itself, a fallback that only says "no key given" opens nothing, and the
//! servers a root workspace globs (`apps/*`) are candidates, each named once.

use crate::app_fixtures::{findings, profile as fixture};

/// The renderer client's comment names the renderer's `/health`, and `app.route('/api/notes',
/// notes)` mounts a sub-app that answers only POST: neither is a path this app answers, so the
/// check goes to its own `GET /`.
#[test]
fn a_commented_health_path_and_a_hono_mount_are_not_the_apps_routes() {
    let app = fixture("hono-sub-app-commented-probe");
    assert_eq!(app.health_check_path, "/", "{:?}", app.health_source);
    assert_eq!(app.health_source, "src/server.ts:10");
}

/// `JOBS_API_KEY || 'NOT-DEFINED'` and `MODEL_API_KEY || 'not-required'` only mark that no key
/// was given: nobody can use a service with them, so no committed credential is claimed.
#[test]
fn a_fallback_that_says_no_key_was_given_is_no_credential() {
    let app = fixture("express-unset-key-markers");
    assert!(findings(&app, "secret-default").is_empty(), "{:?}", app.findings);
    assert!(findings(&app, "placeholder-key").is_empty(), "{:?}", app.findings);
}

/// The root's `workspaces` globs `apps/*`: the Nest API and the Next.js app there are servers
/// as much as `plugins/` is, so ferry does not take `plugins/` for the only one, and names
/// each folder once.
#[test]
fn servers_a_root_workspace_globs_are_candidates_named_once() {
    let app = fixture("npm-workspace-apps-servers");
    let several = findings(&app, "several-servers");
    assert_eq!(several.len(), 1, "{:?}", app.findings);
    let message = &several[0].message;
    for folder in ["apps/api/ (node)", "apps/web/ (node)", "plugins/ (node)"] {
        assert_eq!(message.matches(folder).count(), 1, "{message}");
    }
    assert!(findings(&app, "server-in-subfolder").is_empty(), "{:?}", app.findings);
}
