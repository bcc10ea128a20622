//! AdonisJS reads the environment through its own provider, never `process.env` in the app's
//! code: `const Env = use('Env')` then `Env.get('X', default)` / `Env.getOrFail('X')` (Adonis 4),
//! `Env.get('X')` from `@ioc:Adonis/Core/Env` (Adonis 5) or `env.get('X')` from `#start/env`
//! (Adonis 6), whose `start/env.ts` validates a schema at boot
//! (`Env.rules({ X: Env.schema.string() })`, `Env.create(..., { X: Env.schema.string() })`).

use std::sync::LazyLock;

use regex::Regex;

use super::VariableRead;
use super::text::literal;

/// `const Env = use('Env')`: the name Adonis 4 code binds the provider to.
static USED: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"\b(?:const|let|var)\s+([A-Za-z_$][\w$]*)\s*=\s*use\(\s*['"](?:Adonis/Src/)?Env['"]\s*\)"#)
        .expect("valid pattern")
});
/// `import Env from '@ioc:Adonis/Core/Env'`, `import env from '#start/env'`,
/// `import { Env } from '@adonisjs/core/env'`.
static IMPORTED: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r#"\bimport\s+(?:([A-Za-z_$][\w$]*)|\{\s*(Env)\s*\})\s+from\s+['"](?:@ioc:Adonis/Core/Env|#start/env|(?:\.{1,2}/)+start/env(?:\.js)?|@adonisjs/core/env)['"]"#,
    )
    .expect("valid pattern")
});

/// The names the file binds Adonis's environment provider to.
fn receivers(text: &str) -> Vec<String> {
    let used = USED.captures_iter(text).map(|c| c[1].to_string());
    let imported =
        IMPORTED.captures_iter(text).filter_map(|c| c.get(1).or_else(|| c.get(2)).map(|m| m.as_str().to_string()));
    let mut names: Vec<String> = used.chain(imported).collect();
    names.dedup();
    names
}

/// Every variable one file reads through Adonis's provider, and the keys of its schema.
pub fn reads(path: &str, text: &str) -> Vec<VariableRead> {
    let mut found = Vec::new();
    for receiver in receivers(text) {
        let escaped = regex::escape(&receiver);
        let get = Regex::new(&format!(r#"\b{escaped}\.(get|getOrFail)\(\s*['"]([A-Z][A-Z0-9_]*)['"]\s*(,\s*)?"#))
            .expect("valid pattern");
        let key = Regex::new(&format!(r#"^\s*['"]?([A-Z][A-Z0-9_]*)['"]?\s*:\s*{escaped}\.schema\.([\w.]+)"#))
            .expect("valid pattern");
        for (index, line) in text.lines().enumerate() {
            if line.trim_start().starts_with("//") {
                continue;
            }
            let at = format!("{path}:{}", index + 1);
            for captures in get.captures_iter(line) {
                let whole = captures.get(0).expect("match");
                let default = captures.get(3).and_then(|_| literal(&line[whole.end()..]));
                // `getOrFail` throws without a value; `get` returns its default or undefined.
                let mut read = VariableRead::new(&captures[2], at.clone())
                    .required(&captures[1] == "getOrFail")
                    .with_default(default);
                read.plain_value = names_a_connection(&read);
                found.push(read);
            }
            if let Some(captures) = key.captures(line) {
                // The schema is validated at boot: a key not marked optional stops the start.
                let optional = captures[2].contains("optional") || line.contains(".optional(");
                let mut read = VariableRead::new(&captures[1], at).required(!optional);
                read.optional = optional;
                found.push(read);
            }
        }
    }
    found
}

/// `Env.get('DB_CONNECTION', 'sqlite')`: Adonis's configs pick one of their named connections
/// by such a variable, whose value is a block's name (`sqlite`, `smtp`), never a connection URL
/// with credentials, whatever `CONNECTION` in its name suggests.
fn names_a_connection(read: &VariableRead) -> bool {
    let bare_name = |value: &str| !value.is_empty() && value.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
    read.name.ends_with("_CONNECTION") && read.default.as_deref().is_some_and(bare_name)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn found(path: &str, text: &str) -> Vec<(String, Option<String>, bool)> {
        reads(path, text).into_iter().map(|r| (r.name, r.default, r.required)).collect()
    }

    #[test]
    fn adonis_4_reads_through_the_used_provider() {
        let code = "'use strict'\nconst Env = use('Env')\nmodule.exports = {\n  name: Env.get('SITE_TITLE', 'Shop'),\n  key: Env.getOrFail('APP_KEY'),\n  // Env.get('OLD')\n  mail: Env.get('MAIL_FROM')\n}\n";
        let expected = [
            ("SITE_TITLE".to_string(), Some("Shop".to_string()), false),
            ("APP_KEY".to_string(), None, true),
            ("MAIL_FROM".to_string(), None, false),
        ];
        assert_eq!(found("config/app.js", code), expected);
        assert!(found("config/app.js", "const x = config.get('SITE_TITLE')\n").is_empty(), "not the provider");
    }

    #[test]
    fn adonis_6_schema_keys_are_required_unless_optional() {
        let schema = "import { Env } from '@adonisjs/core/env'\nexport default await Env.create(new URL('../', import.meta.url), {\n  PORT: Env.schema.number(),\n  APP_KEY: Env.schema.string(),\n  SMTP_HOST: Env.schema.string.optional(),\n})\n";
        let names = found("start/env.ts", schema);
        assert_eq!(
            names.iter().map(|(n, _, r)| (n.as_str(), *r)).collect::<Vec<_>>(),
            [("PORT", true), ("APP_KEY", true), ("SMTP_HOST", false)]
        );
        let use_site = "import env from '#start/env'\nconst url = env.get('PUBLIC_URL')\n";
        assert_eq!(found("app/links.ts", use_site), [("PUBLIC_URL".to_string(), None, false)]);
    }
}
