//! The application's source folder, read once: the files analysis looks at, bounded so a
//! huge repository cannot stall ferry.

use std::collections::BTreeMap;
use std::path::Path;

/// Dependencies, build output and tool caches: what the app's own files are not.
const SKIPPED_DIRS: [&str; 16] = [
    "node_modules",
    ".git",
    "dist",
    "build",
    ".next",
    "coverage",
    "vendor",
    "target",
    ".venv",
    "venv",
    "__pycache__",
    ".gradle",
    ".idea",
    ".tox",
    ".pytest_cache",
    // Yarn's cache and release: .yarnrc.yml names what ferry needs from here.
    ".yarn",
];
const MAX_FILE_BYTES: u64 = 256 * 1024;
/// Source and settings files read, at most: assets and big files count by their presence alone
/// and use none of it.
const MAX_FILES: usize = 2000;
/// Entries listed, at most, before the listing itself stops (a folder of a million images).
const MAX_LISTED: usize = 50_000;
// Java keeps its sources six folders down (src/main/java/com/example/app).
const MAX_DEPTH: usize = 10;

/// Files nothing in analysis reads the text of: images, fonts, media, archives, data, compiled
/// and minified bundles. They count by their presence alone and never use up the budget.
const ASSET_EXTENSIONS: [&str; 52] = [
    "png", "jpg", "jpeg", "gif", "svg", "webp", "ico", "bmp", "tif", "tiff", "avif", "icns", "psd", "woff", "woff2",
    "ttf", "otf", "eot", "mp3", "mp4", "wav", "ogg", "webm", "mov", "avi", "flac", "m4a", "pdf", "zip", "gz", "tgz",
    "bz2", "xz", "7z", "jar", "war", "class", "so", "dll", "exe", "wasm", "bin", "dat", "db", "sqlite", "sqlite3",
    "csv", "tsv", "parquet", "map", "pyc", "lockb",
];

/// Folders of the running app's code: read first when the budget is short.
const SOURCE_DIRS: [&str; 14] = [
    "src", "server", "app", "api", "lib", "backend", "cmd", "internal", "pkg", "config", "routes", "bin", "conf",
    "main",
];

/// Folders of documentation, tests, translations, static files and client apps: read last.
const OUTLYING_DIRS: [&str; 30] = [
    "docs",
    "doc",
    "examples",
    "example",
    "samples",
    "sample",
    "test",
    "tests",
    "__tests__",
    "spec",
    "e2e",
    "cypress",
    "playwright",
    "fixtures",
    "testdata",
    "locales",
    "locale",
    "l10n",
    "i18n",
    "translations",
    "lang",
    "public",
    "static",
    "assets",
    "img",
    "images",
    "media",
    "android",
    "ios",
    "storybook",
];

/// What the scan did not read, so that analysis can say its facts may be incomplete.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Unread {
    /// Source and settings files beyond the budget, by path: present, but not read.
    pub files: std::collections::BTreeSet<String>,
    /// Asset files (images, fonts, media, bundles) counted by presence alone.
    pub assets: usize,
    /// Whether the listing itself stopped at `MAX_LISTED` entries.
    pub listing_cut: bool,
}

/// Files by path relative to the folder (`package.json`, `src/server.ts`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AppFiles {
    /// Each file's text by its path relative to the folder; a big or binary file's is empty.
    pub files: BTreeMap<String, String>,
    /// The folder they were read from (absolute when it could be resolved): the image's build
    /// context. `None` for files given in memory.
    pub root: Option<std::path::PathBuf>,
    /// Workspace files of the repository the folder sits in, by path relative to the folder
    /// (`../yarn.lock`): a monorepo member's package manager is set at the repository's root.
    /// They are outside the build context, so they inform facts and are never copied.
    pub workspace: BTreeMap<String, String>,
    /// The Node.js source of the workspace packages the folder's package depends on, by path
    /// relative to the folder (`../../packages/lib/env.ts`): their code runs in the app, so
    /// their variables are its own. Outside the build context, like `workspace`.
    pub linked: BTreeMap<String, String>,
    /// What the bounded scan left unread.
    pub unread: Unread,
}

/// What a workspace root decides for its members: which package manager, and how it links.
const WORKSPACE_FILES: [&str; 6] =
    ["package-lock.json", "yarn.lock", "pnpm-lock.yaml", "bun.lock", "bun.lockb", ".yarnrc.yml"];
// A member sits a few folders below its workspace root (apps/web, packages/api/server).
const MAX_WORKSPACE_LEVELS: usize = 4;

