//! A Django `wsgi.py` (or `asgi.py`) that sets no `DJANGO_SETTINGS_MODULE`: the server the
//! start command runs fails at its first import (ImproperlyConfigured) unless the environment
//! names the settings. manage.py's default is a developer's, so it does not count. The
//! service sets the module the repository's own scripts or image name, or a `production`
//! module beside the settings; with none, the operator must.

use std::sync::LazyLock;

use regex::Regex;

use crate::analyze::app_files::AppFiles;
use crate::model::{EnvVar, Finding};

const NAME: &str = "DJANGO_SETTINGS_MODULE";

/// `DJANGO_SETTINGS_MODULE=site.settings.docker` or `ENV DJANGO_SETTINGS_MODULE site.settings.prod`.
static NAMED: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"DJANGO_SETTINGS_MODULE[= ]+([A-Za-z_][\w.]*)").expect("valid pattern"));

/// Settings modules named for somewhere other than production.
const ELSEWHERE: [&str; 8] = ["development", "dev", "local", "test", "testing", "ci", "example", "base"];

/// Sets the settings module on the service, or says that the operator must.
pub fn apply(app: Option<&AppFiles>, start: &[String], env: &mut Vec<EnvVar>, findings: &mut Vec<Finding>) {
    let Some(files) = app else { return };
    if env.iter().any(|e| e.name == NAME) {
        return;
    }
    if let Some((server, development)) = development_default(files, start) {
        // The server falls back to a developer's settings: production's, where the repository
        // has them, is what the service runs (settings_readiness says so when it has none).
        if let Some((module, at)) = production_module(files, &server) {
            findings.push(Finding::info(
                "settings-module",
                format!(
                    "{server} falls back to {development}: the service sets {NAME}={module}, the module {at} names"
                ),
                server.clone(),
            ));
            env.push(EnvVar::set_by_ferry(NAME, module, format!("{server} falls back to {development} ({at})")));
        }
        return;
    }
    let Some(server) = served_module(files, start) else { return };
    match production_module(files, &server) {
        Some((module, at)) => {
            findings.push(Finding::info(
                "settings-module",
                format!("{server} sets no {NAME}: the service sets {NAME}={module}, the module {at} names"),
                server.clone(),
            ));
            env.push(EnvVar::set_by_ferry(NAME, module, format!("{server} sets no settings module ({at})")));
        }
        None => findings.push(
            Finding::blocker(
                "settings-module",
                format!("{server} sets no {NAME}: Django fails at start (ImproperlyConfigured) unless the service names its settings"),
                server,
            )
            .with_fix(format!("set {NAME} to the production settings module with --env")),
        ),
    }
}

/// The server entry the start serves when its `setdefault` names settings for somewhere other
/// than production (`config.settings.local`), with that module.
fn development_default(files: &AppFiles, start: &[String]) -> Option<(String, String)> {
    static DEFAULTED: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r#"setdefault\(\s*["']DJANGO_SETTINGS_MODULE["']\s*,\s*["']([A-Za-z_][\w.]*)["']"#)
            .expect("valid pattern")
    });
    let path = served_entries(files, start).into_iter().next()?;
    let module = DEFAULTED.captures(files.get(&path)?)?[1].to_string();
    ELSEWHERE.contains(&module.rsplit('.').next().unwrap_or(&module)).then_some((path, module))
}

/// The `wsgi.py` or `asgi.py` the start command serves (`site.wsgi:application`), named in
/// the command or in a script of the repository it runs, when it is Django's and sets no
/// settings module.
fn served_module(files: &AppFiles, start: &[String]) -> Option<String> {
    served_entries(files, start).into_iter().find(|path| files.get(path).is_some_and(|text| !text.contains(NAME)))
}

/// Django's server entries the start command serves, named in the command or in a script of
/// the repository it runs.
fn served_entries(files: &AppFiles, start: &[String]) -> Vec<String> {
    let words: Vec<&str> = start.iter().flat_map(|word| word.split_whitespace()).collect();
    // A script by its path in the image (`/srv/site/docker/start.sh`) is the repository's file
    // that path ends with.
    let script = |word: &str| {
        files.get(word.trim_start_matches("./")).or_else(|| {
            let inside = |path: &&String| word.starts_with('/') && word.ends_with(&format!("/{path}"));
            files.files.iter().find(|(path, _)| inside(path)).map(|(_, text)| text.as_str())
        })
    };
    let scripts = words.iter().filter_map(|word| script(word));
    let words: Vec<&str> = words.iter().copied().chain(scripts.flat_map(str::split_whitespace)).collect();
    words
        .iter()
        .filter_map(|word| {
            let module = word.split(':').next()?;
            let last = module.rsplit('.').next()?;
            if !matches!(last, "wsgi" | "asgi") || word.starts_with('-') {
                return None;
            }
            let path = format!("{}.py", module.replace('.', "/"));
            let text = files.get(&path)?;
            (text.contains("get_wsgi_application") || text.contains("get_asgi_application")).then_some(path)
        })
        .collect()
}

