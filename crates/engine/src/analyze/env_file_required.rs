//! Code that throws when dotenv finds no `.env` file (`if (dotenv.config().error) throw`): the
//! image has no `.env` (the variables come from the task definition), so the app dies at
//! import even with every variable set.

use std::sync::LazyLock;

use regex::Regex;

use super::app_files::AppFiles;
use super::source::is_test_path;
use crate::model::Finding;

/// `const envFound = dotenv.config();`: the result held under a name.
static HELD: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"(?:const|let|var)\s+([A-Za-z_$][A-Za-z0-9_$]*)\s*=\s*(?:[A-Za-z_$][A-Za-z0-9_$]*\.)?config\(\s*\)"#)
        .expect("valid pattern")
});

/// How many lines after the check its `throw` is looked for.
const SPAN: usize = 6;

pub fn findings(files: &AppFiles) -> Vec<Finding> {
    let code = files.with_extensions(&["js", "mjs", "cjs", "ts", "mts", "cts"]).filter(|(path, _)| !is_test_path(path));
    let mut found = Vec::new();
    for (path, text) in code.filter(|(_, text)| text.contains("dotenv")) {
        let lines = super::node_imports::live_lines(text);
        let held: Vec<String> = lines.iter().filter_map(|l| HELD.captures(l).map(|c| c[1].to_string())).collect();
        for (index, line) in lines.iter().enumerate() {
            let checks = line.contains("config().error")
                || held.iter().any(|name| line.contains(&format!("{name}.error")) && line.contains("if"));
            let throws = lines[index..lines.len().min(index + SPAN)].iter().any(|l| l.contains("throw"));
            if checks && throws {
                found.push(blocker(format!("{path}:{}", index + 1)));
            }
        }
    }
    found
}

fn blocker(at: String) -> Finding {
    Finding::blocker(
        "env-file-required",
        "the app throws when dotenv finds no .env file: the image has none (the service sets the variables), so it stops at start even with every variable set",
        at,
    )
    .with_fix("drop the check (a missing .env is normal in a container), or create an empty .env in the image")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_throw_on_a_missing_env_file() {
        let files = AppFiles::from_pairs([
            (
                "src/config.ts",
                "import dotenv from 'dotenv';\nconst found = dotenv.config();\nif (found.error) {\n  throw new Error('no .env');\n}\n",
            ),
            ("src/inline.js", "const dotenv = require('dotenv');\nif (dotenv.config().error) throw new Error('x');\n"),
            ("src/fine.js", "require('dotenv').config();\n// if (dotenv.config().error) throw 1;\n"),
        ]);
        let sources: Vec<String> = findings(&files).into_iter().map(|f| f.source).collect();
        assert_eq!(sources, ["src/config.ts:3", "src/inline.js:2"]);
    }
}
