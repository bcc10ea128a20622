//! What a Node.js app's code does that breaks behind a load balancer or in an image: sessions
//! and rate limits kept in memory, Fastify listening on loopback, builds that need the
//! database, install scripts that need development tools, in-process schedulers.

use serde_json::Value;

use super::app_files::AppFiles;
use super::readiness;
use super::source::is_test_path;
use crate::model::Finding;

const EXTENSIONS: [&str; 6] = ["js", "mjs", "cjs", "ts", "mts", "cts"];

/// How many lines after a call its options are looked for in (`session({` ... `})`).
const OPTIONS_SPAN: usize = 15;

pub fn findings(files: &AppFiles, manifest: &Value, findings: &mut Vec<Finding>) {
    let depends_on = |name: &str| manifest.pointer(&format!("/dependencies/{}", name.replace('/', "~1"))).is_some();
    let running = || files.with_extensions(&EXTENSIONS).filter(|(path, _)| !is_test_path(path));
    let logins = super::node_session_store::keeps_logins(running().map(|(_, text)| text));
    for (path, text) in running() {
        findings.extend(super::node_session_store::findings(path, text, logins));
        // What the file uses, asked once per file rather than once per line.
        let express_limit = text.contains("express-rate-limit");
        let fastify_limit = text.contains("@fastify/rate-limit");
        let fastify = text.contains("fastify") || text.contains("Fastify");
        if !(express_limit || fastify_limit || fastify || text.contains("RateLimiterMemory")) {
            continue;
        }
        // A positional `listen(port)` is claimed only in a file that makes a Fastify server
        // itself: an `http` server's `listen(port)` binds every interface.
        let (nest, imports_fastify) = (text.contains("FastifyAdapter"), imports_fastify(text));
        let lines: Vec<&str> = text.lines().collect();
        let options = |index: usize| lines[index..lines.len().min(index + OPTIONS_SPAN)].join("\n");
        for (index, line) in lines.iter().enumerate() {
            let at = || format!("{path}:{}", index + 1);
            let limiter = (express_limit && (line.contains("rateLimit({") || line.contains("RateLimit({")))
                || (fastify_limit && line.contains("register(") && line.contains("ateLimit"));
            if limiter && !options(index).contains("store") && !options(index).contains("redis") {
                findings.push(readiness::in_memory_rate_limit("the rate limiter's memory store", at()));
            }
            if line.contains("new RateLimiterMemory(") {
                findings.push(readiness::in_memory_rate_limit("RateLimiterMemory", at()));
            }
            let commented = ["//", "/*", "*"].iter().any(|opener| line.trim_start().starts_with(opener));
            if fastify
                && !commented
                && line.contains(".listen(")
                && let Some(finding) = fastify_loopback(line, &options(index), (nest, imports_fastify), at())
            {
                findings.push(finding);
            }
        }
    }
    // A dependency no live code imports does nothing: each claim cites the import.
    let used =
        |package: &str| depends_on(package).then(|| super::node_package_use::imported_at(files, package)).flatten();
    if let Some(at) = used("memorystore") {
        findings.push(readiness::in_memory_sessions("memorystore", at));
    }
    for scheduler in ["node-schedule", "croner", "agenda", "bree", "toad-scheduler"] {
        if let Some(at) = used(scheduler) {
            findings.push(readiness::scheduler(at));
        }
    }
    findings.extend(shared_state(files, manifest));
    findings.extend(install_needs_dev_dependencies(files, manifest));
    findings.extend(super::node_install_database::findings(manifest, files.get("package.json").unwrap_or_default()));
}

