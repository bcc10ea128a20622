//! Environment schemas in Node.js code: the keys of a Joi, envalid, zod, `@fastify/env` JSON
//! schema or class-validator settings class, with the default and whether the schema refuses
//! to start without them; and convict's `env:` names.

use std::sync::LazyLock;

use regex::Regex;

use super::VariableRead;
use super::node_read_site as read_site;
use super::text::{line_of, literal};

/// `NAME: Joi.string()`, `NAME: str({ default })`, `NAME: z.string()`, `NAME: { type: 'string' }`,
/// `NAME!: string;` in an environment class.
static SCHEMA_KEY: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r#"^\s*['"]?([A-Z][A-Z0-9_]*[A-Z0-9])['"]?\s*([?!]?)\s*:\s*(.*)$"#).expect("valid"));
/// envalid's `devDefault` is left out: it applies only when NODE_ENV is not `production`, and
/// ferry's image sets NODE_ENV=production, so such a variable is required there.
static SCHEMA_DEFAULT: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r#"(?:\.(?:default|prefault)\(|\bdefault\s*:)\s*"#).expect("valid pattern"));
static CONVICT_ENV: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r#"\benv\s*:\s*['"]([A-Z][A-Z0-9_]*)['"]"#).expect("valid pattern"));
/// The packages that check the environment against a JSON schema (`fastify-env` is
/// `@fastify/env`'s name before its scope), and the names apps give them.
pub const ENV_SCHEMA_MARKERS: [&str; 4] = ["@fastify/env", "fastify-env", "env-schema", "envSchema"];
static REQUIRED_LIST: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r#"required\s*:\s*\[([^\]]*)\]"#).expect("valid pattern"));

/// Whether any module checks the environment against a JSON schema (env-schema, @fastify/env):
/// only then are the schemas written with a builder (TypeBox, fluent-json-schema) the app's
/// variables.
pub(super) fn checks_environment(sources: &[(&str, &str)]) -> bool {
    sources.iter().any(|(_, text)| ENV_SCHEMA_MARKERS.iter().any(|m| text.contains(m)))
}

/// Schema keys count only in a file that validates the environment with a schema library.
fn validates_environment(text: &str) -> bool {
    // class-transformer's `plainToInstance(EnvironmentVariables, config)` and `validateSync`:
    // a Nest settings class validated at boot.
    let reads_env = [
        "process.env",
        "cleanEnv",
        "envSchema",
        "fastifyEnv",
        "@fastify/env",
        "fastify-env",
        "env-schema",
        "ConfigModule",
        "plainToInstance(",
        "validateSync(",
    ]
    .iter()
    .any(|m| text.contains(m));
    let schema = [
        "require('joi')",
        "require(\"joi\")",
        "from 'joi'",
        "from \"joi\"",
        "envalid",
        "z.object(",
        "convict(",
        "@fastify/env",
        "fastify-env",
        "env-schema",
        "class-validator",
        "yup.object(",
        // t3-env: `createEnv({ server: { DATABASE_URL: z.url() } })` refuses to start without it.
        "createEnv(",
    ]
    .iter()
    .any(|m| text.contains(m));
    reads_env && schema
}

/// The prefix a t3-env schema's values are read under: `runtimeEnv: runtimeEnvWithPrefix("DB_")`
/// hands the schema `DB_HOST` as `HOST`. Empty when the schema reads the names as written.
fn runtime_prefix(text: &str) -> String {
    static PREFIXED: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r#"runtimeEnv\s*:\s*[A-Za-z_$][\w$]*\(\s*["'`]([A-Z][A-Z0-9]*_)["'`]\s*\)"#).expect("valid pattern")
    });
    PREFIXED.captures(text).map(|c| c[1].to_string()).unwrap_or_default()
}

