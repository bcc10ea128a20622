//! Where the HTTP server's port really comes from when the code has more than one listener.
//! A raw TCP server (`net.createServer(...).listen(1337)`, a debugging REPL served over a
//! socket) is not the HTTP port a container publishes; and a server that takes its port from
//! a settings accessor (`process.env.PORT || config('port')`) finds its number in the JSON
//! settings file it reads (`json/config.json`: `"port": 8000`).

use super::app_files::AppFiles;
use super::source::{Fact, app_code_lines, fact, port_after};

/// Whether the file holding a `.listen(` call serves a raw socket or a REPL rather than HTTP:
/// it creates a `net` server (or starts a `repl`) and never an `http`/`https` one.
pub fn raw_socket_listener(text: &str) -> bool {
    let compact: String = text.chars().filter(|c| !c.is_whitespace()).collect();
    let raw = compact.contains("net.createServer(") || compact.contains("repl.start(");
    let http = ["http.createServer(", "https.createServer(", "http2.createServer(", "express("]
        .iter()
        .any(|call| compact.contains(call));
    raw && !http
}

/// Calls that read a named setting from a settings object or accessor.
const PORT_SETTING_READS: [&str; 6] = [
    "config('port')",
    "config(\"port\")",
    "config.get('port')",
    "config.get(\"port\")",
    "config.port",
    "settings.port",
];

/// The port in the JSON settings file a server reads (`"port": 8000` at the top level of
/// `config.json`), when the code takes its port from such a setting.
pub fn port(files: &AppFiles, extensions: &[&str]) -> Option<Fact<u16>> {
    app_code_lines(files, extensions).find(|(_, line)| PORT_SETTING_READS.iter().any(|read| line.contains(read)))?;
    files
        .with_extensions(&["json"])
        .filter(|(path, _)| settings_json(path))
        .find_map(|(path, text)| top_level_port(text).map(|(port, number)| fact(port, format!("{path}:{number}"))))
}

/// A JSON file that holds the app's settings: named for them, not a tool's or a package's.
fn settings_json(path: &str) -> bool {
    let name = path.rsplit('/').next().unwrap_or(path).to_ascii_lowercase();
    let tool = name == "package.json" || name.starts_with("tsconfig") || name.starts_with("jsconfig");
    let settings = ["config", "settings", "default"].iter().any(|word| name.contains(word));
    // `config.sample.json` shows what an operator may write; the app does not read it.
    let sample = ["sample", "example", "template", "dist"].iter().any(|word| name.contains(word));
    !tool && settings && !sample && !super::source::is_test_path(path)
}

/// `"port": 8000` one level inside the file's root object, with its 1-based line number.
fn top_level_port(text: &str) -> Option<(u16, usize)> {
    let mut depth = 0usize;
    for (index, line) in text.lines().enumerate() {
        let trimmed = line.trim_start();
        if depth == 1
            && trimmed.starts_with("\"port\"")
            && let Some(port) = port_after(trimmed, ":")
        {
            return Some((port, index + 1));
        }
        depth += line.matches(['{', '[']).count();
        depth = depth.saturating_sub(line.matches(['}', ']']).count());
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_repl_over_a_socket_is_no_http_listener() {
        let repl =
            "import net from 'node:net';\nexport default net\n  .createServer((s) => repl.start({}))\n  .listen(1337);";
        assert!(raw_socket_listener(repl));
        assert!(!raw_socket_listener("const server = http.createServer(app);\nserver.listen(port);"));
    }

    #[test]
    fn the_port_of_a_json_settings_file() {
        let files = AppFiles::from_pairs([
            ("src/serve.js", "const port = process.env.PORT || config('port');"),
            ("json/config.json", "{\n  \"name\": \"x\",\n  \"db\": {\n    \"port\": 5432\n  },\n  \"port\": 8000\n}"),
            ("package.json", "{\n  \"port\": 1\n}"),
            ("config.sample.json", "{\n  \"port\": 80\n}"),
        ]);
        assert_eq!(port(&files, &["js"]), Some(fact(8000, "json/config.json:6")));
        let unread = AppFiles::from_pairs([("json/config.json", "{\n  \"port\": 8000\n}")]);
        assert_eq!(port(&unread, &["js"]), None);
    }
}
