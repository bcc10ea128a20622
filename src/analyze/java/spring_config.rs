//! application.properties and application.yml: port, health path, and the environment they read.

use super::CODE;
use crate::analyze::app_files::AppFiles;
use crate::analyze::source::{Fact, code_lines, fact};

// ---------------------------------------------------------------------------------------------
// Spring configuration

/// One `key = value` of application.properties, or a leaf of application.yml with its path
/// joined by dots (`server:` / `  port: 8081` → `server.port`).
pub(super) struct Entry {
    pub(super) at: String,
    pub(super) key: String,
    pub(super) value: String,
    /// From `application.{properties,yml,yaml}` itself, not a profile's file.
    pub(super) base: bool,
}

pub(super) struct SpringConfig {
    pub(super) entries: Vec<Entry>,
}

impl SpringConfig {
    pub(super) fn read(files: &AppFiles) -> SpringConfig {
        let mut entries = Vec::new();
        for (path, text) in files.with_extensions(&["properties", "yml", "yaml"]) {
            if !is_spring_config(path) {
                continue;
            }
            let name = path.rsplit('/').next().unwrap_or(path);
            let base = name.split('.').next() == Some("application");
            let parsed = if path.ends_with(".properties") { properties(text) } else { yaml(text) };
            entries.extend(parsed.into_iter().map(|(line, key, value)| Entry {
                at: format!("{path}:{line}"),
                key,
                value,
                base,
            }));
        }
        SpringConfig { entries }
    }

    pub(super) fn get(&self, key: &str) -> Option<&Entry> {
        self.entries.iter().filter(|e| e.base).find(|e| e.key == key)
    }

    /// `server.port=8081`, or the default of `${PORT:8081}`.
    pub(super) fn port(&self) -> Option<Fact<u16>> {
        let entry = self.get("server.port")?;
        let value = placeholder_default(&entry.value).unwrap_or(&entry.value);
        value.trim().parse::<u16>().ok().filter(|p| *p != 0).map(|p| fact(p, entry.at.clone()))
    }

    /// `/actuator/health`, under the servlet context path and a moved Actuator base path.
    pub(super) fn health_path(&self) -> String {
        let value = |key: &str| {
            self.get(key)
                .map(|e| placeholder_default(&e.value).unwrap_or(&e.value).trim().trim_end_matches('/').to_string())
        };
        let separate_port = self.get("management.server.port").is_some();
        let context = if separate_port { None } else { value("server.servlet.context-path") };
        let base = value("management.endpoints.web.base-path").unwrap_or_else(|| "/actuator".into());
        format!("{}{}/health", context.unwrap_or_default(), base)
    }
}

pub(super) fn is_spring_config(path: &str) -> bool {
    let name = path.rsplit('/').next().unwrap_or(path);
    (name.starts_with("application") || name.starts_with("bootstrap")) && !crate::analyze::source::is_test_path(path)
}

/// `8081` from `${PORT:8081}`.
pub(super) fn placeholder_default(value: &str) -> Option<&str> {
    let inner = value.trim().strip_prefix("${")?.strip_suffix('}')?;
    inner.split_once(':').map(|(_, default)| default)
}

pub(super) fn properties(text: &str) -> Vec<(usize, String, String)> {
    text.lines()
        .enumerate()
        .filter_map(|(i, line)| {
            let line = line.trim();
            if line.is_empty() || line.starts_with('#') || line.starts_with('!') {
                return None;
            }
            let split = line.find(['=', ':']).unwrap_or(line.len());
            let (key, value) = line.split_at(split);
            Some((i + 1, key.trim().to_string(), value.get(1..).unwrap_or("").trim().to_string()))
        })
        .collect()
}

/// The scalar leaves of a YAML file as dotted keys. Enough of YAML for Spring's files: nested
/// maps, dotted keys, several documents; list items are skipped.
pub(super) fn yaml(text: &str) -> Vec<(usize, String, String)> {
    let mut entries = Vec::new();
    let mut path: Vec<(usize, String)> = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let code = line.trim();
        if code == "---" {
            path.clear();
            continue;
        }
        if code.is_empty() || code.starts_with('#') || code.starts_with('-') {
            continue;
        }
        let indent = line.len() - line.trim_start().len();
        let Some((key, value)) = code.split_once(": ").or_else(|| code.strip_suffix(':').map(|k| (k, ""))) else {
            continue;
        };
        while path.last().is_some_and(|(level, _)| *level >= indent) {
            path.pop();
        }
        let key = key.trim().trim_matches(['"', '\'']).to_string();
        let value = value.split(" #").next().unwrap_or("").trim();
        if value.is_empty() {
            path.push((indent, key));
            continue;
        }
        let full: Vec<&str> = path.iter().map(|(_, k)| k.as_str()).chain([key.as_str()]).collect();
        entries.push((i + 1, full.join("."), value.trim_matches(['"', '\'']).to_string()));
    }
    entries
}

// ---------------------------------------------------------------------------------------------
// Environment and readiness

/// Upper-case names only: `${spring.x.y}` is a Spring property, `${DATABASE_URL}` an
/// environment variable.
pub(super) fn env_style(name: &str) -> bool {
    name.starts_with(|c: char| c.is_ascii_uppercase())
        && name.chars().all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_')
}

/// `${NAME}` and `${NAME:default}` in Spring's config files and in `@Value` (Kotlin escapes
/// them as `\${NAME}`: a bare `${x}` there is string interpolation), `System.getenv("NAME")`,
/// `environment.getProperty("NAME")`.
pub(super) fn env_reads(files: &AppFiles) -> Vec<Fact<String>> {
    let mut found: Vec<Fact<String>> = Vec::new();
    let mut note = |name: &str, at: &str| {
        if env_style(name) && !found.iter().any(|f| f.value == name) {
            found.push(fact(name.to_string(), at.to_string()));
        }
    };
    let names_after = |line: &str, marker: &str, ends: &[char]| -> Vec<String> {
        line.match_indices(marker)
            .filter_map(|(at, _)| {
                let rest = &line[at + marker.len()..];
                let end = rest.find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))?;
                rest[end..].starts_with(ends).then(|| rest[..end].to_string())
            })
            .collect()
    };
    let config = code_lines(files, &["properties", "yml", "yaml"])
        .filter(|(at, _)| is_spring_config(at.split(':').next().unwrap_or("")));
    let code = code_lines(files, &CODE);
    for (at, line) in config.chain(code) {
        let placeholder = if at.contains(".kt:") { "\\${" } else { "${" };
        for name in names_after(line, placeholder, &['}', ':']) {
            note(&name, &at);
        }
        if at.contains(".java:") || at.contains(".kt:") {
            for marker in ["getenv(\"", "getProperty(\"", "getRequiredProperty(\""] {
                for name in names_after(line, marker, &['"']) {
                    note(&name, &at);
                }
            }
        }
    }
    found
}
