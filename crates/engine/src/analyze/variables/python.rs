//! The variables a Python app reads: `os.environ`/`os.getenv`, helper calls in the style of
//! django-environ and python-decouple (`env('X', default=...)`, `config('X')`, `env.bool`),
//! `environ.Env(NAME=(type, default))`, and pydantic-settings `BaseSettings` fields with their
//! `env_prefix`.

use std::sync::LazyLock;

use regex::Regex;

use super::VariableRead;
use super::pydantic_annotated::field_default;
use super::secrets::secret_by_use;
use super::text::{key_before, line_of, literal, parsed_plain};
use crate::analyze::app_files::AppFiles;
use crate::analyze::source::is_test_path;

static ENVIRON: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"\b(?:os\.)?(environ\.get|getenv|environ\.setdefault|environ\.pop)\(\s*['"]([A-Za-z_][A-Za-z0-9_]*)['"]\s*(,\s*)?|\b(?:os\.)?environ\[\s*['"]([A-Za-z_][A-Za-z0-9_]*)['"]\s*\]"#)
        .expect("valid pattern")
});
/// `env('X')`, `env.bool('X', default=False)`, `config('X', cast=int)`, `envint('X', 5)`.
static HELPER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"\b([A-Za-z_][A-Za-z0-9_]*)(?:\.([a-z_]+))?\(\s*['"]([A-Z][A-Z0-9_]*)['"]\s*"#).expect("valid")
});
static KEYWORD_DEFAULT: LazyLock<Regex> = LazyLock::new(|| Regex::new(r#"\bdefault\s*=\s*"#).expect("valid pattern"));
static ENV_SCHEME: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r#"([A-Z][A-Z0-9_]*)\s*=\s*\(\s*[A-Za-z_.]+\s*,\s*"#).expect("valid pattern"));
/// A scheme entry whose tuple opens on its own line (`NAME=(\n    str,\n    "value",\n)`).
static ENV_SCHEME_OPEN: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r#"^\s*([A-Z][A-Z0-9_]*)\s*=\s*\(\s*$"#).expect("valid pattern"));
/// `os.environ.get('X') or 'fallback'`: Python's other way to give a default.
static OR_FALLBACK: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r#"^[^#]*?\)\s*(?:\.[a-z_]+\([^()]*\)\s*)*or\s+"#).expect("valid pattern"));
static SETTINGS_CLASS: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r#"(?m)^class\s+(\w+)\s*\(([^)]*)\)\s*:"#).expect("valid pattern"));
static FIELD: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r#"^    ([A-Za-z_][A-Za-z0-9_]*)\s*:\s*([^=]+?)\s*(?:=\s*(.*))?$"#).expect("valid"));
static ENV_PREFIX: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r#"env_prefix\s*=\s*['"]([^'"]*)['"]"#).expect("valid pattern"));

/// Helper names whose read raises without a default (django-environ, decouple).
const STRICT_HELPERS: [&str; 2] = ["env", "config"];

pub fn reads(files: &AppFiles) -> Vec<VariableRead> {
    let mut found = Vec::new();
    let settings_classes = settings_classes(files);
    let sources: Vec<(&str, &str)> = files.with_extensions(&["py"]).filter(|(path, _)| !is_test_path(path)).collect();
    // Fields of a settings class the app never builds are none of its reads.
    let unused = super::unused_settings::unused(&sources, &settings_classes);
    let built: Vec<String> = settings_classes.iter().filter(|c| !unused.contains(c)).cloned().collect();
    let methods = super::python_wrappers::reading_methods(files);
    // environs' `env("X", fallback)` takes its default second, where django-environ's
    // `env("X", int)` takes a cast: which library the app reads with decides.
    let environs =
        sources.iter().any(|(_, text)| text.contains("from environs import") || text.contains("import environs"));
    for (path, text) in files.with_extensions(&["py"]) {
        if is_test_path(path) {
            continue;
        }
        let first = found.len();
        environ(path, text, &mut found);
        let environs = environs && !text.contains("environ.Env(");
        helpers(path, text, &methods, environs, &mut found);
        super::python_keys::reads(path, text, &mut found);
        super::python_default_entries::apply(text, &mut found[first..]);
        super::flask_envvar::reads(path, text, &mut found);
        found.extend(super::python_library_reads::reads(path, text));
        super::checked_reads::require_checked(text, &mut found[first..]);
        super::crashing_reads::require_python(text, &mut found[first..]);
        settings_fields(files, path, text, &built, &mut found);
        in_test_classes(text, &mut found[first..]);
        super::python_blocks::mark_coverage_switches(text, &mut found[first..]);
        super::python_blocks::mark_cli_command_reads(text, &mut found[first..]);
    }
    found.extend(super::ini_env::reads(files));
    found.extend(super::flask_implicit::reads(files));
    found.extend(super::launcher_configs::uwsgi_reads(files));
    super::unused_settings::drop_reads(&sources, &settings_classes, &mut found);
    found.extend(super::key_loops::python_reads(&sources));
    super::computed_wrappers::add(&mut found, super::computed_wrappers::python_reads(&sources));
    super::settings_fallback::apply(files, &mut found);
    super::python_assigned::drop_set_by_the_app(&sources, &mut found);
    super::separate_packages::mark(files, &mut found);
    super::python_mode_modules::relax(&sources, &mut found);
    super::tooling_constants::mark(&sources, &mut found);
    found.retain(|read| !request_header_key(files, read));
    // The server imports wsgi.py, never manage.py (the command line's entry): where both set a
    // default (`DJANGO_SETTINGS_MODULE`), the served one's is the running app's.
    found.sort_by_key(|read| {
        read.source.rsplit_once(':').map_or(&*read.source, |(path, _)| path).ends_with("manage.py")
    });
    found
}

/// Reads in a configuration class only the tests or development select (`class
/// TestingConfig`) are theirs: they neither count as the app's variables nor raise findings.
/// A class the file's config map selects by default (`'default': DevelopmentConfig`) is what
/// the app loads with nothing set: its reads are the running app's.
fn in_test_classes(text: &str, reads: &mut [VariableRead]) {
    static DEFAULT_ENTRY: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r#"['"]default['"]\s*:\s*(\w+)"#).expect("valid pattern"));
    let selected: Vec<&str> = DEFAULT_ENTRY.captures_iter(text).filter_map(|c| c.get(1)).map(|m| m.as_str()).collect();
    let lines: Vec<&str> = text.lines().collect();
    for read in reads {
        let line = read.source.rsplit_once(':').and_then(|(_, n)| n.parse::<usize>().ok());
        let class = line.and_then(|n| super::python_blocks::import_time_class(&lines, n.saturating_sub(1)));
        let chosen = |c: &str| selected.contains(&c) || super::default_chosen_class::chosen_by_default(text, c);
        if class.is_some_and(|c| super::python_blocks::outside_production(c) && !chosen(c)) {
            read.tooling = true;
        }
    }
}

fn environ(path: &str, text: &str, found: &mut Vec<VariableRead>) {
    let lines: Vec<&str> = text.lines().collect();
    for (index, line) in lines.iter().enumerate() {
        if (!line.contains("environ") && !line.contains("getenv")) || line.trim_start().starts_with('#') {
            continue;
        }
        // The statement the read is in, over continuation lines, where an `or` fallback may be.
        let statement = statement_from(&lines, index);
        // Matched in the whole statement, so `os.getenv(` with its name on the next line is
        // read; only the reads that start on this line belong to it.
        let on_this_line = |c: &regex::Captures| c.get(0).is_some_and(|m| m.start() < line.len());
        for captures in ENVIRON.captures_iter(&statement).filter(on_this_line) {
            let whole = captures.get(0).expect("match");
            if request_environ(&statement[..whole.start()], whole.as_str(), &captures, text) {
                continue;
            }
            let at = format!("{path}:{}", index + 1);
            let mut read = match (captures.get(2), captures.get(4)) {
                (Some(name), _) => {
                    // `statement` starts with this line as it is, so the offset is valid in it.
                    let after = statement.get(whole.end()..).unwrap_or("");
                    let unset_elsewhere = super::python_defaults::unset_branch_before(&lines, index, name.as_str());
                    let default = captures
                        .get(3)
                        .filter(|_| !unset_elsewhere)
                        .and_then(|_| super::python_defaults::argument_default(after))
                        .filter(|d| !d.is_empty())
                        .or_else(|| OR_FALLBACK.find(after).and_then(|m| literal(&after[m.end()..])))
                        .or_else(|| super::python_defaults::else_branch_default(&lines, index, name.as_str()));
                    VariableRead::new(name.as_str(), at).with_default(default)
                }
                // `os.environ["X"]` raises KeyError when X is unset, unless it is being assigned.
                (None, Some(name)) => {
                    let after = statement.get(whole.end()..).unwrap_or("").trim_start();
                    let assigned = after.starts_with('=') && !after.starts_with("==");
                    if assigned {
                        continue;
                    }
                    // A class body runs when its module is imported: a KeyError there stops the app.
                    let top_level = super::python_blocks::runs_at_import(&lines, index);
                    VariableRead::new(name.as_str(), at).required(top_level && !line.contains(" in os.environ"))
                }
                _ => continue,
            };
            read.secret_use = key_before(statement.get(..whole.start()).unwrap_or("")).and_then(secret_by_use);
            read.plain_value = parsed_plain(
                statement.get(..whole.start()).unwrap_or(""),
                statement.get(whole.end()..).unwrap_or("").split_once(')').map_or("", |(_, rest)| rest),
            );
            found.push(read);
        }
    }
}

/// A request header's CGI key (`HTTP_X_FORWARDED_FOR`) read from anything but the process's
/// environment (`self.env.get(...)` over the environ a WSGI container built for one request):
/// the client sets it, no operator does.
fn request_header_key(files: &AppFiles, read: &VariableRead) -> bool {
    if !read.name.starts_with("HTTP_") {
        return false;
    }
    let Some((path, line)) = read.source.rsplit_once(':') else { return false };
    let line = line.parse::<usize>().ok().and_then(|n| files.get(path)?.lines().nth(n.checked_sub(1)?));
    const REQUEST_ENVIRONS: [&str; 5] = ["self.env", "self.environ", "request.environ", "req.environ", "request.env"];
    line.is_some_and(|line| REQUEST_ENVIRONS.iter().any(|environ| line.contains(environ)))
}

/// Whether a match reads a WSGI request's environ, not the process's: `request.environ.get(..)`
/// (an object's `environ`, not `os.environ`), or a CGI key (`HTTP_*`, `REMOTE_ADDR`) of the
/// `environ` a WSGI callable (`def app(environ, start_response)`) is given. The client and the
/// server set those per request; no operator does.
fn request_environ(before: &str, whole: &str, captures: &regex::Captures, text: &str) -> bool {
    if whole.starts_with("os.") || whole.starts_with("getenv") {
        return false;
    }
    if before.ends_with('.') {
        return true;
    }
    let name = captures.get(2).or(captures.get(4)).map_or("", |m| m.as_str());
    let cgi = name.starts_with("HTTP_")
        || matches!(
            name,
            "REMOTE_ADDR"
                | "REMOTE_HOST"
                | "REMOTE_USER"
                | "SERVER_NAME"
                | "SERVER_PORT"
                | "SERVER_PROTOCOL"
                | "REQUEST_METHOD"
                | "PATH_INFO"
                | "QUERY_STRING"
                | "SCRIPT_NAME"
                | "CONTENT_TYPE"
                | "CONTENT_LENGTH"
        );
    cgi && text.contains("start_response")
}

/// The default a helper read gives after its name (`, default=5`, `, 'x'`), and whether it gives
/// one at all. django-environ's typed getters (`env.int('X', logging.INFO)`) and decouple's
/// `config('X', 5)` take it as their second argument, a name or a call too
/// (`second_is_default`); plain django-environ `env('X', int)` takes a cast there.
fn helper_default(rest: &str, second_is_default: bool) -> (Option<String>, bool) {
    let default = match rest.strip_prefix(',') {
        Some(arguments) if starts_with_keyword(arguments) => {
            KEYWORD_DEFAULT.find(arguments).and_then(|m| literal(&arguments[m.end()..]))
        }
        Some(arguments) => literal(arguments),
        None => None,
    };
    let positional =
        rest.strip_prefix(',').is_some_and(|arguments| !arguments.trim().is_empty() && !starts_with_keyword(arguments));
    let has_default = rest.contains("default=") || default.is_some() || (positional && second_is_default);
    (default, has_default)
}

fn helpers(path: &str, text: &str, methods: &[String], environs: bool, found: &mut Vec<VariableRead>) {
    let lines: Vec<&str> = text.lines().collect();
    let wrappers = super::python_wrappers::reading_wrappers(&lines);
    // `env = os.environ.get`: a name for the lenient reader, which gives None when unset.
    let lenient: Vec<&str> = lines
        .iter()
        .filter_map(|line| {
            let (name, value) = line.split_once('=')?;
            let value = value.trim();
            (value == "os.environ.get" || value == "os.getenv").then(|| name.trim())
        })
        .collect();
    for (index, original) in lines.iter().copied().enumerate() {
        // `env(\n    "NAME", default="")`: a call whose name is on the next line is read whole.
        let joined = (original.trim_end().ends_with('(') && !original.trim_start().starts_with('#'))
            .then(|| statement_from(&lines, index));
        let line = joined.as_deref().unwrap_or(original);
        // A helper call names its variable in quotes right after the bracket; a comment reads nothing.
        let names_a_variable =
            (line.contains("(\"") || line.contains("('") || line.contains("( ")) && !line.trim_start().starts_with('#');
        // Only the calls that start on this line belong to it.
        let on_this_line = |c: &regex::Captures| c.get(0).is_some_and(|m| m.start() < original.len());
        for captures in HELPER.captures_iter(line).filter(|_| names_a_variable).filter(on_this_line) {
            let function = &captures[1];
            let method = captures.get(2).map(|m| m.as_str());
            let lower = function.to_ascii_lowercase();
            let env_helper = lower.contains("env") && !lower.contains("environ") && lower != "getenv";
            let wrapper =
                wrappers.iter().any(|w| w == function) || method.is_some_and(|m| methods.iter().any(|w| w == m));
            if !(env_helper || wrapper || lower == "config") || function.starts_with("set") {
                continue;
            }
            // `config.get('X')` is a settings object, not decouple.
            if lower == "config" && method.is_some() {
                continue;
            }
            let whole = captures.get(0).expect("match");
            let rest = &line[whole.end()..];
            let (default, has_default) = helper_default(rest, method.is_some() || lower == "config" || environs);
            // A read inside a function or an `if` runs only on that path: not required to start.
            // A class body runs when its module is imported: a strict read there stops the app.
            let top_level = super::python_blocks::runs_at_import(&lines, index);
            let strict = STRICT_HELPERS.contains(&lower.as_str()) && top_level && !lenient.contains(&function);
            let mut read = VariableRead::new(&captures[3], format!("{path}:{}", index + 1))
                .with_default(default)
                .required(strict && !has_default);
            read.secret_use = key_before(&line[..whole.start()]).and_then(secret_by_use);
            let (arguments, after) = rest.split_once(')').unwrap_or((rest, ""));
            // decouple's `config("DEBUG", cast=bool)` converts the value itself.
            let cast = ["cast=bool", "cast=int", "cast=float"].iter().any(|c| arguments.replace(' ', "").contains(c));
            read.plain_value = cast || parsed_plain(&line[..whole.start()], after);
            found.push(read);
        }
        implicit_urls(path, index, original, &lines, found);
        if line.contains("Env(") {
            // `environ.Env(\n    DJANGO_DEBUG=(bool, False),\n)`: the scheme may run over
            // the lines below, up to the bracket that closes the call.
            let mut depth = 0i32;
            for (offset, scheme_line) in lines[index..].iter().enumerate().take(40) {
                // Every entry gives a default, `None` and a list included: `env("NAME")` then
                // returns it instead of raising, so no read of the name makes it required.
                for captures in ENV_SCHEME.captures_iter(scheme_line) {
                    let whole = captures.get(0).expect("match");
                    let default = literal(&scheme_line[whole.end()..]);
                    let at = format!("{path}:{}", index + offset + 1);
                    found.push(VariableRead::new(&captures[1], at).with_default(default).optional());
                }
                if let Some(captures) = ENV_SCHEME_OPEN.captures(scheme_line).filter(|_| offset > 0) {
                    let at = format!("{path}:{}", index + offset + 1);
                    found.push(VariableRead::new(&captures[1], at).optional());
                }
                let code = scheme_line.split('#').next().unwrap_or("");
                depth += code.matches('(').count() as i32 - code.matches(')').count() as i32;
                if depth <= 0 {
                    break;
                }
            }
        }
    }
}

/// django-environ's URL readers with no name read their conventional variable: `env.db()` reads
/// DATABASE_URL, `env.cache()` CACHE_URL, `env.email()` EMAIL_URL, `env.search_url()` SEARCH_URL.
fn implicit_urls(path: &str, index: usize, line: &str, lines: &[&str], found: &mut Vec<VariableRead>) {
    static URL_READER: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"\b(\w*env\w*)\.(db_url|db|cache_url|cache|email_url|email|search_url)\(").expect("valid pattern")
    });
    if line.trim_start().starts_with('#') {
        return;
    }
    for captures in URL_READER.captures_iter(line) {
        let call = statement_from(lines, index);
        let after = call.find(&captures[0]).map_or("", |at| &call[at + captures[0].len()..]);
        // `env.db('OTHER_URL')` names its variable, which the helper reader takes.
        if after.trim_start().starts_with(['"', '\'']) {
            continue;
        }
        let name = match &captures[2] {
            "db" | "db_url" => "DATABASE_URL",
            "cache" | "cache_url" => "CACHE_URL",
            "email" | "email_url" => "EMAIL_URL",
            _ => "SEARCH_URL",
        };
        let arguments = after.split(')').next().unwrap_or("");
        let default = KEYWORD_DEFAULT.find(arguments).and_then(|m| literal(&arguments[m.end()..]));
        // `if os.environ.get("CACHE_URL"): CACHES = {"default": env.cache()}` reads it only
        // when it is set.
        let top_level = super::python_blocks::runs_at_import(lines, index);
        let required = default.is_none() && top_level && !arguments.contains("default");
        found.push(VariableRead::new(name, format!("{path}:{}", index + 1)).with_default(default).required(required));
    }
}