/// The lines inside a conditional spread (`...(useLdap ? { LDAP_URI: z.string() } : {})`): a
/// key there is checked only when its condition holds, so it is no requirement.
fn conditional_spreads(lines: &[&str]) -> std::collections::HashSet<usize> {
    let mut inside = std::collections::HashSet::new();
    for (start, line) in lines.iter().enumerate() {
        let Some(at) = line.find("...(") else { continue };
        let mut depth = 0i32;
        for (index, text) in lines.iter().enumerate().skip(start) {
            let from = if index == start { at + 3 } else { 0 };
            depth += text[from..].matches('(').count() as i32 - text[from..].matches(')').count() as i32;
            // The spread's own line holds a key too when written on one line.
            inside.insert(index);
            if depth <= 0 {
                break;
            }
        }
    }
    inside
}

/// `elsewhere`: whether another file parses a zod schema this file declares, and whether an
/// env-schema plugin's file imports this one's JSON schema.
pub(super) fn schema(path: &str, text: &str, elsewhere: (bool, bool), found: &mut Vec<VariableRead>) {
    let (validated_elsewhere, imported_schema) = elsewhere;
    if !validates_environment(text) && !validated_elsewhere && !imported_schema {
        return;
    }
    let required_listed: Vec<String> = REQUIRED_LIST
        .captures_iter(text)
        .flat_map(|c| c[1].split(',').map(|n| n.trim().trim_matches(['"', '\'']).to_string()).collect::<Vec<_>>())
        .collect();
    let lines: Vec<&str> = text.lines().collect();
    let lazily_parsed = parsed_only_when_called(&lines);
    let prefix = runtime_prefix(text);
    let conditional = conditional_spreads(&lines);
    let helpers = super::zod_helpers::helpers(text);
    for (index, line) in lines.iter().enumerate() {
        let Some(captures) = SCHEMA_KEY.captures(line) else { continue };
        let prefixed = format!("{prefix}{}", &captures[1]);
        let name = if captures[1].starts_with(prefix.as_str()) { &captures[1] } else { prefixed.as_str() };
        let marker = &captures[2];
        let rest = captures.get(3).map_or("", |m| m.as_str()).trim();
        let class_field = text.contains("class-validator")
            && ["string", "number", "boolean", "string;", "number;", "boolean;"].iter().any(|t| rest.starts_with(t));
        // `NAME: z` with `.email()` on the next line: a zod chain written one call a line.
        let zod_chain = rest == "z" && lines.get(index + 1).is_some_and(|l| l.trim_start().starts_with('.'));
        let helped = super::zod_helpers::expanded(&helpers, rest);
        let validator = zod_chain
            || helped.is_some()
            || ["Joi", "joi", "z.", "str(", "num(", "bool(", "port(", "url(", "host(", "email(", "json("]
                .iter()
                .any(|m| rest.starts_with(m));
        let json_schema =
            rest.starts_with('{') && (imported_schema || ENV_SCHEMA_MARKERS.iter().any(|m| text.contains(m)));
        if !(class_field || validator || json_schema) || rest.contains("process.env") {
            continue;
        }
        let block =
            helped.unwrap_or_else(|| lines[index..=block_end(&lines, index, json_schema, zod_chain)].join("\n"));
        // Joi's `.required().default('x')` still fails on a missing value: Joi fills in the
        // default but keeps the `any.required` error, so the default never reaches the app.
        // A `.when(...)` makes the requirement conditional: the default may still serve.
        let joi_required = (block.contains("Joi") || block.contains("joi"))
            && block.contains(".required()")
            && !block.contains(".when(");
        let default = SCHEMA_DEFAULT.find(&block).and_then(|m| literal(&block[m.end()..])).filter(|_| !joi_required);
        let has_default = SCHEMA_DEFAULT.is_match(&block) && !joi_required;
        let optional = block.contains(".optional()") || block.contains("optional:") || marker == "?";
        let decorators = if class_field { decorators_of(&lines, index) } else { String::new() };
        // `@IsOptional()`, or `@ValidateIf(...)`: checked only when set or when another
        // setting asks for it. A field with no decorator is not validated at all.
        let decorated_optional = class_field
            && (decorators.contains("@IsOptional") || decorators.contains("@ValidateIf") || !decorators.contains('@'));
        let required = if lazily_parsed || conditional.contains(&index) {
            false
        } else if block.contains("Joi") || block.contains("joi") {
            block.contains(".required()")
        } else if json_schema {
            required_listed.iter().any(|n| n == name)
        } else {
            !has_default && !optional && !decorated_optional
        };
        let mut read = VariableRead::new(name, format!("{path}:{}", index + 1)).with_default(default);
        read.required = required;
        read.optional = !lazily_parsed && (has_default || optional || decorated_optional) && !json_schema;
        found.push(read);
    }
    // A convict schema is read whole by `convict::reads`, with or without `process.env` here.
    let convict = text.contains("convict");
    for captures in CONVICT_ENV.captures_iter(text).filter(|_| !convict) {
        let at = captures.get(0).expect("match").start();
        let line = line_of(text, at);
        let nearby = lines[line.saturating_sub(4)..lines.len().min(line + 3)].join("\n");
        let default = SCHEMA_DEFAULT.find(&nearby).and_then(|m| literal(&nearby[m.end()..]));
        found.push(VariableRead::new(&captures[1], format!("{path}:{line}")).with_default(default));
    }
}

