//! node-config (`config` on npm): `config/custom-environment-variables.yml` maps settings to
//! the variables that fill them, and `config/default.yml`, overridden by
//! `config/production.yml` (ferry's image sets NODE_ENV=production), gives their defaults. A
//! read that falls back to one of those settings in code (`readEnvValue('EENGINE_HOST') ||
//! config.api.host`) has that setting's value as its default too.

use std::collections::HashMap;
use std::sync::LazyLock;

use regex::Regex;
use serde_json::Value;

use super::VariableRead;
use crate::analyze::app_files::AppFiles;
use crate::analyze::yaml_leaves::yaml_leaves;

/// A read for every variable the mapping file names, with the setting's default.
pub fn reads(files: &AppFiles) -> Vec<VariableRead> {
    let uses_config = files.get("package.json").is_some_and(|t| t.contains("\"config\":"));
    let Some((path, mapping)) = ["yml", "yaml", "json"].iter().find_map(|ext| {
        let path = format!("config/custom-environment-variables.{ext}");
        files.get(&path).map(|text| (path, leaves(&format!("x.{ext}"), text)))
    }) else {
        return Vec::new();
    };
    if !uses_config {
        return Vec::new();
    }
    let settings = |stem: &str| {
        ["yml", "yaml", "json"]
            .iter()
            .find_map(|ext| files.get(&format!("config/{stem}.{ext}")).map(|text| leaves(&format!("x.{ext}"), text)))
            .unwrap_or_default()
    };
    let (production, default) = (settings("production"), settings("default"));
    let value_of =
        |key: &str| production.iter().chain(default.iter()).find(|(_, k, _)| k == key).map(|(_, _, v)| v.clone());
    mapping
        .into_iter()
        .filter(|(_, key, _)| !key.ends_with(".__format"))
        .filter_map(|(line, key, name)| {
            // `{ __name: PORT, __format: number }` names its variable one level down.
            let key = key.strip_suffix(".__name").map(str::to_string).unwrap_or(key);
            let name = name.trim_matches(['"', '\'']).to_string();
            // npm sets `npm_package_*` itself when it runs the app.
            let variable = !name.starts_with("npm_") && crate::model::is_variable_name(&name);
            variable.then(|| {
                let default = value_of(&key).map(|v| v.trim_matches(['"', '\'']).to_string()).filter(|v| !v.is_empty());
                let mut read = VariableRead::new(name, format!("{path}:{line}")).with_default(default.clone());
                read.required = default.is_none();
                read
            })
        })
        .filter(|read| !read.name.is_empty())
        .collect()
}