impl AppFiles {
    /// Reads manifests, lockfiles and source files under `root`.
    pub fn read(root: &Path) -> std::io::Result<AppFiles> {
        if !root.is_dir() {
            return Err(std::io::Error::new(
                std::io::ErrorKind::NotFound,
                format!("{} is not a folder", root.display()),
            ));
        }
        let mut files = BTreeMap::new();
        let unread = walk(root, &mut files)?;
        let root = std::fs::canonicalize(root).unwrap_or_else(|_| root.to_path_buf());
        let workspace = workspace_files(&root, &files);
        let linked =
            files.get("package.json").map(|m| super::linked_packages::read(&root, m, &files)).unwrap_or_default();
        Ok(AppFiles { files, root: Some(root), workspace, linked, unread })
    }

    /// Files given directly (tests, and callers that hold the files already).
    pub fn from_pairs<'a>(pairs: impl IntoIterator<Item = (&'a str, &'a str)>) -> AppFiles {
        AppFiles {
            files: pairs.into_iter().map(|(p, c)| (p.to_string(), c.to_string())).collect(),
            ..AppFiles::default()
        }
    }

    /// `name` in the folder, else in the nearest folder above it within the repository: its
    /// path relative to the folder, and its contents.
    pub fn nearest(&self, name: &str) -> Option<(String, &str)> {
        if let Some(text) = self.get(name) {
            return Some((name.to_string(), text));
        }
        (1..=MAX_WORKSPACE_LEVELS).find_map(|level| {
            let path = format!("{}{name}", "../".repeat(level));
            self.workspace.get(&path).map(|text| (path, text.as_str()))
        })
    }

    /// The files in `folder` alone, still by their paths from the root (so facts cite them as
    /// they are): one program of a workspace read apart from its siblings.
    pub fn only_under(&self, folder: &str) -> AppFiles {
        let prefix = format!("{}/", folder.trim_end_matches('/'));
        // What the scan left unread lies elsewhere: none of it is the member's to claim.
        AppFiles {
            unread: Unread::default(),
            linked: BTreeMap::new(),
            ..self.retaining(|path| path.starts_with(&prefix))
        }
    }

    /// The files outside `folders`: the app without the programs shipped beside it.
    pub fn excluding(&self, folders: &[String]) -> AppFiles {
        self.retaining(|path| !folders.iter().any(|folder| path.starts_with(&format!("{folder}/"))))
    }

    /// The files whose paths `keep` accepts, with the same root and workspace: a view of part of
    /// the folder, copying only the files it keeps.
    fn retaining(&self, keep: impl Fn(&str) -> bool) -> AppFiles {
        AppFiles {
            files: self.files.iter().filter(|(path, _)| keep(path)).map(|(p, t)| (p.clone(), t.clone())).collect(),
            root: self.root.clone(),
            workspace: self.workspace.clone(),
            linked: self.linked.clone(),
            unread: self.unread.clone(),
        }
    }

    /// The text of the file at `path` (relative to the folder), when it was read.
    pub fn get(&self, path: &str) -> Option<&str> {
        self.files.get(path).map(String::as_str)
    }

    /// Whether the folder has a file at `path`, read or counted by its presence alone.
    pub fn has(&self, path: &str) -> bool {
        self.files.contains_key(path) || self.unread.files.contains(path)
    }

    /// The warning that the scan stopped before it read every source file: facts from the
    /// files it left (variables, routes, readiness) are missing. `None` when it read them all.
    pub fn scan_finding(&self) -> Option<crate::model::Finding> {
        if self.unread.files.is_empty() && !self.unread.listing_cut {
            return None;
        }
        let mut folders: BTreeMap<&str, usize> = BTreeMap::new();
        for path in &self.unread.files {
            let folder = path.split_once('/').map_or(".", |(first, _)| first);
            *folders.entry(folder).or_default() += 1;
        }
        let mut by_count: Vec<(&str, usize)> = folders.into_iter().collect();
        by_count.sort_by_key(|(folder, count)| (std::cmp::Reverse(*count), *folder));
        let named: Vec<String> = by_count
            .iter()
            .take(6)
            .map(
                |(folder, count)| {
                    if *folder == "." { format!("the top folder ({count})") } else { format!("{folder}/ ({count})") }
                },
            )
            .collect();
        let mut message =
            format!("the scan stopped at {MAX_FILES} source files and did not read {} more", self.unread.files.len());
        if !named.is_empty() {
            message.push_str(&format!(": {}", named.join(", ")));
            if by_count.len() > named.len() {
                message.push_str(&format!(" and {} other folders", by_count.len() - named.len()));
            }
        }
        if self.unread.listing_cut {
            message.push_str(&format!("; the listing itself stopped at {MAX_LISTED} entries"));
        }
        message.push_str(
            "; variables, routes and findings in those files are missing (images, fonts, media and bundles are skipped on purpose)",
        );
        Some(
            crate::model::Finding::warning("scan-incomplete", message, "source folder").with_fix(
                "analyse the folder that holds the server (--app DIR), or move generated and vendored files out of the repository",
            ),
        )
    }

    /// Files whose name ends in one of `extensions` (no dot), in path order. Go files the
    /// image's build leaves out (`//go:build windows`, `_darwin.go`) are not among them: what
    /// they read or serve is not in the binary.
    pub fn with_extensions<'a>(&'a self, extensions: &'a [&str]) -> impl Iterator<Item = (&'a str, &'a str)> + 'a {
        self.files
            .iter()
            .filter(|(path, _)| path.rsplit_once('.').is_some_and(|(_, ext)| extensions.contains(&ext)))
            .filter(|(path, text)| !(path.ends_with(".go") && super::go::build_constraints::excluded(path, text)))
            .map(|(p, c)| (p.as_str(), c.as_str()))
    }
}

