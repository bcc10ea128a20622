//! Packages that ship beside the app but are not installed with it: Python's, and Node.js
//! command-line packages (see `mark_node_commands`). For Python, a folder with a
//! `setup.py` or `pyproject.toml` of its own (`contrib/plugins/gitlab/`) is a distribution an
//! operator installs separately, if at all: what it reads is not the running app's
//! configuration, unless the app's requirements install it (`-e ./contrib/plugins/gitlab`).

use super::VariableRead;
use crate::analyze::app_files::AppFiles;

const MANIFESTS: [&str; 2] = ["setup.py", "pyproject.toml"];
const REQUIREMENTS: [&str; 3] = ["requirements.txt", "pyproject.toml", "setup.py"];

/// Marks as tooling the reads in separately packaged folders, when the app itself is a
/// package at the root.
pub fn mark(files: &AppFiles, reads: &mut [VariableRead]) {
    if !MANIFESTS.iter().any(|m| files.get(m).is_some()) && files.get("requirements.txt").is_none() {
        return;
    }
    let folders = folders(files);
    for read in reads.iter_mut() {
        if folders.iter().any(|folder| read.source.starts_with(&format!("{folder}/"))) {
            read.tooling = true;
        }
    }
}

/// The folders below the root with a package manifest of their own that the root's
/// requirements, or a workspace, do not name.
fn folders(files: &AppFiles) -> Vec<String> {
    let installed: String = REQUIREMENTS.iter().filter_map(|r| files.get(r)).collect::<Vec<_>>().join("\n");
    let mut found: Vec<String> = files
        .files
        .keys()
        .filter_map(|path| {
            let (folder, file) = path.rsplit_once('/')?;
            MANIFESTS.contains(&file).then(|| folder.to_string())
        })
        // A workspace (`members = ["packages/*"]`) or a path dependency names the folder, or
        // its top folder: the app installs what is there.
        .filter(|folder| {
            let top = folder.split('/').next().unwrap_or(folder);
            let named = installed.contains(top) || installed.contains("workspace");
            !named || separate_command(files, folder, &installed)
        })
        .collect();
    found.sort();
    found.dedup();
    found
}

/// A workspace member that ships a command of its own (`[project.scripts]`) and that the app
/// does not depend on: `uv sync` installs only the root, so the member is a command-line tool
/// its users install, like Node.js's `bin` packages.
fn separate_command(files: &AppFiles, folder: &str, installed: &str) -> bool {
    let Some(manifest) = files.get(&format!("{folder}/pyproject.toml")) else { return false };
    if !manifest.contains("[project.scripts]") {
        return false;
    }
    let Some(name) = manifest.lines().find_map(|line| {
        let value = line.trim().strip_prefix("name")?.trim_start().strip_prefix('=')?;
        Some(value.trim().trim_matches(['"', '\'']).to_string())
    }) else {
        return false;
    };
    // A dependency names it quoted (`"tool-cli>=1"`) or at a line's start (requirements,
    // `[tool.uv.sources]`); a workspace's member path (`"packages/tool-cli"`) does not.
    let depended = [format!("\"{name}"), format!("'{name}")].iter().any(|quoted| installed.contains(quoted.as_str()))
        || installed.lines().any(|line| line.trim_start().starts_with(&name));
    !name.is_empty() && !depended
}

/// Marks as tooling the reads in a Node.js package beside the app that ships a command of its
/// own (`packages/cli` with `"bin": {"dlg": ...}`) and that the app does not depend on: a
/// command-line tool or an MCP server its users install on their machines, whose variables
/// are theirs, not the service's.
pub fn mark_node_commands(files: &AppFiles, reads: &mut [VariableRead]) {
    let Some(root) = files.get("package.json").and_then(|t| serde_json::from_str::<serde_json::Value>(t).ok()) else {
        return;
    };
    let depends_on = |name: &str| {
        ["dependencies", "devDependencies"].iter().any(|section| root.get(section).and_then(|d| d.get(name)).is_some())
    };
    let folders: Vec<String> = files
        .files
        .iter()
        .filter_map(|(path, text)| {
            let folder = path.strip_suffix("/package.json")?;
            let manifest: serde_json::Value = serde_json::from_str(text).ok()?;
            let name = manifest.get("name").and_then(serde_json::Value::as_str).unwrap_or("");
            let command = manifest.get("bin").is_some();
            let started = started_by_root(&root, folder, name);
            (command && !folder.contains("node_modules") && !depends_on(name) && !started).then(|| folder.to_string())
        })
        .collect();
    for read in reads.iter_mut() {
        if folders.iter().any(|folder| read.source.starts_with(&format!("{folder}/"))) {
            read.tooling = true;
        }
    }
}

