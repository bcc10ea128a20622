//! The variables a Node.js app reads: `process.env.X` with its `||`/`??` fallback, destructuring
//! of `process.env`, config schemas (Joi, envalid, zod, convict, `@fastify/env` JSON schemas,
//! class-validator environment classes, in `node_schema`) and NestJS `ConfigService.get`.

use std::sync::LazyLock;

use regex::Regex;

use super::VariableRead;
use super::node_read_site as read_site;
use super::node_schema::{declares_schema, environment_schemas, schema};
use super::secrets::secret_by_use;
use super::text::{compared, key_before, literal, parsed_plain};
use crate::analyze::app_files::AppFiles;
use crate::analyze::source::is_test_path;

const EXTENSIONS: [&str; 8] = ["js", "mjs", "cjs", "ts", "mts", "cts", "jsx", "tsx"];

static DIRECT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"process\.env(?:\?\.|\.)([A-Za-z_][A-Za-z0-9_]*)|process\.env\[\s*['"]([^'"]+)['"]\s*\]"#)
        .expect("valid pattern")
});
/// The fallback after a read, past a closing `parseInt(..., 10)`: `|| 3000`, `?? 'x'`.
static FALLBACK: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r#"^[\s),0-9]{0,8}(?:\|\||\?\?)\s*"#).expect("valid pattern"));
/// Earlier reads a fallback chain tries first: `dbUrl: process.env.A || process.env.B`, which
/// `B` shares the key of.
static FALLBACK_CHAIN: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"(?:process\.env\.[A-Za-z_][A-Za-z0-9_]*\s*(?:\|\||\?\?)\s*)+$"#).expect("valid pattern")
});
/// The fallback of a conditional read: `process.env.X ? parseInt(process.env.X) : 3000`.
static TERNARY: LazyLock<Regex> = LazyLock::new(|| Regex::new(r#"^\s*\?[^:?;]*:\s*"#).expect("valid pattern"));
static CONFIG_SERVICE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"\.(get|getOrThrow)\s*(?:<[^>()]*>)?\(\s*['"]([A-Z][A-Z0-9_]*)['"]\s*(,\s*)?"#).expect("valid")
});
/// `environment.DATABASE_URL`, `env.PORT`: an object that holds the environment (an alias of
/// `process.env`, or a merge of it with `.env` files), read by upper-case name.
static ENV_OBJECT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"\b(?:env|environment|ENV|envVars|environmentVariables)(?:\?\.|\.)([A-Z][A-Z0-9_]*[A-Z0-9])\b"#)
        .expect("valid pattern")
});
/// `getFileEnv('ME_CONFIG_MONGODB_URL')`, `env('PORT', 3000)`: a helper whose name says it
/// reads the environment, called with a name.
static ENV_HELPER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"\b([A-Za-z_$][A-Za-z0-9_$]*)\(\s*(?:['"]([A-Z][A-Z0-9_]*[A-Z0-9])['"]|([A-Za-z_$][A-Za-z0-9_$]*)|`\$\{\s*([A-Za-z_$][A-Za-z0-9_$]*)\s*\}([A-Z0-9_]*[A-Z0-9])`)\s*(,\s*)?"#)
        .expect("valid pattern")
});
/// `const DB_SSL_PREFIX = 'DB_SSL_';`: the start of names a template completes
/// (`` boolFromEnv(`${DB_SSL_PREFIX}CA`) ``).
static PREFIX_CONSTANT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"\b(?:const|let|var)\s+([A-Za-z_$][A-Za-z0-9_$]*)\s*=\s*['"]([A-Z][A-Z0-9_]*_)['"]"#)
        .expect("valid pattern")
});
/// `const basicAuthPassword = 'ME_CONFIG_BASICAUTH_PASSWORD';`: a name kept in a constant.
static NAME_CONSTANT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"\b(?:const|let|var)\s+([A-Za-z_$][A-Za-z0-9_$]*)\s*=\s*['"]([A-Z][A-Z0-9_]*[A-Z0-9])['"]"#)
        .expect("valid pattern")
});

