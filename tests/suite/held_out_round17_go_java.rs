//! The Go and Java failure classes of held-out round 17, each reproduced in a fixture of its
//! own (tests/fixtures/apps): a Go binary that runs git, state kept under a configured data
//! directory, a filesystem session store, a schema dropped at every start, users seeded with
//! literal passwords at every start, and the volume of a sibling tool service in compose.

use crate::app_fixtures::{findings, profile as fixture};

use ferry::model::FindingLevel;

/// A wiki whose pages are git repositories under its data directory: the binary runs `git`, so
/// the image installs it (not scratch), and it builds with the tags its Makefile passes; the
/// repositories and the filesystem session store are
/// blockers; layouts and portraits read from the data directory are user data, not files to
/// embed.
#[test]
fn a_go_app_with_git_repositories_under_its_data_directory() {
    let app = fixture("go-git-wiki-data-dir");
    assert_eq!(app.system_packages, ["git"]);
    let build = app.build_command.clone().expect("a go build");
    assert!(build.windows(2).any(|w| w == ["-tags", "timetzdata,embedded_assets"]), "{build:?}");
    assert_eq!(findings(&app, "build-tags")[0].source, "Makefile:2");
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

/// A Spring app on a lasting database with `ddl-auto: create-drop`: every start drops every
/// table, a blocker. A `CommandLineRunner` creates an account with a literal password at every
/// start: a warning that names the call, never the value. The compose file's mail catcher keeps
/// a volume of its own, which is not the app's state.
#[test]
fn a_spring_app_that_drops_its_schema_and_seeds_accounts_at_start() {
    let app = fixture("spring-create-drop-seeded-admin");
    let starts = findings(&app, "migrations-at-start");
    let dropped = starts.iter().find(|f| f.message.contains("drops every table")).expect("create-drop is said");
    assert_eq!(
        (dropped.level, dropped.source.as_str()),
        (FindingLevel::Blocker, "src/main/resources/application.yml:8")
    );
    let seeded = starts.iter().find(|f| f.message.contains("CommandLineRunner")).expect("the seed is said");
    assert_eq!(
        (seeded.level, seeded.source.as_str()),
        (FindingLevel::Warning, "src/main/java/org/example/ledger/LedgerApplication.java:17")
    );
    assert!(seeded.message.contains("setPassword") && !seeded.message.contains("clerk-pass-1"), "{}", seeded.message);
    assert!(findings(&app, "local-disk-writes").is_empty(), "{:?}", findings(&app, "local-disk-writes"));
}
