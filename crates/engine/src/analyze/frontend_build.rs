//! A front end the server serves that a bundler builds from its own package.json (`client/`,
//! `ui/`) and the repository does not hold: an image of the repository as it is serves no
//! page. The server is seen to need it when its code names the build's folder, when the
//! repository's own Dockerfile moves the build where the server looks, or when the bundler is
//! set to write into the server's folder. ferry's image then builds it in a Node.js stage.

use serde_json::Value;

use super::app_files::{AppFiles, normalized};
use super::container_start::{dockerfiles, instructions};
use super::frontend_output::{bundler, join, output_folder};
use crate::model::{Finding, FrontendBuild};

/// The Node.js major a front end builds with when nothing states one: the current LTS.
const DEFAULT_NODE: &str = "22";

/// The front end the image builds and the finding that says so; or, when the repository's
/// image builds assets in a Node.js stage that ferry cannot follow, a warning.
pub fn detect(files: &AppFiles, runtime: &str, node_version: Option<&str>) -> (Option<FrontendBuild>, Vec<Finding>) {
    if !matches!(runtime, "node" | "python") {
        return (None, Vec::new());
    }
    for candidate in candidates(files, runtime) {
        let Some(output) = output_folder(files, &candidate.folder, &candidate.command) else { continue };
        let Some((destination, source)) = served_from(files, &candidate, &output, runtime) else { continue };
        if held(files, &destination) {
            continue;
        }
        let build = frontend(files, &candidate, output, destination, source, node_version);
        let finding = said(&build, &candidate.command);
        return (Some(build), vec![finding]);
    }
    let unfollowed = if runtime == "node" { None } else { repository_node_stage(files) };
    (None, unfollowed.into_iter().collect())
}

/// A package.json with a build script that runs a bundler.
struct Candidate {
    folder: String,
    manifest: Value,
    command: String,
    /// `client/package.json:12`, the build script's line.
    line: String,
}

/// Front-end packages up to two folders down, outside docs, examples and tests. For a
/// Node.js server its own package.json builds with its own build step, and a workspace member
/// is installed and built by the root.
fn candidates(files: &AppFiles, runtime: &str) -> Vec<Candidate> {
    let root: Value = files.get("package.json").and_then(|t| serde_json::from_str(t).ok()).unwrap_or(Value::Null);
    let members = super::node_workspaces::member_globs(files, &root);
    files
        .files
        .iter()
        .filter_map(|(path, text)| {
            let folder = path.strip_suffix("package.json")?.trim_end_matches('/').to_string();
            let outside = folder.split('/').count() > 2
                || folder.split('/').any(|part| part == "node_modules")
                || crate::analyze::variables::scope_of(&join(&folder, "index.js"))
                    == crate::model::VariableScope::Tooling;
            if outside
                || (runtime == "node" && (folder.is_empty() || super::node_workspaces::is_member(&members, &folder)))
            {
                return None;
            }
            let manifest: Value = serde_json::from_str(text).ok()?;
            let command = manifest.pointer("/scripts/build")?.as_str()?.to_string();
            bundler(&command)?;
            let index = text.lines().position(|l| l.trim_start().starts_with("\"build\""));
            let line = index.map_or_else(|| path.clone(), |i| format!("{path}:{}", i + 1));
            Some(Candidate { folder, manifest, command, line })
        })
        .collect()
}

/// Where the server serves the build from, and the line that shows it.
fn served_from(files: &AppFiles, candidate: &Candidate, output: &str, runtime: &str) -> Option<(String, String)> {
    if let Some(moved) = moved_by_dockerfile(files, &candidate.folder, output) {
        return Some(moved);
    }
    let extensions: &[&str] = if runtime == "python" { &["py"] } else { &["js", "ts", "mjs", "cjs"] };
    let inside = |path: &str| !candidate.folder.is_empty() && path.starts_with(&format!("{}/", candidate.folder));
    let naming: Vec<(String, String)> = crate::analyze::source::app_code_lines(files, extensions)
        .filter(|(at, line)| !inside(at) && names_path(line, output))
        .map(|(at, line)| (at, line.to_string()))
        .collect();
    // The line that serves the folder shows the claim; another that only names it (a seed
    // script downloading into it) does not, and is cited only when no line serves it plainly.
    let named =
        naming.iter().find(|(_, line)| serves(line)).or(naming.first()).map(|(at, _)| (output.to_string(), at.clone()));
    // A bundler set to write outside its own folder writes for the server.
    let beside = (!candidate.folder.is_empty() && !output.starts_with(&format!("{}/", candidate.folder)))
        .then(|| (output.to_string(), candidate.line.clone()));
    named.or(beside)
}

