//! koanf's environment provider: `ko.Load(env.Provider("APP_", ".", fn), nil)` overrides every
//! key of the app's config file from `APP_<key>`, a nested key's parts joined by what the
//! callback turns into koanf's `.` (`APP_db__password` for `[db] password` when it replaces
//! `__`). No line names those variables: the config file's keys do.
//!
//! The file's values are the defaults when the app runs with that file: the repository's
//! Dockerfile copies it into the image (`COPY config.toml.sample config.toml`), or it is the
//! config file itself rather than a sample.

use std::sync::LazyLock;

use regex::Regex;

use super::VariableRead;
use crate::analyze::app_files::AppFiles;
use crate::analyze::source::is_test_path;

static PROVIDER: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r#"env\.Provider(?:WithValue)?\(\s*"([A-Za-z0-9_]*)"\s*,"#).expect("valid pattern"));

/// The variables koanf's environment provider reads for the keys of the app's TOML config.
pub fn reads(files: &AppFiles) -> Vec<VariableRead> {
    let go = files.with_extensions(&["go"]).filter(|(path, _)| !is_test_path(path));
    let Some((prefix, nested)) = go.filter(|(_, text)| text.contains("koanf")).find_map(|(_, text)| {
        let prefix = PROVIDER.captures(text)?[1].to_string();
        // The callback names the separator of nested keys: `strings.Replace(key, "__", ".", -1)`.
        let nested = if text.contains(r#""__", ".""#) { "__" } else { "_" };
        Some((prefix, nested))
    }) else {
        return Vec::new();
    };
    let copied = copied_into_image(files);
    let mut found: Vec<VariableRead> = Vec::new();
    for (path, text) in files.files.iter().filter(|(path, _)| is_config_toml(path) && !is_test_path(path)) {
        let applies = !is_sample(path) || copied.iter().any(|c| c == path);
        for (line, key, value) in toml_leaves(text) {
            let name = format!("{prefix}{}", key.replace('.', nested));
            if found.iter().any(|r| r.name == name) {
                continue;
            }
            let default = value.filter(|v| applies && !v.is_empty());
            found.push(VariableRead::new(name, format!("{path}:{line}")).with_default(default));
        }
    }
    found
}

/// `config.toml`, `config.toml.sample`, `config.sample.toml`, `conf/app.example.toml`.
fn is_config_toml(path: &str) -> bool {
    let lower = path.to_ascii_lowercase();
    let name = lower.rsplit('/').next().unwrap_or(&lower);
    // A documentation site's config (`docs/site/config.toml`) configures the site, not the app.
    let docs = lower.starts_with("docs/") || lower.contains("/docs/");
    name.contains(".toml") && (name.starts_with("config") || lower.starts_with("conf")) && !docs
}

fn is_sample(path: &str) -> bool {
    let lower = path.to_ascii_lowercase();
    ["sample", "example", "dist", "template"].iter().any(|word| lower.contains(word))
}

/// The sources the repository's Dockerfiles `COPY` or `ADD` into the image.
fn copied_into_image(files: &AppFiles) -> Vec<String> {
    let dockerfiles = files.files.iter().filter(|(path, _)| {
        let name = path.rsplit('/').next().unwrap_or(path).to_ascii_lowercase();
        name.starts_with("dockerfile") || name.ends_with(".dockerfile")
    });
    let mut copied = Vec::new();
    for (_, text) in dockerfiles {
        for line in text.lines() {
            let mut words = line.split_whitespace();
            if !matches!(words.next().map(str::to_ascii_uppercase).as_deref(), Some("COPY" | "ADD")) {
                continue;
            }
            let sources: Vec<&str> = words.filter(|w| !w.starts_with("--")).collect();
            let sources = &sources[..sources.len().saturating_sub(1)];
            copied.extend(sources.iter().map(|s| s.trim_start_matches("./").to_string()));
        }
    }
    copied
}

/// The scalar keys of a TOML file as dotted keys under their table, with their line numbers
/// and literal values (`None` for arrays and inline tables).
pub(super) fn toml_leaves(text: &str) -> Vec<(usize, String, Option<String>)> {
    let mut table = String::new();
    let mut leaves = Vec::new();
    for (index, line) in text.lines().enumerate() {
        let code = line.trim();
        if code.starts_with("[[") {
            // An array of tables has no one key an environment variable could set.
            table = "\0".into();
            continue;
        }
        if let Some(name) = code.strip_prefix('[').and_then(|c| c.split(']').next()) {
            table = name.trim().to_string();
            continue;
        }
        let Some((key, value)) = code.split_once('=').filter(|_| !code.starts_with('#')) else { continue };
        if table.starts_with('\0') {
            continue;
        }
        let key = key.trim().trim_matches('"');
        if key.is_empty() || !key.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.')) {
            continue;
        }
        let full = if table.is_empty() { key.to_string() } else { format!("{table}.{key}") };
        leaves.push((index + 1, full, scalar(value)));
    }
    leaves
}

/// A TOML scalar as text: a string's contents, a number, a boolean.
fn scalar(value: &str) -> Option<String> {
    let value = value.trim();
    if let Some(quote) = value.chars().next().filter(|c| matches!(c, '"' | '\'')) {
        return value[1..].split(quote).next().map(str::to_string);
    }
    let bare = value.split('#').next().unwrap_or("").trim();
    (!bare.is_empty() && !bare.starts_with(['[', '{'])).then(|| bare.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    const MAIN: &str = r#"package main
import "github.com/knadh/koanf/v2"
var ko = koanf.New(".")
func main() {
	ko.Load(env.Provider("SHOP_", ".", func(s string) string {
		return strings.Replace(strings.ToLower(strings.TrimPrefix(s, "SHOP_")), "__", ".", -1)
	}), nil)
}
"#;
    const SAMPLE: &str = "[app]\n# where it listens\naddress = \"localhost:9000\"\n\n[db]\nhost = \"localhost\"\nport = 5432\npassword = \"shop\"\nparams = \"\"\n";

    fn found(files: &[(&str, &str)]) -> Vec<(String, Option<String>, String)> {
        reads(&AppFiles::from_pairs(files.iter().copied())).into_iter().map(|r| (r.name, r.default, r.source)).collect()
    }

    #[test]
    fn keys_of_the_copied_config_are_read_under_the_prefix() {
        let dockerfile = "FROM alpine\nCOPY shop .\nCOPY config.toml.sample config.toml\n";
        let read = found(&[("cmd/main.go", MAIN), ("config.toml.sample", SAMPLE), ("Dockerfile", dockerfile)]);
        let some = |s: &str| Some(s.to_string());
        assert_eq!(
            read,
            [
                ("SHOP_app__address".into(), some("localhost:9000"), "config.toml.sample:3".into()),
                ("SHOP_db__host".into(), some("localhost"), "config.toml.sample:6".into()),
                ("SHOP_db__port".into(), some("5432"), "config.toml.sample:7".into()),
                ("SHOP_db__password".into(), some("shop"), "config.toml.sample:8".into()),
                ("SHOP_db__params".into(), None, "config.toml.sample:9".into()),
            ]
        );
    }

    #[test]
    fn a_sample_nothing_copies_gives_names_without_defaults() {
        let read = found(&[("cmd/main.go", MAIN), ("config.toml.sample", SAMPLE)]);
        assert_eq!(read.len(), 5);
        assert!(read.iter().all(|(_, default, _)| default.is_none()), "{read:?}");
        assert!(found(&[("config.toml.sample", SAMPLE)]).is_empty(), "without koanf's provider nothing is read");
    }
}
