//! The readiness findings every runtime raises, worded once: what works on an instance and
//! breaks when several tasks, replaced at will, run the app behind a load balancer.

use crate::model::{Finding, FindingLevel};

/// A database variable whose default is an SQLite file: the app uses it whenever the
/// variable is unset.
pub fn sqlite_fallback(name: &str, source: impl Into<String>) -> Finding {
    Finding::blocker(
        "sqlite",
        format!("falls back to an SQLite file on local disk when {name} is unset: every task has its own, and loses it when it stops"),
        source,
    )
    .with_fix(sqlite_fix(name))
}

/// What to set: a URL names the database itself; a kind (`DB_TYPE`, `DB_ENGINE`) names only
/// the engine, and its sibling settings say where the database is.
fn sqlite_fix(name: &str) -> String {
    let upper = name.to_ascii_uppercase();
    let kind = ["TYPE", "ENGINE", "DIALECT", "PROVIDER", "BACKEND", "DRIVER", "DBMS", "CLIENT"]
        .iter()
        .any(|word| upper.ends_with(&format!("_{word}")) || upper == *word);
    if kind {
        format!("set {name} to PostgreSQL or MySQL, and the host and credentials settings beside it to an RDS database")
    } else {
        format!("set {name} to an RDS database (PostgreSQL or MySQL)")
    }
}

pub fn sqlite(source: impl Into<String>) -> Finding {
    Finding::blocker(
        "sqlite",
        "keeps data in an SQLite file on local disk: every task has its own, and loses it when it stops",
        source,
    )
    .with_fix("move the data to RDS (PostgreSQL or MySQL)")
}

/// An SQLite database held in memory (`filename: ':memory:'`): no file, and no data beyond
/// the process.
pub fn sqlite_in_memory(source: impl Into<String>) -> Finding {
    Finding::blocker(
        "sqlite",
        "keeps data in an in-memory SQLite database: every task has its own, empty at each start, and loses it when it stops",
        source,
    )
    .with_fix("move the data to RDS (PostgreSQL or MySQL)")
}

/// An embedded store (BoltDB, LevelDB, a JSON file database) the app keeps beside itself.
pub fn embedded_store(store: &str, source: impl Into<String>) -> Finding {
    Finding::blocker(
        "embedded-database",
        format!(
            "keeps data in an embedded {store} store on local disk: each task has its own, and loses it when it stops"
        ),
        source,
    )
    .with_fix("move the data to a managed database (RDS, DynamoDB), or run one task with an EFS volume")
}

pub fn scheduler(source: impl Into<String>) -> Finding {
    Finding::warning("scheduler", "runs scheduled jobs in-process: every task runs them", source)
        .with_fix("run them once with EventBridge Scheduler, a lock, or a single worker task")
}

/// Realtime messages (socket.io rooms, a pub/sub) kept in one process: a task broadcasts only
/// to the clients connected to it.
pub fn in_memory_pubsub(what: &str, source: impl Into<String>) -> Finding {
    Finding::warning(
        "in-memory-pubsub",
        format!("passes realtime messages in memory ({what}): with more than one task, clients of one never hear what another sends"),
        source,
    )
    .with_fix("give socket.io a shared adapter (Redis on ElastiCache), or run one task")
}

/// User uploads written to the task's own disk: other tasks cannot serve them, and the task
/// loses them when it stops. A blocker, as for any write of uploaded files (`node_disk_writes`).
pub fn uploads(source: impl Into<String>) -> Finding {
    Finding::blocker(
        "local-disk-writes",
        "writes uploads to local disk: other tasks cannot serve them, and they are lost when a task stops",
        source,
    )
    .with_fix("write them to S3")
}

pub fn log_file(source: impl Into<String>) -> Finding {
    Finding::warning("log-files", "writes a log file on local disk: lost when a task stops", source)
        .with_fix("log to standard output; CloudWatch Logs keeps it")
}

pub fn in_memory_sessions(what: &str, source: impl Into<String>) -> Finding {
    Finding::warning(
        "in-memory-sessions",
        format!("keeps sessions in memory ({what}): a user's next request may reach another task and be logged out"),
        source,
    )
    .with_fix("keep sessions in Redis (ElastiCache) or the database")
}

pub fn in_memory_rate_limit(what: &str, source: impl Into<String>) -> Finding {
    Finding::warning(
        "in-memory-rate-limit",
        format!("counts requests in memory ({what}): each task keeps its own count behind the load balancer"),
        source,
    )
    .with_fix("use a shared store (Redis) or rate-limit at the edge")
}

pub fn migrations_at_start(what: &str, source: impl Into<String>) -> Finding {
    Finding::warning(
        "migrations-at-start",
        format!("runs database migrations at every start ({what}): several tasks starting together race on them"),
        source,
    )
    .with_fix("run migrations once per release, as a one-off task before the service update")
}

/// A setting that defaults to this machine. It `blocks` when the app cannot work without
/// what is there: its database, cache or broker.
pub fn localhost_default(name: &str, blocks: bool, source: impl Into<String>) -> Finding {
    let level = if blocks { FindingLevel::Blocker } else { FindingLevel::Warning };
    Finding::new(
        level,
        "localhost-default-host",
        // Only a store's client connects there for sure; any other address is said plainly.
        if blocks {
            format!("{name} defaults to localhost: in a task nothing listens there")
        } else {
            format!("{name} defaults to localhost, which in a task is the task itself")
        },
        source,
    )
    .with_fix(format!("set {name} on the service to the real host"))
}

/// The app's own public URL defaulting to localhost: every link and redirect built from it
/// (sign-in callbacks, payment returns, e-mails) sends users to their own machine.
pub fn localhost_public_url(name: &str, source: impl Into<String>) -> Finding {
    Finding::blocker(
        "localhost-default-host",
        format!("{name} defaults to localhost: links, redirects or calls built from it go to the user's own machine or to the task itself, not to the service"),
        source,
    )
    .with_fix(format!("set {name} to the service's public URL (at build time too when the framework inlines it)"))
}

pub fn required_env(name: &str, source: impl Into<String>) -> Finding {
    Finding::blocker(
        "required-env",
        format!("the code requires {name} and nothing sets it: the app will not start or work without it"),
        source,
    )
    .with_fix(format!("set {name} on the service"))
}
