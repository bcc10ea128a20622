//! node-config settings that no variable fills. `config/default.*`, overridden by
//! `config/production.*` (ferry's image sets NODE_ENV=production), is what the app runs with
//! wherever `config/custom-environment-variables.*` maps no variable to a setting: only the
//! `NODE_CONFIG` variable (a JSON document) overrides those. So a localhost database or a
//! committed secret there is what a task gets, and the port `listen` reads from a setting is
//! the app's port.

use std::collections::HashMap;
use std::sync::LazyLock;

use regex::Regex;

use super::VariableRead;
use super::node_config::leaves;
use crate::analyze::app_files::AppFiles;
use crate::model::{CodeVariable, Finding, VariableScope};

/// A setting's value and `path:line`, by dotted key.
type Settings = HashMap<String, (String, String)>;

/// The app depends on node-config.
fn uses_config(files: &AppFiles) -> bool {
    let manifest: serde_json::Value =
        files.get("package.json").and_then(|t| serde_json::from_str(t).ok()).unwrap_or_default();
    manifest.pointer("/dependencies/config").is_some()
}

/// The settings of `config/production.*` over `config/default.*`, with where each is written.
fn settings(files: &AppFiles) -> Settings {
    let mut found = Settings::new();
    for stem in ["default", "production"] {
        for ext in ["yml", "yaml", "json"] {
            let path = format!("config/{stem}.{ext}");
            let Some(text) = files.get(&path) else { continue };
            for (line, key, value) in leaves(&path, text) {
                found.insert(key, (value.trim_matches(['"', '\'']).to_string(), format!("{path}:{line}")));
            }
        }
    }
    found
}

/// The settings a variable of `config/custom-environment-variables.*` fills.
fn mapped(files: &AppFiles) -> Vec<String> {
    ["yml", "yaml", "json"]
        .iter()
        .filter_map(|ext| {
            let path = format!("config/custom-environment-variables.{ext}");
            files.get(&path).map(|text| leaves(&path, text))
        })
        .flatten()
        .map(|(_, key, _)| key.trim_end_matches(".__name").trim_end_matches(".__format").to_string())
        .collect()
}

/// `NODE_CONFIG`, at the line that loads node-config: the one variable that overrides any
/// setting the mapping file leaves out.
pub fn reads(files: &AppFiles, sources: &[(&str, &str)]) -> Vec<VariableRead> {
    if !uses_config(files) {
        return Vec::new();
    }
    let loads = sources.iter().find_map(|(path, text)| {
        let line = text.lines().position(|line| binding_in(line).is_some())?;
        Some(format!("{path}:{}", line + 1))
    });
    let Some(at) = loads else { return Vec::new() };
    let mut read = VariableRead::new("NODE_CONFIG", at);
    // The keys `config.get` needs and nothing sets: NODE_CONFIG must carry them, secrets too.
    let missing = missing_keys(files);
    read.required = !missing.is_empty();
    let secret_key = missing.iter().map(|(key, _)| key).find(|key| {
        super::secret_by_name(&variable_name(key)).is_some() || super::secrets::secret_by_use(key).is_some()
    });
    read.secret_use = secret_key.map(|key| format!("it carries the node-config setting {key}"));
    vec![read]
}

/// The keys `config.get` reads that no shipped config file sets and no variable is mapped to.
fn missing_keys(files: &AppFiles) -> Vec<(String, String)> {
    // `config/local.*` is loaded in every environment.
    let mut known: Vec<String> = Vec::new();
    for stem in ["default", "production", "local"] {
        for ext in ["yml", "yaml", "json"] {
            let path = format!("config/{stem}.{ext}");
            if let Some(text) = files.get(&path) {
                known.extend(super::node_config::defined_keys(&path, text));
            }
        }
    }
    super::node_config_missing::missing_keys(files, &known, &mapped(files))
}

/// `const config = require('config')` or `import config from 'config'`: the name it is bound to.
static LOADS_CONFIG: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"(?:const|let|var|import)\s+(\w+)\s*(?:=\s*require\(\s*['"]config['"]\s*\)|from\s+['"]config['"])"#)
        .expect("valid pattern")
});

pub(super) fn binding_in(line: &str) -> Option<String> {
    LOADS_CONFIG.captures(line).map(|c| c[1].to_string())
}

/// The findings of the settings no variable fills, judged as variables would be (a localhost
/// store, a committed secret, files on local disk), each told to be overridden by NODE_CONFIG.
pub fn findings(files: &AppFiles) -> Vec<Finding> {
    if !uses_config(files) {
        return Vec::new();
    }
    let mapped = mapped(files);
    let mut settings: Vec<(String, (String, String))> =
        settings(files).into_iter().filter(|(key, _)| !mapped.contains(key)).collect();
    settings.sort_by_key(|(_, (_, at))| {
        let (path, line) = at.rsplit_once(':').unwrap_or((at.as_str(), "0"));
        (path.to_string(), line.parse::<usize>().unwrap_or(0))
    });
    let mut found: Vec<Finding> =
        super::node_config_missing::blocker(files, &missing_keys(files)).into_iter().collect();
    for (key, (value, at)) in settings {
        let name = variable_name(&key);
        let why = super::secret_by_name(&name);
        let variable = CodeVariable {
            name: name.clone(),
            required: false,
            default: Some(value),
            secret: why.is_some(),
            why,
            scope: VariableScope::Runtime,
            build_time: false,
            generated_when_unset: false,
            needed_at_build: false,
            source: at,
        };
        for mut finding in super::findings(&[variable], |_| false) {
            finding.message = finding.message.replacen(&name, &format!("the node-config setting {key}"), 1);
            finding.fix = Some(format!(
                "set NODE_CONFIG on the service to JSON that overrides {key}, or map {key} to a variable in config/custom-environment-variables.json"
            ));
            found.push(finding);
        }
    }
    found
}

