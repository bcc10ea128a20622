//! The settings file: `$XDG_CONFIG_HOME/ferry/config.toml` (`~/.config/ferry/config.toml`
//! when that is unset), or the file `FERRY_CONFIG` names. No file means the defaults; a
//! file that says something ferry cannot use is an error naming the file and the key,
//! because a setting silently ignored (an audit anchor, say) is worse than none.
//!
//! ```toml
//! [audit]
//! cloudwatch_log_group = "ferry-audit"
//!
//! [ui]
//! mouse = true
//! theme = "high-contrast"
//! ```

use std::path::{Path, PathBuf};

use thiserror::Error;

/// The environment variable naming another settings file (tests, shared hosts).
pub const OVERRIDE: &str = "FERRY_CONFIG";

/// Everything the settings file can say.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Config {
    /// `[audit]`.
    pub audit: AuditSettings,
    /// `[ui]`.
    pub ui: UiSettings,
}

/// `[ui]`: how the wizard looks and what it listens to.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct UiSettings {
    /// Clicks and the wheel; off by default so the terminal's own text selection keeps working.
    pub mouse: bool,
    /// The colour theme.
    pub theme: Theme,
}

/// The wizard's colour themes.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Theme {
    /// The terminal's own colours, dim grey for what matters less.
    #[default]
    Default,
    /// Bright colours on the terminal's background, bold keys, no dim grey.
    HighContrast,
}

impl Theme {
    /// The names `[ui] theme` and `--theme` take.
    pub const NAMES: [&str; 2] = ["default", "high-contrast"];

    /// The theme named `name`.
    pub fn parse(name: &str) -> Option<Theme> {
        match name {
            "default" => Some(Theme::Default),
            "high-contrast" => Some(Theme::HighContrast),
            _ => None,
        }
    }
}

/// `[audit]`: where the audit log is also kept.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AuditSettings {
    /// Send every audit record of a live run to this CloudWatch Logs group too.
    pub cloudwatch_log_group: Option<String>,
}

/// A settings file that cannot be used, and where.
#[derive(Debug, Error)]
pub enum ConfigError {
    /// The file could not be read, or `FERRY_CONFIG` names one that does not exist.
    #[error("cannot read the config file {path}: {source}")]
    Read {
        /// The settings file.
        path: PathBuf,
        /// The error reading it gave.
        source: std::io::Error,
    },
    /// The file is not TOML.
    #[error("the config file {path} is not valid TOML: {message}")]
    Syntax {
        /// The settings file.
        path: PathBuf,
        /// The TOML parser's message, with the line and column.
        message: String,
    },
    /// A key in a section ferry reads is unknown or holds a value ferry cannot use.
    #[error("the config file {path}: {key} {problem}")]
    Key {
        /// The settings file.
        path: PathBuf,
        /// The key with its section (`[audit] cloudwatch_log_group`), control characters escaped.
        key: String,
        /// What is wrong, worded to follow the key (`must be a string: ...`).
        problem: String,
    },
}

/// Where the settings file is (it need not exist).
pub fn config_path() -> Option<PathBuf> {
    if let Some(file) = std::env::var_os(OVERRIDE).filter(|f| !f.is_empty()) {
        return Some(PathBuf::from(file));
    }
    if let Some(dir) = std::env::var_os("XDG_CONFIG_HOME").filter(|d| !d.is_empty()) {
        return Some(PathBuf::from(dir).join("ferry").join("config.toml"));
    }
    directories::ProjectDirs::from("", "", "ferry").map(|dirs| dirs.config_dir().join("config.toml"))
}

/// Reads the settings file. A missing default file gives the defaults; a file named by
/// `FERRY_CONFIG` must exist.
pub fn load() -> Result<Config, ConfigError> {
    let Some(path) = config_path() else { return Ok(Config::default()) };
    match std::fs::read_to_string(&path) {
        Ok(text) => parse(&text, &path),
        Err(error) if error.kind() == std::io::ErrorKind::NotFound && std::env::var_os(OVERRIDE).is_none() => {
            Ok(Config::default())
        }
        Err(source) => Err(ConfigError::Read { path, source }),
    }
}

