//! A script that runs its own server: `if __name__ == "__main__"` and a call that serves
//! (aiohttp's `web.run_app`, `uvicorn.run`, tornado's `listen`, waitress's `serve`, the
//! standard library's `serve_forever`). With no framework application object to hand to a
//! production server, the image runs the script as its maintainers do.

use super::EXTENSIONS;
use crate::analyze::app_files::AppFiles;
use crate::analyze::source::{Fact, fact, is_test_path};
use crate::analyze::variables::scope_of;
use crate::model::VariableScope;

/// Calls that start serving and do not return.
const SERVES: [&str; 10] = [
    "web.run_app(",
    "run_app(",
    "uvicorn.run(",
    "waitress.serve(",
    "hypercorn.asyncio.serve(",
    ".serve_forever(",
    "IOLoop.current().start(",
    "IOLoop.instance().start(",
    "web.TCPSite(",
    "app.run(",
];

/// File names a server's script goes by, most likely first.
const LIKELY: [&str; 6] = ["main.py", "app.py", "server.py", "run.py", "__main__.py", "serve.py"];

/// `python app/main.py`, `python -m pkg.server` for a module with relative imports, `python -m
/// pkg` for a package's `__main__.py`; the shallowest and most likely script first.
pub(super) fn self_running_script(files: &AppFiles) -> Option<Fact<Vec<String>>> {
    let mut scripts: Vec<(&str, usize)> = files
        .with_extensions(&EXTENSIONS)
        .filter(|(path, _)| !is_test_path(path) && scope_of(path) == VariableScope::Runtime)
        .filter_map(|(path, text)| serving_line(path, text).map(|line| (path, line)))
        .collect();
    scripts.sort_by_key(|(path, _)| {
        let name = path.rsplit('/').next().unwrap_or(path);
        (path.matches('/').count(), LIKELY.iter().position(|l| *l == name).unwrap_or(LIKELY.len()))
    });
    let (path, line) = scripts.first().copied()?;
    let text = files.get(path).unwrap_or("");
    let module = path.trim_end_matches(".py").replace('/', ".");
    let command: Vec<String> = match module.strip_suffix(".__main__") {
        Some(package) => vec!["python".into(), "-m".into(), package.to_string()],
        None if relative_imports(text) => vec!["python".into(), "-m".into(), module],
        None => vec!["python".into(), path.to_string()],
    };
    Some(fact(command, format!("{path}:{line} (the script serves when run)")))
}

/// The line of the serving call, when the file runs as a script and serves. A module's
/// `def main()` alone runs nothing when the file is run: only a package's `__main__.py` is
/// run without the guard.
fn serving_line(path: &str, text: &str) -> Option<usize> {
    let main_guard = text.lines().any(|l| l.trim_start().starts_with("if __name__") && l.contains("__main__"))
        || path.ends_with("__main__.py");
    if !main_guard {
        return None;
    }
    text.lines().enumerate().find_map(|(index, line)| {
        let code = line.trim_start();
        let serves = !code.starts_with('#') && SERVES.iter().any(|call| code.contains(call));
        serves.then_some(index + 1)
    })
}

fn relative_imports(text: &str) -> bool {
    text.lines().any(|l| l.trim_start().starts_with("from ."))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_script_that_serves_is_run() {
        let files = AppFiles::from_pairs([
            (
                "app/main.py",
                "from aiohttp import web\napp = web.Application()\nif __name__ == '__main__':\n    web.run_app(app)\n",
            ),
            ("scripts/tool.py", "if __name__ == '__main__':\n    print('hi')\n"),
        ]);
        let start = self_running_script(&files).expect("a script");
        assert_eq!(start.value, ["python", "app/main.py"]);
        assert_eq!(start.source, "app/main.py:4 (the script serves when run)");
    }

    #[test]
    fn a_package_runs_as_a_module() {
        let relative = AppFiles::from_pairs([(
            "svc/server.py",
            "from .routes import api\nimport uvicorn\nif __name__ == \"__main__\":\n    uvicorn.run(api)\n",
        )]);
        assert_eq!(self_running_script(&relative).unwrap().value, ["python", "-m", "svc.server"]);
        let main = AppFiles::from_pairs([("svc/__main__.py", "def main():\n    httpd.serve_forever()\nmain()\n")]);
        assert_eq!(self_running_script(&main).unwrap().value, ["python", "-m", "svc"]);
    }

    #[test]
    fn a_library_call_without_a_script_is_none() {
        let files = AppFiles::from_pairs([("lib/app.py", "def start(app):\n    web.run_app(app)\n")]);
        assert_eq!(self_running_script(&files), None);
    }
}