/// Every variable read in the app's JavaScript and TypeScript, and in extension-less scripts
/// such as `bin/www`.
pub fn reads(files: &AppFiles) -> Vec<VariableRead> {
    let mut found = Vec::new();
    let sources: Vec<(&str, &str)> = node_sources(files).collect();
    let nconf = super::nconf::environment(&sources);
    let environment_schemas = environment_schemas(&sources);
    let imported_schemas = super::json_env_schema::imported_schema_files(files, &sources);
    let no_fallback = super::helper_fallbacks::without_fallback(&sources);
    for &(path, text) in &sources {
        let first = found.len();
        if let Some(separator) = &nconf {
            found.extend(super::nconf::reads(path, text, separator));
        }
        // Declarations first: a schema line says more of a variable than a bare read.
        let validated_elsewhere = environment_schemas.iter().any(|name| declares_schema(text, name));
        let imported_schema = imported_schemas.iter().any(|schema_file| schema_file == path);
        schema(path, text, (validated_elsewhere, imported_schema), &mut found);
        found.extend(super::convict::reads(path, text));
        found.extend(super::adonis_env::reads(path, text));
        found.extend(super::zod_described::reads(path, text));
        config_service(path, text, &mut found);
        super::node_destructured::reads(path, text, &mut found);
        direct(path, text, &mut found);
        helpers(path, text, &no_fallback, &mut found);
        found.extend(super::node_env_alias::reads(path, text));
        super::validated_fields::require_validated(text, &mut found[first..]);
        super::joi_config_object::apply(text, &mut found[first..]);
        super::checked_reads::require_checked(text, &mut found[first..]);
        super::crashing_reads::require_node(text, &mut found[first..]);
        super::node_listen_port::require_parsed_ports(text, &mut found[first..]);
        super::caught_reads::release_caught(text, &mut found[first..]);
    }
    super::computed_wrappers::drop_name_tails(&sources, &mut found);
    super::crashing_reads::require_through_config(&sources, &mut found);
    found.extend(super::key_loops::node_reads(files, &sources));
    found.extend(super::node_prefixed_getter::reads(&sources));
    found.extend(super::node_key_methods::reads(&sources));
    found.extend(super::env_var_library::reads(&sources));
    found.extend(super::env_var_options::reads(&sources));
    found.extend(super::config_item_table::reads(&sources));
    found.extend(super::env_handed_config::reads(&sources));
    super::computed_wrappers::add(&mut found, super::computed_wrappers::node_reads(&sources));
    super::node_constants::resolve(&sources, &mut found);
    super::node_config::fallback_defaults(files, &sources, &mut found);
    found.extend(crate::analyze::adonis_server::listen_reads(files));
    found.extend(super::prisma::reads(files));
    super::prisma::mark_config_reads(files, &mut found);
    found.extend(super::auth_js::reads(files));
    found.extend(super::confidence::reads(&sources));
    found.extend(super::node_option_keys::reads(&sources));
    found.extend(super::dotenv_safe::reads(files, &sources));
    found.extend(super::node_config::reads(files));
    found.extend(super::config_mapper_env::reads(files));
    found.extend(super::node_config_settings::reads(files, &sources));
    found.extend(super::typebox_env::reads(&sources));
    found.extend(super::fluent_env::reads(&sources));
    found.extend(super::egg_implicit::reads(files));
    super::conditional_helpers::require(&sources, &mut found);
    super::node_store_clients::mark(&sources, &mut found);
    found.extend(env_file_defaults(files, &found));
    let set_by_code = super::node_derived::set_by_code(&sources);
    super::node_derived::not_required(&mut found, &set_by_code);
    // `process.env.webpackAssets = JSON.stringify(manifest)`: a mixed-case name the code sets
    // for its own modules is plumbing, never an operator's setting.
    found.retain(|read| !(set_by_code.contains(&read.name) && read.name.chars().any(|c| c.is_ascii_lowercase())));
    super::not_operator::settle(&sources, &mut found);
    super::next_build_env::settle(files, &mut found);
    super::browser_packages::mark(files, &mut found);
    development_twins(&mut found);
    super::separate_packages::mark_node_commands(files, &mut found);
    let dead = super::dead_files::of(&sources);
    found.retain(|read| !dead.contains(read.source.rsplit_once(':').map_or(read.source.as_str(), |(path, _)| path)));
    let started = super::start_entries::tooling_files_started(files);
    for read in found.iter_mut() {
        let path = read.source.rsplit_once(':').map_or(read.source.as_str(), |(path, _)| path);
        read.started = started.contains(path);
    }
    found
}

/// `CB_DB_HOST_DEV` beside `CB_DB_HOST`: the development twin of a setting, which the code
/// reads when NODE_ENV is not production, as the container's is. Only a developer sets it.
fn development_twins(reads: &mut [VariableRead]) {
    let names: std::collections::HashSet<String> = reads.iter().map(|read| read.name.clone()).collect();
    for read in reads.iter_mut() {
        let twin = ["_DEV", "_DEVELOPMENT"].iter().find_map(|suffix| read.name.strip_suffix(suffix));
        if twin.is_some_and(|production| !production.is_empty() && names.contains(production)) {
            read.tooling = true;
        }
    }
}

