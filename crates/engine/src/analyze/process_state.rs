//! What a task keeps or does on its own that the code says in ways no dependency list shows:
//! websocket rooms held in a map of the process, listeners a load balancer for HTTP cannot
//! carry (UDP), libraries vendored into the app's folder (a session store, a scheduler),
//! migrations the code or a `prestart` script runs at every start, and SQLite or an in-memory
//! mock as the committed default store.

use std::sync::LazyLock;

use regex::Regex;
use serde_json::Value;

use super::app_files::AppFiles;
use super::readiness;
use super::source::is_test_path;
use super::start_chain::{Step, step_kind};
use super::variables::scope_of;
use crate::model::{Finding, VariableScope};

const CODE: [&str; 10] = ["js", "mjs", "cjs", "ts", "mts", "py", "go", "java", "kt", "rb"];

/// An empty map, object or dict given to a name for what a realtime server tracks:
/// `this._rooms = {}`, `Rooms: map[string]*Room{}`, `self.connections = dict()`.
static ROOMS: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?:^|[\s(,{])(?:this\.|self\.)?(_?[A-Za-z]*?(?i:rooms|peers|clients|connections|channels|lobbies|games|sockets))\s*(?::=|=|:)\s*(?:new Map(?:<[^>]*>)?\(\)|\{\}|dict\(\)|make\(map\[|map\[[^\]]+\][^{=]*\{\})",
    )
    .expect("valid pattern")
});

/// What a file serving websockets has in it.
const WEBSOCKET_SERVERS: [&str; 9] = [
    "WebSocketServer",
    // The `ws` package's server under its namespace: `new WebSocket.Server({ port })`.
    "WebSocket.Server(",
    "ws.Server(",
    "websocket.Upgrader",
    "websocket.Accept(",
    "new Server(",
    "socket.io",
    "@WebSocketGateway",
    "websockets.serve",
];

/// The running app's own code, with tests, scripts and development files left out.
fn running(files: &AppFiles) -> impl Iterator<Item = (&str, &str)> {
    files.with_extensions(&CODE).filter(|(path, _)| !is_test_path(path) && scope_of(path) == VariableScope::Runtime)
}

/// Every finding of this module.
pub fn findings(files: &AppFiles) -> Vec<Finding> {
    let mut found = Vec::new();
    found.extend(realtime_rooms(files));
    found.extend(udp_listener(files));
    found.extend(vendored_libraries(files));
    found.extend(migrations_in_code(files));
    found.extend(prestart_migrations(files));
    found.extend(committed_sqlite(files));
    found.extend(in_memory_mock(files));
    found
}

/// Rooms, peers or connections a websocket server keeps in a map of its own process: a second
/// task has its own, so users connected to different tasks never meet. The map may sit in the
/// server's file or in a module it imports (`models/realm.ts` with `clients = new Map()`).
fn realtime_rooms(files: &AppFiles) -> Option<Finding> {
    let servers: Vec<(&str, &str)> =
        running(files).filter(|(_, text)| WEBSOCKET_SERVERS.iter().any(|w| text.contains(w))).collect();
    let in_server = servers.iter().find_map(|&(path, text)| rooms_in(path, text, text));
    in_server.or_else(|| {
        servers.iter().find_map(|&(server_path, server)| {
            let imported = relative_imports(files, server_path, server);
            running(files)
                .filter(|(path, _)| imported.iter().any(|i| i == path))
                .find_map(|(path, text)| rooms_in(path, text, server))
        })
    })
}

