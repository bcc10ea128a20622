//! SQLite as the database a settings file falls back to: a database URL whose default is an
//! `sqlite:///` file (`os.getenv("DATABASE_URL", prefix + "data.db")` with `prefix =
//! "sqlite:////"`), or Django's `DATABASES` on `django.db.backends.sqlite3` in a settings
//! module production loads, itself or through `from .base import *`.

use super::settings_readiness::runs_in_production;
use crate::analyze::app_files::AppFiles;
use crate::model::Finding;

/// Whether `value` holds an SQLite file's URI: a literal (`"sqlite:///app.db"`) or a name
/// bound to one (`prefix`). `sqlite://` alone and `:memory:` are in-memory databases, a test's.
fn names_an_sqlite_file(value: &str, sqlite_names: &[String]) -> bool {
    let literal = ["\"sqlite:///", "'sqlite:///"]
        .iter()
        .any(|start| value.match_indices(start).any(|(at, _)| !value[at + start.len()..].starts_with(":memory:")));
    let words = value.split(|c: char| !(c.is_alphanumeric() || c == '_'));
    literal || words.into_iter().any(|word| sqlite_names.iter().any(|name| name == word))
}

/// The names a file binds to an SQLite URI's start: `prefix = 'sqlite:////'`.
pub(super) fn sqlite_names(text: &str) -> Vec<String> {
    text.lines()
        .filter_map(|line| {
            let (target, value) = line.split_once('=')?;
            let target = target.trim();
            let value = value.trim_start().trim_start_matches(['f', 'r']);
            let identifier = !target.is_empty() && target.chars().all(|c| c.is_alphanumeric() || c == '_');
            (identifier && names_an_sqlite_file(value, &[])).then(|| target.to_string())
        })
        .collect()
}

/// A database setting that falls back to an SQLite file in the code itself:
/// `DATABASE_URL = f"sqlite:///{here}/app.db"`, or a read whose default is one
/// (`os.getenv("DATABASE_URL", prefix + os.path.join(basedir, "data.db"))`).
pub(super) fn sqlite_fallback(line: &str, sqlite_names: &[String]) -> bool {
    let Some((target, value)) = line.split_once('=') else { return false };
    let target = target.trim().to_ascii_uppercase();
    let names_a_database = ["DATABASE", "_URI", "_URL", "DB"].iter().any(|word| target.contains(word));
    names_a_database && names_an_sqlite_file(value, sqlite_names)
}

/// The statement that starts on `line` (at `path:line`), with the lines it continues on
/// joined: a trailing `\\`, or a bracket still open (`os.getenv('DATABASE_URL',` with its
/// default on the next line). A setting's default is as often on the second line as the first.
pub(super) fn statement_at(files: &AppFiles, at: &str, line: &str) -> String {
    const MAX_LINES: usize = 4;
    let mut statement = line.to_string();
    let Some((path, number)) = at.rsplit_once(':') else { return statement };
    let (Some(text), Ok(number)) = (files.get(path), number.parse::<usize>()) else { return statement };
    let open = |s: &str| {
        let code = s.split('#').next().unwrap_or("");
        code.matches(['(', '[', '{']).count() > code.matches([')', ']', '}']).count() || code.trim_end().ends_with('\\')
    };
    for next in text.lines().skip(number).take(MAX_LINES) {
        if !open(&statement) {
            break;
        }
        statement = format!("{} {}", statement.trim_end().trim_end_matches('\\'), next.trim());
    }
    statement
}

