//! What a Django project's manage.py and settings module say.

use super::is_identifier;
use crate::analyze::app_files::AppFiles;

/// What a Django project's manage.py and settings say.
pub(super) struct Django {
    /// `shop.settings`, from manage.py.
    pub(super) settings_module: String,
    pub(super) settings_path: String,
    /// The module the server's `wsgi.py` names when it is another one than manage.py's
    /// (`parsifal.settings.production` over `.local`): what build commands must load too, since
    /// a developer's settings may import packages the image does not install.
    pub(super) served_settings: Option<String>,
    /// `STATIC_ROOT` is set: static files are collected at build time.
    pub(super) static_root: Option<String>,
    /// Variables the settings read with no default (`os.environ["SECRET_KEY"]`).
    pub(super) required_env: Vec<String>,
    /// Those of them the settings turn into a number or a flag (`cast=bool`): a word would
    /// not convert, `0` does.
    pub(super) plain_env: Vec<String>,
}

/// How deep star imports are followed (`dev.py` → `base.py` → `common.py`).
const MAX_STAR_DEPTH: usize = 3;

/// The settings module at `path` and the sibling modules it imports whole, nearest first
/// (`from .base import *`, which a `dev.py` or `production.py` usually starts with).
fn star_chain(files: &AppFiles, path: &str) -> Vec<String> {
    let mut chain = vec![path.to_string()];
    let mut index = 0;
    while index < chain.len() && chain.len() <= MAX_STAR_DEPTH {
        let current = chain[index].clone();
        index += 1;
        let Some(text) = files.get(&current) else { continue };
        let folder = current.rsplit_once('/').map_or("", |(folder, _)| folder);
        for line in text.lines() {
            let code = line.split('#').next().unwrap_or_default().trim();
            let Some(module) = code.strip_prefix("from .").and_then(|rest| rest.strip_suffix(" import *")) else {
                continue;
            };
            let file = format!("{}.py", module.replace('.', "/"));
            let sibling = if folder.is_empty() { file } else { format!("{folder}/{file}") };
            if files.has(&sibling) && !chain.contains(&sibling) {
                chain.push(sibling);
            }
        }
    }
    chain
}

/// Where the settings (the module and what it imports whole) set `name`.
fn setting_line(files: &AppFiles, chain: &[String], name: &str) -> Option<String> {
    chain.iter().find_map(|path| {
        let text = files.get(path)?;
        let index = text
            .lines()
            .position(|l| l.trim_start().strip_prefix(name).is_some_and(|rest| rest.trim_start().starts_with('=')))?;
        Some(format!("{path}:{}", index + 1))
    })
}

/// The variable `SECRET_KEY = os.environ.get("X")` reads when it gives no default.
fn unset_secret_key(text: &str) -> Option<String> {
    let assigned = |l: &&str| l.strip_prefix("SECRET_KEY").is_some_and(|rest| rest.trim_start().starts_with('='));
    let line = text.lines().filter(assigned).find(|l| l.contains("environ.get(") || l.contains("getenv("))?;
    let (_, rest) = line.split_once('(')?;
    let quote = rest.trim_start().chars().next().filter(|q| *q == '"' || *q == '\'')?;
    let (name, after) = rest.trim_start()[1..].split_once(quote)?;
    (after.trim_start().starts_with(')') && !after.contains(" or ")).then(|| name.to_string())
}

/// `reads`: the variables the app's Python code reads, as the analysis found them.
pub(super) fn django(files: &AppFiles, reads: &[crate::analyze::variables::VariableRead]) -> Option<Django> {
    let manage = files.get("manage.py")?;
    let marker = "DJANGO_SETTINGS_MODULE";
    let line = manage.lines().find(|l| l.contains(marker))?;
    let after = &line[line.find(marker)? + marker.len()..];
    let settings_module: String =
        after.split(['"', '\'']).nth(2).map(str::to_string).filter(|m| !m.is_empty() && !m.contains(' '))?;
    let settings_path = module_path(files, &settings_module)?;
    let served_settings = wsgi_settings(files).filter(|(module, _)| *module != settings_module);
    let chain = star_chain(files, served_settings.as_ref().map_or(&settings_path, |(_, path)| path));
    let served_settings = served_settings.map(|(module, _)| module);
    let static_root = setting_line(files, &chain, "STATIC_ROOT");
    let strict = strict_reads(reads, &chain);
    let plain_env = strict.iter().filter(|(_, plain)| *plain).map(|(name, _)| name.clone()).collect();
    let required_env = chain
        .iter()
        .filter_map(|path| files.get(path))
        .flat_map(|text| {
            // Only a quoted, well-formed name: this text goes into a RUN line of the Dockerfile.
            let indexed = text.split("os.environ[").skip(1).filter_map(|rest| {
                let quote = rest.chars().next().filter(|q| *q == '"' || *q == '\'')?;
                let name = rest[1..].split(quote).next()?;
                is_identifier(name).then(|| name.to_string())
            });
            // `os.environ.get("HOSTS").split(" ")` crashes on None just the same, and Django
            // refuses an empty SECRET_KEY when a command loads the settings.
            let crashing = crate::analyze::variables::python_import_time(text).into_iter().map(|(_, name)| name);
            indexed.chain(crashing).chain(unset_secret_key(text)).filter(|name| is_identifier(name)).collect::<Vec<_>>()
        })
        // decouple's `config("X")` and django-environ's `env("X")` raise without a value too.
        .chain(strict.iter().map(|(name, _)| name.clone()))
        .fold(Vec::new(), |mut names: Vec<String>, name| {
            if !names.contains(&name) {
                names.push(name);
            }
            names
        });
    Some(Django { settings_module, settings_path, served_settings, static_root, required_env, plain_env })
}

/// Variables the settings modules read with no default and no fallback, through any helper,
/// each with whether the read turns it into a number or a flag.
fn strict_reads(reads: &[crate::analyze::variables::VariableRead], chain: &[String]) -> Vec<(String, bool)> {
    let in_chain = |source: &str| chain.iter().any(|path| source.rsplit_once(':').is_some_and(|(at, _)| at == path));
    reads
        .iter()
        .filter(|read| read.required && read.default.is_none() && in_chain(&read.source) && is_identifier(&read.name))
        .map(|read| (read.name.clone(), read.plain_value))
        .collect()
}

/// The file of a settings module (`shop.settings` → `shop/settings.py` or its package).
fn module_path(files: &AppFiles, module: &str) -> Option<String> {
    let base = module.replace('.', "/");
    [format!("{base}.py"), format!("{base}/__init__.py")].into_iter().find(|p| files.has(p))
}

/// The settings module the shallowest `wsgi.py` sets by default, with its file, when the
/// repository holds it.
fn wsgi_settings(files: &AppFiles) -> Option<(String, String)> {
    let mut servers: Vec<(&String, &String)> = files
        .files
        .iter()
        .filter(|(path, text)| path.rsplit('/').next() == Some("wsgi.py") && text.contains("get_wsgi_application"))
        .collect();
    servers.sort_by_key(|(path, _)| path.matches('/').count());
    servers.into_iter().find_map(|(_, text)| {
        let line = text.lines().find(|l| l.contains("setdefault") && l.contains("DJANGO_SETTINGS_MODULE"))?;
        let module = line.split(['"', '\'']).nth(3).filter(|m| is_identifier(&m.replace('.', "_")))?;
        module_path(files, module).map(|path| (module.to_string(), path))
    })
}
