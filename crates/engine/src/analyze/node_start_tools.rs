//! Programs the start script runs (`cross-env`, `ts-node`, `lerna`) that package.json lists
//! only as development dependencies: the image installs production dependencies only, so the
//! script fails with "command not found" before the server starts. Scripts the start delegates
//! to are followed: `npm run X`, and `lerna run X` or `yarn workspaces run X` into the members
//! of a monorepo.

use serde_json::Value;

use super::app_files::AppFiles;
use crate::model::Finding;

/// How many scripts are followed from the start.
const MAX_SCRIPTS: usize = 12;

/// One package.json: its folder (`""` at the root) and its content.
struct Manifest {
    folder: String,
    value: Value,
}

/// The blocker naming the development-only programs the start script runs, when the image
/// starts through the package manager (`yarn run start`) or `npx` of a development tool.
pub fn finding(files: &AppFiles, manifest: &Value, start: &[String]) -> Option<Finding> {
    let root = Manifest { folder: String::new(), value: manifest.clone() };
    let (script, found) = match start {
        [pm, run, name] if is_manager(pm) && run == "run" => (name.clone(), Vec::new()),
        [pm, name] if is_manager(pm) && name == "start" => (name.clone(), Vec::new()),
        [npx, program, ..] if npx == "npx" && dev_only(&root, &root, program) => {
            ("start".to_string(), vec![(program.clone(), "the start command".to_string())])
        }
        _ => return None,
    };
    let mut found = found;
    let members = members(files, manifest);
    let mut pending: Vec<(&Manifest, String)> = vec![(&root, script)];
    let mut seen: Vec<(String, String)> = Vec::new();
    let mut compiles_typescript = None;
    while let Some((owner, name)) = pending.pop() {
        if seen.len() >= MAX_SCRIPTS || seen.contains(&(owner.folder.clone(), name.clone())) {
            continue;
        }
        seen.push((owner.folder.clone(), name.clone()));
        let Some(line) = owner.value.pointer(&format!("/scripts/{name}")).and_then(Value::as_str) else { continue };
        let at = script_line(files, owner, &name);
        for step in line.split(['&', ';', '|']).map(str::trim).filter(|s| !s.is_empty()) {
            let words: Vec<&str> = step.split_whitespace().collect();
            for program in programs(&words) {
                if dev_only(owner, &root, program) && !found.iter().any(|(p, _)| p == program) {
                    found.push((program.to_string(), at.clone()));
                }
            }
            if words.iter().any(|w| matches!(*w, "ts-node" | "tsx" | "babel-node"))
                && let Some(entry) = words.iter().find(|w| w.ends_with(".ts") || w.ends_with(".tsx"))
            {
                let entry =
                    if owner.folder.is_empty() { entry.to_string() } else { format!("{}/{entry}", owner.folder) };
                compiles_typescript.get_or_insert_with(|| (entry, at.clone()));
            }
            for (target, script) in delegated(&words) {
                match target {
                    Target::Same => pending.push((owner, script)),
                    Target::Members => pending.extend(members.iter().map(|m| (m, script.clone()))),
                }
            }
        }
    }
    // The script that runs the server says it best; otherwise the first that needs a tool.
    let at =
        compiles_typescript.as_ref().map(|(_, at)| at.clone()).or_else(|| found.first().map(|(_, at)| at.clone()))?;
    found.first()?;
    Some(said(&found, &at, start, compiles_typescript))
}

fn said(
    found: &[(String, String)],
    at: &str,
    start: &[String],
    compiles_typescript: Option<(String, String)>,
) -> Finding {
    let names: Vec<&str> = found.iter().map(|(p, _)| p.as_str()).collect();
    let mut scripts: Vec<&str> = found.iter().map(|(_, s)| s.as_str()).collect();
    scripts.dedup();
    let mut message = format!(
        "`{}` runs {} ({}), listed only in devDependencies: the image installs production dependencies only, so the start fails with \"command not found\"",
        start.join(" "),
        names.join(", "),
        scripts.join(", "),
    );
    let mut fix =
        format!("move {} to dependencies, or install development dependencies in the image", names.join(", "));
    if let Some((entry, script)) = compiles_typescript {
        message.push_str(&format!("; the whole start is TypeScript compiled at every start ({entry}, {script})"));
        fix = format!(
            "compile {entry} with tsc in the build and start the server with `node` on the compiled file, or {fix}"
        );
    }
    Finding::blocker("install-needs-dev-deps", message, at).with_fix(fix)
}

