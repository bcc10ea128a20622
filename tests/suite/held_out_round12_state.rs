//! Round 12's state kept per task that the analysis missed, each in a fixture of its own: an
//! entry file that runs the app's own migrations module before it loads the server, and a
//! socket.io server in a member package of a monorepo that sends to rooms with no shared
//! adapter and wipes the connections collection at every start.

use crate::app_fixtures::{findings, profile as fixture};

use ferry::model::FindingLevel;

/// `applyMigrations('up').then(() => import('./lib/server.js'))`: the function comes from the
/// app's migrations module, so every task runs the migrations as it starts; the script that
/// runs them by hand (scripts/migrate.js) is not what the server starts.
#[test]
fn the_entry_runs_its_migrations_module_before_the_server() {
    let app = fixture("express-migrate-module-at-start");
    let migrations = findings(&app, "migrations-at-start");
    assert_eq!(migrations.len(), 1, "{:?}", app.findings);
    let found = migrations[0];
    assert_eq!((found.level, found.source.as_str()), (FindingLevel::Warning, "index.js:4"));
    assert!(found.message.contains("`applyMigrations('up')`"), "{}", found.message);
    assert!(found.fix.as_deref().is_some_and(|fix| fix.contains("one-off task")), "{:?}", found.fix);
}

/// The root package.json lists no socket.io: the server is packages/chat-server, made with an
/// aliased `Server`. It sends to rooms, so another task's clients miss the messages (a
/// blocker at the line that makes the server), and its start deletes every Presence record.
#[test]
fn socket_io_rooms_in_a_workspace_member_without_an_adapter() {
    let app = fixture("koa-socketio-workspace");
    let sessions = findings(&app, "in-memory-sessions");
    assert_eq!(sessions.len(), 1, "{:?}", app.findings);
    let found = sessions[0];
    assert_eq!((found.level, found.source.as_str()), (FindingLevel::Blocker, "packages/chat-server/src/server.ts:13"));
    assert!(found.message.contains("(packages/chat-server/src/handlers.ts:12)"), "{}", found.message);
    assert!(
        found.message.contains("deletes all Presence records (packages/chat-server/src/index.ts:10)"),
        "{}",
        found.message
    );
    assert!(found.fix.as_deref().is_some_and(|fix| fix.contains("@socket.io/redis-adapter")), "{:?}", found.fix);
    assert!(findings(&app, "in-memory-pubsub").is_empty(), "said once, as the blocker: {:?}", app.findings);
}
