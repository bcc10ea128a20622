//! The files a Node app's production start runs, and what they import: a server kept in
//! `scripts/main.ts` is in a folder otherwise taken as tooling, yet the package.json `start`,
//! `main` or the image's CMD runs it (or runs what a build makes of it), so its reads are the
//! running app's.

use std::collections::BTreeSet;
use std::sync::LazyLock;

use regex::Regex;

use crate::analyze::app_files::AppFiles;
use crate::analyze::source::is_test_path;
use crate::model::VariableScope;

/// A script path among a command's words: `build/main.js`, `./scripts/server.ts`.
static SCRIPT_PATH: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r#"(?:^|[\s"'\[,=])\.?/?([A-Za-z0-9_@./-]+\.(?:[cm]?js|tsx?))\b"#).expect("valid"));
/// An esbuild script's `entryPoints: ["scripts/main.ts"]` and its `outfile`.
static ENTRY_POINTS: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r#"entryPoints\s*:\s*\[\s*['"]\.?/?([^'"]+)['"]"#).expect("valid pattern"));
static OUTFILE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r#"outfile\s*:\s*['"]\.?/?([^'"]+)['"]"#).expect("valid pattern"));
/// A bundler given the entry on its command line: `vite build scripts/main.ts`, `esbuild x.ts`.
static CLI_BUILD: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"\b(?:vite build|esbuild|tsup|ncc build|rollup -i)\s+\.?/?([A-Za-z0-9_@./-]+\.[cm]?[jt]sx?)\b"#)
        .expect("valid pattern")
});
static IMPORT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"(?:\bfrom\s+|\bimport\s*\(\s*|\brequire\(\s*|^\s*import\s+)['"](\.{1,2}/[^'"]+)['"]"#)
        .expect("valid pattern")
});

/// The files the production start runs and their relative imports, among those a path alone
/// would class as tooling (the others are the app's anyway).
pub fn tooling_files_started(files: &AppFiles) -> BTreeSet<String> {
    let mut pending: Vec<String> = started(files).into_iter().filter(|p| files.has(p)).collect();
    pending.extend(imported_by_the_app(files));
    let mut seen: BTreeSet<String> = BTreeSet::new();
    // An app imports a few hundred files at most; the bound keeps a vendored tree from running on.
    while let Some(path) = pending.pop() {
        if seen.len() > 2000 || !seen.insert(path.clone()) {
            continue;
        }
        let Some(text) = files.get(&path) else { continue };
        for captures in IMPORT.captures_iter(text) {
            if let Some(imported) = resolve(files, &path, &captures[1]) {
                pending.push(imported);
            }
        }
    }
    seen.into_iter().filter(|p| super::scope::of(p) == VariableScope::Tooling).collect()
}

/// Files a path alone takes for tooling that the app's own code imports: a `knexfile.js` the
/// database module requires (`require('../../knexfile')`) is read whenever the app runs.
fn imported_by_the_app(files: &AppFiles) -> Vec<String> {
    let mut found = Vec::new();
    for (path, text) in files.with_extensions(&["js", "mjs", "cjs", "ts"]) {
        if super::scope::of(path) == VariableScope::Tooling || path.contains("node_modules/") {
            continue;
        }
        for captures in IMPORT.captures_iter(text) {
            let imported = resolve(files, path, &captures[1]);
            // A test helper a maintenance script borrows (`bin/stats.js` requiring
            // `../t/lib/login`) is still the tests' code, not something the server loads.
            let test_helper = |file: &String| is_test_path(file) || file.starts_with("t/") || file.contains("/t/");
            found
                .extend(imported.filter(|file| super::scope::of(file) == VariableScope::Tooling && !test_helper(file)));
        }
    }
    found
}