/// Whether a root `start` script (or one of its twins, `start:default`) runs the package in
/// `folder`: `cd packages/server/bin && ./run start` makes that command the server itself.
fn started_by_root(root: &serde_json::Value, folder: &str, name: &str) -> bool {
    let Some(scripts) = root.get("scripts").and_then(serde_json::Value::as_object) else { return false };
    scripts.iter().filter(|(script, _)| script.starts_with("start")).filter_map(|(_, line)| line.as_str()).any(|line| {
        line.split_whitespace().any(|word| {
            let word = word.trim_start_matches("./");
            word == folder || word.starts_with(&format!("{folder}/")) || (!name.is_empty() && word == name)
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_command_line_package_beside_a_node_app_is_not_the_apps() {
        let files = AppFiles::from_pairs([
            (
                "package.json",
                "{\"name\": \"editor\", \"dependencies\": {\"next\": \"14.2.5\", \"@editor/core\": \"*\"}}",
            ),
            ("packages/cli/package.json", "{\"name\": \"@editor/cli\", \"bin\": {\"ed\": \"./dist/index.js\"}}"),
            ("packages/core/package.json", "{\"name\": \"@editor/core\", \"bin\": {\"core\": \"./x.js\"}}"),
        ]);
        let mut reads = vec![
            VariableRead::new("EDITOR_URL", "packages/cli/src/index.ts:3"),
            VariableRead::new("CORE_TOKEN", "packages/core/src/index.ts:1"),
            VariableRead::new("DATABASE_URL", "lib/db.ts:2"),
        ];
        mark_node_commands(&files, &mut reads);
        let tooling: Vec<bool> = reads.iter().map(|r| r.tooling).collect();
        assert_eq!(tooling, [true, false, false]);
    }

    #[test]
    fn the_package_the_root_start_runs_is_the_app() {
        let files = AppFiles::from_pairs([
            (
                "package.json",
                "{\"name\": \"flow\", \"scripts\": {\"start\": \"run-script-os\", \"start:default\": \"cd packages/server/bin && ./run start\"}}",
            ),
            ("packages/server/package.json", "{\"name\": \"flow-server\", \"bin\": {\"flow\": \"./bin/run\"}}"),
            ("packages/cli/package.json", "{\"name\": \"flow-cli\", \"bin\": {\"fc\": \"./x.js\"}}"),
        ]);
        let mut reads = vec![
            VariableRead::new("PORT", "packages/server/src/index.ts:3"),
            VariableRead::new("CLI_TOKEN", "packages/cli/src/index.ts:1"),
        ];
        mark_node_commands(&files, &mut reads);
        let tooling: Vec<bool> = reads.iter().map(|r| r.tooling).collect();
        assert_eq!(tooling, [false, true]);
    }

    #[test]
    fn a_workspace_members_command_line_tool_is_not_the_apps() {
        let root = "[project]\nname = \"relay\"\ndependencies = [\"fastapi\", \"relay-core\"]\n[tool.uv.workspace]\nmembers = [\"packages/relay-cli\", \"packages/relay-core\"]\n";
        let member = |name: &str| format!("[project]\nname = \"{name}\"\n[project.scripts]\n{name} = \"x.main:app\"\n");
        let (cli, core) = (member("relay-cli"), member("relay-core"));
        let files = AppFiles::from_pairs([
            ("pyproject.toml", root),
            ("packages/relay-cli/pyproject.toml", cli.as_str()),
            ("packages/relay-core/pyproject.toml", core.as_str()),
        ]);
        let mut reads = vec![
            VariableRead::new("RELAY_BASE_URL", "packages/relay-cli/src/relay_cli/main.py:9"),
            VariableRead::new("CORE_TOKEN", "packages/relay-core/src/relay_core/auth.py:2"),
        ];
        mark(&files, &mut reads);
        let tooling: Vec<bool> = reads.iter().map(|r| r.tooling).collect();
        assert_eq!(tooling, [true, false]);
    }

    #[test]
    fn a_plugin_packaged_on_its_own_is_not_the_apps() {
        let files = AppFiles::from_pairs([
            ("setup.py", "setup(name='monitor')\n"),
            ("requirements.txt", "flask\n-e ./vendor/shipped\n"),
            ("contrib/plugins/gitlab/setup.py", "setup(name='monitor-gitlab')\n"),
            ("vendor/shipped/setup.py", "setup(name='shipped')\n"),
        ]);
        let mut reads = vec![
            VariableRead::new("GITLAB_TOKEN", "contrib/plugins/gitlab/plugin.py:4"),
            VariableRead::new("SHIPPED_URL", "vendor/shipped/plugin.py:2"),
            VariableRead::new("DEBUG", "monitor/config.py:3"),
        ];
        mark(&files, &mut reads);
        let tooling: Vec<bool> = reads.iter().map(|r| r.tooling).collect();
        assert_eq!(tooling, [true, false, false]);
    }
}
