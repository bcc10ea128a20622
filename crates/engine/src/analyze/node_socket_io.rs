//! socket.io (or Sails' sockets hook) keeps its rooms and the clients connected to it in the
//! process that accepted them. Without a shared adapter, a second task has its own: an app that
//! sends to rooms or to other users loses those messages across tasks (a blocker), one that only
//! answers its own client still needs each client's requests on one task (a warning). The server
//! may live in a member package of a monorepo, so every package.json and the code are read, not
//! only the root's dependencies.

use std::sync::LazyLock;

use regex::Regex;
use serde_json::Value;

use super::app_files::AppFiles;
use super::node_imports::live_lines;
use super::readiness;
use super::source::is_test_path;
use super::variables::scope_of;
use crate::model::{Finding, VariableScope};

const EXTENSIONS: [&str; 6] = ["js", "mjs", "cjs", "ts", "mts", "cts"];

/// The name a value import of socket.io binds: `import { Server as IO } from 'socket.io'`,
/// `import socketio from "socket.io"`, `const { Server } = require('socket.io')`.
static IMPORT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r#"^\s*(?:import\s+(?:\*\s+as\s+)?(?P<names>[\w$]+|\{[^}]*\})\s+from\s+|(?:const|let|var)\s+(?P<required>[\w$]+|\{[^}]*\})\s*=\s*require\(\s*)['"]socket\.io['"]"#,
    )
    .expect("valid pattern")
});

/// What reaches clients other than the one that sent: a room (`socket.to(room).emit(`,
/// `socket.join(id)`), a broadcast (`socket.broadcast.emit(`, `io.emit(`).
static DELIVERY: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r#"\.(?:to|in|except)\(.*\)\s*\.emit\(|\b[\w.]*(?i:socket|client)\w*\.join\(\s*[^\s'")]|\b[\w.]*(?i:socket|client)\w*\.join\(\s*['"]\w|\.broadcast\.(?:emit|to)\(|\bio\.(?:sockets\.)?emit\("#,
    )
    .expect("valid pattern")
});

/// Every record of a connections collection deleted: `Socket.deleteMany({})`.
static WIPE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r#"\b(\w*(?i:socket|connection|online|presence)\w*)\.(?:deleteMany|remove|destroy)\(\s*(?:\{\s*\})?\s*\)"#,
    )
    .expect("valid pattern")
});

/// The running app's own code: neither tests nor scripts and tools.
fn running(files: &AppFiles) -> Vec<(&str, &str)> {
    let runs = |path: &str| !is_test_path(path) && scope_of(path) == VariableScope::Runtime;
    files.with_extensions(&EXTENSIONS).filter(|(path, _)| runs(path)).collect()
}

/// The finding for a socket.io server (or Sails' hook) that no shared adapter connects.
pub fn finding(files: &AppFiles, manifest: &Value) -> Option<Finding> {
    let dependencies = all_dependencies(files, manifest);
    let shared = dependencies.iter().any(|d| shares_rooms(d));
    let code = running(files);
    let adapter_set = code.iter().any(|(_, text)| text.contains(".adapter(createAdapter("));
    if shared || adapter_set {
        return None;
    }
    let root_lists =
        |name: &str| ["dependencies", "optionalDependencies"].iter().any(|t| manifest[t].get(name).is_some());
    let first_line = |needles: &[&str]| {
        code.iter().find_map(|(path, text)| {
            let index = text.lines().position(|l| needles.iter().any(|n| l.contains(n)))?;
            Some(format!("{path}:{}", index + 1))
        })
    };
    if root_lists("sails-hook-sockets") {
        if !sails_sends(files, &code) {
            return None;
        }
        // Sails leaves its socket.io adapter commented out in its config: the line to change.
        let at = first_line(&["adapter: '@sailshq/socket.io-redis'", "adapter: \"@sailshq/socket.io-redis\""])
            .unwrap_or_else(|| "package.json dependencies.sails-hook-sockets".into());
        return Some(readiness::in_memory_pubsub("Sails' socket.io hook", at));
    }
    let nest = dependencies.contains(&"@nestjs/platform-socket.io".to_string());
    let created = code.iter().find_map(|(path, text)| created_at(text, nest).map(|i| format!("{path}:{}", i + 1)));
    let delivery = code.iter().find_map(|(path, text)| {
        let index = live_lines(text).iter().position(|line| DELIVERY.is_match(line))?;
        Some(format!("{path}:{}", index + 1))
    });
    if let Some(relay) = code.iter().find_map(|(path, text)| redis_relay(path, text)) {
        return Some(sticky_polling(&relay));
    }
    match (created, delivery) {
        (Some(at), Some(delivery)) => Some(rooms_in_one_task(&at, &delivery, start_wipe(&code))),
        (created, _) if created.is_some() || root_lists("socket.io") => {
            let made = ["require('socket.io')", "require(\"socket.io\")", "from 'socket.io'", "from \"socket.io\""];
            let at = first_line(&made).or(created).unwrap_or_else(|| "package.json dependencies.socket.io".into());
            Some(readiness::in_memory_pubsub("socket.io", at))
        }
        _ => None,
    }
}