/// `"ENGINE": "django.db.backends.sqlite3"` in a settings module production loads: the
/// production module itself, or a base it imports whole and whose `DATABASES` it keeps.
pub(super) fn django_sqlite(files: &AppFiles, findings: &mut Vec<Finding>) {
    for (path, text) in files.with_extensions(&["py"]) {
        let Some(index) = text.lines().position(|l| l.contains("django.db.backends.sqlite3")) else { continue };
        let at = format!("{path}:{}", index + 1);
        if !text.contains("DATABASES") || crate::analyze::source::is_test_path(path) {
            continue;
        }
        if runs_in_production(&at, files) || super::settings_readiness::kept_by_production(files, path, "DATABASES") {
            findings.push(Finding::blocker(
                "sqlite",
                "keeps data in an SQLite file on local disk unless a database is configured: tasks lose it when they stop; move it to RDS",
                at,
            ));
            return;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_database_setting_that_falls_back_to_an_sqlite_file() {
        let none: &[String] = &[];
        assert!(sqlite_fallback("            DATABASE_URL = f\"sqlite:///{os.path.dirname(__file__)}/ctfd.db\"", none));
        assert!(sqlite_fallback("SQLALCHEMY_DATABASE_URI = 'sqlite:///app.db'", none));
        assert!(sqlite_fallback("DB_URL = os.getenv('DB_URL', 'sqlite:///app.db')", none));
        assert!(!sqlite_fallback("SQLALCHEMY_DATABASE_URI = 'sqlite://'", none), "in memory");
        assert!(!sqlite_fallback("SQLALCHEMY_DATABASE_URI = 'sqlite:///:memory:'", none), "in memory");
        assert!(!sqlite_fallback("EXAMPLE = 'sqlite:///x.db'", none), "not a database setting");
    }

    #[test]
    fn a_default_on_the_lines_a_statement_continues_on() {
        let text = "prefix = 'sqlite:////'\nclass ProductionConfig:\n    DB_URI = os.getenv('DATABASE_URL',\n        prefix + 'data.db')\n    DEV_URI = \\\n        prefix + 'dev.db'\n";
        let files = AppFiles::from_pairs([("settings.py", text)]);
        let names = sqlite_names(text);
        let joined = statement_at(&files, "settings.py:3", "    DB_URI = os.getenv('DATABASE_URL',");
        assert!(sqlite_fallback(&joined, &names), "{joined}");
        let joined = statement_at(&files, "settings.py:5", "    DEV_URI = \\");
        assert!(sqlite_fallback(&joined, &names), "{joined}");
    }

    #[test]
    fn a_default_built_from_a_name_bound_to_an_sqlite_uri() {
        let text = "if WIN:\n    prefix = 'sqlite:///'\nelse:\n    prefix = 'sqlite:////'\nother = 'x'\n";
        let names = sqlite_names(text);
        assert_eq!(names, ["prefix", "prefix"]);
        let line = "    SQLALCHEMY_DATABASE_URI = os.getenv('DATABASE_URL', prefix + os.path.join(basedir, 'data.db'))";
        assert!(sqlite_fallback(line, &names));
        assert!(!sqlite_fallback("    SQLALCHEMY_DATABASE_URI = os.getenv('DATABASE_URL', other)", &names));
    }

    #[test]
    fn django_sqlite_in_a_base_the_production_module_keeps() {
        let base = "ROOT_URLCONF = 'x.urls'\nINSTALLED_APPS = []\nif 'DATABASE_URL' in os.environ:\n    DATABASES = {}\nelse:\n    DATABASES = {\"default\": {\"ENGINE\": \"django.db.backends.sqlite3\"}}\n";
        let production = "from .base import *\nDEBUG = False\n";
        let files =
            AppFiles::from_pairs([("site/settings/base.py", base), ("site/settings/production.py", production)]);
        let mut found = Vec::new();
        django_sqlite(&files, &mut found);
        assert_eq!(found.iter().map(|f| f.source.as_str()).collect::<Vec<_>>(), ["site/settings/base.py:6"]);
        let overriding = "from .base import *\nDATABASES = {'default': dj_database_url.config()}\n";
        let files =
            AppFiles::from_pairs([("site/settings/base.py", base), ("site/settings/production.py", overriding)]);
        let mut found = Vec::new();
        django_sqlite(&files, &mut found);
        assert!(found.is_empty(), "{found:?}");
    }
}
