//! A bootstrap file that installs a load hook before it loads the server: `index.js` with
//! `require('@babel/register')` then `require('./app/starter')`. The server's ES modules and
//! decorators only load through the hook, so `node app/starter.js` (package.json `main`) fails
//! on its first `import`: the container starts from the bootstrap file.

use super::app_files::AppFiles;
use super::node_imports;
use super::source::{Fact, fact};

/// Packages whose loading installs a hook that compiles what is required after it.
const LOAD_HOOKS: [&str; 9] = [
    "@babel/register",
    "babel-register",
    "babel-core/register",
    "ts-node/register",
    "ts-node/register/transpile-only",
    "@swc/register",
    "@swc-node/register",
    "sucrase/register",
    "esm",
];

/// `node BOOTSTRAP` for a start `node ENTRY` when a top-level file of the app installs a load
/// hook and then loads ENTRY; `None` when the entry is loaded directly.
pub fn through_bootstrap(files: &AppFiles, start: &Fact<Vec<String>>) -> Option<Fact<Vec<String>>> {
    let [program, entry] = start.value.as_slice() else { return None };
    if program != "node" {
        return None;
    }
    let entry = node_imports::resolve_path(files, entry)?;
    let top_level = files.with_extensions(&["js", "cjs"]).filter(|(path, _)| !path.contains('/'));
    let bootstrap = top_level.filter(|(path, _)| *path != entry).find_map(|(path, text)| {
        let imports = node_imports::imports(text);
        let hook = imports.iter().find(|(_, specifier)| LOAD_HOOKS.contains(&specifier.as_str()))?;
        let loads_entry = imports
            .iter()
            .any(|(_, specifier)| node_imports::resolve(files, path, specifier).as_deref() == Some(entry.as_str()));
        loads_entry.then(|| (path.to_string(), hook.0 + 1))
    })?;
    let (path, line) = bootstrap;
    Some(fact(vec!["node".to_string(), path.clone()], format!("{path}:{line}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn start(line: &str) -> Fact<Vec<String>> {
        fact(line.split_whitespace().map(str::to_string).collect(), "package.json main")
    }

    #[test]
    fn the_file_that_registers_the_compiler_starts_the_server() {
        let files = AppFiles::from_pairs([
            ("boot.js", "require('@babel/register');\n\nrequire('./server/run');\n"),
            ("server/run.js", "import app from './app';\napp.listen(5000);\n"),
        ]);
        let started = through_bootstrap(&files, &start("node server/run.js")).expect("boot.js registers babel");
        assert_eq!(started.value, ["node", "boot.js"]);
        assert_eq!(started.source, "boot.js:1");
        let direct =
            AppFiles::from_pairs([("boot.js", "require('./server/run');\n"), ("server/run.js", "app.listen(5000);\n")]);
        assert!(through_bootstrap(&direct, &start("node server/run.js")).is_none());
    }
}
