//! A repository Dockerfile whose command runs a package script the package.json does not
//! have (`npm run microservice`): an image left from another layout, which no longer starts
//! the app. It says nothing about how the app runs or which port it serves on.

use crate::analyze::app_files::AppFiles;
use crate::analyze::container_start::instructions;
use crate::analyze::source::command_words;

/// Whether the Dockerfile's last command runs a script of the root package.json that is not
/// there. Without a package.json, or with a command that runs no script, it is not judged.
pub fn runs_a_missing_script(files: &AppFiles, dockerfile: &str) -> bool {
    let Some(manifest) =
        files.get("package.json").and_then(|text| serde_json::from_str::<serde_json::Value>(text).ok())
    else {
        return false;
    };
    let scripts = manifest.get("scripts").and_then(serde_json::Value::as_object);
    let Some(words) = last_command(dockerfile) else { return false };
    script_run_by(&words).is_some_and(|script| !scripts.is_some_and(|scripts| scripts.contains_key(script)))
}

/// The words of the last `CMD` or `ENTRYPOINT`, exec or shell form.
pub(crate) fn last_command(dockerfile: &str) -> Option<Vec<String>> {
    let (_, line) = instructions(dockerfile).into_iter().rev().find(|(_, line)| {
        let upper = line.to_ascii_uppercase();
        upper.starts_with("CMD ") || upper.starts_with("ENTRYPOINT ")
    })?;
    let rest = line.split_once(' ')?.1.trim();
    if rest.starts_with('[') {
        return serde_json::from_str::<Vec<String>>(rest).ok();
    }
    command_words(rest)
}

/// `npm run X`, `npm run-script X`, `yarn run X`, `pnpm run X`, and `yarn X` for a name that
/// is no command of yarn's own. `npm start` needs no script (it runs `node server.js`).
fn script_run_by(words: &[String]) -> Option<&str> {
    const YARN_COMMANDS: [&str; 8] = ["install", "add", "node", "workspace", "workspaces", "exec", "dlx", "start"];
    match words {
        [tool, run, script, ..]
            if matches!(tool.as_str(), "npm" | "yarn" | "pnpm") && matches!(run.as_str(), "run" | "run-script") =>
        {
            Some(script.as_str())
        }
        [tool, script, ..]
            if tool == "yarn" && !script.starts_with('-') && !YARN_COMMANDS.contains(&script.as_str()) =>
        {
            Some(script.as_str())
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const MANIFEST: &str = r#"{"scripts":{"start":"fastify start index.js","build":"tsc"}}"#;

    #[test]
    fn a_command_running_a_script_the_manifest_lacks_is_stale() {
        let files = AppFiles::from_pairs([("package.json", MANIFEST)]);
        let stale = "FROM node:8\nEXPOSE 80\nCMD [ \"npm\", \"run\", \"microservice\", \"--\", \"--port\", \"80\" ]\n";
        assert!(runs_a_missing_script(&files, stale));
        assert!(runs_a_missing_script(&files, "FROM node:20\nCMD yarn serve\n"));
        for current in [
            "FROM node:20\nCMD [\"npm\", \"run\", \"start\"]\n",
            "FROM node:20\nCMD npm start\n",
            "FROM node:20\nCMD [\"node\", \"index.js\"]\n",
            "FROM node:20\nCMD yarn start\n",
        ] {
            assert!(!runs_a_missing_script(&files, current), "{current}");
        }
        let without_manifest = AppFiles::from_pairs([("app.py", "")]);
        assert!(!runs_a_missing_script(&without_manifest, stale));
    }
}
