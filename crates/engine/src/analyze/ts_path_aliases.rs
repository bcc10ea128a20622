//! TypeScript `paths` aliases (`import routes from '@/api'`) that plain `tsc` leaves as they are
//! in its output: `node build/app.js` then fails with "Cannot find module '@/api'". Something
//! must rewrite or resolve them at run time: tsc-alias, a bundler, or tsconfig-paths.

use serde_json::Value;

use super::app_files::AppFiles;
use super::node_imports;
use crate::model::Finding;

/// What resolves or rewrites the aliases, when the build script, start command or code names it.
const RESOLVERS: [&str; 12] = [
    "tsc-alias",
    "tsconfig-paths",
    "module-alias",
    "tspath",
    "webpack",
    "esbuild",
    "rollup",
    "vite",
    "tsup",
    "swc",
    "nest build",
    "ncc",
];

/// The blocker for an aliased import the compiled start cannot resolve.
pub fn finding(files: &AppFiles, manifest: &Value, start: &[String]) -> Option<Finding> {
    let build = manifest.pointer("/scripts/build").and_then(Value::as_str)?;
    // Only the compiled output run by node: ts-node and tsx read tsconfig themselves when told.
    let runs_output = start.first().is_some_and(|w| w == "node") && !start.iter().any(|w| w.ends_with(".ts"));
    if !build.split_whitespace().any(|w| w == "tsc") || !runs_output {
        return None;
    }
    let resolved_by = |text: &str| RESOLVERS.iter().any(|r| text.contains(r));
    if resolved_by(build) || resolved_by(&start.join(" ")) || manifest.get("_moduleAliases").is_some() {
        return None;
    }
    let tsconfig = files.get("tsconfig.json")?;
    let (tsconfig_line, prefixes) = aliases(tsconfig)?;
    let root_dir = root_dir(tsconfig);
    let code = files
        .with_extensions(&["ts", "mts", "cts", "tsx"])
        .filter(|(path, _)| !super::source::is_test_path(path) && compiled_by_root(files, path, root_dir.as_deref()));
    let mut first = None;
    for (path, text) in code {
        if node_imports::imports(text).iter().any(|(_, s)| s.contains("tsconfig-paths") || s.contains("module-alias")) {
            return None;
        }
        if first.is_none() {
            first = node_imports::imports(text)
                .into_iter()
                .find(|(_, s)| prefixes.iter().any(|p| s.starts_with(p.as_str())))
                .map(|(index, specifier)| (format!("{path}:{}", index + 1), specifier));
        }
    }
    let (at, specifier) = first?;
    Some(
        Finding::blocker(
            "start-command-broken",
            format!(
                "`{}` runs what plain tsc compiled, which keeps the alias of tsconfig.json:{tsconfig_line} `paths` as written: `import '{specifier}'` cannot be found at start",
                start.join(" ")
            ),
            at,
        )
        .with_fix("rewrite the aliases at build (`tsc && tsc-alias`), or start with `node -r tsconfig-paths/register` and baseUrl set to the output folder"),
    )
}

/// Whether the root `tsc` compiles `path`: it lies under `compilerOptions.rootDir` when one is
/// written, and in no folder of its own package (`admin/` with its own package.json or
/// tsconfig.json is built by its own tools, which resolve its aliases).
fn compiled_by_root(files: &AppFiles, path: &str, root_dir: Option<&str>) -> bool {
    if root_dir.is_some_and(|dir| !dir.is_empty() && !path.starts_with(&format!("{dir}/"))) {
        return false;
    }
    let mut folder = path;
    while let Some((parent, _)) = folder.rsplit_once('/') {
        if files.has(&format!("{parent}/package.json")) || files.has(&format!("{parent}/tsconfig.json")) {
            return false;
        }
        folder = parent;
    }
    true
}

