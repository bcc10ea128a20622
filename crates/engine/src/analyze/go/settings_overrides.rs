//! Settings keys a variable overrides: a config struct's field tagged both for the file and
//! for the environment (`yaml:"dsn" env:"DSN,secret"`, loaded with `env.New("APP_", ...)`).
//! The file's value is then only the default: the service changes it by setting the
//! variable, and a finding about the value names the variable to set.

use std::sync::LazyLock;

use regex::Regex;

use crate::analyze::app_files::AppFiles;

static FILE_TAG: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r#"\b(?:yaml|json|toml|mapstructure)\s*:\s*"([A-Za-z0-9_.-]+)"#).expect("valid"));

/// Each settings key a variable overrides, with the variable's full name.
pub(super) fn overriding_variables(files: &AppFiles) -> Vec<(String, String)> {
    let mut pairs = Vec::new();
    for read in crate::analyze::variables::go_variable_reads(files) {
        let Some((path, line)) = read.source.rsplit_once(':') else { continue };
        let Some(text) = line.parse::<usize>().ok().and_then(|n| files.get(path)?.lines().nth(n.checked_sub(1)?))
        else {
            continue;
        };
        if !text.contains("env:\"") && !text.contains("envconfig:\"") {
            continue;
        }
        if let Some(key) = FILE_TAG.captures(text).map(|c| c[1].to_string()) {
            pairs.push((key, read.name));
        }
    }
    pairs
}

/// The variable that overrides `key`, when exactly one tag names the key.
pub(super) fn variable_for<'a>(overrides: &'a [(String, String)], key: &str) -> Option<&'a str> {
    let mut matching = overrides.iter().filter(|(tagged, _)| tagged == key);
    let (_, variable) = matching.next()?;
    matching.next().is_none().then_some(variable.as_str())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_field_tagged_for_the_file_and_the_environment() {
        let config = "type Config struct {\n\tDSN string `yaml:\"dsn\" env:\"DSN,secret\"`\n\tPort int `yaml:\"server_port\"`\n}\n\nfunc Load() {\n\t_ = env.New(\"APP_\", nil).Load(&c)\n}\n";
        let files = AppFiles::from_pairs([("internal/config/config.go", config)]);
        let overrides = overriding_variables(&files);
        assert_eq!(variable_for(&overrides, "dsn"), Some("APP_DSN"));
        assert_eq!(variable_for(&overrides, "server_port"), None, "no env tag, no variable");
    }
}