/// The last line of the field at `index`: a JSON schema or envalid options object may run
/// over several lines, and a zod or Joi chain continues below its key (`Joi.string()` then
/// `.default('x'),`).
fn block_end(lines: &[&str], index: usize, json_schema: bool, zod_chain: bool) -> usize {
    let rest = SCHEMA_KEY.captures(lines[index]).and_then(|c| c.get(3)).map_or("", |m| m.as_str()).trim();
    if rest.ends_with('{') || (json_schema && !rest.contains('}')) {
        (index + 1..lines.len().min(index + 8)).find(|&i| lines[i].contains('}')).unwrap_or(index)
    } else if (rest.starts_with("z.") || zod_chain || rest.starts_with("Joi.")) && !rest.ends_with(',') {
        zod_chain_end(lines, index)
    } else {
        index
    }
}

/// The schemas another file checks the environment with: `validate: (config) =>
/// configSchema.parse(config)` in a Nest `ConfigModule`, `envSchema.parse(process.env)`.
pub(super) fn environment_schemas(sources: &[(&str, &str)]) -> Vec<String> {
    static PARSED: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"\b([A-Za-z_$][\w$]*)\.(?:parse|safeParse)\(\s*([\w$.]*)").expect("valid pattern")
    });
    // Nest's `ConfigModule.forRoot({ validationSchema: schema })`: the module checks the
    // environment against a Joi schema another file declares.
    static HANDED: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"\bvalidationSchema\s*:\s*([A-Za-z_$][\w$]*)\s*[,}\n]").expect("valid pattern"));
    let mut names = Vec::new();
    for (_, text) in sources {
        let checks_environment = text.contains("ConfigModule") || text.contains("process.env");
        if !checks_environment {
            continue;
        }
        if text.contains("ConfigModule") {
            for captures in HANDED.captures_iter(text) {
                if !names.iter().any(|n| n == &captures[1]) {
                    names.push(captures[1].to_string());
                }
            }
        }
        for captures in PARSED.captures_iter(text) {
            let argument = &captures[2];
            let environment = argument == "process.env" || argument == "config" || argument == "env";
            if environment && !names.iter().any(|n| n == &captures[1]) && &captures[1] != "JSON" {
                names.push(captures[1].to_string());
            }
        }
    }
    names
}