/// Whether the line hands the folder to a static file server or sends a file from it.
fn serves(line: &str) -> bool {
    const SERVING: [&str; 6] = ["static", "sendfile", "send_from_directory", "root:", "serve", "render"];
    let lower = line.to_ascii_lowercase();
    SERVING.iter().any(|word| lower.contains(word))
}

/// Whether the line names the folder: as one literal (`'client/build'`) or as literals joined
/// (`join(__dirname, '..', 'client', 'build')`).
fn names_path(line: &str, output: &str) -> bool {
    if line.contains(output) {
        return true;
    }
    let literals: Vec<&str> = line.split(['\'', '"']).skip(1).step_by(2).collect();
    output.contains('/') && literals.join("/").contains(output)
}

/// The repository's Dockerfile moving the build where the server looks: `mv client/build/*
/// public`, or `COPY --from=assets /src/dist ./static` from a stage that built it.
fn moved_by_dockerfile(files: &AppFiles, folder: &str, output: &str) -> Option<(String, String)> {
    let within = output.strip_prefix(&format!("{folder}/")).unwrap_or(output);
    dockerfiles(files).into_iter().find_map(|(path, text)| {
        let mut workdir = String::from("/");
        instructions(text).into_iter().find_map(|(index, instruction)| {
            let (keyword, rest) = instruction.split_once(char::is_whitespace)?;
            let at = format!("{path}:{}", index + 1);
            match keyword.to_ascii_uppercase().as_str() {
                "FROM" => {
                    workdir = "/".to_string();
                    None
                }
                "WORKDIR" => {
                    workdir = rest.trim().to_string();
                    None
                }
                "RUN" => moved_in_shell(rest, &workdir, output).map(|to| (to, at)),
                "COPY" => {
                    let staged = rest.split_whitespace().any(|w| w.starts_with("--from="));
                    let paths: Vec<&str> = rest.split_whitespace().filter(|w| !w.starts_with("--")).collect();
                    let [from, to] = paths.as_slice() else { return None };
                    let from = from.trim_end_matches('/');
                    let built_elsewhere = staged && (from.ends_with(&format!("/{within}")) || from.ends_with(output));
                    built_elsewhere.then(|| relative(to, &workdir)).flatten().map(|to| (to, at))
                }
                _ => None,
            }
        })
    })
}

/// `mv ./client/build/* ./public` or `cp -r client/build public/`: where it goes.
fn moved_in_shell(script: &str, workdir: &str, output: &str) -> Option<String> {
    script.split("&&").flat_map(|part| part.split(';')).find_map(|command| {
        let words: Vec<&str> = command.split_whitespace().filter(|w| !w.starts_with('-')).collect();
        let [program, from, to] = words.as_slice() else { return None };
        let from = from.trim_end_matches("/*").trim_end_matches("/.");
        let moves = matches!(*program, "mv" | "cp") && relative(from, workdir).as_deref() == Some(output);
        moves.then(|| relative(to, workdir)).flatten()
    })
}

/// A path of the image as a path of the source folder, which the image's working directory
/// holds; `None` outside it.
fn relative(path: &str, workdir: &str) -> Option<String> {
    match path.strip_prefix('/') {
        Some(_) => normalized(path.strip_prefix(workdir.trim_end_matches('/'))?.strip_prefix('/')?),
        None => normalized(path),
    }
}

/// Whether the repository already holds the built files there.
fn held(files: &AppFiles, destination: &str) -> bool {
    let prefix = format!("{destination}/");
    files.files.keys().chain(files.unread.files.iter()).any(|path| path.starts_with(&prefix))
}

