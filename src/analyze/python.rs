//! Python applications read from their source folder: version, the tool that pins the
//! dependencies (pip, poetry, uv), the framework and the production server that runs it
//! (gunicorn, uvicorn), the WSGI/ASGI application, port, environment and what will not
//! survive a container. Every fact says which file (and line) it came from.

use super::app_files::AppFiles;
use super::source::{
    Fact, Framework, SourceFacts, code_lines, env_reads, fact, health_route, host_bound_code, port_after, shell_words,
    version_in,
};
use crate::model::{Finding, FindingLevel, PackageManager};

const EXTENSIONS: [&str; 1] = ["py"];

/// Files whose presence at the root makes the folder a Python app.
const MARKERS: [&str; 6] = ["requirements.txt", "pyproject.toml", "Pipfile", "setup.py", "manage.py", "uv.lock"];

const DJANGO: Framework = Framework { name: "Django", default_port: Some(8000) };
const FASTAPI: Framework = Framework { name: "FastAPI", default_port: Some(8000) };
const FLASK: Framework = Framework { name: "Flask", default_port: Some(5000) };

/// The port placeholder in a derived start command: the profile puts the chosen port there.
pub const PORT: &str = "$PORT";

/// The declared dependencies, by normalised name, with where each was declared.
struct Dependencies(Vec<(String, String)>);

impl Dependencies {
    fn get(&self, name: &str) -> Option<&str> {
        self.0.iter().find(|(n, _)| n == name).map(|(_, source)| source.as_str())
    }

    fn has(&self, name: &str) -> bool {
        self.get(name).is_some()
    }
}

/// The facts of a Python app, or `None` when the folder is not one.
pub fn analyze(files: &AppFiles) -> Option<SourceFacts> {
    if !MARKERS.iter().any(|m| files.has(m)) {
        return None;
    }
    let mut findings = Vec::new();
    let pyproject = files.get("pyproject.toml").and_then(|text| match text.parse::<toml::Table>() {
        Ok(table) => Some(table),
        Err(error) => {
            findings.push(Finding {
                level: FindingLevel::Warning,
                message: format!("pyproject.toml does not parse ({}): its facts are skipped", error.message()),
                source: "pyproject.toml".into(),
            });
            None
        }
    });
    let deps = dependencies(files, pyproject.as_ref());
    let requirements = requirement_files(files);
    let mut facts = SourceFacts::new("python", "3.13", package_manager(files, pyproject.as_ref(), &mut findings));
    facts.findings = findings;
    if facts.package_manager.value == PackageManager::Pip && !requirements.is_empty() {
        facts.install_files = requirements;
    }
    facts.version = version(files, pyproject.as_ref());
    facts.framework = framework(&deps);
    facts.port = port_in_code(files);
    facts.env_read = env_reads(
        files,
        &EXTENSIONS,
        &[
            "os.environ[\"",
            "os.environ['",
            "environ.get(\"",
            "environ.get('",
            "os.getenv(\"",
            "os.getenv('",
            "env(\"",
            "env('",
            "config(\"",
            "config('",
        ],
    );
    facts.health_path = health_route(files, &EXTENSIONS);
    let django = django(files);
    facts.entry = entry(files, facts.framework.as_ref(), django.as_ref());
    facts.start = procfile(files).or_else(|| derived_start(&deps, facts.framework.as_ref(), facts.entry.as_ref()));
    if let Some(django) = &django
        && let Some(static_root) = &django.static_root
    {
        // Settings that demand a variable at import would stop the build: give each a value
        // that exists only for this one command (it is no secret, and not kept in the image).
        let mut command: Vec<String> = Vec::new();
        if !django.required_env.is_empty() {
            command.push("env".into());
            command.extend(django.required_env.iter().map(|name| format!("{name}=collectstatic-only")));
        }
        command.extend(["python", "manage.py", "collectstatic", "--noinput"].map(String::from));
        facts.build = Some(fact(command, static_root.clone()));
    }
    readiness(files, &deps, django.as_ref(), facts.entry.is_some(), &mut facts);
    Some(facts)
}