/// Whether `text` declares the zod schema `name` (`export const configSchema = z.object({`),
/// or exports the Joi schema `name` (`export const schema = Joi.object({`).
pub(super) fn declares_schema(text: &str, name: &str) -> bool {
    let zod = text.contains("z.object(");
    let joi = text.contains("Joi.object(");
    (zod || joi)
        && text.lines().any(|line| {
            let exported = line.trim_start().starts_with("export ");
            if joi && !zod && !exported {
                return false;
            }
            let line = line.trim_start().trim_start_matches("export ").trim_start();
            ["const ", "let "].iter().any(|k| {
                line.strip_prefix(k).is_some_and(|rest| {
                    rest.strip_prefix(name).is_some_and(|after| after.trim_start().starts_with(['=', ':']))
                })
            })
        })
}

/// Whether the file parses its schema against the environment only inside a function
/// (`export const getSlackEnv = () => { schema.safeParse(process.env) }`): the feature that
/// calls it needs the variables, not the app's start.
fn parsed_only_when_called(lines: &[&str]) -> bool {
    let parses: Vec<usize> = (0..lines.len())
        .filter(|&i| ["parse(process.env", "safeParse(process.env"].iter().any(|m| lines[i].contains(m)))
        .collect();
    // Nest's `registerAs('app', () => schema.parse(process.env))`: ConfigModule runs the
    // factory while the app boots, so the schema is checked at start all the same.
    let boot_factory = lines.iter().any(|l| l.contains("registerAs(") || l.contains("registerAs<"));
    !parses.is_empty() && !boot_factory && parses.iter().all(|&i| read_site::in_lazy_code(lines, i))
}

/// The last line of a zod chain continued below its key (`z.string()` then `.optional(),`):
/// the first line that ends with a comma outside any bracket, so a `z.preprocess((v) => {
/// ... }, z.boolean())` spread over lines keeps its `.default(true)`; or the line before the
/// one that closes the schema object, for a last key with no comma.
fn zod_chain_end(lines: &[&str], index: usize) -> usize {
    let balance = |line: &str| {
        line.chars().fold(0i32, |depth, c| match c {
            '(' | '{' | '[' => depth + 1,
            ')' | '}' | ']' => depth - 1,
            _ => depth,
        })
    };
    let mut depth = balance(lines[index]);
    for (i, line) in lines.iter().enumerate().take(lines.len().min(index + 30)).skip(index + 1) {
        let after = depth + balance(line);
        if after < 0 {
            return i - 1;
        }
        depth = after;
        if depth == 0 && line.trim_end().ends_with(',') {
            return i;
        }
    }
    index
}

/// The decorator lines above a settings class's field, up to the field or member before it.
fn decorators_of(lines: &[&str], index: usize) -> String {
    let mut start = index;
    while start > 0 {
        let above = lines[start - 1].trim();
        if above.is_empty() || above.ends_with(';') || above == "}" || above.contains("class ") {
            break;
        }
        start -= 1;
        if index - start > 40 {
            break;
        }
    }
    lines[start..index].join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_written_with_the_modules_own_zod_helpers() {
        let config = "import { z } from \"zod\";\n\nconst stringBool = (fallback: string) =>\n  z\n    .string()\n    .prefault(fallback)\n    .transform((s) => s === \"true\");\n\nconst optionalBool = () => z.string().optional();\n\nconst schema = z.object({\n  DISABLE_SIGNUPS: stringBool(\"false\"),\n  AUTO_TAGGING: optionalBool(),\n  SIGNING_KEY: z.string(),\n});\n\nexport const env = schema.parse(process.env);\n";
        let mut found = Vec::new();
        schema("config.ts", config, (false, false), &mut found);
        let judged: Vec<(&str, Option<&str>, bool, bool)> =
            found.iter().map(|r| (r.name.as_str(), r.default.as_deref(), r.required, r.optional)).collect();
        assert_eq!(
            judged,
            [
                ("DISABLE_SIGNUPS", Some("false"), false, true),
                ("AUTO_TAGGING", None, false, true),
                ("SIGNING_KEY", None, true, false)
            ]
        );
    }
}