/// The line at `index` joined with the lines that continue it (open brackets, a trailing `\\`),
/// at most five.
pub(crate) fn statement_from(lines: &[&str], index: usize) -> String {
    let mut statement = lines[index].to_string();
    if statement.trim_end().ends_with('\\') {
        statement = statement.trim_end().trim_end_matches('\\').to_string();
    }
    let mut depth: i32 = 0;
    for (offset, line) in lines[index..].iter().enumerate().take(5) {
        if offset > 0 {
            statement.push(' ');
            statement.push_str(line.trim().trim_end_matches('\\'));
        }
        depth += line.matches(['(', '[', '{']).count() as i32 - line.matches([')', ']', '}']).count() as i32;
        if depth <= 0 && !line.trim_end().ends_with('\\') {
            break;
        }
    }
    statement
}

/// `cast=int, default=3`: the arguments start with a keyword, not a positional default.
pub(super) fn starts_with_keyword(arguments: &str) -> bool {
    let word: String = arguments.trim_start().chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '_').collect();
    !word.is_empty() && arguments.trim_start()[word.len()..].trim_start().starts_with('=')
}

/// Names of classes that are pydantic settings: `BaseSettings` subclasses and their subclasses.
fn settings_classes(files: &AppFiles) -> Vec<String> {
    let mut classes: Vec<(String, String)> = Vec::new();
    for (_, text) in files.with_extensions(&["py"]) {
        if !text.contains("Settings") {
            continue;
        }
        for captures in SETTINGS_CLASS.captures_iter(text) {
            classes.push((captures[1].to_string(), captures[2].to_string()));
        }
    }
    let mut settings: Vec<String> = vec!["BaseSettings".into()];
    // Three rounds reach subclasses three deep, deeper than settings classes go in practice.
    for _ in 0..3 {
        for (name, bases) in &classes {
            let derived = bases.split(',').any(|b| {
                let base = b.trim().rsplit('.').next().unwrap_or("");
                settings.iter().any(|s| s == base)
            });
            if derived && !settings.contains(name) {
                settings.push(name.clone());
            }
        }
    }
    // A settings class gathers the fields of its plain bases too (`class Settings(EditableSettings,
    // BaseSettings)` over `class EditableSettings(BaseModel)`): the environment fills them all.
    for _ in 0..3 {
        let bases: Vec<String> = classes
            .iter()
            .filter(|(name, _)| settings.contains(name))
            .flat_map(|(_, bases)| bases.split(',').map(|b| b.trim().rsplit('.').next().unwrap_or("").to_string()))
            .filter(|base| classes.iter().any(|(name, _)| name == base) && !settings.contains(base))
            .collect();
        for base in bases {
            if !settings.contains(&base) {
                settings.push(base);
            }
        }
    }
    settings.remove(0);
    settings
}