/// The finding for the first map of rooms or clients in `text`, judged by the adapter the
/// server's file (`server`) sets up.
fn rooms_in(path: &str, text: &str, server: &str) -> Option<Finding> {
    text.lines().enumerate().find_map(|(index, line)| {
        let code = line.trim_start();
        if code.starts_with("//") || code.starts_with('#') {
            return None;
        }
        let name = ROOMS.captures(line)?.get(1)?.as_str().to_string();
        let at = format!("{path}:{}", index + 1);
        match super::shared_adapter::adapter_in(server) {
            // The adapter joins the tasks: the map is one task's bookkeeping.
            Some(adapter) if adapter.guard.is_none() => None,
            Some(adapter) => Some(rooms_shared_when_configured(&name, path, &adapter, at)),
            None => Some(
                Finding::blocker(
                    "in-memory-sessions",
                    format!("the websocket server keeps its {name} in the process's memory: with more than one task, what reaches one task never reaches the clients connected to another"),
                    at,
                )
                .with_fix("run exactly one task, or keep the shared state in Redis (ElastiCache)"),
            ),
        }
    })
}

/// The repository files a file's relative imports name (`../../models/realm.ts`,
/// `require('./rooms')`, a folder's `index.ts`).
fn relative_imports(files: &AppFiles, path: &str, text: &str) -> Vec<String> {
    static RELATIVE: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r#"(?:\bfrom\s+|\brequire\(\s*|\bimport\(\s*)['"](\.{1,2}/[^'"]+)['"]"#).expect("valid pattern")
    });
    RELATIVE.captures_iter(text).filter_map(|c| super::variables::resolve_import(files, path, &c[1])).collect()
}

/// The warning for a websocket server whose shared adapter is set only when its store is
/// configured: unset, each task keeps its own clients.
fn rooms_shared_when_configured(
    name: &str,
    path: &str,
    adapter: &super::shared_adapter::Adapter,
    at: String,
) -> Finding {
    let guard = adapter.guard.map_or(String::new(), |line| format!(" ({path}:{line} goes on without it)"));
    Finding::warning(
        "in-memory-sessions",
        format!(
            "the websocket server keeps its {name} in the process's memory and joins the tasks through a shared adapter ({path}:{}) only when that adapter's store is configured{guard}: unset, with more than one task, what reaches one task never reaches the clients connected to another",
            adapter.at
        ),
        at,
    )
    .with_fix("configure the adapter's Redis (ElastiCache) on the service, or run exactly one task")
}

/// A UDP listener (a TURN or STUN server, a game or metrics socket): a load balancer for HTTP
/// carries only HTTP.
fn udp_listener(files: &AppFiles) -> Option<Finding> {
    let needles = ["net.ListenPacket(\"udp", "net.ListenUDP(", "dgram.createSocket(", "SOCK_DGRAM"];
    // A datagram socket that only sends (an NTP or DNS probe, a Wake-on-LAN packet from a
    // bound source port) listens on nothing: a Node or Python socket serves once bound and read.
    let reads = |text: &str| {
        ["on('message'", "on(\"message\"", "on(`message`", "recvfrom(", ".recv("].iter().any(|r| text.contains(r))
    };
    let listens = |text: &str| {
        needles[..2].iter().any(|n| text.contains(n))
            || (needles[2..].iter().any(|n| text.contains(n)) && text.contains(".bind(") && reads(text))
    };
    // Finding devices on the local network (SSDP, mDNS, a vendor's broadcast) listens for
    // answers to the app's own probes: no client connects there.
    let discovers = |path: &str, text: &str| {
        let lower = path.to_ascii_lowercase();
        ["discover", "scan", "ssdp", "mdns", "bonjour", "zeroconf"].iter().any(|w| lower.contains(w))
            || text.contains("addMembership(")
    };
    // The server's own file over helpers that also open sockets.
    let mut listeners: Vec<(&str, &str)> =
        running(files).filter(|(path, text)| listens(text) && !discovers(path, text)).collect();
    listeners.sort_by_key(|(path, _)| !path.rsplit('/').next().unwrap_or(path).contains("server"));
    listeners.into_iter().find_map(|(path, text)| {
        let index = text.lines().position(|l| needles.iter().any(|n| l.contains(n)))?;
        Some(
            Finding::blocker(
                "non-http-listener",
                "the app also listens on UDP: an HTTP load balancer cannot carry it, so its clients cannot reach that port",
                format!("{path}:{}", index + 1),
            )
            .with_fix("use an external service for that protocol (for TURN, a hosted TURN server), or put it behind a Network Load Balancer"),
        )
    })
}

