//! A helper that makes its variable optional only in a mode the operator turns on:
//! `function getOptionalIfMultitenant(key) { return readFlag('MULTI_TENANT') === 'true' ?
//! getOptional(key) : getRequired(key) }`. Unless the mode's switch is set, the call takes the
//! branch that throws without the variable, so in the default mode the variable is required.

use std::sync::LazyLock;

use regex::Regex;

use super::VariableRead;
use super::key_loops::balanced;

/// `function NAME(key` at a module's top (exported or not).
static FUNCTION: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?m)^(?:export\s+)?function\s+([A-Za-z_$][\w$]*)\s*\(\s*([A-Za-z_$][\w$]*)").expect("valid pattern")
});

/// `... === 'true' ? optional(key, ...) : required(key, ...)`: a mode off unless set picks
/// the second branch.
static MODE_TERNARY: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r#"===?\s*['"](?:true|1|yes|on)['"]\s*\?\s*[A-Za-z_$][\w$]*\(\s*(\w+)[^:]*:\s*([A-Za-z_$][\w$]*)\(\s*(\w+)"#,
    )
    .expect("valid pattern")
});

/// Marks required each read through a mode helper whose default branch throws without it.
pub fn require(sources: &[(&str, &str)], reads: &mut [VariableRead]) {
    for (path, text) in sources {
        for helper in mode_helpers(text) {
            let Ok(call) = Regex::new(&format!(r#"\b{}\(\s*['"]([A-Z][A-Z0-9_]*)['"]"#, regex::escape(&helper))) else {
                continue;
            };
            for (index, line) in text.lines().enumerate() {
                let Some(name) = call.captures(line).map(|c| c[1].to_string()) else { continue };
                let at = format!("{path}:{}", index + 1);
                for read in reads
                    .iter_mut()
                    .filter(|r| r.name == name && r.source == at && r.default.as_deref().unwrap_or("").is_empty())
                {
                    read.required = true;
                }
            }
        }
    }
}

/// The helpers in `text` whose body picks, in the default mode, a function that throws.
fn mode_helpers(text: &str) -> Vec<String> {
    let bodies: Vec<(String, String, &str)> = FUNCTION
        .captures_iter(text)
        .filter_map(|caps| {
            let open = text[caps.get(0)?.end()..].find('{')? + caps.get(0)?.end();
            Some((caps[1].to_string(), caps[2].to_string(), balanced(&text[open + 1..], '}')?))
        })
        .collect();
    let throws = |name: &str| bodies.iter().any(|(n, _, body)| n == name && body.contains("throw "));
    bodies
        .iter()
        .filter(|(_, key, body)| {
            let flat = body.split_whitespace().collect::<Vec<_>>().join(" ");
            MODE_TERNARY.captures(&flat).is_some_and(|c| &c[1] == key && &c[3] == key && throws(&c[2]))
        })
        .map(|(name, _, _)| name.clone())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_helper_optional_only_in_a_mode_off_by_default() {
        let text = "function optional(key: string, fallback?: string) {\n  return process.env[key]\n}\nfunction required(key: string) {\n  const value = process.env[key]\n  if (!value) {\n    throw new Error(`${key} is undefined`)\n  }\n  return value\n}\nfunction optionalIfShared(key: string, fallback?: string) {\n  return optional('SHARED_MODE') === 'true'\n    ? optional(key, fallback)\n    : required(key)\n}\nexport const config = {\n  secret: optionalIfShared('SIGNING_SECRET') || '',\n}\n";
        assert_eq!(mode_helpers(text), ["optionalIfShared"]);
        let mut reads = vec![VariableRead::new("SIGNING_SECRET", "config.ts:17").with_default(Some(String::new()))];
        require(&[("config.ts", text)], &mut reads);
        assert!(reads[0].required);
        let lenient = text.replace("throw new Error(`${key} is undefined`)", "console.warn(key)");
        assert!(mode_helpers(&lenient).is_empty(), "neither branch throws");
    }
}
