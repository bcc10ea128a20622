//! Tables made only by a script: `"setup-db": "node db/setup.js"`, whose file calls Sequelize's
//! `sequelize.sync(...)`, while the server itself never syncs. On a fresh database every query
//! fails with "no such table" until someone runs it; with `{ force: true }` the script drops
//! every table first, so it must run once, never at each start or release.

use serde_json::Value;

use super::app_files::AppFiles;
use super::node_imports::{live_lines, resolve_path};
use super::source::is_test_path;
use crate::model::Finding;

/// The `migrations-separate-step` warning naming the script, when no other code syncs.
pub fn finding(files: &AppFiles) -> Option<Finding> {
    let text = files.get("package.json")?;
    let manifest: Value = serde_json::from_str(text).ok()?;
    let scripts = manifest.get("scripts")?.as_object()?;
    let (name, file, sync_line, forced) = scripts.iter().find_map(|(name, body)| {
        let file = body.as_str()?.strip_prefix("node ")?.split_whitespace().next()?;
        let file = resolve_path(files, file)?;
        let (line, forced) = sync_call(files.get(&file)?)?;
        Some((name, file, line, forced))
    })?;
    let code = files.with_extensions(&["js", "mjs", "cjs", "ts"]);
    let synced_elsewhere =
        code.filter(|(path, _)| *path != file && !is_test_path(path)).any(|(_, text)| sync_call(text).is_some());
    if synced_elsewhere {
        return None;
    }
    let drops = if forced {
        ", and it drops every table first (`sync({ force: true })`): run it once on a new database, never at each release"
    } else {
        ""
    };
    Some(
        Finding::warning(
            "migrations-separate-step",
            format!("the tables are made only by `npm run {name}` ({file} syncs the models), which the start does not run: on a fresh database every query fails until it runs{drops}"),
            format!("{file}:{}", sync_line + 1),
        )
        .with_fix(format!("run `npm run {name}` once as a one-off task against the shared database, before the first deploy")),
    )
}

/// The 0-based line of a live `.sync(` call in `text`, and whether it forces (drops) tables.
fn sync_call(text: &str) -> Option<(usize, bool)> {
    let lines = live_lines(text);
    let index =
        lines.iter().position(|line| line.contains(".sync(") && !line.contains("fs.") && !line.contains("Sync("))?;
    let call: String = lines[index..lines.len().min(index + 3)].concat();
    Some((index, call.contains("force: true") || call.contains("force:true")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_setup_script_that_syncs_with_force() {
        let manifest = r#"{"scripts":{"start":"node index.js","setup-db":"node db/setup.js"}}"#;
        let setup =
            "const db = require('../models');\nasync function run() {\n  await db.sync({ force: true });\n}\nrun();\n";
        let files = AppFiles::from_pairs([
            ("package.json", manifest),
            ("db/setup.js", setup),
            ("index.js", "app.listen(3000);\n"),
        ]);
        let found = finding(&files).expect("the script makes the tables");
        assert_eq!(found.source, "db/setup.js:3");
        assert!(found.message.contains("npm run setup-db") && found.message.contains("drops every table"));
        let syncing = AppFiles::from_pairs([
            ("package.json", manifest),
            ("db/setup.js", setup),
            ("index.js", "db.sync().then(() => app.listen(3000));\n"),
        ]);
        assert!(finding(&syncing).is_none(), "the server syncs at start");
    }
}