/// `redis.host` as `REDIS_HOST`, `jwt.sessionSecret` as `JWT_SESSION_SECRET`: the name the
/// variable rules judge by.
fn variable_name(key: &str) -> String {
    let mut name = String::new();
    let mut previous_lower = false;
    for c in key.chars() {
        if c.is_ascii_uppercase() && previous_lower {
            name.push('_');
        }
        previous_lower = c.is_ascii_lowercase() || c.is_ascii_digit();
        name.push(if c.is_ascii_alphanumeric() { c.to_ascii_uppercase() } else { '_' });
    }
    name
}

/// The port `listen` is given from a setting: `app.listen(config.get('port'))`, or a name
/// bound to one (`const port = config.get('server.port')`).
pub fn listen_port(files: &AppFiles, extensions: &[&str]) -> Option<(u16, String)> {
    if !uses_config(files) {
        return None;
    }
    let settings = settings(files);
    let code = files.with_extensions(extensions).filter(|(path, _)| {
        !crate::analyze::source::is_test_path(path) && super::scope_of(path) == VariableScope::Runtime
    });
    for (_, text) in code {
        let Some(binding) = text.lines().find_map(binding_in) else { continue };
        for line in text.lines() {
            let Some(argument) = line.split_once(".listen(").map(|(_, rest)| first_argument(rest)) else { continue };
            let key = setting_read(&binding, argument).or_else(|| bound_setting(&binding, text, argument));
            let Some((value, at)) = key.and_then(|key| settings.get(&key)) else { continue };
            if let Ok(port) = value.parse::<u16>() {
                return Some((port, at.clone()));
            }
        }
    }
    None
}

fn first_argument(rest: &str) -> &str {
    rest.split([',', ')']).next().unwrap_or("").trim()
}

/// The key of `config.get('a.b')` or `config.a.b`, for config bound to `binding`.
fn setting_read(binding: &str, expression: &str) -> Option<String> {
    let rest = expression.trim().strip_prefix(binding)?.strip_prefix('.')?;
    if let Some(call) = rest.strip_prefix("get(") {
        let key = call.trim_start().trim_start_matches(['\'', '"']);
        let end = key.find(['\'', '"'])?;
        return Some(key[..end].to_string());
    }
    let key: String = rest.chars().take_while(|c| c.is_alphanumeric() || *c == '_' || *c == '.').collect();
    (!key.is_empty()).then_some(key)
}

/// The key of the setting `name` is bound to in `text` (`const port = config.get('port')`).
fn bound_setting(binding: &str, text: &str, name: &str) -> Option<String> {
    if name.is_empty() || !name.chars().all(|c| c.is_alphanumeric() || c == '_') {
        return None;
    }
    text.lines().find_map(|line| {
        let declared = line.trim_start().strip_prefix("const ").or_else(|| line.trim_start().strip_prefix("let "))?;
        let value = declared.trim_start().strip_prefix(name)?.trim_start().strip_prefix('=')?;
        setting_read(binding, value.trim().trim_end_matches(';'))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn app(code: &str) -> AppFiles {
        AppFiles::from_pairs([
            ("package.json", "{ \"dependencies\": { \"config\": \"^3.0.0\", \"koa\": \"^2\" } }"),
            ("app.js", code),
            (
                "config/default.json",
                "{\n  \"port\": 7300,\n  \"db\": \"mongodb://localhost/app\",\n  \"jwt\": { \"secret\": \"shared\" },\n  \"server\": { \"port\": 7400 }\n}",
            ),
            ("config/custom-environment-variables.json", "{ \"server\": { \"port\": \"SERVER_PORT\" } }"),
        ])
    }

    #[test]
    fn the_port_listen_reads_from_a_setting() {
        let direct = app("const config = require('config')\napp.listen(config.get('port'))\n");
        assert_eq!(listen_port(&direct, &["js"]), Some((7300, "config/default.json:2".into())));
        let bound = app("import conf from 'config'\nconst port = conf.server.port\napp.listen(port, host)\n");
        assert_eq!(listen_port(&bound, &["js"]), Some((7400, "config/default.json:5".into())));
    }

    #[test]
    fn unmapped_settings_judged_as_variables() {
        let files = app("const config = require('config')\n");
        let found: Vec<(String, String)> = findings(&files).into_iter().map(|f| (f.kind, f.source)).collect();
        assert_eq!(
            found,
            [
                ("localhost-default-host".into(), "config/default.json:3".into()),
                ("secret-default".into(), "config/default.json:4".into()),
            ]
        );
        assert_eq!(variable_name("jwt.sessionSecret"), "JWT_SESSION_SECRET");
    }
}
