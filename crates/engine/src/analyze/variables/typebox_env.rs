//! Env schemas written with TypeBox for env-schema or @fastify/env: `Type.Object({ PORT:
//! Type.Number({ default: 3000 }), TOKEN: Type.Optional(Type.String()) })`. Each key of the
//! object is a variable; `default` in its options is its default; the schema is checked at
//! start, so a key neither `Type.Optional(...)` nor defaulted is required. The app then reads
//! the values as `fastify.config.X` or `env.X`, never as `process.env.X`.

use std::sync::LazyLock;

use regex::Regex;

use super::VariableRead;
use super::text::{line_of, literal};

static DEFAULT: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"\bdefault\s*:\s*").expect("valid pattern"));

/// A read per key of each TypeBox object schema, when the app checks its environment with
/// env-schema or @fastify/env.
pub fn reads(sources: &[(&str, &str)]) -> Vec<VariableRead> {
    if !super::node_schema::checks_environment(sources) {
        return Vec::new();
    }
    let mut found = Vec::new();
    for (path, text) in sources.iter().filter(|(_, text)| text.contains("typebox")) {
        for (object, _) in text.match_indices("Type.Object(") {
            // `Type.Object(props)` names its keys elsewhere: only a literal object is read.
            let after = object + "Type.Object(".len();
            let Some(open) = text[after..].trim_start().starts_with('{').then(|| text[after..].find('{')) else {
                continue;
            };
            let Some(open) = open.map(|at| after + at) else { continue };
            for (name, value, at) in properties(text, open) {
                // Environment names are written in capitals: `Authorization` is a request
                // header schema's key in the same codebase, not a variable.
                let capitals = !name.chars().any(|c| c.is_ascii_lowercase());
                if !capitals
                    || !name.starts_with(|c: char| c.is_ascii_uppercase())
                    || !crate::model::is_variable_name(&name)
                {
                    continue;
                }
                let optional = value.trim_start().starts_with("Type.Optional(");
                let default_at = DEFAULT.find(value).map(|m| m.end());
                let mut read = VariableRead::new(name, format!("{path}:{}", line_of(text, at)))
                    .with_default(default_at.and_then(|end| default_value(text, &value[end..])));
                read.required = !optional && default_at.is_none();
                read.optional = optional || default_at.is_some();
                found.push(read);
            }
        }
    }
    found
}

/// The default written after `default:`: a literal, or a constant of the file
/// (`NODE_ENVS.PRODUCTION`, `BODY_LIMIT_DEFAULT`).
fn default_value(text: &str, value: &str) -> Option<String> {
    literal(value).or_else(|| {
        let path: String = value.chars().take_while(|c| c.is_alphanumeric() || matches!(c, '_' | '$' | '.')).collect();
        let (name, pattern) = match path.rsplit_once('.') {
            Some((_, member)) => (member.to_string(), r"\b{}\s*:\s*"),
            None => (path.clone(), r"\b(?:const|let|var)\s+{}\s*(?::[^=]*)?=\s*"),
        };
        if name.is_empty() {
            return None;
        }
        let found = Regex::new(&pattern.replace("{}", &regex::escape(&name))).ok()?.find(text)?;
        literal(&text[found.end()..])
    })
}

/// The `(key, value text, offset)` of each property of the object literal opened at `open`.
fn properties(text: &str, open: usize) -> Vec<(String, &str, usize)> {
    let mut found = Vec::new();
    let mut depth = 0i32;
    let mut start = open + 1;
    let mut quote: Option<char> = None;
    let mut chars = text[open + 1..].char_indices().map(|(i, c)| (open + 1 + i, c)).peekable();
    while let Some((at, c)) = chars.next() {
        match (quote, c) {
            (Some(q), '\\') if q != '/' => {
                chars.next();
            }
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '\'' | '"' | '`') => quote = Some(c),
            (None, '/') if chars.peek().is_some_and(|(_, n)| *n == '/') => {
                // A comment runs to the end of its line.
                while chars.peek().is_some_and(|(_, n)| *n != '\n') {
                    chars.next();
                }
            }
            (None, '(' | '[' | '{') => depth += 1,
            (None, ')' | ']' | '}') if depth > 0 => depth -= 1,
            (None, ',' | '}') if depth == 0 => {
                found.extend(property(text, start, at));
                if c == '}' {
                    break;
                }
                start = at + 1;
            }
            _ => {}
        }
    }
    found
}

/// `NAME: value` between `start` and `end`, past comments and blank lines.
fn property(text: &str, start: usize, end: usize) -> Option<(String, &str, usize)> {
    let mut offset = start;
    for line in text[start..end].split_inclusive('\n') {
        let trimmed = line.trim();
        if trimmed.is_empty() || trimmed.starts_with("//") {
            offset += line.len();
            continue;
        }
        break;
    }
    let (key, value) = text[offset..end].split_once(':')?;
    let name = key.trim().trim_matches(['"', '\'']).to_string();
    let at = offset + (key.len() - key.trim_start().len());
    Some((name, value, at))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_defaults_and_optional_members() {
        let env = "import { Type } from '@sinclair/typebox'\nimport { envSchema } from 'env-schema'\n\nconst MODES = {\n  LOCAL: 'local',\n} as const\nconst LIMIT = 1024\n\nconst schema = Type.Object({\n  // where it listens\n  PORT: Type.Number({ default: 3000 }),\n  API_TOKEN: Type.Optional(Type.String({ separator: ',' })),\n  STORE_MODE: Type.Optional(\n    Type.Enum(MODES, { default: MODES.LOCAL }),\n  ),\n  BODY_LIMIT: Type.Optional(Type.Number({ default: LIMIT })),\n  DATA_URL: Type.String({ pattern: '^https?:\\\\/\\\\/.+$' }),\n})\n";
        let headers = "import { Type } from '@sinclair/typebox'\nexport const Headers = Type.Object({\n  Authorization: Type.String(),\n})\n";
        let found: Vec<(String, Option<String>, bool, String)> =
            reads(&[("src/env.ts", env), ("src/contracts.ts", headers)])
                .into_iter()
                .map(|r| (r.name, r.default, r.required, r.source))
                .collect();
        assert_eq!(
            found,
            [
                ("PORT".into(), Some("3000".into()), false, "src/env.ts:11".into()),
                ("API_TOKEN".into(), None, false, "src/env.ts:12".into()),
                ("STORE_MODE".into(), Some("local".into()), false, "src/env.ts:13".into()),
                ("BODY_LIMIT".into(), Some("1024".into()), false, "src/env.ts:16".into()),
                ("DATA_URL".into(), None, true, "src/env.ts:17".into()),
            ]
        );
    }
}
