//! The folder a Django project runs from when it is not the repository's root: the one that
//! holds `manage.py` (`shynet/manage.py` beside `shynet/shynet/wsgi.py`). Its settings module
//! and apps import from there (`shynet.settings`, `core`), so the maintainers `cd` into it
//! before starting the server; the derived command tells the server to do the same.
//! A `wsgi.py` that names its settings from inside such a folder (`core.settings` for
//! `apprise_api/core/wsgi.py`) says the same: only from that folder does `core` import.

use crate::analyze::app_files::AppFiles;
use crate::analyze::source::is_test_path;

/// The folder the project imports from, when it is not the repository's root: the one the
/// server's own `wsgi.py` names its settings from, else the folder of the shallowest `manage.py`.
pub(super) fn django_root(files: &AppFiles) -> Option<String> {
    match settings_import_root(files) {
        Some(root) => Some(root).filter(|root| !root.is_empty()),
        None => manage_root(files),
    }
}

/// The folder of the shallowest `manage.py`, when it is not at the root.
fn manage_root(files: &AppFiles) -> Option<String> {
    let manage = files
        .files
        .keys()
        .filter(|path| (path.as_str() == "manage.py" || path.ends_with("/manage.py")) && !is_test_path(path))
        .min_by_key(|path| path.matches('/').count())?;
    manage.strip_suffix("/manage.py").map(str::to_string)
}

/// The folder from which the settings module the shallowest `wsgi.py` sets
/// (`os.environ.setdefault("DJANGO_SETTINGS_MODULE", "core.settings")`) imports: the nearest
/// folder above the `wsgi.py` that holds it as a file or a package. A root `manage.py` may put
/// that folder on `sys.path` itself, which a server that imports the `wsgi.py` never runs.
/// `Some("")` when the settings import from the repository's root.
fn settings_import_root(files: &AppFiles) -> Option<String> {
    let (path, text) = files
        .files
        .iter()
        .filter(|(path, text)| {
            (path.as_str() == "wsgi.py" || path.ends_with("/wsgi.py"))
                && !is_test_path(path)
                && text.contains("get_wsgi_application")
        })
        .min_by_key(|(path, _)| path.matches('/').count())?;
    let line = text.lines().find(|line| line.contains("DJANGO_SETTINGS_MODULE") && line.contains("setdefault("))?;
    let module = line.split(['"', '\'']).nth(3).filter(|m| !m.is_empty() && !m.contains(' '))?;
    let relative = module.replace('.', "/");
    let mut folder = path.rsplit_once('/').map_or("", |(folder, _)| folder);
    loop {
        let under = |name: String| if folder.is_empty() { name } else { format!("{folder}/{name}") };
        if files.has(&under(format!("{relative}.py"))) || files.has(&under(format!("{relative}/__init__.py"))) {
            return Some(folder.to_string());
        }
        if folder.is_empty() {
            return None;
        }
        folder = folder.rsplit_once('/').map_or("", |(parent, _)| parent);
    }
}

/// The flag that makes `server` start from `folder`, when it has one.
pub(super) fn working_dir_flag(server: &str) -> Option<&'static str> {
    match server {
        "gunicorn" | "uwsgi" => Some("--chdir"),
        "uvicorn" => Some("--app-dir"),
        "granian" => Some("--working-dir"),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_folder_that_holds_manage_py() {
        let nested =
            AppFiles::from_pairs([("shynet/manage.py", ""), ("tests/manage.py", ""), ("shynet/shynet/wsgi.py", "")]);
        assert_eq!(django_root(&nested).as_deref(), Some("shynet"));
        let root = AppFiles::from_pairs([("manage.py", ""), ("docs/example/manage.py", "")]);
        assert_eq!(django_root(&root), None);
        assert_eq!(working_dir_flag("gunicorn"), Some("--chdir"));
    }

    #[test]
    fn the_folder_the_wsgi_modules_settings_import_from() {
        let wsgi = "import os\nos.environ.setdefault(\"DJANGO_SETTINGS_MODULE\", \"site.settings\")\napplication = get_wsgi_application()\n";
        let nested = AppFiles::from_pairs([
            ("manage.py", "sys.path.insert(0, 'webapp')\n"),
            ("webapp/site/wsgi.py", wsgi),
            ("webapp/site/settings/__init__.py", ""),
        ]);
        assert_eq!(django_root(&nested).as_deref(), Some("webapp"));
        let at_root = AppFiles::from_pairs([("site/wsgi.py", wsgi), ("site/settings.py", ""), ("other/manage.py", "")]);
        assert_eq!(django_root(&at_root), None);
    }
}
