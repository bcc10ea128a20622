//! Whether the lockfile installs a package for production though package.json lists it only in
//! devDependencies: a production dependency needs it too (`base64-js` under `aws-sdk` →
//! `buffer`), so `npm ci --omit=dev` puts it in node_modules all the same and the server finds it.

use std::collections::{HashMap, HashSet};

use serde_json::Value;

use super::app_files::AppFiles;

/// Whether the folder's lockfile installs `name` with the production dependencies.
pub fn installs_for_production(files: &AppFiles, manifest: &Value, name: &str) -> bool {
    if let Some(lock) = lock_text(files, "package-lock.json").or_else(|| lock_text(files, "npm-shrinkwrap.json")) {
        return npm(&lock, name);
    }
    if let Some(lock) = lock_text(files, "pnpm-lock.yaml") {
        return pnpm(&lock, name);
    }
    if let Some(lock) = lock_text(files, "yarn.lock") {
        let roots: Vec<String> = ["dependencies", "optionalDependencies"]
            .iter()
            .filter_map(|field| manifest.get(*field)?.as_object())
            .flat_map(|deps| deps.keys().cloned())
            .collect();
        return yarn_reached(&lock, &roots).contains(name);
    }
    false
}

/// Lockfiles run to megabytes, past what the scan reads of a file (it keeps a big file's text
/// empty): this one question reads the file itself, up to a bound.
fn lock_text(files: &AppFiles, path: &str) -> Option<String> {
    const MAX_LOCK_BYTES: u64 = 32 * 1024 * 1024;
    match files.get(path) {
        Some(text) if !text.is_empty() => Some(text.to_string()),
        _ if files.has(path) => {
            let full = files.root.as_ref()?.join(path);
            let size = std::fs::metadata(&full).ok()?.len();
            (size <= MAX_LOCK_BYTES).then(|| std::fs::read_to_string(&full).ok()).flatten()
        }
        _ => None,
    }
}

/// npm marks what only development needs `"dev": true`: lockfile v2/v3 under
/// `packages["node_modules/NAME"]`, v1 under `dependencies.NAME`.
fn npm(lock: &str, name: &str) -> bool {
    let Ok(lock) = serde_json::from_str::<Value>(lock) else { return false };
    let entry = lock
        .get("packages")
        .and_then(|packages| packages.get(format!("node_modules/{name}")))
        .or_else(|| lock.get("dependencies").and_then(|deps| deps.get(name)));
    entry.is_some_and(|entry| {
        let flagged = |flag: &str| entry.get(flag).and_then(Value::as_bool).unwrap_or(false);
        !flagged("dev") && !flagged("devOptional")
    })
}

/// pnpm (lockfile v6 to v8) marks each package `dev: false` when production needs it.
fn pnpm(lock: &str, name: &str) -> bool {
    let lines: Vec<&str> = lock.lines().collect();
    let keys = [format!("/{name}@"), format!("/{name}/"), format!("'/{name}@"), format!("{name}@")];
    lines.iter().enumerate().any(|(index, line)| {
        let key = line.trim_start();
        let entry =
            line.starts_with("  ") && !line.starts_with("   ") && keys.iter().any(|k| key.starts_with(k.as_str()));
        entry
            && lines[index + 1..]
                .iter()
                .take_while(|l| l.starts_with("    ") || l.trim().is_empty())
                .any(|l| l.trim() == "dev: false")
    })
}

/// The packages yarn.lock installs under `roots`, followed through each entry's
/// `dependencies`, by name.
fn yarn_reached(lock: &str, roots: &[String]) -> HashSet<String> {
    let mut needs: HashMap<String, HashSet<String>> = HashMap::new();
    let mut current: Vec<String> = Vec::new();
    let mut in_dependencies = false;
    for line in lock.lines() {
        let indent = line.len() - line.trim_start().len();
        let trimmed = line.trim();
        if trimmed.is_empty() || trimmed.starts_with('#') {
            continue;
        }
        if indent == 0 {
            // `"@scope/a@^1.0.0", a@~1.2.0:` or berry's `"a@npm:^1.0.0":`.
            current = trimmed.trim_end_matches(':').split(", ").map(|spec| package_of(spec).to_string()).collect();
            in_dependencies = false;
        } else if indent == 2 {
            in_dependencies = trimmed == "dependencies:" || trimmed == "optionalDependencies:";
        } else if in_dependencies {
            let dependency = trimmed.split([' ', ':']).next().unwrap_or("").trim_matches('"').to_string();
            for package in &current {
                needs.entry(package.clone()).or_default().insert(dependency.clone());
            }
        }
    }
    let mut reached: HashSet<String> = HashSet::new();
    let mut queue: Vec<String> = roots.to_vec();
    while let Some(package) = queue.pop() {
        if reached.insert(package.clone()) {
            queue.extend(needs.get(&package).into_iter().flatten().cloned());
        }
    }
    reached
}

/// `"@scope/a@^1.0.0"` → `@scope/a`.
fn package_of(spec: &str) -> &str {
    let spec = spec.trim_matches('"');
    match spec.get(1..).and_then(|rest| rest.find('@')) {
        Some(at) => &spec[..at + 1],
        None => spec,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn packages_production_needs_through_others() {
        let manifest: Value = serde_json::from_str(r#"{"dependencies":{"aws-sdk":"2"}}"#).unwrap();
        let npm_lock = r#"{"lockfileVersion":3,"packages":{"":{},"node_modules/base64-js":{"version":"1.5.1"},"node_modules/eslint":{"version":"8","dev":true}}}"#;
        let files = AppFiles::from_pairs([("package-lock.json", npm_lock)]);
        assert!(installs_for_production(&files, &manifest, "base64-js"));
        assert!(!installs_for_production(&files, &manifest, "eslint"));
        assert!(!installs_for_production(&files, &manifest, "left-pad"));
        let yarn = "# yarn lockfile v1\n\n\"@aws/sdk@^2\", aws-sdk@^2.1.0:\n  version \"2.1.0\"\n  dependencies:\n    buffer \"4.9.2\"\n\nbuffer@4.9.2:\n  version \"4.9.2\"\n  dependencies:\n    base64-js \"^1.0.2\"\n\nbase64-js@^1.0.2:\n  version \"1.5.1\"\n\njest@^29:\n  version \"29.0.0\"\n";
        let files = AppFiles::from_pairs([("yarn.lock", yarn)]);
        assert!(installs_for_production(&files, &manifest, "base64-js"));
        assert!(!installs_for_production(&files, &manifest, "jest"));
        let pnpm = "lockfileVersion: '6.0'\n\npackages:\n\n  /base64-js@1.5.1:\n    resolution: {integrity: sha512-x}\n    dev: false\n\n  /jest@29.0.0:\n    resolution: {integrity: sha512-y}\n    dev: true\n";
        let files = AppFiles::from_pairs([("pnpm-lock.yaml", pnpm)]);
        assert!(installs_for_production(&files, &manifest, "base64-js"));
        assert!(!installs_for_production(&files, &manifest, "jest"));
    }
}
