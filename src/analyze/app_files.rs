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
    pub files: BTreeMap<String, String>,
}

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
        Ok(AppFiles { files })
    }

    /// Files given directly (tests, and callers that hold the files already).
    pub fn from_pairs<'a>(pairs: impl IntoIterator<Item = (&'a str, &'a str)>) -> AppFiles {
        AppFiles { files: pairs.into_iter().map(|(p, c)| (p.to_string(), c.to_string())).collect() }
    }

    pub fn get(&self, path: &str) -> Option<&str> {
        self.files.get(path).map(String::as_str)
    }

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

fn walk(root: &Path, dir: &Path, depth: usize, files: &mut BTreeMap<String, String>) -> std::io::Result<()> {
    let mut entries: Vec<_> = std::fs::read_dir(dir)?.filter_map(Result::ok).collect();
    entries.sort_by_key(|e| e.file_name());
    for entry in entries {
        if files.len() >= MAX_FILES {
            return Ok(());
        }
        let name = entry.file_name().to_string_lossy().into_owned();
        let kind = entry.file_type()?;
        if kind.is_dir() {
            if depth < MAX_DEPTH && !SKIPPED_DIRS.contains(&name.as_str()) {
                walk(root, &entry.path(), depth + 1, files)?;
            }
            continue;
        }
        if !kind.is_file() || entry.metadata()?.len() > MAX_FILE_BYTES {
            continue;
        }
        let relative = entry.path().strip_prefix(root).unwrap_or(&entry.path()).to_string_lossy().replace('\\', "/");
        // Binary lockfiles (bun.lockb) count by their presence.
        let contents =
            std::fs::read(entry.path()).map(|b| String::from_utf8_lossy(&b).into_owned()).unwrap_or_default();
        files.insert(relative, contents);
    }
    Ok(())
}