/// The scripts the start names, and the sources a build turns into them.
fn started(files: &AppFiles) -> BTreeSet<String> {
    let manifest: serde_json::Value =
        files.get("package.json").and_then(|t| serde_json::from_str(t).ok()).unwrap_or_default();
    let mut commands: Vec<String> = Vec::new();
    commands.extend(manifest["scripts"]["start"].as_str().map(str::to_string));
    commands.extend(manifest["main"].as_str().map(|m| format!("node {m}")));
    if let Some(dockerfile) = files.get("Dockerfile") {
        let starts =
            dockerfile.lines().map(str::trim_start).filter(|l| l.starts_with("CMD") || l.starts_with("ENTRYPOINT"));
        commands.extend(starts.map(str::to_string));
    }
    let mut started: BTreeSet<String> = BTreeSet::new();
    for command in &commands {
        started.extend(SCRIPT_PATH.captures_iter(command).map(|c| c[1].to_string()));
    }
    // A build's entry becomes the started file: an esbuild script naming it as `outfile`, or a
    // bundler in the package's scripts given the entry on its command line.
    for (_, text) in files.with_extensions(&["js", "mjs", "cjs", "ts"]) {
        let (Some(entry), Some(out)) = (ENTRY_POINTS.captures(text), OUTFILE.captures(text)) else { continue };
        if started.contains(&out[1]) {
            started.insert(entry[1].to_string());
        }
    }
    if let Some(scripts) = manifest["scripts"].as_object() {
        // Only the build and start scripts make what production runs; others build side tools.
        let building = |key: &str| key.starts_with("build") || key.contains("start");
        let lines = scripts.iter().filter(|(key, _)| building(key)).filter_map(|(_, v)| v.as_str());
        let entries: Vec<String> =
            lines.flat_map(|l| CLI_BUILD.captures_iter(l).map(|c| c[1].to_string()).collect::<Vec<_>>()).collect();
        started.extend(entries);
    }
    started
}

/// The file `spec` names when `from` imports it: as written, or the `.ts` a `.js` name stands
/// for in TypeScript, or with an extension or `index` added.
pub(crate) fn resolve(files: &AppFiles, from: &str, spec: &str) -> Option<String> {
    let mut parts: Vec<&str> = from.split('/').collect();
    parts.pop();
    for part in spec.split('/') {
        match part {
            "." | "" => {}
            ".." => {
                parts.pop()?;
            }
            part => parts.push(part),
        }
    }
    let base = parts.join("/");
    let stem = base.rsplit_once('.').filter(|(_, ext)| ["js", "mjs", "cjs", "ts"].contains(ext)).map(|(s, _)| s);
    let mut candidates = vec![base.clone()];
    for ext in ["ts", "tsx", "js", "mjs", "cjs"] {
        candidates.extend(stem.map(|s| format!("{s}.{ext}")));
        candidates.push(format!("{base}.{ext}"));
        candidates.push(format!("{base}/index.{ext}"));
    }
    candidates.into_iter().find(|c| files.has(c) && !c.contains("node_modules"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_knexfile_the_apps_database_module_requires() {
        let files = AppFiles::from_pairs([
            ("package.json", r#"{"scripts": {"start": "node dist/index.js"}}"#),
            ("src/db/db.js", "const config = require('../../knexfile')[process.env.NODE_ENV];\n"),
            ("knexfile.js", "module.exports = { production: { host: process.env.DB_HOST } };\n"),
            ("seeds/users.js", "exports.seed = () => {};\n"),
        ]);
        let started = tooling_files_started(&files);
        assert!(started.contains("knexfile.js"), "{started:?}");
        assert!(!started.contains("seeds/users.js"), "{started:?}");
    }

    #[test]
    fn a_built_entry_in_scripts_and_its_imports() {
        let files = AppFiles::from_pairs([
            (
                "package.json",
                r#"{"scripts": {"start": "node build/main.js", "build": "node scripts/build-server.js"}}"#,
            ),
            (
                "scripts/build-server.js",
                "await esbuild.build({ entryPoints: [\"scripts/main.ts\"], outfile: \"build/main.js\" });",
            ),
            (
                "scripts/main.ts",
                "import knexOb from \"../knexfile.js\";\nimport x from \"../src/app\";\nconst PORT = process.env.PORT || 3000;\n",
            ),
            ("knexfile.ts", "export default { connection: process.env.DATABASE_URL };\n"),
            ("src/app.ts", "export default 1;\n"),
            ("scripts/seed.ts", "process.env.SEED;\n"),
        ]);
        let started: Vec<String> = tooling_files_started(&files).into_iter().collect();
        assert_eq!(started, ["knexfile.ts", "scripts/main.ts"]);
        let cli = AppFiles::from_pairs([
            ("package.json", r#"{"scripts": {"start": "node dist/main.js", "build": "vite build scripts/main.ts"}}"#),
            ("scripts/main.ts", "process.env.PORT;\n"),
        ]);
        assert_eq!(tooling_files_started(&cli).into_iter().collect::<Vec<_>>(), ["scripts/main.ts"]);
        let tooling = AppFiles::from_pairs([
            ("package.json", r#"{"scripts": {"start": "node server.js", "seed": "node scripts/seed.js"}}"#),
            ("scripts/seed.js", "process.env.SEED;\n"),
        ]);
        assert!(tooling_files_started(&tooling).is_empty(), "a script the start does not run stays tooling");
    }
}
