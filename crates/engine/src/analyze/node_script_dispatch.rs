//! Start scripts that reach the server indirectly: `run-script-os`, which runs the script's
//! `:linux`, `:nix` or `:default` twin (and exits unless npm launched it, so it can never be
//! the container's command); `cd packages/server/bin && ./run start`, a Node file run from
//! another folder, which the container runs by its path from the app's root; and
//! `npm run build:server && concurrently "npm run server" "npm run client"`, a server started
//! beside the front end's development server, of which the container runs the server.

use super::app_files::AppFiles;
use super::source::shell_words;

/// The twin script `run-script-os` runs on a Linux container for the script `source` names
/// (`package.json scripts.start`): `start:linux`, else `start:nix`, else `start:default`.
pub fn os_twin<'a>(program: &str, source: &str, script: &impl Fn(&str) -> Option<&'a str>) -> Option<String> {
    if program != "run-script-os" {
        return None;
    }
    let current = source.strip_prefix("package.json scripts.")?;
    ["linux", "nix", "default"].iter().map(|os| format!("{current}:{os}")).find(|name| script(name).is_some())
}

/// `cd DIR && node FILE ARGS` or `cd DIR && ./FILE ARGS` (a file whose first line runs node):
/// `node DIR/FILE ARGS`. `None` for any other shape, or a folder that leaves the app.
pub fn node_file_in_folder(line: &str, files: &AppFiles) -> Option<Vec<String>> {
    let (cd, rest) = line.split_once("&&")?;
    let dir = cd.trim().strip_prefix("cd ")?.trim().trim_end_matches('/');
    let safe = |path: &str| !path.is_empty() && !path.starts_with('/') && !path.split('/').any(|part| part == "..");
    if !safe(dir) || dir.contains(char::is_whitespace) || rest.contains("&&") || rest.contains(';') {
        return None;
    }
    let words = shell_words(rest.trim())?;
    let (file, arguments) = match words.as_slice() {
        [node, file, arguments @ ..] if node == "node" && !file.starts_with('-') => (file.as_str(), arguments),
        [program, arguments @ ..] if program.starts_with("./") => (program.as_str(), arguments),
        _ => return None,
    };
    let file = file.trim_start_matches("./");
    let path = format!("{dir}/{file}");
    let runs_node =
        |text: &str| text.lines().next().is_some_and(|first| first.starts_with("#!") && first.contains("node"));
    let known = words[0] == "node" || files.get(&path).is_some_and(runs_node);
    (safe(file) && known).then(|| ["node".to_string(), path].into_iter().chain(arguments.iter().cloned()).collect())
}

/// `[build steps &&] concurrently [-k] "npm run server" "npm run client"`: the build steps
/// and the one command that is not a development server (its script runs `vite`, `next dev`,
/// a watcher, or is named for the client). `None` unless exactly one such command is left.
pub fn concurrent_server<'a>(
    line: &str,
    script: &impl Fn(&str) -> Option<&'a str>,
    is_dev_server: impl Fn(&str) -> bool,
) -> Option<(Vec<String>, String)> {
    let (before, after) = match line.rsplit_once("&&") {
        Some((before, after)) if after.trim_start().starts_with("concurrently ") => (before, after),
        _ if line.trim_start().starts_with("concurrently ") => ("", line),
        _ => return None,
    };
    let steps: Vec<String> = before.split("&&").map(str::trim).filter(|s| !s.is_empty()).map(String::from).collect();
    if steps.iter().any(|step| super::start_chain::step_kind(step) != super::start_chain::Step::Build) {
        return None;
    }
    let words = shell_words(after.trim())?;
    let commands = words.iter().skip(1).filter(|word| !word.starts_with('-'));
    let client_words = ["client", "frontend", "web", "ui", "dev"];
    let servers: Vec<&String> = commands
        .filter(|command| {
            let named = command.split_whitespace().last().unwrap_or("");
            let body = script(named).unwrap_or(command);
            !is_dev_server(body) && !client_words.iter().any(|w| named.split([':', '-']).any(|part| part == *w))
        })
        .collect();
    match servers.as_slice() {
        [server] => Some((steps, server.to_string())),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn run_script_os_runs_the_linux_twin_first_then_nix_then_default() {
        let scripts = [("start:default", "cd bin && ./run start"), ("start:windows", "cd bin && run start")];
        let script = |name: &str| scripts.iter().find(|(n, _)| *n == name).map(|(_, l)| *l);
        let twin = os_twin("run-script-os", "package.json scripts.start", &script);
        assert_eq!(twin.as_deref(), Some("start:default"));
        let linux = [("start:nix", "node a.js"), ("start:linux", "node b.js")];
        let script = |name: &str| linux.iter().find(|(n, _)| *n == name).map(|(_, l)| *l);
        assert_eq!(os_twin("run-script-os", "package.json scripts.start", &script).as_deref(), Some("start:linux"));
        assert_eq!(os_twin("node", "package.json scripts.start", &script), None);
    }

    #[test]
    fn the_server_of_a_concurrent_pair_with_the_clients_dev_server() {
        let scripts = [("server", "node server/dist/server.js"), ("client", "vite"), ("worker", "node worker.js")];
        let script = |name: &str| scripts.iter().find(|(n, _)| *n == name).map(|(_, l)| *l);
        let dev = |line: &str| line.starts_with("vite");
        let line = "npm run build:server && concurrently -k \"npm run server\" \"npm run client\"";
        assert_eq!(
            concurrent_server(line, &script, dev),
            Some((vec!["npm run build:server".to_string()], "npm run server".to_string()))
        );
        assert_eq!(
            concurrent_server("concurrently \"npm run server\" \"npm run worker\"", &script, dev),
            None,
            "two servers"
        );
        assert_eq!(concurrent_server("npm run migrate && concurrently \"npm run server\"", &script, dev), None);
        assert_eq!(concurrent_server("node server.js", &script, dev), None);
    }

    #[test]
    fn a_node_file_in_a_folder_runs_by_its_path() {
        let files = AppFiles::from_pairs([
            ("packages/server/bin/run", "#!/usr/bin/env node\nrequire('@oclif/core').run()\n"),
            ("tools/run", "#!/bin/sh\necho\n"),
        ]);
        let run = |line: &str| node_file_in_folder(line, &files).map(|c| c.join(" "));
        assert_eq!(run("cd packages/server/bin && ./run start").as_deref(), Some("node packages/server/bin/run start"));
        assert_eq!(run("cd api && node dist/main.js").as_deref(), Some("node api/dist/main.js"));
        assert_eq!(run("cd tools && ./run"), None, "a shell script");
        assert_eq!(run("cd ../other && node x.js"), None);
        assert_eq!(run("cd /srv && node x.js"), None);
        assert_eq!(run("cd api && npm run build && node x.js"), None);
    }
}