/// `dotenv.config({ path: '.env.example' })`, `process.loadEnvFile('.env.example')`: the values
/// of a file the app names and loads are the defaults of the variables the code reads.
fn env_file_defaults(files: &AppFiles, reads: &[VariableRead]) -> Vec<VariableRead> {
    static LOADED: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r#"(?:config\(\s*\{\s*path\s*:|loadEnvFile\()\s*['"]([^'"]+)['"]"#).expect("valid pattern")
    });
    let mut loaded: Vec<String> = Vec::new();
    // Only the running app's loads count (a test runner's config loads `.env.test`), and never
    // a file named for tests or development, which production does not load.
    let runtime = |path: &str| super::scope::of(path) == crate::model::VariableScope::Runtime;
    let for_production = |file: &String| {
        let lower = file.to_ascii_lowercase();
        !["test", "dev", "e2e", "ci", "local"].iter().any(|w| lower.split(['.', '/', '-', '_']).any(|part| part == *w))
    };
    let loading = node_sources(files)
        .filter(|(path, text)| runtime(path) && (text.contains("dotenv") || text.contains("loadEnvFile")));
    for (_, text) in loading {
        let paths = LOADED.captures_iter(text).map(|c| c[1].trim_start_matches("./").to_string());
        loaded.extend(paths.filter(for_production));
        // A bare `dotenv.config()` loads `.env`, which is the operator's own file with real
        // values, usually kept out of the repository: it is not read.
    }
    let read: std::collections::HashSet<&str> = reads.iter().map(|r| r.name.as_str()).collect();
    let mut defaults = Vec::new();
    for file in loaded {
        let Some(text) = files.get(&file) else { continue };
        for (index, line) in text.lines().enumerate() {
            let line = line.trim().trim_start_matches("export ");
            let Some((name, value)) = line.split_once('=') else { continue };
            let value = value.trim().trim_matches(['"', '\'']);
            if line.starts_with('#') || value.is_empty() || !read.contains(name.trim()) {
                continue;
            }
            defaults.push(
                VariableRead::new(name.trim(), format!("{file}:{}", index + 1)).with_default(Some(value.to_string())),
            );
        }
    }
    defaults
}

/// A line that is a comment as a whole (`// process.env.OLD`, ` * @param`).
fn is_comment(line: &str) -> bool {
    let trimmed = line.trim_start();
    trimmed.starts_with("//") || trimmed.starts_with("/*") || trimmed.starts_with('*')
}

/// The app's Node.js source, and that of the workspace packages it runs with.
fn node_sources(files: &AppFiles) -> impl Iterator<Item = (&str, &str)> {
    files.files.iter().chain(&files.linked).map(|(p, t)| (p.as_str(), t.as_str())).filter(|(path, text)| {
        let name = path.rsplit('/').next().unwrap_or(path);
        let by_extension = name.rsplit_once('.').is_some_and(|(_, ext)| EXTENSIONS.contains(&ext));
        let script =
            !name.contains('.') && text.starts_with("#!") && text.lines().next().is_some_and(|l| l.contains("node"));
        (by_extension || script)
            && !is_test_path(path)
            && !name.ends_with(".d.ts")
            && !name.contains(".min.")
            && !is_built_bundle(text)
    })
}

/// A bundler's output committed beside the code (`public/static/js/vendor.js`, lines thousands of
/// characters long): the server only serves it, and the names inside are a library's.
fn is_built_bundle(text: &str) -> bool {
    let lines = text.lines().count().max(1);
    text.len() / lines > 250 && text.lines().any(|line| line.len() > 2000)
}

fn direct(path: &str, text: &str, found: &mut Vec<VariableRead>) {
    let lines: Vec<&str> = text.lines().collect();
    for (index, line) in lines.iter().enumerate() {
        if !line.contains("process.env") || is_comment(line) {
            continue;
        }
        for captures in DIRECT.captures_iter(line) {
            let whole = captures.get(0).expect("match");
            let name = captures.get(1).or(captures.get(2)).map_or("", |m| m.as_str());
            let after = &line[whole.end()..];
            // `process.env.X = value` sets the variable for what runs next; it reads nothing.
            let assigned = after.trim_start().strip_prefix('=').is_some_and(|rest| !rest.starts_with(['=', '>']));
            if assigned {
                continue;
            }
            // A fallback in a branch the environment switches on (`if (process.env.HEROKU)
            // { port = process.env.PORT || 80 }`) is that platform's, not the app's default.
            let before = &line[..whole.start()];
            let first_tried = FALLBACK_CHAIN.find(before).map_or(before, |m| &before[..m.start()]);
            let default = FALLBACK
                .find(after)
                .or_else(|| TERNARY.find(after))
                .and_then(|m| literal(&after[m.end()..]))
                .or_else(|| super::node_fallback_forms::checked_ternary(after, name))
                .or_else(|| super::node_fallback_forms::call_default(first_tried, after))
                .filter(|value| !super::node_fallback_forms::is_placeholder(value))
                .filter(|_| !read_site::in_feature_branch(&lines, index));
            // `X!` only tells TypeScript the value is there: nothing fails at start without it
            // (a sign-in provider, an SDK client built at import). A check that throws, or a
            // schema, says what start needs (`checked_reads`, `schema`).
            let mut read = VariableRead::new(name, format!("{path}:{}", index + 1)).with_default(default);
            read.secret_use = key_before(first_tried).and_then(secret_by_use).filter(|_| !compared(after));
            read.plain_value = parsed_plain(&line[..whole.start()], after);
            found.push(read);
        }
    }
}

