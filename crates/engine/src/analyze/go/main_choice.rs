//! Which of several `cmd/*` main packages is the service. A repository often ships its server
//! beside a command-line client of it (`cmd/wtf` dials the server's URL, `cmd/wtfd` serves),
//! a storybook or other developer tool that serves pages of its own, and one-off commands. The
//! image runs the one that starts the app's server; a developer's tool never, even when it
//! listens too, and its port and pages are not the service's.

use super::EXTENSIONS;
use crate::analyze::app_files::AppFiles;
use crate::analyze::source::is_test_path;

/// Words of a folder's name (`wtf-storybook`, `dev_server`) that make it a developer's tool.
const DEV_TOOL_WORDS: [&str; 14] = [
    "storybook",
    "dev",
    "devtool",
    "devtools",
    "tool",
    "tools",
    "example",
    "examples",
    "demo",
    "mock",
    "playground",
    "gen",
    "codegen",
    "bench",
];

/// What a package that starts a server says in its code: a listen call, a server value (the
/// standard library's or the app's own server package's, `http.NewServer()`), or a framework
/// run on an address.
const SERVES: [&str; 9] = [
    "ListenAndServe",
    ".Serve(",
    "net.Listen(",
    "NewServer(",
    ".Server{",
    "*http.Server",
    ".Run(\":",
    ".Start(\":",
    ".Listen(\":",
];

/// Names that say a package is the service: the module's name with a daemon's `d` (`wtfd`
/// beside `wtf`) first, then the module's own name, then `server`, `api`, `web`, `app`.
const SERVICE_NAMES: [&str; 4] = ["server", "api", "web", "app"];

/// The folder (among `dirs`, relative to the root) the image builds: not a developer's tool
/// unless all are; then one whose code starts a server; then by name (see `SERVICE_NAMES`);
/// then the first. `module` is the module's last element. `None` when `dirs` is empty.
pub(super) fn service_main(files: &AppFiles, dirs: &[&str], module: Option<&str>) -> Option<usize> {
    let folder = |dir: &str| dir.rsplit('/').next().unwrap_or("").to_string();
    let folders: Vec<String> = dirs.iter().map(|dir| folder(dir)).collect();
    let name_rank = |name: &str| -> usize {
        let daemon = name.strip_suffix('d').is_some_and(|base| {
            !base.is_empty() && (module == Some(base) || folders.iter().any(|other| other == base))
        });
        if daemon {
            0
        } else if module == Some(name) {
            1
        } else if name.ends_with("server")
            || SERVICE_NAMES
                .iter()
                .any(|s| name == *s || name.ends_with(&format!("-{s}")) || name.ends_with(&format!("_{s}")))
        {
            2
        } else {
            3
        }
    };
    (0..dirs.len()).min_by_key(|&i| (is_dev_tool(&folders[i]), !serves(files, dirs[i]), name_rank(&folders[i]), i))
}

/// Whether a folder's name says it is a developer's tool (`wtf-storybook`, `devtools`).
pub(super) fn is_dev_tool(folder: &str) -> bool {
    folder.to_ascii_lowercase().split(['-', '_', '.']).any(|word| DEV_TOOL_WORDS.contains(&word))
}

/// Whether the package in `dir` (its own files, not its subfolders) starts a server.
fn serves(files: &AppFiles, dir: &str) -> bool {
    files.with_extensions(&EXTENSIONS).any(|(path, text)| {
        let parent = path.rsplit_once('/').map_or("", |(parent, _)| parent);
        parent == dir && !is_test_path(path) && SERVES.iter().any(|marker| text.contains(marker))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_server_wins_over_a_client_and_a_storybook() {
        let files = AppFiles::from_pairs([
            ("cmd/wtf/main.go", "package main\nconst DefaultURL = \"https://example.com\"\nfunc main() {}\n"),
            ("cmd/wtf-storybook/main.go", "package main\nfunc main() { http.ListenAndServe(\":3001\", nil) }\n"),
            ("cmd/wtfd/main.go", "package main\nfunc main() { s := http.NewServer(); s.Open() }\n"),
        ]);
        let dirs = ["cmd/wtf", "cmd/wtf-storybook", "cmd/wtfd"];
        assert_eq!(service_main(&files, &dirs, Some("wtf")), Some(2));
    }

    #[test]
    fn a_daemon_named_after_another_command_wins_when_nothing_is_seen_serving() {
        let files = AppFiles::from_pairs([]);
        assert_eq!(service_main(&files, &["cmd/notes", "cmd/notesd"], Some("notes")), Some(1));
        assert_eq!(service_main(&files, &["cmd/load", "cmd/api-server"], None), Some(1));
        assert_eq!(service_main(&files, &["cmd/upload", "cmd/zeta"], None), Some(0), "a name ending in d");
    }

    #[test]
    fn developer_tools() {
        for name in ["wtf-storybook", "devtools", "example", "dev_server"] {
            assert!(is_dev_tool(name), "{name}");
        }
        for name in ["server", "wtfd", "device", "generator"] {
            assert!(!is_dev_tool(name), "{name}");
        }
    }
}
