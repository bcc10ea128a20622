//! A `start` script that runs the package's own command-line tool (`bin`): a repository that is
//! both a library and a server often points `npm start` at the developer CLI it ships to its
//! users, which binds localhost and reads flags, while its image runs the server's entry.

use serde_json::Value;

use super::app_files::{AppFiles, normalized};
use super::node_imports;

/// Whether `command` (`node dist/cli/index.js`) runs a file the package's `bin` names, or one a
/// `bin` file only loads (`cli.js` holding `require("./dist/cli/index")`).
pub fn runs_package_cli(files: &AppFiles, manifest: &Value, command: &[String]) -> bool {
    let [program, file, ..] = command else { return false };
    if program != "node" {
        return false;
    }
    let run = without_extension(file.trim_start_matches("./"));
    bin_files(manifest).iter().any(|bin| {
        let bin = bin.trim_start_matches("./");
        if without_extension(bin) == run {
            return true;
        }
        let Some(text) = files.get(bin) else { return false };
        let folder = bin.rsplit_once('/').map_or("", |(folder, _)| folder);
        // The bin file's own loads, resolved by path: the file they name may only exist once built.
        node_imports::imports(text).iter().filter(|(_, specifier)| specifier.starts_with('.')).any(|(_, specifier)| {
            normalized(&format!("{folder}/{specifier}")).is_some_and(|loaded| without_extension(&loaded) == run)
        })
    })
}

/// The files of `bin`: one string, or a map of command names to files.
fn bin_files(manifest: &Value) -> Vec<String> {
    match manifest.get("bin") {
        Some(Value::String(file)) => vec![file.clone()],
        Some(Value::Object(commands)) => commands.values().filter_map(Value::as_str).map(str::to_string).collect(),
        _ => Vec::new(),
    }
}

/// `dist/cli/index.js` and `dist/cli/index` and `dist/cli` name the same module.
fn without_extension(path: &str) -> String {
    let path = path.trim_start_matches("./").trim_end_matches('/');
    let stem = ["js", "cjs", "mjs"].iter().find_map(|ext| path.strip_suffix(&format!(".{ext}"))).unwrap_or(path);
    stem.strip_suffix("/index").unwrap_or(stem).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(line: &str) -> Vec<String> {
        line.split_whitespace().map(str::to_string).collect()
    }

    #[test]
    fn a_start_that_runs_what_the_bin_loads_is_the_cli() {
        let manifest: Value = serde_json::from_str(r#"{"bin":{"tool":"cli.js"}}"#).unwrap();
        let files = AppFiles::from_pairs([("cli.js", "#!/usr/bin/env node\nrequire(\"./dist/cli/index\");\n")]);
        assert!(runs_package_cli(&files, &manifest, &words("node dist/cli/index.js")));
        assert!(runs_package_cli(&files, &manifest, &words("node cli.js")));
        assert!(!runs_package_cli(&files, &manifest, &words("node dist/server/main.js")));
        let no_bin: Value = serde_json::from_str(r#"{"main":"cli.js"}"#).unwrap();
        assert!(!runs_package_cli(&files, &no_bin, &words("node cli.js")));
    }
}
