//! Whether the served code uses a scheduler package the dependencies list: a dependency whose
//! wiring is commented out, or imported only by a module nothing imports, schedules nothing.

use crate::analyze::app_files::AppFiles;
use crate::analyze::source::is_test_path;

/// File names a server or a command runs directly, which nothing needs to import.
const RUN_DIRECTLY: [&str; 8] = ["app", "main", "server", "run", "wsgi", "asgi", "__init__", "manage"];

/// Where a module of the app imports `package` (its import name, `apscheduler`) in live code,
/// the module being itself run or imported: `path:line` of that import.
pub(super) fn wired(files: &AppFiles, package: &str) -> Option<String> {
    let code: Vec<(&str, &str)> = files.with_extensions(&["py"]).filter(|(path, _)| !is_test_path(path)).collect();
    code.iter().filter(|(_, text)| imports(text, package)).find_map(|(path, text)| {
        let stem = path.rsplit('/').next().unwrap_or(path).trim_end_matches(".py");
        let live = RUN_DIRECTLY.contains(&stem)
            || path.split('/').any(|part| part.starts_with("settings"))
            || text.contains("__name__ == \"__main__\"")
            || text.contains("__name__ == '__main__'")
            || code.iter().any(|(other, text)| other != path && imports(text, stem));
        let line = text.lines().position(|line| imports(line, package))?;
        live.then(|| format!("{path}:{}", line + 1))
    })
}

/// Whether `text` has a live `import name` or `from ...name... import` naming `name` as one
/// of its dotted parts.
fn imports(text: &str, name: &str) -> bool {
    text.lines().map(str::trim_start).filter(|line| line.starts_with("import ") || line.starts_with("from ")).any(
        |line| {
            let statement = line.split('#').next().unwrap_or("");
            statement.split(|c: char| !(c.is_ascii_alphanumeric() || c == '_')).any(|word| word == name)
        },
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn commented_wiring_or_an_orphan_module_schedules_nothing() {
        let main = ("app/main.py", "app = FastAPI()\n# from apscheduler import AsyncScheduler\n");
        let orphan = ("app/jobs/cleanup.py", "from apscheduler import AsyncScheduler\n");
        assert!(wired(&AppFiles::from_pairs([main, orphan]), "apscheduler").is_none());
        let using = ("app/main.py", "from app.jobs.cleanup import start\napp = FastAPI()\n");
        assert_eq!(
            wired(&AppFiles::from_pairs([using, orphan]), "apscheduler").as_deref(),
            Some("app/jobs/cleanup.py:1")
        );
        let direct = ("app.py", "from apscheduler.schedulers.background import BackgroundScheduler\n");
        assert_eq!(wired(&AppFiles::from_pairs([direct]), "apscheduler").as_deref(), Some("app.py:1"));
    }
}