fn settings_fields(files: &AppFiles, path: &str, text: &str, classes: &[String], found: &mut Vec<VariableRead>) {
    for captures in SETTINGS_CLASS.captures_iter(text) {
        if !classes.iter().any(|c| c == &captures[1]) {
            continue;
        }
        let start = captures.get(0).expect("match").end();
        let body_end = text[start..]
            .match_indices("\nclass ")
            .chain(text[start..].match_indices("\ndef "))
            .map(|(i, _)| start + i)
            .min()
            .unwrap_or(text.len());
        let body = &text[start..body_end];
        let prefix = ENV_PREFIX.captures(body).map_or(String::new(), |c| c[1].to_string());
        // Fields the code passes in when it builds the settings: the environment cannot set them.
        let given = super::init_arguments::given_at_construction(files, &captures[1]);
        let first_line = line_of(text, start);
        let prefix_all = body.contains("env_prefix_target") && body.contains("\"all\"");
        let body_lines: Vec<&str> = body.lines().collect();
        let in_strings = inside_triple_quotes(&body_lines);
        for (offset, line) in body.lines().enumerate() {
            // A field's docstring ("NOTE: ...", a URL) reads like `name: annotation`: prose only.
            if in_strings[offset] {
                continue;
            }
            let Some(field) = FIELD.captures(line) else { continue };
            let name = &field[1];
            let annotation = field[2].trim();
            if name == "model_config"
                || name.starts_with('_')
                || annotation.starts_with("ClassVar")
                || given.contains(name)
            {
                continue;
            }
            let value = field.get(3).map(|m| m.as_str().trim());
            let default = value.and_then(|v| {
                let v = v.strip_prefix("Field(").map_or(v, |inner| inner.trim_start_matches("default="));
                literal(v)
            });
            let required = value.is_none() || value.is_some_and(|v| v.starts_with("Field(...") || v == "...");
            let annotated = value.is_none().then(|| field_default(&field_statement(&body_lines, offset))).flatten();
            let (default, required) = annotated.map_or((default, required), |given| (given, false));
            let at = format!("{path}:{}", first_line + offset);
            // `Field(validation_alias=AliasChoices("a", "b"))`: the environment names are the
            // aliases, prefixed only when the prefix targets them too.
            let aliases = field_aliases(&field_statement(&body_lines, offset));
            if !aliases.is_empty() {
                for alias in aliases {
                    let variable = if prefix_all { format!("{prefix}{alias}") } else { alias };
                    let read = VariableRead::new(variable.to_ascii_uppercase(), at.clone());
                    found.push(read.with_default(default.clone()).required(required));
                }
                continue;
            }
            let variable = format!("{prefix}{name}").to_ascii_uppercase();
            found.push(VariableRead::new(variable, at).with_default(default).required(required));
        }
    }
}

