//! The package's own scripts an image runs: those its build and dependency install run, and
//! every script they call by name in turn. What they do happens in the image's build, where
//! there is no database, no `.git` and no developer's machine.

use std::collections::BTreeSet;

use serde_json::Value;

use super::source::Fact;

/// Scripts an image's build or dependency install runs of the package itself.
const RUN_BY_IMAGE: [&str; 7] = ["build", "prebuild", "postbuild", "preinstall", "install", "postinstall", "prepare"];

/// The scripts of the package the image's build or install runs, and those they call by name
/// at any depth (`npm run x`, `run-s x y`), each once, as (name, body).
pub(super) fn of(manifest: &Value, build: Option<&Fact<Vec<String>>>) -> Vec<(String, String)> {
    let Some(scripts) = manifest.get("scripts").and_then(Value::as_object) else { return Vec::new() };
    let mut pending: Vec<String> = RUN_BY_IMAGE.iter().map(|s| s.to_string()).collect();
    pending.extend(build.into_iter().flat_map(|b| b.value.iter().cloned()));
    let mut seen = BTreeSet::new();
    let mut found = Vec::new();
    while let Some(name) = pending.pop() {
        if !seen.insert(name.clone()) {
            continue;
        }
        let Some(body) = scripts.get(&name).and_then(Value::as_str) else { continue };
        pending.extend(body.split(|c: char| c.is_whitespace() || "&|;".contains(c)).map(str::to_string));
        found.push((name, body.to_string()));
    }
    found
}

/// The manifest as the image sees it: without the lifecycle scripts it skips (a husky `prepare`
/// the production install cannot run), which then do nothing there.
pub(super) fn as_run(manifest: &Value, skipped: &[String]) -> Value {
    let mut manifest = manifest.clone();
    if let Some(scripts) = manifest.get_mut("scripts").and_then(Value::as_object_mut) {
        for name in skipped {
            scripts.remove(name);
        }
    }
    manifest
}
