//! Packages the started server loads that package.json lists only as development dependencies:
//! the image installs production dependencies only (`npm install --omit=dev`), so `node server`
//! dies with "Cannot find module" before it listens.

use std::collections::BTreeSet;

use serde_json::Value;

use super::app_files::AppFiles;
use super::node_imports;
use crate::model::Finding;

/// The blocker naming the development-only packages the start entry's code loads, when the
/// entry is a file of the source folder (a compiled entry is built, not read here).
pub fn finding(files: &AppFiles, manifest: &Value, start: &[String]) -> Option<Finding> {
    let dev = manifest.get("devDependencies")?.as_object()?;
    let listed = |field: &str, name: &str| manifest.get(field).and_then(|d| d.get(name)).is_some();
    let entry = entry_file(files, manifest, start)?;
    // Only what loads whatever the settings: a package required under `if (configURL)` is
    // missing only when that setting is on, and the server starts without it.
    // A file of a nested package (`services/matter/`, with a package.json of its own) loads
    // what that package lists from its own node_modules.
    let packages: BTreeSet<String> = node_imports::reached_unconditionally_by_file(files, &entry)
        .into_iter()
        .flat_map(|(path, packages)| {
            let own = nested_manifest(files, &path);
            packages.into_iter().filter(move |p| own.as_ref().is_none_or(|m| !lists_for_production(m, p)))
        })
        .collect();
    let missing: Vec<&String> = packages
        .iter()
        .filter(|p| dev.contains_key(p.as_str()) && !listed("dependencies", p) && !listed("optionalDependencies", p))
        // The lockfile may install it for a production dependency all the same.
        .filter(|p| !super::lockfile_production::installs_for_production(files, manifest, p))
        .collect();
    if missing.is_empty() {
        return None;
    }
    let names: Vec<&str> = missing.iter().map(|p| p.as_str()).collect();
    let line = files
        .get("package.json")
        .and_then(|text| text.lines().position(|l| l.contains("\"devDependencies\"")))
        .map_or("package.json devDependencies".to_string(), |index| format!("package.json:{}", index + 1));
    Some(
        Finding::blocker(
            "install-needs-dev-deps",
            format!(
                "the server ({entry}) loads {}, listed only in devDependencies: the image installs production dependencies only, so it cannot start",
                names.join(", ")
            ),
            line,
        )
        .with_fix(format!("move {} to dependencies in package.json", names.join(", "))),
    )
}

/// The package.json nearest to `path` below the app's own, parsed.
fn nested_manifest(files: &AppFiles, path: &str) -> Option<Value> {
    let mut folder = path.rsplit_once('/')?.0;
    loop {
        if let Some(text) = files.get(&format!("{folder}/package.json")) {
            return serde_json::from_str(text).ok();
        }
        folder = folder.rsplit_once('/')?.0;
    }
}

fn lists_for_production(manifest: &Value, package: &str) -> bool {
    ["dependencies", "optionalDependencies"]
        .iter()
        .any(|field| manifest.get(field).and_then(|d| d.get(package)).is_some())
}

/// The source file `node X` runs, directly or through the start script.
pub(super) fn entry_file(files: &AppFiles, manifest: &Value, start: &[String]) -> Option<String> {
    let script;
    let words: Vec<String> = if start.first().is_some_and(|w| w == "node") {
        start.to_vec()
    } else {
        script = manifest.pointer("/scripts/start").and_then(Value::as_str)?.to_string();
        script.split_whitespace().map(str::to_string).collect()
    };
    if words.first().is_none_or(|w| w != "node") {
        return None;
    }
    // `node -r dotenv/config server.js`: a flag's value is a module to preload, not the entry.
    let mut rest = words.iter().skip(1);
    while let Some(word) = rest.next() {
        if ["-r", "--require", "--import", "--loader"].contains(&word.as_str()) {
            rest.next();
        } else if !word.starts_with('-') {
            return node_imports::resolve_path(files, word);
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_the_development_packages_the_server_loads() {
        let manifest = r#"{"scripts":{"start":"node server"},"dependencies":{"joi":"1"},
"devDependencies":{"@hapi/glue":"8","eslint":"7","joi":"1"}}"#;
        let files = AppFiles::from_pairs([
            ("package.json", manifest),
            ("server/index.js", "const Glue = require('@hapi/glue');\nconst Joi = require('joi');\n"),
        ]);
        let manifest: Value = serde_json::from_str(manifest).unwrap();
        let found = finding(&files, &manifest, &["node".into(), "server".into()]).expect("glue is dev-only");
        assert_eq!(found.source, "package.json:2");
        assert!(found.message.contains("@hapi/glue,") && !found.message.contains("eslint"), "{}", found.message);
        assert!(finding(&files, &manifest, &["node".into(), "dist/main.js".into()]).is_none());
        let preloaded = ["node", "-r", "dotenv/config", "server/index.js"].map(String::from);
        assert!(finding(&files, &manifest, &preloaded).is_some(), "the preloaded module is not the entry");
        let optional = AppFiles::from_pairs([
            ("package.json", r#"{"devDependencies":{"axios":"1"}}"#),
            ("server.js", "function boot(url) {\n  if (url) {\n    const axios = require('axios');\n  }\n}\n"),
        ]);
        let optional_manifest: Value = serde_json::from_str(r#"{"devDependencies":{"axios":"1"}}"#).unwrap();
        let start = ["node".to_string(), "server.js".to_string()];
        assert!(finding(&optional, &optional_manifest, &start).is_none(), "loaded only when a setting is on");
        let nested = AppFiles::from_pairs([
            ("package.json", r#"{"devDependencies":{"undici":"6"}}"#),
            ("index.js", "require('./services/matter');\n"),
            ("services/matter/index.js", "const u = require('undici');\n"),
            ("services/matter/package.json", r#"{"dependencies":{"undici":"6"}}"#),
        ]);
        let nested_manifest: Value = serde_json::from_str(r#"{"devDependencies":{"undici":"6"}}"#).unwrap();
        let start = ["node".to_string(), "index.js".to_string()];
        assert!(finding(&nested, &nested_manifest, &start).is_none(), "the nested package lists it");
    }
}
