//! Env schemas written with fluent-json-schema for env-schema or @fastify/env:
//! `S.object().prop('PORT', S.number().default(3000)).prop('DB_URL', S.string().required())`.
//! Each `.prop` names a variable; `.default(x)` gives its default; `.required()` inside the
//! property, or the object's `.required(['A', 'B'])`, makes the schema refuse to start without
//! it. The app then reads `fastify.config.X` or the returned object, never `process.env.X`.

use std::sync::LazyLock;

use regex::Regex;

use super::VariableRead;
use super::text::{line_of, literal};

/// `.prop('NAME'`: a property of a fluent object schema.
static PROP: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r#"\.prop\(\s*['"]([A-Z][A-Z0-9_]*)['"]"#).expect("valid pattern"));

/// `.required(['A', 'B'])` on the object.
static REQUIRED_LIST: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r#"\.required\(\s*\[([^\]]*)\]"#).expect("valid pattern"));

/// A read per `.prop` of each fluent schema, when the app checks its environment with one.
pub fn reads(sources: &[(&str, &str)]) -> Vec<VariableRead> {
    if !super::node_schema::checks_environment(sources) {
        return Vec::new();
    }
    let mut found = Vec::new();
    for (path, text) in sources.iter().filter(|(_, text)| text.contains("fluent-json-schema")) {
        let listed: Vec<String> = REQUIRED_LIST
            .captures_iter(text)
            .flat_map(|c| c[1].split(',').map(|n| n.trim().trim_matches(['"', '\'']).to_string()).collect::<Vec<_>>())
            .collect();
        for capture in PROP.captures_iter(text) {
            let (whole, name) = (capture.get(0).expect("the match"), capture[1].to_string());
            let arguments = arguments(&text[whole.end()..]);
            let default = arguments.find(".default(").and_then(|at| literal(&arguments[at + ".default(".len()..]));
            let required = arguments.contains(".required()") || listed.contains(&name);
            let mut read = VariableRead::new(name, format!("{path}:{}", line_of(text, whole.start())))
                .with_default(default.clone())
                .required(required && default.is_none());
            read.optional = !read.required;
            found.push(read);
        }
    }
    found
}

/// The rest of a call's arguments, up to the parenthesis that closes it.
fn arguments(rest: &str) -> &str {
    let mut depth = 0i32;
    let mut quote: Option<char> = None;
    for (at, c) in rest.char_indices() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '\'' | '"' | '`') => quote = Some(c),
            (None, '(' | '[' | '{') => depth += 1,
            (None, ')' | ']' | '}') if depth == 0 => return &rest[..at],
            (None, ')' | ']' | '}') => depth -= 1,
            _ => {}
        }
    }
    rest
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn props_with_defaults_and_required_ones() {
        let schema = "import S from 'fluent-json-schema'\nimport envSchema from 'env-schema'\n\nconst schema = S.object()\n  .prop('PORT', S.number().default(3000))\n  .prop('DATABASE_URL', S.string().required())\n  .prop('LOG_LEVEL', S.string().enum(['info', 'debug']).default('info'))\n  .prop('SENTRY_DSN', S.string())\n  .prop('JWT_SECRET', S.string())\n  .required(['JWT_SECRET'])\n\nexport const config = envSchema({ schema })\n";
        let reads = reads(&[("src/config.ts", schema)]);
        let got: Vec<(&str, Option<&str>, bool, &str)> =
            reads.iter().map(|r| (r.name.as_str(), r.default.as_deref(), r.required, r.source.as_str())).collect();
        assert_eq!(
            got,
            [
                ("PORT", Some("3000"), false, "src/config.ts:5"),
                ("DATABASE_URL", None, true, "src/config.ts:6"),
                ("LOG_LEVEL", Some("info"), false, "src/config.ts:7"),
                ("SENTRY_DSN", None, false, "src/config.ts:8"),
                ("JWT_SECRET", None, true, "src/config.ts:9"),
            ]
        );
        assert!(
            super::reads(&[(
                "src/schema.ts",
                "import S from 'fluent-json-schema'\nS.object().prop('PORT', S.number())\n"
            )])
            .is_empty(),
            "a schema for a route body is no environment"
        );
    }
}
