//! Settings that break a Python web app behind a load balancer: Django hosts fixed in code,
//! a settings module that defaults to development, sessions kept on the task's disk, and
//! logs written to files.

use super::EXTENSIONS;
use crate::analyze::app_files::AppFiles;
use crate::analyze::readiness;
use crate::analyze::source::code_lines;
use crate::model::Finding;

/// A Django settings module: the file that names the project's URL configuration.
fn is_django_settings(files: &AppFiles, at: &str) -> bool {
    let path = at.rsplit_once(':').map_or(at, |(path, _)| path);
    files.get(path).is_some_and(|text| text.contains("ROOT_URLCONF") && text.contains("INSTALLED_APPS"))
}

/// A Django setting written as a literal in production settings, no environment read in
/// sight: `SECRET_KEY = "django-insecure-..."` signs every session with a key anyone with the
/// code has; `DEBUG = True` shows stack traces and settings to every visitor.
fn committed_setting(statement: &str, at: &str) -> Option<Finding> {
    let (name, value) = statement.split_once('=')?;
    let (name, value) = (name.trim(), value.trim());
    let literal = value.starts_with(['"', '\'']) && !value.contains("environ") && !value.contains("getenv");
    match name {
        "SECRET_KEY" if literal => Some(
            Finding::blocker(
                "secret-default",
                "SECRET_KEY is written in the settings: anyone with the code can forge sessions and signed values",
                at,
            )
            .with_fix("read SECRET_KEY from the environment (os.environ[\"SECRET_KEY\"]) and give it as a secret with --secret"),
        ),
        "DEBUG" if value == "True" => Some(
            Finding::blocker(
                "debug-default",
                "DEBUG = True in the settings: the app shows stack traces and settings to anyone",
                at,
            )
            .with_fix("read DEBUG from the environment, off unless set (os.environ.get(\"DEBUG\") == \"1\")"),
        ),
        "DEBUG" => debug_unless_set(value).map(|name| {
            Finding::blocker(
                "debug-default",
                format!("DEBUG is on unless {name} turns it off: started without it, the app shows stack traces and settings to anyone"),
                at,
            )
            .with_fix(format!("set {name} on the service so that DEBUG is off, or make DEBUG off unless set"))
        }),
        _ => None,
    }
}

/// The variable whose absence leaves DEBUG on: `os.getenv("DJANGO_DEBUG") != "FALSE"` (unset is
/// not "FALSE"), or `os.environ.get("DEBUG", "True") == "True"` (unset takes the default).
fn debug_unless_set(value: &str) -> Option<String> {
    let (read, compared) = value
        .split_once("!=")
        .map(|(r, c)| (r, (c, true)))
        .or_else(|| value.split_once("==").map(|(r, c)| (r, (c, false))))?;
    let read = read.trim();
    let call = ["os.getenv(", "os.environ.get("].iter().find_map(|f| read.strip_prefix(f))?.strip_suffix(')')?;
    let mut arguments = call.split(',').map(|a| a.trim().trim_matches(['"', '\'']));
    let name =
        arguments.next().filter(|n| !n.is_empty() && n.chars().all(|c| c.is_ascii_alphanumeric() || c == '_'))?;
    let default = arguments.next();
    let (literal, unequal) = compared;
    let literal = literal.trim().trim_matches(['"', '\'']);
    let on = match (default, unequal) {
        // Unset reads None, which is never the literal: `!=` holds.
        (None, true) => true,
        (Some(default), true) => default != literal,
        (Some(default), false) => default == literal,
        (None, false) => false,
    };
    on.then(|| name.to_string())
}

/// Settings modules named for somewhere other than production, and examples of one
/// (`production.example.py`) that nothing imports.
const NOT_PRODUCTION: [&str; 10] =
    ["local", "dev", "development", "test", "testing", "pytest", "tests", "debug", "example", "sample"];

