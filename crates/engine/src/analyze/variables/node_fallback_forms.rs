//! Fallback forms of a Node read beyond `|| x` and `?? x`:
//! - a checked ternary, `isSet(process.env.X) ? process.env.X : 'gpt-3.5'` or `!isNaN(+process.env.X)
//!   ? +process.env.X : 100 * 1000`: the value after `:` is the default;
//! - a display placeholder, `process.env.X ?? '-'` in an object built to show the settings:
//!   `-` or `N/A` stands for "not set" on a page, and is never the variable's default.

use super::text::literal;

/// Values that only mark a setting as absent where it is shown.
const PLACEHOLDERS: [&str; 6] = ["-", "--", "—", "N/A", "n/a", "?"];

/// Whether `value` is a display placeholder rather than a usable default.
pub fn is_placeholder(value: &str) -> bool {
    PLACEHOLDERS.contains(&value.trim())
}

/// The default of `check(process.env.NAME) ? <uses NAME> : literal`, given the text `after` the
/// read: the check's brackets close, the true branch reads the same variable again.
pub fn checked_ternary(after: &str, name: &str) -> Option<String> {
    // The read sits inside the check's call (`isSet(process.env.X)`), whose bracket closes.
    let rest = after.trim_start().strip_prefix(')')?.trim_start_matches([')', ' ']);
    let branches = rest.strip_prefix('?')?;
    let (used, fallback) = branches.split_once(':')?;
    let same = format!("process.env.{name}");
    if !used.contains(&same) || used.contains('?') {
        return None;
    }
    literal(fallback)
}

/// `parseEnvInt(process.env.BACKEND_PORT || process.env.PORT, 3100, {...})`: a parser or getter
/// handed the read (or a chain of reads) and then a literal falls back to that literal. Given
/// the text `before` the first read of the chain and `after` this read; only callees whose
/// name says they parse or default a value count, never a logger's label.
pub fn call_default(before: &str, after: &str) -> Option<String> {
    static CALLEE: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
        regex::Regex::new(r"(?i)\b[\w$]*(?:parse|int|number|num|port|env|default|get)[\w$]*\(\s*$")
            .expect("valid pattern")
    });
    static LATER_READS: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
        regex::Regex::new(r"^(?:\s*(?:\|\||\?\?)\s*process\.env\.[A-Za-z_][A-Za-z0-9_]*)*\s*,").expect("valid pattern")
    });
    // `parseInt(process.env.PORT, 10)`: the second argument is the radix.
    let radix = ["parseInt(", "parseFloat(", "Number.parseInt("].iter().any(|call| before.trim_end().ends_with(call));
    if !CALLEE.is_match(before) || radix {
        return None;
    }
    let rest = &after[LATER_READS.find(after)?.end()..];
    literal(rest)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_parsers_second_argument_is_the_default() {
        let before = "app.set(\"port\", parseEnvInt(";
        assert_eq!(call_default(before, " || process.env.PORT, 3100, {"), Some("3100".to_string()));
        assert_eq!(call_default(before, ", 3100, {"), Some("3100".to_string()));
        assert_eq!(call_default("logger.warn(", ", 'missing')"), None);
        assert_eq!(call_default(before, " + 1, 3)"), None);
        assert_eq!(call_default("port: parseInt(", ", 10),"), None, "a radix");
    }

    #[test]
    fn a_checked_ternary_falls_back_to_its_literal() {
        let after = ") ? process.env.MODEL : 'gpt-3.5-turbo'";
        assert_eq!(checked_ternary(after, "MODEL"), Some("gpt-3.5-turbo".to_string()));
        assert_eq!(checked_ternary(") ? +process.env.T : 100 * 1000", "T"), Some("100000".to_string()));
        assert_eq!(checked_ternary(") ? 'on' : 'off'", "T"), None);
        assert_eq!(checked_ternary(" ? process.env.T : 'x'", "T"), None);
    }

    #[test]
    fn placeholders_shown_for_unset_settings() {
        assert!(is_placeholder("-"));
        assert!(is_placeholder("N/A"));
        assert!(!is_placeholder("0"));
    }
}