/// Lists the folder breadth first (files before folders, up to `MAX_DEPTH`), then reads the
/// source and settings files in order of use: manifests and the top folder, then the app's code
/// folders, then the rest, then documentation, tests, translations and client apps. Assets and
/// big files count by their presence alone and use none of the budget, so a folder of thousands
/// of icons cannot crowd out the server. Only the root must be readable; a folder that is not
/// (a database's data directory owned by another user) is skipped.
pub(super) fn walk(root: &Path, files: &mut BTreeMap<String, String>) -> std::io::Result<Unread> {
    let mut unread = Unread::default();
    let mut level = vec![root.to_path_buf()];
    let mut listed: Vec<(String, std::path::PathBuf, u64)> = Vec::new();
    let mut first = true;
    'levels: for _ in 0..=MAX_DEPTH {
        let mut next = Vec::new();
        for folder in &level {
            let entries = match std::fs::read_dir(folder) {
                Ok(entries) => entries,
                Err(error) if first => return Err(error),
                Err(_) => continue,
            };
            let mut entries: Vec<_> = entries.filter_map(Result::ok).collect();
            entries.sort_by_key(|e| e.file_name());
            for entry in entries {
                let Ok(kind) = entry.file_type() else { continue };
                let name = entry.file_name().to_string_lossy().into_owned();
                if kind.is_dir() {
                    if !SKIPPED_DIRS.contains(&name.as_str()) || holds_build_tooling(folder, &name) {
                        next.push(entry.path());
                    }
                    continue;
                }
                if !kind.is_file() {
                    continue;
                }
                if listed.len() >= MAX_LISTED {
                    unread.listing_cut = true;
                    break 'levels;
                }
                let path = entry.path();
                let relative = path.strip_prefix(root).unwrap_or(&path).to_string_lossy().replace('\\', "/");
                let size = entry.metadata().map_or(u64::MAX, |m| m.len());
                listed.push((relative, path, size));
            }
        }
        first = false;
        level = next;
    }
    let (assets, mut code): (Vec<_>, Vec<_>) =
        listed.into_iter().partition(|(relative, _, size)| is_asset(relative) || *size > MAX_FILE_BYTES);
    for (relative, _, _) in assets {
        // Big and binary files (images, bun.lockb, a big lockfile) count by their presence.
        unread.assets += usize::from(is_asset(&relative));
        files.insert(relative, String::new());
    }
    code.sort_by_cached_key(|(relative, _, _)| read_order(relative));
    for (index, (relative, path, _)) in code.into_iter().enumerate() {
        if index >= MAX_FILES {
            unread.files.insert(relative);
            continue;
        }
        files.insert(relative, read_text(&path));
    }
    Ok(unread)
}

/// An image, font, media file, archive, data file or minified bundle: nothing analysis reads.
fn is_asset(path: &str) -> bool {
    let name = path.rsplit('/').next().unwrap_or(path).to_ascii_lowercase();
    let extension = name.rsplit_once('.').map_or("", |(_, ext)| ext);
    ASSET_EXTENSIONS.contains(&extension)
        || [".min.js", ".min.css", ".bundle.js", ".chunk.js", ".min.mjs"].iter().any(|end| name.ends_with(end))
}