/// Packages copied into the app's folder (`require('./libs/memorystore')`) that keep
/// sessions or run jobs per process, as they would from the dependencies.
fn vendored_libraries(files: &AppFiles) -> Vec<Finding> {
    let mut found: Vec<Finding> = Vec::new();
    for (path, text) in running(files) {
        for (index, line) in text.lines().enumerate() {
            let Some(target) = local_import(line) else { continue };
            let mut segments = target.split('/');
            let last = segments.next_back().unwrap_or_default();
            let vendored =
                segments.any(|s| matches!(s, "lib" | "libs" | "vendor" | "vendored" | "third_party" | "deps"));
            let package = last.split('.').next().unwrap_or(last).to_ascii_lowercase().replace(['-', '_'], "");
            let at = format!("{path}:{}", index + 1);
            let finding = match package.as_str() {
                _ if !vendored => continue,
                "memorystore" => readiness::in_memory_sessions("memorystore, vendored in the app's folder", at),
                // Where it schedules, not where it only validates an expression.
                "nodecron" | "nodeschedule" | "croner" | "toadscheduler" if text.contains(".schedule(") => {
                    readiness::scheduler(at)
                }
                _ => continue,
            };
            if !found.iter().any(|f| f.kind == finding.kind) {
                found.push(finding);
            }
        }
    }
    found
}

/// The relative path a line imports: `require('../libs/nodeCron')`, `from './lib/x.js'`.
fn local_import(line: &str) -> Option<&str> {
    let start = line.find("require('.").or_else(|| line.find("require(\".")).map(|i| i + "require('".len());
    let start = start.or_else(|| line.find("from '.").or_else(|| line.find("from \".")).map(|i| i + "from '".len()))?;
    let rest = &line[start..];
    rest.split(['\'', '"']).next()
}

/// Migrations the running code applies itself: Flask-Migrate's `upgrade()` in the app
/// factory, a migration manager's `runMigrations()`, Knex's `migrate.latest()`, umzug's
/// `up()`, TypeORM's `migrationsRun: true`, Sequelize's `sync({ alter: true })`.
fn migrations_in_code(files: &AppFiles) -> Option<Finding> {
    let calls = [".runMigrations(", "migrate.latest(", "umzug.up(", "migrator.up(", "migrationsRun: true"];
    // `sync()` alone only creates missing tables; `alter` changes the existing ones.
    let altering_sync = |code: &str| code.contains(".sync(") && code.contains("alter: true");
    // A seed or migration script a package script runs by hand is not the start.
    let scripts = super::node_script_files::run_only_by_scripts(files);
    running(files).filter(|(path, _)| !scripts.contains(*path)).find_map(|(path, text)| {
        let flask_migrate = text.contains("from flask_migrate import") && text.contains("upgrade");
        // Alembic's `command.upgrade(config, "head")` and Django's `call_command("migrate")`
        // in the app's start-up code (a management command is run by hand).
        let alembic = text.contains("alembic");
        let django_start = !path.contains("/management/commands/");
        let index = text.lines().position(|line| {
            let code = line.trim_start();
            let flask_upgrade = flask_migrate && code.starts_with("upgrade(");
            let alembic_upgrade = alembic && code.contains("command.upgrade(");
            let django_migrate =
                django_start && (code.contains("call_command(\"migrate\"") || code.contains("call_command('migrate'"));
            !code.starts_with("//")
                && !code.starts_with('#')
                && (flask_upgrade
                    || alembic_upgrade
                    || django_migrate
                    || altering_sync(code)
                    || calls.iter().any(|c| code.contains(c)))
        })?;
        let what = text.lines().nth(index).unwrap_or_default().trim().trim_end_matches(';');
        Some(readiness::migrations_at_start(&format!("`{what}` in the app's code"), format!("{path}:{}", index + 1)))
    })
}

