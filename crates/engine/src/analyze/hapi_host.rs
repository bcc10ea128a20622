//! hapi servers bound to loopback in their options: `Hapi.server({ host: 'localhost' })`, or
//! the `server` section of a Glue manifest (often a Confidence store). hapi listens where
//! `host` says, so the load balancer cannot reach the task.

use super::app_files::AppFiles;
use super::source::is_test_path;
use crate::model::Finding;

/// How far above the `host` its `server` section or `server({` call is looked for.
const SPAN: usize = 6;

pub fn findings(files: &AppFiles) -> Vec<Finding> {
    let code = files.with_extensions(&["js", "mjs", "cjs", "ts", "mts", "cts"]).filter(|(path, _)| !is_test_path(path));
    let mut found = Vec::new();
    for (path, text) in code {
        let lower = text.to_ascii_lowercase();
        if !(lower.contains("confidence") || text.contains("@hapi/glue") || text.contains("@hapi/hapi")) {
            continue;
        }
        let lines = super::node_imports::live_lines(text);
        for (index, line) in lines.iter().enumerate() {
            let compact: String = line.chars().filter(|c| !c.is_whitespace() && *c != '"' && *c != '\'').collect();
            let loopback = ["host:localhost", "host:127.0.0.1"].iter().any(|h| {
                compact.starts_with(h) || compact.contains(&format!("{{{h}")) || compact.contains(&format!(",{h}"))
            });
            let in_server = loopback
                && line.find("host").and_then(|col| opener(&lines, index, col)).is_some_and(|before| {
                    let before = before.trim_end();
                    before.ends_with("server:") || before.ends_with("server(") || before.ends_with("Server(")
                });
            if loopback && in_server {
                found.push(blocker(format!("{path}:{}", index + 1)));
            }
        }
    }
    found
}

/// The text before the `{` that opens the object holding column `col` of line `index`, looked
/// for up to `SPAN` lines above (`  server: ` for a key of the server section).
fn opener(lines: &[String], index: usize, col: usize) -> Option<String> {
    let mut depth = 0usize;
    for at in (index.saturating_sub(SPAN)..=index).rev() {
        let line = &lines[at];
        let end = if at == index { col } else { line.len() };
        for (position, c) in line[..end].char_indices().rev() {
            match c {
                '}' => depth += 1,
                '{' if depth == 0 => return Some(line[..position].to_string()),
                '{' => depth -= 1,
                _ => {}
            }
        }
    }
    None
}

fn blocker(at: String) -> Finding {
    Finding::blocker(
        "loopback-bind",
        "the hapi server's options set host to localhost: it listens on loopback only and the load balancer cannot reach the task",
        at,
    )
    .with_fix("set host to '0.0.0.0', or read it from a HOST variable the service sets")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_manifest_and_a_server_on_localhost() {
        let manifest = "module.exports = new Confidence.Store({\n  server: {\n    host: 'localhost',\n    port: 3000\n  },\n  db: { host: 'localhost' }\n});\n";
        let server =
            "const Hapi = require('@hapi/hapi');\nconst server = Hapi.server({ port: 3000, host: 'localhost' });\n";
        let open =
            "const Hapi = require('@hapi/hapi');\nconst server = Hapi.server({ port: 3000, host: '0.0.0.0' });\n";
        let files = AppFiles::from_pairs([("server/manifest.js", manifest), ("src/a.js", server), ("src/b.js", open)]);
        let sources: Vec<String> = findings(&files).into_iter().map(|f| f.source).collect();
        assert_eq!(sources, ["server/manifest.js:3", "src/a.js:2"]);
    }
}
