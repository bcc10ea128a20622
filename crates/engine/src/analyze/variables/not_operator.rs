//! Names the code reads that no operator sets: what npm sets for the script it runs
//! (`npm_lifecycle_event`, `npm_package_version`), the switch of a build-time bundle analyzer in
//! `next.config.js` (`enabled: process.env.ANALYZE === 'true'`), and a variable the app's entry
//! sets to a constant before anything reads it (`process.env.WC_SERVER = 'true'`), which
//! overwrites whatever the service would set.

use std::sync::LazyLock;

use regex::Regex;

use super::VariableRead;
use crate::model::VariableScope;

/// `process.env.NAME = 'literal';` at the top of a module, outside any function or branch.
static SET_TO_CONSTANT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"^process\.env(?:\.([A-Za-z_][A-Za-z0-9_]*)|\[\s*['"]([A-Za-z_][A-Za-z0-9_]*)['"]\s*\])\s*=\s*(?:'[^']*'|"[^"]*"|\d+|true|false)\s*;?\s*(?://.*)?$"#)
        .expect("valid pattern")
});

/// How many lines a bundle analyzer's options span after the line that loads it.
const ANALYZER_SPAN: usize = 3;

/// Marks what npm or a build-time analyzer reads as tooling, and drops what the app sets to a
/// constant itself.
pub fn settle(sources: &[(&str, &str)], found: &mut Vec<VariableRead>) {
    let constants = set_to_constant(sources);
    found.retain(|read| !constants.contains(&read.name));
    for read in found.iter_mut() {
        let npm = ["npm_lifecycle_", "npm_package_", "npm_config_"].iter().any(|p| read.name.starts_with(p));
        if npm || analyzer_switch(sources, &read.source) {
            read.tooling = true;
        }
    }
}

/// The names the running app's modules set to a literal at their top level.
fn set_to_constant(sources: &[(&str, &str)]) -> Vec<String> {
    let runtime = |path: &str| super::scope::of(path) == VariableScope::Runtime;
    sources
        .iter()
        .filter(|(path, _)| runtime(path))
        .flat_map(|(_, text)| text.lines().filter_map(|line| SET_TO_CONSTANT.captures(line)))
        .filter_map(|captures| captures.get(1).or(captures.get(2)).map(|m| m.as_str().to_string()))
        .collect()
}

/// The read at `source` sits in the options of `@next/bundle-analyzer` in a Next.js config.
fn analyzer_switch(sources: &[(&str, &str)], source: &str) -> bool {
    let Some((path, line)) = source.rsplit_once(':') else { return false };
    let name = path.rsplit('/').next().unwrap_or(path);
    let Ok(line) = line.parse::<usize>() else { return false };
    if !name.starts_with("next.config.") || line == 0 {
        return false;
    }
    let Some((_, text)) = sources.iter().find(|(p, _)| *p == path) else { return false };
    let lines: Vec<&str> = text.lines().collect();
    // The analyzer's options close with `})` before anything else in the file is read.
    let above = &lines[line.saturating_sub(ANALYZER_SPAN + 1)..(line - 1).min(lines.len())];
    above
        .iter()
        .rposition(|l| l.contains("bundle-analyzer"))
        .is_some_and(|opened| !above[opened + 1..].iter().any(|l| l.trim_start().starts_with(['}', ')'])))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_no_operator_sets() {
        let server =
            "process.env.SERVE_MODE = 'true'; // tells the handlers\nfunction f() {\n  process.env.LATER = 'x';\n}\n";
        let next = "const withAnalyzer = require(\"@next/bundle-analyzer\")({\n  enabled: process.env.ANALYZE === \"true\"\n})\nmodule.exports = withAnalyzer({ env: { API: process.env.API_ORIGIN } })\n";
        let sources = [("server.js", server), ("next.config.js", next)];
        let mut found = vec![
            VariableRead::new("SERVE_MODE", "api/handler.js:3"),
            VariableRead::new("LATER", "api/handler.js:4"),
            VariableRead::new("ANALYZE", "next.config.js:2"),
            VariableRead::new("API_ORIGIN", "next.config.js:4"),
            VariableRead::new("npm_lifecycle_event", "src/config.ts:1"),
        ];
        settle(&sources, &mut found);
        let kept: Vec<(&str, bool)> = found.iter().map(|r| (r.name.as_str(), r.tooling)).collect();
        assert_eq!(kept, [("LATER", false), ("ANALYZE", true), ("API_ORIGIN", false), ("npm_lifecycle_event", true)]);
    }
}
