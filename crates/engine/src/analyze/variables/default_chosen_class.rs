//! The settings class a module picks when the selecting variable is unset:
//! `os.getenv("ENVIRONMENT", "DEVELOPMENT")` beside `class DevelopmentConfig` means the
//! development class is what the app runs with by default, so its reads are the running app's.

use regex::Regex;
use std::sync::LazyLock;

/// The default expression of an environment read: `os.getenv("X", <default>)`,
/// `os.environ.get("X", <default>)`, to the end of the line (the default may call a function).
static DEFAULT_EXPRESSION: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r#"(?m)(?:getenv|environ\.get)\(\s*['"]\w+['"]\s*,(.*)$"#).expect("valid pattern"));
static WORD_LITERAL: LazyLock<Regex> = LazyLock::new(|| Regex::new(r#"['"](\w+)['"]"#).expect("valid pattern"));

/// Whether `class` is named for a literal an environment read in `text` falls back to
/// (`DevelopmentConfig` for `"development"`, `LocalSettings` for `"local"`).
pub fn chosen_by_default(text: &str, class: &str) -> bool {
    let lower = class.to_ascii_lowercase();
    let stem =
        ["config", "settings", "configuration"].iter().find_map(|suffix| lower.strip_suffix(suffix)).unwrap_or(&lower);
    !stem.is_empty()
        && DEFAULT_EXPRESSION
            .captures_iter(text)
            .any(|read| WORD_LITERAL.captures_iter(&read[1]).any(|literal| literal[1].eq_ignore_ascii_case(stem)))
}

#[cfg(test)]
mod tests {
    use super::chosen_by_default;

    #[test]
    fn the_class_an_unset_selector_falls_back_to() {
        let text = "env = os.getenv(\"APP_ENV\", \"ci\" if testing() else \"DEVELOPMENT\").upper()\n";
        assert!(chosen_by_default(text, "DevelopmentConfig"));
        assert!(chosen_by_default(text, "CIConfig"));
        assert!(!chosen_by_default(text, "ProductionConfig"));
        assert!(!chosen_by_default("env = os.getenv(\"APP_ENV\")\n", "DevelopmentConfig"));
    }
}
