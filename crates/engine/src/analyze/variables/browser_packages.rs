//! A front-end package beside the server: a folder below the root with a `package.json` of
//! its own whose `build` runs a bundler (`react-scripts build`, `vite build`) and which
//! depends on no server framework. Its sources become a browser bundle: what they read is
//! inlined at build or stays unset in the browser, never the server's environment.

use serde_json::Value;

use super::VariableRead;
use crate::analyze::app_files::AppFiles;
use crate::analyze::frontend_output::bundler;

/// Server frameworks a package bundled for the browser does not depend on (an SSR app does).
const SERVER_PACKAGES: [&str; 8] =
    ["express", "fastify", "koa", "@nestjs/core", "@hapi/hapi", "next", "nuxt", "@remix-run/node"];

/// Marks as not the server's the reads in front-end packages below the root.
pub fn mark(files: &AppFiles, reads: &mut [VariableRead]) {
    let folders = folders(files);
    if folders.is_empty() {
        return;
    }
    for read in reads.iter_mut() {
        if folders.iter().any(|folder| read.source.starts_with(&format!("{folder}/"))) {
            read.tooling = true;
        }
    }
}

/// The folders below the root whose package.json builds a browser bundle.
fn folders(files: &AppFiles) -> Vec<String> {
    files
        .files
        .iter()
        .filter(|(path, _)| !path.contains("node_modules/"))
        .filter_map(|(path, text)| {
            let folder = path.strip_suffix("/package.json")?;
            let manifest: Value = serde_json::from_str(text).ok()?;
            let build = manifest.pointer("/scripts/build").and_then(Value::as_str)?;
            let server = ["dependencies", "devDependencies"]
                .iter()
                .any(|key| SERVER_PACKAGES.iter().any(|p| manifest.get(key).and_then(|d| d.get(p)).is_some()));
            (bundler(build).is_some() && !server).then(|| folder.to_string())
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_bundled_front_end_is_not_the_servers() {
        let files = AppFiles::from_pairs([
            ("package.json", r#"{"scripts":{"start":"node server.js"},"dependencies":{"express":"4"}}"#),
            ("web/package.json", r#"{"scripts":{"build":"vite build"},"dependencies":{"react":"18"}}"#),
            ("ssr/package.json", r#"{"scripts":{"build":"vite build"},"dependencies":{"express":"4"}}"#),
        ]);
        let mut reads = vec![
            VariableRead::new("BASE_PATH", "web/src/api.js:3"),
            VariableRead::new("RENDER_HOST", "ssr/server.js:3"),
            VariableRead::new("PORT", "server.js:9"),
        ];
        mark(&files, &mut reads);
        let tooling: Vec<bool> = reads.iter().map(|r| r.tooling).collect();
        assert_eq!(tooling, vec![true, false, false]);
    }
}
