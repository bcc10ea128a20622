//! Python applications read from their source folder: version, the tool that pins the
//! dependencies (pip, poetry, uv), the framework and the production server that runs it
//! (gunicorn, uvicorn), the WSGI/ASGI application, port, environment and what will not
//! survive a container. Every fact says which file (and line) it came from.

mod cli_port;
mod console_script;
mod dependencies;
mod disk_writes;
mod django;
mod flask_config;
mod gunicorn_config;
mod image_install;
mod image_only_server;
mod media_uploads;
mod module_imports;
mod native_builds;
mod pinned_wheels;
mod project_root;
mod readiness;
mod scheduler_wiring;
mod self_run;
mod served_writes;
mod server;
mod serving_script;
mod settings_databases;
mod settings_overrides;
mod settings_readiness;
mod start_extra;
mod startup_hooks;
mod table_creation;
mod upload_folders;

use super::app_files::AppFiles;
use super::source::{Fact, Framework, SourceFacts, fact};
use crate::model::{Finding, FindingLevel, PackageManager};
use dependencies::{
    Dependencies, Optional, SERVERS, dependencies, optional_with_a_server, package_manager, requirement_files, version,
};
use django::django;
use readiness::readiness;
use server::{derived_start, entry, port_in_code, procfile};

const EXTENSIONS: [&str; 1] = ["py"];

/// Files whose presence at the root makes the folder a Python app.
const MARKERS: [&str; 6] = ["requirements.txt", "pyproject.toml", "Pipfile", "setup.py", "manage.py", "uv.lock"];

const DJANGO: Framework = Framework { name: "Django", default_port: Some(8000) };
const FASTAPI: Framework = Framework { name: "FastAPI", default_port: Some(8000) };
const FLASK: Framework = Framework { name: "Flask", default_port: Some(5000) };

/// The port placeholder in a derived start command: the profile puts the chosen port there.
pub const PORT: &str = "$PORT";

pub use image_install::start_needs_the_project;

/// The facts of a Python app, or `None` when the folder is not one.
pub fn analyze(files: &AppFiles) -> Option<SourceFacts> {
    if !MARKERS.iter().any(|m| files.has(m)) {
        return None;
    }
    let mut findings = Vec::new();
    let pyproject = pyproject(files, &mut findings);
    let mut deps = dependencies(files, pyproject.as_ref());
    let requirements = requirement_files(files);
    let mut facts = SourceFacts::new("python", "3.13", package_manager(files, pyproject.as_ref(), &mut findings));
    facts.findings = findings;
    install_the_optional_server(pyproject.as_ref(), requirements.is_empty(), &mut deps, &mut facts);
    facts.system_packages =
        native_builds::system_packages(files, &deps).map(|(packages, source)| fact(packages, source));
    pip_install_inputs(&mut facts, requirements, pyproject.as_ref());
    facts.version = stated_or_pinned_version(files, pyproject.as_ref());
    if let Some(python) = facts.version.as_ref().map(|v| v.value.clone())
        && let Some((packages, why)) = pinned_wheels::source_builds(files, &python)
    {
        add_system_packages(&mut facts, packages, &why);
    }
    facts.framework = framework(&deps);
    facts.variables = crate::analyze::variables::python_reads(files);
    facts.health_path = crate::analyze::health::health_path(files, &EXTENSIONS, &mut facts.findings);
    let django = django(files, &facts.variables);
    facts.entry = entry(files, &deps, facts.framework.as_ref(), django.as_ref());
    let installs_the_project = matches!(facts.package_manager.value, PackageManager::Uv)
        || (facts.package_manager.value == PackageManager::Pip && requirement_files(files).is_empty());
    facts.start = start_command(files, &deps, &mut facts);
    if facts.start.is_none()
        && installs_the_project
        && let Some(script) = project_script(files, pyproject.as_ref())
    {
        facts.findings.push(
            Finding::warning(
                "start-from-project-script",
                format!(
                    "nothing else says how the app starts: the container runs `{}`, the command the project installs",
                    script.value.join(" ")
                ),
                script.source.clone(),
            )
            .with_fix("check the command serves the app (a CLI may need a subcommand, such as `run` or `serve`), or set the start command by hand"),
        );
        facts.start = Some(script);
    }
    if facts.start.is_none() {
        facts.start = self_run::self_running_script(files);
    }
    install_the_start_extra(files, pyproject.as_ref(), &deps, &mut facts);
    settle_image_install(files, pyproject.as_ref(), &deps, &mut facts);
    let runs_a_script = facts.start.as_ref().is_some_and(|s| s.value.iter().any(|w| w.ends_with(".py")));
    let subcommand_port = facts.start.as_ref().and_then(|start| cli_port::subcommand_port(files, &start.value));
    let configured = facts.start.as_ref().and_then(|start| gunicorn_config::bound_port(files, &start.value));
    let own_server = facts.start.as_ref().and_then(|start| serving_script::serving_port(files, start));
    facts.port = subcommand_port.or(configured).or(own_server).or_else(|| port_in_code(files, runs_a_script));
    if let Some(start) =
        facts.start.as_ref().filter(|s| s.source.starts_with("derived") || serves_on_its_default(&s.value))
    {
        // The image runs gunicorn or uvicorn, never `flask run`: their default, 8000, is what
        // an operator expects when nothing names a port, not Flask's 5000.
        facts.server_default_port = Some(fact(8000, format!("{}'s default port", start.value[0])));
    }
    if let Some(command) = django.as_ref().and_then(collectstatic) {
        facts.build = Some(command);
    }
    readiness(files, &deps, django.as_ref(), facts.entry.is_some(), &mut facts);
    if let Some((finding, requirement)) =
        facts.start.as_ref().and_then(|start| image_only_server::added_server(files, &deps, start))
    {
        facts.findings.push(finding);
        facts.added_packages.push(requirement);
    }
    if let Some(finding) = facts.start.as_ref().and_then(|start| server::dev_server_on_loopback(files, &start.value)) {
        facts.findings.push(finding);
    }
    Some(facts)
}

