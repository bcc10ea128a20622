//! The variables Flask reads by itself when the app object is made, though the app's code never
//! names them: `FLASK_DEBUG` turns on the debugger, and before Flask 2.3 `FLASK_ENV=development`
//! did the same. They are said only where the repository sets them (`.flaskenv`, an env file,
//! the Dockerfile or a compose file): that is how the maintainers run the app, and an operator
//! moving it must know the switch exists. Flask's CLI loads `.flaskenv`; a production server
//! (gunicorn) does not, so the value set there is no default of the running app.

use std::sync::LazyLock;

use regex::Regex;

use super::VariableRead;
use crate::analyze::app_files::AppFiles;
use crate::analyze::source::is_test_path;

/// `Flask(__name__)` or `flask.Flask(...)`: where Flask reads its variables.
static APP_OBJECT: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?:^|[^\w.])(?:flask\.)?Flask\(").expect("valid pattern"));
/// A pin of Flask in a requirements file: `flask==1.1.2`, `Flask<2.3`, `flask~=2.0`.
static PIN: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?im)^\s*flask\s*(?:\[[^\]]*\])?\s*(==|~=|<=|<)\s*(\d+)\.(\d+)").expect("valid pattern")
});

/// The files where a repository sets the variables its app runs with.
const SETTING_FILES: [&str; 7] =
    [".flaskenv", ".env", ".env.example", "Dockerfile", "docker-compose.yml", "docker-compose.yaml", "compose.yaml"];

/// Flask's own reads of the variables the repository sets, at the line that makes the app,
/// and the reads of the app's own calls to Flask's helpers.
pub fn reads(files: &AppFiles) -> Vec<VariableRead> {
    let mut found = helper_calls(files);
    found.extend(made_app_reads(files));
    found
}

/// `get_debug_flag()` (and before Flask 2.3 `get_env()`) from `flask.helpers`, called by the
/// app's own code (`CONFIG = DevConfig if get_debug_flag() else ProdConfig`): a read of the
/// variable wherever the repository sets it.
fn helper_calls(files: &AppFiles) -> Vec<VariableRead> {
    let old_flask = reads_flask_env(files);
    let mut found = Vec::new();
    for (path, text) in files.with_extensions(&["py"]).filter(|(path, _)| !is_test_path(path)) {
        if !text.contains("from flask") {
            continue;
        }
        for (index, line) in text.lines().enumerate().filter(|(_, l)| !l.trim_start().starts_with(['#', 'f'])) {
            let at = format!("{path}:{}", index + 1);
            if line.contains("get_debug_flag()") {
                found.push(VariableRead::new("FLASK_DEBUG", at.clone()));
            }
            // Flask 1.x's debug flag falls back to FLASK_ENV=development.
            if old_flask && (line.contains("get_env()") || line.contains("get_debug_flag()")) {
                found.push(VariableRead::new("FLASK_ENV", at));
            }
        }
    }
    found
}

fn made_app_reads(files: &AppFiles) -> Vec<VariableRead> {
    let Some(at) = app_object(files) else { return Vec::new() };
    let mut names = vec!["FLASK_DEBUG"];
    if reads_flask_env(files) {
        names.push("FLASK_ENV");
    }
    names
        .into_iter()
        .filter(|name| set_by_repository(files, name))
        .map(|name| VariableRead::new(name, at.clone()))
        .collect()
}

/// `path:line` of the first `Flask(` call outside the tests.
fn app_object(files: &AppFiles) -> Option<String> {
    let mut sources: Vec<(&str, &str)> =
        files.with_extensions(&["py"]).filter(|(path, text)| !is_test_path(path) && text.contains("Flask(")).collect();
    sources.sort();
    sources.into_iter().find_map(|(path, text)| {
        let line = text.lines().position(|l| !l.trim_start().starts_with('#') && APP_OBJECT.is_match(l))?;
        Some(format!("{path}:{}", line + 1))
    })
}

/// Flask before 2.3 read `FLASK_ENV`; a requirement that pins an older release says so. An
/// unpinned Flask installs a release that no longer reads it.
fn reads_flask_env(files: &AppFiles) -> bool {
    files.files.iter().filter(|(path, _)| path.ends_with(".txt") && path.contains("requirements")).any(|(_, text)| {
        PIN.captures_iter(text).any(|caps| {
            let (major, minor): (u32, u32) = (caps[2].parse().unwrap_or(99), caps[3].parse().unwrap_or(99));
            let below = (major, minor) < (2, 3);
            match &caps[1] {
                "<" => (major, minor) <= (2, 3),
                _ => below,
            }
        })
    })
}

/// Whether a file the repository runs the app with sets `name`.
fn set_by_repository(files: &AppFiles, name: &str) -> bool {
    let assigned = Regex::new(&format!(r"(?m)(?:^|[\s\-:])(?:export\s+|ENV\s+)?{name}\s*[=:]")).expect("valid pattern");
    SETTING_FILES.iter().filter_map(|file| files.get(file)).any(|text| assigned.is_match(text))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        reads(&AppFiles::from_pairs(pairs.iter().copied())).into_iter().map(|r| (r.name, r.source)).collect()
    }

    #[test]
    fn an_old_flask_reads_the_environment_the_flaskenv_sets() {
        let app = [
            ("app/__init__.py", "from flask import Flask\n\napp = Flask(__name__)\n"),
            ("requirements.txt", "click==7.1.1\nflask==1.1.2\n"),
            (".flaskenv", "FLASK_APP=app\nFLASK_ENV=development\n"),
        ];
        assert_eq!(names(&app), [("FLASK_ENV".to_string(), "app/__init__.py:3".to_string())]);
    }

    #[test]
    fn a_current_flask_reads_only_the_debug_switch() {
        let app = [
            ("app.py", "import flask\napp = flask.Flask(__name__)\n"),
            ("requirements.txt", "flask\n"),
            (".env", "FLASK_ENV=production\nFLASK_DEBUG=0\n"),
        ];
        assert_eq!(names(&app), [("FLASK_DEBUG".to_string(), "app.py:2".to_string())]);
    }

    #[test]
    fn the_apps_own_call_of_the_debug_helper() {
        let app = [
            (
                "autoapp.py",
                "from flask.helpers import get_debug_flag\n\nCONFIG = DevConfig if get_debug_flag() else ProdConfig\n",
            ),
            ("requirements/prod.txt", "Flask==1.0.2\n"),
        ];
        let expected = [("FLASK_DEBUG", "autoapp.py:3"), ("FLASK_ENV", "autoapp.py:3")];
        assert_eq!(names(&app), expected.map(|(n, s)| (n.to_string(), s.to_string())));
        let current = [("autoapp.py", app[0].1), ("requirements.txt", "flask\n")];
        assert_eq!(names(&current), [("FLASK_DEBUG".to_string(), "autoapp.py:3".to_string())]);
    }

    #[test]
    fn nothing_is_said_when_the_repository_sets_neither_or_has_no_flask_app() {
        assert!(names(&[("app.py", "app = Flask(__name__)\n"), ("requirements.txt", "flask==1.0\n")]).is_empty());
        assert!(names(&[("main.py", "app = FastAPI()\n"), (".flaskenv", "FLASK_DEBUG=1\n")]).is_empty());
    }
}