pub(super) fn findings(files: &AppFiles, findings: &mut Vec<Finding>) {
    for (at, line) in code_lines(files, &EXTENSIONS) {
        let code = line.split('#').next().unwrap_or("");
        let trimmed = code.trim_start();
        if let Some(value) = assigned(trimmed, "ALLOWED_HOSTS")
            && !line.starts_with(' ')
            && (runs_in_production(&at, files) || kept_by_production(files, at_path(&at), "ALLOWED_HOSTS"))
            && let Some(finding) = fixed_hosts(&whole_list(files, &at, value.trim()), &at)
        {
            findings.push(finding);
        }
        if let Some(value) = assigned(trimmed, "SECURE_SSL_REDIRECT")
            && !line.starts_with(' ')
            && redirects_by_default(value)
            && runs_in_production(&at, files)
            && !exempts_a_path(files, &at)
        {
            // `not DEBUG` redirects exactly when the server runs as it should in production.
            let when = if follows_debug_off(value) { "whenever DEBUG is off" } else { "by default" };
            findings.push(
                Finding::warning(
                    "health-check-redirect",
                    format!("SECURE_SSL_REDIRECT is on {when}: the load balancer's plain-HTTP health checks get a 301, not a 200"),
                    at.clone(),
                )
                .with_fix("exempt the health path with SECURE_REDIRECT_EXEMPT, or set SECURE_SSL_REDIRECT=False behind the HTTPS load balancer with SECURE_PROXY_SSL_HEADER"),
            );
        }
        findings.extend(development_settings_module(files, &at, code));
        // The committed literal first: the other questions read whole files, and asking them of
        // every line made a large settings package's analysis quadratic.
        if !line.starts_with(' ')
            && let Some(committed) = committed_setting(trimmed, &at)
            && is_django_settings(files, &at)
            && runs_in_production(&at, files)
            && !super::settings_overrides::read_from_env_by_importer(files, &at, trimmed)
        {
            findings.push(committed);
        }
        let filesystem =
            |key: &str| trimmed.starts_with(key) && (code.contains("\"filesystem\"") || code.contains("'filesystem'"));
        // A test or development configuration's sessions are not the service's.
        if filesystem("SESSION_TYPE") && runs_in_production(&at, files) && !tooling(&at) {
            findings.push(readiness::in_memory_sessions("Flask-Session on the local file system", at.clone()));
        }
        if code.contains("from_prefixed_env(") {
            findings.push(
                Finding::info(
                    "prefixed-env",
                    "Flask reads every FLASK_* variable into its config (from_prefixed_env): those the service sets reach the app",
                    at.clone(),
                )
                .with_fix("set the app's FLASK_* settings on the service; secrets among them with --secret"),
            );
        }
        if ["FileHandler(", "RotatingFileHandler(", "TimedRotatingFileHandler("].iter().any(|h| code.contains(h))
            && !code.contains("StreamHandler")
            && !only_when_configured(files, &at, code)
        {
            findings.push(readiness::log_file(at.clone()));
        }
    }
}

/// A server entry (`wsgi.py`, `asgi.py`) whose `setdefault("DJANGO_SETTINGS_MODULE", ...)`
/// names development settings: the server loads them unless the service says otherwise.
fn development_settings_module(files: &AppFiles, at: &str, code: &str) -> Option<Finding> {
    let server_entry = code.contains("wsgi") || at.contains("wsgi.py") || at.contains("asgi.py");
    // manage.py runs commands on a developer's machine, not the server.
    let command_line = at.split(':').next().unwrap_or("").ends_with("manage.py");
    if !server_entry || command_line || !code.contains("setdefault(") || !code.contains("DJANGO_SETTINGS_MODULE") {
        return None;
    }
    let module = code.split(['"', '\'']).nth(3)?;
    (!is_production(module, files)).then(|| {
        Finding::blocker(
            "settings-module",
            format!(
                "the server loads {module} unless DJANGO_SETTINGS_MODULE is set: development settings in production"
            ),
            at,
        )
        .with_fix("set DJANGO_SETTINGS_MODULE to the production settings module on the service")
    })
}

/// `if conf.get("log-file"):` then `FileHandler(conf.get("log-file"))`: the file is written
/// only when an operator names one, and nothing is unless they do.
fn only_when_configured(files: &AppFiles, at: &str, code: &str) -> bool {
    let Some((path, number)) = at.rsplit_once(':') else { return false };
    let (Some(text), Ok(number)) = (files.get(path), number.parse::<usize>()) else { return false };
    let lines: Vec<&str> = text.lines().take(number.saturating_sub(1)).collect();
    let Some(condition) = lines
        .iter()
        .rev()
        .map(|line| line.trim())
        .find(|line| !line.is_empty() && !line.starts_with('#'))
        .and_then(|line| line.strip_prefix("if ")?.strip_suffix(':'))
    else {
        return false;
    };
    let condition = condition.trim();
    let argument = code.split_once("Handler(").map_or("", |(_, rest)| rest);
    !condition.starts_with("not ") && condition.len() > 2 && argument.starts_with(condition)
}

