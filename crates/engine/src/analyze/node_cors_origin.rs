//! A CORS origin fixed to the developer's machine (`cors({ origin: 'http://localhost:8081' })`):
//! the browser app served from the service's real address is refused by every API call, and no
//! variable changes it without editing the code.

use super::app_files::AppFiles;
use super::node_imports::live_lines;
use super::source::is_test_path;
use super::variables::scope_of;
use crate::model::{Finding, VariableScope};

const EXTENSIONS: [&str; 6] = ["js", "mjs", "cjs", "ts", "mts", "cts"];

/// The first fixed loopback origin in a file that sets up CORS.
pub fn finding(files: &AppFiles) -> Option<Finding> {
    let running = |path: &str| !is_test_path(path) && scope_of(path) == VariableScope::Runtime;
    let code = files.with_extensions(&EXTENSIONS).filter(|(path, text)| running(path) && text.contains("cors"));
    code.into_iter().find_map(|(path, text)| {
        let lines = live_lines(text);
        let (index, origin) = lines.iter().enumerate().find_map(|(index, line)| Some((index, loopback_origin(line)?)))?;
        Some(
            Finding::warning(
                "cors-origin",
                format!(
                    "the CORS origin is fixed to {origin}: browsers on the service's own address are refused, and no variable changes it"
                ),
                format!("{path}:{}", index + 1),
            )
            .with_fix("read the allowed origin from a variable (CORS_ORIGIN) and set it to the site's address"),
        )
    })
}

/// `origin: "http://localhost:8081"` (or a list of such), with no variable on the line.
fn loopback_origin(line: &str) -> Option<String> {
    let (_, value) = line.split_once("origin:")?;
    if value.contains("process.env") || value.contains("||") || value.contains('?') {
        return None;
    }
    let literals: Vec<&str> = value.split(['"', '\'', '`']).skip(1).step_by(2).collect();
    let loopback = |origin: &&str| {
        let host = origin.split("://").nth(1).unwrap_or("");
        ["localhost", "127.0.0.1"].iter().any(|h| host == *h || host.starts_with(&format!("{h}:")))
    };
    (!literals.is_empty() && literals.iter().all(loopback)).then(|| literals.join(", "))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_fixed_loopback_origin_and_a_configured_one() {
        assert_eq!(loopback_origin("  origin: \"http://localhost:8081\"").as_deref(), Some("http://localhost:8081"));
        assert_eq!(loopback_origin("origin: process.env.ORIGIN || 'http://localhost:3000',"), None);
        assert_eq!(loopback_origin("origin: ['https://example.org', 'http://localhost:3000'],"), None);
        let app = "const cors = require('cors');\nconst options = {\n  origin: 'http://127.0.0.1:4200'\n};\napp.use(cors(options));\n";
        let found = finding(&AppFiles::from_pairs([("server.js", app)])).expect("a finding");
        assert_eq!(found.source, "server.js:3");
    }
}
