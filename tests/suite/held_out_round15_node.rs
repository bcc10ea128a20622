//! Held-out round 15's Node.js health paths and readiness findings, each in a fixture of its own
//! (tests/fixtures/apps): koa-router prefixes (a path-to-regexp alternation among them), a root
//! page whose handler lives in another module, a root that always redirects, an upload folder
//! given to the upload middleware, SQLite named only in a Prisma schema, cron jobs a separate
//! worker entry runs, and socket.io messages relayed through Redis pub/sub.

use crate::app_fixtures::{findings, profile as fixture};

use ferry::model::FindingLevel;

/// `new Router({ prefix: '/(v2|current)/ops' })`, registered in a loop over dynamic imports:
/// koa adds no path when it mounts a router, so its health route answers under its own prefix,
/// the alternation's first branch.
#[test]
fn a_koa_router_prefix_with_an_alternation() {
    let app = fixture("koa-router-prefixed-versions");
    assert_eq!(
        (app.health_check_path.as_str(), app.health_source.as_str()),
        ("/v2/ops/healthz", "routes/ops/v2/index.js:8")
    );
}

/// `app.get("/", accountHandler.showOverview)`: the handler, a method of an object made from a
/// required module, redirects a visitor without a session; the sign-in page answers instead.
#[test]
fn a_root_whose_handler_in_another_module_redirects() {
    let app = fixture("express-handler-object-root");
    assert_eq!((app.health_check_path.as_str(), app.health_source.as_str()), ("/signin", "src/pages.js:10"));
    assert!(app.findings.iter().all(|f| !f.message.contains("no login guards")), "{:?}", app.findings);
}

/// `app.get('/', (req, res) => res.redirect('/notes'))`, with `/notes` a mounted router's open
/// route: the load balancer checks where the root sends everyone.
#[test]
fn a_root_that_always_redirects_points_to_its_target() {
    let app = fixture("express-root-redirects");
    assert_eq!(app.health_check_path, "/notes", "{}", app.health_source);
    assert!(app.health_source.starts_with("routes/notes.js:4"), "{}", app.health_source);
}

/// express-formidable told to keep uploads in `path.join(__dirname, 'static/pictures')`.
#[test]
fn an_upload_folder_given_to_the_middleware() {
    let app = fixture("express-formidable-folder");
    let writes = findings(&app, "local-disk-writes");
    assert_eq!(writes.len(), 1, "{:?}", app.findings);
    assert_eq!((writes[0].level, writes[0].source.as_str()), (FindingLevel::Blocker, "index.js:9"));
}

/// `provider = "sqlite"` in the Prisma datasource: no SQLite driver in package.json says it.
#[test]
fn sqlite_named_only_in_a_prisma_schema() {
    let app = fixture("fastify-prisma-sqlite");
    let sqlite = findings(&app, "sqlite");
    assert_eq!(sqlite.len(), 1, "{:?}", app.findings);
    assert_eq!((sqlite[0].level, sqlite[0].source.as_str()), (FindingLevel::Blocker, "prisma/schema.prisma:6"));
}

/// The server's entry never loads `cron`; only `jobs/runner.js`, a separate entry, does: no
/// task of the web service runs the jobs, and the worker must run once.
#[test]
fn cron_jobs_only_a_worker_entry_loads() {
    let app = fixture("express-cron-worker-entry");
    assert!(findings(&app, "scheduler").is_empty(), "{:?}", app.findings);
    let worker = findings(&app, "worker-process");
    assert_eq!(worker.len(), 1, "{:?}", app.findings);
    assert_eq!((worker[0].level, worker[0].source.as_str()), (FindingLevel::Warning, "jobs/runner.js:1"));
}

/// Every task subscribes to the Redis channel and relays it with `io.emit`: messages reach the
/// clients of all tasks; long-polling still wants sticky sessions, a warning.
#[test]
fn socket_io_relayed_through_redis() {
    let app = fixture("hapi-socketio-redis-relay");
    assert!(findings(&app, "in-memory-pubsub").is_empty(), "{:?}", app.findings);
    // Only the unset REDIS_URL, which leaves the client on localhost, blocks.
    let blocks = |f: &&ferry::model::Finding| f.level == FindingLevel::Blocker && f.kind != "localhost-default-host";
    assert!(!app.findings.iter().any(|f| blocks(&f)), "{:?}", app.findings);
    let polling = findings(&app, "in-memory-sessions");
    assert_eq!(polling.len(), 1, "{:?}", app.findings);
    assert_eq!((polling[0].level, polling[0].source.as_str()), (FindingLevel::Warning, "lib/board.js:15"));
}
