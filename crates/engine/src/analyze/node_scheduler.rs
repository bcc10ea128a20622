//! Scheduled jobs (`cron`, `node-cron`, `agenda`) run in every task only when the server's own
//! code loads the scheduler: a module its start entry reaches imports it. Jobs a separate
//! worker entry starts (`node jobs/worker.js`, picked by a start script from an environment
//! variable) run only where that entry runs: the worker is one more service, which must run as
//! exactly one task.

use serde_json::Value;

use super::app_files::AppFiles;
use super::node_imports::{self, package_of};
use super::readiness;
use super::source::is_test_path;
use crate::model::Finding;

/// Packages that run jobs on a schedule inside the process.
const SCHEDULERS: [&str; 3] = ["node-cron", "cron", "agenda"];
const EXTENSIONS: [&str; 6] = ["js", "mjs", "cjs", "ts", "mts", "cts"];

/// The scheduler finding: in-process jobs when the server loads them, a worker to run once when
/// only another entry does. A dependency no live code imports (its wiring commented out, or
/// left over) schedules nothing, so it says nothing.
pub fn finding(files: &AppFiles, manifest: &Value, start: &[String]) -> Option<Finding> {
    // The root's dependencies, or a workspace member's, which the root's install installs.
    let members: Vec<Value> = files
        .files
        .iter()
        .filter(|(path, _)| path.ends_with("/package.json") && !path.contains("node_modules/"))
        .filter_map(|(_, text)| serde_json::from_str(text).ok())
        .collect();
    let depends = |name: &str| {
        std::iter::once(manifest).chain(members.iter()).any(|m| m.pointer(&format!("/dependencies/{name}")).is_some())
    };
    let package = SCHEDULERS.into_iter().find(|name| depends(name))?;
    let importer = files
        .with_extensions(&EXTENSIONS)
        .filter(|(path, _)| !is_test_path(path) && !path.contains("node_modules/"))
        .find_map(|(path, _)| importing_line(files, path, package));
    // A start entry ferry cannot read (a build's output, `dist/server.js`): the import is where
    // the code says it.
    let Some(entry) = super::node_dev_runtime::entry_file(files, manifest, start) else {
        return importer.map(readiness::scheduler);
    };
    let (reached, _) = node_imports::reached(files, &entry);
    if let Some(at) = reached.iter().find_map(|path| importing_line(files, path, package)) {
        return Some(readiness::scheduler(at));
    }
    // An entry that imports none of the app's own files and serves nothing itself (oclif's
    // `bin/run`, which loads its commands by name) says nothing of what the server loads: the
    // import is where the code is.
    let serves = files.get(&entry).is_some_and(|text| text.contains(".listen(") || text.contains("createServer("));
    if reached.len() <= 1 && !serves {
        return importer.map(readiness::scheduler);
    }
    let worker = importer?;
    Some(
        Finding::warning(
            "worker-process",
            format!(
                "the scheduled jobs ({package}) run in {worker}, an entry the server ({entry}) does not load: they run only where that worker runs, and every copy of it runs them"
            ),
            worker,
        )
        .with_fix("run the worker as its own service with exactly one task, beside the web service"),
    )
}

/// Words of a call that changes shared data: a timer that makes one, in a module the server
/// loads, is a scheduled job every task runs (`setInterval(() => query.link.batchRemove(...))`).
const CHANGES: [&str; 9] = ["remove", "delete", "destroy", "purge", "clean", "expire", "prune", "update", "insert"];

/// A module-level `setInterval` whose callback changes shared data, in a module the server's
/// start entry loads: every task runs the job, and each runs it against the same store.
pub fn timer_finding(files: &AppFiles, manifest: &Value, start: &[String]) -> Option<Finding> {
    let entry = super::node_dev_runtime::entry_file(files, manifest, start)?;
    let (reached, _) = node_imports::reached(files, &entry);
    reached.iter().filter(|path| !is_test_path(path)).find_map(|path| {
        let text = files.get(path)?;
        let lines: Vec<&str> = text.lines().collect();
        // The change must go through a module of the app's own (`query.link.batchRemove`), not a
        // `Map` or cache of the process (`hits.delete(ip)`), which each task keeps anyway.
        let own_modules = super::node_start_migrations::local_bindings(text);
        let index = lines.iter().enumerate().position(|(index, line)| {
            line.starts_with("setInterval(") && {
                let body = lines[index..lines.len().min(index + 8)].join("\n");
                own_modules.iter().any(|module| {
                    body.match_indices(&format!("{module}.")).any(|(at, _)| {
                        let call: String =
                            body[at..].chars().take_while(|c| *c != '(').collect::<String>().to_ascii_lowercase();
                        CHANGES.iter().any(|word| call.rsplit('.').next().is_some_and(|method| method.contains(word)))
                    })
                })
            }
        })?;
        Some(readiness::scheduler(format!("{path}:{}", index + 1)))
    })
}