/// What each task keeps to itself that a second task would need: socket.io's rooms without a
/// shared adapter, and Nest's `@Cron` jobs, which every task runs.
fn shared_state(files: &AppFiles, manifest: &Value) -> Vec<Finding> {
    let dependencies: Vec<&str> = ["dependencies", "optionalDependencies"]
        .iter()
        .filter_map(|field| manifest.get(field)?.as_object())
        .flat_map(|deps| deps.keys().map(String::as_str))
        .collect();
    let code: Vec<(&str, &str)> = files.with_extensions(&EXTENSIONS).filter(|(path, _)| !is_test_path(path)).collect();
    let first_line = |needles: &[&str]| {
        code.iter().find_map(|(path, text)| {
            let index = text.lines().position(|l| needles.iter().any(|n| l.contains(n)))?;
            Some(format!("{path}:{}", index + 1))
        })
    };
    let mut found: Vec<Finding> = super::node_socket_io::finding(files, manifest).into_iter().collect();
    // Without a `@Cron` or `@Interval` in the code, the module schedules nothing.
    if dependencies.contains(&"@nestjs/schedule")
        && let Some(at) = first_line(&["@Cron(", "@Interval("])
    {
        found.push(readiness::scheduler(at));
    }
    found
}

/// `fastify.listen({ port })` without a host listens on localhost only.
fn fastify_loopback(line: &str, options: &str, (nest, imports_fastify): (bool, bool), at: String) -> Option<Finding> {
    // Nest on its Fastify adapter: `app.listen(port)` binds localhost, `app.listen(port,
    // '0.0.0.0')` every interface.
    if nest && let Some((_, arguments)) = line.split_once(".listen(") {
        let arguments = arguments.split(')').next().unwrap_or_default().trim();
        if arguments.is_empty() || arguments.starts_with('{') || arguments.contains(',') {
            return None;
        }
        return Some(
            Finding::blocker(
                "loopback-bind",
                "Nest on the Fastify adapter listens on localhost unless listen() is given a host: the load balancer cannot reach the task",
                at,
            )
            .with_fix("pass the host as listen()'s second argument: app.listen(port, '0.0.0.0')"),
        );
    }
    // `server.listen(8081)`, `fastify.listen(port, cb)`: the positional port, no host.
    let positional = imports_fastify
        && options
            .split_once(".listen(")
            .is_some_and(|(_, after)| super::fastify_positional_listen::binds_loopback(after));
    if positional {
        return Some(loopback_blocker(at));
    }
    let listen = line.contains(".listen({") || (line.trim_end().ends_with(".listen(") && options.contains("port"));
    let call = options.split("})").next().unwrap_or(options);
    if !listen || call.contains("host") {
        return None;
    }
    Some(loopback_blocker(at))
}

fn loopback_blocker(at: String) -> Finding {
    Finding::blocker(
        "loopback-bind",
        "Fastify listens on localhost unless given a host: the load balancer cannot reach the task",
        at,
    )
    .with_fix("pass host: '0.0.0.0' to listen(), or read it from a HOST variable the service sets")
}

/// Whether `text` loads Fastify itself: `require('fastify')`, `from 'fastify'`.
fn imports_fastify(text: &str) -> bool {
    ["'fastify'", "\"fastify\""].iter().any(|name| text.contains(name))
}

/// Development tools that only install git hooks (and the CI check around them): a script of
/// nothing else does no work an image needs, so the image can drop it.
const HOOK_TOOLS: [&str; 5] = ["husky", "simple-git-hooks", "lefthook", "is-ci", "pinst"];

/// `prepare: husky install` or `postinstall: gulp build` with the tool a development
/// dependency: the production install runs the script and fails, unless the script is
/// written to go on without it (`husky || true`).
fn install_needs_dev_dependencies(files: &AppFiles, manifest: &Value) -> Option<Finding> {
    let dev = manifest.get("devDependencies")?.as_object()?;
    ["prepare", "postinstall"].into_iter().find_map(|name| {
        let line = manifest.pointer(&format!("/scripts/{name}"))?.as_str()?;
        let words = || line.split(|c: char| !(c.is_ascii_alphanumeric() || c == '-'));
        let tool = words().find(|w| dev.contains_key(*w))?;
        let tools: Vec<&str> = words().filter(|w| dev.contains_key(*w)).collect();
        if super::node_tolerant_script::tolerates_absence(files, manifest, line, &tools) {
            return None;
        }
        let fix = if name == "prepare" || hooks_only(line, dev) {
            format!("the image drops the {name} script before installing production dependencies")
        } else {
            "install with development dependencies for the build, then prune them, or move the tool to dependencies"
                .to_string()
        };
        Some(
            Finding::warning(
                "install-needs-dev-deps",
                format!(
                    "the {name} script runs {tool}, a development dependency: a production install would fail on it"
                ),
                format!("package.json scripts.{name}"),
            )
            .with_fix(fix),
        )
    })
}