/// For each line, whether it starts inside a triple-quoted string (a docstring's text).
fn inside_triple_quotes(lines: &[&str]) -> Vec<bool> {
    let mut open = false;
    lines
        .iter()
        .map(|line| {
            let starts_inside = open;
            let quotes = line.matches("\"\"\"").count() + line.matches("'''").count();
            open ^= quotes % 2 == 1;
            starts_inside || (quotes > 0 && !line.trim_start().starts_with(char::is_alphabetic))
        })
        .collect()
}

/// A field's declaration with the lines its brackets run over (at most twelve).
fn field_statement(lines: &[&str], index: usize) -> String {
    let mut statement = String::new();
    let mut depth: i32 = 0;
    for line in lines[index..].iter().take(12) {
        statement.push(' ');
        statement.push_str(line.trim());
        depth += line.matches(['(', '[', '{']).count() as i32 - line.matches([')', ']', '}']).count() as i32;
        if depth <= 0 {
            break;
        }
    }
    statement
}

/// The names a pydantic field's `validation_alias` (or `alias`) gives: one literal, or every
/// literal of `AliasChoices(...)`.
fn field_aliases(statement: &str) -> Vec<String> {
    static ALIAS: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"(?:\bvalidation_alias|[(,\s]alias)\s*=").expect("valid pattern"));
    let Some(found) = ALIAS.find(statement) else { return Vec::new() };
    let at = found.start();
    let rest = &statement[at..];
    let rest = &rest[rest.find('=').map_or(0, |i| i + 1)..];
    let rest = rest.trim_start();
    if let Some(choices) = rest.strip_prefix("AliasChoices(") {
        let inner = choices.split(')').next().unwrap_or("");
        return inner.split(',').filter_map(literal).filter(|a| !a.is_empty()).collect();
    }
    literal(rest).filter(|a| !a.is_empty()).into_iter().collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn found(pairs: &[(&str, &str)]) -> Vec<(String, Option<String>, bool, String)> {
        reads(&AppFiles::from_pairs(pairs.iter().copied()))
            .into_iter()
            .map(|r| (r.name, r.default, r.required, r.source))
            .collect()
    }

    #[test]
    fn a_typed_getters_second_argument_is_its_default() {
        let settings = "import environ\nenv = environ.Env()\nLEVEL = env.int(\"SENTRY_LOG_LEVEL\", logging.INFO)\nKEY = env(\"DJANGO_SECRET_KEY\")\nHOSTS = env.list(\"ALLOWED_HOSTS\")\n";
        let f = found(&[("config/settings/production.py", settings)]);
        let required: Vec<(&str, bool)> = f.iter().map(|r| (r.0.as_str(), r.2)).collect();
        assert_eq!(required, [("SENTRY_LOG_LEVEL", false), ("DJANGO_SECRET_KEY", true), ("ALLOWED_HOSTS", true)]);
    }

    #[test]
    fn a_read_whose_name_is_on_the_next_line() {
        let f = found(&[(
            "settings.py",
            "import os\nHEADER = os.getenv(\n    \"AUTH_PROXY_HEADER\", \"REMOTE_USER\"\n)\n",
        )]);
        assert_eq!(f.len(), 1, "{f:?}");
        assert_eq!((f[0].0.as_str(), f[0].1.as_deref()), ("AUTH_PROXY_HEADER", Some("REMOTE_USER")));
    }

    #[test]
    fn a_requests_environ_is_not_the_process_environment() {
        let files = AppFiles::from_pairs([(
            "app/utils/misc.py",
            "import os\ndef client_ip(r):\n    if r.environ.get('HTTP_X_FORWARDED_FOR') is None:\n        return r.environ['REMOTE_ADDR']\n    return os.environ.get('TRUSTED_PROXY')\n\ndef application(environ, start_response):\n    host = environ.get('SERVER_NAME')\n    return environ.get('APP_MODE')\n",
        )]);
        let names: Vec<String> = reads(&files).into_iter().map(|r| r.name).collect();
        assert_eq!(names, ["TRUSTED_PROXY", "APP_MODE"]);
    }

    #[test]
    fn os_environ_and_getenv() {
        let f = found(&[(
            "app/config.py",
            "import os\nSECRET_KEY = os.environ.get('SECRET_KEY') or 'you-will-never-guess'\nDB = os.getenv(\"DATABASE_URL\", \"sqlite:///app.db\")\nTOKEN = os.environ['API_TOKEN']\nos.environ['SET_HERE'] = '1'\nURI = os.environ.get('DB_URL', '').replace(\n    'postgres://', 'postgresql://') or \\\n    'sqlite:///' + base\n",
        )]);
        assert_eq!(f[0], ("SECRET_KEY".into(), Some("you-will-never-guess".into()), false, "app/config.py:2".into()));
        assert_eq!(f[1].1.as_deref(), Some("sqlite:///app.db"));
        assert_eq!((f[2].0.as_str(), f[2].2), ("API_TOKEN", true));
        assert_eq!(f[3].1.as_deref(), Some("sqlite:///"), "an `or` on a continuation line");
        assert_eq!(f.len(), 4, "an assignment is not a read: {f:?}");
    }

    #[test]
    fn environ_and_decouple_helpers() {
        let f = found(&[(
            "config/settings.py",
            "env = environ.Env(DEBUG=(bool, False))\nSECRET_KEY = env('DJANGO_SECRET_KEY')\nDEBUG = env.bool('DJANGO_DEBUG', default=True)\nEMAIL = config('EMAIL_HOST', default='localhost')\nPORT = envint('PORT', 8000)\nx = config.get('section')\n",
        )]);
        let by = |n: &str| f.iter().find(|x| x.0 == n).cloned().unwrap();
        assert_eq!(by("DEBUG").1.as_deref(), Some("false"));
        assert!(by("DJANGO_SECRET_KEY").2);
        assert_eq!(by("DJANGO_DEBUG").1.as_deref(), Some("true"));
        assert_eq!(by("EMAIL_HOST").1.as_deref(), Some("localhost"));
        assert_eq!(by("PORT").1.as_deref(), Some("8000"));
    }

    #[test]
    fn an_environ_scheme_over_several_lines_gives_defaults() {
        let f = found(&[(
            "settings/main.py",
            "env = environ.Env(\n    # set casting, default value\n    DJANGO_DEBUG=(bool, False),\n)\nDEBUG = env('DJANGO_DEBUG')\nx = other(Y=(int, 1))\n",
        )]);
        assert_eq!(f[0], ("DJANGO_DEBUG".into(), Some("false".into()), false, "settings/main.py:3".into()));
        assert!(!f.iter().any(|r| r.0 == "Y"), "a scheme ends with its call: {f:?}");
    }

    #[test]
    fn words_in_a_fields_docstring_are_not_fields() {
        let f = found(&[(
            "app/config.py",
            "class Settings(BaseSettings):\n    origins: list[str] | None = None\n    \"\"\"\n    https://example.org/docs\n    NOTE: set it as JSON.\n    \"\"\"\n    \"\"\"EXAMPLE: one line\"\"\"\n    token: str\n",
        )]);
        let names: Vec<&str> = f.iter().map(|r| r.0.as_str()).collect();
        assert_eq!(names, ["ORIGINS", "TOKEN"]);
    }

    #[test]
    fn pydantic_settings_with_a_prefix() {
        let f = found(&[
            (
                "app/core/config.py",
                "class Settings(BaseSettings):\n    model_config = SettingsConfigDict(env_prefix=\"APP_\")\n    SECRET_KEY: str\n    port: int = 8000\n    debug: bool = Field(default=False)\n\n    def url(self) -> str:\n        return ''\n",
            ),
            ("app/more.py", "class Extra(Settings):\n    redis_url: str = 'redis://localhost'\n"),
        ]);
        assert_eq!(f[0], ("APP_SECRET_KEY".into(), None, true, "app/core/config.py:3".into()));
        assert_eq!(f[1], ("APP_PORT".into(), Some("8000".into()), false, "app/core/config.py:4".into()));
        assert_eq!(f[2].1.as_deref(), Some("false"));
        assert_eq!(f[3].0, "REDIS_URL", "a subclass has its own model_config");
    }

    #[test]
    fn fields_of_a_settings_class_bases_and_reads_through_a_wrapper() {
        let settings = "class EnvSettings(LNbitsSettings):\n    host: str = Field(default=\"127.0.0.1\")\n    port: int = Field(default=5000)\n\n\nclass Settings(EnvSettings, BaseSettings):\n    model_config = SettingsConfigDict(case_sensitive=False)\n";
        let f = found(&[("app/settings.py", settings)]);
        let names: Vec<(&str, Option<&str>)> = f.iter().map(|r| (r.0.as_str(), r.1.as_deref())).collect();
        assert_eq!(names, [("HOST", Some("127.0.0.1")), ("PORT", Some("5000"))]);
        let wrapped = "def extract_comma_list(env_key, default=None):\n    if os.getenv(env_key):\n        return os.getenv(env_key).split(',')\n    return [default] if default else []\n\nALLOWED_HOSTS = extract_comma_list('ALLOWED_HOSTS', '')\nDEBUG = bool(int(os.getenv('DEBUG', 0)))\nHOSTS = parse_list(os.environ.get('HOSTS'))\n";
        let f = found(&[("app/settings.py", wrapped)]);
        let names: Vec<&str> = f.iter().map(|r| r.0.as_str()).collect();
        assert_eq!(names, ["DEBUG", "HOSTS", "ALLOWED_HOSTS"]);
    }
}
