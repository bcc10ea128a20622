//! The Go and Java failure classes of held-out round 17, each reproduced in a fixture of its
//! own (tests/fixtures/apps): a Go binary that runs git, state kept under a configured data
//! directory, a filesystem session store, a schema dropped at every start, users seeded with
//! literal passwords at every start, and the volume of a sibling tool service in compose.

use crate::app_fixtures::{findings, profile as fixture};

use ferry::model::FindingLevel;

/// A wiki whose pages are git repositories under its data directory: the binary runs `git`, so
/// the image installs it (not scratch); the repositories and the filesystem session store are
/// blockers; layouts and portraits read from the data directory are user data, not files to
/// embed.
#[test]
fn a_go_app_with_git_repositories_under_its_data_directory() {
    let app = fixture("go-git-wiki-data-dir");
    assert_eq!(app.system_packages, ["git"]);
    let programs = findings(&app, "external-programs");
    assert_eq!(programs.len(), 1, "{programs:?}");
    assert_eq!((programs[0].level, programs[0].source.as_str()), (FindingLevel::Info, "main.go:13"));
    let disk = findings(&app, "local-disk-writes");
    assert!(disk.iter().any(|f| f.level == FindingLevel::Blocker && f.source == "store/pages.go:23"), "{disk:?}");
    let sessions = findings(&app, "in-memory-sessions");
    assert_eq!(sessions.len(), 1, "{sessions:?}");
    assert_eq!((sessions[0].level, sessions[0].source.as_str()), (FindingLevel::Blocker, "web/server.go:16"));
    assert!(findings(&app, "files-at-runtime").is_empty(), "{:?}", findings(&app, "files-at-runtime"));
}