/// Whether a script only installs git hooks: each command in it runs a hook tool the app keeps
/// among its development dependencies, `git`, or a shell word (`is-ci || husky install`,
/// `npx husky`, `cd .. && husky install app/.husky`).
fn hooks_only(line: &str, dev: &serde_json::Map<String, Value>) -> bool {
    const RUNNERS: [&str; 4] = ["npx", "pnpm", "yarn", "exec"];
    const SHELL: [&str; 5] = ["true", "exit", "echo", "git", "cd"];
    let programs: Vec<&str> = line
        .split(['&', '|', ';'])
        .filter_map(|part| part.split_whitespace().map(|w| w.trim_start_matches('(')).find(|w| !RUNNERS.contains(w)))
        .filter(|program| !SHELL.contains(program))
        .collect();
    !programs.is_empty() && programs.iter().all(|program| HOOK_TOOLS.contains(program) && dev.contains_key(*program))
}

/// The install scripts the image's copy of package.json goes without: `prepare` when it needs
/// a development tool, and a `postinstall` that only installs git hooks.
pub fn skipped_install_scripts(files: &AppFiles, manifest: &Value) -> Vec<String> {
    let Some(finding) = install_needs_dev_dependencies(files, manifest) else { return Vec::new() };
    let dropped = finding.fix.as_deref().is_some_and(|fix| fix.starts_with("the image drops"));
    let script = finding.source.trim_start_matches("package.json scripts.");
    if dropped { vec![script.to_string()] } else { Vec::new() }
}

/// What the image's copy of package.json changes in the install scripts: the scripts its
/// production install drops (they need development tools), and those every install keeps
/// only the steps of that need no database (none, when all of them do).
pub fn install_script_changes(files: &AppFiles, manifest: &Value) -> (Vec<String>, Vec<(String, String)>) {
    let skipped = skipped_install_scripts(files, manifest);
    let trimmed = super::node_install_database::splits(manifest)
        .into_iter()
        .filter(|split| !skipped.contains(&split.script))
        .map(|split| (split.script, split.rest.join(" && ")))
        .collect();
    (skipped, trimmed)
}