/// `file:line` of the live import of `package` in `path`.
fn importing_line(files: &AppFiles, path: &str, package: &str) -> Option<String> {
    let text = files.get(path)?;
    node_imports::imports(text)
        .into_iter()
        .find(|(_, specifier)| package_of(specifier).as_deref() == Some(package))
        .map(|(index, _)| format!("{path}:{}", index + 1))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        let files = AppFiles::from_pairs(pairs.iter().copied());
        let manifest: Value = serde_json::from_str(files.get("package.json").unwrap_or("{}")).unwrap_or(Value::Null);
        let start = ["node".to_string(), "server.js".to_string()];
        finding(&files, &manifest, &start).into_iter().map(|f| (f.kind, f.source)).collect()
    }

    const MANIFEST: &str = r#"{"dependencies":{"cron":"1"}}"#;

    #[test]
    fn a_module_level_timer_that_changes_data_is_a_job_every_task_runs() {
        let cron = "const query = require('./queries');\n// every 30 seconds\nsetInterval(function () {\n  query.link.batchRemove({ expire_in: ['<', new Date()] }).catch();\n}, 30_000);\n";
        let found = |server: &str, cron: &str| {
            let files = AppFiles::from_pairs([("package.json", "{}"), ("server.js", server), ("cron.js", cron)]);
            let start = ["node".to_string(), "server.js".to_string()];
            timer_finding(&files, &Value::Null, &start).map(|f| (f.kind, f.source))
        };
        let loaded = "if (env.NODE_APP_INSTANCE === 0) {\n  require('./cron');\n}\n";
        assert_eq!(found(loaded, cron), Some(("scheduler".to_string(), "cron.js:3".to_string())));
        assert_eq!(found("const x = 1;\n", cron), None, "the server never loads it");
        let heartbeat = "setInterval(() => {\n  logger.info('alive');\n}, 1000);\n";
        assert_eq!(found(loaded, heartbeat), None, "a timer that changes nothing");
        let limiter = "const hits = new Map();\nsetInterval(() => {\n  for (const [ip, t] of hits) if (t < Date.now()) hits.delete(ip);\n}, 60000);\n";
        assert_eq!(found(loaded, limiter), None, "the process's own map");
    }

    #[test]
    fn jobs_the_server_loads_run_in_every_task() {
        let pairs = [
            ("package.json", MANIFEST),
            ("server.js", "import './jobs.js';\n"),
            ("jobs.js", "import { CronJob } from 'cron';\n"),
        ];
        assert_eq!(kinds(&pairs), [("scheduler".to_string(), "jobs.js:1".to_string())]);
    }

    #[test]
    fn jobs_only_a_worker_entry_loads_are_the_workers() {
        let pairs = [
            ("package.json", MANIFEST),
            ("server.js", "import app from './app.js';\n"),
            ("app.js", "export default {};\n"),
            ("jobs/worker.js", "import dotenv from 'dotenv';\nimport { CronJob } from 'cron';\n"),
        ];
        assert_eq!(kinds(&pairs), [("worker-process".to_string(), "jobs/worker.js:2".to_string())]);
    }

    #[test]
    fn a_members_scheduler_behind_an_entry_that_loads_commands_by_name() {
        let files = AppFiles::from_pairs([
            ("package.json", r#"{"scripts": {"start": "cd packages/server/bin && ./run start"}}"#),
            ("packages/server/package.json", r#"{"dependencies": {"node-cron": "4"}}"#),
            ("packages/server/bin/run", "#!/usr/bin/env node\nconst oclif = require('@oclif/core')\noclif.run()\n"),
            ("packages/server/src/schedule/beat.ts", "import cron from 'node-cron'\ncron.schedule('* * * * *', run)\n"),
        ]);
        let manifest: Value = serde_json::from_str(files.get("package.json").unwrap()).unwrap();
        let start: Vec<String> = ["node", "packages/server/bin/run", "start"].map(String::from).to_vec();
        let found = finding(&files, &manifest, &start).map(|f| (f.kind, f.source));
        assert_eq!(found, Some(("scheduler".to_string(), "packages/server/src/schedule/beat.ts:1".to_string())));
    }

    #[test]
    fn a_scheduler_no_live_code_imports_says_nothing() {
        let commented = [
            ("package.json", MANIFEST),
            ("server.js", "// const { CronJob } = require('cron');\nconsole.log('up');\n"),
        ];
        assert!(kinds(&commented).is_empty());
        let built = [("package.json", MANIFEST), ("src/cron.ts", "import { CronJob } from 'cron';\n")];
        let files = AppFiles::from_pairs(built.iter().copied());
        let manifest: Value = serde_json::from_str(MANIFEST).expect("json");
        let start = ["node".to_string(), "dist/server.js".to_string()];
        let found = finding(&files, &manifest, &start).map(|f| (f.kind, f.source));
        assert_eq!(
            found,
            Some(("scheduler".to_string(), "src/cron.ts:1".to_string())),
            "said where the code imports it"
        );
    }
}
