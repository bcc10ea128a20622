//! Python settings modules loaded only for a named mode: `elif ENV_TYPE == "prod":` then
//! `from .server_settings import *`. What such a module reads with `os.environ["X"]` raises
//! only when the operator selects that mode; with the variable that selects it unset, the
//! branch does not run, the module is never imported, and the app starts. So those reads are
//! not required of the running app.
//!
//! Only a branch that compares against a literal (`== "prod"`, `in ("prod", "staging")`)
//! counts: a bare `if not DEBUG:` or an `else:` is often the path taken with nothing set,
//! and there the module's reads stay required.

use std::collections::HashMap;
use std::sync::LazyLock;

use regex::Regex;

use super::VariableRead;

/// `if X == "prod":` / `elif mode in ("a", "b"):` — a branch that names the mode it is for.
static MODE_BRANCH: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"^\s*(?:if|elif)\s+.*(?:==\s*['"][^'"]*['"]|\bin\s*[(\[{]\s*['"])[^#]*:\s*(?:#.*)?$"#)
        .expect("valid pattern")
});
/// `from a.b import c, d` (the module, then the names up to what is not a plain name list).
static FROM_IMPORT: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r#"^\s*from\s+([\w.]+)\s+import\s+\(?\s*([\w\s,]*)"#).expect("valid pattern"));
/// `import a.b.c` (the first module named).
static PLAIN_IMPORT: LazyLock<Regex> = LazyLock::new(|| Regex::new(r#"^\s*import\s+([\w.]+)"#).expect("valid pattern"));
/// A dotted module name in a string (`"crm.server_settings"`): its last part may be loaded by name.
static DOTTED_NAME: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r#"['"](?:\w+\.)+(\w+)['"]"#).expect("valid pattern"));

/// Reads in a module every import of which sits in a named-mode branch are not required.
pub fn relax(sources: &[(&str, &str)], reads: &mut [VariableRead]) {
    let mentions = mentions(sources);
    let conditional: Vec<&str> =
        sources.iter().map(|(path, _)| *path).filter(|path| only_in_mode_branches(path, &mentions)).collect();
    for read in reads.iter_mut() {
        let file = read.source.rsplit_once(':').map_or(read.source.as_str(), |(path, _)| path);
        if conditional.contains(&file) {
            read.required = false;
        }
    }
}

/// One place a module's name appears: in which file, and whether it is an import inside a
/// named-mode branch (`true`) or anything that may load it regardless (`false`).
struct Mention<'a> {
    file: &'a str,
    in_mode_branch: bool,
}

/// Every module name the sources import or name in a dotted string, read in one pass: asking
/// each module's question of every line of every file made a large app's analysis quadratic.
fn mentions<'a>(sources: &[(&'a str, &'a str)]) -> HashMap<&'a str, Vec<Mention<'a>>> {
    let mut found: HashMap<&str, Vec<Mention>> = HashMap::new();
    for (file, text) in sources {
        let lines: Vec<&str> = text.lines().collect();
        for (index, line) in lines.iter().enumerate() {
            if line.trim_start().starts_with('#') || !(line.contains("import") || line.contains('.')) {
                continue;
            }
            let imported = imported_names(line);
            let in_mode_branch = !imported.is_empty() && in_mode_branch(&lines, index);
            for name in &imported {
                found.entry(name).or_default().push(Mention { file, in_mode_branch });
            }
            // A dotted name on a line that does not import it may load it directly
            // (`DJANGO_SETTINGS_MODULE = "crm.server_settings"`).
            for named in DOTTED_NAME.captures_iter(line).filter_map(|c| c.get(1)) {
                if !imported.contains(&named.as_str()) {
                    found.entry(named.as_str()).or_default().push(Mention { file, in_mode_branch: false });
                }
            }
        }
    }
    found
}

/// The module names an import line may load: the last part of `from a.b import`, the names it
/// imports (`from . import prod_settings`), and every part of `import a.b`.
fn imported_names(line: &str) -> Vec<&str> {
    if let Some(from) = FROM_IMPORT.captures(line) {
        let module = from.get(1).map_or("", |m| m.as_str()).rsplit('.').next().unwrap_or("");
        let names = from.get(2).map_or("", |m| m.as_str());
        let words = names.split(|c: char| !(c.is_alphanumeric() || c == '_'));
        return std::iter::once(module).chain(words).filter(|name| !name.is_empty()).collect();
    }
    PLAIN_IMPORT
        .captures(line)
        .and_then(|c| c.get(1))
        .map(|module| module.as_str().split('.').filter(|part| !part.is_empty()).collect())
        .unwrap_or_default()
}

/// Whether the module at `path` is imported somewhere else, and only inside named-mode branches;
/// a dotted name in a string may load it directly, so any such mention keeps it unconditional.
fn only_in_mode_branches(path: &str, mentions: &HashMap<&str, Vec<Mention>>) -> bool {
    let stem = path.rsplit('/').next().unwrap_or(path).trim_end_matches(".py");
    if stem == "__init__" || stem.is_empty() {
        return false;
    }
    let mut elsewhere = mentions.get(stem).into_iter().flatten().filter(|m| m.file != path).peekable();
    elsewhere.peek().is_some() && elsewhere.all(|m| m.in_mode_branch)
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

    #[test]
    fn a_module_imported_by_name_or_as_a_package_part_counts_too() {
        let by_name = "if MODE == 'prod':\n    from . import prod_settings\n";
        assert!(relaxed(&[("site/settings.py", by_name), ("site/prod_settings.py", PROD)]));
        let dotted = "if MODE in ('prod', 'staging'):\n    import site.prod_settings\n";
        assert!(relaxed(&[("site/settings.py", dotted), ("site/prod_settings.py", PROD)]));
        let unconditional = "import site.prod_settings as chosen\n";
        assert!(!relaxed(&[("site/settings.py", unconditional), ("site/prod_settings.py", PROD)]));
    }

    #[test]
    fn a_module_nobody_imports_or_only_itself_names_is_left_alone() {
        let own = "import os\nNAME = 'site.prod_settings'\nBUCKET = os.environ['BUCKET']\n";
        assert!(!relaxed(&[("site/prod_settings.py", own)]));
        let similar = "if MODE == 'prod':\n    from .prod_settings_extra import *\n";
        assert!(!relaxed(&[("site/settings.py", similar), ("site/prod_settings.py", PROD)]));
    }
}
