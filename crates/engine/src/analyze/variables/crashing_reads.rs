//! Reads with no default whose missing value crashes the module that loads them, though no
//! line checks for it: Python's `os.environ.get("X").split(" ")` (None has no `split`) or
//! `create_engine(os.getenv("X"))` at import, and Node's `neon(process.env.X!)` or
//! `new URL(process.env.X)` at module scope. The app does not start without them.

use std::sync::LazyLock;

use regex::Regex;

use super::VariableRead;

/// `os.environ.get("X")` / `os.getenv("X")` with no default, then a method call on the None.
static PY_CHAINED: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"(?:os\.)?(?:environ\.get|getenv)\(\s*['"]([A-Za-z_][A-Za-z0-9_]*)['"]\s*\)\s*\.[a-z_]+\("#)
        .expect("valid pattern")
});
/// `NAME = os.getenv("X")` with no default, at the top of a module.
static PY_ASSIGNED: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"^([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(?:os\.)?(?:environ\.get|getenv)\(\s*['"]([A-Za-z_][A-Za-z0-9_]*)['"]\s*\)\s*(?:#.*)?$"#)
        .expect("valid pattern")
});
/// The constructors that refuse a None URL when called (SQLAlchemy's engines, `databases`,
/// redis-py's `from_url`).
const PY_CRASHING_CALLS: [&str; 4] = ["create_engine(", "create_async_engine(", "Database(", "from_url("];

/// Node calls that throw on an undefined argument when called: `new URL(undefined)`, the Neon
/// serverless driver, Drizzle handed a connection string, `fs.readFileSync(undefined)` (a key
/// file whose path the environment gives).
static NODE_CRASHING: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"(?:\bneon|\bdrizzle|\bnew\s+URL|\breadFileSync)\(\s*((?:[A-Za-z_$][\w$]*\.)*(?:env|config|process\.env))\.([A-Z][A-Z0-9_]*)!?\s*[),]"#)
        .expect("valid pattern")
});

/// The names a Python module reads with no default and crashes on at import.
static PY_FRAMEWORK_KEY: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"^\s*(?:SQLALCHEMY_DATABASE_URI|SECRET_KEY)\s*=\s*os\.(?:environ\.get|getenv)\(\s*['"]([A-Z][A-Z0-9_]*)['"]\s*\)\s*$"#)
        .expect("valid pattern")
});

pub fn python_import_time(text: &str) -> Vec<(usize, String)> {
    let lines: Vec<&str> = text.lines().collect();
    let at_import = |index: usize| super::python_blocks::runs_at_import(&lines, index);
    let mut found: Vec<(usize, String)> = Vec::new();
    for (index, line) in lines.iter().enumerate().filter(|(_, l)| !l.trim_start().starts_with('#')) {
        // Whether a line runs at import is the costly question: asked only of lines that matter.
        if PY_CHAINED.is_match(line) && at_import(index) {
            found.extend(PY_CHAINED.captures_iter(line).map(|c| (index, c[1].to_string())));
        }
        let Some(assigned) = PY_ASSIGNED.captures(line) else { continue };
        let held = &assigned[1];
        let passed = |code: &&str| {
            PY_CRASHING_CALLS.iter().any(|call| {
                code.match_indices(call).any(|(at, _)| {
                    let argument = code[at + call.len()..].trim_start();
                    argument.strip_prefix(held).is_some_and(|rest| rest.trim_start().starts_with([')', ',']))
                })
            })
        };
        let used = lines.iter().enumerate().skip(index + 1).any(|(later, code)| passed(code) && at_import(later));
        if used {
            found.push((index, assigned[2].to_string()));
        }
    }
    found
}

/// The names a Node module hands, with no fallback, to a call that throws without them, where
/// the call runs when the app loads: at module scope, or in a plugin function the server
/// registers at boot (`function auth (fastify, opts, next)`).
pub fn node_load_time(text: &str) -> Vec<(usize, String)> {
    let lines: Vec<&str> = text.lines().collect();
    let mut found = Vec::new();
    for (index, line) in lines.iter().enumerate() {
        let trimmed = line.trim_start();
        if trimmed.starts_with("//") || trimmed.starts_with('*') {
            continue;
        }
        for captures in NODE_CRASHING.captures_iter(line) {
            let direct = &captures[1] == "process.env";
            let before = &line[..captures.get(0).map_or(0, |m| m.start())];
            // A callback on the same line (`fastify.get('/', () => new URL(...))`) runs when asked.
            let in_callback = before.contains("=>") || before.contains("function");
            let module_scope = !line.starts_with([' ', '\t']);
            let in_plugin = line.len() - trimmed.len() <= 2 && registered_plugin(&lines, index);
            if !in_callback && (module_scope || (!direct && in_plugin)) {
                found.push((index, captures[2].to_string()));
            }
        }
    }
    found
}

