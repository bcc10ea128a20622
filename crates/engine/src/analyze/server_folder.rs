//! The folder one level down that holds the server, when the repository's root holds none
//! (`backend/go.mod` beside `frontend/package.json`, the root keeping only a Dockerfile that
//! copies a prebuilt binary). The server is analysed there and its image is built from there:
//! its manifests, imports and relative paths all start at that folder.

use super::app_files::AppFiles;
use super::source::SourceFacts;
use crate::model::Finding;

/// Folders one level down that never hold the server the repository ships.
const NOT_THE_SERVER: [&str; 14] = [
    "docs",
    "doc",
    "examples",
    "example",
    "samples",
    "test",
    "tests",
    "e2e",
    "scripts",
    "assets",
    "deploy",
    "tools",
    "benchmarks",
    "website",
];

/// Where the server was found: another folder's files to analyse, and what to say about it.
#[derive(Debug, Default)]
pub struct Located {
    /// The server's folder, read as the app's folder; `None` keeps the root.
    pub files: Option<AppFiles>,
    /// Why the folder changed, or why it did not (two servers, none chosen), and what the
    /// repository's image adds that a build of the folder alone lacks.
    pub findings: Vec<Finding>,
}

/// The server's folder when the root serves nothing and exactly one folder below it does (or
/// the root's Dockerfile builds one of several); the root otherwise.
pub fn locate(root: &AppFiles) -> Located {
    if super::analyze_source(root).is_some_and(|facts| serves(&facts)) {
        return Located::default();
    }
    let candidates: Vec<(String, AppFiles, SourceFacts)> = subfolders(root)
        .into_iter()
        .filter_map(|folder| {
            let files = view(root, &folder);
            let facts = super::analyze_source(&files).filter(|f| {
                serves(f) && runs_itself(f, &files) && !library_of_a_sibling(root, &folder)
                    || reactor(f) && runs_itself(f, &files)
            })?;
            Some((folder, files, facts))
        })
        .collect();
    let chosen = match candidates.len() {
        0 => return Located::default(),
        // A reactor's modules are read where it is analysed, not here.
        1 if reactor(&candidates[0].2) => return Located::default(),
        1 => 0,
        _ => match built_by_root_image(root, &candidates)
            .or_else(|| super::root_start_scripts::started(root, &candidates))
        {
            Some(index) => index,
            None => return several(&candidates),
        },
    };
    let (folder, files, facts) = candidates.into_iter().nth(chosen).unwrap_or_else(|| unreachable!());
    let manifest = manifest_of(&facts, &files);
    let finding = Finding::info(
        "server-in-subfolder",
        format!(
            "the repository's root holds no server; {folder}/ does ({} by {folder}/{manifest}): ferry analysed {folder}/ and builds the image from {}, so paths below are relative to {folder}/",
            facts.runtime,
            if facts.build_context.is_some() { "the root" } else { "it" }
        ),
        format!("{folder}/{manifest}"),
    );
    let assets = super::sibling_assets::finding(root, &folder);
    Located { files: Some(files), findings: [finding].into_iter().chain(assets).collect() }
}

/// Whether facts describe a server: a compiled service, a framework or application object, or
/// a start command the package states. A front end built by Vite or webpack states none.
fn serves(facts: &SourceFacts) -> bool {
    let started = facts.start.as_ref().is_some_and(|s| s.source != "package.json main");
    let dev_server = facts.findings.iter().any(|f| f.kind == "dev-server");
    // A Maven reactor's root builds modules; one of them may be the server.
    !reactor(facts)
        && (matches!(facts.runtime, "go" | "java")
            || facts.framework.is_some()
            || facts.entry.is_some()
            || started && !dev_server)
}

/// A Maven reactor below the root (`vhrserver/` with modules): one of its modules may be the
/// server, so a sibling that serves is not the only one.
fn reactor(facts: &SourceFacts) -> bool {
    facts.findings.iter().any(|f| f.kind == "multi-module-build")
}

/// A Java folder runs itself when it is a framework's app or has a `main`: a library module
/// beside the server (`xxl-job-core`) builds a jar too, but serves nothing.
fn runs_itself(facts: &SourceFacts, files: &AppFiles) -> bool {
    facts.runtime != "java"
        || facts.framework.is_some()
        || files.files.iter().any(|(path, text)| {
            (path.ends_with(".java") || path.ends_with(".kt")) && text.contains("static void main(")
        })
}

/// Whether another folder's Maven or Gradle build depends on this one (`<artifactId>app-common`
/// or `project(':app-common')`): a module the server bundles, however many utility `main`s
/// its classes hold.
fn library_of_a_sibling(root: &AppFiles, folder: &str) -> bool {
    let maven = format!("<artifactId>{folder}</artifactId>");
    let gradle = format!("project(':{folder}')");
    root.files.iter().any(|(path, text)| {
        let Some((owner, name)) = path.split_once('/') else { return false };
        let build = matches!(name, "pom.xml" | "build.gradle" | "build.gradle.kts");
        build && owner != folder && (text.contains(&maven) || text.contains(&gradle))
    })
}

