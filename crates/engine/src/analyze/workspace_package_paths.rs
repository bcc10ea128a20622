//! A start that runs a file of an installed package (`node node_modules/@waline/vercel/vanilla.js`,
//! after the maintainers' image ran `npm install @waline/vercel` from the registry) when the
//! package is one of the repository's own workspace packages: ferry's image builds the
//! repository, so the file is in that package's folder, not under `node_modules`.

use crate::analyze::app_files::AppFiles;

/// `packages/server/vanilla.js` for `node_modules/@waline/vercel/vanilla.js` when
/// `packages/server/package.json` is named `@waline/vercel` and holds the file.
pub(super) fn in_workspace(files: &AppFiles, word: &str) -> Option<String> {
    let rest = word.trim_start_matches("./").strip_prefix("node_modules/")?;
    let mut parts = rest.splitn(3, '/');
    let first = parts.next()?;
    let (package, file) = if first.starts_with('@') {
        (format!("{first}/{}", parts.next()?), parts.next()?)
    } else {
        let file = rest.strip_prefix(first)?.strip_prefix('/')?;
        (first.to_string(), file)
    };
    let named = format!("\"name\": \"{package}\"");
    files.files.iter().find_map(|(path, text)| {
        let folder = path.strip_suffix("/package.json")?;
        let named_so = text.replace("\":\"", "\": \"").contains(&named);
        let inside = format!("{folder}/{file}");
        (named_so && !folder.contains("node_modules") && files.has(&inside)).then_some(inside)
    })
}

/// A package manager's script run (`npm start`, `pnpm run serve`, `yarn start`) made to run in
/// `folder`, the package whose manifest the maintainers' image put at its root: each tool's
/// own flag, so the script's relative paths stay the package's.
pub(super) fn run_in_package(command: &mut Vec<String>, folder: &str) {
    let flag = match command.first().map(String::as_str) {
        Some("npm") => "--prefix",
        Some("pnpm") => "--dir",
        Some("yarn") => "--cwd",
        _ => return,
    };
    let runs_script = command.get(1).is_some_and(|w| matches!(w.as_str(), "start" | "run" | "run-script"));
    if runs_script && !command.iter().any(|w| w == flag) {
        command.splice(1..1, [flag.to_string(), folder.to_string()]);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_installed_file_of_a_workspace_package_is_in_its_folder() {
        let files = AppFiles::from_pairs([
            ("package.json", "{\"name\": \"root\"}"),
            ("packages/server/package.json", "{\n  \"name\": \"@waline/vercel\",\n  \"version\": \"1.0.0\"\n}"),
            ("packages/server/vanilla.js", "require('./index')\n"),
            ("packages/tool/package.json", "{\"name\":\"tool\"}"),
            ("packages/tool/bin/run.js", "run()\n"),
        ]);
        assert_eq!(
            in_workspace(&files, "node_modules/@waline/vercel/vanilla.js").as_deref(),
            Some("packages/server/vanilla.js")
        );
        assert_eq!(in_workspace(&files, "node_modules/tool/bin/run.js").as_deref(), Some("packages/tool/bin/run.js"));
        assert_eq!(in_workspace(&files, "node_modules/express/index.js"), None, "a registry package");
        assert_eq!(in_workspace(&files, "packages/server/vanilla.js"), None);
    }

    #[test]
    fn a_script_runs_in_the_package_whose_manifest_the_image_used() {
        let mut npm = vec!["npm".to_string(), "start".to_string()];
        run_in_package(&mut npm, "packages/server");
        assert_eq!(npm, ["npm", "--prefix", "packages/server", "start"]);
        let mut node = vec!["node".to_string(), "dist/main.js".to_string()];
        run_in_package(&mut node, "packages/server");
        assert_eq!(node, ["node", "dist/main.js"], "not a script run");
    }
}