fn tooling(at: &str) -> bool {
    crate::analyze::variables::scope_of(at) == crate::model::VariableScope::Tooling
}

/// Whether the settings file at `at` is one production loads: not a development module
/// (`local.py`), and not a shared base whose values a production module beside it overrides.
pub(super) fn runs_in_production(at: &str, files: &AppFiles) -> bool {
    let path = at.split(':').next().unwrap_or(at);
    let module = path.trim_end_matches(".py").replace('/', ".");
    // A settings package (`settings/pytest/__init__.py`) is named by its folder; a base
    // package beside its production module is still judged by what sits in it.
    let package = module.strip_suffix(".__init__");
    package.is_none_or(|package| is_production(package, files)) && is_production(&module, files)
}

/// Whether a production module beside `path` takes `setting` from it: it star-imports the
/// module (`from .common import *`, `from app.settings.common import *`) and never sets or
/// changes the setting itself.
pub(super) fn kept_by_production(files: &AppFiles, path: &str, setting: &str) -> bool {
    let (folder, name) = path.rsplit_once('/').unwrap_or(("", path));
    let stem = name.trim_end_matches(".py");
    let relative = format!("from .{stem} import *");
    let absolute = format!("from {}.{stem} import *", folder.replace('/', "."));
    files.with_extensions(&["py"]).any(|(other, text)| {
        let beside = other.rsplit_once('/').map_or("", |(f, _)| f) == folder && other != path;
        beside
            && (text.contains(&relative) || text.contains(&absolute))
            && runs_in_production(&format!("{other}:1"), files)
            && !text.lines().any(|line| {
                // `DATABASES["default"]["HOST"] = ...` changes the setting too.
                line.strip_prefix(setting)
                    .is_some_and(|rest| !rest.starts_with(|c: char| c.is_alphanumeric() || c == '_'))
            })
    })
}

fn at_path(at: &str) -> &str {
    at.rsplit_once(':').map_or(at, |(path, _)| path)
}

/// Whether a settings module is the one production runs: not named for development, and not
/// a shared base beside a production module (`config.django.base` next to `production.py`).
fn is_production(module: &str, files: &AppFiles) -> bool {
    let (package, last) = module.rsplit_once('.').unwrap_or(("", module));
    let named_elsewhere = NOT_PRODUCTION.contains(&last)
        || ["local", "dev_", "test"].iter().any(|p| last.starts_with(p))
        || ["_dev", "_local", "_test", "_ci"].iter().any(|s| last.ends_with(s))
        || last == "ci";
    if named_elsewhere {
        return false;
    }
    let folder = package.replace('.', "/");
    let beside = |name: &str| files.has(&format!("{folder}/{name}.py"));
    let production_elsewhere = !matches!(last, "production" | "prod") && (beside("production") || beside("prod"));
    !production_elsewhere
}

/// `True`, or a read whose default is true (`env.bool("X", default=True)`,
/// `os.environ.get("X", "True").lower() == "true"`).
fn redirects_by_default(value: &str) -> bool {
    let value = value.trim();
    let compact = value.replace(' ', "");
    value == "True"
        || follows_debug_off(value)
        || compact.contains("default=True")
        || ["\"True\")", "'True')", "\"true\")", "'true')", "\"1\")", "'1')"].iter().any(|d| compact.contains(d))
}

/// `SECURE_SSL_REDIRECT = not DEBUG`: on in every production run, where DEBUG is off.
fn follows_debug_off(value: &str) -> bool {
    value.split_whitespace().collect::<Vec<_>>() == ["not", "DEBUG"]
}

/// Whether the settings file at `at` lets some paths through (`SECURE_REDIRECT_EXEMPT`).
fn exempts_a_path(files: &AppFiles, at: &str) -> bool {
    let path = at.split(':').next().unwrap_or(at);
    files.get(path).is_some_and(|text| text.contains("SECURE_REDIRECT_EXEMPT"))
}

