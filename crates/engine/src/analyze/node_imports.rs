//! The imports a Node.js module makes, read from its live code only: a `require` or `import`
//! inside a comment loads nothing. Used to follow what the start entry really loads (which
//! packages, which of the app's files) and to tell a file nothing live loads.

use std::collections::{BTreeSet, HashSet};
use std::sync::LazyLock;

use regex::Regex;

use super::app_files::{AppFiles, normalized};

static IMPORT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"(?:\brequire\s*\(\s*|\bfrom\s+|\bimport\s*\(\s*|^\s*import\s+)['"`]([^'"`$]+)['"`]"#)
        .expect("valid pattern")
});

const RESOLVED_EXTENSIONS: [&str; 6] = ["js", "cjs", "mjs", "ts", "mts", "cts"];

/// The lines of `text` with comments blanked out, so a commented-out `require` is not read.
/// Line numbers stay as they were.
pub fn live_lines(text: &str) -> Vec<String> {
    let mut in_block = false;
    text.lines()
        .map(|line| {
            let mut live = String::new();
            let mut rest = line;
            loop {
                if in_block {
                    match rest.find("*/") {
                        Some(end) => {
                            in_block = false;
                            rest = &rest[end + 2..];
                        }
                        None => break,
                    }
                }
                // `//` inside a string is a URL's: only one outside every quote opens a comment.
                let line_comment = outside_strings(rest, "//");
                let block = outside_strings(rest, "/*");
                match (line_comment, block) {
                    (Some(l), b) if b.is_none_or(|b| l < b) => {
                        live.push_str(&rest[..l]);
                        break;
                    }
                    (_, Some(b)) => {
                        live.push_str(&rest[..b]);
                        in_block = true;
                        rest = &rest[b + 2..];
                    }
                    _ => {
                        live.push_str(rest);
                        break;
                    }
                }
            }
            live
        })
        .collect()
}

/// The first `marker` in `text` that no quote before it leaves open (an even count of each).
fn outside_strings(text: &str, marker: &str) -> Option<usize> {
    text.match_indices(marker).map(|(at, _)| at).find(|&at| {
        let before = &text[..at];
        ['\'', '"', '`'].iter().all(|quote| before.matches(*quote).count() % 2 == 0)
    })
}

/// Each live import of `text`: its 0-based line and what it names (`./config`, `express`).
pub fn imports(text: &str) -> Vec<(usize, String)> {
    imports_of(&live_lines(text))
}

/// Each live import of `text` that a production start runs (NODE_ENV=production).
pub fn production_imports(text: &str) -> Vec<(usize, String)> {
    imports_of(&super::node_dev_branches::production_lines(live_lines(text)))
}

fn imports_of(lines: &[String]) -> Vec<(usize, String)> {
    lines
        .iter()
        .enumerate()
        .flat_map(|(index, line)| {
            IMPORT.captures_iter(line).map(move |c| (index, c[1].to_string())).collect::<Vec<_>>()
        })
        .collect()
}

/// The packages `text` loads whenever it runs: a dynamic `import('x')` is left out, as apps
/// use it for optional packages they do without when missing.
fn static_packages(lines: &[String]) -> Vec<String> {
    lines
        .iter()
        .flat_map(|line| {
            IMPORT
                .captures_iter(line)
                .filter(|c| !(c[0].trim_start().starts_with("import") && c[0].contains('(')))
                .filter_map(|c| package_of(&c[1]))
                .collect::<Vec<_>>()
        })
        .collect()
}

/// The app's file a relative import from `from` names: `./manifest` → `server/manifest.js`,
/// `../lib` → `lib/index.js`.
pub fn resolve(files: &AppFiles, from: &str, specifier: &str) -> Option<String> {
    if !specifier.starts_with('.') {
        return None;
    }
    let folder = from.rsplit_once('/').map_or("", |(folder, _)| folder);
    let joined = normalized(&format!("{folder}/{specifier}"))?;
    resolve_path(files, &joined)
}