/// What the image installs, settled once the start is known: the project's own install
/// method, requirement files over the project, and a console script the start runs.
fn settle_image_install(
    files: &AppFiles,
    pyproject: Option<&toml::Table>,
    deps: &Dependencies,
    facts: &mut SourceFacts,
) {
    image_install::apply(files, pyproject, facts);
    image_install::requirements_instead_of_project(files, pyproject, facts);
    console_script::settle(files, deps, facts);
}

/// The Python the app states, else its workspace root's, else the newest its old compiled
/// pins install on.
fn stated_or_pinned_version(files: &AppFiles, pyproject: Option<&toml::Table>) -> Option<Fact<String>> {
    version(files, pyproject).or_else(|| {
        // A workspace member states nothing itself: the repository's root pins the version.
        crate::analyze::repository_pins::from_root(files, |repository| {
            let root_pyproject = repository.get("pyproject.toml").and_then(|t| t.parse::<toml::Table>().ok());
            version(repository, root_pyproject.as_ref())
        })
        .or_else(|| formatter_target(pyproject))
        .or_else(|| pinned_wheels::newest_installable(files))
    })
}

/// What pip installs from: the requirement files, or, with none, a pyproject's runtime groups.
fn pip_install_inputs(facts: &mut SourceFacts, requirements: Vec<String>, pyproject: Option<&toml::Table>) {
    if facts.package_manager.value != PackageManager::Pip {
        return;
    }
    if requirements.is_empty() {
        facts.install_groups = runtime_groups_only(pyproject);
    } else {
        facts.install_files = requirements;
    }
}

/// A pyproject that is no package (`[dependency-groups] main = [...]` and no `[project]`):
/// `pip install .` cannot build it, so pip 25.1+ installs its groups, all but the developers'.
fn runtime_groups_only(pyproject: Option<&toml::Table>) -> Vec<String> {
    let Some(pyproject) = pyproject.filter(|p| !p.contains_key("project")) else { return Vec::new() };
    const DEVELOPERS: [&str; 9] = ["dev", "test", "tests", "lint", "docs", "typing", "ci", "mypy", "format"];
    let groups = pyproject.get("dependency-groups").and_then(toml::Value::as_table);
    groups
        .into_iter()
        .flatten()
        .map(|(name, _)| name.clone())
        .filter(|name| !DEVELOPERS.contains(&name.as_str()))
        .collect()
}

