//! What a Django project's manage.py and settings module say.

use super::is_identifier;
use crate::analyze::app_files::AppFiles;

/// What a Django project's manage.py and settings say.
pub(super) struct Django {
    /// `shop.settings`, from manage.py.
    pub(super) settings_module: String,
    pub(super) settings_path: String,
    /// `STATIC_ROOT` is set: static files are collected at build time.
    pub(super) static_root: Option<String>,
    /// Variables the settings read with no default (`os.environ["SECRET_KEY"]`).
    pub(super) required_env: Vec<String>,
}

pub(super) fn django(files: &AppFiles) -> Option<Django> {
    let manage = files.get("manage.py")?;
    let marker = "DJANGO_SETTINGS_MODULE";
    let line = manage.lines().find(|l| l.contains(marker))?;
    let after = &line[line.find(marker)? + marker.len()..];
    let settings_module: String =
        after.split(['"', '\'']).nth(2).map(str::to_string).filter(|m| !m.is_empty() && !m.contains(' '))?;
    let base = settings_module.replace('.', "/");
    let settings_path = [format!("{base}.py"), format!("{base}/__init__.py")].into_iter().find(|p| files.has(p))?;
    let static_root = files.get(&settings_path).and_then(|text| {
        text.lines()
            .position(|l| l.trim_start().starts_with("STATIC_ROOT"))
            .map(|i| format!("{settings_path}:{}", i + 1))
    });
    let required_env = files
        .get(&settings_path)
        .map(|text| {
            // Only a quoted, well-formed name: this text goes into a RUN line of the Dockerfile.
            text.split("os.environ[")
                .skip(1)
                .filter_map(|rest| {
                    let quote = rest.chars().next().filter(|q| *q == '"' || *q == '\'')?;
                    let name = rest[1..].split(quote).next()?;
                    is_identifier(name).then(|| name.to_string())
                })
                .collect()
        })
        .unwrap_or_default();
    Some(Django { settings_module, settings_path, static_root, required_env })
}
