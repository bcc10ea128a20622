//! Demands for a setting that only a feature's own code makes, run when that feature is used
//! rather than at start: `if (!cdnPurgeUrl) throw ...('CDN_PURGE_ENDPOINT_URL is not set')`
//! inside a class's `purge()` method runs when a purge is asked for, and a module the app loads
//! only by `await import('./ecs')` (under `if (process.env.CLUSTER_DISCOVERY === 'ECS')`) is
//! never run unless that option is chosen. A demand in one `case` of a switch over providers
//! (or in a function only such a branch calls) runs only when that provider is the one chosen.
//! None of these stops the app from starting.

use std::sync::LazyLock;

use regex::Regex;

use super::app_files::AppFiles;
use super::source::is_test_path;

/// A method's head inside a class body: `  async purge(opts: Input) {`, `  private load(): T {`.
static METHOD: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^\s+(?:(?:public|private|protected|static|async|override)\s+)*([A-Za-z_$][\w$]*)\s*\([^;]*\)\s*(?::[^{;=]+)?\{\s*$")
        .expect("valid pattern")
});
/// `import('./ecs')` / `import("../cluster/ecs.js")`: the module path a dynamic import loads.
static DYNAMIC_IMPORT: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r#"\bimport\(\s*['"]([^'"]+)['"]\s*\)"#).expect("valid pattern"));

/// Words that open a block like a method head does but are statements.
const STATEMENTS: [&str; 7] = ["if", "for", "while", "switch", "catch", "function", "constructor"];

/// Whether the demand on line `index` of `path` runs only when a feature is used.
pub fn only_when_used(files: &AppFiles, path: &str, lines: &[&str], index: usize) -> bool {
    in_class_method(lines, index)
        || in_one_case(lines, index)
        || loaded_only_on_demand(files, path)
        || in_python_function_called_later(files, path, lines, index)
}

/// Python functions that run at start, called by the framework or the server: an app factory,
/// a Django app's `ready()`, a startup hook.
const RUN_AT_START: [&str; 9] =
    ["create_app", "make_app", "init_app", "main", "ready", "setup", "startup", "lifespan", "get_settings"];

/// Whether line `index` of a Python module sits in a function (`def provision(...)`) that no
/// module's top level calls: it runs when a request or a task asks for it, never at import.
fn in_python_function_called_later(files: &AppFiles, path: &str, lines: &[&str], index: usize) -> bool {
    if !path.ends_with(".py") || !lines[index].starts_with([' ', '\t']) {
        return false;
    }
    let Some(name) = lines[..index].iter().rev().find_map(|line| {
        let head = line.strip_prefix("def ").or_else(|| line.strip_prefix("async def "))?;
        head.split('(').next().map(str::trim)
    }) else {
        return false;
    };
    // Only a module-level function: a line above at the margin that is not its `def` ends it.
    let opened = lines[..index].iter().rposition(|line| line.starts_with("def ") || line.starts_with("async def "));
    let closed = lines[opened.map_or(0, |at| at + 1)..index]
        .iter()
        .any(|line| !line.is_empty() && !line.starts_with([' ', '\t', '#', ')']));
    if closed || RUN_AT_START.contains(&name) {
        return false;
    }
    let call = format!("{name}(");
    let called_at_import = files.with_extensions(&["py"]).filter(|(other, _)| !is_test_path(other)).any(|(_, text)| {
        text.lines()
            .any(|line| !line.starts_with([' ', '\t', '#']) && line.contains(&call) && !line.starts_with("def "))
    });
    !called_at_import
}

/// The head of the module-private function whose top line is `top`: that line, or the line
/// above a signature that runs over several (`function config(): {` / `  id: string;` / `} {`).
fn function_head<'a>(lines: &[&'a str], top: usize) -> Option<(usize, &'a str)> {
    for at in (top.saturating_sub(15)..=top).rev() {
        let line = lines[at];
        if line.starts_with("function ") {
            return Some((at, line));
        }
        // Only the signature's own lines: its indented fields, and `}` or `)` closing them.
        if at != top && !(line.starts_with([' ', '\t', '}', ')']) || line.trim().is_empty()) {
            return None;
        }
    }
    None
}

/// Whether a `case` line opens a branch: `case Provider.AZURE: {`, `case "s3":`.
fn is_case(line: &str) -> bool {
    let code = line.trim();
    code.starts_with("case ") && (code.ends_with(':') || code.ends_with(": {") || code.ends_with(":{"))
}

/// Whether line `index` runs in one `case` of a switch, or in a module-private function that
/// only such branches of the same file call (`createVertex(getVertexConfig())` under `case
/// Provider.VERTEX:`): the demand stands only when that option is chosen.
fn in_one_case(lines: &[&str], index: usize) -> bool {
    let around: Vec<(usize, &str)> = super::enclosing::enclosing_lines(lines, index).collect();
    if around.iter().any(|(_, line)| is_case(line)) {
        return true;
    }
    let Some((head, line)) = around.last().and_then(|(top, _)| function_head(lines, *top)) else { return false };
    let Some(name) = line["function ".len()..].split(['(', '<', ' ']).next().filter(|n| !n.is_empty()) else {
        return false;
    };
    let call = format!("{name}(");
    let calls: Vec<usize> = (0..lines.len()).filter(|at| *at != head && lines[*at].contains(&call)).collect();
    !calls.is_empty() && calls.iter().all(|at| super::enclosing::enclosing_lines(lines, *at).any(|(_, l)| is_case(l)))
}

