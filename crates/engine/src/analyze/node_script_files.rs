//! Files only a package script runs: `"seed:up": "ts-node database/seed"`. A seed or
//! migration script that a developer or a release step runs by hand is not the server, so what
//! it does (`await migrator.up()`) does not happen at every start.

use std::collections::BTreeSet;

use serde_json::Value;

use super::app_files::AppFiles;
use super::node_imports;

/// Programs that run a script file given as their first argument.
const RUNNERS: [&str; 5] = ["node", "ts-node", "tsx", "babel-node", "ts-node-esm"];

/// The files a package.json script other than `start` runs directly, that nothing imports and
/// that listen on nothing: scripts, not the server.
pub fn run_only_by_scripts(files: &AppFiles) -> BTreeSet<String> {
    let Some(manifest) = files.get("package.json").and_then(|t| serde_json::from_str::<Value>(t).ok()) else {
        return BTreeSet::new();
    };
    let Some(scripts) = manifest.get("scripts").and_then(Value::as_object) else { return BTreeSet::new() };
    let run: BTreeSet<String> = scripts
        .iter()
        .filter(|(name, _)| name.as_str() != "start")
        .filter_map(|(_, line)| script_file(files, line.as_str()?))
        .filter(|path| files.get(path).is_some_and(|text| !text.contains(".listen(")))
        .collect();
    if run.is_empty() {
        return run;
    }
    let code = files.with_extensions(&["js", "mjs", "cjs", "ts", "mts", "cts"]);
    let imported: BTreeSet<String> = code
        .flat_map(|(path, text)| {
            node_imports::imports(text).into_iter().filter_map(move |(_, s)| node_imports::resolve(files, path, &s))
        })
        .collect();
    run.into_iter().filter(|path| !imported.contains(path)).collect()
}

/// The file a script line runs with a runner: `ts-node database/seed` → `database/seed.ts`.
fn script_file(files: &AppFiles, line: &str) -> Option<String> {
    let words: Vec<&str> = line.split_whitespace().filter(|w| !w.contains('=')).collect();
    let at = words.iter().position(|w| RUNNERS.contains(w))?;
    let file = words[at + 1..].iter().find(|w| !w.starts_with('-'))?;
    node_imports::resolve_path(files, file)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_seed_script_is_not_the_server() {
        let files = AppFiles::from_pairs([
            (
                "package.json",
                r#"{"scripts":{"start":"node server.js","seed":"NODE_ENV=dev ts-node db/seed","dev":"node server.js"}}"#,
            ),
            ("server.js", "require('./db/connect');\napp.listen(3000);\n"),
            ("db/seed.ts", "await migrator.up();\n"),
            ("db/connect.js", "module.exports = connect;\n"),
        ]);
        assert_eq!(run_only_by_scripts(&files).into_iter().collect::<Vec<_>>(), ["db/seed.ts"]);
    }
}
