//! A Python settings module's constant that only tooling uses: `BASE_URL = os.environ.get(...)`
//! in `config.py`, imported by the evaluation harness and the tests but by no module the server
//! runs. Its read is the tooling's, so the variable is no setting of the service.

use std::sync::LazyLock;

use regex::Regex;

use super::VariableRead;
use super::scope;
use crate::model::VariableScope;

/// `NAME = ...` at a module's top.
static ASSIGNED: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^([A-Za-z_][A-Za-z0-9_]*)\s*(?::[^=]+)?=[^=]").expect("valid pattern"));

/// Marks as tooling each read assigned to a module constant that some other module uses and
/// only tooling modules do (`sources` hold no tests).
pub fn mark(sources: &[(&str, &str)], reads: &mut [VariableRead]) {
    for read in reads.iter_mut().filter(|r| !r.tooling) {
        let Some((path, line)) = read.source.rsplit_once(':') else { continue };
        let Some(text) = sources.iter().find(|(p, _)| *p == path).map(|(_, t)| *t) else { continue };
        if framework_settings(path, text) {
            continue;
        }
        let Some(index) = line.parse::<usize>().ok().and_then(|l| l.checked_sub(1)) else { continue };
        let Some((constant, statement)) = constant_at(text, index) else { continue };
        if used_only_by_tooling(sources, path, text, &constant, statement) {
            read.tooling = true;
        }
    }
}

/// A settings module the framework loads by name (Django's `DJANGO_SETTINGS_MODULE`, a
/// `settings/` package): the framework reads its constants through `settings.X`, never by
/// importing them, so who imports them says nothing.
fn framework_settings(path: &str, text: &str) -> bool {
    let name = path.rsplit('/').next().unwrap_or(path);
    name.starts_with("settings") || path.contains("settings/") || text.contains("INSTALLED_APPS")
}

/// The module constant the statement holding line `index` assigns, and that statement's
/// first line: the nearest line above at column 0.
fn constant_at(text: &str, index: usize) -> Option<(String, usize)> {
    let lines: Vec<&str> = text.lines().collect();
    let start = (0..=index.min(lines.len().checked_sub(1)?)).rev().find(|&at| {
        let line = lines[at];
        !line.trim().is_empty() && !line.starts_with(char::is_whitespace) && !line.starts_with(')')
    })?;
    let name = ASSIGNED.captures(lines[start])?[1].to_string();
    Some((name, start))
}

/// Whether `constant` is used outside its own statement, and only by tooling modules.
fn used_only_by_tooling(sources: &[(&str, &str)], path: &str, text: &str, constant: &str, statement: usize) -> bool {
    let Ok(word) = Regex::new(&format!(r"\b{}\b", regex::escape(constant))) else { return false };
    // Its own module uses it after the statement (whose continuation lines are indented or
    // close a bracket at column 0).
    let lines: Vec<&str> = text.lines().collect();
    let end = (statement + 1..lines.len())
        .find(|&at| {
            let line = lines[at];
            !line.trim().is_empty() && !line.starts_with(char::is_whitespace) && !line.starts_with(')')
        })
        .unwrap_or(lines.len());
    let own_use = lines[end..].iter().any(|line| !line.trim_start().starts_with('#') && word.is_match(line));
    if own_use && scope::of(path) == VariableScope::Runtime {
        return false;
    }
    let users: Vec<&str> = sources.iter().filter(|(p, t)| *p != path && word.is_match(t)).map(|(p, _)| *p).collect();
    !users.is_empty() && users.iter().all(|p| scope::of(p) == VariableScope::Tooling)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_constant_only_the_harness_imports() {
        let config = "import os\nASSET_URL = os.environ.get(\"ASSET_URL\", \"http://127.0.0.1:7001\")\nDATA_DIR = os.environ.get(\n    \"DATA_DIR\", \"/tmp\"\n)\n";
        let harness = "from config import ASSET_URL\nprint(ASSET_URL)\n";
        let server = "from config import DATA_DIR\nprint(DATA_DIR)\n";
        let sources = [("config.py", config), ("evals/run.py", harness), ("main.py", server)];
        let mut reads =
            vec![VariableRead::new("ASSET_URL", "config.py:2"), VariableRead::new("DATA_DIR", "config.py:4")];
        mark(&sources, &mut reads);
        assert!(reads[0].tooling);
        assert!(!reads[1].tooling, "the server uses it");
        let unused = [("config.py", config)];
        let mut reads = vec![VariableRead::new("ASSET_URL", "config.py:2")];
        mark(&unused, &mut reads);
        assert!(!reads[0].tooling, "no user says nothing");
    }

    #[test]
    fn a_django_settings_constant_is_read_by_the_framework() {
        let base = "import os\nSECRET_KEY = os.environ.get(\"SECRET_KEY\") or None\nINSTALLED_APPS = []\n";
        let development = "from .base import *\nSECRET_KEY = os.environ.get(\"SECRET_KEY\", \"dev\")\n";
        let sources = [("site/settings/base.py", base), ("site/settings/development.py", development)];
        let mut reads = vec![VariableRead::new("SECRET_KEY", "site/settings/base.py:2")];
        mark(&sources, &mut reads);
        assert!(!reads[0].tooling, "Django reads it as settings.SECRET_KEY");
    }
}
