//! A monorepo whose root starts one member package: `"server:start": "pnpm --filter
//! @shop/api start"` in the root's scripts, or a platform file's start command (Railway's
//! `deploy.startCommand: "pnpm server:start"`, a Procfile's `web:`). The member it names is
//! the server that ships, among several folders that each could serve.

use serde_json::Value;

use super::app_files::AppFiles;
use super::source::SourceFacts;

/// Flags of npm, pnpm and yarn that name the member package a command runs in.
const PACKAGE_FLAGS: [&str; 5] = ["--filter", "-F", "--workspace", "-w", "workspace"];
/// Flags that name the member's folder instead.
const FOLDER_FLAGS: [&str; 4] = ["--dir", "-C", "--prefix", "--cwd"];

/// The index of the one candidate folder the root's start commands run, if exactly one.
pub(super) fn started(root: &AppFiles, candidates: &[(String, AppFiles, SourceFacts)]) -> Option<usize> {
    let commands = start_commands(root);
    let named: Vec<usize> = candidates
        .iter()
        .enumerate()
        .filter(|(_, (folder, files, _))| {
            let name = package_name(files);
            commands.iter().any(|command| runs_member(command, folder, name.as_deref()))
        })
        .map(|(index, _)| index)
        .collect();
    match named.as_slice() {
        [one] => Some(*one),
        _ => None,
    }
}

/// The root's start scripts (`start`, `server:start`, `start:prod`), and the start commands of
/// Railway's file and a Procfile, each with a root script it runs expanded once.
fn start_commands(root: &AppFiles) -> Vec<String> {
    let manifest: Option<Value> = root.get("package.json").and_then(|text| serde_json::from_str(text).ok());
    let scripts = manifest.as_ref().and_then(|m| m.get("scripts")).and_then(Value::as_object);
    let script = |name: &str| scripts.and_then(|s| s.get(name)).and_then(Value::as_str).map(str::to_string);
    let mut commands: Vec<String> = scripts
        .into_iter()
        .flatten()
        .filter(|(name, _)| name.split([':', '-', '_']).any(|word| word == "start"))
        .filter_map(|(_, body)| body.as_str().map(str::to_string))
        .collect();
    let railway: Option<Value> = root.get("railway.json").and_then(|text| serde_json::from_str(text).ok());
    let platform = railway
        .as_ref()
        .and_then(|r| r.pointer("/deploy/startCommand"))
        .and_then(Value::as_str)
        .map(str::to_string)
        .into_iter()
        .chain(root.get("Procfile").and_then(|text| {
            text.lines().find_map(|line| line.strip_prefix("web:").map(|command| command.trim().to_string()))
        }));
    for command in platform {
        // `pnpm server:start`, `npm run server:start`: the root script it runs.
        let words: Vec<&str> = command.split_whitespace().collect();
        let called = match words.as_slice() {
            [_, "run", name, ..] | [_, name] => script(name),
            _ => None,
        };
        commands.extend(called);
        commands.push(command);
    }
    commands
}

/// Whether `command` runs in the member at `folder` named `name`.
fn runs_member(command: &str, folder: &str, name: Option<&str>) -> bool {
    let words: Vec<&str> = command.split_whitespace().collect();
    words.iter().enumerate().any(|(index, word)| {
        // `--filter=@shop/api` or `--filter @shop/api`.
        let (flag, inline) = word.split_once('=').map_or((*word, None), |(flag, value)| (flag, Some(value)));
        let value = inline.or_else(|| words.get(index + 1).copied()).map(|v| v.trim_matches(['"', '\'']));
        let Some(value) = value else { return false };
        let value = value.trim_start_matches("./").trim_end_matches('/');
        (PACKAGE_FLAGS.contains(&flag) && (Some(value) == name || value == folder))
            || (FOLDER_FLAGS.contains(&flag) && value == folder)
    })
}

/// The `name` a folder's package.json gives its package.
fn package_name(files: &AppFiles) -> Option<String> {
    let manifest: Value = serde_json::from_str(files.get("package.json")?).ok()?;
    manifest.get("name")?.as_str().map(str::to_string)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_member_the_root_starts_by_name_or_folder() {
        assert!(runs_member("pnpm --filter @shop/api start", "packages/server", Some("@shop/api")));
        assert!(runs_member("pnpm --filter=\"@shop/api\" start", "packages/server", Some("@shop/api")));
        assert!(runs_member("npm --prefix packages/server start", "packages/server", None));
        assert!(!runs_member("pnpm --filter @shop/theme build", "packages/server", Some("@shop/api")));
        let root = AppFiles::from_pairs([
            (
                "package.json",
                "{\"scripts\": {\"server:start\": \"pnpm --filter @shop/api start\", \"build:theme\": \"pnpm --filter @shop/theme build\"}}",
            ),
            ("railway.json", "{\"deploy\": {\"startCommand\": \"pnpm server:start\"}}"),
        ]);
        let commands = start_commands(&root);
        assert!(commands.iter().all(|c| !c.contains("theme")), "{commands:?}");
        assert!(commands.iter().any(|c| c == "pnpm --filter @shop/api start"), "{commands:?}");
    }
}
