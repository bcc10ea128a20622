//! AdonisJS starts its HTTP server inside the framework (`new Ignitor(fold).fireHttpServer()`,
//! `new Ignitor(...).httpServer().start()`): no line of the app names its port or host. The
//! framework listens on `PORT`, 3333 by default, and on `HOST`; Adonis 4 binds `localhost`
//! unless `HOST` is set, and refuses to start without a `.env` file unless `ENV_SILENT=true`.
//! Those reads are the framework's, so they are written here, at the line that starts it.

use serde_json::Value;

use super::app_files::AppFiles;
use super::variables::VariableRead;
use crate::model::{CodeVariable, EnvVar, Finding};

/// The port Adonis's HTTP server listens on when `PORT` is unset.
const DEFAULT_PORT: &str = "3333";
const SERVER_STARTS: [&str; 3] = ["fireHttpServer(", "httpServer()", ".httpServer("];

/// An Adonis app's server: the major line (4 for `@adonisjs/ignitor`'s apps, else the core's)
/// and where it starts.
struct Server {
    legacy: bool,
    at: String,
}

fn server(files: &AppFiles) -> Option<Server> {
    let manifest: Value = serde_json::from_str(files.get("package.json")?).ok()?;
    let depends = |name: &str| {
        ["dependencies", "devDependencies"].iter().any(|group| manifest.pointer(&format!("/{group}/{name}")).is_some())
    };
    let legacy = depends("@adonisjs~1ignitor");
    if !legacy && !depends("@adonisjs~1core") {
        return None;
    }
    let entries = ["server.js", "server.ts", "bin/server.ts", "bin/server.js"];
    let at = entries.iter().find_map(|path| {
        let text = files.get(path)?;
        let index = text.lines().position(|line| SERVER_STARTS.iter().any(|s| line.contains(s)))?;
        Some(format!("{path}:{}", index + 1))
    })?;
    Some(Server { legacy, at })
}

/// The framework's own reads of `PORT` and `HOST`, with its defaults.
pub fn listen_reads(files: &AppFiles) -> Vec<VariableRead> {
    let Some(server) = server(files) else { return Vec::new() };
    // Adonis 5 and 6 validate the environment at start: a `PORT` the schema requires
    // (`PORT: Env.schema.number()`) must be set, and the framework's 3333 never applies, so
    // the example env file's port wins; with none, 3333 is still the convention to set.
    let example_port = || super::example_port::suggested(files).is_some();
    let default = (!(port_required(files) && example_port())).then(|| DEFAULT_PORT.to_string());
    let mut reads = vec![VariableRead::new("PORT", &server.at).with_default(default)];
    if server.legacy {
        reads.push(VariableRead::new("HOST", &server.at).with_default(Some("localhost".to_string())));
    }
    reads
}

/// Whether the env schema (`start/env.ts`, Adonis 5's `env.ts`) requires `PORT`: declared
/// with `Env.schema.number()` and not `.optional()`.
fn port_required(files: &AppFiles) -> bool {
    ["start/env.ts", "env.ts", "start/env.js", "env.js"].iter().filter_map(|path| files.get(path)).any(|text| {
        text.lines().any(|line| {
            let code: String = line.chars().filter(|c| !c.is_whitespace()).collect();
            code.strip_prefix("PORT:Env.schema.").is_some_and(|rest| {
                ["number(", "string("].iter().any(|t| rest.starts_with(t)) && !rest.contains(".optional(")
            })
        })
    })
}

/// Sets what the service needs for Adonis 4's server to start and be reached: `HOST=0.0.0.0`
/// when the host is the framework's loopback default, and `ENV_SILENT=true`, since the image
/// carries no `.env` file. Both said as findings, unless the instance sets them.
pub fn service_env(
    files: Option<&AppFiles>,
    variables: &[CodeVariable],
    env: &mut Vec<EnvVar>,
    findings: &mut Vec<Finding>,
) {
    let Some(server) = files.and_then(server).filter(|s| s.legacy) else { return };
    let host = variables.iter().find(|v| v.name == "HOST" && v.source == server.at);
    let loopback = host.and_then(|v| v.default.as_deref()).filter(|d| matches!(*d, "localhost" | "127.0.0.1"));
    if let Some(default) = loopback.filter(|_| !env.iter().any(|e| e.name == "HOST")) {
        findings.push(Finding::info(
            "loopback-bind",
            format!(
                "Adonis's server listens on HOST, {default} by default ({}): the service sets HOST=0.0.0.0, so the load balancer reaches the task",
                server.at
            ),
            server.at.clone(),
        ));
        env.push(EnvVar::set_by_ferry(
            "HOST",
            "0.0.0.0",
            format!("Adonis listens on loopback by default ({})", server.at),
        ));
    }
    if !env.iter().any(|e| e.name == "ENV_SILENT" || e.name == "ENV_PATH") {
        findings.push(Finding::info(
            "env-file",
            format!(
                "Adonis 4 stops at start without a .env file, which the image does not carry ({}): the service sets ENV_SILENT=true, and the variables come from the service",
                server.at
            ),
            server.at.clone(),
        ));
        let why = format!("Adonis needs it without a .env file ({})", server.at);
        env.push(EnvVar::set_by_ferry("ENV_SILENT", "true", why));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const BOOT: &str = "const { Ignitor } = require('@adonisjs/ignitor')\nnew Ignitor(require('@adonisjs/fold'))\n  .appRoot(__dirname)\n  .fireHttpServer()\n";

    #[test]
    fn adonis_4_listens_on_port_3333_and_localhost() {
        let files = AppFiles::from_pairs([
            ("package.json", r#"{"dependencies": {"@adonisjs/ignitor": "^2.0.8"}}"#),
            ("server.js", BOOT),
        ]);
        let reads: Vec<(String, Option<String>, String)> =
            listen_reads(&files).into_iter().map(|r| (r.name, r.default, r.source)).collect();
        assert_eq!(
            reads,
            [
                ("PORT".into(), Some("3333".into()), "server.js:4".into()),
                ("HOST".into(), Some("localhost".into()), "server.js:4".into())
            ]
        );
    }

    #[test]
    fn no_adonis_no_reads() {
        let files =
            AppFiles::from_pairs([("package.json", r#"{"dependencies": {"express": "4"}}"#), ("server.js", BOOT)]);
        assert!(listen_reads(&files).is_empty());
    }
}
