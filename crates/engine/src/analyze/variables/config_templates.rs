//! Settings files the repository's own image copies in, whose values the app fills from the
//! environment at start: `"dbType": "${DB_TYPE:dirty}"` (Etherpad's settings.json.docker),
//! `type: $(DB_TYPE)` (Wiki.js's config.yml). Each placeholder is a variable the running app
//! reads, with the default written after the colon.

use std::collections::HashMap;
use std::sync::LazyLock;

use regex::Regex;

use super::VariableRead;
use crate::analyze::app_files::AppFiles;
use crate::analyze::container_start::dockerfiles;

static PLACEHOLDER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\$\{([A-Z][A-Z0-9_]*)(?::-?([^}]*))?\}|\$\(([A-Z][A-Z0-9_]*)\)").expect("valid pattern")
});

/// Kinds of settings files, by extension (`settings.json.docker` counts by its middle one).
const SETTINGS_EXTENSIONS: [&str; 7] = ["json", "yml", "yaml", "toml", "ini", "conf", "properties"];

/// A read per placeholder in each settings file a Dockerfile of the repository copies.
pub fn reads(files: &AppFiles) -> Vec<VariableRead> {
    let mut found = Vec::new();
    let mut seen = Vec::new();
    for (_, dockerfile) in dockerfiles(files) {
        for source in copied_settings(dockerfile) {
            if seen.contains(&source) {
                continue;
            }
            if let Some(text) = files.get(&source) {
                found.extend(placeholders(&source, text));
            }
            seen.push(source);
        }
    }
    found
}

/// The settings files a Dockerfile copies from the build context, its `ARG` defaults filled in
/// (`COPY ${SETTINGS} ./settings.json` after `ARG SETTINGS=./settings.json.docker`).
fn copied_settings(dockerfile: &str) -> Vec<String> {
    let mut arguments: HashMap<String, String> = HashMap::new();
    let mut found = Vec::new();
    for line in dockerfile.lines().map(str::trim) {
        let (keyword, rest) = line.split_once(char::is_whitespace).unwrap_or((line, ""));
        match keyword.to_ascii_uppercase().as_str() {
            "ARG" => {
                if let Some((name, value)) = rest.trim().split_once('=') {
                    arguments.insert(name.to_string(), value.trim_matches(['"', '\'']).to_string());
                }
            }
            "COPY" | "ADD" if !rest.contains("--from") => {
                let words: Vec<&str> = rest.split_whitespace().filter(|w| !w.starts_with("--")).collect();
                let Some((_, sources)) = words.split_last() else { continue };
                for source in sources {
                    let mut source = source.to_string();
                    for (name, value) in &arguments {
                        source = source.replace(&format!("${{{name}}}"), value).replace(&format!("${name}"), value);
                    }
                    let source = source.trim_start_matches("./").to_string();
                    if is_settings_file(&source) {
                        found.push(source);
                    }
                }
            }
            _ => {}
        }
    }
    found
}

fn is_settings_file(path: &str) -> bool {
    let name = path.rsplit('/').next().unwrap_or(path).to_ascii_lowercase();
    let named = name.starts_with("settings") || name.starts_with("config") || name.starts_with("application");
    named && name.split('.').skip(1).any(|ext| SETTINGS_EXTENSIONS.contains(&ext))
}

fn placeholders(path: &str, text: &str) -> Vec<VariableRead> {
    let mut found = Vec::new();
    for (index, line) in text.lines().enumerate() {
        let code = line.trim_start();
        // A comment that explains the syntax (`* syntax "${ENV_VAR}"`) names no variable.
        if code.starts_with('#') || code.starts_with("//") || code.starts_with('*') || code.starts_with("/*") {
            continue;
        }
        for caps in PLACEHOLDER.captures_iter(line) {
            let name = caps.get(1).or(caps.get(3)).map_or("", |m| m.as_str());
            let default = caps.get(2).map(|d| d.as_str().trim_matches(['"', '\'']).to_string()).filter(|d| d != "null");
            found.push(VariableRead::new(name, format!("{path}:{}", index + 1)).with_default(default));
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_of_the_settings_files_the_image_copies() {
        let files = AppFiles::from_pairs([
            (
                "Dockerfile",
                "FROM node:22\nARG SETTINGS=./settings.json.docker\nCOPY --chown=app:app ${SETTINGS} ./settings.json\nCOPY ./dev/build/config.yml ./config.yml\nCOPY ./src ./src\n",
            ),
            (
                "settings.json.docker",
                "/*\n * syntax \"${ENV_VAR}\" or \"${ENV_VAR:default_value}\".\n */\n{\n  \"dbType\": \"${DB_TYPE:dirty}\",\n  \"password\": \"${ADMIN_PASSWORD:null}\",\n  \"port\": \"${PORT:9001}\"\n}\n",
            ),
            ("dev/build/config.yml", "port: 3000\ndb:\n  type: $(DB_TYPE)\n  pass: '$(DB_PASS)'\n"),
            ("settings.json.template", "{ \"unused\": \"${NOT_COPIED}\" }\n"),
        ]);
        let found: Vec<(String, Option<String>, String)> =
            reads(&files).into_iter().map(|r| (r.name, r.default, r.source)).collect();
        assert_eq!(
            found,
            [
                ("DB_TYPE".into(), Some("dirty".into()), "settings.json.docker:5".into()),
                ("ADMIN_PASSWORD".into(), None, "settings.json.docker:6".into()),
                ("PORT".into(), Some("9001".into()), "settings.json.docker:7".into()),
                ("DB_TYPE".into(), None, "dev/build/config.yml:3".into()),
                ("DB_PASS".into(), None, "dev/build/config.yml:4".into()),
            ]
        );
    }
}