/// `prestart: prisma migrate deploy`: npm (and pnpm with pre-scripts on) runs it before every
/// `start`; the container command runs the server alone.
fn prestart_migrations(files: &AppFiles) -> Option<Finding> {
    let manifest: Value = serde_json::from_str(files.get("package.json")?).ok()?;
    let scripts = manifest.get("scripts")?.as_object()?;
    scripts.get("start")?;
    let prestart = scripts.get("prestart")?.as_str()?;
    // `pnpm prisma:migrate` names the script that migrates.
    let named = prestart.split_whitespace().filter_map(|w| scripts.get(w)?.as_str());
    let migrates = std::iter::once(prestart).chain(named).any(|s| step_kind(s) == Step::Migration);
    migrates.then(|| {
        Finding::warning(
            "migrations-at-start",
            format!("the prestart script runs `{prestart}` before every start: several tasks starting together race on it, and the container command, which runs the server alone, leaves it out"),
            "package.json scripts.prestart",
        )
        .with_fix(format!("run `{prestart}` once per release, as a one-off task before the service update"))
    })
}

/// SQLite as the database a committed file sets: a Dockerfile's `ENV DATABASE_URL=sqlite:...`,
/// a settings module's `SQLALCHEMY_DATABASE_URI = "sqlite:///..."`.
fn committed_sqlite(files: &AppFiles) -> Option<Finding> {
    let setting = |line: &str| {
        let (name, value) = line.split_once('=')?;
        let name = name.trim().trim_start_matches("ENV ").trim().to_ascii_uppercase();
        let store = name.contains("DATABASE") || name.contains("_DB") || name.starts_with("DB");
        let value = value.trim_start().trim_start_matches(['"', '\'']);
        (store && !name.contains(' ') && value.starts_with("sqlite:")).then_some(())
    };
    let images = files.files.iter().filter(|(path, _)| {
        let name = path.rsplit('/').next().unwrap_or(path);
        name.starts_with("Dockerfile") || name == "Containerfile"
    });
    let settings = running(files)
        .filter(|(path, _)| (path.ends_with(".py") && path.contains("settings")) || path.ends_with("config.py"));
    images.map(|(p, t)| (p.as_str(), t.as_str())).chain(settings).find_map(|(path, text)| {
        let index = text.lines().position(|l| {
            // A continued `ENV A=1 \` block too.
            let continued = l.starts_with([' ', '\t']) && path.contains("ockerfile");
            (!l.starts_with([' ', '\t', '#']) || continued) && setting(l.trim_start()).is_some()
        })?;
        Some(readiness::sqlite(format!("{path}:{}", index + 1)))
    })
}