/// Whether a folder's name says it holds samples, tests or documentation
/// (`xxl-job-executor-samples`, `api-docs`), whole or as one of its words.
fn not_the_server(folder: &str) -> bool {
    let folder = folder.to_ascii_lowercase();
    NOT_THE_SERVER.contains(&folder.as_str())
        || folder.split(['-', '_', '.']).any(|word| {
            ["samples", "sample", "examples", "example", "demo", "demos", "docs", "benchmarks", "e2e"].contains(&word)
        })
}

/// The folders directly under the root, and the members a root workspace globs one level
/// further down (`apps/*`), but documentation, tests, tooling and hidden ones.
fn subfolders(root: &AppFiles) -> Vec<String> {
    let mut folders: Vec<String> = root
        .files
        .keys()
        .chain(root.unread.files.iter())
        .filter_map(|path| path.split_once('/').map(|(first, _)| first.to_string()))
        .chain(super::workspace_folders::members(root))
        .filter(|folder| {
            let name = folder.rsplit('/').next().unwrap_or(folder);
            !name.starts_with('.') && !not_the_server(name)
        })
        .collect();
    // Read and unread files come in two orders: only a sorted list drops every repeat.
    folders.sort();
    folders.dedup();
    folders
}

/// `folder` read as the app's folder: from disk when the root is on disk (the whole budget for
/// the server's files), else the root's files under it.
fn view(root: &AppFiles, folder: &str) -> AppFiles {
    if let Some(read) = root.root.as_ref().and_then(|path| AppFiles::read(&path.join(folder)).ok()) {
        return read;
    }
    let prefix = format!("{folder}/");
    let strip = |path: &String| path.strip_prefix(&prefix).map(str::to_string);
    AppFiles {
        files: root.files.iter().filter_map(|(path, text)| Some((strip(path)?, text.clone()))).collect(),
        root: None,
        workspace: Default::default(),
        linked: Default::default(),
        unread: super::app_files::Unread {
            files: root.unread.files.iter().filter_map(strip).collect(),
            ..Default::default()
        },
    }
}

/// The candidate the root's Dockerfile builds (`COPY backend/ .`, `WORKDIR /src/backend`,
/// `RUN cd backend && go build`), when it names exactly one.
fn built_by_root_image(root: &AppFiles, candidates: &[(String, AppFiles, SourceFacts)]) -> Option<usize> {
    let steps: Vec<&str> = super::container_start::dockerfiles(root)
        .into_iter()
        .filter(|(path, _)| !path.contains('/'))
        .flat_map(|(_, text)| text.lines())
        .filter(|line| {
            let keyword = line.split_whitespace().next().unwrap_or_default().to_ascii_uppercase();
            matches!(keyword.as_str(), "COPY" | "ADD" | "WORKDIR" | "RUN")
        })
        .collect();
    let names = |folder: &str| {
        steps.iter().any(|line| {
            line.split(|c: char| c.is_whitespace() || c == '=' || c == ';' || c == '&').any(|word| {
                word.trim_start_matches("./").trim_end_matches('/') == folder || word.ends_with(&format!("/{folder}"))
            })
        })
    };
    let named: Vec<usize> = candidates.iter().enumerate().filter(|(_, (f, _, _))| names(f)).map(|(i, _)| i).collect();
    match named.as_slice() {
        [one] => Some(*one),
        _ => None,
    }
}

/// Two or more folders hold a server and nothing says which one ships: ferry does not guess.
fn several(candidates: &[(String, AppFiles, SourceFacts)]) -> Located {
    let named: Vec<String> =
        candidates.iter().map(|(folder, _, facts)| format!("{folder}/ ({})", facts.runtime)).collect();
    let finding = Finding::warning(
        "several-servers",
        format!(
            "the repository's root holds no server, and {} each hold one: ferry analysed the root and chose none",
            named.join(", ")
        ),
        "source folder",
    )
    .with_fix("run ferry with --app set to the folder of the server to move");
    Located { files: None, findings: vec![finding] }
}

/// Manifests a folder may hold, in the order one is named when the package manager's source
/// names none (pip with no lockfile is read from `pyproject.toml` or `requirements.txt`).
const MANIFESTS: [&str; 10] = [
    "pyproject.toml",
    "requirements.txt",
    "Pipfile",
    "setup.py",
    "package.json",
    "go.mod",
    "pom.xml",
    "build.gradle",
    "build.gradle.kts",
    "Gemfile",
];