/// Reads through an environment object or an env-named helper, with names inline or kept in
/// a constant of the same file.
fn helpers(path: &str, text: &str, no_fallback: &[String], found: &mut Vec<VariableRead>) {
    let constants: Vec<(String, String)> =
        NAME_CONSTANT.captures_iter(text).map(|c| (c[1].to_string(), c[2].to_string())).collect();
    let prefixes: Vec<(String, String)> =
        PREFIX_CONSTANT.captures_iter(text).map(|c| (c[1].to_string(), c[2].to_string())).collect();
    let mappers = mapping_functions(text);
    // A local name of `process.env` is read whole by `node_env_alias`.
    let aliases = super::node_env_alias::aliases(text);
    let lines: Vec<&str> = text.lines().collect();
    for (index, &line) in lines.iter().enumerate() {
        // A call that breaks after its bracket (`await readEnv(\n  "NAME"\n)`) is read with
        // its first argument's line.
        let joined;
        let line = match lines.get(index + 1) {
            Some(next) if line.trim_end().ends_with('(') && next.trim_start().starts_with(['"', '\'', '`']) => {
                joined = format!("{}{}", line.trim_end(), next.trim_start());
                joined.as_str()
            }
            _ => line,
        };
        // Every form below names the environment (`env`, `Env`, `ENV`) on its line, or calls a
        // mapping function of the file.
        let maps = mappers.iter().any(|m| line.contains(&format!("{m}(")));
        if (!line.contains("nv") && !line.contains("NV") && !maps) || is_comment(line) {
            continue;
        }
        let at = || format!("{path}:{}", index + 1);
        for captures in ENV_OBJECT.captures_iter(line) {
            let whole = captures.get(0).expect("match");
            // `process.env.X` is a direct read, found above.
            let alias = aliases.iter().any(|a| line[whole.start()..].starts_with(&format!("{a}.")));
            if line[..whole.start()].ends_with('.') || alias {
                continue;
            }
            let after = &line[whole.end()..];
            // An assignment sets the variable for others; it is not a read.
            if after.trim_start().starts_with('=') && !after.trim_start().starts_with("==") {
                continue;
            }
            let default = FALLBACK.find(after).and_then(|m| literal(&after[m.end()..]));
            let mut read = VariableRead::new(&captures[1], at()).with_default(default);
            read.secret_use = key_before(&line[..whole.start()]).and_then(secret_by_use).filter(|_| !compared(after));
            read.plain_value = parsed_plain(&line[..whole.start()], after);
            found.push(read);
        }
        for captures in helper_calls(line) {
            let function = captures[1].to_ascii_lowercase();
            let mapper = mappers.iter().any(|m| m.eq_ignore_ascii_case(&function));
            let start = captures.get(1).expect("group").start();
            let typed = super::typed_env_helpers::is_typed_reader(&line[..start], &function);
            if !(function.contains("env") || mapper || typed) || function.starts_with("set") || function == "dotenv" {
                continue;
            }
            let Some(name) = called_name(&captures, &constants, &prefixes) else { continue };
            let whole = captures.get(0).expect("match");
            // A mapping row's other arguments are its type and key, not a default.
            // A helper of the app's own whose second parameter is no fallback (a label for a
            // message) gives no default, whatever the call passes.
            let falls_back = !mapper && !no_fallback.iter().any(|h| h == &captures[1]);
            let rest = &line[whole.end()..];
            let default = match falls_back {
                // `getFileEnv('X') || 'pass'`: with no second argument, the fallback after the call.
                true if captures.get(6).is_none() => default_after_call(rest),
                true => {
                    literal(rest).or_else(|| typed.then(|| super::typed_env_helpers::array_default(rest)).flatten())
                }
                false if !mapper => default_after_call(rest),
                false => None,
            };
            found.push(VariableRead::new(name, at()).with_default(default));
        }
        found.extend(constant_indexed_reads(line, &constants, &at()));
    }
}

/// `process.env[DB_URL_KEY]` with `const DB_URL_KEY = 'DB_URL'` in the file: a read of `DB_URL`.
fn constant_indexed_reads(line: &str, constants: &[(String, String)], at: &str) -> Vec<VariableRead> {
    if !line.contains("process.env[") {
        return Vec::new();
    }
    constants
        .iter()
        .filter(|(constant, _)| line.contains(&format!("process.env[{constant}]")))
        .map(|(_, name)| VariableRead::new(name, at.to_string()))
        .collect()
}

/// The default after a call to a helper that takes no fallback argument:
/// `Number(getOptional('SERVER_PORT', 'PORT')) || 5000` falls back to 5000 when both names are
/// unset. `rest` follows the first argument; a second quoted argument (another name, a label)
/// is skipped.
fn default_after_call(rest: &str) -> Option<String> {
    static SECOND_ARGUMENT: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r#"^\s*(?:'[^']*'|"[^"]*")\s*"#).expect("valid pattern"));
    let rest = SECOND_ARGUMENT.find(rest).map_or(rest, |m| &rest[m.end()..]);
    FALLBACK.find(rest).and_then(|m| literal(&rest[m.end()..]))
}