/// A list that opens on the line at `at` and closes lines below, whole on one line.
fn whole_list(files: &AppFiles, at: &str, value: &str) -> String {
    if !value.starts_with('[') || value.contains(']') {
        return value.to_string();
    }
    let (path, line) = at.rsplit_once(':').unwrap_or((at, "0"));
    let Some(text) = files.get(path) else { return value.to_string() };
    let start = line.parse::<usize>().unwrap_or(0);
    let mut whole = value.to_string();
    for next in text.lines().skip(start).take(40) {
        whole.push(' ');
        whole.push_str(next.split('#').next().unwrap_or("").trim());
        if next.contains(']') {
            break;
        }
    }
    whole
}

/// What a statement assigns to the setting `name`: `NAME = value`, or with a type annotation,
/// `ALLOWED_HOSTS: list[str] = env.list(...)`.
fn assigned<'a>(statement: &'a str, name: &str) -> Option<&'a str> {
    let rest = statement.strip_prefix(name)?.trim_start();
    let rest = match rest.strip_prefix(':') {
        Some(annotated) => annotated.split_once('=').map(|(_, value)| value).filter(|_| !annotated.starts_with('='))?,
        None => rest.strip_prefix('=').filter(|value| !value.starts_with('='))?,
    };
    Some(rest)
}