/// `server` → `server.js` or `server/index.js`; a path with its extension as it is.
pub fn resolve_path(files: &AppFiles, path: &str) -> Option<String> {
    let path = path.trim_start_matches("./").trim_end_matches('/');
    if files.get(path).is_some() && path.contains('.') {
        return Some(path.to_string());
    }
    let candidates = RESOLVED_EXTENSIONS
        .iter()
        .map(|ext| format!("{path}.{ext}"))
        .chain(RESOLVED_EXTENSIONS.iter().map(|ext| format!("{path}/index.{ext}")));
    candidates.into_iter().find(|candidate| files.get(candidate).is_some())
}

/// The package a bare import names: `@hapi/glue/lib` → `@hapi/glue`, `lodash/get` → `lodash`.
/// Node's own modules (`fs`, `node:path`) are none.
pub fn package_of(specifier: &str) -> Option<String> {
    if specifier.starts_with('.') || specifier.starts_with('/') || specifier.starts_with("node:") {
        return None;
    }
    let mut parts = specifier.split('/');
    let first = parts.next()?;
    let name = if first.starts_with('@') { format!("{first}/{}", parts.next()?) } else { first.to_string() };
    Some(name)
}

/// The app's files the entry loads, itself included, following live relative imports, and the
/// packages they import. A block only a development start runs is left out: ferry's image
/// starts with NODE_ENV=production.
pub fn reached(files: &AppFiles, entry: &str) -> (Vec<String>, BTreeSet<String>) {
    flattened(reached_through(files, entry, super::node_dev_branches::production_lines))
}

fn flattened(by_file: Vec<(String, BTreeSet<String>)>) -> (Vec<String>, BTreeSet<String>) {
    let packages = by_file.iter().flat_map(|(_, packages)| packages.iter().cloned()).collect();
    (by_file.into_iter().map(|(path, _)| path).collect(), packages)
}

/// What the entry loads whatever the settings: as `reached`, leaving out every block a
/// condition guards (`if (configURL) { require('axios') }`). Each file comes with the packages
/// it loads itself: a file of a nested package (`services/matter/`) finds them in that
/// package's own node_modules.
pub fn reached_unconditionally_by_file(files: &AppFiles, entry: &str) -> Vec<(String, BTreeSet<String>)> {
    reached_through(files, entry, super::node_dev_branches::unconditional_lines)
}

fn reached_through(
    files: &AppFiles,
    entry: &str,
    runs: fn(Vec<String>) -> Vec<String>,
) -> Vec<(String, BTreeSet<String>)> {
    let mut seen: HashSet<String> = HashSet::new();
    let mut reached = Vec::new();
    let mut pending = vec![entry.to_string()];
    while let Some(path) = pending.pop() {
        if !seen.insert(path.clone()) {
            continue;
        }
        let Some(text) = files.get(&path) else { continue };
        let lines = runs(live_lines(text));
        pending.extend(imports_of(&lines).iter().filter_map(|(_, specifier)| resolve(files, &path, specifier)));
        reached.push((path, static_packages(&lines).into_iter().collect()));
    }
    reached
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn follows_live_imports_only() {
        let files = AppFiles::from_pairs([
            ("server/index.js", "const Glue = require('@hapi/glue');\nconst m = require('./manifest');\n"),
            (
                "server/manifest.js",
                "import C from '@hapipal/confidence/lib';\n// const x = require('../lib/old');\nconst o = await import('optional-pkg');\n",
            ),
            ("lib/old.js", "require('left-pad');\n"),
        ]);
        let (reached, packages) = reached(&files, "server/index.js");
        assert_eq!(reached, ["server/index.js", "server/manifest.js"]);
        assert_eq!(packages.into_iter().collect::<Vec<_>>(), ["@hapi/glue", "@hapipal/confidence"]);
        assert_eq!(resolve_path(&files, "server"), Some("server/index.js".into()));
        let url = live_lines("const u = 'http://x'; /* a\n b */ require('y')");
        assert_eq!(url, ["const u = 'http://x'; ", " require('y')"]);
    }
}
