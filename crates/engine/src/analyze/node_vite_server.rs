//! A server that Vite builds: `vite build` with a server plugin (`vite-plugin-fastify`'s
//! `serverPath: './src/main.ts'`, `vite-plugin-node`'s `appPath: './src/app.ts'`) bundles that
//! file as the build's server entry, into `dist/main.js` (the entry's own name, under
//! `build.outDir`). With no start script, that bundle is what production runs.

use serde_json::Value;

use super::app_files::AppFiles;
use super::node_start::NodeStart;
use super::source::fact;

/// The Vite config files, in the order Vite looks for them.
const CONFIGS: [&str; 4] = ["vite.config.ts", "vite.config.js", "vite.config.mts", "vite.config.mjs"];

/// The plugins that make a server bundle, and the option that names its entry.
const SERVER_PLUGINS: [(&str, &str); 2] = [("vite-plugin-fastify", "serverPath:"), ("vite-plugin-node", "appPath:")];

/// `node dist/main.js`, when `scripts.build` runs `vite build` and the config names a server
/// entry for one of the server plugins.
pub fn start(files: &AppFiles, manifest: &Value) -> Option<NodeStart> {
    let build = manifest.get("scripts")?.get("build")?.as_str()?;
    if !build.contains("vite build") {
        return None;
    }
    let (config, text) = CONFIGS.iter().find_map(|name| files.get(name).map(|text| (*name, text)))?;
    let (_, option) = SERVER_PLUGINS.iter().find(|(plugin, _)| text.contains(plugin))?;
    let (index, entry) = text.lines().enumerate().find_map(|(index, line)| {
        let value = line.split_once(option)?.1;
        Some((index, first_quoted(value)?))
    })?;
    let stem = entry.rsplit('/').next()?.split('.').next().filter(|stem| !stem.is_empty())?;
    let out_dir = text
        .lines()
        .find_map(|line| line.split_once("outDir:").and_then(|(_, value)| first_quoted(value)))
        .unwrap_or_else(|| "dist".to_string());
    let out_dir = out_dir.trim_start_matches("./").trim_end_matches('/');
    let command = vec!["node".to_string(), format!("{out_dir}/{stem}.js")];
    let source = format!("{config}:{} (the server entry `vite build` bundles)", index + 1);
    Some(NodeStart { command: fact(command, source), build_steps: Vec::new() })
}

/// The text of the first quoted string in `text` (`'./src/main.ts'`).
fn first_quoted(text: &str) -> Option<String> {
    let start = text.find(['\'', '"', '`'])?;
    let quote = text[start..].chars().next()?;
    let rest = &text[start + 1..];
    Some(rest[..rest.find(quote)?].to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn started(config: &str, build: &str) -> Option<Vec<String>> {
        let manifest: Value = serde_json::json!({ "scripts": { "build": build } });
        let files = AppFiles::from_pairs([("vite.config.ts", config)]);
        start(&files, &manifest).map(|start| start.command.value)
    }

    #[test]
    fn the_bundled_server_entry_runs() {
        let fastify = "import fastify from 'vite-plugin-fastify'\nexport default defineConfig({\n  plugins: [fastify({ serverPath: './src/main.ts' })],\n})\n";
        assert_eq!(started(fastify, "vite build"), Some(vec!["node".into(), "dist/main.js".into()]));
        let node = "import { VitePluginNode } from 'vite-plugin-node'\nexport default { build: { outDir: 'build' }, plugins: [VitePluginNode({ appPath: './app.ts' })] }\n";
        assert_eq!(started(node, "vite build"), Some(vec!["node".into(), "build/app.js".into()]));
        assert_eq!(started("export default { plugins: [react()] }\n", "vite build"), None);
        assert_eq!(started(fastify, "tsc"), None);
    }
}