fn frontend(
    files: &AppFiles,
    candidate: &Candidate,
    output: String,
    destination: String,
    source: String,
    node_version: Option<&str>,
) -> FrontendBuild {
    let has = |name: &str| files.has(&join(&candidate.folder, name));
    let berry = has(".yarnrc.yml");
    let (lockfile, install, run) = if has("pnpm-lock.yaml") {
        (Some("pnpm-lock.yaml"), "corepack enable && pnpm install --frozen-lockfile", "pnpm run")
    } else if has("yarn.lock") && berry {
        (Some("yarn.lock"), "corepack enable && yarn install --immutable", "yarn run")
    } else if has("yarn.lock") {
        (Some("yarn.lock"), "yarn install --frozen-lockfile && yarn cache clean", "yarn run")
    } else if has("package-lock.json") {
        (Some("package-lock.json"), "npm ci --no-audit --no-fund", "npm run")
    } else {
        (None, "npm install --no-audit --no-fund", "npm run")
    };
    let mut manifests: Vec<String> = ["package.json"].into_iter().chain(lockfile).map(str::to_string).collect();
    if berry {
        manifests.push(".yarnrc.yml".to_string());
    }
    let stated = candidate.manifest.pointer("/engines/node").and_then(Value::as_str);
    let node_version = stated
        .and_then(|range| crate::analyze::source::version_in(range, 1))
        .or(node_version.map(str::to_string))
        .unwrap_or_else(|| DEFAULT_NODE.to_string());
    FrontendBuild {
        folder: candidate.folder.clone(),
        manifests,
        install: install.to_string(),
        build: format!("{run} build"),
        output,
        destination,
        node_version,
        source,
    }
}

fn said(build: &FrontendBuild, command: &str) -> Finding {
    let folder = if build.folder.is_empty() { "the source folder".to_string() } else { format!("`{}/`", build.folder) };
    Finding::info(
        "build-needs-frontend",
        format!(
            "the server serves the front end {folder} builds (`{command}`) from `{}/`, which the repository \
             does not hold: ferry's image builds it in a Node.js {} stage",
            build.destination, build.node_version
        ),
        build.source.clone(),
    )
}

/// Whether the repository already holds what a stage copies to `destination`
/// (`/usr/src/app/pkg/dist` while `pkg/dist/` is committed): the built assets are in the
/// source folder, so ferry's image has them without the Node.js stage. Only a destination of
/// two folders or more is matched, so a bare `public/` of other files does not count.
fn committed(files: &AppFiles, destination: &str) -> bool {
    let parts: Vec<&str> =
        destination.trim_end_matches('/').split('/').filter(|p| !p.is_empty() && *p != ".").collect();
    (0..parts.len().saturating_sub(1)).map(|start| parts[start..].join("/")).any(|folder| {
        let listed = files.files.keys().any(|path| path.starts_with(&format!("{folder}/")));
        let on_disk = files.root.as_ref().and_then(|root| std::fs::read_dir(root.join(&folder)).ok());
        listed || on_disk.is_some_and(|mut entries| entries.next().is_some())
    })
}

