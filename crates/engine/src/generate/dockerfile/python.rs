//! Python images: the detected version of the slim official image, dependencies installed
//! from the lockfile before the source is copied. poetry and uv live only in a build stage
//! that fills a virtual environment; the final image gets the environment, not the tool.

use super::{COPY_SOURCE, LIBRARY, apt_install, tail, version};
use crate::model::{AppProfile, PackageManager};

/// The tools are pinned so the same source builds the same image next month.
const POETRY: &str = "poetry==2.5.1";
const UV: &str = "uv==0.13.9";
const PIPENV: &str = "pipenv==2025.0.4";
/// The newest pipenv each older Python can install (2025.x needs Python 3.9; pip refuses it
/// below), newest first: (the oldest minor release it serves, the pin).
const OLDER_PIPENVS: [(u32, &str); 3] = [(8, "pipenv==2024.4.1"), (7, "pipenv==2023.7.23"), (0, "pipenv==2022.4.8")];

/// Output straight to the log (no buffering), no .pyc litter, pip without cache or nagging.
const PYTHON_ENV: &str = "ENV PYTHONDONTWRITEBYTECODE=1 \\\n    PYTHONUNBUFFERED=1 \\\n    PIP_NO_CACHE_DIR=1 \\\n    PIP_DISABLE_PIP_VERSION_CHECK=1";

/// Runs as uid 1000; the image has no user by that number, which Python does not need.
pub fn dockerfile(profile: &AppProfile) -> String {
    let base = format!("{LIBRARY}/python:{}-slim", version(profile, "3.13"));
    let build = profile.build_command.as_ref().map(|b| format!("RUN {}\n", b.join(" "))).unwrap_or_default();
    let tail = tail(profile);
    let apt = apt_install(&profile.system_packages);
    let runtime_apt = apt_install(&runtime_packages(&profile.system_packages));
    match profile.package_manager {
        PackageManager::Poetry => {
            let lock = if profile.package_manager_source == "poetry.lock" { " poetry.lock" } else { "" };
            format!(
                "FROM {base} AS build\n{PYTHON_ENV} \\\n    POETRY_VIRTUALENVS_IN_PROJECT=true \\\n    POETRY_NO_INTERACTION=1\n\
                 WORKDIR /app\n{apt}RUN pip install --no-cache-dir {POETRY}\nCOPY pyproject.toml{lock} ./\n\
                 RUN poetry install --only main --no-root{}{}\nCOPY . .\n{}\n{}",
                poetry_extras(&profile.install_extras),
                venv_adds(profile, ".venv/bin/pip install --no-cache-dir"),
                // The project's own console script (the start command) installs with the root.
                if profile.install_project {
                    format!("RUN poetry install --only main{}\n", poetry_extras(&profile.install_extras))
                } else {
                    String::new()
                },
                final_stage(&base, &runtime_apt, &build, &tail)
            )
        }
        PackageManager::Uv => {
            let selected: String = profile
                .install_extras
                .iter()
                .map(|extra| format!(" --extra {extra}"))
                .chain(profile.install_groups.iter().map(|group| format!(" --group {group}")))
                .collect();
            // The project's own console script (the start command) installs with the project,
            // once its source is there.
            let project = if profile.install_project {
                format!("RUN uv sync --frozen --no-dev --no-editable{selected}\n")
            } else {
                String::new()
            };
            format!(
                "FROM {base} AS build\n{PYTHON_ENV} \\\n    UV_COMPILE_BYTECODE=1 \\\n    UV_LINK_MODE=copy\nWORKDIR /app\n\
                 {apt}RUN pip install --no-cache-dir {UV}\nCOPY pyproject.toml uv.lock ./\n\
                 RUN uv sync --frozen --no-dev --no-install-project{selected}{}\nCOPY . .\n{project}\n{}",
                venv_adds(profile, "uv pip install"),
                final_stage(&base, &runtime_apt, &build, &tail)
            )
        }
        PackageManager::Pipenv => pipenv_image(profile, &base, &apt, &final_stage(&base, &runtime_apt, &build, &tail)),
        _ => pip_image(profile, &base, &apt, &build, &tail),
    }
}