/// `"rootDir": "./src"` → `src`, read off its line (tsconfig allows comments).
fn root_dir(tsconfig: &str) -> Option<String> {
    let line = tsconfig.lines().find(|l| l.trim_start().starts_with("\"rootDir\""))?;
    let value = line.split_once(':')?.1.trim().trim_end_matches(',').trim().trim_matches('"');
    Some(value.trim_start_matches("./").trim_end_matches('/').to_string()).filter(|v| v != ".")
}

/// The line of `"paths"` in tsconfig.json and the prefixes its aliases start with (`@/`, `~/`).
/// tsconfig allows comments, which a JSON parser refuses: the keys are read line by line.
fn aliases(tsconfig: &str) -> Option<(usize, Vec<String>)> {
    let lines: Vec<&str> = tsconfig.lines().collect();
    let at = lines.iter().position(|l| l.contains("\"paths\""))?;
    let mut prefixes = Vec::new();
    for line in &lines[at..] {
        let key = line.trim().split(':').next().unwrap_or("").trim().trim_matches('"');
        if let Some(prefix) = key.strip_suffix('*').filter(|p| !p.is_empty()) {
            prefixes.push(prefix.to_string());
        } else if key.starts_with('@') || key.starts_with('~') || key.starts_with('#') {
            prefixes.push(key.to_string());
        }
        if line.trim_start().starts_with('}') {
            break;
        }
    }
    (!prefixes.is_empty()).then_some((at + 1, prefixes))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_alias_plain_tsc_keeps() {
        let manifest = r#"{"scripts":{"build":"tsc"}}"#;
        let tsconfig = "{\n  // comment\n  \"compilerOptions\": {\n    \"paths\": {\n      \"@/*\": [\"./src/*\"]\n    }\n  }\n}\n";
        let app = ("src/app.ts", "import express from 'express';\nimport config from '@/config';\n");
        let files = AppFiles::from_pairs([("package.json", manifest), ("tsconfig.json", tsconfig), app]);
        let manifest: Value = serde_json::from_str(manifest).unwrap();
        let start = ["node".to_string(), "build/app.js".to_string()];
        let found = finding(&files, &manifest, &start).expect("the alias is kept");
        assert_eq!(found.source, "src/app.ts:2");
        assert!(found.message.contains("tsconfig.json:4"), "{}", found.message);
        let aliased: Value = serde_json::from_str(r#"{"scripts":{"build":"tsc && tsc-alias"}}"#).unwrap();
        assert!(finding(&files, &aliased, &start).is_none());
    }

    /// A front end in its own package (`web/` with its package.json) and files outside
    /// `rootDir` are not what the root tsc compiles: the aliased import cited is the server's.
    #[test]
    fn only_the_files_the_root_tsc_compiles() {
        let manifest = r#"{"scripts":{"build":"tsc"}}"#;
        let tsconfig = "{\n  \"compilerOptions\": {\n    \"rootDir\": \"./src\",\n    \"paths\": {\n      \"@/*\": [\"src/*\"]\n    }\n  }\n}\n";
        let web = ("web/src/App.tsx", "import Layout from '@/components/Layout';\n");
        let tool = ("scripts/seed.ts", "import db from '@/db';\n");
        let server = ("src/server.ts", "import fastify from 'fastify';\nimport db from '@/db';\n");
        let files = AppFiles::from_pairs([
            ("package.json", manifest),
            ("tsconfig.json", tsconfig),
            ("web/package.json", "{}"),
            web,
            tool,
            server,
        ]);
        let manifest: Value = serde_json::from_str(manifest).unwrap();
        let start = ["node".to_string(), "dist/server.js".to_string()];
        assert_eq!(finding(&files, &manifest, &start).expect("the server's alias").source, "src/server.ts:2");
        let only_front = AppFiles::from_pairs([
            ("package.json", "{}"),
            ("tsconfig.json", tsconfig),
            ("web/package.json", "{}"),
            web,
        ]);
        assert!(finding(&only_front, &manifest, &start).is_none());
    }
}
