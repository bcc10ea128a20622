//! A repository that publishes a library and runs a server from the same sources: quirrel-like
//! job servers ship a client SDK (`src/client`) that users' apps import. What the SDK reads
//! from the environment is read in the users' processes, not in the server's. In a published
//! package (`types`, `module` or `exports` in package.json) whose start runs its own server
//! entry, a read belongs to the server only when the server's code loads its file and uses
//! the function it sits in.

use std::collections::{BTreeSet, HashSet};

use serde_json::Value;

use super::app_files::AppFiles;
use super::node_imports;
use super::variables::VariableRead;

const CODE: [&str; 6] = ["js", "cjs", "mjs", "ts", "mts", "cts"];

/// Marks as not the server's the reads of a published package's code that the server's entry
/// neither loads nor calls.
pub fn mark(files: &AppFiles, manifest: &Value, start: &[String], reads: &mut [VariableRead]) {
    let published = ["types", "typings", "module", "exports"].iter().any(|field| manifest.get(field).is_some());
    let Some(entry) = start.get(1).filter(|_| published && start[0] == "node").and_then(|o| source_of(files, o)) else {
        return;
    };
    let reached: BTreeSet<String> = node_imports::reached(files, &entry).0.into_iter().collect();
    // What the package's library entry loads and the server does not is the library's alone;
    // other files may be entries of their own (a worker the Procfile runs).
    let library: BTreeSet<String> = ["main", "module"]
        .iter()
        .filter_map(|field| manifest.get(field).and_then(Value::as_str).and_then(|o| source_of(files, o)))
        .flat_map(|library_entry| node_imports::reached(files, &library_entry).0)
        .collect();
    let mut used_by_file: std::collections::HashMap<String, HashSet<String>> = Default::default();
    for read in reads.iter_mut() {
        let Some((path, line)) = read.source.rsplit_once(':') else { continue };
        let is_code = path.rsplit_once('.').is_some_and(|(_, ext)| CODE.contains(&ext));
        if !is_code || read.started || super::variables::scope_of(path) != crate::model::VariableScope::Runtime {
            continue;
        }
        if !reached.contains(path) {
            read.tooling |= library.contains(path);
            continue;
        }
        let Some(text) = files.get(path) else { continue };
        let line: usize = line.parse().unwrap_or(0);
        let used = used_by_file.entry(path.to_string()).or_insert_with(|| used_functions(files, &reached, path, text));
        if enclosing_function(text, line).is_some_and(|name| !used.contains(&name)) {
            read.tooling = true;
        }
    }
}

/// The source file of a compiled output (`dist/cjs/src/api/main.js` → `src/api/main.ts`): the
/// path itself, or the path with its leading output folders dropped.
fn source_of(files: &AppFiles, output: &str) -> Option<String> {
    let output = output.trim_start_matches("./");
    let stem = ["js", "cjs", "mjs"].iter().find_map(|e| output.strip_suffix(&format!(".{e}"))).unwrap_or(output);
    let parts: Vec<&str> = stem.split('/').collect();
    (0..parts.len().min(3)).find_map(|skip| node_imports::resolve_path(files, &parts[skip..].join("/")))
}

/// The exported functions of `path` the server uses: named in another file the server loads,
/// or called from a used function or from the file's top-level code.
fn used_functions(files: &AppFiles, reached: &BTreeSet<String>, path: &str, text: &str) -> HashSet<String> {
    let functions = top_level_functions(text);
    let named_elsewhere = |name: &str| {
        reached
            .iter()
            .filter(|other| other.as_str() != path)
            .any(|other| files.get(other).is_some_and(|t| mentions(t, name)))
    };
    // Comments blanked: a comment naming a function does not use it.
    let live = node_imports::live_lines(text);
    let lines: Vec<&str> = live.iter().map(String::as_str).collect();
    let inside = |index: usize| functions.iter().any(|(_, start, end)| (*start..=*end).contains(&(index + 1)));
    let top_level: String =
        lines.iter().enumerate().filter(|(i, _)| !inside(*i)).map(|(_, l)| *l).collect::<Vec<_>>().join("\n");
    let mut used: HashSet<String> = functions
        .iter()
        .filter(|(name, _, _)| named_elsewhere(name) || mentions(&top_level, name))
        .map(|f| f.0.clone())
        .collect();
    // Functions a used function calls are used too.
    loop {
        let before = used.len();
        let bodies: Vec<String> = functions
            .iter()
            .filter(|f| used.contains(&f.0))
            .map(|(_, start, end)| lines[start - 1..*end].join("\n"))
            .collect();
        for body in &bodies {
            used.extend(functions.iter().filter(|(name, _, _)| mentions(body, name)).map(|f| f.0.clone()));
        }
        if used.len() == before {
            return used;
        }
    }
}