/// The release the project's formatter or linter writes for (`[tool.black] target-version =
/// ['py311']`, `[tool.ruff] target-version = "py311"`): the maintainers' own Python, surer than
/// a guess from the wheels the pins have.
fn formatter_target(pyproject: Option<&toml::Table>) -> Option<Fact<String>> {
    let tools = pyproject?.get("tool")?;
    ["black", "ruff"].iter().find_map(|tool| {
        let target = tools.get(tool)?.get("target-version")?;
        let names: Vec<&str> = match target {
            toml::Value::String(one) => vec![one.as_str()],
            toml::Value::Array(many) => many.iter().filter_map(toml::Value::as_str).collect(),
            _ => return None,
        };
        let newest = names
            .iter()
            .filter_map(|name| name.strip_prefix("py")?.strip_prefix('3')?.parse::<u32>().ok())
            .filter(|minor| (8..=14).contains(minor))
            .max()?;
        Some(fact(format!("3.{newest}"), format!("pyproject.toml tool.{tool}.target-version")))
    })
}

/// Adds Debian packages the image needs, each once, and says why beside what was said.
fn add_system_packages(facts: &mut SourceFacts, packages: Vec<String>, why: &str) {
    let (mut all, source) = match facts.system_packages.take() {
        Some(held) => (held.value, format!("{}; {why}", held.source)),
        None => (Vec::new(), why.to_string()),
    };
    all.extend(packages);
    all.sort();
    all.dedup();
    facts.system_packages = Some(fact(all, source));
}

/// A production server the repository starts without naming where it listens (a Procfile's
/// `gunicorn wsgi:app`): it serves on its own default, 8000.
fn serves_on_its_default(command: &[String]) -> bool {
    let program = command.first().map_or("", |p| p.rsplit('/').next().unwrap_or(p));
    let names_it = command.iter().any(|w| {
        ["--bind", "-b", "--port", "--host", "--uds", "--fd"]
            .iter()
            .any(|flag| w == flag || w.starts_with(&format!("{flag}=")))
    });
    matches!(program, "gunicorn" | "uvicorn" | "hypercorn" | "daphne") && !names_it
}

/// pyproject.toml as a table; `None` when there is none, or it does not parse (a finding).
fn pyproject(files: &AppFiles, findings: &mut Vec<Finding>) -> Option<toml::Table> {
    files.get("pyproject.toml").and_then(|text| match text.parse::<toml::Table>() {
        Ok(table) => Some(table),
        Err(error) => {
            findings.push(Finding {
                kind: "pyproject-invalid".into(),
                fix: None,
                level: FindingLevel::Warning,
                message: format!("pyproject.toml does not parse ({}): its facts are skipped", error.message()),
                source: "pyproject.toml".into(),
            });
            None
        }
    })
}

/// When the project itself is installed and its dependencies name no production server, the
/// optional set that brings one (an extra, or a group under uv) is installed with it.
fn install_the_optional_server(
    pyproject: Option<&toml::Table>,
    no_requirement_files: bool,
    deps: &mut Dependencies,
    facts: &mut SourceFacts,
) {
    let installs_the_project = matches!(facts.package_manager.value, PackageManager::Uv)
        || (facts.package_manager.value == PackageManager::Pip && no_requirement_files);
    // uv installs the project from its lock, not from exported requirement files (which may
    // hold the production group's server): only the project's own dependencies count there.
    let has_a_server = match facts.package_manager.value {
        PackageManager::Uv => project_dependencies(pyproject).iter().any(|dep| SERVERS.contains(&dep.as_str())),
        _ => SERVERS.iter().any(|server| deps.has(server)),
    };
    if installs_the_project
        && !has_a_server
        && let Some(set) = optional_with_a_server(pyproject)
        // pip installs a project's extras; dependency groups need uv.
        && (set.kind == Optional::Extra || facts.package_manager.value == PackageManager::Uv)
    {
        // `[project.optional-dependencies] docker = ["gunicorn"]`: the maintainers' image
        // installs that set, and so does this one.
        let source = set.dependencies.first().map(|(_, source)| source.clone()).unwrap_or_default();
        deps.0.extend(set.dependencies);
        facts.findings.push(Finding::info(
            "install-extra",
            format!("the image installs `{}`, which brings the production server", set.name),
            source,
        ));
        match set.kind {
            Optional::Extra => facts.install_extras.push(set.name),
            Optional::Group => facts.install_groups.push(set.name),
        }
    }
}