fn version(files: &AppFiles, pyproject: Option<&toml::Table>) -> Option<Fact<String>> {
    if let Some(v) = files.get(".python-version").and_then(|t| version_in(t.trim(), 2)) {
        return Some(fact(v, ".python-version"));
    }
    if let Some(v) = files.get("runtime.txt").and_then(|t| version_in(t.trim().trim_start_matches("python-"), 2)) {
        return Some(fact(v, "runtime.txt"));
    }
    let table = pyproject?;
    let project = table.get("project").and_then(|p| p.get("requires-python")).and_then(toml::Value::as_str);
    if let Some(v) = project.and_then(|r| version_in(r, 2)) {
        return Some(fact(v, "pyproject.toml project.requires-python"));
    }
    let poetry = table
        .get("tool")
        .and_then(|t| t.get("poetry"))
        .and_then(|p| p.get("dependencies"))
        .and_then(|d| d.get("python"))
        .and_then(toml::Value::as_str);
    poetry.and_then(|r| version_in(r, 2)).map(|v| fact(v, "pyproject.toml tool.poetry.dependencies.python"))
}

fn package_manager(
    files: &AppFiles,
    pyproject: Option<&toml::Table>,
    findings: &mut Vec<Finding>,
) -> Fact<PackageManager> {
    if files.has("uv.lock") {
        return fact(PackageManager::Uv, "uv.lock");
    }
    if files.has("poetry.lock") {
        return fact(PackageManager::Poetry, "poetry.lock");
    }
    if files.has("requirements.txt") {
        return fact(PackageManager::Pip, "requirements.txt");
    }
    if pyproject.and_then(|t| t.get("tool")).and_then(|t| t.get("poetry")).is_some() {
        findings.push(Finding {
            level: FindingLevel::Warning,
            message:
                "a poetry project without poetry.lock: the image resolves dependencies at build time; commit the lock"
                    .into(),
            source: "pyproject.toml".into(),
        });
        return fact(PackageManager::Poetry, "pyproject.toml tool.poetry");
    }
    if files.has("Pipfile") {
        findings.push(Finding {
            level: FindingLevel::Blocker,
            message: "pipenv is not supported: export requirements.txt with `pipenv requirements > requirements.txt`"
                .into(),
            source: "Pipfile".into(),
        });
    }
    fact(PackageManager::Pip, "default: no lockfile")
}

/// Names from requirements.txt, `project.dependencies` and poetry's dependency table.
fn dependencies(files: &AppFiles, pyproject: Option<&toml::Table>) -> Dependencies {
    let normalise = |name: &str| name.trim().to_ascii_lowercase().replace('_', "-");
    let name_of = |spec: &str| -> String {
        normalise(
            spec.split(|c: char| !(c.is_ascii_alphanumeric() || c == '-' || c == '_' || c == '.')).next().unwrap_or(""),
        )
    };
    let mut found = Vec::new();
    for file in requirement_files(files) {
        let Some(text) = files.get(&file) else { continue };
        for (index, line) in text.lines().enumerate() {
            let line = line.split('#').next().unwrap_or("").trim();
            if line.is_empty() || line.starts_with('-') {
                continue;
            }
            found.push((name_of(line), format!("{file}:{}", index + 1)));
        }
    }
    if let Some(table) = pyproject {
        let project = table.get("project").and_then(|p| p.get("dependencies")).and_then(toml::Value::as_array);
        for spec in project.into_iter().flatten().filter_map(toml::Value::as_str) {
            found.push((name_of(spec), "pyproject.toml project.dependencies".into()));
        }
        let poetry = table
            .get("tool")
            .and_then(|t| t.get("poetry"))
            .and_then(|p| p.get("dependencies"))
            .and_then(toml::Value::as_table);
        for name in poetry.into_iter().flat_map(|t| t.keys()).filter(|n| *n != "python") {
            found.push((normalise(name), "pyproject.toml tool.poetry.dependencies".into()));
        }
    }
    Dependencies(found)
}

