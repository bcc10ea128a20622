//! Round 22's precision audit of Node servers (helper v: Express in TypeScript with a
//! node-config setup and an Angular client, a LoopBack 4 monorepo): a driver's name inside a
//! client hint's prose is no SQLite evidence, a client's `http.get(base + '/')` is no route, the
//! front end is served where a static server or `sendFile` names its folder (not where a seed
//! script downloads into it), code kept under `static/` is content the server hands out, and a
//! Dockerfile whose working directory holds one package of the repository gives no start
//! command for the repository's root.

use crate::app_fixtures::{findings, profile as fixture};

/// `client/src/hints/login.ts` quotes `SQLITE_ERROR` in a sentence; `lib/db.ts:4` is the
/// Sequelize `dialect: 'sqlite'` that opens the file.
#[test]
fn a_driver_named_in_prose_is_no_sqlite_evidence() {
    let app = fixture("express-ts-quiz-static-snippets");
    let sqlite = findings(&app, "sqlite");
    assert_eq!(sqlite.len(), 1, "{:?}", app.findings);
    assert_eq!(sqlite[0].source, "lib/db.ts:4");
}

/// `this.http.get(this.base + '/')` is the Angular client calling the API: the `/` appended
/// to a computed base is no route the server declares.
#[test]
fn a_path_appended_to_a_computed_value_is_no_route() {
    let app = fixture("express-ts-quiz-static-snippets");
    assert!(!app.health_source.starts_with("client/"), "{} ({})", app.health_check_path, app.health_source);
    assert!(app.findings.iter().all(|f| !f.source.starts_with("client/src/services")), "{:?}", app.findings);
}

/// `lib/seed.ts:5` downloads pictures into `client/dist/app/`; `server.ts:6` serves the folder
/// with `express.static`, which is the line that shows the server serves the build.
#[test]
fn the_front_end_is_served_where_a_static_server_names_it() {
    let app = fixture("express-ts-quiz-static-snippets");
    let built = findings(&app, "build-needs-frontend");
    assert_eq!(built.len(), 1, "{:?}", app.findings);
    assert_eq!(built[0].source, "server.ts:6");
}

/// `assets/static/snippets/portLesson_2.ts` is a lesson's text the app shows, never run: the
/// reads that count are `server.ts:9` and `routes/quiz.ts:1`.
#[test]
fn code_under_static_is_content_not_the_running_app() {
    let app = fixture("express-ts-quiz-static-snippets");
    let source = |name: &str| app.variables.iter().find(|v| v.name == name).map(|v| v.source.clone());
    assert_eq!(source("PORT").as_deref(), Some("server.ts:9"));
    assert_eq!(source("QUIZ_API_KEY").as_deref(), Some("routes/quiz.ts:1"));
}

/// `Dockerfile.api` copies `packages/api` from the base image into its working directory and
/// runs `node .` there; from the repository's root `node .` loads the root manifest's missing
/// `index.js`, so the package's own start is used.
#[test]
fn a_dockerfile_whose_workdir_holds_one_package_is_not_the_start() {
    let app = fixture("node-monorepo-package-image");
    assert_eq!(app.start_command, ["node", "packages/api/dist/index.js"], "{}", app.start_source);
    assert_eq!(app.start_source, "package.json scripts.start");
    assert!(findings(&app, "start-from-dockerfile").is_empty(), "{:?}", app.findings);
}
