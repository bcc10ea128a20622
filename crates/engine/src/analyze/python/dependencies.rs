//! The declared dependencies (requirements.txt with its `-r`/`-c` includes, `project.dependencies`,
//! poetry's table), the tool that pins them and the Python version.

use crate::analyze::app_files::{AppFiles, normalized};
use crate::analyze::source::{Fact, fact, version_in};
use crate::analyze::stated_version;
use crate::model::{Finding, FindingLevel, PackageManager};

/// The declared dependencies, by normalised name, with where each was declared.
pub(super) struct Dependencies(pub(super) Vec<(String, String)>);

impl Dependencies {
    pub(super) fn get(&self, name: &str) -> Option<&str> {
        self.0.iter().find(|(n, _)| n == name).map(|(_, source)| source.as_str())
    }

    pub(super) fn has(&self, name: &str) -> bool {
        self.get(name).is_some()
    }
}

pub(super) fn version(files: &AppFiles, pyproject: Option<&toml::Table>) -> Option<Fact<String>> {
    stated_by_the_build(files, pyproject).or_else(|| readme_version(files))
}

/// A release a README states; a floor (`3.10+`) leaves ferry's default, which meets it.
fn readme_version(files: &AppFiles) -> Option<Fact<String>> {
    let plausible = |v: &str| v.starts_with("3.") || v.starts_with("2.");
    let stated = crate::analyze::readme_version::stated(files, &["python"], 2, plausible)?;
    (!stated.floor).then_some(stated.version)
}

fn stated_by_the_build(files: &AppFiles, pyproject: Option<&toml::Table>) -> Option<Fact<String>> {
    if let Some(v) = files.get(".python-version").and_then(|t| version_in(t.trim(), 2)) {
        return Some(fact(v, ".python-version"));
    }
    if let Some(v) = files.get("runtime.txt").and_then(|t| version_in(t.trim().trim_start_matches("python-"), 2)) {
        return Some(fact(v, "runtime.txt"));
    }
    let declared = stated_version::version_manager(files, &stated_version::PYTHON)
        .or_else(|| stated_version::dockerfile(files, &stated_version::PYTHON));
    if declared.is_some() {
        return declared;
    }
    if let Some(v) = pipfile_python(files) {
        return Some(v);
    }
    let Some(table) = pyproject else { return stated_version::ci(files, &stated_version::PYTHON) };
    let project = table.get("project").and_then(|p| p.get("requires-python")).and_then(toml::Value::as_str);
    if let Some(found) = project.and_then(requires_python) {
        return Some(found);
    }
    let poetry = table
        .get("tool")
        .and_then(|t| t.get("poetry"))
        .and_then(|p| p.get("dependencies"))
        .and_then(|d| d.get("python"))
        .and_then(toml::Value::as_str);
    poetry
        .and_then(pinned_or_minor)
        .map(|v| fact(v, "pyproject.toml tool.poetry.dependencies.python"))
        .or_else(|| stated_version::ci(files, &stated_version::PYTHON))
}

/// Python releases still given security fixes, newest first.
const SUPPORTED: [(u32, u32); 4] = [(3, 13), (3, 12), (3, 11), (3, 10)];

/// The release `requires-python` gives the image. Its floor when that is a supported release
/// (`>=3.12` runs on 3.12); an older floor (`>=3.6`) only says what the code still runs on,
/// so the image takes the newest supported release the range admits, and the source says so.
fn requires_python(range: &str) -> Option<Fact<String>> {
    let floor = version_in(range, 2)?;
    let source = "pyproject.toml project.requires-python";
    let old = minor_of(&floor).is_some_and(|floor| floor < SUPPORTED[SUPPORTED.len() - 1]);
    let admitted = old.then(|| SUPPORTED.into_iter().find(|release| admits(range, *release))).flatten();
    Some(match admitted {
        Some((major, minor)) => fact(
            format!("{major}.{minor}"),
            format!(
                "{source} (`{}` is a floor, long out of support: the newest supported release it admits)",
                range.trim()
            ),
        ),
        None => fact(floor, source),
    })
}

/// `3.6` → (3, 6).
fn minor_of(version: &str) -> Option<(u32, u32)> {
    let mut parts = version.trim().trim_end_matches(".*").split('.').map(|p| p.parse::<u32>().ok());
    Some((parts.next()??, parts.next().flatten().unwrap_or(0)))
}

/// Whether every clause of a version range (`>=3.6,<3.12`, `~=3.8`, `!=3.9.*`) admits the
/// minor release; patch levels are read as their minor release.
fn admits(range: &str, release: (u32, u32)) -> bool {
    range.split(',').map(str::trim).filter(|clause| !clause.is_empty()).all(|clause| {
        let at = clause.find(|c: char| c.is_ascii_digit()).unwrap_or(clause.len());
        let (operator, version) = (clause[..at].trim(), &clause[at..]);
        let Some(bound) = minor_of(version) else { return true };
        match operator {
            ">=" | ">" => release >= bound,
            "<=" => release <= bound,
            "<" => release < bound,
            "==" | "===" => release == bound,
            "!=" => release != bound,
            "~=" => release >= bound && release.0 == bound.0,
            _ => true,
        }
    })
}