/// Whether line `index` sits in a class's method other than its constructor: the nearest
/// less-indented line above is a method head, and the file declares a class.
fn in_class_method(lines: &[&str], index: usize) -> bool {
    if !lines[..index].iter().any(|l| l.trim_start().starts_with("class ") || l.contains(" class ")) {
        return false;
    }
    for (_, line) in super::enclosing::enclosing_lines(lines, index) {
        if let Some(head) = METHOD.captures(line) {
            match &head[1] {
                // A block inside the method: keep climbing to the method itself.
                "if" | "for" | "while" | "switch" | "catch" => continue,
                name => return !STATEMENTS.contains(&name),
            }
        }
    }
    false
}

/// Whether the code module at `path` is loaded by other modules only through `import(...)`:
/// some file imports it dynamically and none with a static `import`/`require`.
fn loaded_only_on_demand(files: &AppFiles, path: &str) -> bool {
    let Some(stem) = path.rsplit('/').next().and_then(|f| f.split('.').next()) else { return false };
    let names_it = |target: &str| {
        let last = target.rsplit('/').next().unwrap_or(target);
        target.starts_with('.') && last.split('.').next() == Some(stem)
    };
    let code = ["js", "mjs", "cjs", "ts", "mts"];
    let mut dynamic = false;
    // A test importing the module to test it is no load by the app.
    for (_, text) in files.with_extensions(&code).filter(|(other, _)| *other != path && !is_test_path(other)) {
        if !text.contains(stem) {
            continue;
        }
        if DYNAMIC_IMPORT.captures_iter(text).any(|c| names_it(&c[1])) {
            dynamic = true;
        }
        let statically = ["from '", "from \"", "require('", "require(\""].iter().any(|opener| {
            text.match_indices(opener)
                .any(|(at, _)| text[at + opener.len()..].split(['\'', '"']).next().is_some_and(names_it))
        });
        if statically {
            return false;
        }
    }
    dynamic
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_demand_in_a_python_function_runs_when_it_is_called() {
        let service = "def provision(org):\n    if not settings.ROLE_ARN:\n        raise ImproperlyConfigured(\"ROLE_ARN is not set\")\n";
        let factory =
            "def create_app():\n    if not os.environ.get(\"KEY\"):\n        raise RuntimeError(\"KEY is not set\")\n";
        let checked = "def check():\n    if not os.environ.get(\"TOKEN\"):\n        raise RuntimeError(\"TOKEN is not set\")\n\ncheck()\n";
        let files = AppFiles::from_pairs([
            ("infra/service.py", service),
            ("app/factory.py", factory),
            ("app/checks.py", checked),
            ("infra/views.py", "def post(request):\n    provision(request.org)\n"),
        ]);
        let lines = |text: &'static str| text.lines().collect::<Vec<_>>();
        assert!(in_python_function_called_later(&files, "infra/service.py", &lines(service), 2));
        assert!(!in_python_function_called_later(&files, "app/factory.py", &lines(factory), 2));
        assert!(!in_python_function_called_later(&files, "app/checks.py", &lines(checked), 2));
    }

    #[test]
    fn a_demand_in_a_method_runs_when_called() {
        let text = "export class Purger {\n  async purge(opts: Input) {\n    if (!url) {\n      throw new Error('PURGE_URL is not set')\n    }\n  }\n}\n";
        let lines: Vec<&str> = text.lines().collect();
        assert!(in_class_method(&lines, 3));
        let built = "export class Purger {\n  constructor() {\n    if (!url) {\n      throw new Error('PURGE_URL is not set')\n    }\n  }\n}\n";
        let lines: Vec<&str> = built.lines().collect();
        assert!(!in_class_method(&lines, 3));
        let top = "function load() {\n  if (!url) {\n    throw new Error('PURGE_URL is not set')\n  }\n}\n";
        let lines: Vec<&str> = top.lines().collect();
        assert!(!in_class_method(&lines, 2));
    }

    #[test]
    fn a_demand_in_one_providers_branch_runs_when_it_is_chosen() {
        let text = "export function pick(provider) {\n  switch (provider) {\n    case Provider.BLOB: {\n      if (!env.BLOB_URL) {\n        throw new Error('BLOB_URL is not set')\n      }\n      return blob(vaultConfig())\n    }\n  }\n}\n\nfunction vaultConfig(): {\n  id: string;\n} {\n  if (!env.VAULT_ID) {\n    throw new Error('VAULT_ID is not set')\n  }\n}\n\nfunction load() {\n  if (!env.CORE_URL) {\n    throw new Error('CORE_URL is not set')\n  }\n}\nload()\n";
        let lines: Vec<&str> = text.lines().collect();
        let demand = |name: &str| lines.iter().position(|l| l.contains(&format!("'{name} is not set'"))).unwrap();
        assert!(in_one_case(&lines, demand("BLOB_URL")));
        assert!(in_one_case(&lines, demand("VAULT_ID")), "called only from a case");
        assert!(!in_one_case(&lines, demand("CORE_URL")), "called at the top");
    }

    #[test]
    fn a_module_imported_only_on_demand() {
        let files = AppFiles::from_pairs([
            ("src/pick.ts", "if (process.env.MODE === 'A') {\n  const { A } = await import('./alpha')\n}\n"),
            ("src/alpha.ts", "export class A {}\n"),
            ("src/beta.ts", "export class B {}\n"),
            ("src/alpha.test.ts", "import { A } from './alpha'\n"),
            ("src/main.ts", "import { B } from './beta'\nconst later = await import('./beta')\n"),
        ]);
        assert!(loaded_only_on_demand(&files, "src/alpha.ts"));
        assert!(!loaded_only_on_demand(&files, "src/beta.ts"));
    }
}