/// The order files are read in when the budget is short: manifests, settings, container files
/// and CI workflows first; then level by level (the shallower a file, the more it says about how
/// the app runs), the app's code folders first on each level; documentation, tests,
/// translations, static files and client apps last.
fn read_order(path: &str) -> (bool, usize, bool, String) {
    let name = path.rsplit('/').next().unwrap_or(path).to_ascii_lowercase();
    let manifest = ["package.json", "pyproject.toml", "requirements.txt", "go.mod", "pom.xml", "procfile", "pipfile"]
        .contains(&name.as_str())
        || name.starts_with("dockerfile")
        || name.starts_with("containerfile")
        || name.starts_with("build.gradle")
        || name.starts_with(".env")
        || path.starts_with(".github/workflows/");
    let depth = if manifest { 0 } else { path.matches('/').count() };
    let folders: Vec<String> = path.split('/').rev().skip(1).map(str::to_ascii_lowercase).collect();
    // Tests kept beside the code they test (`src/apps/slack/index.test.js`) are read after it.
    let test_file = name.contains(".test.")
        || name.contains(".spec.")
        || name.ends_with("_test.go")
        || (name.starts_with("test_") && name.ends_with(".py"));
    let outlying = !manifest && (test_file || folders.iter().any(|folder| OUTLYING_DIRS.contains(&folder.as_str())));
    let top = folders.last().map_or("", String::as_str);
    let source = SOURCE_DIRS.contains(&top) || top.contains("server");
    (outlying, depth, !source, path.to_string())
}

/// The workspace files in the folders above `root`, up to the repository's top (the folder
/// with `.git`). Nothing is read when the folder has its own lockfile: it is not a member.
fn workspace_files(root: &Path, own: &BTreeMap<String, String>) -> BTreeMap<String, String> {
    let mut found = BTreeMap::new();
    if WORKSPACE_FILES[..5].iter().any(|lockfile| own.contains_key(*lockfile)) || root.join(".git").exists() {
        return found;
    }
    for (level, folder) in root.ancestors().skip(1).take(MAX_WORKSPACE_LEVELS).enumerate() {
        for name in WORKSPACE_FILES {
            let path = folder.join(name);
            let small = std::fs::metadata(&path).is_ok_and(|m| m.is_file() && m.len() <= MAX_FILE_BYTES);
            let present = small || path.is_file();
            if present {
                // A big lockfile counts by its presence, like in the folder itself.
                let text = if small { std::fs::read_to_string(&path).unwrap_or_default() } else { String::new() };
                found.insert(format!("{}{name}", "../".repeat(level + 1)), text);
            }
        }
        if folder.join(".git").exists() {
            break;
        }
    }
    found
}

/// A `build` folder inside a folder of build tooling (`dev/build/`, `docker/build/`) holds the
/// maintainers' image and its settings, not build output.
fn holds_build_tooling(parent: &Path, name: &str) -> bool {
    let tooling = ["dev", "docker", "deploy", "deployment", "ops", "infra", "packaging", ".docker"];
    name == "build" && parent.file_name().is_some_and(|p| tooling.contains(&p.to_string_lossy().as_ref()))
}

/// A file's text; empty when it is binary or cannot be read.
fn read_text(path: &Path) -> String {
    std::fs::read(path)
        .ok()
        .filter(|bytes| !bytes.iter().take(1024).any(|b| *b == 0))
        .map(|bytes| String::from_utf8_lossy(&bytes).into_owned())
        .unwrap_or_default()
}

/// A path inside the app's folder with `.` and `..` resolved (`a/b/../c/./d` → `a/c/d`);
/// `None` when it climbs out of the folder, where nothing the app or its image uses can be.
pub fn normalized(path: &str) -> Option<String> {
    let mut parts: Vec<&str> = Vec::new();
    for part in path.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            part => parts.push(part),
        }
    }
    Some(parts.join("/"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn manifests_first_then_code_then_tests_beside_it() {
        let mut paths = vec![
            "src/apps/slack/index.test.js",
            "src/apps/slack/index.js",
            "test/setup.js",
            "package.json",
            "src/server_test.go",
            "tests/test_views.py",
            "app/test_utils.py",
            "src/main.go",
        ];
        paths.sort_by_cached_key(|path| read_order(path));
        assert_eq!(&paths[..3], ["package.json", "src/main.go", "src/apps/slack/index.js"]);
        assert!(paths[3..].iter().all(|p| p.contains("test")), "{paths:?}");
    }
}
