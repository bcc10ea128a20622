//! Sails merges `config/env/production.js` over the files of `config/` when NODE_ENV is
//! `production`, as ferry's image sets it. A property the production file sets again in the
//! same section (`datastores` → `host:`) replaces the base file's: what the base file's line
//! falls back to never reaches the running app, so a finding about that fallback is wrong.

use super::app_files::AppFiles;
use crate::model::Finding;

const PRODUCTION: &str = "config/env/production.js";

/// Findings about fallbacks (a localhost host, a committed secret) that cite a line of a base
/// config file whose property the production file sets again.
const FALLBACK_KINDS: [&str; 2] = ["localhost-default-host", "secret-default"];

/// Drops each fallback finding on a base config line the production file overrides.
pub fn drop_overridden(files: &AppFiles, findings: &mut Vec<Finding>) {
    let Some(production) = files.get(PRODUCTION) else { return };
    findings.retain(|finding| {
        !FALLBACK_KINDS.contains(&finding.kind.as_str()) || !overridden(files, production, &finding.source)
    });
}

/// Whether the line at `source` (`config/datastores.js:58`) sets a property of a section that
/// the production file sets too.
fn overridden(files: &AppFiles, production: &str, source: &str) -> bool {
    let Some((path, line)) = source.rsplit_once(':') else { return false };
    let Some(section) = path.strip_prefix("config/").and_then(|file| file.strip_suffix(".js")) else { return false };
    if section.contains('/') {
        return false;
    }
    let Some(text) = files.get(path) else { return false };
    let Some(line) = line.parse::<usize>().ok().and_then(|n| text.lines().nth(n.checked_sub(1)?)) else {
        return false;
    };
    let Some(property) = property_of(line) else { return false };
    section_lines(production, section).any(|l| property_of(l) == Some(property))
}

/// `host` of `  host: process.env.DB_HOST || 'localhost',`.
fn property_of(line: &str) -> Option<&str> {
    let (key, _) = line.trim_start().split_once(':')?;
    let key = key.trim().trim_matches(['\'', '"']);
    (!key.is_empty() && key.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')).then_some(key)
}

/// The lines of `section: {` in the production file, to the brace that closes it.
fn section_lines<'a>(text: &'a str, section: &'a str) -> impl Iterator<Item = &'a str> {
    let mut depth = 0i32;
    let mut inside = false;
    text.lines().filter(move |line| {
        let trimmed = line.trim_start();
        if !inside && property_of(line) == Some(section) && trimmed.trim_end().ends_with('{') {
            inside = true;
            depth = 0;
        }
        if !inside {
            return false;
        }
        depth += line.matches('{').count() as i32 - line.matches('}').count() as i32;
        if depth <= 0 {
            inside = false;
        }
        true
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_base_property_the_production_file_sets_again() {
        let base = "module.exports.datastores = {\n  default: {\n    adapter: 'sails-mysql',\n    host: process.env.DB_HOST || 'localhost',\n    url: process.env.REPORTS_URL || 'mysql://localhost/r',\n  },\n};\n";
        let production = "module.exports = {\n  datastores: {\n    default: {\n      host: process.env.DB_HOSTNAME || 'localhost',\n    },\n  },\n  sockets: {\n    url: 'x',\n  },\n};\n";
        let files = AppFiles::from_pairs([("config/datastores.js", base), ("config/env/production.js", production)]);
        let finding = |source: &str| Finding::blocker("localhost-default-host", "defaults to localhost", source);
        let mut findings = vec![
            finding("config/datastores.js:4"),
            finding("config/datastores.js:5"),
            finding("config/env/production.js:4"),
        ];
        drop_overridden(&files, &mut findings);
        let left: Vec<&str> = findings.iter().map(|f| f.source.as_str()).collect();
        assert_eq!(left, ["config/datastores.js:5", "config/env/production.js:4"]);
    }
}
