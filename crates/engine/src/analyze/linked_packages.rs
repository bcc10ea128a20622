//! The workspace packages a monorepo member runs with: `"@documenso/lib": "*"` or
//! `"workspace:*"` names a sibling folder of the repository (`packages/lib`), whose code is
//! bundled or linked into the member and reads the environment of the running app. Their
//! Node.js source is read beside the member's own, by paths relative to the member's folder
//! (`../../packages/lib/server/env.ts`), so its variables are the member's too; each
//! package's manifest comes with it (`../../packages/lib/package.json`), which says the
//! member's dependency is the workspace's own. A TypeScript path alias the code imports
//! (`@gitroom/nestjs-libraries/*` → `libraries/nestjs-libraries/src/*` in tsconfig) links a
//! workspace folder the same way, with no dependency declared.

use std::collections::{BTreeMap, VecDeque};
use std::path::{Path, PathBuf};

use serde_json::Value;

/// How many linked packages, and how many of their files, are read at most.
const MAX_PACKAGES: usize = 24;
const MAX_LINKED_FILES: usize = 3000;
/// How far above the member its workspace root may sit.
const MAX_LEVELS: usize = 4;
const EXTENSIONS: [&str; 8] = ["js", "mjs", "cjs", "jsx", "ts", "mts", "cts", "tsx"];

/// The source files of the workspace packages `manifest` depends on, transitively, and of
/// the folders the code (`own`) imports through a tsconfig path alias, by path relative to
/// `member` (the app's folder); empty for a folder outside a workspace.
pub fn read(member: &Path, manifest: &str, own: &BTreeMap<String, String>) -> BTreeMap<String, String> {
    let mut found = BTreeMap::new();
    let Ok(manifest) = serde_json::from_str::<Value>(manifest) else { return found };
    let Some((root, level)) = workspace_root(member) else { return found };
    let mut seen: Vec<PathBuf> = vec![member.to_path_buf()];
    packages(&root, level, &manifest, &mut seen, &mut found);
    aliased_folders(member, &root, level, own, &mut seen, &mut found);
    found
}

/// The member's workspace dependencies, transitively, read into `found`.
fn packages(
    root: &Path,
    level: usize,
    manifest: &Value,
    seen: &mut Vec<PathBuf>,
    found: &mut BTreeMap<String, String>,
) {
    let members = members(root);
    let mut queue: VecDeque<String> = dependency_names(manifest).collect();
    while let Some(name) = queue.pop_front() {
        let Some((folder, package)) = members.get(&name) else { continue };
        if seen.contains(folder) || seen.len() > MAX_PACKAGES {
            continue;
        }
        seen.push(folder.clone());
        queue.extend(dependency_names(package));
        if let Some(prefix) = read_folder(root, level, folder, found) {
            found.insert(format!("{prefix}package.json"), package.to_string());
        }
    }
}

/// The code of `folder` read into `found` under its path from the member; the prefix.
fn read_folder(root: &Path, level: usize, folder: &Path, found: &mut BTreeMap<String, String>) -> Option<String> {
    let relative = folder.strip_prefix(root).ok()?;
    let prefix = format!("{}{}/", "../".repeat(level), relative.to_string_lossy().replace('\\', "/"));
    let mut files = BTreeMap::new();
    super::app_files::walk(folder, &mut files).ok()?;
    let code = files.into_iter().filter(|(path, text)| !text.is_empty() && is_code(path));
    for (path, text) in code.take(MAX_LINKED_FILES.saturating_sub(found.len())) {
        found.insert(format!("{prefix}{path}"), text);
    }
    Some(prefix)
}

/// The workspace folders the code imports through tsconfig path aliases, transitively (an
/// aliased library importing another alias), read into `found`.
fn aliased_folders(
    member: &Path,
    root: &Path,
    level: usize,
    own: &BTreeMap<String, String>,
    seen: &mut Vec<PathBuf>,
    found: &mut BTreeMap<String, String>,
) {
    let aliases = super::tsconfig_paths::aliases(member, root);
    let imports = |text: &str, alias: &str| text.contains(&format!("'{alias}")) || text.contains(&format!("\"{alias}"));
    loop {
        let next = aliases.iter().find(|(alias, folder)| {
            !seen.contains(folder)
                && folder.starts_with(root)
                && (own.values().any(|t| imports(t, alias)) || found.values().any(|t| imports(t, alias)))
        });
        let Some((_, folder)) = next else { break };
        seen.push(folder.clone());
        if seen.len() > MAX_PACKAGES {
            break;
        }
        read_folder(root, level, folder, found);
    }
}

/// The folder above `member` whose package.json or pnpm-workspace.yaml declares workspaces,
/// with how many levels up it is; the search stops at the repository's top.
fn workspace_root(member: &Path) -> Option<(PathBuf, usize)> {
    let member = std::fs::canonicalize(member).ok()?;
    if member.join(".git").exists() {
        return None;
    }
    for (index, folder) in member.ancestors().skip(1).take(MAX_LEVELS).enumerate() {
        let declares = folder.join("pnpm-workspace.yaml").is_file()
            || read_json(&folder.join("package.json")).is_some_and(|m| m.get("workspaces").is_some());
        if declares {
            return Some((folder.to_path_buf(), index + 1));
        }
        if folder.join(".git").exists() {
            return None;
        }
    }
    None
}