/// `ALLOWED_HOSTS = ["example.com"]` or `[]`: every host but these gets a 400, the load
/// balancer's health check and the service's own domain included. A list read from the
/// environment, or `*`, is fine.
fn fixed_hosts(value: &str, at: &str) -> Option<Finding> {
    // `extract_comma_list('ALLOWED_HOSTS', '')`: the project's own helper, named with the
    // variable it reads, with an empty default or none.
    let compact = value.replace(' ', "");
    let wrapped = ["'ALLOWED_HOSTS'", "\"ALLOWED_HOSTS\""].iter().find_map(|name| {
        let (call, rest) = compact.split_once(&format!("({name}"))?;
        let helper = !call.is_empty() && call.chars().all(|c| c.is_alphanumeric() || c == '_' || c == '.');
        // django-environ's bare `env("ALLOWED_HOSTS")` raises when unset (the required
        // variable says so) or returns its scheme's default: never an empty list.
        let environ_reader = call == "env" || call.starts_with("env.");
        helper.then_some(matches!(rest, ",'')" | ",\"\")" | ",[])" | ",None)") || rest == ")" && !environ_reader)
    });
    let reads_environment =
        wrapped.is_some() || ["env", "getenv", "environ", "config("].iter().any(|m| value.contains(m));
    // `os.environ.get("DJANGO_ALLOWED_HOSTS", "").split(" ")`: unset, the list holds only "".
    let empty_get = (compact.contains(".get(") || compact.contains("getenv("))
        && (compact.contains(",\"\")") || compact.contains(",'')"))
        && !value.contains(" or ");
    let empty_default = wrapped == Some(true)
        || empty_get
        || ["default=[]", "default=\"\"", "default=''", "default=()"].iter().any(|d| compact.contains(d));
    if reads_environment && empty_default {
        return Some(
            Finding::blocker(
                "hard-coded-hosts",
                "ALLOWED_HOSTS is empty unless set: Django answers 400 to every request, health checks included",
                at,
            )
            .with_fix(
                "set ALLOWED_HOSTS on the service to the service's domain (and the tasks' addresses for health checks)",
            ),
        );
    }
    if reads_environment || !value.starts_with('[') || value.contains("\"*\"") || value.contains("'*'") {
        return None;
    }
    Some(
        Finding::blocker(
            "hard-coded-hosts",
            format!("ALLOWED_HOSTS is fixed in code ({value}): Django answers 400 to the service's domain and to health checks"),
            at,
        )
        .with_fix("read ALLOWED_HOSTS from the environment and set it to the service's domain"),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_on_unless_a_variable_turns_it_off() {
        assert_eq!(debug_unless_set(r#"os.getenv("DJANGO_DEBUG") != "FALSE""#).as_deref(), Some("DJANGO_DEBUG"));
        assert_eq!(debug_unless_set(r#"os.environ.get('DEBUG', 'True') == 'True'"#).as_deref(), Some("DEBUG"));
        assert_eq!(debug_unless_set(r#"os.environ.get("DEBUG") == "1""#), None);
        assert_eq!(debug_unless_set(r#"os.getenv("DEBUG", "False") == "True""#), None);
        assert_eq!(debug_unless_set(r#"os.getenv("DEBUG", "false").lower() == "true""#), None);
    }

    #[test]
    fn an_ssl_redirect_on_by_default_answers_health_checks_with_301() {
        let redirect = |line: &str| {
            let files = AppFiles::from_pairs([("config/production.py", line)]);
            let mut found = Vec::new();
            findings(&files, &mut found);
            found.iter().any(|f| f.kind == "health-check-redirect")
        };
        assert!(redirect("SECURE_SSL_REDIRECT = env.bool(\"SECURE_SSL_REDIRECT\", default=True)\n"));
        assert!(redirect(
            "SECURE_SSL_REDIRECT = os.environ.get(\"SECURE_SSL_REDIRECT\", \"True\").lower() == \"true\"\n"
        ));
        assert!(redirect("SECURE_SSL_REDIRECT = not DEBUG\n"));
        assert!(!redirect("SECURE_SSL_REDIRECT = not DEBUG_TOOLBAR\n"));
        assert!(!redirect("SECURE_SSL_REDIRECT = env.bool(\"SECURE_SSL_REDIRECT\", default=False)\n"));
        assert!(!redirect("SECURE_SSL_REDIRECT = True\nSECURE_REDIRECT_EXEMPT = [r\"^healthz/$\"]\n"));
    }

    #[test]
    fn hosts_read_through_the_projects_own_helper() {
        let judged = |line: &str| fixed_hosts(line, "recipes/settings.py:125").map(|f| f.message);
        assert!(judged("extract_comma_list('ALLOWED_HOSTS', '')").is_some_and(|m| m.contains("empty unless set")));
        assert!(judged("extract_comma_list(\"ALLOWED_HOSTS\")").is_some());
        assert_eq!(
            assigned("ALLOWED_HOSTS: list[str] = env.list(\"H\", default=[])", "ALLOWED_HOSTS"),
            Some(" env.list(\"H\", default=[])")
        );
        assert_eq!(assigned("ALLOWED_HOSTS == x", "ALLOWED_HOSTS"), None);
        assert_eq!(assigned("ALLOWED_HOSTS_EXTRA = []", "ALLOWED_HOSTS"), None);
        assert_eq!(judged("extract_comma_list('ALLOWED_HOSTS', '*')"), None);
        let split = "os.environ.get(\"DJANGO_ALLOWED_HOSTS\", \"\").split(\" \")";
        assert!(judged(split).is_some_and(|m| m.contains("empty unless set")));
        assert_eq!(judged("os.getenv('HOSTS', '').split(',') or ['*']"), None);
        assert_eq!(judged("os.getenv('HOSTS', 'localhost').split(',')"), None);
    }

    #[test]
    fn django_and_flask_settings() {
        let files = AppFiles::from_pairs([
            ("config/django/production.py", "from .base import *\nALLOWED_HOSTS = [\"example.com\"]\n"),
            // A base that production overrides, and a development module: neither is judged.
            ("config/django/base.py", "ALLOWED_HOSTS = env.list('ALLOWED_HOSTS', default=[])\n"),
            ("config/django/local.py", "ALLOWED_HOSTS = [\"localhost\"]\n"),
            // manage.py anywhere runs commands, not the server.
            ("backend/manage.py", "os.environ.setdefault(\"DJANGO_SETTINGS_MODULE\", \"config.django.local\")\n"),
            ("config/wsgi.py", "os.environ.setdefault(\"DJANGO_SETTINGS_MODULE\", \"config.django.local\")\n"),
            ("app/__init__.py", "app = Flask(__name__)\napp.config.from_prefixed_env()\n"),
            ("app/config.py", "SESSION_TYPE = \"filesystem\"\nhandler = RotatingFileHandler('logs/app.log')\n"),
            ("configs/test.py", "SESSION_TYPE = 'filesystem'\n"),
            // The test runner's settings package, not the service's.
            ("core/settings/pytest/__init__.py", "ALLOWED_HOSTS = []\n"),
        ]);
        let mut found = Vec::new();
        findings(&files, &mut found);
        let kinds: Vec<(&str, &str)> = found.iter().map(|f| (f.kind.as_str(), f.source.as_str())).collect();
        assert_eq!(
            kinds,
            [
                ("prefixed-env", "app/__init__.py:2"),
                ("in-memory-sessions", "app/config.py:1"),
                ("log-files", "app/config.py:2"),
                ("hard-coded-hosts", "config/django/production.py:2"),
                ("settings-module", "config/wsgi.py:1"),
            ]
        );
    }
}
