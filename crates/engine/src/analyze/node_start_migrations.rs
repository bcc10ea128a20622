//! Migrations a Node.js server's own start runs through a function of the app: the entry file
//! imports `runMigrations` from `./src/migrations.js` and calls it before it imports or starts
//! the server. No migration library's name is on that line, so only the import says what it
//! does; every task that starts runs it, and tasks starting together race on it.

use std::sync::LazyLock;

use regex::Regex;
use serde_json::Value;

use super::app_files::AppFiles;
use super::node_imports::{self, live_lines};
use super::readiness;
use super::source::is_test_path;
use crate::model::Finding;

/// The names an import binds and the relative module it names: `import run from './m.js'`,
/// `import { up as migrate } from '../db/migrate'`, `const { migrate } = require('./migrate')`.
static LOCAL_IMPORT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r#"^\s*(?:import\s+(?:\*\s+as\s+)?(?P<names>[\w$]+|\{[^}]*\}|[\w$]+\s*,\s*\{[^}]*\})\s+from\s+|(?:const|let|var)\s+(?P<required>[\w$]+|\{[^}]*\})\s*=\s*(?:await\s+)?require\(\s*)['"](?P<module>\.{1,2}/[^'"]+)['"]"#,
    )
    .expect("valid pattern")
});

/// The finding for the first call, in the code the start entry runs, of a function imported
/// from a migrations module (or named for migrating).
pub fn finding(files: &AppFiles, manifest: &Value, start: &[String]) -> Option<Finding> {
    let entry = super::node_dev_runtime::entry_file(files, manifest, start)?;
    let (reached, _) = node_imports::reached(files, &entry);
    reached.iter().filter(|path| !is_test_path(path)).find_map(|path| {
        let text = files.get(path)?;
        let (index, call) = migration_call(text)?;
        let what = format!("`{call}`, which {path} runs as the server starts");
        Some(readiness::migrations_at_start(&what, format!("{path}:{}", index + 1)))
    })
}

/// The 0-based line and text of the first live call of a migrating function `text` imports.
fn migration_call(text: &str) -> Option<(usize, String)> {
    let lines = live_lines(text);
    let mut migrating: Vec<String> = Vec::new();
    for line in &lines {
        let Some(captures) = LOCAL_IMPORT.captures(line) else { continue };
        if line.trim_start().starts_with("import type") {
            continue;
        }
        let module_migrates = mentions_migrating(captures["module"].rsplit('/').next().unwrap_or_default());
        let names = captures.name("names").or_else(|| captures.name("required")).map_or("", |m| m.as_str());
        migrating.extend(bound_names(names).into_iter().filter(|name| module_migrates || mentions_migrating(name)));
    }
    lines.iter().enumerate().find_map(|(index, line)| {
        if LOCAL_IMPORT.is_match(line) {
            return None;
        }
        // TypeORM's `await dataSource.runMigrations()`, on whatever the connection is called.
        if line.contains(".runMigrations(") {
            return Some((index, "runMigrations()".to_string()));
        }
        let name = migrating.iter().find(|name| calls(line, name))?;
        let at = line.find(name.as_str()).unwrap_or_default();
        let call = line[at..].split(';').next().unwrap_or_default().trim_end();
        // `runMigrations()` and the call's first line, without a chain that goes on below.
        let call = call.split_inclusive(')').next().unwrap_or(call);
        Some((index, call.to_string()))
    })
}

/// `migrations`, `runMigrations`, `migrate`, `db-migrator`.
fn mentions_migrating(name: &str) -> bool {
    name.to_ascii_lowercase().contains("migrat")
}

/// The local names an import's binding list gives: `run`, `{ up as migrate, down }` → `migrate`,
/// `down`; `def, { a }` → `def`, `a`.
/// Every name the live imports of the app's own modules bind in `text` (`query` of
/// `const query = require('./queries')`).
pub(super) fn local_bindings(text: &str) -> Vec<String> {
    live_lines(text)
        .iter()
        .filter_map(|line| LOCAL_IMPORT.captures(line))
        .flat_map(|captures| {
            let names = captures.name("names").or_else(|| captures.name("required")).map_or("", |m| m.as_str());
            bound_names(names)
        })
        .collect()
}

fn bound_names(names: &str) -> Vec<String> {
    names
        .split([',', '{', '}'])
        .map(|part| {
            let part = part.trim();
            let local = part.rsplit_once(" as ").or_else(|| part.rsplit_once(':')).map_or(part, |(_, local)| local);
            local.trim().to_string()
        })
        .filter(|name| !name.is_empty() && name.chars().all(|c| c.is_alphanumeric() || c == '_' || c == '$'))
        .collect()
}

/// `line` calls `name` or a method of it: `runMigrations()`, `await migrations.up(`.
fn calls(line: &str, name: &str) -> bool {
    line.match_indices(name).any(|(at, _)| {
        let before = line[..at].chars().next_back();
        let standalone = before.is_none_or(|c| !(c.is_alphanumeric() || c == '_' || c == '$' || c == '.'));
        let rest = line[at + name.len()..].trim_start();
        let method = rest
            .strip_prefix('.')
            .and_then(|r| r.split_once('('))
            .is_some_and(|(m, _)| !m.is_empty() && m.chars().all(|c| c.is_alphanumeric() || c == '_'));
        standalone && (rest.starts_with('(') || method)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn start(files: &[(&str, &str)], command: &str) -> Option<Finding> {
        let files = AppFiles::from_pairs(files.iter().copied());
        let manifest: Value = serde_json::from_str(files.get("package.json").unwrap_or("{}")).unwrap();
        let command: Vec<String> = command.split_whitespace().map(str::to_string).collect();
        finding(&files, &manifest, &command)
    }

    #[test]
    fn a_migrations_module_the_entry_calls_before_the_server() {
        let entry = "import runMigrations from './lib/migrations.js';\n\n// runMigrations() in a comment\nrunMigrations()\n  .then(() => import('./lib/server.js'));\n";
        let files = [
            ("package.json", r#"{"scripts":{"start":"node main"}}"#),
            ("main.js", entry),
            ("lib/migrations.js", "export default function run() {}\n"),
            ("lib/migrate-cli.js", "import run from './migrations.js';\nrun(process.argv[2]);\n"),
        ];
        let found = start(&files, "node main").expect("the entry migrates");
        assert_eq!((found.kind.as_str(), found.source.as_str()), ("migrations-at-start", "main.js:4"));
        assert!(found.message.contains("`runMigrations()`, which main.js runs"), "{}", found.message);
    }

    #[test]
    fn names_bound_by_require_and_methods_of_a_migrator() {
        let server = "const { up: applyMigrations } = require('./db/schema');\nconst migrator = require('./db/migrator');\nasync function main() {\n  await migrator.latest();\n}\n";
        let files = [("package.json", "{}"), ("server.js", server), ("db/migrator.js", "")];
        assert_eq!(start(&files, "node server.js").unwrap().source, "server.js:4");
        let other = "import { runSeeds } from './seeds';\nimport config from './migrations/config';\nrunSeeds();\nconsole.log(config.dir);\n";
        let files = [("package.json", "{}"), ("server.js", other)];
        assert!(start(&files, "node server.js").is_none(), "nothing migrating is called");
        assert!(start(&[("package.json", "{}"), ("server.js", server)], "next start").is_none());
        assert_eq!(bound_names("{ up as migrate, down }"), ["migrate", "down"]);
    }
}
