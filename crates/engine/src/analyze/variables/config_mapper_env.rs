//! config-mapper-env: `config/custom-environment-variables.cjs` hands node-config the default
//! settings object (`require('config-mapper-env')(require('./default.cjs'))`), and every leaf of
//! it becomes settable from a variable named by its path: `redis.standalonePersistent.url` is
//! `REDIS_STANDALONE_PERSISTENT_URL`. The leaf's value is the default, overridden by the
//! production file's, since ferry's image runs with NODE_ENV=production.

use std::collections::HashMap;

use super::VariableRead;
use super::text::literal;
use crate::analyze::app_files::AppFiles;

/// The settings file config-mapper-env maps onto variables (`config/default.cjs`).
pub fn mapped_file(files: &AppFiles) -> Option<String> {
    let mapping = ["cjs", "js", "mjs"].iter().find_map(|ext| {
        files
            .get(&format!("config/custom-environment-variables.{ext}"))
            .filter(|text| text.contains("config-mapper-env"))
    })?;
    required_file(mapping).map(|name| format!("config/{name}"))
}

/// A read for every leaf of the settings object the mapping file hands to config-mapper-env.
pub fn reads(files: &AppFiles) -> Vec<VariableRead> {
    let Some(default_path) = mapped_file(files) else { return Vec::new() };
    let Some(defaults) = files.get(&default_path) else { return Vec::new() };
    let production: HashMap<Vec<String>, String> = ["cjs", "js"]
        .iter()
        .find_map(|ext| files.get(&format!("config/production.{ext}")))
        .map(|text| object_leaves(text).into_iter().map(|(_, path, value)| (path, value)).collect())
        .unwrap_or_default();
    object_leaves(defaults)
        .into_iter()
        .filter_map(|(line, path, value)| {
            let name = variable_name(&path);
            crate::model::is_variable_name(&name).then(|| {
                let value = production.get(&path).cloned().unwrap_or(value);
                let default = literal(&value).or(Some(value)).filter(|v| !v.is_empty() && v != "null");
                VariableRead::new(name, format!("{default_path}:{line}")).with_default(default)
            })
        })
        .collect()
}

/// `./default.cjs` from `require('./default.cjs')` in the mapping file.
fn required_file(mapping: &str) -> Option<String> {
    let (_, rest) = mapping.split_once("require('./").or_else(|| mapping.split_once("require(\"./"))?;
    let name: String = rest.chars().take_while(|c| !matches!(c, '\'' | '"')).collect();
    (!name.is_empty() && !name.contains('/')).then_some(name)
}

/// `standalonePersistent` → `STANDALONE_PERSISTENT`, each segment split into words as lodash's
/// `snakeCase` splits them (what config-mapper-env uses): `apiURL` → `API_URL`, `s3Bucket` →
/// `S_3_BUCKET`; joined with `_`.
fn variable_name(path: &[String]) -> String {
    path.iter().flat_map(|segment| words(segment)).collect::<Vec<String>>().join("_").to_ascii_uppercase()
}

/// A key's words: at a lower-to-upper change, between letters and digits, before the last
/// capital of an acronym that starts a word (`URLPath` → `URL`, `Path`), and at separators.
fn words(segment: &str) -> Vec<String> {
    let chars: Vec<char> = segment.chars().collect();
    let mut found: Vec<String> = Vec::new();
    let mut current = String::new();
    for (index, &c) in chars.iter().enumerate() {
        if !c.is_ascii_alphanumeric() {
            if !current.is_empty() {
                found.push(std::mem::take(&mut current));
            }
            continue;
        }
        let previous = index.checked_sub(1).map(|i| chars[i]);
        let next = chars.get(index + 1).copied();
        let breaks = previous.is_some_and(|p| {
            (p.is_ascii_lowercase() && c.is_ascii_uppercase())
                || (p.is_ascii_digit() != c.is_ascii_digit() && p.is_ascii_alphanumeric())
                || (p.is_ascii_uppercase() && c.is_ascii_uppercase() && next.is_some_and(|n| n.is_ascii_lowercase()))
        });
        if breaks && !current.is_empty() {
            found.push(std::mem::take(&mut current));
        }
        current.push(c);
    }
    if !current.is_empty() {
        found.push(current);
    }
    found
}

