//! Readiness findings: what works on an instance and breaks in a container.

use super::EXTENSIONS;
use super::dependencies::Dependencies;
use super::django::Django;
use crate::analyze::app_files::AppFiles;
use crate::analyze::source::{SourceFacts, code_lines, host_bound_code};
use crate::model::{Finding, FindingLevel};

/// What works on an instance and breaks in a container.
pub(super) fn readiness(
    files: &AppFiles,
    deps: &Dependencies,
    django: Option<&Django>,
    has_entry: bool,
    facts: &mut SourceFacts,
) {
    // File databases that live beside the app, like SQLite.
    let stores =
        [("tinydb", "TinyDB"), ("lmdb", "LMDB"), ("plyvel", "LevelDB"), ("pickledb", "pickleDB"), ("zodb", "ZODB")];
    for (package, store) in stores {
        if let Some(source) = deps.get(package) {
            facts.findings.push(crate::analyze::readiness::embedded_store(store, source));
        }
    }
    let findings = &mut facts.findings;
    let mut add = |level, kind: &str, message: &str, source: String| {
        findings.push(Finding::new(level, kind, message, source));
    };
    if let Some(django) = django
        && let Some(settings) = files.get(&django.settings_path)
    {
        for (index, line) in settings.lines().enumerate() {
            let at = format!("{}:{}", django.settings_path, index + 1);
            if line.contains("django.db.backends.sqlite3") {
                add(
                    FindingLevel::Blocker,
                    "sqlite",
                    "keeps data in an SQLite file on local disk: tasks lose it when they stop; move it to RDS",
                    at.clone(),
                );
            }
            if line.trim_start().starts_with("MEDIA_ROOT") {
                add(
                    FindingLevel::Warning,
                    "local-disk-writes",
                    "stores uploaded media on local disk: lost when a task stops; use S3 (django-storages)",
                    at.clone(),
                );
            }
        }
        if django.static_root.is_some() && !deps.has("whitenoise") {
            add(
                FindingLevel::Warning,
                "static-files",
                "gunicorn does not serve static files: add whitenoise, or serve them from S3 and CloudFront",
                django.static_root.clone().unwrap_or_default(),
            );
        }
    }
    for (name, kind, message) in [
        (
            "apscheduler",
            "scheduler",
            "runs scheduled jobs in-process: every task runs them; use EventBridge Scheduler or one task",
        ),
        (
            "schedule",
            "scheduler",
            "runs scheduled jobs in-process: every task runs them; use EventBridge Scheduler or one task",
        ),
        ("django-crontab", "cron", "installs crontab entries: a container runs no cron; use EventBridge Scheduler"),
    ] {
        if let Some(source) = deps.get(name) {
            add(FindingLevel::Warning, kind, message, source.to_string());
        }
    }
    if let Some(text) = files.get("Procfile") {
        for (index, line) in text.lines().enumerate() {
            let Some((process, _)) = line.split_once(':') else { continue };
            // `release:` runs once per deployment (migrations), not beside the app.
            if !process.is_empty() && process != "web" && process != "release" && !process.starts_with('#') {
                add(
                    FindingLevel::Warning,
                    "worker-process",
                    &format!("runs a second process ({process}): a task runs one; give it its own service"),
                    format!("Procfile line {}", index + 1),
                );
            }
        }
    }
    for (at, line) in code_lines(files, &EXTENSIONS) {
        if line.contains("sqlite3.connect(") {
            add(
                FindingLevel::Blocker,
                "sqlite",
                "keeps data in an SQLite file on local disk: tasks lose it when they stop; move it to RDS",
                at.clone(),
            );
        }
        if line.contains("UPLOAD_FOLDER") && (line.contains("= \"/") || line.contains("= '/")) {
            add(
                FindingLevel::Warning,
                "local-disk-writes",
                "writes uploads to local disk: lost when a task stops; write them to S3",
                at,
            );
        }
    }
    let framework_source = facts.framework.as_ref().map(|f| f.source.clone()).unwrap_or_default();
    // The derived command names the server the app needs; the image installs only what the
    // dependencies list.
    let missing_server = facts.start.as_ref().filter(|s| s.source.ends_with("is not in the dependencies yet"));
    if let Some(server) = missing_server.map(|s| s.value[0].clone()) {
        let message =
            format!("no production server in the dependencies: add {server} to them, which the start command runs");
        add(FindingLevel::Blocker, "no-production-server", &message, framework_source);
    } else if facts.framework.is_some() && facts.start.is_none() && !has_entry {
        let message = "the application object was not found: set the start command by hand";
        add(FindingLevel::Blocker, "no-app-object", message, framework_source);
    }
    host_bound_code(files, &EXTENSIONS, findings);
    super::settings_readiness::findings(files, findings);
}
