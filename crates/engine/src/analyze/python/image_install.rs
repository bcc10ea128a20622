//! What the repository's own image installs beside the main dependencies: the extras its
//! install line names (`poetry install --extras cpu`, which brings torch), and the project
//! itself when the start command is the console script it declares (`[project.scripts]`), which
//! an install of the dependencies alone (`--no-root`) leaves out.

use super::start_extra::declared_extras;
use crate::analyze::app_files::AppFiles;
use crate::analyze::container_start::{dockerfiles, instructions};
use crate::analyze::source::SourceFacts;
use crate::model::{Finding, PackageManager};

/// A tree that is not a package (no setup.py; a pyproject.toml and a setup.cfg with only
/// tools' sections) cannot be installed with `pip install .`: its requirement files are what
/// installs it, the first (a production file, which includes the rest) named as the source.
pub(super) fn requirements_instead_of_project(
    files: &AppFiles,
    pyproject: Option<&toml::Table>,
    facts: &mut SourceFacts,
) {
    let unlocked_pip = facts.package_manager.value == PackageManager::Pip && !files.has("requirements.txt");
    let Some(first) = facts.install_files.first().filter(|_| unlocked_pip) else { return };
    let pyproject_packages = pyproject.is_some_and(|t| ["project", "build-system"].iter().any(|k| t.contains_key(*k)));
    let setup_cfg_packages = files
        .get("setup.cfg")
        .is_some_and(|text| text.lines().any(|line| matches!(line.trim(), "[metadata]" | "[options]")));
    if files.has("setup.py") || pyproject_packages || setup_cfg_packages {
        return;
    }
    facts.package_manager.source = first.clone();
}

/// Adds the extras the repository's image installs and, under Poetry, the project itself when
/// the start runs its own script.
pub(super) fn apply(files: &AppFiles, pyproject: Option<&toml::Table>, facts: &mut SourceFacts) {
    let declared: Vec<String> = declared_extras(files, pyproject).into_iter().map(|(extra, _)| extra).collect();
    for (extra, at) in image_extras(files) {
        if declared.contains(&extra) && !facts.install_extras.contains(&extra) {
            facts.findings.push(Finding::info(
                "install-extra",
                format!("the image installs the project's `{extra}` extra, as the repository's own image does"),
                at,
            ));
            facts.install_extras.push(extra);
        }
    }
    // Poetry's and uv's images install the dependencies without the project (`--no-root`,
    // `--no-install-project`), so a console script of its own needs the project installed too.
    let locked = matches!(facts.package_manager.value, PackageManager::Poetry | PackageManager::Uv);
    let program = facts.start.as_ref().and_then(|start| start.value.first()).cloned().unwrap_or_default();
    if locked && let Some(at) = declared_script(files, pyproject, &program) {
        facts.findings.push(Finding::info(
            "install-project",
            format!(
                "the image installs the project itself: the start command runs `{program}`, the script it declares"
            ),
            at,
        ));
        facts.install_project = true;
    }
}

/// The extras the repository's main Dockerfile installs, each with its line: `poetry install
/// --extras "a b"` or `-E a`, `uv sync --extra a`, `pip install ".[a,b]"`. A variant image
/// (`Dockerfile.gpu` with the `cuda` extra) is another deployment's.
fn image_extras(files: &AppFiles) -> Vec<(String, String)> {
    let mut found = Vec::new();
    for (path, text) in dockerfiles(files).into_iter().take(1) {
        for (index, line) in instructions(text) {
            let line = line.as_str();
            let at = format!("{path}:{}", index + 1);
            let words: Vec<&str> = line.split_whitespace().map(|w| w.trim_matches(['"', '\''])).collect();
            let installs = ["poetry", "uv", "pip", "pip3"].iter().any(|tool| words.contains(tool));
            if !installs {
                continue;
            }
            for (position, word) in words.iter().enumerate() {
                let named = match *word {
                    "--extras" | "-E" | "--extra" => words.get(position + 1).copied(),
                    _ => word.strip_prefix("--extras=").or_else(|| word.strip_prefix("--extra=")),
                };
                let bracketed = word.split_once(".[").and_then(|(_, rest)| rest.strip_suffix(']'));
                for extra in named.into_iter().chain(bracketed).flat_map(|list| list.split([',', ' '])) {
                    if !extra.is_empty() && !extra.starts_with('-') {
                        found.push((extra.to_string(), at.clone()));
                    }
                }
            }
        }
    }
    found
}

/// Whether the image must install the project itself for `start` to run: Poetry's and uv's
/// images leave it out, and the start (as the container finally runs it, a `sh -c` chain
/// taken apart) runs a console script the project declares.
pub fn start_needs_the_project(files: &AppFiles, package_manager: PackageManager, start: &[String]) -> bool {
    let locked = matches!(package_manager, PackageManager::Poetry | PackageManager::Uv);
    let pyproject = files.get("pyproject.toml").and_then(|text| text.parse::<toml::Table>().ok());
    let program = start.first().map_or("", String::as_str);
    locked && declared_script(files, pyproject.as_ref(), program).is_some()
}

/// Where pyproject.toml declares `program` as one of the project's console scripts.
fn declared_script(files: &AppFiles, pyproject: Option<&toml::Table>, program: &str) -> Option<String> {
    let table = pyproject?;
    let project = table.get("project").and_then(|p| p.get("scripts"));
    let poetry = table.get("tool").and_then(|t| t.get("poetry")).and_then(|p| p.get("scripts"));
    let declared = [project, poetry].into_iter().flatten().any(|scripts| scripts.get(program).is_some());
    if !declared || program.is_empty() {
        return None;
    }
    let text = files.get("pyproject.toml").unwrap_or("");
    let line = text.lines().position(|line| line.trim_start().trim_start_matches('"').starts_with(program))?;
    Some(format!("pyproject.toml:{}", line + 1))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn extras_the_repositorys_image_installs() {
        let files = AppFiles::from_pairs([(
            "Dockerfile",
            "FROM python:3.12\nRUN poetry install --extras cpu\nRUN pip install \".[s3,redis]\"\nRUN echo --extra nothing\nRUN uv sync --locked \\\n    --extra postgresql \\\n    --no-editable\n",
        )]);
        let found: Vec<(String, String)> = image_extras(&files);
        let extras: Vec<&str> = found.iter().map(|(extra, _)| extra.as_str()).collect();
        assert_eq!(extras, ["cpu", "s3", "redis", "postgresql"]);
        assert_eq!(found[3].1, "Dockerfile:5");
    }
}
