//! Zod schemas that name each field's variable in `.describe('HD_BASE_URL')`: the schema is
//! parsed at start and the process exits on an error, so a field without `.default()` or
//! `.optional()` makes its variable required, unless the field belongs to one member of a
//! discriminated union (`type: z.literal('postgres')`), which only one configuration uses.

use std::sync::LazyLock;

use regex::Regex;

use super::VariableRead;
use super::text::literal;

static DESCRIBED: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r#"\.describe\(\s*['"`]([A-Z][A-Z0-9_]{2,})['"`]\s*\)"#).expect("valid pattern"));
/// The start of a field: `baseUrl: z` or `port: z.number()`.
static FIELD: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"\b\w+\s*:\s*z\b").expect("valid pattern"));

/// Modifiers that let the field be missing.
const OPTIONAL: [&str; 7] =
    [".default(", ".optional()", ".nullish()", ".nullable()", ".catch(", "z.null()", "z.undefined()"];

/// One read per described field in `text`, at the line of its `.describe(...)`.
pub fn reads(path: &str, text: &str) -> Vec<VariableRead> {
    if !text.contains("zod") || !text.contains(".describe(") {
        return Vec::new();
    }
    let mut found = Vec::new();
    for caps in DESCRIBED.captures_iter(text) {
        let whole = caps.get(0).expect("match");
        let Some(start) = FIELD.find_iter(&text[..whole.start()]).last().map(|m| m.start()) else { continue };
        let chain = &text[start..whole.end()];
        let line = text[..whole.start()].matches('\n').count() + 1;
        let mut read = VariableRead::new(&caps[1], format!("{path}:{line}"));
        read.default = chain.split_once(".default(").and_then(|(_, rest)| literal(rest.trim_start()));
        read.required = !OPTIONAL.iter().any(|modifier| chain.contains(modifier)) && !conditional(text, start);
        found.push(read);
    }
    found
}

/// Whether the schema declared around the field at `at` is one a configuration may not use:
/// a member of a union that pins a discriminator with `z.literal(`, or the schema of one item
/// in a list, whose variables are templated (`HD_AUTH_LDAP_*_URL`).
fn conditional(text: &str, at: usize) -> bool {
    let statement = |line: &str| ["const ", "export ", "let ", "var "].iter().any(|k| line.starts_with(k));
    let opened = text[..at].match_indices('\n').rev().map(|(i, _)| i + 1).find(|&i| statement(&text[i..])).unwrap_or(0);
    let closed =
        text[at..].match_indices('\n').map(|(i, _)| at + i + 1).find(|&i| statement(&text[i..])).unwrap_or(text.len());
    let declared = &text[opened..closed];
    declared.contains("z.literal(") || declared.contains("_*_")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_optional_fields_and_union_members() {
        let text = "import { z } from 'zod';\nconst schema = z\n  .object({\n    baseUrl: z.string().superRefine(validateUrl).describe('HD_BASE_URL'),\n    bindIp: z.string().ip().default('127.0.0.1').describe('HD_BACKEND_BIND_IP'),\n    port: z\n      .number()\n      .default(3000)\n      .describe('HD_BACKEND_PORT'),\n    logo: z.string().optional().describe('HD_LOGO'),\n    privacy: z.string().url().or(z.null()).describe('HD_URLS_PRIVACY'),\n  });\nconst postgres = z.object({\n  type: z.literal('postgres').describe('HD_DATABASE_TYPE'),\n  settings: z.object({\n    host: z.string().describe('HD_DATABASE_HOST'),\n  }),\n});\nconst ldapSchema = z.object({\n  identifier: z.string().describe('HD_AUTH_LDAP_SERVERS'),\n  url: z.string().describe('HD_AUTH_LDAP_*_URL'),\n});\n";
        let found: Vec<(String, Option<String>, bool, String)> = reads("src/config/app.config.ts", text)
            .into_iter()
            .map(|r| (r.name, r.default, r.required, r.source))
            .collect();
        assert_eq!(
            found,
            [
                ("HD_BASE_URL".into(), None, true, "src/config/app.config.ts:4".into()),
                ("HD_BACKEND_BIND_IP".into(), Some("127.0.0.1".into()), false, "src/config/app.config.ts:5".into()),
                ("HD_BACKEND_PORT".into(), Some("3000".into()), false, "src/config/app.config.ts:9".into()),
                ("HD_LOGO".into(), None, false, "src/config/app.config.ts:10".into()),
                ("HD_URLS_PRIVACY".into(), None, false, "src/config/app.config.ts:11".into()),
                ("HD_DATABASE_TYPE".into(), None, false, "src/config/app.config.ts:14".into()),
                ("HD_DATABASE_HOST".into(), None, false, "src/config/app.config.ts:16".into()),
                ("HD_AUTH_LDAP_SERVERS".into(), None, false, "src/config/app.config.ts:20".into()),
            ]
        );
    }
}