/// The image of a project pip installs: from its requirement files, from its dependency groups,
/// or as a package of its own.
fn pip_image(profile: &AppProfile, base: &str, apt: &str, build: &str, tail: &str) -> String {
    match profile.package_manager_source.as_str() {
        // A tree that is not a package installs from its requirement files alone.
        source if source.ends_with(".txt") && source != "requirements.txt" => {
            format!(
                "FROM {base}\n{PYTHON_ENV}\nWORKDIR /app\n{apt}{}\
                 RUN pip install --no-cache-dir --requirement {}{}\n{COPY_SOURCE}\n{}{build}{tail}",
                requirements(profile),
                profile.package_manager_source,
                added(profile),
                project_install(profile)
            )
        }
        "requirements.txt" => {
            // The production requirement files beside requirements.txt bring the server.
            let production: String = profile
                .install_files
                .iter()
                .filter(|file| crate::model::PRODUCTION_REQUIREMENTS.contains(&file.as_str()))
                .map(|file| format!(" --requirement {file}"))
                .collect();
            format!(
                "FROM {base}\n{PYTHON_ENV}\nWORKDIR /app\n{apt}{}\
                 RUN pip install --no-cache-dir --requirement requirements.txt{production}{}\n{COPY_SOURCE}\n{}{build}{tail}",
                requirements(profile),
                added(profile),
                project_install(profile)
            )
        }
        // A pyproject of dependency groups alone is no package: pip 25.1+ installs the groups.
        _ if !profile.install_groups.is_empty() && profile.install_groups.iter().all(|g| is_group_name(g)) => {
            // `--group=main`: hadolint reads the spaced form as a package to pin.
            let groups: String = profile.install_groups.iter().map(|group| format!(" --group={group}")).collect();
            format!(
                "FROM {base}\n{PYTHON_ENV}\nWORKDIR /app\n{apt}COPY pyproject.toml ./\n\
                 RUN pip install --no-cache-dir \"pip>=25.1\" \\\n    && pip install --no-cache-dir{groups}{}\n{COPY_SOURCE}\n{build}{tail}",
                added(profile)
            )
        }
        // No lockfile: the project installs itself from its pyproject or setup.py.
        _ => {
            let target = match profile.install_extras.as_slice() {
                [] => ".".to_string(),
                extras => format!("\".[{}]\"", extras.join(",")),
            };
            format!(
                "FROM {base}\n{PYTHON_ENV}\nWORKDIR /app\n{apt}{COPY_SOURCE}\nRUN pip install --no-cache-dir {target}{}\n{build}{tail}",
                added(profile)
            )
        }
    }
}

/// A dependency group's name as PEP 735 allows it: letters, digits, `-`, `_`, `.` (a plan's
/// profile is checked again before its names reach a command).
fn is_group_name(name: &str) -> bool {
    !name.is_empty() && name.chars().all(|c| c.is_ascii_alphanumeric() || "-_.".contains(c))
}

/// The project itself, over the requirements already installed, when the start runs a console
/// script it declares (`CMD ["snappass"]`): only the install puts the script on PATH.
fn project_install(profile: &AppProfile) -> &'static str {
    if profile.install_project { "RUN pip install --no-cache-dir --no-deps .\n" } else { "" }
}

/// A build stage that fills the virtual environment with pipenv, then `last`, the final stage.
fn pipenv_image(profile: &AppProfile, base: &str, apt: &str, last: &str) -> String {
    // `sync` installs exactly the lock; without one, `install` resolves it first.
    let (files, install) = if profile.package_manager_source == "Pipfile.lock" {
        ("Pipfile Pipfile.lock", "pipenv sync")
    } else {
        ("Pipfile", "pipenv install")
    };
    format!(
        "FROM {base} AS build\n{PYTHON_ENV} \\\n    PIPENV_VENV_IN_PROJECT=1\nWORKDIR /app\n\
         {apt}RUN pip install --no-cache-dir {}\nCOPY {files} ./\nRUN {install}{}\nCOPY . .\n\n{last}",
        pipenv_for(version(profile, "3.13")),
        venv_adds(profile, ".venv/bin/pip install --no-cache-dir"),
    )
}