/// Every member package of the workspace by its name: its folder and manifest.
fn members(root: &Path) -> BTreeMap<String, (PathBuf, Value)> {
    let mut globs: Vec<String> =
        std::fs::read_to_string(root.join("pnpm-workspace.yaml")).map(|text| pnpm_globs(&text)).unwrap_or_default();
    if let Some(manifest) = read_json(&root.join("package.json")) {
        let workspaces = manifest.get("workspaces").map(|w| w.get("packages").unwrap_or(w)).cloned();
        let listed = workspaces.as_ref().and_then(Value::as_array).into_iter().flatten().filter_map(Value::as_str);
        globs.extend(listed.map(str::to_string));
    }
    let mut found = BTreeMap::new();
    for glob in globs {
        let glob = glob.trim_start_matches("./").trim_end_matches('/');
        // A member outside the repository is nothing of the app's to read.
        if glob.split('/').any(|part| part == "..") || glob.starts_with('/') {
            continue;
        }
        let folders: Vec<PathBuf> = match glob.strip_suffix("/*").or_else(|| glob.strip_suffix("/**")) {
            Some(parent) if !parent.contains('*') => std::fs::read_dir(root.join(parent))
                .map(|entries| entries.filter_map(Result::ok).map(|e| e.path()).collect())
                .unwrap_or_default(),
            Some(_) => Vec::new(),
            None if glob.contains('*') || glob.starts_with('!') => Vec::new(),
            None => vec![root.join(glob)],
        };
        for folder in folders {
            let Some(manifest) = read_json(&folder.join("package.json")) else { continue };
            if let Some(name) = manifest.get("name").and_then(Value::as_str) {
                found.insert(name.to_string(), (folder, manifest.clone()));
            }
        }
    }
    found
}

/// `packages:` entries of pnpm-workspace.yaml (`  - 'apps/*'`).
fn pnpm_globs(text: &str) -> Vec<String> {
    let mut in_packages = false;
    let mut globs = Vec::new();
    for line in text.lines() {
        if !line.starts_with(' ') && !line.starts_with('-') && !line.trim().is_empty() {
            in_packages = line.trim_end() == "packages:";
            continue;
        }
        if let Some(entry) = line.trim().strip_prefix('-').filter(|_| in_packages) {
            globs.push(entry.trim().trim_matches(['\'', '"']).to_string());
        }
    }
    globs
}

/// The names of a manifest's runtime dependencies.
fn dependency_names(manifest: &Value) -> impl Iterator<Item = String> + '_ {
    manifest.get("dependencies").and_then(Value::as_object).into_iter().flat_map(|deps| deps.keys().cloned())
}

fn read_json(path: &Path) -> Option<Value> {
    serde_json::from_str(&std::fs::read_to_string(path).ok()?).ok()
}

/// A Node.js source file that is not a test, a declaration or a bundle.
fn is_code(path: &str) -> bool {
    let name = path.rsplit('/').next().unwrap_or(path);
    let by_extension = name.rsplit_once('.').is_some_and(|(_, ext)| EXTENSIONS.contains(&ext));
    by_extension && !name.ends_with(".d.ts") && !super::source::is_test_path(path)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write(root: &Path, path: &str, text: &str) {
        let path = root.join(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }

    #[test]
    fn the_members_a_member_depends_on_are_read_transitively() {
        let repo = tempfile::tempdir().unwrap();
        let root = repo.path();
        write(root, "package.json", r#"{"workspaces": ["apps/*", "packages/*"]}"#);
        write(
            root,
            "apps/web/package.json",
            r#"{"name": "@acme/web", "dependencies": {"@acme/lib": "*", "react": "19"}}"#,
        );
        write(
            root,
            "packages/lib/package.json",
            r#"{"name": "@acme/lib", "dependencies": {"@acme/db": "workspace:*"}}"#,
        );
        write(root, "packages/lib/env.ts", "export const key = process.env.SIGNING_KEY;\n");
        write(root, "packages/lib/env.test.ts", "process.env.TEST_ONLY;\n");
        write(root, "packages/db/package.json", r#"{"name": "@acme/db"}"#);
        write(root, "packages/db/client.ts", "export const url = process.env.DATABASE_URL;\n");
        write(root, "packages/unused/package.json", r#"{"name": "@acme/unused"}"#);
        write(root, "packages/unused/x.ts", "process.env.UNUSED;\n");
        let manifest = std::fs::read_to_string(root.join("apps/web/package.json")).unwrap();
        let found = read(&root.join("apps/web"), &manifest, &BTreeMap::new());
        let paths: Vec<&str> = found.keys().map(String::as_str).collect();
        assert_eq!(
            paths,
            [
                "../../packages/db/client.ts",
                "../../packages/db/package.json",
                "../../packages/lib/env.ts",
                "../../packages/lib/package.json"
            ]
        );
    }

    #[test]
    fn pnpm_workspace_globs_and_a_folder_outside_a_workspace() {
        assert_eq!(
            pnpm_globs("packages:\n  - 'apps/*'\n  - \"packages/*\"\ncatalog:\n  - x\n"),
            ["apps/*", "packages/*"]
        );
        let alone = tempfile::tempdir().unwrap();
        write(alone.path(), "app/package.json", r#"{"dependencies": {"x": "1"}}"#);
        assert!(read(&alone.path().join("app"), r#"{"dependencies": {"x": "1"}}"#, &BTreeMap::new()).is_empty());
    }
}