/// The repository's image builds in a Node.js stage and copies from it, where ferry found no
/// bundler it can follow (a Makefile, gulp): the assets are missing from ferry's image.
fn repository_node_stage(files: &AppFiles) -> Option<Finding> {
    dockerfiles(files).into_iter().find_map(|(path, text)| {
        let steps = instructions(text);
        let stage = steps.iter().find_map(|(index, step)| {
            let words: Vec<&str> = step.split_whitespace().filter(|w| !w.starts_with("--")).collect();
            match words.as_slice() {
                [from, image, as_word, name]
                    if from.eq_ignore_ascii_case("FROM") && as_word.eq_ignore_ascii_case("AS") =>
                {
                    let node = image.rsplit('/').next().is_some_and(|i| i.starts_with("node:") || i == "node");
                    node.then(|| (index + 1, name.to_string()))
                }
                _ => None,
            }
        })?;
        let copy = steps.iter().find(|(_, step)| {
            step.split_whitespace().any(|w| w.eq_ignore_ascii_case(&format!("--from={}", stage.1)))
        })?;
        if committed(files, copy.1.split_whitespace().last().unwrap_or("")) {
            return None;
        }
        Some(
            Finding::warning(
                "build-needs-frontend",
                format!(
                    "the repository's image builds assets in a Node.js stage ({path}:{}) and copies them in \
                     ({path}:{}); ferry's image does not build them, so the pages that use them break",
                    stage.0,
                    copy.0 + 1
                ),
                format!("{path}:{}", copy.0 + 1),
            )
            .with_fix("add that stage to the generated Dockerfile, or build the assets into the source folder first"),
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_move_in_the_repository_image_says_where_the_server_looks() {
        let files = AppFiles::from_pairs([
            ("server.js", "app.use(express.static(join(__dirname, 'public')));\n"),
            ("client/package.json", "{\"scripts\": {\n  \"build\": \"react-scripts build\"\n}}\n"),
            ("client/package-lock.json", "{}"),
            (
                "Dockerfile",
                "FROM node:20\nWORKDIR /app\nCOPY . .\nRUN cd client && npm run build && cd .. \\\n  && mv ./client/build/* ./public\n",
            ),
        ]);
        let (build, findings) = detect(&files, "node", Some("20"));
        let build = build.expect("a front end");
        assert_eq!((build.output.as_str(), build.destination.as_str()), ("client/build", "public"));
        assert_eq!(build.source, "Dockerfile:4");
        assert_eq!(build.install, "npm ci --no-audit --no-fund");
        assert_eq!(findings[0].kind, "build-needs-frontend");
    }

    #[test]
    fn a_copy_from_a_node_stage_or_the_code_naming_the_build() {
        let angular = r#"{"projects":{"ui":{"architect":{"build":{"options":{"outputPath":"dist/ui"}}}}}}"#;
        let named = AppFiles::from_pairs([
            ("app/main.py", "routes.static('/', os.path.join(BASE, 'ui/dist/ui/browser'))\n"),
            ("ui/package.json", "{\"scripts\": {\"build\": \"ng build\"}, \"engines\": {\"node\": \">=20.11\"}}"),
            ("ui/angular.json", angular),
        ]);
        let build = detect(&named, "python", None).0.expect("a front end");
        assert_eq!((build.destination.as_str(), build.node_version.as_str()), ("ui/dist/ui", "20"));
        let copied = AppFiles::from_pairs([
            ("ui/package.json", "{\"scripts\": {\"build\": \"ng build\"}}"),
            ("ui/angular.json", angular),
            (
                "Dockerfile",
                "FROM node:22 AS b\nWORKDIR /w\nCOPY ui ./\nRUN npm run build\nFROM python:3.13\nWORKDIR /app\nCOPY --from=b /w/dist/ui ./ui/dist/ui\n",
            ),
        ]);
        assert_eq!(detect(&copied, "python", None).0.expect("copied").source, "Dockerfile:7");
    }

    #[test]
    fn a_build_nothing_serves_or_the_repository_holds_is_left() {
        let unused = AppFiles::from_pairs([("admin/package.json", "{\"scripts\": {\"build\": \"vite build\"}}")]);
        assert_eq!(detect(&unused, "node", None), (None, Vec::new()));
        let held = AppFiles::from_pairs([
            ("server.js", "app.use(express.static('client/dist'))\n"),
            ("client/package.json", "{\"scripts\": {\"build\": \"vite build\"}}"),
            ("client/dist/index.html", "<html>"),
        ]);
        assert_eq!(detect(&held, "node", None).0, None);
    }

    #[test]
    fn a_node_stage_ferry_cannot_follow_is_a_warning() {
        let files = AppFiles::from_pairs([(
            "Dockerfile",
            "FROM node:lts as assets\nRUN make css\nFROM python:3.12\nCOPY --from=assets /app/static/ /app/static/\n",
        )]);
        let (build, findings) = detect(&files, "python", None);
        assert_eq!(build, None);
        assert_eq!(findings[0].source, "Dockerfile:4");
    }
}