/// The packages the image adds beside the dependencies (the server the start command runs),
/// quoted for the shell: ` "gunicorn<24"`; empty when there are none.
fn added(profile: &AppProfile) -> String {
    profile.added_packages.iter().map(|package| format!(" \"{package}\"")).collect()
}

/// The same packages installed into the build stage's virtual environment by `installer`, in
/// the step that fills it; empty when there are none.
fn venv_adds(profile: &AppProfile, installer: &str) -> String {
    match added(profile) {
        packages if packages.is_empty() => packages,
        packages => format!(" \\\n    && {installer}{packages}"),
    }
}

/// The pipenv release the image's Python can install: the pinned one from 3.9 on.
fn pipenv_for(python: &str) -> &'static str {
    let mut parts = python.split('.').map(|part| part.parse::<u32>().ok());
    let (major, minor) = (parts.next().flatten(), parts.next().flatten());
    match (major, minor) {
        (Some(3), Some(minor)) if minor < 9 => {
            OLDER_PIPENVS.iter().find(|(oldest, _)| minor >= *oldest).map_or(PIPENV, |(_, pin)| pin)
        }
        _ => PIPENV,
    }
}

/// `--extras "a b"` for the extras the start command needs; nothing when there are none.
fn poetry_extras(extras: &[String]) -> String {
    match extras {
        [] => String::new(),
        extras => format!(" --extras \"{}\"", extras.join(" ")),
    }
}

/// COPY lines for the requirement files and every file they include, each at its own path.
fn requirements(profile: &AppProfile) -> String {
    if profile.install_files.is_empty() {
        return "COPY requirements.txt ./\n".into();
    }
    let (root, nested): (Vec<&String>, Vec<&String>) = profile.install_files.iter().partition(|f| !f.contains('/'));
    let root: Vec<&str> = root.iter().map(|f| f.as_str()).collect();
    // Only nested files (`requirements/production.txt`) when the tree has none at its root.
    let root = (!root.is_empty()).then(|| format!("COPY {} ./\n", root.join(" ")));
    root.into_iter().chain(nested.iter().map(|file| format!("COPY {file} ./{file}\n"))).collect()
}

/// The virtual environment and the source, from the build stage, on a clean base with the
/// libraries the built packages link to.
fn final_stage(base: &str, apt: &str, build: &str, tail: &str) -> String {
    format!(
        "FROM {base}\nENV PYTHONDONTWRITEBYTECODE=1 \\\n    PYTHONUNBUFFERED=1 \\\n    PATH=\"/app/.venv/bin:$PATH\"\n\
         WORKDIR /app\n{apt}COPY --from=build --chown=1000:1000 /app /app\n{build}{tail}"
    )
}

/// What only builds packages: the running image needs the libraries, not the compilers, nor
/// the git that fetched a package's source.
const BUILD_TOOLS: [&str; 5] = ["gcc", "g++", "libc6-dev", "pkg-config", "git"];

