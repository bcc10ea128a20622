//! hapi's Confidence stores (`@hapipal/confidence`), when the app gets them with the
//! environment as criteria (`store.get('/', process.env)`): `{ $param: 'PORT', $default: 3000 }`
//! is the value of PORT or 3000, and `$filter: 'NODE_ENV'` picks a branch by NODE_ENV. Both are
//! reads of the environment, though no `process.env.X` is written.

use std::sync::LazyLock;

use regex::Regex;

use super::VariableRead;
use super::text::literal;

static DIRECTIVE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"['"]?\$(param|filter)['"]?\s*:\s*['"]([A-Za-z_][A-Za-z0-9_]*)['"]"#).expect("valid")
});

/// How far around a `$param` its `$default` and `$coerce` are looked for (the same object).
const SPAN: usize = 4;

/// The reads of every Confidence store in `sources`, when one of them is got with
/// `process.env` as criteria.
pub fn reads(sources: &[(&str, &str)]) -> Vec<VariableRead> {
    let criteria_is_environment = sources.iter().any(|(_, text)| {
        text.lines().any(|line| {
            line.contains(".get(") && line.contains(", process.env") && !line.trim_start().starts_with("//")
        })
    });
    if !criteria_is_environment {
        return Vec::new();
    }
    let mut found = Vec::new();
    for (path, text) in sources.iter().filter(|(_, text)| text.to_ascii_lowercase().contains("confidence")) {
        let lines: Vec<&str> = text.lines().collect();
        for (index, line) in lines.iter().enumerate() {
            if line.trim_start().starts_with("//") {
                continue;
            }
            for captures in DIRECTIVE.captures_iter(line) {
                let mut read = VariableRead::new(&captures[2], format!("{path}:{}", index + 1));
                if &captures[1] == "param" {
                    let object = object_around(&lines, index);
                    read.default = default_in(&object);
                    read.plain_value = object.iter().any(|l| l.contains("$coerce") && l.contains("number"));
                }
                found.push(read);
            }
        }
    }
    found
}

/// The lines of the object a `$param` sits in, as far as its braces go within `SPAN` lines.
fn object_around<'a>(lines: &[&'a str], index: usize) -> Vec<&'a str> {
    let start = (index.saturating_sub(SPAN)..=index).rev().find(|&i| lines[i].contains('{')).unwrap_or(index);
    let end = (index..lines.len().min(index + SPAN + 1)).find(|&i| lines[i].contains('}')).unwrap_or(index);
    lines[start..=end].to_vec()
}

fn default_in(object: &[&str]) -> Option<String> {
    object.iter().find_map(|line| {
        let (_, after) = line.split_once("$default")?;
        let after = after.trim_start_matches(['\'', '"']).trim_start().strip_prefix(':')?;
        literal(after)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn params_and_filters_of_a_store_got_with_the_environment() {
        let manifest = "const Confidence = require('@hapipal/confidence');\nmodule.exports = new Confidence.Store({\n  server: {\n    port: {\n      $param: 'PORT',\n      $coerce: 'number',\n      $default: 3000\n    },\n    debug: { $filter: 'NODE_ENV', $default: {}, production: {} }\n  }\n});\n";
        let index = "const manifest = require('./manifest').get('/', process.env);\n";
        let sources = [("server/manifest.js", manifest), ("server/index.js", index)];
        let found: Vec<(String, Option<String>, String)> =
            reads(&sources).into_iter().map(|r| (r.name, r.default, r.source)).collect();
        assert_eq!(
            found,
            [
                ("PORT".into(), Some("3000".into()), "server/manifest.js:5".into()),
                ("NODE_ENV".into(), None, "server/manifest.js:9".into())
            ]
        );
        assert!(reads(&sources[..1]).is_empty(), "criteria other than the environment are not its reads");
    }
}