/// Every scalar leaf of the object a `module.exports = { ... }` file holds, one key per line:
/// its line, its path of keys and its value's text. Arrays and functions are no leaves.
fn object_leaves(text: &str) -> Vec<(usize, Vec<String>, String)> {
    let mut found = Vec::new();
    let mut path: Vec<String> = Vec::new();
    let mut opened = false;
    let mut skip_depth = 0usize;
    for (index, raw) in text.lines().enumerate() {
        let line = raw.split(" //").next().unwrap_or(raw).trim();
        if !opened {
            opened = line.contains("module.exports") && line.ends_with('{');
            continue;
        }
        if skip_depth > 0 {
            skip_depth =
                (skip_depth + line.matches(['[', '(']).count()).saturating_sub(line.matches([']', ')']).count());
            continue;
        }
        if line.starts_with('}') {
            if path.pop().is_none() {
                break;
            }
            continue;
        }
        let Some((key, value)) = line.split_once(':') else { continue };
        let key = key.trim().trim_matches(['\'', '"']);
        if key.is_empty() || !key.chars().all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-') {
            continue;
        }
        let value = value.trim().trim_end_matches(',').trim();
        match value {
            "{" => path.push(key.to_string()),
            v if v.ends_with('[') || v.ends_with('(') || v.starts_with("function") || v.contains("=>") => {
                skip_depth = v.matches(['[', '(']).count().saturating_sub(v.matches([']', ')']).count());
            }
            v if v.starts_with('{') || v.starts_with('[') => {}
            v => found.push((index + 1, path.iter().cloned().chain([key.to_string()]).collect(), v.to_string())),
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_split_as_lodash_snake_case_splits_them() {
        let name = |segments: &[&str]| variable_name(&segments.iter().map(|s| s.to_string()).collect::<Vec<_>>());
        assert_eq!(name(&["redis", "standalonePersistent", "url"]), "REDIS_STANDALONE_PERSISTENT_URL");
        assert_eq!(name(&["apiURL"]), "API_URL");
        assert_eq!(name(&["s3Bucket"]), "S_3_BUCKET");
        assert_eq!(name(&["URLPath", "max-size"]), "URL_PATH_MAX_SIZE");
    }

    #[test]
    fn every_leaf_of_the_defaults_by_its_path() {
        let mapping = "const df = require('./default.cjs');\nmodule.exports = require('config-mapper-env')(df);\n";
        let defaults = "module.exports = {\n\tserver: {\n\t\tport: 3000,\n\t\tcors: {\n\t\t\ttrustedOrigins: [\n\t\t\t\t/^https:\\/\\/x$/,\n\t\t\t],\n\t\t},\n\t\tsession: {\n\t\t\tcookieSecret: '',\n\t\t},\n\t},\n\tredis: {\n\t\tstandalonePersistent: {\n\t\t\turl: 'redis://localhost:7001',\n\t\t},\n\t\tsharedOptions: {\n\t\t\tpassword: 'PASSWORD',\n\t\t\toptions: {},\n\t\t},\n\t},\n\tgeoip: {\n\t\tttl: 3 * 24 * 60 * 60 * 1000, // 3 days\n\t},\n};\n";
        let production = "module.exports = {\n\tserver: {\n\t\tport: 80,\n\t},\n};\n";
        let files = AppFiles::from_pairs([
            ("config/custom-environment-variables.cjs", mapping),
            ("config/default.cjs", defaults),
            ("config/production.cjs", production),
        ]);
        let found: Vec<(String, Option<String>, String)> =
            reads(&files).into_iter().map(|r| (r.name, r.default, r.source)).collect();
        let expected = [
            ("SERVER_PORT", Some("80"), "config/default.cjs:3"),
            ("SERVER_SESSION_COOKIE_SECRET", None, "config/default.cjs:10"),
            ("REDIS_STANDALONE_PERSISTENT_URL", Some("redis://localhost:7001"), "config/default.cjs:15"),
            ("REDIS_SHARED_OPTIONS_PASSWORD", Some("PASSWORD"), "config/default.cjs:18"),
            ("GEOIP_TTL", Some("259200000"), "config/default.cjs:23"),
        ];
        let expected: Vec<(String, Option<String>, String)> =
            expected.iter().map(|(n, d, s)| (n.to_string(), d.map(str::to_string), s.to_string())).collect();
        assert_eq!(found, expected);
    }
}