fn runtime_packages(packages: &[String]) -> Vec<String> {
    packages.iter().filter(|p| !BUILD_TOOLS.contains(&p.as_str())).cloned().collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Runtime;

    fn profile(manager: PackageManager, source: &str) -> AppProfile {
        AppProfile {
            runtime: Some(Runtime { name: "python".into(), version: "3.12".into(), source: String::new() }),
            package_manager: manager,
            package_manager_source: source.into(),
            package_manager_release: None,
            skipped_install_scripts: Vec::new(),
            trimmed_install_scripts: Vec::new(),
            install_scripts: Vec::new(),
            system_packages: Vec::new(),
            system_packages_source: String::new(),
            frontend: None,
            install_extras: Vec::new(),
            install_groups: Vec::new(),
            install_project: false,
            added_packages: Vec::new(),
            runtime_files: Vec::new(),
            placed_files: Vec::new(),
            install_files: Vec::new(),
            build_command: None,
            build_source: String::new(),
            entry: Some("app:app".into()),
            entry_source: String::new(),
            build_context: String::new(),
            framework: Some("Flask".into()),
            start_command: vec!["gunicorn".into(), "--bind".into(), "0.0.0.0:8000".into(), "app:app".into()],
            start_source: String::new(),
            port: 8000,
            port_source: String::new(),
            health_check_path: "/".into(),
            health_source: String::new(),
            env: Vec::new(),
            variables: Vec::new(),
            findings: Vec::new(),
        }
    }

    #[test]
    fn packages_built_from_source_get_tools_in_the_build_and_libraries_at_run() {
        let mut poetry = profile(PackageManager::Poetry, "poetry.lock");
        poetry.system_packages = ["gcc", "libc6-dev", "libpq-dev"].map(String::from).to_vec();
        let text = dockerfile(&poetry);
        let (build, run) = text.split_once("\n\nFROM ").unwrap();
        assert!(build.contains("apt-get install -y --no-install-recommends gcc libc6-dev libpq-dev"), "{build}");
        assert!(run.contains("# hadolint ignore=DL3008\nRUN apt-get update \\\n    && apt-get install -y --no-install-recommends libpq-dev \\\n"), "{run}");
        assert!(!dockerfile(&profile(PackageManager::Poetry, "poetry.lock")).contains("apt-get"));
    }

    #[test]
    fn pipenv_installs_the_lock_in_a_build_stage() {
        let locked = dockerfile(&profile(PackageManager::Pipenv, "Pipfile.lock"));
        assert!(
            locked.contains(&format!(
                "RUN pip install --no-cache-dir {PIPENV}\nCOPY Pipfile Pipfile.lock ./\nRUN pipenv sync\n"
            )),
            "{locked}"
        );
        assert!(
            locked.contains("PIPENV_VENV_IN_PROJECT=1"),
            "the environment is /app/.venv, which the final stage runs"
        );
        let unlocked = dockerfile(&profile(PackageManager::Pipenv, "Pipfile"));
        assert!(unlocked.contains("COPY Pipfile ./\nRUN pipenv install\n"), "{unlocked}");
    }

    #[test]
    fn pipenv_is_one_the_images_python_installs() {
        let mut old = profile(PackageManager::Pipenv, "Pipfile.lock");
        old.runtime = Some(Runtime { name: "python".into(), version: "3.6".into(), source: String::new() });
        assert!(dockerfile(&old).contains("RUN pip install --no-cache-dir pipenv==2022.4.8\n"), "{}", dockerfile(&old));
        assert_eq!(pipenv_for("3.8.10"), "pipenv==2024.4.1");
        assert_eq!(pipenv_for("3.7"), "pipenv==2023.7.23");
        assert_eq!(pipenv_for("3.12"), PIPENV);
    }

    #[test]
    fn a_tree_that_is_not_a_package_installs_its_requirement_files() {
        let mut pip = profile(PackageManager::Pip, "requirements/production.txt");
        pip.install_files = vec!["requirements/production.txt".into(), "requirements/base.txt".into()];
        let text = dockerfile(&pip);
        assert!(
            text.contains("COPY requirements/production.txt ./requirements/production.txt\nCOPY requirements/base.txt ./requirements/base.txt\nRUN pip install --no-cache-dir --requirement requirements/production.txt\n"),
            "{text}"
        );
        assert!(!text.contains("pip install --no-cache-dir .\n"), "{text}");
    }

    #[test]
    fn a_pyproject_of_groups_alone_installs_them_with_a_pip_that_knows_groups() {
        let mut pip = profile(PackageManager::Pip, "default: no lockfile");
        pip.install_groups = vec!["main".into()];
        let text = dockerfile(&pip);
        assert!(text.contains("COPY pyproject.toml ./\nRUN pip install --no-cache-dir \"pip>=25.1\" \\\n    && pip install --no-cache-dir --group=main\n"), "{text}");
        assert!(!text.contains("pip install --no-cache-dir .\n"), "{text}");
        pip.install_groups = vec!["main; rm -rf /".into()];
        assert!(!dockerfile(&pip).contains("rm -rf"), "a tampered group name never reaches the command");
    }

    #[test]
    fn the_projects_own_script_installs_with_the_root() {
        let mut poetry = profile(PackageManager::Poetry, "poetry.lock");
        poetry.install_extras = vec!["cpu".into()];
        poetry.install_project = true;
        let text = dockerfile(&poetry);
        assert!(
            text.contains("RUN poetry install --only main --no-root --extras \"cpu\"\nCOPY . .\nRUN poetry install --only main --extras \"cpu\"\n"),
            "{text}"
        );
        poetry.install_project = false;
        assert!(!dockerfile(&poetry).contains("COPY . .\nRUN poetry"));
        let mut uv = profile(PackageManager::Uv, "uv.lock");
        uv.install_extras = vec!["postgresql".into()];
        uv.install_project = true;
        let text = dockerfile(&uv);
        assert!(
            text.contains("--no-install-project --extra postgresql\nCOPY . .\nRUN uv sync --frozen --no-dev --no-editable --extra postgresql\n"),
            "{text}"
        );
    }

    #[test]
    fn the_extra_with_the_server_is_installed() {
        let mut uv = profile(PackageManager::Uv, "uv.lock");
        uv.install_extras = vec!["docker".into()];
        assert!(dockerfile(&uv).contains("uv sync --frozen --no-dev --no-install-project --extra docker\n"));
        uv.install_extras.clear();
        uv.install_groups = vec!["prod".into()];
        assert!(dockerfile(&uv).contains("--no-install-project --group prod\n"));
        let mut pip = profile(PackageManager::Pip, "pyproject.toml");
        pip.install_extras = vec!["docker".into()];
        assert!(dockerfile(&pip).contains("RUN pip install --no-cache-dir \".[docker]\"\n"));
    }

    #[test]
    fn requirements_are_installed_before_the_source_is_copied() {
        let text = dockerfile(&profile(PackageManager::Pip, "requirements.txt"));
        let install = text.find("--requirement requirements.txt").unwrap();
        assert!(text.find("COPY requirements.txt").unwrap() < install);
        assert!(install < text.find("COPY --chown=1000:1000 . .").unwrap());
        assert!(text.contains("FROM public.ecr.aws/docker/library/python:3.12-slim\n"));
        assert!(text.ends_with("CMD [\"gunicorn\", \"--bind\", \"0.0.0.0:8000\", \"app:app\"]\n"));
    }

    #[test]
    fn poetry_and_uv_stay_in_the_build_stage() {
        for (manager, source, tool) in
            [(PackageManager::Poetry, "poetry.lock", POETRY), (PackageManager::Uv, "uv.lock", UV)]
        {
            let text = dockerfile(&profile(manager, source));
            let (build, last) = text.split_once("\n\nFROM ").unwrap();
            assert!(build.contains(tool), "{text}");
            assert!(!last.contains(tool) && last.contains("COPY --from=build --chown=1000:1000 /app /app"), "{text}");
        }
    }

    #[test]
    fn a_server_the_dependencies_lack_is_installed_with_them() {
        let with_server = |manager, source| {
            let mut profile = profile(manager, source);
            profile.added_packages = vec!["gunicorn<24".into()];
            dockerfile(&profile)
        };
        let pip = with_server(PackageManager::Pip, "requirements.txt");
        assert!(
            pip.contains("RUN pip install --no-cache-dir --requirement requirements.txt \"gunicorn<24\"\n"),
            "{pip}"
        );
        let project = with_server(PackageManager::Pip, "pyproject.toml");
        assert!(project.contains("RUN pip install --no-cache-dir . \"gunicorn<24\"\n"), "{project}");
        let poetry = with_server(PackageManager::Poetry, "poetry.lock");
        assert!(
            poetry.contains("--no-root \\\n    && .venv/bin/pip install --no-cache-dir \"gunicorn<24\"\n"),
            "{poetry}"
        );
        let uv = with_server(PackageManager::Uv, "uv.lock");
        assert!(uv.contains("--no-install-project \\\n    && uv pip install \"gunicorn<24\"\n"), "{uv}");
        let pipenv = with_server(PackageManager::Pipenv, "Pipfile.lock");
        assert!(
            pipenv.contains("RUN pipenv sync \\\n    && .venv/bin/pip install --no-cache-dir \"gunicorn<24\"\n"),
            "{pipenv}"
        );
    }
}
