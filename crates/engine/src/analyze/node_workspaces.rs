//! The folders a Node.js monorepo's root takes in as members: lerna.json `packages` and
//! package.json `workspaces` (a list, or `{ "packages": [...] }`), as `folder/*` globs or
//! plain folders. The root's install installs them and its scripts run them.

use serde_json::Value;

use super::app_files::AppFiles;

/// The member globs the root declares, without `./` or a trailing `/`.
pub fn member_globs(files: &AppFiles, manifest: &Value) -> Vec<String> {
    let lerna: Value = files.get("lerna.json").and_then(|t| serde_json::from_str(t).ok()).unwrap_or(Value::Null);
    let workspaces = manifest.get("workspaces").map(|w| w.get("packages").unwrap_or(w));
    [lerna.get("packages"), workspaces]
        .into_iter()
        .flatten()
        .filter_map(Value::as_array)
        .flatten()
        .filter_map(Value::as_str)
        .map(|g| g.trim_start_matches("./").trim_end_matches('/').to_string())
        .collect()
}

/// Whether one of the globs takes in the folder (`packages/*` takes `packages/api`).
pub fn is_member(globs: &[String], folder: &str) -> bool {
    globs.iter().any(|glob| match glob.strip_suffix("/*") {
        Some(parent) => folder.rsplit_once('/').is_some_and(|(p, _)| p == parent),
        None => folder == glob,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn workspaces_and_lerna_packages_take_in_their_folders() {
        let files = AppFiles::from_pairs([("lerna.json", r#"{"packages": ["services/*"]}"#)]);
        let manifest: Value = serde_json::from_str(r#"{"workspaces": {"packages": ["./client/"]}}"#).unwrap();
        let globs = member_globs(&files, &manifest);
        assert!(is_member(&globs, "services/api") && is_member(&globs, "client"));
        assert!(!is_member(&globs, "services/api/web") && !is_member(&globs, "server"));
    }
}
