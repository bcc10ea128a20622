//! The folder a Django project runs from when it is not the repository's root: the one that
//! holds `manage.py` (`shynet/manage.py` beside `shynet/shynet/wsgi.py`). Its settings module
//! and apps import from there (`shynet.settings`, `core`), so the maintainers `cd` into it
//! before starting the server; the derived command tells the server to do the same.

use crate::analyze::app_files::AppFiles;
use crate::analyze::source::is_test_path;

/// The folder of the shallowest `manage.py`, when it is not at the root.
pub(super) fn django_root(files: &AppFiles) -> Option<String> {
    let manage = files
        .files
        .keys()
        .filter(|path| (path.as_str() == "manage.py" || path.ends_with("/manage.py")) && !is_test_path(path))
        .min_by_key(|path| path.matches('/').count())?;
    manage.strip_suffix("/manage.py").map(str::to_string)
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
}