/// requirements.txt and the files it includes (`-r base.txt`, `-c constraints.txt`), relative
/// to the including file, each once: pip reads them all, so the image needs them all.
fn requirement_files(files: &AppFiles) -> Vec<String> {
    let mut found: Vec<String> = Vec::new();
    let mut pending = vec!["requirements.txt".to_string()];
    while let Some(file) = pending.pop() {
        let Some(text) = files.get(&file).filter(|_| !found.contains(&file)) else { continue };
        let folder = file.rsplit_once('/').map_or(String::new(), |(dir, _)| format!("{dir}/"));
        for line in text.lines() {
            let words: Vec<&str> = line.split_whitespace().collect();
            let included = match words.as_slice() {
                ["-r" | "--requirement" | "-c" | "--constraint", path, ..] => Some(*path),
                [word, ..] => ["-r", "--requirement=", "-c", "--constraint="]
                    .iter()
                    .find_map(|flag| word.strip_prefix(flag).filter(|p| !p.is_empty() && !p.starts_with('-'))),
                [] => None,
            };
            if let Some(path) =
                included.filter(|p| !p.starts_with('/')).and_then(|p| inside_root(&format!("{folder}{p}")))
            {
                pending.push(path);
            }
        }
        found.push(file);
    }
    found
}

/// `requirements/../constraints.txt` → `constraints.txt`; `None` for a path that leaves the
/// folder, which the image cannot copy.
fn inside_root(path: &str) -> Option<String> {
    let mut parts: Vec<&str> = Vec::new();
    for part in path.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            part => parts.push(part),
        }
    }
    Some(parts.join("/"))
}

fn framework(deps: &Dependencies) -> Option<Fact<Framework>> {
    [("django", DJANGO), ("fastapi", FASTAPI), ("flask", FLASK)]
        .into_iter()
        .find_map(|(name, framework)| deps.get(name).map(|source| fact(framework, source)))
}

/// What a Django project's manage.py and settings say.
struct Django {
    /// `shop.settings`, from manage.py.
    settings_module: String,
    settings_path: String,
    /// `STATIC_ROOT` is set: static files are collected at build time.
    static_root: Option<String>,
    /// Variables the settings read with no default (`os.environ["SECRET_KEY"]`).
    required_env: Vec<String>,
}