/// `redis-mock` (or another in-memory stand-in), a production dependency the running code
/// names: it picks it over the real store on some settings.
fn in_memory_mock(files: &AppFiles) -> Option<Finding> {
    let manifest: Value = serde_json::from_str(files.get("package.json")?).ok()?;
    let dependencies = manifest.get("dependencies")?.as_object()?;
    let mocks: Vec<&str> = ["redis-mock", "ioredis-mock", "mongodb-memory-server", "pg-mem"]
        .into_iter()
        .filter(|m| dependencies.contains_key(*m))
        .collect();
    running(files).find_map(|(path, text)| {
        let (index, mock) = text.lines().enumerate().find_map(|(i, l)| {
            let mock = mocks.iter().find(|m| l.contains(&format!("'{m}'")) || l.contains(&format!("\"{m}\"")))?;
            Some((i, *mock))
        })?;
        Some(
            Finding::warning(
                "embedded-database",
                format!("the running code can keep its data in {mock}, in the process's memory: each task has its own, and loses it when it stops"),
                format!("{path}:{}", index + 1),
            )
            .with_fix("set the settings that select the real store (its host, production mode) on the service"),
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn found(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        findings(&AppFiles::from_pairs(pairs.iter().copied())).into_iter().map(|f| (f.kind, f.source)).collect()
    }

    #[test]
    fn alembic_upgraded_by_the_apps_start_up() {
        let init = "from alembic import command\nfrom alembic.config import Config\n\ndef main():\n    cfg = Config('alembic.ini')\n    command.upgrade(cfg, 'head')\n";
        let got = found(&[("shop/db/init_db.py", init)]);
        assert_eq!(got, [("migrations-at-start".to_string(), "shop/db/init_db.py:6".to_string())]);
        let by_hand = "from django.core.management import call_command\n\ndef handle():\n    call_command('migrate')\n";
        assert!(found(&[("shop/management/commands/setup.py", by_hand)]).is_empty(), "a command run by hand");
    }

    #[test]
    fn clients_kept_in_a_module_the_websocket_server_imports() {
        let server = "import type { IRealm } from \"../../models/realm.ts\";\nimport { WebSocketServer as Server } from \"ws\";\nexport class Signal {}\n";
        let realm = "export class Realm {\n\tprivate readonly clients = new Map<string, IClient>();\n}\n";
        let cache = "export const clients = new Map();\n";
        let got = found(&[
            ("src/services/ws/index.ts", server),
            ("src/models/realm.ts", realm),
            ("src/http/cache.ts", cache),
        ]);
        assert_eq!(got, [("in-memory-sessions".to_string(), "src/models/realm.ts:2".to_string())]);
    }

    #[test]
    fn state_kept_and_run_per_task() {
        let got = found(&[
            (
                "server/ws.js",
                "import {WebSocketServer} from 'ws';\nclass S {\n  constructor() {\n    this._lobbies = {};\n  }\n}\n",
            ),
            ("server/codes.js", "const COLORS = {};\nconst rooms = {};\n"),
            ("server/ntp.js", "const client = dgram.createSocket('udp4');\nclient.send(packet, 123, host);\n"),
            (
                "lib/wake.js",
                "const socket = dgram.createSocket({ type: 'udp4' });\nsocket.bind(port, () => {\n  socket.setBroadcast(true);\n  socket.send(payload, 9, address);\n});\n",
            ),
            ("turn/relay.go", "package turn\nfunc Start() {\n\tconn, _ := net.ListenPacket(\"udp\", addr)\n}\n"),
            (
                "src/app.js",
                "const Store = require('./vendor/memory-store')\nconst cron = require('../lib/node-cron')\ncron.schedule(x)\n",
            ),
            ("src/check.js", "const cron = require('../lib/node-cron')\ncron.validate(x)\n"),
            ("src/db.js", "async function connect() {\n  await manager.runMigrations()\n}\n"),
            ("Dockerfile", "FROM python:3.12\nENV A=1 \\\n    DATABASE_URL=\"sqlite:////data/app.db\"\n"),
        ]);
        let pair = |k: &str, s: &str| (k.to_string(), s.to_string());
        assert_eq!(
            got,
            [
                pair("in-memory-sessions", "server/ws.js:4"),
                pair("non-http-listener", "turn/relay.go:3"),
                pair("in-memory-sessions", "src/app.js:1"),
                pair("scheduler", "src/app.js:2"),
                pair("migrations-at-start", "src/db.js:2"),
                pair("sqlite", "Dockerfile:3"),
            ]
        );
    }

    #[test]
    fn a_bound_datagram_socket_that_reads_listens() {
        let syslog = "const server = dgram.createSocket('udp4');\nserver.on('message', (msg) => store(msg));\nserver.bind(514);\n";
        let got = found(&[("src/syslog.js", syslog), ("lib/networkDiscovery/scan.js", syslog)]);
        assert_eq!(got, [("non-http-listener".to_string(), "src/syslog.js:1".to_string())]);
    }

    #[test]
    fn a_sequelize_sync_that_alters_tables_migrates() {
        let got = found(&[("src/models.js", "await sequelize.sync();\nawait sequelize.sync({ alter: true });\n")]);
        assert_eq!(got, [("migrations-at-start".to_string(), "src/models.js:2".to_string())]);
    }
}