/// The names in `[project].dependencies`, lower case with `-` for `_`.
fn project_dependencies(pyproject: Option<&toml::Table>) -> Vec<String> {
    let listed = pyproject.and_then(|p| p.get("project")).and_then(|p| p.get("dependencies"));
    listed
        .and_then(toml::Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(toml::Value::as_str)
        .map(dependencies::spec_name)
        .collect()
}

/// When the project itself is installed and the start command runs what only one of its extras
/// brings (`./manage.py pyuwsgi` with `django-webserver[pyuwsgi]` in the `production` extra),
/// that extra is installed with it.
fn install_the_start_extra(
    files: &AppFiles,
    pyproject: Option<&toml::Table>,
    deps: &Dependencies,
    facts: &mut SourceFacts,
) {
    let installs_the_project = matches!(facts.package_manager.value, PackageManager::Uv | PackageManager::Poetry)
        || (facts.package_manager.value == PackageManager::Pip && requirement_files(files).is_empty());
    let Some(start) = facts.start.as_ref().filter(|_| installs_the_project) else { return };
    let Some(found) = start_extra::extra_for_start(files, pyproject, deps, &start.value) else { return };
    if facts.install_extras.contains(&found.extra) {
        return;
    }
    facts.findings.push(Finding::info(
        "install-extra",
        format!(
            "the image installs the project's `{}` extra: the start command runs `{}`, which `{}` brings, and nothing else installs it",
            found.extra, found.command, found.package
        ),
        found.source,
    ));
    facts.install_extras.push(found.extra);
}

/// The start command, from what says it best.
fn start_command(files: &AppFiles, deps: &Dependencies, facts: &mut SourceFacts) -> Option<Fact<Vec<String>>> {
    // The maintainers' own image says how the app runs in a container (with the settings,
    // migrations and server flags they chose); a Procfile says how it runs on a platform; a
    // command derived from the framework is the last resort.
    // An image that runs a development server (`manage.py runserver`, `fastapi dev`) is the
    // maintainers' workstation setup: a Procfile's production server says it better, and one
    // from a development-named file (`Dockerfile.dev`, `entrypoint-dev.sh`) never starts it.
    let declared = crate::analyze::container_start::declared_start_of(files, "python");
    let declared = match declared {
        Some(dev)
            if runs_a_development_server(&dev.value, &dev.source)
                && (production_procfile(files).is_some()
                    || crate::analyze::container_start::cites_a_development_file(&dev.source)) =>
        {
            None
        }
        declared => declared.map(production_form),
    };
    match declared {
        Some(declared) => {
            facts.findings.push(crate::analyze::container_start::said(&declared));
            facts.findings.extend(crate::analyze::supervisord::other_programs(files, &declared));
            facts.findings.extend(crate::analyze::entrypoint_script::migrations(files, &declared));
            Some(declared)
        }
        None => production_procfile(files)
            .or_else(|| production_compose_start(files, &mut facts.findings))
            // An entry script that starts tornado, waitress or the like itself builds the app
            // its own way: the module-level object a derived command would serve may be bare.
            .or_else(|| {
                // Beside a Django project (manage.py at the root), a script in a folder that
                // serves itself is a side service (`image_similarity/main.py`), not the site.
                let side_service = |start: &Fact<Vec<String>>| {
                    files.has("manage.py") && start.value.get(1).is_some_and(|script| script.contains('/'))
                };
                serving_script::serving_start(files, |library| deps.has(library)).filter(|s| !side_service(s))
            })
            .or_else(|| derived_start(files, deps, facts.framework.as_ref(), facts.entry.as_ref())),
    }
}

/// The Procfile's `web:` line, unless it is a developer's: `web: make run` runs whatever the
/// Makefile's recipe says (`manage.py runserver`, typically) with a make the image lacks, and a
/// development server is no production start. The framework's server then says it better.
fn production_procfile(files: &AppFiles) -> Option<Fact<Vec<String>>> {
    procfile(files).filter(|start| serves_in_production(&start.value, &start.source))
}

/// The compose file's app command, on the same terms as the Procfile's.
fn production_compose_start(files: &AppFiles, findings: &mut Vec<Finding>) -> Option<Fact<Vec<String>>> {
    let composed = crate::analyze::compose_command::compose_start(files)?;
    if !serves_in_production(&composed.value, &composed.source) {
        return None;
    }
    crate::analyze::compose_command::compose_start_said(files, findings)
}

/// Neither a make target (`make run`, `make serve`) nor a development server.
fn serves_in_production(words: &[String], source: &str) -> bool {
    let runs_make = words.first().is_some_and(|w| matches!(w.as_str(), "make" | "gmake"));
    !runs_make && !runs_a_development_server(words, source)
}

/// Whether a command runs a framework's development server: Django's and Flask-Script's
/// `runserver`, `flask run`, `fastapi dev`, a server with `--reload`.
fn runs_a_development_server(words: &[String], source: &str) -> bool {
    let has = |word: &str| words.iter().any(|w| w == word);
    // `--reload` is gone from the command by now; its source says it was there.
    let reloads = source.contains(crate::analyze::container_start::REMOVED) && source.contains("`--reload`");
    has("runserver") || has("--reload") || reloads || (has("flask") && has("run")) || (has("fastapi") && has("dev"))
}

/// `fastapi dev app/main.py` → `fastapi run app/main.py`: the same app, without the reloader
/// and bound to every interface.
fn production_form(start: Fact<Vec<String>>) -> Fact<Vec<String>> {
    let Some(at) = start.value.iter().position(|w| w == "fastapi") else { return start };
    if start.value.get(at + 1).is_none_or(|w| w != "dev") {
        return start;
    }
    let mut value = start.value.clone();
    value[at + 1] = "run".into();
    fact(value, format!("{} (`fastapi dev` made `fastapi run`)", start.source))
}

/// The command the project installs for itself (`[project.scripts] api = "api.cli:main"`), when
/// the image installs the project and nothing else says how it starts: its only script, or the
/// one named as the project.
fn project_script(files: &AppFiles, pyproject: Option<&toml::Table>) -> Option<Fact<Vec<String>>> {
    let project = pyproject?.get("project")?;
    let scripts = project.get("scripts")?.as_table()?;
    let name = project.get("name").and_then(toml::Value::as_str).unwrap_or("");
    let script = match scripts.len() {
        1 => scripts.keys().next()?.clone(),
        _ => scripts.keys().find(|key| key.replace('_', "-") == name.replace('_', "-"))?.clone(),
    };
    let text = files.get("pyproject.toml").unwrap_or("");
    let section = text.lines().position(|line| line.trim() == "[project.scripts]").unwrap_or(0);
    let line = text
        .lines()
        .enumerate()
        .skip(section)
        .find(|(_, line)| line.trim_start().trim_start_matches('"').starts_with(script.as_str()))
        .map_or(section + 1, |(index, _)| index + 1);
    Some(fact(vec![script], format!("pyproject.toml:{line} [project.scripts]")))
}

/// The build step that gathers Django's static files into `STATIC_ROOT`, when it is set.
fn collectstatic(django: &django::Django) -> Option<Fact<Vec<String>>> {
    let static_root = django.static_root.as_ref()?;
    // The settings the server loads, not manage.py's developer default. Settings that demand
    // a variable at import would stop the build: give each a value that exists only for this
    // one command (it is no secret, and not kept in the image).
    let mut command: Vec<String> = Vec::new();
    let served = django.served_settings.iter().map(|module| format!("DJANGO_SETTINGS_MODULE={module}"));
    let value = |name: &String| if django.plain_env.contains(name) { "0" } else { "collectstatic-only" };
    let required = django.required_env.iter().map(|name| format!("{name}={}", value(name)));
    let assignments: Vec<String> = served.chain(required).collect();
    if !assignments.is_empty() {
        command.push("env".into());
        command.extend(assignments);
    }
    command.extend(["python", "manage.py", "collectstatic", "--noinput"].map(String::from));
    Some(fact(command, static_root.clone()))
}

fn framework(deps: &Dependencies) -> Option<Fact<Framework>> {
    [("django", DJANGO), ("fastapi", FASTAPI), ("flask", FLASK)]
        .into_iter()
        .find_map(|(name, framework)| deps.get(name).map(|source| fact(framework, source)))
}

pub(super) fn is_identifier(text: &str) -> bool {
    text.chars().next().is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && text.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
}

#[cfg(test)]
mod tests {
    use super::*;

    fn facts(pairs: &[(&str, &str)]) -> SourceFacts {
        analyze(&AppFiles::from_pairs(pairs.iter().copied())).expect("a Python app")
    }

    /// The repository's image runs a development server: `fastapi dev` becomes `fastapi run`;
    /// `runserver` gives way to the Procfile's production server; an entrypoint that waits for
    /// a database and runs the arguments it is not given states no command.
    #[test]
    fn a_pyproject_of_groups_alone_installs_its_runtime_groups() {
        let groups: toml::Table = "[dependency-groups]\nmain = [\"django\"]\ndev = [\"pytest\"]\n".parse().unwrap();
        assert_eq!(runtime_groups_only(Some(&groups)), ["main"]);
        let package: toml::Table = "[project]\nname = \"x\"\n[dependency-groups]\nmain = []\n".parse().unwrap();
        assert!(runtime_groups_only(Some(&package)).is_empty());
    }

    #[test]
    fn the_formatters_target_states_the_release() {
        let black: toml::Table = "[tool.black]\ntarget-version = ['py310', 'py311']\n".parse().unwrap();
        assert_eq!(formatter_target(Some(&black)).map(|v| v.value).as_deref(), Some("3.11"));
        let ruff: toml::Table = "[tool.ruff]\ntarget-version = \"py312\"\n".parse().unwrap();
        assert_eq!(formatter_target(Some(&ruff)).map(|v| v.value).as_deref(), Some("3.12"));
        let odd: toml::Table = "[tool.black]\ntarget-version = ['py27']\n".parse().unwrap();
        assert_eq!(formatter_target(Some(&odd)), None);
    }

    #[test]
    fn development_servers_in_the_repositorys_image() {
        let fastapi = facts(&[
            ("requirements.txt", "fastapi[standard]\n"),
            ("app/main.py", "from fastapi import FastAPI\napp = FastAPI()\n"),
            ("Dockerfile", "FROM python:3.12\nCMD [\"fastapi\", \"dev\", \"app/main.py\", \"--host\", \"0.0.0.0\"]\n"),
        ]);
        assert_eq!(fastapi.start.unwrap().value, ["fastapi", "run", "app/main.py", "--host", "0.0.0.0"]);
        let django = [
            ("requirements.txt", "django\ndaphne\n"),
            ("manage.py", "os.environ.setdefault(\"DJANGO_SETTINGS_MODULE\", \"config.settings\")\n"),
            ("config/asgi.py", "application = get_asgi_application()\n"),
            ("Procfile", "web: daphne -b 0.0.0.0 -p 8000 config.asgi:application\n"),
        ];
        let mut dev = django.to_vec();
        dev.push((
            "compose/local/Dockerfile",
            "FROM python:3.12\nCMD [\"python\", \"manage.py\", \"runserver\", \"0.0.0.0:8000\"]\n",
        ));
        assert_eq!(facts(&dev).start.unwrap().value[0], "daphne");
        let mut waiting = django.to_vec();
        waiting.push((
            "compose/production/Dockerfile",
            "FROM python:3.12\nCOPY entrypoint.sh /entrypoint.sh\nENTRYPOINT [\"/entrypoint.sh\"]\n",
        ));
        waiting.push(("entrypoint.sh", "#!/bin/sh\ncmd=\"$@\"\nuntil postgres_ready; do sleep 1; done\nexec $cmd\n"));
        assert_eq!(facts(&waiting).start.unwrap().source, "Procfile line 1");
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
        let env: Vec<_> = facts.variables.iter().map(|f| (f.name.as_str(), f.source.as_str())).collect();
        assert_eq!(env, [("API_KEY", "app.py:4")]);
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
        // The image adds the server the dependencies lack, and a warning says so.
        let start = facts.start.unwrap();
        assert_eq!(start.value[0], "gunicorn");
        assert!(
            start.source.ends_with("gunicorn is not in the dependencies, so the image adds it"),
            "{}",
            start.source
        );
        let warned = facts.findings.iter().find(|f| f.kind == "no-production-server").unwrap();
        assert_eq!(warned.level, FindingLevel::Warning);
        assert!(warned.fix.as_deref().unwrap().contains("add gunicorn"), "{warned:?}");
        assert_eq!(facts.added_packages, ["gunicorn<24"]);
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
    fn static_files_collected_where_a_star_imported_base_sets_the_root() {
        let facts = facts(&[
            ("requirements.txt", "django==5.1\ngunicorn==23.0.0\n"),
            ("manage.py", "os.environ.setdefault(\"DJANGO_SETTINGS_MODULE\", \"shop.settings.dev\")\n"),
            ("shop/settings/dev.py", "from .base import *  # noqa: F403\nDEBUG = True\n"),
            (
                "shop/settings/base.py",
                "STATIC_ROOT = BASE_DIR / 'static'\nSECRET_KEY = os.environ['SHOP_SECRET_KEY']\n",
            ),
            ("shop/wsgi.py", "application = get_wsgi_application()\n"),
        ]);
        let build = facts.build.unwrap();
        // What the base module requires at import is given a value for this one command.
        assert_eq!(
            build.value.join(" "),
            "env SHOP_SECRET_KEY=collectstatic-only python manage.py collectstatic --noinput"
        );
        assert_eq!(build.source, "shop/settings/base.py:1");
    }

    #[test]
    fn static_files_are_collected_with_the_settings_the_server_loads() {
        let wsgi = "os.environ.setdefault(\"DJANGO_SETTINGS_MODULE\", \"shop.settings.production\")\napplication = get_wsgi_application()\n";
        let facts = facts(&[
            ("requirements.txt", "django==5.1\ngunicorn==23.0.0\n"),
            ("manage.py", "os.environ.setdefault(\"DJANGO_SETTINGS_MODULE\", \"shop.settings.local\")\n"),
            ("shop/settings/base.py", "STATIC_ROOT = BASE_DIR / 'static'\n"),
            ("shop/settings/local.py", "from .base import *\nINSTALLED_APPS += ['debug_toolbar']\n"),
            ("shop/settings/production.py", "from .base import *\nSECRET_KEY = os.environ['SHOP_KEY']\n"),
            ("shop/wsgi.py", wsgi),
        ]);
        // manage.py's default loads a developer's apps the image does not install.
        assert_eq!(
            facts.build.unwrap().value.join(" "),
            "env DJANGO_SETTINGS_MODULE=shop.settings.production SHOP_KEY=collectstatic-only python manage.py collectstatic --noinput"
        );
    }

    #[test]
    fn settings_read_through_decouple_without_a_default_get_a_value_for_collectstatic() {
        let settings = "from decouple import config\nSECRET_KEY = config('SECRET_KEY')\nDEBUG = config('DEBUG', cast=bool)\nSTATIC_ROOT = 'static'\nTZ = config('TZ', default='UTC')\n";
        let facts = facts(&[
            ("requirements.txt", "django==5.1\ngunicorn==23.0.0\npython-decouple==3.8\n"),
            ("manage.py", "os.environ.setdefault(\"DJANGO_SETTINGS_MODULE\", \"shop.settings\")\n"),
            ("shop/settings.py", settings),
            ("shop/wsgi.py", "application = get_wsgi_application()\n"),
        ]);
        assert_eq!(
            facts.build.unwrap().value.join(" "),
            "env SECRET_KEY=collectstatic-only DEBUG=0 python manage.py collectstatic --noinput"
        );
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
    fn a_server_in_an_optional_group_is_installed_with_it() {
        let facts = facts(&[
            (
                "pyproject.toml",
                "[project]\nname = \"gym\"\ndependencies = [\"django~=5.2\"]\n\n[project.optional-dependencies]\ndev = [\"ruff\"]\ndocker = [\"gunicorn~=23.0\"]\n",
            ),
            ("manage.py", "os.environ.setdefault(\"DJANGO_SETTINGS_MODULE\", \"settings.main\")\n"),
            ("gym/wsgi.py", "application = get_wsgi_application()\n"),
        ]);
        assert_eq!(facts.install_extras, ["docker"]);
        let start = facts.start.unwrap();
        assert_eq!(
            (start.value[0].as_str(), start.value.last().unwrap().as_str()),
            ("gunicorn", "gym.wsgi:application")
        );
        assert!(!facts.findings.iter().any(|f| f.kind == "no-production-server"));
    }

    #[test]
    fn fastapi_without_uvicorn_gets_uvicorn_in_its_image() {
        let facts = facts(&[("requirements.txt", "fastapi\n"), ("main.py", "app = FastAPI()\n")]);
        assert_eq!(facts.start.unwrap().value[..2], ["uvicorn", "main:app"]);
        assert!(
            facts.findings.iter().any(|f| f.message.contains("no production server") && f.message.contains("uvicorn"))
        );
        assert_eq!(facts.added_packages, ["uvicorn<1"]);
    }
}