/// The manifest that makes the folder a server, for the finding: the file its package
/// manager was read from (`go.mod`, `pom.xml`, `requirements.txt`), else the manifest the
/// folder really holds. A source that is a phrase ("default: no lockfile") names no file,
/// and the finding must point at one that exists.
fn manifest_of(facts: &SourceFacts, files: &AppFiles) -> String {
    let source = &facts.package_manager.source;
    let file = source.split([':', ' ']).next().unwrap_or_default();
    if file.contains('.') && files.has(file) {
        return file.to_string();
    }
    let found = MANIFESTS.iter().find(|name| files.has(name)).map(|name| name.to_string());
    // No manifest at all (a bare `app.py`): the folder itself is the source.
    found.unwrap_or_else(|| if file.contains('.') { file.to_string() } else { String::new() })
}

#[cfg(test)]
mod tests {
    use super::*;

    const GO_MOD: &str = "module example.com/api\n\ngo 1.22\n";
    const MAIN: &str = "package main\n\nimport \"net/http\"\n\nfunc main() { http.ListenAndServe(\":8080\", nil) }\n";
    const VITE: &str = r#"{"name":"ui","scripts":{"dev":"vite","build":"vite build"},"devDependencies":{"vite":"5"}}"#;
    const EXPRESS: &str = r#"{"name":"api","scripts":{"start":"node index.js"},"dependencies":{"express":"4"}}"#;

    #[test]
    fn the_one_server_below_a_root_that_holds_none() {
        let files = AppFiles::from_pairs([
            ("Dockerfile", "FROM alpine\nCOPY bin/app /app\nCMD [\"/app\"]\n"),
            ("ui/package.json", VITE),
            ("api/go.mod", GO_MOD),
            ("api/main.go", MAIN),
        ]);
        let located = locate(&files);
        let server = located.files.expect("api/ is the server");
        assert!(server.has("go.mod") && server.has("main.go") && !server.has("ui/package.json"));
        assert_eq!(located.findings.into_iter().next().map(|f| f.source).as_deref(), Some("api/go.mod"));
    }

    #[test]
    fn a_root_that_serves_stays() {
        let files = AppFiles::from_pairs([("go.mod", GO_MOD), ("main.go", MAIN), ("tools/go.mod", GO_MOD)]);
        let located = locate(&files);
        assert!(located.files.is_none() && located.findings.is_empty());
    }

    #[test]
    fn two_servers_are_said_not_guessed() {
        let files = AppFiles::from_pairs([
            ("api/go.mod", GO_MOD),
            ("api/main.go", MAIN),
            ("gateway/package.json", EXPRESS),
            ("gateway/index.js", "require('express')().listen(3000)\n"),
        ]);
        let located = locate(&files);
        assert!(located.files.is_none());
        let finding = located.findings.into_iter().next().expect("the choice is said");
        assert_eq!(finding.kind, "several-servers");
        assert!(finding.message.contains("api/ (go)") && finding.message.contains("gateway/ (node)"), "{finding:?}");
    }

    #[test]
    fn a_module_the_server_depends_on_is_a_library() {
        let pom = |artifact: &str, dependency: &str| {
            format!(
                "<project><groupId>com.example</groupId><artifactId>{artifact}</artifactId><version>1.0.0</version><dependencies><dependency><groupId>org.springframework.boot</groupId><artifactId>spring-boot-starter-web</artifactId><version>3.3.4</version></dependency>{dependency}</dependencies></project>"
            )
        };
        let web = pom("web", "<dependency><groupId>com.example</groupId><artifactId>common</artifactId></dependency>");
        let common = pom("common", "");
        let files = AppFiles::from_pairs([
            ("web/pom.xml", web.as_str()),
            (
                "web/src/main/java/app/App.java",
                "@SpringBootApplication\npublic class App {\n  public static void main(String[] a) { SpringApplication.run(App.class, a); }\n}\n",
            ),
            ("common/pom.xml", common.as_str()),
            (
                "common/src/main/java/app/Slugs.java",
                "public class Slugs {\n  public static void main(String[] a) { }\n}\n",
            ),
        ]);
        let located = locate(&files);
        assert_eq!(located.findings.into_iter().next().map(|f| f.kind).as_deref(), Some("server-in-subfolder"));
        assert!(located.files.is_some_and(|f| f.has("src/main/java/app/App.java")));
    }

    #[test]
    fn the_root_image_names_which_of_two_it_builds() {
        let files = AppFiles::from_pairs([
            ("Dockerfile", "FROM golang:1.22\nWORKDIR /src\nCOPY api/ .\nRUN go build -o /app .\n"),
            ("api/go.mod", GO_MOD),
            ("api/main.go", MAIN),
            ("gateway/package.json", EXPRESS),
            ("gateway/index.js", "require('express')().listen(3000)\n"),
        ]);
        let located = locate(&files);
        assert!(located.files.is_some_and(|f| f.has("go.mod")));
        assert_eq!(located.findings.into_iter().next().map(|f| f.kind).as_deref(), Some("server-in-subfolder"));
    }
}
