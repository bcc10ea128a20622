//! The folders a root workspace declares one level further down (`"workspaces": ["apps/*"]`,
//! pnpm's `packages: ['apps/*']`): a monorepo keeps its servers there, and a look only one
//! level down would miss them and take a lesser package for the only server.

use super::app_files::AppFiles;

/// The parents whose every child is a workspace member (`apps` for `apps/*`); negations and
/// deeper globs name no parent.
fn member_parents(root: &AppFiles) -> Vec<String> {
    let mut patterns: Vec<String> = Vec::new();
    if let Some(json) = root.get("package.json").and_then(|t| serde_json::from_str::<serde_json::Value>(t).ok()) {
        let list = json.get("workspaces").map(|w| w.get("packages").unwrap_or(w));
        let strings = list.and_then(|l| l.as_array()).into_iter().flatten().filter_map(|v| v.as_str());
        patterns.extend(strings.map(str::to_string));
    }
    if let Some(yaml) = root.get("pnpm-workspace.yaml") {
        // Only the `packages:` list: later keys (`catalog:`, `onlyBuiltDependencies:`) are not members.
        let listed = yaml.lines().skip_while(|l| !l.starts_with("packages:")).skip(1);
        let items = listed.take_while(|l| l.starts_with([' ', '-']) || l.trim().is_empty());
        let entries = items.filter_map(|l| l.trim().strip_prefix('-'));
        patterns.extend(entries.map(|e| e.trim().trim_matches(['"', '\'']).to_string()));
    }
    let mut parents: Vec<String> = patterns
        .iter()
        .filter_map(|p| p.strip_suffix("/*"))
        .filter(|parent| !parent.is_empty() && !parent.contains(['*', '!', '{', '.']))
        .map(str::to_string)
        .collect();
    parents.sort();
    parents.dedup();
    parents
}

/// The member folders (`apps/api`) under the parents the root workspace declares.
pub fn members(root: &AppFiles) -> Vec<String> {
    let parents = member_parents(root);
    let mut folders: Vec<String> = root
        .files
        .keys()
        .chain(root.unread.files.iter())
        .filter_map(|path| {
            let (parent, rest) = path.split_once('/')?;
            let (child, _) = rest.split_once('/')?;
            parents.iter().any(|p| p == parent).then(|| format!("{parent}/{child}"))
        })
        .collect();
    folders.sort();
    folders.dedup();
    folders
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn globbed_parents_of_npm_and_pnpm_workspaces() {
        let npm = AppFiles::from_pairs([
            ("package.json", r#"{"workspaces":["apps/*","plugins","!apps/electron"]}"#),
            ("apps/api/package.json", "{}"),
            ("apps/web/src/a.ts", ""),
            ("plugins/package.json", "{}"),
        ]);
        assert_eq!(members(&npm), ["apps/api", "apps/web"]);
        let pnpm = AppFiles::from_pairs([
            ("pnpm-workspace.yaml", "packages:\n  - 'services/*'\ncatalog:\n  x: 1\n"),
            ("services/jobs/index.ts", ""),
        ]);
        assert_eq!(members(&pnpm), ["services/jobs"]);
    }
}
