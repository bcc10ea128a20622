//! Readiness findings: what works on an instance and breaks in a container.

use super::EXTENSIONS;
use super::dependencies::Dependencies;
use super::django::Django;
use crate::analyze::app_files::AppFiles;
use crate::analyze::source::{SourceFacts, code_lines, host_bound_code};
use crate::model::Finding;

/// What works on an instance and breaks in a container.
pub(super) fn readiness(
    files: &AppFiles,
    deps: &Dependencies,
    django: Option<&Django>,
    has_entry: bool,
    facts: &mut SourceFacts,
) {
    embedded_stores(deps, &mut facts.findings);
    if let Some(django) = django {
        django_settings(files, deps, django, &mut facts.findings);
    }
    schedulers(files, deps, &mut facts.findings);
    procfile_workers(files, &mut facts.findings);
    super::settings_databases::django_sqlite(files, &mut facts.findings);
    data_on_disk_in_code(files, &mut facts.findings);
    scheduling_threads(files, &mut facts.findings);
    super::startup_hooks::findings(files, &mut facts.findings);
    super::table_creation::findings(files, &mut facts.findings);
    super::disk_writes::findings(files, &mut facts.findings);
    super::upload_folders::findings(files, &mut facts.findings);
    super::served_writes::findings(files, &mut facts.findings);
    super::media_uploads::findings(files, &mut facts.findings);
    server_and_app_object(has_entry, facts);
    host_bound_code(files, &EXTENSIONS, &mut facts.findings);
    super::settings_readiness::findings(files, &mut facts.findings);
    super::flask_config::findings(files, &mut facts.findings);
    if facts.framework.as_ref().is_some_and(|f| f.value.name == "Flask") {
        flask_server_name(files, &mut facts.findings);
    }
}

/// Flask's `SERVER_NAME` set by the app: Flask then answers only requests whose Host header
/// is that name, and a load balancer's health check, sent to the task's address, gets 404.
/// Set unconditionally (a literal, or `os.environ['X']` that must be there) it blocks; read
/// with `.get` it bites only when the operator sets it.
fn flask_server_name(files: &AppFiles, findings: &mut Vec<Finding>) {
    for (at, line) in code_lines(files, &EXTENSIONS) {
        if in_a_class_outside_production(files, &at) {
            continue;
        }
        // `SERVER_NAME = ...` in a config class, `app.config['SERVER_NAME'] = ...`.
        let compact = line.replace([' ', '"', '\'', '[', ']'], "");
        let Some((_, value)) = compact
            .split_once("SERVER_NAME=")
            .filter(|(target, value)| (target.is_empty() || target.ends_with("config")) && !value.starts_with('='))
        else {
            continue;
        };
        if value.starts_with("None") || crate::analyze::variables::scope_of(&at) != crate::model::VariableScope::Runtime
        {
            continue;
        }
        let always = !value.contains(".get(") && !value.contains("getenv(");
        let level = if always { crate::model::FindingLevel::Blocker } else { crate::model::FindingLevel::Warning };
        let message = "sets Flask's SERVER_NAME: Flask then answers 404 to every request for another host, and the load balancer's health check asks for the task's address";
        findings.push(Finding::new(level, "server-name-host-check", message, at).with_fix(
            "leave SERVER_NAME unset in the service (use url_for with _external and PREFERRED_URL_SCHEME instead)",
        ));
        return;
    }
}

/// File databases in the dependencies.
fn embedded_stores(deps: &Dependencies, findings: &mut Vec<Finding>) {
    // File databases that live beside the app, like SQLite; Whoosh keeps a search index in
    // a folder, which each task would build and update alone.
    let stores = [
        ("tinydb", "TinyDB"),
        ("lmdb", "LMDB"),
        ("plyvel", "LevelDB"),
        ("pickledb", "pickleDB"),
        ("zodb", "ZODB"),
        ("whoosh", "Whoosh search index"),
    ];
    for (package, store) in stores {
        if let Some(source) = deps.get(package) {
            findings.push(crate::analyze::readiness::embedded_store(store, source));
        }
    }
}

/// Django settings that keep data or media on local disk, and static files nothing serves.
fn django_settings(files: &AppFiles, deps: &Dependencies, django: &Django, findings: &mut Vec<Finding>) {
    let Some(settings) = files.get(&django.settings_path) else { return };
    for (index, line) in settings.lines().enumerate() {
        let at = format!("{}:{}", django.settings_path, index + 1);
        if line.contains("django.db.backends.sqlite3") {
            findings.push(Finding::blocker(
                "sqlite",
                "keeps data in an SQLite file on local disk: tasks lose it when they stop; move it to RDS",
                at.clone(),
            ));
        }
        if line.trim_start().starts_with("MEDIA_ROOT") {
            findings.push(Finding::warning(
                "local-disk-writes",
                "stores uploaded media on local disk: lost when a task stops; use S3 (django-storages)",
                at.clone(),
            ));
        }
    }
    if django.static_root.is_some() && !deps.has("whitenoise") {
        findings.push(Finding::warning(
            "static-files",
            "the application server (gunicorn, uvicorn) does not serve Django's static files with DEBUG off: add whitenoise, or serve them from S3 and CloudFront",
            django.static_root.clone().unwrap_or_default(),
        ));
    }
}