/// An exact patch pin (`python = "3.11.7"`, `==3.11.7`) as it is: poetry refuses any other
/// patch release, so the image must be that one; any other range gives its minor version.
fn pinned_or_minor(range: &str) -> Option<String> {
    let bare = range.trim().trim_start_matches("==").trim_start_matches('=').trim();
    let parts: Vec<&str> = bare.split('.').collect();
    let exact = parts.len() == 3 && parts.iter().all(|p| !p.is_empty() && p.chars().all(|c| c.is_ascii_digit()));
    if exact { Some(bare.to_string()) } else { version_in(range, 2) }
}

/// A Pipfile's `[requires] python_version`: pipenv refuses another, so the image must match.
fn pipfile_python(files: &AppFiles) -> Option<Fact<String>> {
    let table: toml::Table = files.get("Pipfile")?.parse().ok()?;
    let stated = table.get("requires")?.get("python_version")?.as_str()?;
    version_in(stated, 2).map(|v| fact(v, "Pipfile requires.python_version"))
}

pub(super) fn package_manager(
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
    if let Some(requirements) = files.get("requirements.txt") {
        // `-e .[dev,test]` alone: the file installs the project itself, which pip builds from
        // its source, with the extras the developers use; the image installs the project.
        let packaging = ["setup.py", "setup.cfg", "pyproject.toml"].into_iter().find(|file| files.has(file));
        if let Some(packaging) = packaging.filter(|_| only_installs_the_project(requirements)) {
            return fact(PackageManager::Pip, format!("{packaging} (requirements.txt installs the project itself)"));
        }
        return fact(PackageManager::Pip, "requirements.txt");
    }
    if pyproject.and_then(|t| t.get("tool")).and_then(|t| t.get("poetry")).is_some() {
        findings.push(Finding {
            kind: "no-lockfile".into(),
            fix: None,
            level: FindingLevel::Warning,
            message:
                "a poetry project without poetry.lock: the image resolves dependencies at build time; commit the lock"
                    .into(),
            source: "pyproject.toml".into(),
        });
        return fact(PackageManager::Poetry, "pyproject.toml tool.poetry");
    }
    if files.has("Pipfile.lock") {
        return fact(PackageManager::Pipenv, "Pipfile.lock");
    }
    if files.has("Pipfile") {
        findings.push(Finding {
            kind: "no-lockfile".into(),
            fix: Some("run `pipenv lock` and commit Pipfile.lock".into()),
            level: FindingLevel::Warning,
            message: "a Pipfile without Pipfile.lock: the image resolves dependencies at build time".into(),
            source: "Pipfile".into(),
        });
        return fact(PackageManager::Pipenv, "Pipfile");
    }
    fact(PackageManager::Pip, "default: no lockfile")
}

/// Whether every requirement of a file is the project in its own folder (`-e .`, `.[web]`).
fn only_installs_the_project(requirements: &str) -> bool {
    let lines: Vec<&str> = requirements
        .lines()
        .map(|line| line.split('#').next().unwrap_or("").trim())
        .filter(|l| !l.is_empty())
        .collect();
    !lines.is_empty()
        && lines.iter().all(|line| {
            let target = line.strip_prefix("-e").or_else(|| line.strip_prefix("--editable")).unwrap_or(line).trim();
            let path = target.split('[').next().unwrap_or(target);
            matches!(path, "." | "./")
        })
}

/// Names from requirements.txt, `project.dependencies` and poetry's dependency table.
/// What an extra installs that the image must know of: `fastapi[standard]` brings uvicorn,
/// which the start command needs; `psycopg[c]` brings psycopg-c, which pip builds from source.
fn implied_by(name: &str, spec: &str) -> impl Iterator<Item = &'static str> {
    let extras = spec.split_once('[').and_then(|(_, rest)| rest.split_once(']')).map_or("", |(extras, _)| extras);
    let has = |wanted: &[&str]| extras.split(',').any(|e| wanted.contains(&e.trim()));
    let standard = name == "fastapi" && has(&["standard", "all"]);
    let compiled = name == "psycopg" && has(&["c"]);
    standard.then_some("uvicorn").into_iter().chain(compiled.then_some("psycopg-c"))
}