/// The commands of the package's own lifecycle scripts an install runs (`preinstall`,
/// `install`, `postinstall`, `prepare`), less those the image drops, and as the image trims
/// them.
pub fn kept_install_scripts(manifest: &Value, skipped: &[String], trimmed: &[(String, String)]) -> Vec<String> {
    ["preinstall", "install", "postinstall", "prepare"]
        .into_iter()
        .filter(|name| !skipped.iter().any(|s| s == name))
        .filter_map(|name| match trimmed.iter().find(|(script, _)| script == name) {
            Some((_, steps)) => Some(steps.as_str()),
            None => manifest.pointer(&format!("/scripts/{name}"))?.as_str(),
        })
        .map(str::trim)
        .filter(|command| !command.is_empty())
        .map(str::to_string)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        let files = AppFiles::from_pairs(pairs.iter().copied());
        let manifest: Value = serde_json::from_str(files.get("package.json").unwrap_or("{}")).unwrap();
        let mut found = Vec::new();
        findings(&files, &manifest, &mut found);
        found.into_iter().map(|f| (f.kind, f.source)).collect()
    }

    #[test]
    fn realtime_without_an_adapter_and_nest_cron_jobs() {
        let manifest = r#"{"dependencies": {"sails": "1", "sails-hook-sockets": "3", "@nestjs/schedule": "6"}}"#;
        let found = kinds(&[
            ("package.json", manifest),
            (
                "config/env/production.js",
                "module.exports = {\n  datastores: {\n    // adapter: 'sails-mysql',\n  },\n  sockets: {\n    // Install @sailshq/socket.io-redis first.\n    // adapter: '@sailshq/socket.io-redis',\n  },\n};\n",
            ),
            ("src/cron.service.ts", "export class CronService {\n  @Cron(CronExpression.EVERY_HOUR)\n  run() {}\n}\n"),
        ]);
        let expected = [("in-memory-pubsub", "config/env/production.js:7"), ("scheduler", "src/cron.service.ts:2")];
        assert_eq!(found, expected.map(|(k, s)| (k.to_string(), s.to_string())));
        let shared = manifest.replace(r#""sails": "1""#, r#""@sailshq/socket.io-redis": "6""#);
        let found = kinds(&[("package.json", &shared)]);
        assert!(!found.iter().any(|(kind, _)| kind == "in-memory-pubsub"), "an adapter shares the messages: {found:?}");
    }

    #[test]
    fn a_postinstall_of_git_hooks_alone_is_dropped_from_the_image() {
        let manifest = |script: &str, dev: &str| -> Value {
            serde_json::from_str(&format!(r#"{{"scripts":{{"postinstall":"{script}"}},"devDependencies":{{{dev}}}}}"#))
                .unwrap()
        };
        let husky = r#""husky":"9""#;
        assert_eq!(skipped_install_scripts(&AppFiles::default(), &manifest("husky", husky)), ["postinstall"]);
        let ci = r#""husky":"8","is-ci":"3""#;
        assert_eq!(
            skipped_install_scripts(&AppFiles::default(), &manifest("is-ci || npx husky install", ci)),
            ["postinstall"]
        );
        let build = r#""husky":"9","gulp":"4""#;
        assert!(
            skipped_install_scripts(&AppFiles::default(), &manifest("husky && gulp build", build)).is_empty(),
            "gulp builds something"
        );
        let unlisted = r#""gulp":"4""#;
        assert!(
            skipped_install_scripts(&AppFiles::default(), &manifest("husky", unlisted)).is_empty(),
            "no dev tool, no finding"
        );
        let prepare: Value =
            serde_json::from_str(r#"{"scripts":{"prepare":"tsc"},"devDependencies":{"tsc":"1"}}"#).unwrap();
        assert_eq!(skipped_install_scripts(&AppFiles::default(), &prepare), ["prepare"]);
    }

    #[test]
    fn memory_stores_and_loopback() {
        let found = kinds(&[
            (
                "src/app.js",
                "const session = require('express-session');\nconst rateLimit = require('express-rate-limit');\napp.use(session({\n  secret: process.env.SESSION_SECRET,\n  resave: false,\n}));\napp.use(rateLimit({ windowMs: 60000, max: 100 }));\n",
            ),
            ("src/server.ts", "import Fastify from 'fastify';\nawait app.listen({ port: 3000 });\n"),
            ("src/ok.ts", "import Fastify from 'fastify';\nawait app.listen({ port: 3000, host: '0.0.0.0' });\n"),
        ]);
        let expected = [
            ("in-memory-sessions", "src/app.js:3"),
            ("in-memory-rate-limit", "src/app.js:7"),
            ("loopback-bind", "src/server.ts:2"),
        ];
        assert_eq!(found, expected.map(|(k, s)| (k.to_string(), s.to_string())));
    }

    #[test]
    fn a_session_with_a_store_is_fine() {
        let found = kinds(&[(
            "app.js",
            "const session = require('express-session');\napp.use(session({\n  store: MongoStore.create({}),\n}));\n",
        )]);
        assert!(found.is_empty(), "{found:?}");
    }

    #[test]
    fn installs_that_need_dev_tools() {
        let found = kinds(&[(
            "package.json",
            r#"{"scripts":{"build":"npm-run-all build-db build-app","build-db":"prisma migrate deploy","build-app":"next build","prepare":"husky install"},"devDependencies":{"husky":"^8"}}"#,
        )]);
        let kinds: Vec<&str> = found.iter().map(|(k, _)| k.as_str()).collect();
        assert_eq!(kinds, ["install-needs-dev-deps"]);
    }
}
