//! The build scripts that produce what the start entry loads. A server entry that requires
//! `./dist/server.bundle.js` in production needs the script that writes that bundle; when
//! `scripts.build` makes only the browser bundle and `build:server` makes the server's, the
//! image must run both, or `node index.js` dies with "Cannot find module".

use serde_json::Value;

use super::app_files::AppFiles;
use super::node_imports;
use super::start_chain::{Step, step_kind};

/// Folders a build writes into, so a file required from them is not in the source.
const BUILD_OUTPUTS: [&str; 5] = ["dist/", "build/", "out/", "lib/", ".output/"];

/// Words a file name shares with any build, which say nothing about which one makes it.
const COMMON_WORDS: [&str; 8] = ["bundle", "index", "main", "dist", "build", "output", "app", "prod"];

/// Scripts for another purpose than the production artefacts.
const NOT_FOR_PRODUCTION: [&str; 7] = ["dev", "watch", "test", "analy", "stats", "storybook", "doc"];

/// `npm run build:server` for each script of the `build:*` family, not run by `scripts.build`,
/// whose name or command names the output file the production path of `entry` requires.
pub fn steps_for_entry(files: &AppFiles, manifest: &Value, entry: &str, runner: &str) -> Vec<String> {
    let Some(scripts) = manifest.get("scripts").and_then(Value::as_object) else { return Vec::new() };
    let Some(text) = files.get(entry) else { return Vec::new() };
    let folder = entry.rsplit_once('/').map_or("", |(folder, _)| folder);
    let missing_outputs: Vec<String> = node_imports::production_imports(text)
        .into_iter()
        .filter(|(_, specifier)| specifier.starts_with('.'))
        .filter_map(|(_, specifier)| super::app_files::normalized(&format!("{folder}/{specifier}")))
        .map(|path| path.trim_start_matches("./").to_string())
        .filter(|path| BUILD_OUTPUTS.iter().any(|o| path.starts_with(o)))
        .filter(|path| node_imports::resolve_path(files, path).is_none())
        .collect();
    let build = scripts.get("build").and_then(Value::as_str).unwrap_or("");
    let mut steps = Vec::new();
    for (name, command) in scripts {
        let Some(command) = command.as_str() else { continue };
        let family = name.starts_with("build:") || name.starts_with("build-");
        let run_by_build = build.split(|c: char| c.is_whitespace() || c == '&').any(|w| w == name);
        let for_production = !NOT_FOR_PRODUCTION.iter().any(|w| name.contains(w));
        if !family || run_by_build || !for_production || step_kind(command) != Step::Build {
            continue;
        }
        let makes_output = missing_outputs.iter().any(|output| {
            output_words(output).any(|word| name.contains(word) || command.to_ascii_lowercase().contains(word))
        });
        if makes_output {
            steps.push(format!("{runner} run {name}"));
        }
    }
    steps
}

/// The telling words of an output's file name: `dist/server.bundle.js` → `server`.
fn output_words(output: &str) -> impl Iterator<Item = &str> {
    let file = output.rsplit('/').next().unwrap_or(output);
    file.split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|word| word.len() >= 4 && !COMMON_WORDS.contains(word) && !["js", "cjs", "mjs"].contains(word))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_script_that_writes_the_server_bundle() {
        let manifest = r#"{"scripts":{"build":"webpack --config webpack.prod.js",
"build:server":"webpack --config webpack.server.js","build:watch":"webpack --watch --config webpack.server.js",
"build:docs":"typedoc"}}"#;
        let entry = "if (process.env.NODE_ENV === 'production') {\n  require('./dist/server.bundle.js');\n} else {\n  require('./src/server');\n}\n";
        let files = AppFiles::from_pairs([("package.json", manifest), ("index.js", entry)]);
        let manifest: Value = serde_json::from_str(manifest).unwrap();
        assert_eq!(steps_for_entry(&files, &manifest, "index.js", "npm"), ["npm run build:server"]);
        let built = AppFiles::from_pairs([("index.js", entry), ("dist/server.bundle.js", "")]);
        assert!(steps_for_entry(&built, &manifest, "index.js", "npm").is_empty(), "the bundle is committed");
    }
}