fn django(files: &AppFiles) -> Option<Django> {
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

/// The WSGI or ASGI application the server imports, as `module:attribute`.
fn entry(files: &AppFiles, framework: Option<&Fact<Framework>>, django: Option<&Django>) -> Option<Fact<String>> {
    if let Some(django) = django {
        let package = django.settings_module.split('.').next().unwrap_or("");
        let wsgi = format!("{package}/wsgi.py");
        if files.get(&wsgi).is_some_and(|t| t.contains("get_wsgi_application")) {
            return Some(fact(format!("{package}.wsgi:application"), wsgi));
        }
    }
    let constructor = match framework.map(|f| f.value.name) {
        Some("FastAPI") => "FastAPI(",
        Some("Flask") => "Flask(",
        _ => return None,
    };
    for (at, line) in code_lines(files, &EXTENSIONS) {
        let trimmed = line.trim_start();
        // `app = Flask(__name__)` at module level, or `def create_app():` building one.
        let Some((target, value)) = trimmed.split_once('=') else { continue };
        let target = target.trim().trim_end_matches(|c: char| c == ':' || c.is_whitespace());
        let target = target.split(':').next().unwrap_or(target).trim();
        if line.starts_with(' ') || !value.trim_start().starts_with(constructor) || !is_identifier(target) {
            continue;
        }
        let path = at.rsplit_once(':').map_or(at.as_str(), |(path, _)| path);
        return Some(fact(format!("{}:{target}", module_of(path)), at));
    }
    if framework.is_some_and(|f| f.value.name == "Flask") {
        for (at, line) in code_lines(files, &EXTENSIONS) {
            if line.starts_with("def create_app(") {
                let path = at.rsplit_once(':').map_or(at.as_str(), |(path, _)| path);
                return Some(fact(format!("{}:create_app()", module_of(path)), at));
            }
        }
    }
    None
}

fn is_identifier(text: &str) -> bool {
    text.chars().next().is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && text.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// `src/shop/app.py` → `shop.app`: src-layout packages import without their folder.
fn module_of(path: &str) -> String {
    let path = path.strip_prefix("src/").unwrap_or(path);
    let path = path.strip_suffix(".py").unwrap_or(path);
    path.strip_suffix("/__init__").unwrap_or(path).replace('/', ".")
}

/// Procfile `web:`, the command the app's authors wrote for production.
fn procfile(files: &AppFiles) -> Option<Fact<Vec<String>>> {
    let text = files.get("Procfile")?;
    let (line, web) = text.lines().enumerate().find_map(|(i, l)| l.strip_prefix("web:").map(|w| (i + 1, w)))?;
    Some(fact(shell_words(web)?, format!("Procfile line {line}")))
}

/// The production server for the framework, when the app declares one. The source says
/// `derived`: a command the instance really runs (user data) is trusted over it.
fn derived_start(
    deps: &Dependencies,
    framework: Option<&Fact<Framework>>,
    entry: Option<&Fact<String>>,
) -> Option<Fact<Vec<String>>> {
    let entry = entry?;
    let words = |w: &[&str]| w.iter().map(|s| s.to_string()).collect::<Vec<_>>();
    let bind = format!("0.0.0.0:{PORT}");
    let asgi = framework.is_some_and(|f| f.value.name == "FastAPI");
    let command = match (asgi, deps.has("gunicorn"), deps.has("uvicorn")) {
        (true, true, true) => words(&[
            "gunicorn",
            "--worker-class",
            "uvicorn.workers.UvicornWorker",
            "--bind",
            &bind,
            "--access-logfile",
            "-",
            &entry.value,
        ]),
        (true, false, true) => words(&["uvicorn", &entry.value, "--host", "0.0.0.0", "--port", PORT]),
        (false, true, _) => words(&["gunicorn", "--bind", &bind, "--access-logfile", "-", &entry.value]),
        _ => return None,
    };
    let mut command = command;
    if entry.source.starts_with("src/") {
        // A src-layout package is importable once installed; the image runs it from the
        // source tree, so the server is told where the packages are.
        let flag = if command[0] == "uvicorn" { "--app-dir" } else { "--pythonpath" };
        command.splice(1..1, [flag.to_string(), "src".to_string()]);
    }
    let server = command[0].clone();
    Some(fact(command, format!("derived: {server} serves {} ({})", entry.value, entry.source)))
}

/// `app.run(port=5000)`, `uvicorn.run(app, port=8000)`, `os.getenv("PORT", "8000")`, a
/// gunicorn.conf.py `bind = "0.0.0.0:8000"`.
fn port_in_code(files: &AppFiles) -> Option<Fact<u16>> {
    const MARKERS: [&str; 6] = ["port=", "\"PORT\",", "'PORT',", "0.0.0.0:", "bind = \"", "bind = '"];
    // Another service's port (`Redis(port=6379)`, `connect(port=5432)`) is not the app's.
    const OTHER_SERVICES: [&str; 8] = ["redis", "postgres", "psycopg", "mysql", "connect(", "db_", "database", "smtp"];
    code_lines(files, &EXTENSIONS)
        .filter(|(_, line)| {
            let lower = line.to_ascii_lowercase();
            !OTHER_SERVICES.iter().any(|other| lower.contains(other))
        })
        .find_map(|(at, line)| {
            MARKERS
                .iter()
                .filter(|marker| {
                    // `port=` as a whole keyword: not `transport=` or `report=`.
                    line.match_indices(**marker)
                        .any(|(i, _)| !line[..i].ends_with(|c: char| c.is_ascii_alphanumeric() || c == '_'))
                })
                .find_map(|m| port_after(line, m))
                .map(|port| fact(port, at))
        })
}

/// What works on an instance and breaks in a container.
fn readiness(files: &AppFiles, deps: &Dependencies, django: Option<&Django>, has_entry: bool, facts: &mut SourceFacts) {
    let findings = &mut facts.findings;
    let mut add = |level, message: &str, source: String| {
        findings.push(Finding { level, message: message.to_string(), source });
    };
    if let Some(django) = django
        && let Some(settings) = files.get(&django.settings_path)
    {
        for (index, line) in settings.lines().enumerate() {
            let at = format!("{}:{}", django.settings_path, index + 1);
            if line.contains("django.db.backends.sqlite3") {
                add(
                    FindingLevel::Blocker,
                    "keeps data in an SQLite file on local disk: tasks lose it when they stop; move it to RDS",
                    at.clone(),
                );
            }
            if line.trim_start().starts_with("MEDIA_ROOT") {
                add(
                    FindingLevel::Warning,
                    "stores uploaded media on local disk: lost when a task stops; use S3 (django-storages)",
                    at.clone(),
                );
            }
        }
        if django.static_root.is_some() && !deps.has("whitenoise") {
            add(
                FindingLevel::Warning,
                "gunicorn does not serve static files: add whitenoise, or serve them from S3 and CloudFront",
                django.static_root.clone().unwrap_or_default(),
            );
        }
    }
    for (name, message) in [
        ("apscheduler", "runs scheduled jobs in-process: every task runs them; use EventBridge Scheduler or one task"),
        ("schedule", "runs scheduled jobs in-process: every task runs them; use EventBridge Scheduler or one task"),
        ("django-crontab", "installs crontab entries: a container runs no cron; use EventBridge Scheduler"),
    ] {
        if let Some(source) = deps.get(name) {
            add(FindingLevel::Warning, message, source.to_string());
        }
    }
    if let Some(text) = files.get("Procfile") {
        for (index, line) in text.lines().enumerate() {
            let Some((process, _)) = line.split_once(':') else { continue };
            // `release:` runs once per deployment (migrations), not beside the app.
            if !process.is_empty() && process != "web" && process != "release" && !process.starts_with('#') {
                add(
                    FindingLevel::Warning,
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
                "keeps data in an SQLite file on local disk: tasks lose it when they stop; move it to RDS",
                at.clone(),
            );
        }
        if line.contains("UPLOAD_FOLDER") && (line.contains("= \"/") || line.contains("= '/")) {
            add(FindingLevel::Warning, "writes uploads to local disk: lost when a task stops; write them to S3", at);
        }
    }
    if facts.framework.is_some() && facts.start.is_none() {
        let missing = if has_entry {
            "no production server in the dependencies: add gunicorn (or uvicorn for ASGI) to run it"
        } else {
            "the application object was not found: set the start command by hand"
        };
        add(FindingLevel::Blocker, missing, facts.framework.as_ref().map(|f| f.source.clone()).unwrap_or_default());
    }
    host_bound_code(files, &EXTENSIONS, findings);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn facts(pairs: &[(&str, &str)]) -> SourceFacts {
        analyze(&AppFiles::from_pairs(pairs.iter().copied())).expect("a Python app")
    }

    #[test]
    fn a_flask_app_with_gunicorn() {
        let facts = facts(&[
            ("requirements.txt", "Flask==3.0.3\ngunicorn==22.0.0  # server\n"),
            (".python-version", "3.12.4\n"),
            ("app.py", "import os\nfrom flask import Flask\napp = Flask(__name__)\nKEY = os.environ[\"API_KEY\"]\n"),
        ]);
        assert_eq!(facts.version, Some(fact("3.12".to_string(), ".python-version")));
        assert_eq!(facts.package_manager.value, PackageManager::Pip);
        assert_eq!(facts.framework.as_ref().map(|f| f.value.name), Some("Flask"));
        assert_eq!(facts.entry, Some(fact("app:app".to_string(), "app.py:3")));
        assert_eq!(
            facts.start.unwrap().value,
            ["gunicorn", "--bind", "0.0.0.0:$PORT", "--access-logfile", "-", "app:app"]
        );
        assert_eq!(facts.env_read, [fact("API_KEY".to_string(), "app.py:4")]);
    }

    #[test]
    fn a_fastapi_app_with_uv_runs_under_uvicorn() {
        let facts = facts(&[
            (
                "pyproject.toml",
                "[project]\nname = \"api\"\nrequires-python = \">=3.12\"\ndependencies = [\"fastapi>=0.115\", \"uvicorn[standard]\"]\n",
            ),
            ("uv.lock", "version = 1\n"),
            ("src/api/main.py", "from fastapi import FastAPI\napp = FastAPI(title=\"api\")\n"),
        ]);
        assert_eq!(facts.package_manager, fact(PackageManager::Uv, "uv.lock"));
        assert_eq!(facts.version.unwrap().value, "3.12");
        assert_eq!(facts.entry.as_ref().unwrap().value, "api.main:app");
        assert_eq!(
            facts.start.unwrap().value,
            ["uvicorn", "--app-dir", "src", "api.main:app", "--host", "0.0.0.0", "--port", "$PORT"]
        );
    }

    #[test]
    fn poetry_versions_and_missing_servers() {
        let facts = facts(&[
            ("pyproject.toml", "[tool.poetry.dependencies]\npython = \"^3.11\"\nflask = \"^3\"\n"),
            ("poetry.lock", ""),
            ("wsgi.py", "from flask import Flask\napp = Flask(__name__)\n"),
        ]);
        assert_eq!(facts.package_manager.value, PackageManager::Poetry);
        assert_eq!(facts.version.unwrap().source, "pyproject.toml tool.poetry.dependencies.python");
        assert!(facts.start.is_none());
        assert!(facts.findings.iter().any(|f| f.level == FindingLevel::Blocker && f.message.contains("gunicorn")));
    }

    #[test]
    fn a_broken_pyproject_is_a_finding_not_a_failure() {
        let facts = facts(&[("pyproject.toml", "[project\nname=")]);
        assert!(facts.findings.iter().any(|f| f.message.starts_with("pyproject.toml does not parse")));
    }

    #[test]
    fn not_python_without_a_manifest() {
        assert!(analyze(&AppFiles::from_pairs([("main.py", "print(1)")])).is_none());
    }

    #[test]
    fn included_requirement_files_are_read_and_copied() {
        let facts = facts(&[
            ("requirements.txt", "-r requirements/production.txt\n"),
            ("requirements/production.txt", "-r base.txt\ngunicorn==23.0.0\n"),
            ("requirements/base.txt", "-c ../constraints.txt\ndjango==5.1\n"),
            ("constraints.txt", "django<6\n"),
            ("manage.py", "os.environ.setdefault(\"DJANGO_SETTINGS_MODULE\", \"shop.settings\")\n"),
            (
                "shop/settings.py",
                "SECRET_KEY = os.environ[key]\nDEBUG = os.environ['DJANGO_DEBUG']\nSTATIC_ROOT = 'x'\n",
            ),
            ("shop/wsgi.py", "application = get_wsgi_application()\n"),
        ]);
        assert_eq!(facts.framework.map(|f| f.source), Some("requirements/base.txt:2".into()));
        assert_eq!(
            facts.install_files,
            ["requirements.txt", "requirements/production.txt", "requirements/base.txt", "constraints.txt"]
        );
        let build = facts.build.unwrap().value.join(" ");
        assert_eq!(
            build, "env DJANGO_DEBUG=collectstatic-only python manage.py collectstatic --noinput",
            "only quoted names"
        );
    }

    #[test]
    fn fastapi_without_uvicorn_has_no_start_command() {
        let facts = facts(&[("requirements.txt", "fastapi\n"), ("main.py", "app = FastAPI()\n")]);
        assert!(facts.start.is_none());
        assert!(facts.findings.iter().any(|f| f.message.contains("no production server")));
    }
}
