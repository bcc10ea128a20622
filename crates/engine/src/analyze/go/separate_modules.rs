//! Folders of a Go repository that hold modules of their own (`veans/go.mod` beside the root
//! `go.mod`): another program, built and shipped on its own. Its code, settings and the
//! programs it runs are not the server's, unless the root module uses it through a `replace`
//! to that folder.

use crate::analyze::app_files::AppFiles;

/// The app without the folders of other Go modules; `None` when the root is no Go module or
/// holds none.
pub fn without_separate_modules(files: &AppFiles) -> Option<AppFiles> {
    let root = files.get("go.mod")?;
    let used: Vec<String> = root
        .lines()
        .filter_map(|line| line.split_once("=>").map(|(_, target)| target.trim()))
        .filter_map(|target| target.split_whitespace().next())
        .filter(|target| target.starts_with("./"))
        .map(|target| target.trim_start_matches("./").trim_end_matches('/').to_string())
        .collect();
    let separate: Vec<String> = files
        .files
        .keys()
        .filter_map(|path| path.strip_suffix("/go.mod"))
        .filter(|folder| !used.iter().any(|u| u == folder))
        .map(str::to_string)
        .collect();
    (!separate.is_empty()).then(|| files.excluding(&separate))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_nested_module_is_left_out_unless_the_root_replaces_with_it() {
        let files = AppFiles::from_pairs([
            ("go.mod", "module example.com/app\n\ngo 1.22\n\nreplace example.com/lib => ./lib\n"),
            ("main.go", "package main\n"),
            ("veans/go.mod", "module example.com/veans\n"),
            ("veans/git.go", "package veans\n"),
            ("lib/go.mod", "module example.com/lib\n"),
            ("lib/lib.go", "package lib\n"),
        ]);
        let own = without_separate_modules(&files).expect("a module is left out");
        assert!(own.has("main.go") && own.has("lib/lib.go") && !own.has("veans/git.go"));
        assert!(without_separate_modules(&AppFiles::from_pairs([("go.mod", "module a\n")])).is_none());
    }
}
