//! TypeScript path aliases (`compilerOptions.paths` in tsconfig.json and the files it
//! `extends`): `"@gitroom/helpers/*": ["libraries/helpers/src/*"]` makes an import of
//! `@gitroom/helpers/...` load that folder's code, bundled into the app.

use std::path::{Path, PathBuf};
use std::sync::LazyLock;

use regex::Regex;
use serde_json::Value;

/// How many `extends` a tsconfig chain is followed through.
const MAX_EXTENDS: usize = 4;

/// `,` before a closing bracket: JSON with comments allows it, serde_json does not.
static TRAILING_COMMA: LazyLock<Regex> = LazyLock::new(|| Regex::new(r",(\s*[}\]])").expect("valid pattern"));

/// Each alias's import prefix (`@gitroom/helpers/`) and the folder it names, outside `member`
/// and inside `root`, from the member's tsconfig.json and the configs it extends.
pub fn aliases(member: &Path, root: &Path) -> Vec<(String, PathBuf)> {
    let mut found: Vec<(String, PathBuf)> = Vec::new();
    let mut config = member.join("tsconfig.json");
    for _ in 0..MAX_EXTENDS {
        let Some(parsed) = std::fs::read_to_string(&config).ok().and_then(|text| parse(&text)) else { break };
        let folder = config.parent().map(Path::to_path_buf).unwrap_or_default();
        let options = parsed.get("compilerOptions");
        let base =
            options.and_then(|o| o.get("baseUrl")).and_then(Value::as_str).map_or(folder.clone(), |b| folder.join(b));
        let paths = options.and_then(|o| o.get("paths")).and_then(Value::as_object);
        for (alias, targets) in paths.into_iter().flatten() {
            let Some(target) = targets.as_array().and_then(|t| t.first()).and_then(Value::as_str) else { continue };
            let prefix = alias.trim_end_matches('*');
            let target = target.trim_end_matches('*').trim_end_matches('/');
            if prefix.len() < 3 || target.contains("node_modules") || found.iter().any(|(a, _)| a == prefix) {
                continue;
            }
            let mut target = normalize(&base.join(target));
            if target.is_file() {
                target = target.parent().map(Path::to_path_buf).unwrap_or(target);
            }
            if target.is_dir() && target.starts_with(root) && !target.starts_with(member) {
                found.push((prefix.to_string(), target));
            }
        }
        match parsed.get("extends").and_then(Value::as_str).filter(|e| e.starts_with('.')) {
            Some(extends) => config = normalize(&folder.join(extends)),
            None => break,
        }
    }
    found
}

/// tsconfig's JSON with comments and trailing commas, parsed.
fn parse(text: &str) -> Option<Value> {
    let lines: Vec<&str> = text.lines().map(crate::analyze::slash_comments::without_slash_comment).collect();
    let without_commas = TRAILING_COMMA.replace_all(&lines.join("\n"), "$1").into_owned();
    serde_json::from_str(&without_commas).ok()
}

/// `a/b/../c` as `a/c`, without touching the disk.
fn normalize(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for part in path.components() {
        match part {
            std::path::Component::ParentDir => {
                out.pop();
            }
            std::path::Component::CurDir => {}
            other => out.push(other),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn aliases_of_the_config_and_the_one_it_extends() {
        let repo = tempfile::tempdir().unwrap();
        let root = std::fs::canonicalize(repo.path()).unwrap();
        for folder in ["apps/api/src", "libraries/helpers/src", "libraries/db/src"] {
            std::fs::create_dir_all(root.join(folder)).unwrap();
        }
        std::fs::write(root.join("libraries/db/src/index.ts"), "").unwrap();
        std::fs::write(
            root.join("tsconfig.base.json"),
            "{\n  // shared\n  \"compilerOptions\": {\n    \"paths\": {\n      \"@acme/helpers/*\": [\"libraries/helpers/src/*\"],\n      \"@acme/db\": [\"libraries/db/src/index.ts\"],\n      \"@acme/api/*\": [\"apps/api/src/*\"],\n      \"@x/*\": [\"node_modules/x/*\"],\n    },\n  },\n}\n",
        )
        .unwrap();
        std::fs::write(root.join("apps/api/tsconfig.json"), "{ \"extends\": \"../../tsconfig.base.json\" }").unwrap();
        let found = aliases(&root.join("apps/api"), &root);
        let mut named: Vec<(&str, PathBuf)> =
            found.iter().map(|(a, f)| (a.as_str(), f.strip_prefix(&root).unwrap().to_path_buf())).collect();
        // The paths' order is serde_json's map order, which a feature of another crate may change.
        named.sort();
        assert_eq!(
            named,
            [
                ("@acme/db", PathBuf::from("libraries/db/src")),
                ("@acme/helpers/", PathBuf::from("libraries/helpers/src"))
            ]
        );
    }
}