pub(super) fn dependencies(files: &AppFiles, pyproject: Option<&toml::Table>) -> Dependencies {
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
            let source = format!("{file}:{}", index + 1);
            found.extend(implied_by(&name_of(line), line).map(|name| (name.to_string(), source.clone())));
            found.push((name_of(line), source));
        }
    }
    if let Some(table) = pyproject {
        let project = table.get("project").and_then(|p| p.get("dependencies")).and_then(toml::Value::as_array);
        for spec in project.into_iter().flatten().filter_map(toml::Value::as_str) {
            let source = "pyproject.toml project.dependencies";
            found.extend(implied_by(&name_of(spec), spec).map(|name| (name.to_string(), source.to_string())));
            found.push((name_of(spec), source.into()));
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
    found.extend(pipfile_packages(files).into_iter().map(|(name, source)| (normalise(&name), source)));
    Dependencies(found)
}

/// The packages a Pipfile's `[packages]` lists (not `[dev-packages]`), each at its line: what
/// `pipenv sync` installs into the image.
fn pipfile_packages(files: &AppFiles) -> Vec<(String, String)> {
    let Some(text) = files.get("Pipfile") else { return Vec::new() };
    let mut in_packages = false;
    let mut found = Vec::new();
    for (index, line) in text.lines().enumerate() {
        let line = line.split('#').next().unwrap_or("").trim();
        if line.starts_with('[') {
            in_packages = line == "[packages]";
            continue;
        }
        let Some((name, _)) = line.split_once('=').filter(|_| in_packages) else { continue };
        let name = name.trim().trim_matches('"');
        if !name.is_empty() {
            found.push((name.to_string(), format!("Pipfile:{}", index + 1)));
        }
    }
    found
}

/// Production servers for a WSGI or ASGI app.
pub(super) const SERVERS: [&str; 7] = ["gunicorn", "uvicorn", "granian", "hypercorn", "waitress", "uwsgi", "daphne"];

/// What pip installs for a server the start command runs (`gunicorn`, or `waitress-serve`'s
/// package): a bound on its major version, so pip picks the newest release the image's Python
/// supports, and the image builds the same way next year.
pub(super) fn server_requirement(server: &str) -> String {
    match server {
        "gunicorn" => "gunicorn<24".into(),
        "uvicorn" => "uvicorn<1".into(),
        "waitress" | "waitress-serve" => "waitress<4".into(),
        "granian" => "granian<3".into(),
        "hypercorn" => "hypercorn<1".into(),
        "uwsgi" => "uwsgi<3".into(),
        "daphne" => "daphne<5".into(),
        other => other.into(),
    }
}

/// Where an optional set of dependencies is declared.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Optional {
    /// `[project.optional-dependencies]`, installed as `.[name]` or `--extra name`.
    Extra,
    /// `[dependency-groups]` (PEP 735), installed as `--group name`.
    Group,
}

/// An optional set of dependencies: how it is installed, its name, and what it brings (by
/// name, with where each is declared).
pub(super) struct OptionalSet {
    pub(super) kind: Optional,
    pub(super) name: String,
    pub(super) dependencies: Vec<(String, String)>,
}

/// The first optional set of dependencies that brings a server.
pub(super) fn optional_with_a_server(pyproject: Option<&toml::Table>) -> Option<OptionalSet> {
    let pyproject = pyproject?;
    let extras = pyproject.get("project").and_then(|p| p.get("optional-dependencies")).and_then(toml::Value::as_table);
    let groups = pyproject.get("dependency-groups").and_then(toml::Value::as_table);
    let tables =
        [(Optional::Extra, "project.optional-dependencies", extras), (Optional::Group, "dependency-groups", groups)];
    tables.into_iter().find_map(|(kind, section, table)| {
        table?.iter().find_map(|(name, specs)| {
            let names: Vec<(String, String)> = specs
                .as_array()?
                .iter()
                .filter_map(toml::Value::as_str)
                .map(|spec| (spec_name(spec), format!("pyproject.toml {section}.{name}")))
                .collect();
            names.iter().any(|(dep, _)| SERVERS.contains(&dep.as_str())).then(|| OptionalSet {
                kind,
                name: name.clone(),
                dependencies: names,
            })
        })
    })
}

pub(super) fn spec_name(spec: &str) -> String {
    spec.split(|c: char| !(c.is_ascii_alphanumeric() || c == '-' || c == '_' || c == '.'))
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase()
        .replace('_', "-")
}

/// requirements.txt, the production requirement files beside it, and the files they include
/// (`-r base.txt`, `-c constraints.txt`), relative to the including file, each once: pip reads
/// them all, so the image needs them all.
pub(super) fn requirement_files(files: &AppFiles) -> Vec<String> {
    let mut found: Vec<String> = Vec::new();
    let production = crate::model::PRODUCTION_REQUIREMENTS.iter().rev().filter(|f| files.has(f)).map(|f| f.to_string());
    let mut pending: Vec<String> = production.chain(["requirements.txt".to_string()]).collect();
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
                included.filter(|p| !p.starts_with('/')).and_then(|p| normalized(&format!("{folder}{p}")))
            {
                pending.push(path);
            }
        }
        found.push(file);
    }
    found
}
