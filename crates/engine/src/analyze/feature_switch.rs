//! A store that only an optional feature uses. Settings files keep a feature's switch and its
//! store together (`REALTIME_ENABLED = env.bool(..., default=False)`, then
//! `REDIS_URL = env(..., default="redis://localhost:6379")`): with the switch off, as it is
//! unless set, nothing connects to that store, so its localhost default stops nothing. It is
//! a warning that names the switch, not a blocker.

use std::sync::LazyLock;

use regex::Regex;

use super::app_files::AppFiles;
use crate::model::{Finding, FindingLevel};

/// A switch's name: `REALTIME_ENABLED`, `ENABLE_SEARCH`, `USE_REDIS`, `CACHE_ON`.
static SWITCH: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\b([A-Z][A-Z0-9_]*_ENABLED|ENABLE_[A-Z0-9_]+|USE_[A-Z0-9_]+|[A-Z][A-Z0-9_]*_ON)\b")
        .expect("valid pattern")
});

/// A read whose fallback is off: `default=False`, `, False)`, `"false"`, `=== 'true'`.
static OFF_BY_DEFAULT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r#"default\s*=\s*False\b|,\s*False\s*\)|['"](?:false|False|0|no|off)['"]|===?\s*['"](?:true|1|yes|on)['"]"#,
    )
    .expect("valid pattern")
});

/// How many lines above the store's setting its switch may sit (blank lines and comments
/// between them count).
const SPAN: usize = 4;

/// The switch (its name and line) directly above `line` (1-based) in `text`: the nearest
/// statement above must be the switch's read, off unless set.
pub fn switch_above(text: &str, line: usize) -> Option<(String, usize)> {
    let lines: Vec<&str> = text.lines().collect();
    let above = lines.get(line.saturating_sub(SPAN + 1)..line.checked_sub(1)?)?;
    let (offset, statement) = above.iter().enumerate().rev().find(|(_, l)| {
        let t = l.trim();
        !t.is_empty() && !t.starts_with('#') && !t.starts_with("//")
    })?;
    let name = SWITCH.captures(statement)?.get(1)?.as_str().to_string();
    OFF_BY_DEFAULT.is_match(statement).then(|| (name, line - above.len() + offset))
}

/// Lowers each localhost-default blocker whose setting sits under a switch that is off unless
/// set.
pub fn relax(files: &AppFiles, findings: &mut [Finding]) {
    for finding in findings.iter_mut() {
        if finding.kind != "localhost-default-host" || finding.level != FindingLevel::Blocker {
            continue;
        }
        let Some((path, line)) = finding.source.rsplit_once(':') else { continue };
        let (Some(text), Ok(line)) = (files.get(path), line.parse::<usize>()) else { continue };
        let Some((switch, at)) = switch_above(text, line) else { continue };
        finding.level = FindingLevel::Warning;
        finding.message = format!(
            "{}, but it sits with {switch} ({path}:{at}), which is off unless set: it matters once that is turned on",
            finding.message
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_store_under_a_switch_that_is_off_unless_set() {
        let settings = "DEBUG = False\n\n# Real-time editing\n\nREALTIME_ENABLED = env.bool(\"REALTIME_ENABLED\", default=False)\n\nREDIS_URL = env(\"REDIS_URL\", default=\"redis://localhost:6379\")\n";
        assert_eq!(switch_above(settings, 7), Some(("REALTIME_ENABLED".to_string(), 5)));
        let js = "  useCache: process.env.USE_CACHE === 'true',\n  cacheUrl: process.env.CACHE_URL || 'redis://localhost',\n";
        assert_eq!(switch_above(js, 2), Some(("USE_CACHE".to_string(), 1)));
    }

    #[test]
    fn a_switch_on_by_default_or_another_setting_between_stops_nothing() {
        let on = "SEARCH_ENABLED = env.bool(\"SEARCH_ENABLED\", default=True)\nES_URL = env(\"ES_URL\", default=\"http://localhost:9200\")\n";
        assert_eq!(switch_above(on, 2), None);
        let between = "CACHE_ENABLED = env.bool(\"CACHE_ENABLED\", default=False)\nTIME_ZONE = \"UTC\"\nDATABASE_URL = env(\"DATABASE_URL\", default=\"postgres://localhost/app\")\n";
        assert_eq!(switch_above(between, 3), None, "the switch belongs to the setting below it");
        let far = format!("USE_REDIS = False\n{}REDIS_URL = 'redis://localhost'\n", "\n".repeat(5));
        assert_eq!(switch_above(&far, 7), None);
    }
}