/// The helper calls on a line, one nested in another's arguments included
/// (`getWorkerCount(readEnvValue('EENGINE_WORKERS'))`): the next call is looked for from the
/// bracket of the one before.
/// The variable a helper call names: inline, through a name constant, or as a template
/// completing a prefix constant (`` `${DB_SSL_PREFIX}CA` ``).
fn called_name(
    captures: &regex::Captures<'_>,
    constants: &[(String, String)],
    prefixes: &[(String, String)],
) -> Option<String> {
    let value_of = |table: &[(String, String)], constant: &str| {
        table.iter().find(|(c, _)| c == constant).map(|(_, value)| value.clone())
    };
    match (captures.get(2), captures.get(3), captures.get(4)) {
        (Some(name), _, _) => Some(name.as_str().to_string()),
        (None, Some(constant), _) => value_of(constants, constant.as_str()),
        (None, None, Some(prefix)) => {
            value_of(prefixes, prefix.as_str()).map(|start| format!("{start}{}", &captures[5]))
        }
        _ => None,
    }
}

fn helper_calls(line: &str) -> Vec<regex::Captures<'_>> {
    let mut calls = Vec::new();
    let mut from = 0;
    while let Some(captures) = ENV_HELPER.captures_at(line, from) {
        from = captures.get(1).expect("group").end();
        calls.push(captures);
    }
    calls
}

/// Functions of a file that reads `process.env[...]` by computed name whose first parameter
/// is a variable's name: `function map(env, type, path)` makes a table of `map('CORE_SECRET',
/// ...)` rows that the file then reads one by one.
fn mapping_functions(text: &str) -> Vec<String> {
    static DEFINITION: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r#"(?:function\s+([A-Za-z_$][\w$]*)|(?:const|let)\s+([A-Za-z_$][\w$]*)\s*=\s*(?:async\s*)?)\(\s*(?:env|envName|envVar|variable|envKey)\b"#)
            .expect("valid pattern")
    });
    if !text.contains("process.env[") {
        return Vec::new();
    }
    DEFINITION
        .captures_iter(text)
        .filter_map(|c| c.get(1).or(c.get(2)).map(|m| m.as_str().to_string()))
        .filter(|name| !name.to_ascii_lowercase().contains("env"))
        .collect()
}