/// The production settings module: one the repository's scripts or image set (not in
/// manage.py, a developer's), else `production` or `prod` in the settings package beside the
/// server. With where it was found.
fn production_module(files: &AppFiles, server: &str) -> Option<(String, String)> {
    let exists = |module: &str| {
        let base = module.replace('.', "/");
        files.has(&format!("{base}.py")) || files.has(&format!("{base}/__init__.py"))
    };
    let production = |module: &str| !ELSEWHERE.contains(&module.rsplit('.').next().unwrap_or(module));
    let set_by_repository =
        files.files.iter().filter(|(path, _)| !path.ends_with("manage.py")).find_map(|(path, text)| {
            text.lines().enumerate().find_map(|(index, line)| {
                let module = NAMED.captures(line)?[1].trim_end_matches('.').to_string();
                (production(&module) && exists(&module)).then(|| (module, format!("{path}:{}", index + 1)))
            })
        });
    set_by_repository.or_else(|| {
        let package = server.rsplit_once('/').map_or("", |(package, _)| package);
        ["production", "prod"].iter().find_map(|name| {
            let path = format!("{package}/settings/{name}.py");
            files.has(&path).then(|| (format!("{}.settings.{name}", package.replace('/', ".")), path))
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn applied(pairs: &[(&str, &str)]) -> (Option<String>, Vec<Finding>) {
        let files = AppFiles::from_pairs(pairs.iter().copied());
        let start: Vec<String> = ["gunicorn", "gallery.wsgi:application"].map(String::from).to_vec();
        let (mut env, mut findings) = (Vec::new(), Vec::new());
        apply(Some(&files), &start, &mut env, &mut findings);
        (env.first().and_then(|e| e.value.clone()), findings)
    }

    #[test]
    fn a_server_that_falls_back_to_a_developers_settings() {
        let wsgi = (
            "gallery/wsgi.py",
            "import os\nos.environ.setdefault(\"DJANGO_SETTINGS_MODULE\", \"gallery.settings.local\")\nfrom django.core.wsgi import get_wsgi_application\napplication = get_wsgi_application()\n",
        );
        let (set, found) = applied(&[wsgi, ("gallery/settings/local.py", ""), ("gallery/settings/production.py", "")]);
        assert_eq!(set.as_deref(), Some("gallery.settings.production"));
        assert!(found[0].message.contains("falls back to gallery.settings.local"), "{}", found[0].message);
        // Without a production module the operator is asked (settings_readiness's blocker).
        let (set, found) = applied(&[wsgi, ("gallery/settings/local.py", "")]);
        assert!(set.is_none() && found.is_empty());
    }

    #[test]
    fn a_server_without_a_settings_module() {
        let wsgi = (
            "gallery/wsgi.py",
            "from django.core.wsgi import get_wsgi_application\napplication = get_wsgi_application()\n",
        );
        let manage =
            ("manage.py", "os.environ.setdefault(\"DJANGO_SETTINGS_MODULE\", \"gallery.settings.development\")\n");
        let script =
            ("docker/run.sh", "exec gunicorn --env DJANGO_SETTINGS_MODULE=gallery.settings.container gallery.wsgi\n");
        let modules = [("gallery/settings/development.py", ""), ("gallery/settings/container.py", "")];
        let (set, found) = applied(&[wsgi, manage, script, modules[0], modules[1]]);
        assert_eq!(set.as_deref(), Some("gallery.settings.container"));
        assert_eq!(found[0].level, crate::model::FindingLevel::Info);
        let (set, found) = applied(&[wsgi, manage, modules[0]]);
        assert_eq!((set, found[0].level), (None, crate::model::FindingLevel::Blocker));
        let defaulted =
            ("gallery/wsgi.py", "os.environ.setdefault(\"DJANGO_SETTINGS_MODULE\", \"gallery.settings\")\n");
        assert!(applied(&[defaulted]).1.is_empty());
    }
}
