//! Go configuration filled in two steps: a struct literal with the defaults
//! (`c := &Configuration{Server: Server{Port: 80}, Database: Database{Dialect: "sqlite3"}}`),
//! then one parse call per field naming the variable that overrides it
//! (`parseInt(&c.Server.Port, EnvServerPort)` with `EnvServerPort = "GOTIFY_SERVER_PORT"`).
//! The literal's value is the variable's default.

use std::collections::HashMap;
use std::sync::LazyLock;

use regex::Regex;

use super::VariableRead;

/// `parseInt(&c.Server.Port, EnvServerPort)`, `set(&cfg.DB.URL, "APP_DB_URL")`: a field's
/// address and the variable (a constant or a literal) that fills it.
static FIELD_BINDING: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"\b\w+\(\s*&([A-Za-z_]\w*(?:\.[A-Za-z_]\w*)+)\s*,\s*(?:"([A-Z][A-Z0-9_]*)"|([A-Za-z_]\w*))\s*\)"#)
        .expect("valid pattern")
});
/// `Name = "VALUE"` in a `const (` block or a `const` line.
static STRING_CONSTANT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"^\s*(?:const\s+)?([A-Za-z_]\w*)\s*(?:string\s*)?=\s*"([A-Z][A-Z0-9_]*)""#).expect("valid pattern")
});
/// `c := &Configuration{` or `cfg = Config{`: a struct literal bound to a name.
static LITERAL_START: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^\s*([A-Za-z_]\w*)\s*:?=\s*&?[A-Z]\w*\{\s*$").expect("valid pattern"));
/// `Server: Server{` (a nested literal opens) or `Port: 80,` (a field's value).
static FIELD: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^\s*([A-Z]\w*)\s*:\s*(.+?)\s*,?\s*$").expect("valid pattern"));

/// Gives each read without a default the value its field has in the struct literal.
pub(super) fn apply(sources: &[(&str, &str)], reads: &mut [VariableRead]) {
    let go: Vec<&str> = sources.iter().filter(|(path, _)| path.ends_with(".go")).map(|(_, text)| *text).collect();
    if !go.iter().any(|text| text.contains("(&")) {
        return;
    }
    let constants: HashMap<&str, &str> = go
        .iter()
        .flat_map(|text| text.lines())
        .filter_map(|line| STRING_CONSTANT.captures(line))
        .filter_map(|c| Some((c.get(1)?.as_str(), c.get(2)?.as_str())))
        .collect();
    let defaults: HashMap<String, String> = go.iter().flat_map(|text| literal_defaults(text)).collect();
    for text in &go {
        for captures in FIELD_BINDING.captures_iter(text) {
            let name = match (captures.get(2), captures.get(3)) {
                (Some(literal), _) => literal.as_str(),
                (None, Some(constant)) => match constants.get(constant.as_str()) {
                    Some(value) => value,
                    None => continue,
                },
                _ => continue,
            };
            let Some(default) = defaults.get(&captures[1]) else { continue };
            for read in reads.iter_mut().filter(|r| r.name == name && r.default.is_none()) {
                read.default = Some(default.clone());
            }
        }
    }
}

/// Every literal field of the struct literals in `text`, by its address from the bound name
/// (`c.Server.Port` → `80`, `c.Database.Dialect` → `sqlite3`).
fn literal_defaults(text: &str) -> Vec<(String, String)> {
    let mut found = Vec::new();
    let mut path: Vec<String> = Vec::new();
    for line in text.lines() {
        let code = line.split("//").next().unwrap_or("").trim_end();
        if path.is_empty() {
            if let Some(captures) = LITERAL_START.captures(code) {
                path.push(captures[1].to_string());
            }
            continue;
        }
        if code.trim_start().starts_with('}') {
            path.pop();
            continue;
        }
        let Some(captures) = FIELD.captures(code) else { continue };
        let (field, value) = (&captures[1], captures[2].trim_end_matches(','));
        if value.ends_with('{') {
            path.push(field.to_string());
        } else if let Some(value) = plain_value(value) {
            found.push((format!("{}.{field}", path.join(".")), value));
        }
    }
    found
}

/// A string, number or boolean literal, as its value.
fn plain_value(value: &str) -> Option<String> {
    if let Some(inner) = value.strip_prefix('"').and_then(|v| v.strip_suffix('"')) {
        return (!inner.is_empty()).then(|| inner.to_string());
    }
    let plain = value.chars().all(|c| c.is_ascii_digit()) || matches!(value, "true" | "false");
    (plain && !value.is_empty()).then(|| value.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_fields_literal_default_is_its_variables() {
        let config = "package config\n\nfunc Get() *Configuration {\n\tc := &Configuration{\n\t\tServer: Server{\n\t\t\tPort: 80,\n\t\t\tSSL: SSL{\n\t\t\t\tPort: 443,\n\t\t\t},\n\t\t},\n\t\tDatabase: Database{\n\t\t\tDialect:    \"sqlite3\",\n\t\t\tConnection: \"data/app.db\",\n\t\t},\n\t\tScopes: []string{\"openid\"},\n\t}\n\tparseInt(&c.Server.Port, EnvServerPort)\n\tparseInt(&c.Server.SSL.Port, \"APP_SSL_PORT\")\n\tparseString(&c.Database.Dialect, EnvDialect)\n\treturn c\n}\n";
        let keys = "package config\n\nconst (\n\tEnvServerPort = \"APP_SERVER_PORT\"\n\tEnvDialect    = \"APP_DATABASE_DIALECT\"\n)\n";
        let mut reads: Vec<VariableRead> = ["APP_SERVER_PORT", "APP_SSL_PORT", "APP_DATABASE_DIALECT"]
            .into_iter()
            .map(|name| VariableRead::new(name, "config/keys.go:4"))
            .collect();
        apply(&[("config/config.go", config), ("config/keys.go", keys)], &mut reads);
        let defaults: Vec<Option<&str>> = reads.iter().map(|r| r.default.as_deref()).collect();
        assert_eq!(defaults, [Some("80"), Some("443"), Some("sqlite3")]);
    }
}
