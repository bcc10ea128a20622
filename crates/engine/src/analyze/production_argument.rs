//! A production mode picked by a command-line argument: `const env = process.argv[2]`, then
//! `if (env === 'prod')` loads the production settings and anything else the development ones.
//! Started as `node dist/app.js`, the image would run with the development settings (their
//! localhost database, their debug switches), so the command gets the argument.

use std::sync::LazyLock;

use regex::Regex;

use super::app_files::AppFiles;
use super::source::{Fact, is_test_path};
use super::variables::scope_of;
use crate::model::{Finding, VariableScope};

/// `const env = process.argv[2]`: the name that holds the first argument.
static HELD: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\b(?:const|let|var)\s+([A-Za-z_$][\w$]*)\s*=\s*process\.argv\[2\]").expect("valid pattern")
});

const EXTENSIONS: [&str; 6] = ["js", "mjs", "cjs", "ts", "mts", "cts"];

/// The argument (`prod`, `production`) and where the code compares the first argument to it.
pub fn production_argument(files: &AppFiles) -> Option<(String, String)> {
    let running = |path: &str| !is_test_path(path) && scope_of(path) == VariableScope::Runtime;
    files.with_extensions(&EXTENSIONS).filter(|(path, _)| running(path)).find_map(|(path, text)| {
        let held = HELD.captures(text).map(|c| c[1].to_string());
        let subjects: Vec<String> = held.into_iter().chain(["process.argv[2]".to_string()]).collect();
        text.lines().enumerate().find_map(|(index, line)| {
            subjects.iter().find_map(|subject| {
                ["prod", "production"].iter().find_map(|mode| {
                    let compared = [
                        format!("{subject} === '{mode}'"),
                        format!("{subject} === \"{mode}\""),
                        format!("{subject} == '{mode}'"),
                    ];
                    compared
                        .iter()
                        .any(|c| line.contains(c.as_str()))
                        .then(|| (mode.to_string(), format!("{path}:{}", index + 1)))
                })
            })
        })
    })
}

/// `node <entry>` with no argument of its own gets the production argument, with an info.
pub fn add(files: &AppFiles, start: &mut Fact<Vec<String>>, findings: &mut Vec<Finding>) {
    if start.value.len() != 2 || start.value[0] != "node" {
        return;
    }
    let Some((mode, at)) = production_argument(files) else { return };
    start.value.push(mode.clone());
    findings.push(Finding::info(
        "production-argument",
        format!("the code loads its production settings only when started with `{mode}` as its first argument: the command passes it"),
        at,
    ));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_argument_that_picks_the_production_settings() {
        let config = "const env = process.argv[2]\nfunction load() {\n  if (env === 'prod') {\n    return require('./index.prod')\n  }\n  return require('./index.dev')\n}\n";
        let files = AppFiles::from_pairs([("src/config/index.ts", config)]);
        let mut start =
            Fact { value: vec!["node".to_string(), "dist/app.js".to_string()], source: "package.json".into() };
        let mut findings = Vec::new();
        add(&files, &mut start, &mut findings);
        assert_eq!(start.value, ["node", "dist/app.js", "prod"]);
        assert_eq!(findings[0].source, "src/config/index.ts:3");
        let mut given = Fact { value: vec!["node".into(), "app.js".into(), "staging".into()], source: String::new() };
        add(&files, &mut given, &mut Vec::new());
        assert_eq!(given.value.len(), 3, "a command with its own argument keeps it");
        let other =
            AppFiles::from_pairs([("src/cli.ts", "const cmd = process.argv[2]\nif (cmd === 'migrate') run()\n")]);
        assert!(production_argument(&other).is_none());
    }
}
