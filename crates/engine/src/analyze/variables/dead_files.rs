//! Files whose every load is commented out (`// const c = require('../config/imager.js')`):
//! the running app never evaluates them, so their reads are not its variables.
//!
//! Only files the code names in a commented-out load and nowhere in live code are dead: a file
//! nothing names at all may be loaded by a computed path (`require('./env/' + NODE_ENV)`) or
//! by a framework walking a folder, and stays the app's.

use std::collections::HashSet;
use std::sync::LazyLock;

use regex::Regex;

use crate::analyze::node_imports::live_lines;

static STRING: LazyLock<Regex> = LazyLock::new(|| Regex::new(r#"['"`]([^'"`\n]*)['"`]"#).expect("valid pattern"));

/// The paths among `sources` that only commented-out code loads.
pub fn of(sources: &[(&str, &str)]) -> HashSet<String> {
    let mut named_live: HashSet<String> = HashSet::new();
    let mut named_dead: HashSet<String> = HashSet::new();
    for (_, text) in sources {
        let live = live_lines(text);
        for (raw, live) in text.lines().zip(live.iter()) {
            named_live.extend(named_files(live));
            let commented_load = raw.contains("require(") || raw.contains("import ");
            if commented_load && raw.trim() != live.trim() {
                named_dead.extend(named_files(raw.get(live.len()..).unwrap_or(raw)));
            }
        }
    }
    sources
        .iter()
        .filter(|(path, _)| {
            let stem = stem_of(path);
            stem != "index" && named_dead.contains(stem) && !named_live.contains(stem)
        })
        .map(|(path, _)| path.to_string())
        .collect()
}

/// The file stems the string literals of `line` name as a path's last part
/// (`'/config/imager.js'` → `imager`).
fn named_files(line: &str) -> Vec<String> {
    STRING.captures_iter(line).map(|c| stem_of(&c[1]).to_string()).filter(|s| !s.is_empty()).collect()
}

fn stem_of(path: &str) -> &str {
    let name = path.rsplit('/').next().unwrap_or(path);
    name.split('.').next().unwrap_or(name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_only_commented_code_loads() {
        let sources = [
            (
                "app/models/article.js",
                "const mongoose = require('mongoose');\n// const imagerConfig = require(config.root + '/config/imager.js');\nconst u = require('../../config/upload');\n",
            ),
            ("config/imager.js", "module.exports = { key: process.env.IMAGER_S3_KEY };\n"),
            ("config/upload.js", "module.exports = { dir: process.env.UPLOAD_DIR };\n// require('./upload.js')\n"),
            ("config/env/production.js", "module.exports = { db: process.env.MONGODB_URL };\n"),
        ];
        assert_eq!(of(&sources).into_iter().collect::<Vec<_>>(), ["config/imager.js"]);
    }
}
