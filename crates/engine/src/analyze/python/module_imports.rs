//! The project files a Python module imports: `import shop.db`, `from shop import views`,
//! `from .server import start`, resolved against the project root and the importing file's
//! folder. Imports inside functions count: an entry script often imports its app lazily.

use crate::analyze::app_files::AppFiles;

/// The project files `text` (the file at `path`) imports, in the order it names them.
pub(super) fn imported_files(files: &AppFiles, path: &str, text: &str) -> Vec<String> {
    let folder = path.rsplit_once('/').map_or("", |(folder, _)| folder);
    let mut found = Vec::new();
    for (_, line) in crate::analyze::python_code::code_lines(text) {
        let line = line.trim_start();
        let modules: Vec<String> = if let Some(rest) = line.strip_prefix("from ") {
            let Some((module, names)) = rest.split_once(" import ") else { continue };
            let base = resolved_base(folder, module.trim());
            let names = names.trim().trim_start_matches('(');
            // `from pkg import views` may name a submodule, not only an attribute.
            let mut all = vec![base.clone()];
            all.extend(names.split(',').filter_map(|n| n.split_whitespace().next()).map(|n| joined(&base, n)));
            all
        } else if let Some(rest) = line.strip_prefix("import ") {
            rest.split(',').filter_map(|m| m.split_whitespace().next()).map(|m| m.replace('.', "/")).collect()
        } else {
            continue;
        };
        for module in modules {
            for candidate in candidates(folder, &module) {
                if files.has(&candidate) && !found.contains(&candidate) {
                    found.push(candidate);
                }
            }
        }
    }
    found
}

/// The folder a `from` names: relative (`.`, `..server`) from the importing file's folder,
/// else absolute (a slash path).
fn resolved_base(folder: &str, module: &str) -> String {
    let dots = module.chars().take_while(|c| *c == '.').count();
    if dots == 0 {
        return module.replace('.', "/");
    }
    let mut base: Vec<&str> = folder.split('/').filter(|s| !s.is_empty()).collect();
    for _ in 1..dots {
        base.pop();
    }
    let rest = module[dots..].replace('.', "/");
    let base = base.join("/");
    joined(&base, &rest)
}

fn joined(base: &str, name: &str) -> String {
    match (base.is_empty(), name.is_empty()) {
        (true, _) => name.to_string(),
        (_, true) => base.to_string(),
        _ => format!("{base}/{name}"),
    }
}

/// The files a module path may be, from the project root and from the importing folder
/// (a script's own folder is first on its import path).
fn candidates(folder: &str, module: &str) -> Vec<String> {
    let mut roots = vec![String::new()];
    if !folder.is_empty() {
        roots.push(folder.to_string());
    }
    roots
        .iter()
        .flat_map(|root| {
            let path = joined(root, module);
            [format!("{path}.py"), format!("{path}/__init__.py")]
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn absolute_relative_and_submodule_imports() {
        let files = AppFiles::from_pairs([
            ("pkg/__init__.py", ""),
            ("pkg/main.py", ""),
            ("pkg/web.py", ""),
            ("pkg/sub/db.py", ""),
            ("tool.py", ""),
        ]);
        let text = "import tool, os\nfrom . import web\nfrom .sub.db import Session\ndef f():\n    from pkg.main import main\n";
        let found = imported_files(&files, "pkg/app.py", text);
        assert_eq!(found, ["tool.py", "pkg/__init__.py", "pkg/web.py", "pkg/sub/db.py", "pkg/main.py"]);
    }
}
