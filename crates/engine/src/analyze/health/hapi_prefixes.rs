//! The prefix a hapi plugin's routes answer under: registered with `routes: { prefix: '/api' }`,
//! in a Glue manifest (`plugin: './server/api/index'`) or by `server.register(...)`. The plugin
//! file's `server.route({ path: '/' })` answers at `/api`, not at `/`.

use std::collections::HashMap;

use super::mounts::first_literal;
use crate::analyze::app_files::normalized;

/// How far below the plugin's name its options may sit.
const OPTIONS_SPAN: usize = 8;

/// Each plugin file registered with a route prefix, by its path in the folder.
pub fn plugin_prefixes(code: &[(&str, &str)]) -> HashMap<String, String> {
    let known = |path: &str| code.iter().any(|(p, _)| *p == path);
    let mut prefixes = HashMap::new();
    for (path, text) in code {
        if !text.contains("prefix") {
            continue;
        }
        let lines: Vec<&str> = text.lines().collect();
        for (index, line) in lines.iter().enumerate() {
            let Some(module) = plugin_module(line) else { continue };
            let Some(prefix) = prefix_below(&lines, index) else { continue };
            let folder = path.rsplit_once('/').map_or("", |(folder, _)| folder);
            let Some(base) = normalized(&format!("{folder}/{module}")) else { continue };
            let file = ["", ".js", ".ts", ".mjs", "/index.js", "/index.ts"]
                .iter()
                .map(|ending| format!("{base}{ending}"))
                .find(|candidate| known(candidate));
            if let Some(file) = file {
                prefixes.insert(file, prefix);
            }
        }
    }
    prefixes
}

/// The relative module a line registers as a plugin: `plugin: './routes/api'`,
/// `plugin: require('./routes/api')`, `server.register(require('./routes/api'), ...)`.
fn plugin_module(line: &str) -> Option<String> {
    if super::comment_lines::commented(line) {
        return None;
    }
    let rest = line.split_once("plugin:").map(|(_, rest)| rest).or_else(|| {
        let (_, rest) = line.split_once(".register(")?;
        rest.trim_start().starts_with("require(").then_some(rest)
    })?;
    let module = first_literal(rest)?;
    module.starts_with('.').then_some(module)
}

/// The `prefix:` of the registration that starts at `index`, before the next plugin's.
fn prefix_below(lines: &[&str], index: usize) -> Option<String> {
    lines.iter().skip(index).take(OPTIONS_SPAN).enumerate().find_map(|(offset, line)| {
        if offset > 0 && plugin_module(line).is_some() {
            return Some(None);
        }
        let (_, rest) = line.split_once("prefix:").filter(|_| !super::comment_lines::commented(line))?;
        Some(first_literal(rest).filter(|p| p.starts_with('/')))
    })?
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn glue_manifest_and_register_prefixes() {
        let manifest = "module.exports = {\n  register: {\n    plugins: [\n      { plugin: './server/api/accounts' },\n      {\n        plugin: './server/api/index',\n        options: {\n          routes: { prefix: '/api' }\n        }\n      },\n    ]\n  }\n};\n";
        let server = "await server.register(require('./routes/admin'), { routes: { prefix: '/admin' } });\n";
        let code = [
            ("manifest.js", manifest),
            ("server/api/index.js", "server.route({ path: '/' })"),
            ("server/api/accounts.js", "server.route({ path: '/accounts' })"),
            ("src/main.js", server),
            ("src/routes/admin/index.js", "server.route({ path: '/' })"),
        ];
        let prefixes = plugin_prefixes(&code);
        assert_eq!(prefixes.get("server/api/index.js").map(String::as_str), Some("/api"));
        assert_eq!(prefixes.get("src/routes/admin/index.js").map(String::as_str), Some("/admin"));
        assert_eq!(prefixes.get("server/api/accounts.js"), None, "no prefix of its own");
    }
}
