//! Version pins kept at the root of the repository a subfolder sits in: a monorepo member
//! (`packages/server`, `api/`) is built with the Node.js or JDK the repository pins in its
//! `.nvmrc`, `.java-version`, root build file, root Dockerfiles or CI, not with a default.

use std::path::{Path, PathBuf};

use super::app_files::AppFiles;
use super::source::Fact;

/// How far above the folder the repository's root may be (apps/web, packages/api/server).
const MAX_LEVELS: usize = 4;

/// Files whose presence marks a workspace or repository root when there is no `.git` (an
/// exported snapshot): the build tools' workspace files and the lockfiles a root keeps.
const ROOT_MARKERS: [&str; 13] = [
    "settings.gradle",
    "settings.gradle.kts",
    "pnpm-workspace.yaml",
    "lerna.json",
    "nx.json",
    "turbo.json",
    "go.work",
    "yarn.lock",
    "package-lock.json",
    "pnpm-lock.yaml",
    "uv.lock",
    ".nvmrc",
    ".java-version",
];

/// Files at the root that state a runtime's version.
const PIN_FILES: [&str; 15] = [
    ".nvmrc",
    ".node-version",
    ".tool-versions",
    "mise.toml",
    ".mise.toml",
    ".java-version",
    ".sdkmanrc",
    "system.properties",
    ".python-version",
    "runtime.txt",
    "GO_VERSION",
    "package.json",
    "build.gradle",
    "build.gradle.kts",
    "pyproject.toml",
];

/// The root of the repository the folder sits in, as the way up to it (`../../`) and the
/// files there that pin versions, read with paths relative to that root. `None` when the
/// folder is the root, or nothing above it looks like one.
pub fn above(files: &AppFiles) -> Option<(String, AppFiles)> {
    let root = files.root.as_deref()?;
    if root.join(".git").exists() {
        return None;
    }
    let (levels, top) = repository_root(root)?;
    let mut pairs: Vec<(String, String)> = Vec::new();
    let mut read = |relative: String, path: PathBuf| {
        let small = std::fs::metadata(&path).is_ok_and(|m| m.is_file() && m.len() <= 256 * 1024);
        if small && let Ok(text) = std::fs::read_to_string(&path) {
            pairs.push((relative, text));
        }
    };
    for name in PIN_FILES {
        read(name.to_string(), top.join(name));
    }
    for (folder, prefix) in [(top.to_path_buf(), ""), (top.join(".github/workflows"), ".github/workflows/")] {
        let Ok(entries) = std::fs::read_dir(&folder) else { continue };
        for entry in entries.flatten() {
            let name = entry.file_name().to_string_lossy().to_string();
            let dockerfile = prefix.is_empty() && (name.starts_with("Dockerfile") || name.ends_with(".Dockerfile"));
            let workflow = !prefix.is_empty() && (name.ends_with(".yml") || name.ends_with(".yaml"));
            if dockerfile || workflow {
                read(format!("{prefix}{name}"), entry.path());
            }
        }
    }
    let repository = AppFiles::from_pairs(pairs.iter().map(|(p, t)| (p.as_str(), t.as_str())));
    Some(("../".repeat(levels), repository))
}

/// The nearest folder above `root` with a `.git` or a workspace marker, with how many levels
/// up it is: the workspace the folder is a member of.
fn repository_root(root: &Path) -> Option<(usize, &Path)> {
    root.ancestors().enumerate().skip(1).take(MAX_LEVELS).find(|(_, folder)| {
        folder.join(".git").exists() || ROOT_MARKERS.iter().any(|marker| folder.join(marker).is_file())
    })
}

/// A version the repository's root states, its source said as coming from there.
pub fn from_root(files: &AppFiles, version: impl Fn(&AppFiles) -> Option<Fact<String>>) -> Option<Fact<String>> {
    let (prefix, repository) = above(files)?;
    version(&repository)
        .map(|found| Fact { value: found.value, source: format!("{prefix}{} (the repository's root)", found.source) })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_member_takes_the_pins_of_its_repository_root() {
        let top = std::env::temp_dir().join(format!("ferry-pins-{}", std::process::id()));
        let member = top.join("packages/server");
        std::fs::create_dir_all(&member).unwrap();
        std::fs::write(top.join("yarn.lock"), "").unwrap();
        std::fs::write(top.join(".nvmrc"), "18\n").unwrap();
        std::fs::write(member.join("package.json"), "{}").unwrap();
        let files = AppFiles::read(&member).unwrap();
        let (prefix, repository) = above(&files).expect("a root above");
        assert_eq!(prefix, "../../");
        assert_eq!(repository.get(".nvmrc"), Some("18\n"));
        let found =
            from_root(&files, |repo| repo.get(".nvmrc").map(|v| super::super::source::fact(v.trim().into(), ".nvmrc")));
        assert_eq!(
            found.map(|f| (f.value, f.source)),
            Some(("18".into(), "../../.nvmrc (the repository's root)".into()))
        );
        let _ = std::fs::remove_dir_all(&top);
    }
}