fn config_service(path: &str, text: &str, found: &mut Vec<VariableRead>) {
    if !text.contains("onfigService") {
        return;
    }
    let lines: Vec<&str> = text.lines().collect();
    for (index, first) in lines.iter().enumerate() {
        // `configService.get<string>(` with the name and its default on the lines below.
        let (line, at) = if first.trim_end().ends_with('(') && first.contains(".get") {
            let below: Vec<&str> = lines[index + 1..lines.len().min(index + 4)].iter().map(|l| l.trim()).collect();
            (format!("{}{}", first.trim_end(), below.join(" ")), index + 2)
        } else {
            (first.to_string(), index + 1)
        };
        for captures in CONFIG_SERVICE.captures_iter(&line) {
            let whole = captures.get(0).expect("match");
            let default = captures.get(3).and_then(|_| literal(&line[whole.end()..]));
            // passport-jwt's strategy throws at construction, so at boot, without its key.
            let receiver =
                line[..whole.start()].trim_end_matches(|c: char| c.is_ascii_alphanumeric() || "_.$".contains(c));
            let key = key_before(receiver);
            let boot_key = key.is_some_and(|k| k == "secretOrKey");
            let mut read = VariableRead::new(&captures[2], format!("{path}:{at}"))
                .with_default(default)
                .required(&captures[1] == "getOrThrow" || boot_key);
            read.secret_use = key.and_then(secret_by_use);
            found.push(read);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(pairs: &[(&str, &str)]) -> Vec<(String, Option<String>, bool, String)> {
        reads(&AppFiles::from_pairs(pairs.iter().copied()))
            .into_iter()
            .map(|r| (r.name, r.default, r.required, r.source))
            .collect()
    }

    #[test]
    fn a_settings_development_twin_is_a_developers() {
        let mut reads = vec![
            VariableRead::new("CB_DB_HOST", "models/config.js:3"),
            VariableRead::new("CB_DB_HOST_DEV", "models/config.js:6"),
            VariableRead::new("API_DEV", "x.js:1"),
        ];
        development_twins(&mut reads);
        assert_eq!(reads.iter().map(|r| r.tooling).collect::<Vec<_>>(), [false, true, false]);
    }

    #[test]
    fn an_assignment_to_the_environment_reads_nothing() {
        let code = "process.env.CONFIG_VALID = isValid;\nprocess.env.NODE_ENV = process.env.NODE_ENV || 'development';\nif (process.env.MODE == 'x') {}\n";
        let found = reads(&AppFiles::from_pairs([("check.js", code)]));
        let names: Vec<(&str, &str)> = found.iter().map(|r| (r.name.as_str(), r.source.as_str())).collect();
        assert_eq!(names, [("NODE_ENV", "check.js:2"), ("MODE", "check.js:3")]);
    }

    #[test]
    fn next_inlines_its_public_variables_at_build() {
        let page = (
            "src/components/version.jsx",
            "const v = process.env.NEXT_PUBLIC_VERSION;\nconst d = process.env.HOMEPAGE_DIR;\n",
        );
        let inlined = |pairs: &[(&str, &str)]| -> Vec<(String, bool)> {
            reads(&AppFiles::from_pairs(pairs.iter().copied())).into_iter().map(|r| (r.name, r.build_time)).collect()
        };
        let next = inlined(&[("package.json", "{\"dependencies\": {\"next\": \"15.0.0\"}}"), page]);
        assert_eq!(next, [("NEXT_PUBLIC_VERSION".to_string(), true), ("HOMEPAGE_DIR".to_string(), false)]);
        assert!(inlined(&[page]).iter().all(|(_, build)| !build), "outside Next.js the name is an ordinary variable");
    }

    #[test]
    fn direct_reads_with_fallbacks() {
        let found = names(&[(
            "src/index.js",
            "const port = parseInt(process.env.PORT, 10) || 3000;\nconst u = process.env['MONGO_URL'] ?? 'mongodb://localhost/x';\nconst k = process.env.API_KEY!;\n",
        )]);
        assert_eq!(found[0], ("PORT".into(), Some("3000".into()), false, "src/index.js:1".into()));
        assert_eq!(found[1].1.as_deref(), Some("mongodb://localhost/x"));
        assert!(!found[2].2, "`X!` is TypeScript's assertion, not a check: start does not fail without it");
        let gated = reads(&AppFiles::from_pairs([(
            "lib/auth.ts",
            "export const providers = [];\nif (process.env.GITLAB_ENABLED === \"true\") {\n  providers.push(\n    Gitlab({\n      clientId: process.env.GITLAB_CLIENT_ID!,\n    }),\n  );\n}\n",
        )]));
        let client = gated.iter().find(|r| r.name == "GITLAB_CLIENT_ID").unwrap();
        assert!(!client.required, "a read behind a feature switch is that feature's");
        let lazy = reads(&AppFiles::from_pairs([(
            "lib/providers.ts",
            "export const providers = [\n  {\n    flagEnvs: [\"GITLAB_ENABLED\"],\n    build: () =>\n      Gitlab({\n        clientId: process.env.GITLAB_CLIENT_ID!,\n      }),\n  },\n];\n",
        )]));
        assert!(!lazy[0].required, "a read in a function runs when it is called, not at start");
    }

    #[test]
    fn required_is_what_start_needs() {
        let slack = "import { z } from \"zod\";\nconst envSchema = z.object({\n  SLACK_CLIENT_ID: z.string(),\n  SLACK_CLIENT_SECRET: z.string(),\n});\nexport const getSlackEnv = () => {\n  const parsed = envSchema.safeParse(process.env);\n  return parsed.data;\n};\n";
        let boot = "import { z } from \"zod\";\nconst envSchema = z.object({\n  DATABASE_URL: z.string(),\n});\nexport const env = envSchema.parse(process.env);\n";
        let nest = "import { IsNotEmpty, IsOptional, IsUrl, validateSync } from 'class-validator';\nimport { plainToInstance } from 'class-transformer';\nexport class EnvironmentVariables {\n  @IsNotEmpty()\n  @IsUrl(\n    {\n      protocols: ['redis'],\n    },\n  )\n  REDIS_URL: string;\n\n  @IsOptional()\n  @IsUrl({ protocols: ['http'] })\n  APP_URL: string;\n}\nexport function validate(config: Record<string, any>) {\n  return validateSync(plainToInstance(EnvironmentVariables, config));\n}\n";
        let service = "constructor(private configService: ConfigService) {}\ngetRedisUrl(): string {\n  return this.configService.get<string>(\n    'REDIS_URL',\n    'redis://localhost:6379',\n  );\n}\n";
        let auth = "export const auth = betterAuth({\n  socialProviders: {\n    github: {\n      clientId: process.env.GITHUB_CLIENT_ID!,\n    },\n  },\n});\n";
        let found = names(&[
            ("lib/slack/env.ts", slack),
            ("lib/env.ts", boot),
            ("src/environment.validation.ts", nest),
            ("src/environment.service.ts", service),
            ("src/lib/auth.ts", auth),
        ]);
        let required = |name: &str, file: &str| {
            found.iter().find(|f| f.0 == name && f.3.starts_with(file)).unwrap_or_else(|| panic!("{name} {found:?}")).2
        };
        assert!(!required("SLACK_CLIENT_ID", "lib/slack"), "a schema parsed only when the feature runs");
        assert!(required("DATABASE_URL", "lib/env.ts"), "a schema parsed at import");
        assert!(required("REDIS_URL", "src/environment.validation.ts"), "@IsNotEmpty on the class Nest validates");
        assert!(!required("APP_URL", "src/environment.validation.ts"), "@IsOptional");
        assert!(!required("GITHUB_CLIENT_ID", "src/lib/auth.ts"), "a sign-in provider is an option");
        let redis = found.iter().find(|f| f.0 == "REDIS_URL" && f.3.starts_with("src/environment.service")).unwrap();
        assert_eq!(
            (redis.1.as_deref(), redis.3.as_str()),
            (Some("redis://localhost:6379"), "src/environment.service.ts:4")
        );
    }

    #[test]
    fn destructuring_and_nest() {
        let found = names(&[
            ("src/a.ts", "const {\n  DB_HOST,\n  DB_PORT = '5432',\n  NODE_ENV: env,\n} = process.env;\n"),
            (
                "src/b.ts",
                "constructor(private configService: ConfigService) {}\nthis.configService.getOrThrow<string>('JWT_SECRET');\nthis.configService.get('TTL', 60);\n",
            ),
        ]);
        let by = |n: &str| found.iter().find(|f| f.0 == n).cloned().unwrap();
        assert_eq!(by("DB_HOST").3, "src/a.ts:2");
        assert_eq!(by("DB_PORT").1.as_deref(), Some("5432"));
        assert!(found.iter().any(|f| f.0 == "NODE_ENV"));
        assert!(by("JWT_SECRET").2);
        assert_eq!(by("TTL").1.as_deref(), Some("60"));
    }

    #[test]
    fn schemas() {
        let joi = "const Joi = require('joi');\nconst envVarsSchema = Joi.object().keys({\n  NODE_ENV: Joi.string().valid('production').required(),\n  PORT: Joi.number().default(3000),\n  MONGODB_URL: Joi.string().required().description('Mongo DB url'),\n  SMTP_HOST: Joi.string(),\n}).unknown();\nconst { value } = envVarsSchema.validate(process.env);\n";
        let found = names(&[("src/config/config.js", joi)]);
        assert_eq!(
            found,
            vec![
                ("NODE_ENV".into(), None, true, "src/config/config.js:3".into()),
                ("PORT".into(), Some("3000".into()), false, "src/config/config.js:4".into()),
                ("MONGODB_URL".into(), None, true, "src/config/config.js:5".into()),
                ("SMTP_HOST".into(), None, false, "src/config/config.js:6".into()),
            ]
        );
        let fastify = "import fastifyEnv from '@fastify/env';\nconst schema = {\n  type: 'object',\n  required: ['COOKIE_SECRET'],\n  properties: {\n    PORT: {\n      type: 'number',\n      default: 3000\n    },\n    COOKIE_SECRET: { type: 'string' },\n  }\n}\nfastify.register(fastifyEnv, { schema })\n";
        let found = names(&[("src/plugins/env.ts", fastify)]);
        assert_eq!(found[0], ("PORT".into(), Some("3000".into()), false, "src/plugins/env.ts:6".into()));
        assert_eq!(found[1], ("COOKIE_SECRET".into(), None, true, "src/plugins/env.ts:10".into()));
        let not_a_schema = "const dir = path.join(__dirname, process.env.UPLOADS);\ninterface Shape {\n  NOT_A_VARIABLE: string;\n}\nconst CODES = {\n  NOT_FOUND: { status: 404 },\n};\n";
        let found = names(&[("src/util.ts", not_a_schema)]);
        assert_eq!(
            found.iter().map(|f| f.0.as_str()).collect::<Vec<_>>(),
            ["UPLOADS"],
            "no schema library, no schema keys"
        );
        let envalid = "import { cleanEnv, str, port } from 'envalid';\nexport const env = cleanEnv(process.env, {\n  PORT: port({ default: 8080 }),\n  SESSION_SECRET: str(),\n});\n";
        let found = names(&[("src/env.ts", envalid)]);
        assert_eq!(found[0].1.as_deref(), Some("8080"));
        assert!(found[1].2);
        let class = "import { IsOptional, IsString } from 'class-validator';\nclass EnvironmentVariablesValidator {\n  @IsString()\n  DATABASE_URL: string;\n  @IsOptional()\n  @IsString()\n  APP_NAME: string;\n}\nvalidateConfig(process.env, EnvironmentVariablesValidator);\n";
        let found = names(&[("src/config/app.config.ts", class)]);
        assert_eq!((found[0].0.as_str(), found[0].2), ("DATABASE_URL", true));
        assert_eq!((found[1].0.as_str(), found[1].2), ("APP_NAME", false));
        let t3 = "import { createEnv } from \"@t3-oss/env-nextjs\";\nexport const env = createEnv({\n  server: {\n    DATABASE_URL: z.url(),\n    SECRET_PASSWORD: z.string().min(32),\n    NOREPLY_EMAIL: z\n      .email()\n      .optional(),\n  },\n  runtimeEnv: {\n    DATABASE_URL: process.env.DATABASE_URL,\n  },\n});\n";
        let found = names(&[("src/env.ts", t3)]);
        let required: Vec<(&str, bool)> = found.iter().take(3).map(|f| (f.0.as_str(), f.2)).collect();
        assert_eq!(required, [("DATABASE_URL", true), ("SECRET_PASSWORD", true), ("NOREPLY_EMAIL", false)]);
    }

    #[test]
    fn a_helper_read_nested_in_another_call() {
        let server = "const timeout = getDuration(readEnvValue('APP_TIMEOUT') || config.timeout) || 10000;\nconst w = getWorkerCount(readEnvValue('APP_WORKERS'), 4);\n";
        let found = names(&[("server.js", server)]);
        let read: Vec<(&str, Option<&str>)> = found.iter().map(|f| (f.0.as_str(), f.1.as_deref())).collect();
        assert_eq!(read, [("APP_TIMEOUT", None), ("APP_WORKERS", None)]);
    }

    #[test]
    fn a_table_of_mapped_variables_and_one_the_code_sets() {
        let table = "function map(env: string, type: ValueType, path: string) {\n  return { env, type, path };\n}\nconst maps = [\n  map('CORE_SECRET', 'string', 'core.secret'),\n  map('CORE_DATABASE_URL', 'string', 'core.database_url'),\n];\nfor (const m of maps) { const value = process.env[m.env]; }\n";
        let plugin =
            "export async function prisma(app) {\n  process.env.DATABASE_URL = app.config.core.database_url;\n}\n";
        let schema = "datasource db {\n  provider = \"postgresql\"\n  url      = env(\"DATABASE_URL\")\n}\n";
        let found = names(&[
            ("src/lib/config/readConfig.ts", table),
            ("src/server/plugins/prisma.ts", plugin),
            ("prisma/schema.prisma", schema),
        ]);
        let read = |name: &str| found.iter().find(|f| f.0 == name).unwrap_or_else(|| panic!("{name} in {found:?}"));
        assert_eq!(read("CORE_SECRET").1, None, "a row's type is no default");
        assert_eq!(read("CORE_DATABASE_URL").3, "src/lib/config/readConfig.ts:6");
        assert!(!read("DATABASE_URL").2, "the code sets DATABASE_URL from CORE_DATABASE_URL");
    }

    #[test]
    fn environment_objects_and_helpers() {
        let found = names(&[
            (
                "server/env.ts",
                "import environment from './utils/environment';\nclass Env {\n  public AWS_S3_ACL = environment.AWS_S3_ACL ?? \"private\";\n}\nenvironment.SET_HERE = 'x';\n",
            ),
            (
                "config.default.js",
                "const basicAuthPassword = 'ME_CONFIG_BASICAUTH_PASSWORD';\nconst url = getFileEnv('ME_CONFIG_MONGODB_URL');\nconst p = getFileEnv(basicAuthPassword);\nconst q = process.env[basicAuthPassword];\n",
            ),
        ]);
        let names: Vec<&str> = found.iter().map(|f| f.0.as_str()).collect();
        assert_eq!(
            names,
            ["ME_CONFIG_MONGODB_URL", "ME_CONFIG_BASICAUTH_PASSWORD", "ME_CONFIG_BASICAUTH_PASSWORD", "AWS_S3_ACL"]
        );
        assert_eq!(found[3].1.as_deref(), Some("private"));
    }

    #[test]
    fn an_env_file_the_app_loads_gives_defaults() {
        let found = names(&[
            (
                "app.js",
                "require('dotenv').config({ path: '.env.example' });\nmongoose.connect(process.env.MONGODB_URI);\n",
            ),
            (".env.example", "# Mongo\nMONGODB_URI=mongodb://localhost:27017/test\nUNUSED=1\n"),
        ]);
        assert_eq!(
            found[1],
            ("MONGODB_URI".into(), Some("mongodb://localhost:27017/test".into()), false, ".env.example:2".into())
        );
        assert_eq!(found.len(), 2, "only what the code reads: {found:?}");
        // A test runner's load, or a file for tests, is not the running app's.
        let test_only = names(&[
            (
                "playwright.config.ts",
                "dotenv.config({ path: '.env.test' });
",
            ),
            (
                "src/env.ts",
                "dotenv.config({ path: '.env.test' });
export const db = process.env.DATABASE_URL;
",
            ),
            (
                ".env.test",
                "DATABASE_URL=postgres://localhost/test
",
            ),
        ]);
        assert!(test_only.iter().all(|read| read.1.is_none()), "{test_only:?}");
    }

    #[test]
    fn built_bundles_and_the_codes_own_plumbing_are_no_variables() {
        let bundle = format!("!function(e){{var t=process.env.VUE_ENV;{}}}();\n", "e.x=1;".repeat(600));
        let entry = "process.env.webpackAssets = JSON.stringify(require('./manifest.json'));\nconst port = process.env.PORT || 8000;\n";
        let server = "const assets = process.env.webpackAssets && JSON.parse(process.env.webpackAssets);\n";
        let found = names(&[
            ("public/static/js/vendor.js", bundle.as_str()),
            ("index.js", entry),
            ("server/server.js", server),
        ]);
        let read: Vec<&str> = found.iter().map(|(name, ..)| name.as_str()).collect();
        assert_eq!(read, ["PORT"]);
    }

    #[test]
    fn scripts_without_extension_and_not_tests() {
        let found = names(&[
            ("bin/www", "#!/usr/bin/env node\nvar port = normalizePort(process.env.PORT || '3000');\n"),
            ("test/app.test.js", "process.env.ONLY_IN_TESTS\n"),
        ]);
        assert_eq!(found, vec![("PORT".into(), Some("3000".into()), false, "bin/www:2".into())]);
    }
}
