//! node-config keys the app gets with `config.get('key')` that nothing in the image sets.
//! `get` throws when the key is missing, so a module reading it at load crashes the start.
//! That happens when the config files holding the keys are gitignored (`config/default.json`
//! kept on the maintainers' machines) and no `custom-environment-variables.*` maps a variable
//! to them: only `NODE_CONFIG`, a JSON document, can then feed them.

use std::sync::LazyLock;

use regex::Regex;

use crate::analyze::app_files::AppFiles;
use crate::model::{Finding, VariableScope};

static GET: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r#"\b(\w+)\.get\(\s*['"]([\w.]+)['"]\s*\)"#).expect("valid pattern"));

/// Config formats ferry does not parse: a file in one of them may set any key.
const UNREAD_FORMATS: [&str; 8] = ["js", "cjs", "ts", "json5", "hjson", "toml", "properties", "xml"];

/// Each key `config.get` reads in the running app's code that no config file of the app sets
/// and no variable is mapped to, with the first `path:line` reading it.
pub fn missing_keys(files: &AppFiles, settings: &[String], mapped: &[String]) -> Vec<(String, String)> {
    // Only the files node-config loads in production count; `config/db.js` is the app's code.
    const LOADED: [&str; 5] = ["default", "production", "local", "local-production", "custom-environment-variables"];
    let unread = files.files.keys().filter_map(|p| p.strip_prefix("config/")).any(|name| {
        name.rsplit_once('.').is_some_and(|(stem, ext)| LOADED.contains(&stem) && UNREAD_FORMATS.contains(&ext))
    });
    if unread {
        return Vec::new();
    }
    let set =
        |key: &str| settings.iter().chain(mapped).any(|known| known == key || known.starts_with(&format!("{key}.")));
    let mut found: Vec<(String, String)> = Vec::new();
    let code = files.with_extensions(&["js", "mjs", "cjs", "ts"]).filter(|(path, _)| {
        !path.contains("node_modules/")
            && !crate::analyze::source::is_test_path(path)
            && super::scope_of(path) == VariableScope::Runtime
    });
    for (path, text) in code {
        let Some(binding) = text.lines().find_map(super::node_config_settings::binding_in) else { continue };
        for (index, line) in text.lines().enumerate() {
            for captures in GET.captures_iter(line).filter(|c| c[1] == binding) {
                let key = captures[2].to_string();
                let guarded = text.contains(&format!("{binding}.has('{key}')"))
                    || text.contains(&format!("{binding}.has(\"{key}\")"));
                if !set(&key) && !guarded && !found.iter().any(|(k, _)| *k == key) {
                    found.push((key, format!("{path}:{}", index + 1)));
                }
            }
        }
    }
    found
}

/// The blocker that `config.get` throws at start for `missing` keys.
pub fn blocker(files: &AppFiles, missing: &[(String, String)]) -> Option<Finding> {
    let (_, first_at) = missing.first()?;
    let keys: Vec<&str> = missing.iter().map(|(key, _)| key.as_str()).collect();
    let ignored: Vec<String> = ignored_config_files(files);
    let why = if ignored.is_empty() {
        "no config file in the app sets them".to_string()
    } else {
        let verb = if ignored.len() > 1 { "are" } else { "is" };
        format!("{} {verb} gitignored, so the image has no file setting them", ignored.join(" and "))
    };
    let message = format!(
        "config.get throws at start for {}: {why}, and no config/custom-environment-variables file maps a variable to them",
        keys.join(", ")
    );
    let fix = format!(
        "set NODE_CONFIG on the service from a secret to JSON holding {}, or add config/custom-environment-variables.json mapping each to a variable",
        keys.join(", ")
    );
    Some(Finding::blocker("required-env", message, first_at.clone()).with_fix(fix))
}

/// The node-config files `.gitignore` names (`config/default.json`).
fn ignored_config_files(files: &AppFiles) -> Vec<String> {
    let Some(ignore) = files.get(".gitignore") else { return Vec::new() };
    ignore
        .lines()
        .map(|line| line.trim().trim_start_matches('/'))
        .filter(|line| line.starts_with("config/") && !line.contains('*') && !line.starts_with('#'))
        .map(str::to_string)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_got_that_nothing_sets() {
        let files = AppFiles::from_pairs([
            (".gitignore", "node_modules/\nconfig/default.json\n"),
            (
                "db.js",
                "const settings = require('config');\nconst url = settings.get('storeUri');\nconst port = settings.get('port');\nif (settings.has('extra')) settings.get('extra');\n",
            ),
            ("config/test.json", "{ \"port\": 5000 }"),
            ("config/db.js", "module.exports = {}\n"),
        ]);
        let missing = missing_keys(&files, &["port".to_string()], &[]);
        assert_eq!(missing, [("storeUri".to_string(), "db.js:2".to_string())]);
        let finding = blocker(&files, &missing).expect("a blocker");
        assert!(finding.message.contains("config/default.json is gitignored"), "{}", finding.message);
        assert!(finding.fix.as_deref().is_some_and(|f| f.contains("NODE_CONFIG")));
    }
}
