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
const MAX_FILES: usize = 2000;
// Java keeps its sources six folders down (src/main/java/com/example/app).
const MAX_DEPTH: usize = 10;

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
        walk(root, root, 0, &mut files)?;
        let root = std::fs::canonicalize(root).unwrap_or_else(|_| root.to_path_buf());
        let workspace = workspace_files(&root, &files);
        Ok(AppFiles { files, root: Some(root), workspace })
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

    /// The text of the file at `path` (relative to the folder), when it was read.
    pub fn get(&self, path: &str) -> Option<&str> {
        self.files.get(path).map(String::as_str)
    }

    /// Whether the folder has a file at `path`, read or counted by its presence alone.
    pub fn has(&self, path: &str) -> bool {
        self.files.contains_key(path)
    }

    /// Files whose name ends in one of `extensions` (no dot), in path order.
    pub fn with_extensions<'a>(&'a self, extensions: &'a [&str]) -> impl Iterator<Item = (&'a str, &'a str)> + 'a {
        self.files
            .iter()
            .filter(|(path, _)| path.rsplit_once('.').is_some_and(|(_, ext)| extensions.contains(&ext)))
            .map(|(p, c)| (p.as_str(), c.as_str()))
    }
}

/// Breadth first by level, files before folders: the manifests at the root are read before a
/// big `assets/` folder can use up `MAX_FILES`. Only the root must be readable; a folder that
/// is not (a database's data directory owned by another user) is skipped.
fn walk(root: &Path, dir: &Path, depth: usize, files: &mut BTreeMap<String, String>) -> std::io::Result<()> {
    let mut level = vec![dir.to_path_buf()];
    let mut first = true;
    for _ in depth..=MAX_DEPTH {
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
                if files.len() >= MAX_FILES {
                    return Ok(());
                }
                if kind.is_file() {
                    read_file(root, &entry, files);
                }
            }
        }
        first = false;
        level = next;
    }
    Ok(())
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

fn read_file(root: &Path, entry: &std::fs::DirEntry, files: &mut BTreeMap<String, String>) {
    let relative = entry.path().strip_prefix(root).unwrap_or(&entry.path()).to_string_lossy().replace('\\', "/");
    let small = entry.metadata().is_ok_and(|m| m.len() <= MAX_FILE_BYTES);
    // Big and binary files (images, bun.lockb) count by their presence alone.
    let contents = small
        .then(|| std::fs::read(entry.path()).ok())
        .flatten()
        .filter(|bytes| !bytes.iter().take(1024).any(|b| *b == 0))
        .map(|bytes| String::from_utf8_lossy(&bytes).into_owned())
        .unwrap_or_default();
    files.insert(relative, contents);
}