fn is_manager(word: &str) -> bool {
    matches!(word, "npm" | "yarn" | "pnpm")
}

/// The programs a step runs: its first word after `npx` and the environment settings, and the
/// program `cross-env` or `dotenv` runs in turn.
fn programs<'a>(words: &[&'a str]) -> Vec<&'a str> {
    let mut found = Vec::new();
    let mut rest = words;
    while let Some((first, tail)) = rest.split_first() {
        if *first == "npx" || first.contains('=') || (first.starts_with('-') && !found.is_empty()) {
            rest = tail;
            continue;
        }
        if found.last().is_some_and(|p| !matches!(*p, "cross-env" | "dotenv" | "env-cmd")) {
            break;
        }
        found.push(*first);
        rest = tail;
    }
    found
}

enum Target {
    Same,
    Members,
}

/// The scripts a step runs by name: `npm run X` and `yarn X` in the same package.json,
/// `lerna run X`, `yarn workspaces run X` and `npm run X --workspaces` in every member.
fn delegated(words: &[&str]) -> Vec<(Target, String)> {
    let words: Vec<&str> = words.iter().copied().filter(|w| *w != "npx").collect();
    let all_members = words.iter().any(|w| w.starts_with("--workspaces") || *w == "-ws");
    let name_after = |at: usize| words.get(at).filter(|w| !w.starts_with('-')).map(|w| w.to_string());
    match words.as_slice() {
        ["lerna", "run", ..] => name_after(2).map(|n| (Target::Members, n)).into_iter().collect(),
        ["yarn", "workspaces", "run", ..] => name_after(3).map(|n| (Target::Members, n)).into_iter().collect(),
        ["npm" | "yarn" | "pnpm", "run" | "run-script", ..] => {
            let target = if all_members { Target::Members } else { Target::Same };
            name_after(2).map(|n| (target, n)).into_iter().collect()
        }
        ["yarn", "start"] | ["npm", "start"] => vec![(Target::Same, "start".to_string())],
        _ => Vec::new(),
    }
}

/// A program whose package `owner` (or the root, whose packages are hoisted) lists only in
/// devDependencies.
fn dev_only(owner: &Manifest, root: &Manifest, program: &str) -> bool {
    let listed = |m: &Manifest, table: &str| m.value.get(table).and_then(|t| t.get(program)).is_some();
    let dev = listed(owner, "devDependencies") || listed(root, "devDependencies");
    let production = ["dependencies", "optionalDependencies"].iter().any(|t| listed(owner, t) || listed(root, t));
    dev && !production
}

/// The monorepo's members, each with its package.json.
fn members(files: &AppFiles, manifest: &Value) -> Vec<Manifest> {
    let globs = super::node_workspaces::member_globs(files, manifest);
    files
        .files
        .iter()
        .filter_map(|(path, text)| {
            let folder = path.strip_suffix("/package.json")?;
            let value =
                serde_json::from_str(text).ok().filter(|_| super::node_workspaces::is_member(&globs, folder))?;
            Some(Manifest { folder: folder.to_string(), value })
        })
        .collect()
}

/// `packages/server/package.json:7`: the line of the script in its package.json.
fn script_line(files: &AppFiles, owner: &Manifest, name: &str) -> String {
    let path =
        if owner.folder.is_empty() { "package.json".to_string() } else { format!("{}/package.json", owner.folder) };
    let key = format!("\"{name}\"");
    match files.get(&path).and_then(|text| text.lines().position(|l| l.trim_start().starts_with(&key))) {
        Some(index) => format!("{path}:{}", index + 1),
        None => format!("{path} scripts.{name}"),
    }
}
