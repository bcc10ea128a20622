//! Defaults a settings module gives before the environment is read. A Flask app often loads a
//! module of settings into its config (`config.from_object('app.settings')`) and then reads
//! each key through a helper that falls back to that config (`get_config('DEBUG',
//! default=True, config=config)`, whose body returns `config.get(key, default)`). The
//! helper's `default=` is then only used when the module does not set the key: the module's
//! `DEBUG = False` is what runs, and its `DATABASE_URL = 'mongodb://localhost/...'` is the
//! database the app reaches without configuration.

use std::collections::HashMap;
use std::sync::LazyLock;

use regex::Regex;

use super::VariableRead;
use super::text::literal;
use crate::analyze::app_files::AppFiles;

/// `X.from_object('pkg.settings')`: the module whose upper-case names become config keys.
static FROM_OBJECT: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r#"\.from_object\(\s*['"]([\w.]+)['"]\s*\)"#).expect("valid pattern"));
/// A top-level `NAME = value` in a settings module.
static ASSIGNMENT: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^([A-Z][A-Z0-9_]*)\s*(?::\s*[\w\[\], ]+)?=\s*(.+)$").expect("valid pattern"));
/// A helper body that hands back a config mapping's value before its own default:
/// `kwargs['config'].get(key, default)`, `config.get(key, default)`.
static CONFIG_LOOKUP: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"config['\x22]?\]?\.get\(\s*\w+\s*,\s*\w+\s*\)").expect("valid pattern"));

/// What a settings module sets each key to: a literal, or something computed (`None`).
type Settings = HashMap<String, Option<String>>;

/// Replaces the helper's default by the settings module's value on every read that passes
/// the loaded config (`config=`) in a file that loads a settings module, when some helper
/// in the code falls back to that config.
pub fn apply(files: &AppFiles, reads: &mut [VariableRead]) {
    let sources: Vec<(&str, &str)> = files.with_extensions(&["py"]).collect();
    if !sources.iter().any(|(_, text)| CONFIG_LOOKUP.is_match(text) && text.contains("environ")) {
        return;
    }
    for (path, text) in &sources {
        let Some(module) = FROM_OBJECT.captures(text).map(|c| c[1].to_string()) else { continue };
        let Some(settings) = settings_of(files, &module) else { continue };
        let lines: Vec<&str> = text.lines().collect();
        for read in reads.iter_mut() {
            let Some((file, line)) = read.source.rsplit_once(':') else { continue };
            let passes_config = file == *path
                && line
                    .parse::<usize>()
                    .ok()
                    .and_then(|n| lines.get(n.wrapping_sub(1)))
                    .is_some_and(|l| passes_config(l));
            if !passes_config {
                continue;
            }
            if let Some(value) = settings.get(&read.name) {
                read.default = value.clone();
                read.required = false;
            }
        }
    }
}

fn passes_config(line: &str) -> bool {
    line.contains("config=") || line.contains("config =")
}

/// What the settings module sets, each name's value followed through one other name of the
/// module (`DATABASE_URL = MONGO_URI`).
fn settings_of(files: &AppFiles, module: &str) -> Option<Settings> {
    let wanted = [format!("{}.py", module.replace('.', "/")), format!("{}/__init__.py", module.replace('.', "/"))];
    let (_, text) =
        files.files.iter().find(|(path, _)| wanted.iter().any(|w| path == &w || path.ends_with(&format!("/{w}"))))?;
    let raw: Vec<(String, String)> = text
        .lines()
        .filter_map(|line| ASSIGNMENT.captures(line))
        .map(|caps| (caps[1].to_string(), caps[2].split(" #").next().unwrap_or("").trim().to_string()))
        .collect();
    let direct: HashMap<&str, Option<String>> =
        raw.iter().map(|(name, value)| (name.as_str(), settings_literal(value))).collect();
    let settings = raw
        .iter()
        .map(|(name, value)| {
            let resolved = settings_literal(value).or_else(|| direct.get(value.as_str()).cloned().flatten());
            (name.clone(), resolved)
        })
        .collect();
    Some(settings)
}

/// A literal value; Python's `None` is no value at all.
fn settings_literal(value: &str) -> Option<String> {
    if value == "None" {
        return None;
    }
    literal(value)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(name: &str, default: &str, source: &str) -> VariableRead {
        VariableRead::new(name, source).with_default(Some(default.to_string()))
    }

    #[test]
    fn the_settings_module_sets_the_default_the_helper_would_give() {
        let files = AppFiles::from_pairs([
            (
                "srv/config.py",
                "def get_user_config():\n    config.from_object('srv.settings')\n    config['DEBUG'] = get_config('DEBUG', default=True, config=config)\n    config['DATABASE_URL'] = get_config('DATABASE_URL', default=None, config=config)\n    config['PLAIN'] = get_config('PLAIN', default='x', config=config)\n\ndef get_config(key, default=None, **kwargs):\n    if key in os.environ:\n        return os.environ[key]\n    return kwargs['config'].get(key, default)\n",
            ),
            (
                "srv/settings.py",
                "DEBUG = False\nMONGO_URI = 'mongodb://localhost:27017/db'\nDATABASE_URL = MONGO_URI  # default\n",
            ),
        ]);
        let mut reads = vec![
            read("DEBUG", "true", "srv/config.py:3"),
            read("DATABASE_URL", "", "srv/config.py:4"),
            read("PLAIN", "x", "srv/config.py:5"),
        ];
        apply(&files, &mut reads);
        assert_eq!(reads[0].default.as_deref(), Some("false"));
        assert_eq!(reads[1].default.as_deref(), Some("mongodb://localhost:27017/db"));
        assert_eq!(reads[2].default.as_deref(), Some("x"), "a key the module does not set keeps the helper's default");
    }

    #[test]
    fn without_a_helper_that_falls_back_to_the_config_nothing_changes() {
        let files = AppFiles::from_pairs([
            ("app.py", "app.config.from_object('settings')\nDEBUG = os.environ.get('DEBUG', 'true')\n"),
            ("settings.py", "DEBUG = False\n"),
        ]);
        let mut reads = vec![read("DEBUG", "true", "app.py:2")];
        apply(&files, &mut reads);
        assert_eq!(reads[0].default.as_deref(), Some("true"));
    }
}