/// Packages that run jobs on a schedule inside the app, or install crontab entries.
fn schedulers(files: &AppFiles, deps: &Dependencies, findings: &mut Vec<Finding>) {
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
        (
            "scheduler",
            "scheduler",
            "runs scheduled jobs in-process: every task runs them; use EventBridge Scheduler or one task",
        ),
        ("django-crontab", "cron", "installs crontab entries: a container runs no cron; use EventBridge Scheduler"),
    ] {
        // Only a scheduler the served code imports runs: a dependency whose wiring is
        // commented out schedules nothing. django-crontab is installed as an app, by name.
        // The import the served code runs is where the jobs start; django-crontab is an app.
        let Some(listed) = deps.get(name) else { continue };
        let source = match kind {
            "cron" => Some(listed.to_string()),
            _ => super::scheduler_wiring::wired(files, name),
        };
        if let Some(source) = source {
            findings.push(Finding::warning(kind, message, source));
        }
    }
}

/// A thread the app starts to schedule work (`threading.Thread(target=ticker_thread_check_time_launch_checks)`,
/// `name="Scheduler"`): every task runs its own, so each scheduled job runs once per task.
/// Threads a request starts for its own work are not named for a schedule.
fn scheduling_threads(files: &AppFiles, findings: &mut Vec<Finding>) {
    for (at, line) in crate::analyze::source::app_code_lines(files, &EXTENSIONS) {
        let lower = line.to_ascii_lowercase();
        let thread = lower.contains("thread(") && lower.contains("target=");
        if thread && ["schedul", "ticker", "cron", "periodic"].iter().any(|word| lower.contains(word)) {
            findings.push(
                Finding::warning(
                    "scheduler",
                    "starts a scheduling thread in the app: every task runs it, so each job runs once per task",
                    at,
                )
                .with_fix("run one task, or move the schedule to EventBridge Scheduler"),
            );
        }
    }
}

/// Procfile processes beside `web:`, each of which needs its own service.
fn procfile_workers(files: &AppFiles, findings: &mut Vec<Finding>) {
    let Some(text) = files.get("Procfile") else { return };
    for (index, line) in text.lines().enumerate() {
        let Some((process, command)) = line.split_once(':') else { continue };
        // A file watcher (`scss: make watch-scss`) is a developer's tool, not a worker.
        if crate::analyze::dev_watcher::is_watcher(files, command) {
            continue;
        }
        // `release:` runs once per deployment (migrations), not beside the app.
        if !process.is_empty() && process != "web" && process != "release" && !process.starts_with('#') {
            findings.push(Finding::warning(
                "worker-process",
                format!("runs a second process ({process}): a task runs one; give it its own service"),
                format!("Procfile line {}", index + 1),
            ));
        }
    }
}

/// Whether `sqlite3.connect(` with `argument` after it opens a file of the app's own: a path
/// written in the code or a setting (`"app.db"`, `settings.BASE_DIR / "search.db"`,
/// `DATABASE`). `":memory:"` never touches the disk, and a path held by an object
/// (`self._dbpath`) or a parameter is a connector's, given by whoever uses it.
fn opens_the_apps_file(argument: &str) -> bool {
    let argument = argument.trim_start();
    if argument.starts_with(['"', '\'']) {
        return !argument.starts_with("\":memory:") && !argument.starts_with("':memory:'");
    }
    let first: String = argument.chars().take_while(|c| c.is_alphanumeric() || *c == '_').collect();
    let setting = first.chars().any(|c| c.is_ascii_uppercase()) && !first.chars().any(|c| c.is_ascii_lowercase());
    setting || ["settings", "config", "app"].contains(&first.as_str())
}

/// Whether the line at `at` (`path:line`) sits in a configuration class only tests or
/// development select (`class TestingConfig`): what it sets is not the service's.
fn in_a_class_outside_production(files: &AppFiles, at: &str) -> bool {
    use crate::analyze::variables::python_blocks::{import_time_class, outside_production};
    let Some((path, number)) = at.rsplit_once(':') else { return false };
    let (Some(text), Ok(number)) = (files.get(path), number.parse::<usize>()) else { return false };
    let lines: Vec<&str> = text.lines().collect();
    import_time_class(&lines, number.saturating_sub(1)).is_some_and(outside_production)
}

