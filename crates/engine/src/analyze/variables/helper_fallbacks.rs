//! Which of the app's own environment helpers take a fallback as their second argument.
//! `env('PORT', 3000)` usually means "3000 when PORT is unset", but a helper may use its
//! second parameter for something else: `requireEnv('SHODAN_API_KEY', 'Shodan')` passes a
//! label for the message it returns when the key is missing. Taking that label for a committed
//! default would invent a committed secret. The helper's own body says which it is.

use std::sync::LazyLock;

use regex::Regex;

/// `function NAME(first, second` or `const NAME = (first, second) =>`, TypeScript's
/// `(key: string, fallback?: string)` included: the annotations say nothing of the use.
static TWO_PARAMETERS: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?:function\s+([A-Za-z_$][\w$]*)\s*|(?:const|let|var)\s+([A-Za-z_$][\w$]*)\s*=\s*(?:async\s*)?(?:function\s*)?)\(\s*([A-Za-z_$][\w$]*)\??\s*(?::[^,()=]+)?,\s*([A-Za-z_$][\w$]*)")
        .expect("valid pattern")
});

/// How many lines of a helper's body are read: helpers are short.
const BODY_LINES: usize = 10;

/// The helpers defined in `sources` that read the environment and never use their second
/// parameter as the value to fall back to. A helper that reads the environment only through
/// another such helper (`getIfMultitenant(key, fallback)` calling `getOptional(key, fallback)`)
/// is one too: the second argument reaches the same non-fallback use.
pub fn without_fallback(sources: &[(&str, &str)]) -> Vec<String> {
    let helpers: Vec<(String, String, String)> = sources
        .iter()
        .filter(|(_, text)| text.contains("process.env"))
        .flat_map(|&(_, text)| two_parameter_helpers(text))
        .collect();
    let mut names: Vec<String> = Vec::new();
    loop {
        let before = names.len();
        for (name, body, second) in &helpers {
            let reads = body.contains("process.env") || names.iter().any(|n| body.contains(&format!("{n}(")));
            if reads && !names.contains(name) && !falls_back_to(body, second) {
                names.push(name.clone());
            }
        }
        if names.len() == before {
            return names;
        }
    }
}

/// Each two-parameter function of `text`: its name, the first lines of its body and the name
/// of its second parameter.
fn two_parameter_helpers(text: &str) -> Vec<(String, String, String)> {
    let mut helpers = Vec::new();
    for captures in TWO_PARAMETERS.captures_iter(text) {
        let Some(name) = captures.get(1).or(captures.get(2)).map(|m| m.as_str()) else { continue };
        let rest = &text[captures.get(0).expect("match").end()..];
        let body: Vec<&str> = rest.lines().take(BODY_LINES).collect();
        helpers.push((name.to_string(), body.join("\n"), captures[4].to_string()));
    }
    helpers
}

/// Whether `body` hands `parameter` back as the value: after `||`, `??` or a ternary's `:`,
/// returned, or given as a default (`= parameter`).
fn falls_back_to(body: &str, parameter: &str) -> bool {
    let Ok(used) = Regex::new(&format!(r"(?:\|\||\?\?|[^?]:|\breturn|=)\s*{}\b", regex::escape(parameter))) else {
        return true;
    };
    used.is_match(body)
}

#[cfg(test)]
mod tests {
    use super::without_fallback;

    #[test]
    fn a_label_is_no_fallback_and_a_default_is() {
        let labelled = "export const requireEnv = (envVar, service) => {\n  const v = process.env[envVar];\n  return v ? { value: v } : { skipped: `${service} requires ${envVar}` };\n};\n";
        let defaults = "function env(name, fallback) {\n  return process.env[name] ?? fallback;\n}\nconst getEnv = (key, def) => {\n  const value = process.env[key];\n  if (!value) return def;\n  return value;\n};\nconst pick = (key, other) => process.env[key] || other;\n";
        let found = without_fallback(&[("upstream.js", labelled), ("env.js", defaults)]);
        assert_eq!(found, ["requireEnv"]);
    }

    #[test]
    fn a_second_variable_name_is_no_fallback_through_typed_helpers() {
        let text = "function getOptional(key: string, other?: string): string | undefined {\n  const value = process.env[key]\n  if (!value && other) {\n    return getOptional(other)\n  }\n  return value\n}\n\nfunction getIfShared(key: string, other?: string): string | undefined {\n  return shared ? getOptional(key, other) : getRequired(key, other)\n}\n";
        let found = without_fallback(&[("config.ts", text)]);
        assert_eq!(found, ["getOptional", "getIfShared"]);
    }
}