/// After a read's name: `') || config.api.host`, past other reads it falls back to first
/// (`|| readEnvValue('REDIS_URL')`).
static FALLBACK_TO_SETTING: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"^['"]?\s*\)*(?:\s*\|\|\s*[\w.]+\(\s*['"][A-Za-z0-9_]+['"]\s*\)+)*\s*\|\|\s*config\.([\w.]+)"#)
        .expect("valid pattern")
});

/// Gives each read without a default the value of the `config/` setting its line falls back to.
pub fn fallback_defaults(files: &AppFiles, sources: &[(&str, &str)], found: &mut [VariableRead]) {
    let settings = settings_by_key(files);
    if settings.is_empty() {
        return;
    }
    let texts: HashMap<&str, &str> = sources.iter().copied().collect();
    for read in found.iter_mut().filter(|r| r.default.is_none()) {
        let Some((path, number)) = read.source.rsplit_once(':') else { continue };
        let line = number.parse::<usize>().ok().and_then(|n| texts.get(path)?.lines().nth(n.checked_sub(1)?));
        let Some(line) = line else { continue };
        let Some(at) = line.find(read.name.as_str()) else { continue };
        let after = &line[at + read.name.len()..];
        if let Some(key) = FALLBACK_TO_SETTING.captures(after).map(|c| c[1].to_string()) {
            read.default = settings.get(&key).cloned();
        }
    }
}

/// The settings of `config/production.*` over `config/default.*` (YAML, JSON or TOML).
fn settings_by_key(files: &AppFiles) -> HashMap<String, String> {
    let mut settings = HashMap::new();
    for stem in ["default", "production"] {
        for ext in ["yml", "yaml", "json", "toml"] {
            let Some(text) = files.get(&format!("config/{stem}.{ext}")) else { continue };
            let leaves: Vec<(String, String)> = if ext == "toml" {
                super::koanf::toml_leaves(text).into_iter().filter_map(|(_, k, v)| Some((k, v?))).collect()
            } else {
                leaves(&format!("x.{ext}"), text).into_iter().map(|(_, k, v)| (k, v)).collect()
            };
            for (key, value) in leaves {
                let value = value.trim_matches(['"', '\'']).to_string();
                if !value.is_empty() {
                    settings.insert(key, value);
                }
            }
        }
    }
    settings
}

/// `(line, dotted.key, value)` of a YAML or JSON settings file.
pub(super) fn leaves(path: &str, text: &str) -> Vec<(usize, String, String)> {
    if !path.ends_with(".json") {
        return yaml_leaves(text);
    }
    let mut found = Vec::new();
    if let Ok(value) = serde_json::from_str::<Value>(text) {
        flatten(&value, String::new(), text, &mut found);
    }
    found
}

/// Every dotted key a YAML or JSON settings file defines, whatever its value: node-config's
/// `get` throws only for a key that is absent, so a list (even `[]`) or a `null` is set too.
pub(super) fn defined_keys(path: &str, text: &str) -> Vec<String> {
    let mut keys: Vec<String> = leaves(path, text).into_iter().map(|(_, key, _)| key).collect();
    if path.ends_with(".json")
        && let Ok(value) = serde_json::from_str::<Value>(text)
    {
        collect_keys(&value, String::new(), &mut keys);
    }
    keys
}

fn collect_keys(value: &Value, key: String, keys: &mut Vec<String>) {
    if !key.is_empty() {
        keys.push(key.clone());
    }
    if let Value::Object(map) = value {
        for (name, inner) in map {
            let dotted = if key.is_empty() { name.clone() } else { format!("{key}.{name}") };
            collect_keys(inner, dotted, keys);
        }
    }
}

fn flatten(value: &Value, key: String, text: &str, found: &mut Vec<(usize, String, String)>) {
    match value {
        Value::Object(map) => {
            for (name, inner) in map {
                let dotted = if key.is_empty() { name.clone() } else { format!("{key}.{name}") };
                flatten(inner, dotted, text, found);
            }
        }
        Value::String(s) => found.push((line_naming(text, &key), key, s.clone())),
        Value::Number(_) | Value::Bool(_) => found.push((line_naming(text, &key), key, value.to_string())),
        _ => {}
    }
}

/// The line where the key's last part is written, for the read's source: each part is looked
/// for after its parent's line, so `server.port` is not taken for an earlier `port`.
fn line_naming(text: &str, key: &str) -> usize {
    let lines: Vec<&str> = text.lines().collect();
    let mut at = 0;
    for part in key.split('.') {
        let quoted = format!("\"{part}\"");
        match lines.iter().skip(at).position(|line| line.contains(&quoted)) {
            Some(offset) => at += offset,
            None => return 1,
        }
    }
    at + 1
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_read_falling_back_to_a_setting_takes_its_value() {
        let defaults = "[api]\nport = 3000\nhost = \"127.0.0.1\" # localhost only\n\n[dbs]\nredis = \"redis://127.0.0.1:6379/8\"\n";
        let server = "config.api.host = readEnvValue('EENGINE_HOST') || config.api.host;\nconst redis = readEnvValue('EENGINE_REDIS') || readEnvValue('REDIS_URL') || config.dbs.redis;\nconst other = readEnvValue('OTHER') || somethingElse;\n";
        let files = AppFiles::from_pairs([("config/default.toml", defaults), ("server.js", server)]);
        let mut found = vec![
            VariableRead::new("EENGINE_HOST", "server.js:1"),
            VariableRead::new("EENGINE_REDIS", "server.js:2"),
            VariableRead::new("REDIS_URL", "server.js:2"),
            VariableRead::new("OTHER", "server.js:3"),
        ];
        fallback_defaults(&files, &[("server.js", server)], &mut found);
        let defaults: Vec<Option<&str>> = found.iter().map(|r| r.default.as_deref()).collect();
        assert_eq!(
            defaults,
            [Some("127.0.0.1"), Some("redis://127.0.0.1:6379/8"), Some("redis://127.0.0.1:6379/8"), None]
        );
    }

    #[test]
    fn mapped_variables_with_production_over_default() {
        let files = AppFiles::from_pairs([
            ("package.json", "{ \"dependencies\": { \"config\": \"^3.0.1\" } }"),
            (
                "config/custom-environment-variables.yml",
                "server:\n  port:\n    __name: PORT\n    __format: number\n  host: HOST\nenv:\n  name: npm_package_name\nsecret: SECRET\ndb:\n  connection: DB_CONNECTION\n",
            ),
            ("config/default.yml", "server:\n  port: 3000\n  host: 0.0.0.0\nsecret: secret\n"),
            ("config/production.json", "{ \"server\": { \"host\": \"::\" } }"),
        ]);
        let found: Vec<(String, Option<String>, bool, String)> =
            reads(&files).into_iter().map(|r| (r.name, r.default, r.required, r.source)).collect();
        assert_eq!(
            found,
            [
                ("PORT".into(), Some("3000".into()), false, "config/custom-environment-variables.yml:3".into()),
                ("HOST".into(), Some("::".into()), false, "config/custom-environment-variables.yml:5".into()),
                ("SECRET".into(), Some("secret".into()), false, "config/custom-environment-variables.yml:8".into()),
                ("DB_CONNECTION".into(), None, true, "config/custom-environment-variables.yml:10".into()),
            ]
        );
    }
}