/// Whether the top-level function around `index` is a server plugin: its first parameter is
/// the server instance, which calls it when the app registers it at boot.
fn registered_plugin(lines: &[&str], index: usize) -> bool {
    let Some(head) = lines[..index].iter().rev().find(|l| !l.is_empty() && !l.starts_with([' ', '\t', '}'])) else {
        return false;
    };
    let Some(parameters) = head.split_once('(').map(|(_, rest)| rest) else { return false };
    let first = parameters.split([',', ')']).next().unwrap_or("").trim();
    head.contains("function") && ["fastify", "instance", "server"].contains(&first)
}

/// Marks required the reads in `reads` (all of one Python module's `text`) it crashes on.
pub fn require_python(text: &str, reads: &mut [VariableRead]) {
    mark(&python_import_time(text), reads);
    mark(&framework_keys(text), reads);
}

/// Flask settings the framework cannot work without, read with no fallback:
/// `SQLALCHEMY_DATABASE_URI = os.environ.get("DATABASE_URL")` (Flask-SQLAlchemy refuses to
/// start with neither a URI nor binds) and `SECRET_KEY = os.getenv("APP_SECRET_KEY")` (no
/// session or token can be signed with `None`).
fn framework_keys(text: &str) -> Vec<(usize, String)> {
    text.lines()
        .enumerate()
        .filter_map(|(index, line)| PY_FRAMEWORK_KEY.captures(line).map(|c| (index, c[1].to_string())))
        .collect()
}

/// Marks required the reads in `reads` (all of one Node module's `text`) it throws on at load.
pub fn require_node(text: &str, reads: &mut [VariableRead]) {
    mark(&node_load_time(text), reads);
}

/// Marks required, across modules, the variables with no default that some module hands a
/// config object's field to a throwing call at load (`new URL(fastify.config.BASE_URL)`),
/// when the schema that declares them leaves them optional.
pub fn require_through_config(sources: &[(&str, &str)], reads: &mut [VariableRead]) {
    let names: Vec<String> = sources.iter().flat_map(|(_, text)| node_load_time(text)).map(|(_, n)| n).collect();
    for read in reads.iter_mut().filter(|r| names.contains(&r.name) && r.default.is_none() && !r.optional) {
        read.required = true;
    }
}

fn mark(crashes: &[(usize, String)], reads: &mut [VariableRead]) {
    for read in reads.iter_mut().filter(|r| !r.required && r.default.is_none()) {
        let line = read.source.rsplit_once(':').and_then(|(_, l)| l.parse::<usize>().ok());
        if crashes.iter().any(|(index, name)| Some(index + 1) == line && *name == read.name) {
            read.required = true;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn python_reads_that_crash_at_import() {
        let text = "import os\nHOSTS = os.environ.get(\"HOSTS\").split(\" \")\nURL = os.getenv(\"DB_URL\")\nLATER = os.getenv(\"LATER\")\nOK = os.getenv(\"OK\", \"x\").split(\",\")\nengine = create_engine(URL)\ndef f():\n    return os.environ.get(\"IN_FN\").lower()\n    create_engine(LATER)\n";
        let names: Vec<String> = python_import_time(text).into_iter().map(|(_, n)| n).collect();
        assert_eq!(names, ["HOSTS", "DB_URL"]);
    }

    #[test]
    fn flask_settings_the_framework_needs() {
        let text = "class ProductionConfig(BaseConfig):\n    SQLALCHEMY_DATABASE_URI = os.environ.get(\"DATABASE_URL\")\n    SECRET_KEY = os.getenv(\"APP_SECRET_KEY\")\n    MAIL = os.getenv(\"EMAIL_URL\")\n    OTHER_SECRET_KEY = os.getenv(\"X\", \"dev\")\n";
        let names: Vec<(usize, String)> = framework_keys(text);
        assert_eq!(names, [(1, "DATABASE_URL".to_string()), (2, "APP_SECRET_KEY".to_string())]);
    }

    #[test]
    fn node_calls_that_throw_at_load() {
        let db = "export const db = drizzle(neon(process.env.POSTGRES_URL!));\nexport function f() {\n  return new URL(process.env.LATER);\n}\nconst ok = new URL(process.env.BASE || 'http://x');\n";
        assert_eq!(node_load_time(db), [(0, "POSTGRES_URL".to_string())]);
        let plugin = "export default function auth (fastify, opts, next) {\n  const base = new URL(fastify.config.BASE_URL)\n  fastify.get('/', () => new URL(fastify.config.IN_ROUTE))\n}\n";
        assert_eq!(node_load_time(plugin), [(1, "BASE_URL".to_string())]);
        let handler = "function handler (req, res) {\n  const u = new URL(config.CALLBACK_URL)\n}\n";
        assert!(node_load_time(handler).is_empty(), "a request handler runs when asked");
        let key = "const privateKey = fs.readFileSync(process.env.JWT_KEY_PATH, 'utf8');
const other = fs.readFileSync(process.env.OPTIONAL || 'a.pem');
";
        assert_eq!(node_load_time(key), [(0, "JWT_KEY_PATH".to_string())]);
    }
}
