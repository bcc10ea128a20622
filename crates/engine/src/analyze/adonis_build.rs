//! AdonisJS 5/6 build with `node ace build`, which compiles the app into `build/` with its own
//! copy of package.json; the `start` script (`node bin/server.js`, `node server.js`) is meant
//! to run inside that folder. From the repository's root, where ferry's image starts it, the
//! compiled entry is `build/bin/server.js`: the root holds only `bin/server.ts`.

use serde_json::Value;

use super::app_files::AppFiles;
use super::source::{Fact, fact};

/// The folder `ace build` writes to.
const OUTPUT: &str = "build";

/// The start with its entry under `build/`, when the build runs `ace build` and the start
/// names a `.js` file the repository has only as TypeScript.
pub fn relocated(files: &AppFiles, manifest: &Value, start: &Fact<Vec<String>>) -> Option<Fact<Vec<String>>> {
    let build = manifest.pointer("/scripts/build").and_then(Value::as_str)?;
    if !build.contains("ace build") {
        return None;
    }
    let [program, entry, rest @ ..] = start.value.as_slice() else { return None };
    let entry = entry.trim_start_matches("./");
    let source = entry.strip_suffix(".js").map(|stem| format!("{stem}.ts"))?;
    if program != "node" || files.has(entry) || !files.has(&source) {
        return None;
    }
    let mut command = vec![program.clone(), format!("{OUTPUT}/{entry}")];
    command.extend(rest.iter().cloned());
    Some(fact(command, format!("{} (`{build}` compiles {source} into {OUTPUT}/)", start.source)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_entry_ace_build_writes() {
        let manifest = r#"{"scripts":{"build":"node ace build","start":"node ./bin/server.js"}}"#;
        let files = AppFiles::from_pairs([("package.json", manifest), ("bin/server.ts", "new Ignitor(root)\n")]);
        let manifest: Value = serde_json::from_str(manifest).unwrap();
        let start = fact(vec!["node".to_string(), "./bin/server.js".to_string()], "package.json scripts.start");
        assert_eq!(relocated(&files, &manifest, &start).unwrap().value, ["node", "build/bin/server.js"]);
        // A start that names a file the repository holds runs as written.
        let committed = AppFiles::from_pairs([("package.json", "{}"), ("bin/server.js", "")]);
        assert!(relocated(&committed, &manifest, &start).is_none());
    }
}
