//! Python settings modules loaded only for a named mode: `elif ENV_TYPE == "prod":` then
//! `from .server_settings import *`. What such a module reads with `os.environ["X"]` raises
//! only when the operator selects that mode; with the variable that selects it unset, the
//! branch does not run, the module is never imported, and the app starts. So those reads are
//! not required of the running app.
//!
//! Only a branch that compares against a literal (`== "prod"`, `in ("prod", "staging")`)
//! counts: a bare `if not DEBUG:` or an `else:` is often the path taken with nothing set,
//! and there the module's reads stay required.

use std::sync::LazyLock;

use regex::Regex;

use super::VariableRead;

/// `if X == "prod":` / `elif mode in ("a", "b"):` — a branch that names the mode it is for.
static MODE_BRANCH: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"^\s*(?:if|elif)\s+.*(?:==\s*['"][^'"]*['"]|\bin\s*[(\[{]\s*['"])[^#]*:\s*(?:#.*)?$"#)
        .expect("valid pattern")
});

/// Reads in a module every import of which sits in a named-mode branch are not required.
pub fn relax(sources: &[(&str, &str)], reads: &mut [VariableRead]) {
    let conditional: Vec<&str> =
        sources.iter().map(|(path, _)| *path).filter(|path| only_in_mode_branches(path, sources)).collect();
    for read in reads.iter_mut() {
        let file = read.source.rsplit_once(':').map_or(read.source.as_str(), |(path, _)| path);
        if conditional.contains(&file) {
            read.required = false;
        }
    }
}

/// Whether the module at `path` is imported somewhere, and only inside named-mode branches;
/// a dotted name in a string (`DJANGO_SETTINGS_MODULE = "crm.server_settings"`) may load it
/// directly, so any such mention keeps it unconditional.
fn only_in_mode_branches(path: &str, sources: &[(&str, &str)]) -> bool {
    let stem = path.rsplit('/').next().unwrap_or(path).trim_end_matches(".py");
    if stem == "__init__" || stem.is_empty() {
        return false;
    }
    let stem = regex::escape(stem);
    let import = Regex::new(&format!(
        r#"^\s*(?:from\s+[\w.]*\b{stem}\s+import\b|from\s+[\w.]+\s+import\s+(?:\(?\s*)[\w\s,]*\b{stem}\b|import\s+[\w.]*\b{stem}\b)"#
    ))
    .expect("valid pattern");
    // Dotted, so the mode's own name (`== "hosted"` for `hosted.py`) is no mention.
    let named = Regex::new(&format!(r#"['"](?:\w+\.)+{stem}['"]"#)).expect("valid pattern");
    let mut imported = false;
    for (_, text) in sources.iter().filter(|(other, _)| *other != path) {
        let lines: Vec<&str> = text.lines().collect();
        for (index, line) in lines.iter().enumerate() {
            if line.trim_start().starts_with('#') {
                continue;
            }
            if named.is_match(line) && !import.is_match(line) {
                return false;
            }
            if import.is_match(line) {
                if !in_mode_branch(&lines, index) {
                    return false;
                }
                imported = true;
            }
        }
    }
    imported
}

/// Whether line `index` sits directly in an `if`/`elif` branch that names a mode: the nearest
/// less indented line above it is that header.
fn in_mode_branch(lines: &[&str], index: usize) -> bool {
    let indent = indentation(lines[index]);
    if indent == 0 {
        return false;
    }
    let header = lines[..index]
        .iter()
        .rev()
        .find(|line| !line.trim().is_empty() && !line.trim_start().starts_with('#') && indentation(line) < indent);
    header.is_some_and(|line| MODE_BRANCH.is_match(line))
}

fn indentation(line: &str) -> usize {
    line.len() - line.trim_start().len()
}

#[cfg(test)]
mod tests {
    use super::*;

    const SETTINGS: &str = "import os\nMODE = os.environ.get('MODE', 'dev')\nif MODE == 'dev':\n    MEDIA = 'media'\nelif MODE == 'prod':\n    from .prod_settings import *  # noqa\n";
    const PROD: &str = "import os\nBUCKET = os.environ['BUCKET']\n";

    fn relaxed(sources: &[(&str, &str)]) -> bool {
        let mut reads = [VariableRead::new("BUCKET", "site/prod_settings.py:2").required(true)];
        relax(sources, &mut reads);
        !reads[0].required
    }

    #[test]
    fn a_module_imported_only_for_a_named_mode_is_not_required() {
        assert!(relaxed(&[("site/settings.py", SETTINGS), ("site/prod_settings.py", PROD)]));
    }

    #[test]
    fn an_else_branch_or_a_top_level_import_keeps_it_required() {
        let other = "if DEBUG:\n    pass\nelse:\n    from .prod_settings import *\n";
        assert!(!relaxed(&[("site/settings.py", other), ("site/prod_settings.py", PROD)]));
        let top = "from .prod_settings import *\n";
        assert!(!relaxed(&[("site/settings.py", top), ("site/prod_settings.py", PROD)]));
    }

    #[test]
    fn a_module_named_as_the_settings_module_keeps_it_required() {
        let wsgi = "os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'site.prod_settings')\n";
        assert!(!relaxed(&[("site/settings.py", SETTINGS), ("site/wsgi.py", wsgi), ("site/prod_settings.py", PROD)]));
    }
}