/// Reads settings from `text`, the content of the file at `path`.
pub fn parse(text: &str, path: &Path) -> Result<Config, ConfigError> {
    let table: toml::Table =
        toml::from_str(text).map_err(|e| ConfigError::Syntax { path: path.to_path_buf(), message: e.to_string() })?;
    let key_error = |key: &str, problem: &str| ConfigError::Key {
        path: path.to_path_buf(),
        key: key.into(),
        problem: problem.into(),
    };
    let mut config = Config::default();
    // Other sections are left to whoever reads them; inside [audit], every key must be known.
    match table.get("audit") {
        None => {}
        Some(toml::Value::Table(audit)) => {
            for (key, value) in audit {
                match (key.as_str(), value) {
                    ("cloudwatch_log_group", toml::Value::String(group)) => {
                        crate::cloud::aws::check_log_group_name(group).map_err(|problem| {
                            key_error("[audit] cloudwatch_log_group", &format!("is wrong: {problem}"))
                        })?;
                        config.audit.cloudwatch_log_group = Some(group.clone());
                    }
                    ("cloudwatch_log_group", _) => {
                        return Err(key_error(
                            "[audit] cloudwatch_log_group",
                            "must be a string: a CloudWatch Logs group name",
                        ));
                    }
                    (other, _) => {
                        let key = format!("[audit] {}", crate::text::escape_controls(other));
                        return Err(key_error(&key, "is not a setting ferry knows (known: cloudwatch_log_group)"));
                    }
                }
            }
        }
        Some(_) => return Err(key_error("audit", "must be a table: [audit]")),
    }
    config.ui = parse_ui(table.get("ui"), &key_error)?;
    Ok(config)
}

/// `[ui]`: every key must be known and of its type.
fn parse_ui(
    section: Option<&toml::Value>,
    key_error: &dyn Fn(&str, &str) -> ConfigError,
) -> Result<UiSettings, ConfigError> {
    let mut ui = UiSettings::default();
    let Some(section) = section else { return Ok(ui) };
    let toml::Value::Table(section) = section else { return Err(key_error("ui", "must be a table: [ui]")) };
    let themes = Theme::NAMES.join(", ");
    for (key, value) in section {
        match (key.as_str(), value) {
            ("mouse", toml::Value::Boolean(on)) => ui.mouse = *on,
            ("mouse", _) => return Err(key_error("[ui] mouse", "must be true or false")),
            ("theme", toml::Value::String(name)) => {
                ui.theme = Theme::parse(name).ok_or_else(|| {
                    let name = crate::text::escape_controls(name);
                    key_error("[ui] theme", &format!("is wrong: {name} is not a theme (known: {themes})"))
                })?;
            }
            ("theme", _) => return Err(key_error("[ui] theme", &format!("must be a string: one of {themes}"))),
            (other, _) => {
                let key = format!("[ui] {}", crate::text::escape_controls(other));
                return Err(key_error(&key, "is not a setting ferry knows (known: mouse, theme)"));
            }
        }
    }
    Ok(ui)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parsed(text: &str) -> Result<Config, String> {
        parse(text, Path::new("/home/ops/.config/ferry/config.toml")).map_err(|e| e.to_string())
    }

    #[test]
    fn the_audit_group_is_read_and_other_sections_are_left_alone() {
        let config = parsed("[audit]\ncloudwatch_log_group = \"ferry/audit\"\n[keys]\nquit = \"q\"\n").unwrap();
        assert_eq!(config.audit.cloudwatch_log_group.as_deref(), Some("ferry/audit"));
        assert_eq!(parsed("").unwrap(), Config::default());
    }

    #[test]
    fn the_ui_section_sets_the_mouse_and_the_theme() {
        let config = parsed("[ui]\nmouse = true\ntheme = \"high-contrast\"\n").unwrap();
        assert_eq!(config.ui, UiSettings { mouse: true, theme: Theme::HighContrast });
        let config = parsed("[ui]\ntheme = \"default\"\n").unwrap();
        assert_eq!(config.ui, UiSettings::default(), "the mouse stays off unless asked for");
    }

    #[test]
    fn a_bad_file_names_itself_and_the_key() {
        let cases = [
            ("[audit]\ncloudwatch_log_group = 3\n", "[audit] cloudwatch_log_group must be a string"),
            ("[audit]\ncloudwatch_log_grp = \"x\"\n", "[audit] cloudwatch_log_grp is not a setting ferry knows"),
            ("[audit]\ncloudwatch_log_group = \"has space\"\n", "[audit] cloudwatch_log_group is wrong"),
            ("audit = 1\n", "audit must be a table"),
            ("[audit\n", "is not valid TOML"),
            ("[ui]\nmouse = \"yes\"\n", "[ui] mouse must be true or false"),
            ("[ui]\ntheme = \"neon\"\n", "[ui] theme is wrong: neon is not a theme"),
            ("[ui]\ntheme = 1\n", "[ui] theme must be a string"),
            ("[ui]\nmice = true\n", "[ui] mice is not a setting ferry knows (known: mouse, theme)"),
            ("ui = 1\n", "ui must be a table"),
        ];
        for (text, expected) in cases {
            let error = parsed(text).unwrap_err();
            assert!(error.contains("/home/ops/.config/ferry/config.toml"), "{error}");
            assert!(error.contains(expected), "{text:?}: {error}");
        }
    }
}