/// Code that opens an SQLite file or writes uploads to an absolute folder.
fn data_on_disk_in_code(files: &AppFiles, findings: &mut Vec<Finding>) {
    // Each file's SQLite names are read once: reading them again for every line was quadratic.
    let mut names: std::collections::HashMap<String, Vec<String>> = std::collections::HashMap::new();
    let mut names_in = |at: &str| -> Vec<String> {
        let path = at.rsplit_once(':').map_or(at, |(path, _)| path);
        let read = || files.get(path).map(super::settings_databases::sqlite_names).unwrap_or_default();
        names.entry(path.to_string()).or_insert_with(read).clone()
    };
    for (at, line) in code_lines(files, &EXTENSIONS) {
        if line.contains('=')
            && super::settings_databases::sqlite_fallback(
                &super::settings_databases::statement_at(files, &at, line),
                &names_in(&at),
            )
            && crate::analyze::variables::scope_of(&at) == crate::model::VariableScope::Runtime
            && !in_a_class_outside_production(files, &at)
        {
            findings.push(Finding::blocker(
                "sqlite",
                "falls back to an SQLite file on local disk when no database is configured: tasks lose it when they stop; set the database URL to RDS",
                at.clone(),
            ));
        }
        if line.split_once("sqlite3.connect(").is_some_and(|(_, argument)| opens_the_apps_file(argument)) {
            findings.push(Finding::blocker(
                "sqlite",
                "keeps data in an SQLite file on local disk: tasks lose it when they stop; move it to RDS",
                at.clone(),
            ));
        }
        if line.contains("UPLOAD_FOLDER") && (line.contains("= \"/") || line.contains("= '/")) {
            findings.push(Finding::warning(
                "local-disk-writes",
                "writes uploads to local disk: lost when a task stops; write them to S3",
                at,
            ));
        }
    }
}

/// A framework app that cannot start as derived: its server is not installed, or its
/// application object was not found.
fn server_and_app_object(has_entry: bool, facts: &mut SourceFacts) {
    let framework_source = facts.framework.as_ref().map(|f| f.source.clone()).unwrap_or_default();
    // The derived command names the server the app needs; the image installs only what the
    // dependencies list.
    let missing_server = facts.start.as_ref().filter(|s| s.source.ends_with(super::server::MISSING_SERVER));
    if let Some(server) = missing_server.map(|s| s.value[0].clone()) {
        // An engineer containerising the app adds the server to its image; the image still
        // builds from the dependencies as they are.
        let requirement = super::dependencies::server_requirement(&server);
        let message = format!(
            "no production server in the dependencies: the image installs `{requirement}` for the start command"
        );
        let fix = format!("add {server} to the dependencies, so its version is pinned with the rest");
        facts.findings.push(Finding::warning("no-production-server", message, framework_source).with_fix(fix));
        facts.added_packages.push(requirement);
    } else if facts.framework.is_some() && facts.start.is_none() && !has_entry {
        let message = "the application object was not found: set the start command by hand";
        facts.findings.push(Finding::blocker("no-app-object", message, framework_source));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_search_index_in_a_folder_is_an_embedded_store() {
        let deps = Dependencies(vec![("whoosh".to_string(), "requirements.txt:3".to_string())]);
        let mut findings = Vec::new();
        embedded_stores(&deps, &mut findings);
        let found: Vec<(&str, &str)> = findings.iter().map(|f| (f.kind.as_str(), f.source.as_str())).collect();
        assert_eq!(found, [("embedded-database", "requirements.txt:3")]);
    }

    #[test]
    fn a_thread_started_to_schedule_work() {
        let files = AppFiles::from_pairs([
            (
                "app/flask_app.py",
                "t = threading.Thread(target=ticker_thread_check_time_launch_checks, daemon=True, name=\"TickerThread-ScheduleChecker\").start()\n",
            ),
            ("app/api/import_.py", "thread = threading.Thread(target=import_watches_background, daemon=True)\n"),
        ]);
        let mut found = Vec::new();
        scheduling_threads(&files, &mut found);
        let at: Vec<&str> = found.iter().map(|f| f.source.as_str()).collect();
        assert_eq!(at, ["app/flask_app.py:1"]);
    }

    #[test]
    fn an_sqlite_file_of_the_apps_own() {
        for own in ["\"app.db\")", "settings.BASE_DIR / \"search.db\")", "DATABASE)", "app.config['DATABASE'])"] {
            assert!(opens_the_apps_file(own), "{own}");
        }
        for other in ["\":memory:\")", "self._dbpath)", "path)"] {
            assert!(!opens_the_apps_file(other), "{other}");
        }
    }
}