/// The top-level function whose body holds 1-based `line`.
fn enclosing_function(text: &str, line: usize) -> Option<String> {
    top_level_functions(text).into_iter().find(|(_, start, end)| (*start..=*end).contains(&line)).map(|f| f.0)
}

/// `function NAME(...) { ... }` and `const NAME = (...) => { ... }` at the top level of a
/// file, exported or not: each name with the 1-based lines its definition spans.
fn top_level_functions(text: &str) -> Vec<(String, usize, usize)> {
    let lines: Vec<&str> = text.lines().collect();
    let mut found = Vec::new();
    for (index, line) in lines.iter().enumerate() {
        let rest = line.strip_prefix("export ").unwrap_or(line);
        let rest = rest.strip_prefix("async ").unwrap_or(rest);
        let name = match (rest.strip_prefix("function "), rest.strip_prefix("const ")) {
            (Some(after), _) => after,
            (None, Some(after)) if line.contains("=>") || line.contains("function") => after,
            _ => continue,
        };
        let name: String =
            name.trim_start().chars().take_while(|c| c.is_alphanumeric() || *c == '_' || *c == '$').collect();
        if !name.is_empty() {
            found.push((name, index + 1, end_of_block(&lines, index) + 1));
        }
    }
    found
}

/// The 0-based line where the block opened at or after line `start` closes.
fn end_of_block(lines: &[&str], start: usize) -> usize {
    let mut depth = 0i32;
    let mut opened = false;
    for (index, line) in lines.iter().enumerate().skip(start) {
        for c in line.chars() {
            match c {
                '{' => {
                    depth += 1;
                    opened = true;
                }
                '}' => depth -= 1,
                _ => {}
            }
        }
        if opened && depth <= 0 {
            return index;
        }
    }
    lines.len().saturating_sub(1)
}

/// Whether `text` names `word` as a whole word.
fn mentions(text: &str, word: &str) -> bool {
    text.match_indices(word).any(|(at, _)| {
        let before = text[..at].chars().last();
        let after = text[at + word.len()..].chars().next();
        let part = |c: char| c.is_alphanumeric() || c == '_' || c == '$';
        !before.is_some_and(part) && !after.is_some_and(part)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_sdk_reads_the_server_does_not_use_are_not_the_servers() {
        let manifest: Value =
            serde_json::from_str(r#"{"main":"out/src/index.js","types":"out/src/index.d.ts"}"#).unwrap();
        let files = AppFiles::from_pairs([
            ("src/index.ts", "export * from './sdk/settings';\n"),
            ("src/worker.ts", "const jobs = process.env.JOBS;\n"),
            (
                "src/server/main.ts",
                "import { trimSlash } from '../sdk/settings';\nconst port = process.env.PORT;\ntrimSlash('/');\n",
            ),
            (
                "src/sdk/settings.ts",
                "export function trimSlash(url: string) {\n  return url.replace(/\\/$/, '') + (process.env.BASE ?? '');\n}\n\nexport function token() {\n  return hosted() ?? process.env.SDK_TOKEN;\n}\n\nfunction hosted() {\n  return process.env.HOSTED_URL;\n}\n",
            ),
            ("src/sdk/netlify.ts", "const site = process.env.SITE_ID;\n"),
        ]);
        let mut reads = vec![
            VariableRead::new("PORT", "src/server/main.ts:2"),
            VariableRead::new("BASE", "src/sdk/settings.ts:2"),
            VariableRead::new("SDK_TOKEN", "src/sdk/settings.ts:6"),
            VariableRead::new("SITE_ID", "src/sdk/netlify.ts:1"),
            VariableRead::new("HOSTED_URL", "src/sdk/settings.ts:10"),
            VariableRead::new("JOBS", "src/worker.ts:1"),
        ];
        mark(&files, &manifest, &["node".into(), "out/src/server/main.js".into()], &mut reads);
        let tooling: Vec<(&str, bool)> = reads.iter().map(|r| (r.name.as_str(), r.tooling)).collect();
        let expected = [
            ("PORT", false),
            ("BASE", false),
            ("SDK_TOKEN", true),
            ("SITE_ID", false),
            ("HOSTED_URL", true),
            ("JOBS", false),
        ];
        assert_eq!(tooling, expected);
    }
}