/// Sails code that reaches clients other than the one asking (`sails.sockets.broadcast(`,
/// `User.publish(`, a room join), or blueprints left on, whose CRUD actions publish every
/// change to the records' subscribers. With neither, the hook only answers its own client.
static SAILS_DELIVERY: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"\bsails\.sockets\.(?:broadcast|blast|join|addRoomMembersToRooms)\(|\b[A-Z]\w*\.(?:publish|subscribe)\(",
    )
    .expect("valid pattern")
});

fn sails_sends(files: &AppFiles, code: &[(&str, &str)]) -> bool {
    let sends = code.iter().any(|(_, text)| live_lines(text).iter().any(|line| SAILS_DELIVERY.is_match(line)));
    let off = |text: &str, key: &str| {
        live_lines(text).iter().any(|line| line.replace(' ', "").starts_with(&format!("{key}:false")))
    };
    let blueprints_off =
        files.get("config/blueprints.js").is_some_and(|text| off(text, "rest") && off(text, "shortcuts"));
    sends || !blueprints_off
}

/// Where a file relays a Redis subscription to its socket.io clients (`sub.subscribe(...)`,
/// then `io.emit(channel, message)` on each message): every task subscribes, so each hears
/// what any other publishes, and no message stays in one process.
fn redis_relay(path: &str, text: &str) -> Option<String> {
    let lines = live_lines(text);
    let subscribes = lines.iter().any(|line| line.contains(".subscribe(") || line.contains(".psubscribe("));
    if !subscribes || !text.to_ascii_lowercase().contains("redis") {
        return None;
    }
    let index = lines.iter().position(|line| DELIVERY.is_match(line))?;
    Some(format!("{path}:{}", index + 1))
}

/// The warning left when messages pass through Redis: socket.io starts each client on
/// long-polling, whose requests must all reach the task that holds its handshake.
fn sticky_polling(relay: &str) -> Finding {
    Finding::warning(
        "in-memory-sessions",
        format!(
            "socket.io's messages pass through Redis pub/sub ({relay}), so every task hears them; but a client starts on long-polling, and its requests fail when they reach a task other than the one holding its handshake"
        ),
        relay,
    )
    .with_fix("turn on sticky sessions on the target group, or make the clients use the websocket transport only")
}

/// The dependencies of every package.json of the app: the root's and a monorepo member's.
fn all_dependencies(files: &AppFiles, root: &Value) -> Vec<String> {
    let members = files
        .files
        .iter()
        .filter(|(path, _)| path.ends_with("package.json") && !path.contains("node_modules/") && !is_test_path(path))
        .filter_map(|(_, text)| serde_json::from_str::<Value>(text).ok());
    std::iter::once(root.clone())
        .chain(members)
        .flat_map(|manifest| {
            ["dependencies", "optionalDependencies"]
                .iter()
                .filter_map(|t| manifest.get(t)?.as_object().map(|d| d.keys().cloned().collect::<Vec<_>>()))
                .flatten()
                .collect::<Vec<_>>()
        })
        .collect()
}

