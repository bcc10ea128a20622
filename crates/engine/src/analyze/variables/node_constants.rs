//! Defaults the code names by a constant: `PORT: port({ default: DEFAULT_PORT })` or
//! `process.env.HOST || DEFAULT_HOST`, with `export const DEFAULT_PORT = 3333;` elsewhere in the
//! app. The constant's literal is the default, when the app defines that name once.

use std::collections::HashMap;
use std::sync::LazyLock;

use regex::Regex;

use super::VariableRead;
use super::text::literal;

static CONSTANT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"^\s*(?:export\s+)?const\s+([A-Z][A-Z0-9_]*[A-Z0-9])\s*(?::\s*\w+\s*)?=\s*(.+?);?\s*$"#)
        .expect("valid pattern")
});
/// A fallback or schema default written as a constant's name.
static NAMED_DEFAULT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"(?:\|\||\?\?|\bdefault\s*:|\.default\()\s*([A-Z][A-Z0-9_]*[A-Z0-9])\b\s*[,)};]?"#)
        .expect("valid pattern")
});

/// Gives each read without a default the value of the constant its line falls back to.
pub fn resolve(sources: &[(&str, &str)], found: &mut [VariableRead]) {
    let constants = constants(sources);
    if constants.is_empty() {
        return;
    }
    let texts: HashMap<&str, Vec<&str>> = sources.iter().map(|(path, text)| (*path, text.lines().collect())).collect();
    for read in found.iter_mut().filter(|r| r.default.is_none() && !r.required) {
        let Some((path, line)) = read.source.rsplit_once(':') else { continue };
        let Some(line) = line.parse::<usize>().ok().and_then(|n| texts.get(path)?.get(n.checked_sub(1)?)) else {
            continue;
        };
        // The line must read this variable and fall back to one constant only.
        let named: Vec<&str> = NAMED_DEFAULT.captures_iter(line).map(|c| c.get(1).expect("group").as_str()).collect();
        if !line.contains(read.name.as_str()) || named.len() != 1 {
            continue;
        }
        if let Some(Some(value)) = constants.get(named[0]) {
            read.default = Some(value.clone());
        }
    }
}

/// Upper-case constants defined with a literal, by name; `None` for a name defined twice with
/// different values, which no one reading the code could settle.
fn constants(sources: &[(&str, &str)]) -> HashMap<String, Option<String>> {
    let mut constants: HashMap<String, Option<String>> = HashMap::new();
    for (_, text) in sources {
        for line in text.lines() {
            let Some(captures) = CONSTANT.captures(line) else { continue };
            // Only a value written whole: `5 * 1024 * 1024` is no `5`.
            let written = captures[2].trim();
            let whole =
                written.starts_with(['"', '\'', '`']) || written.chars().all(|c| c.is_alphanumeric() || c == '.');
            let Some(value) = literal(written).filter(|v| !v.is_empty() && whole) else { continue };
            constants
                .entry(captures[1].to_string())
                .and_modify(|known| {
                    if known.as_deref() != Some(value.as_str()) {
                        *known = None;
                    }
                })
                .or_insert(Some(value));
        }
    }
    constants
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_default_named_by_a_constant_takes_its_value() {
        let config = "export const DEFAULT_HOST = '0.0.0.0';\nexport const DEFAULT_PORT = 3333;\nexport const TWICE = 1;\nconst SIZE = 5 * 1024;\n";
        let other = "const TWICE = 2;\n";
        let service = "HOST: host({ default: DEFAULT_HOST }),\nPORT: port({ default: DEFAULT_PORT }),\nX: num({ default: TWICE }),\nS: num({ default: SIZE }),\n";
        let sources = [("libs/config.ts", config), ("lib/other.ts", other), ("api/service.ts", service)];
        let mut found = vec![
            VariableRead::new("HOST", "api/service.ts:1"),
            VariableRead::new("PORT", "api/service.ts:2"),
            VariableRead::new("X", "api/service.ts:3"),
            VariableRead::new("S", "api/service.ts:4"),
        ];
        resolve(&sources, &mut found);
        let defaults: Vec<Option<&str>> = found.iter().map(|r| r.default.as_deref()).collect();
        assert_eq!(
            defaults,
            [Some("0.0.0.0"), Some("3333"), None, None],
            "a constant defined twice differently, or computed, settles nothing"
        );
    }
}