/// An adapter that passes rooms between servers: `@socket.io/redis-adapter`, `socket.io-redis`,
/// `@socket.io/mongo-adapter`, `@socket.io/postgres-adapter`. The cluster adapter joins only
/// the workers of one machine, and `socket.io-adapter` is the in-memory one socket.io ships.
pub fn shares_rooms(name: &str) -> bool {
    let socket_io = name.contains("socket.io") || name.contains("socketio");
    let store = name.contains("adapter") || name.contains("redis");
    socket_io && store && !name.contains("cluster") && name != "socket.io-adapter"
}

/// The 0-based line where `text` makes a socket.io server: `new Server(httpServer)` with `Server`
/// imported from socket.io, `socketio(server)`, `require('socket.io')(server)`, or a Nest
/// gateway on the socket.io platform.
fn created_at(text: &str, nest: bool) -> Option<usize> {
    let lines = live_lines(text);
    let mut constructors: Vec<String> = Vec::new();
    let mut modules: Vec<String> = Vec::new();
    for line in &lines {
        let Some(captures) = IMPORT.captures(line).filter(|_| !line.trim_start().starts_with("import type")) else {
            continue;
        };
        match captures.name("names").or_else(|| captures.name("required")).map(|m| m.as_str()) {
            Some(list) if list.starts_with('{') => constructors.extend(server_names(list)),
            Some(name) => modules.push(name.to_string()),
            None => {}
        }
    }
    lines.iter().position(|line| {
        let line = line.trim();
        let new_of =
            |name: &str| line.contains(&format!("new {name}(")) || line.contains(&format!("new {name}.Server("));
        line.contains("require('socket.io')(")
            || line.contains("require(\"socket.io\")(")
            || (nest && line.starts_with("@WebSocketGateway("))
            || constructors.iter().any(|c| line.contains(&format!("new {c}(")))
            || modules.iter().any(|m| new_of(m) || calls(line, m))
    })
}

/// The local names `Server` takes in a binding list: `{ Server }`, `{ Server as IO }`,
/// `{ Server: IO }`.
fn server_names(list: &str) -> Vec<String> {
    list.trim_matches(['{', '}'])
        .split(',')
        .filter_map(|part| {
            let part = part.trim();
            let local = part.split_once(" as ").or_else(|| part.split_once(':'));
            match local {
                Some((imported, local)) if imported.trim() == "Server" => Some(local.trim().to_string()),
                None if part == "Server" => Some(part.to_string()),
                _ => None,
            }
        })
        .collect()
}

/// `line` calls `name` itself: `socketio(server)`, `io.listen(` is a method.
fn calls(line: &str, name: &str) -> bool {
    line.match_indices(&format!("{name}(")).any(|(at, _)| {
        line[..at].chars().next_back().is_none_or(|c| !(c.is_alphanumeric() || c == '_' || c == '.' || c == '$'))
    })
}

/// Where the file that starts the server deletes every record of its connections at start, and
/// the collection's name: each task starting wipes what the others hold.
fn start_wipe(code: &[(&str, &str)]) -> Option<(String, String)> {
    code.iter().filter(|(_, text)| text.contains(".listen(")).find_map(|(path, text)| {
        live_lines(text).iter().enumerate().find_map(|(index, line)| {
            let name = WIPE.captures(line)?.get(1)?.as_str().to_string();
            Some((name, format!("{path}:{}", index + 1)))
        })
    })
}

/// The blocker: rooms and users reached through one task's memory.
fn rooms_in_one_task(at: &str, delivery: &str, wipe: Option<(String, String)>) -> Finding {
    let mut message = format!(
        "socket.io keeps its rooms and connected clients in this process and no shared adapter joins the tasks: with more than one task, what the app sends to a room or another user ({delivery}) never reaches the clients connected to another task, and its polling transport needs all of a client's requests on one task"
    );
    let mut fix = "run exactly one task, or give socket.io a shared adapter (@socket.io/redis-adapter on ElastiCache) and turn on sticky sessions on the target group".to_string();
    if let Some((name, wiped_at)) = wipe {
        message.push_str(&format!(
            "; and every start deletes all {name} records ({wiped_at}), wiping the connections the other tasks hold"
        ));
        fix.push_str(&format!(", and stop deleting all {name} records when a task starts"));
    }
    Finding::blocker("in-memory-sessions", message, at).with_fix(fix)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_relayed_through_redis_leave_only_the_polling_warning() {
        let chat = "var sub = require('redis').createClient();\nvar io = require('socket.io')(server);\nsub.subscribe('chat');\nsub.on('message', function (channel, message) {\n  io.emit(channel, message);\n});\n";
        let files = AppFiles::from_pairs([("lib/chat.js", chat)]);
        let manifest: Value = serde_json::from_str(r#"{"dependencies":{"socket.io":"1","redis":"2"}}"#).unwrap();
        let found = finding(&files, &manifest).expect("a finding");
        assert_eq!(
            (found.kind.as_str(), found.level, found.source.as_str()),
            ("in-memory-sessions", crate::model::FindingLevel::Warning, "lib/chat.js:5")
        );
    }

    fn found(pairs: &[(&str, &str)]) -> Option<Finding> {
        let files = AppFiles::from_pairs(pairs.iter().copied());
        let manifest: Value = serde_json::from_str(files.get("package.json").unwrap_or("{}")).unwrap();
        finding(&files, &manifest)
    }

    const MEMBER: &str = r#"{"dependencies": {"koa": "2", "socket.io": "4"}}"#;
    const APP: &str = "import http from 'http';\nimport { Server as IO } from 'socket.io';\n\nconst io = new IO(http.createServer());\nexport default io;\n";
    const ROUTES: &str =
        "export function join(ctx) {\n  const names = users.join(',');\n  ctx.socket.join(ctx.data.room);\n}\n";
    const MAIN: &str =
        "import io from './app';\nio.listen(3000, async () => {\n  await Connection.deleteMany({});\n});\n";

    #[test]
    fn rooms_of_a_member_package_are_a_blocker() {
        let files = [
            ("package.json", r#"{"devDependencies": {"lerna": "4"}}"#),
            ("packages/server/package.json", MEMBER),
            ("packages/server/src/app.ts", APP),
            ("packages/server/src/routes.ts", ROUTES),
            ("packages/server/src/main.ts", MAIN),
            ("packages/web/src/socket.ts", "import io from 'socket.io-client';\nio('/').emit('hello');\n"),
        ];
        let found = found(&files).expect("socket.io without an adapter");
        assert_eq!(
            (found.kind.as_str(), found.source.as_str()),
            ("in-memory-sessions", "packages/server/src/app.ts:4")
        );
        assert!(found.message.contains("(packages/server/src/routes.ts:3)"), "{}", found.message);
        assert!(found.message.contains("all Connection records (packages/server/src/main.ts:3)"), "{}", found.message);
        let mut shared = files.to_vec();
        shared[1] = ("packages/server/package.json", r#"{"dependencies": {"@socket.io/redis-adapter": "8"}}"#);
        assert!(self::found(&shared).is_none(), "a Redis adapter shares the rooms");
    }

    #[test]
    fn a_server_answering_its_own_clients_is_a_warning() {
        let app = "const socketio = require('socket.io');\nconst io = socketio(server);\nio.on('connection', (s) => s.emit('hi'));\n";
        let found = found(&[("package.json", MEMBER), ("server.js", app)]).expect("no adapter");
        assert_eq!((found.kind.as_str(), found.source.as_str()), ("in-memory-pubsub", "server.js:1"));
        let typed = "import type { Socket } from 'socket.io';\nsocket.join(room);\n";
        assert!(self::found(&[("package.json", "{}"), ("types.ts", typed)]).is_none(), "only types");
        assert_eq!(server_names("{ Namespace, Server: IO }"), ["IO"]);
        assert!(!shares_rooms("@socket.io/cluster-adapter") && !shares_rooms("@sveltejs/adapter-node"));
    }
}
