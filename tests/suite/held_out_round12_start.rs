//! The start commands of held-out round 12 that did not start in ferry's own image, each
//! reproduced in a fixture of its own (tests/fixtures/apps): an init wrapper whose flags were
//! kept as the command, npm's `prestart` that creates the config module, and a monorepo start
//! whose programs are development dependencies the production install leaves out.

use crate::app_fixtures::{findings, profile as fixture};

use ferry::model::FindingLevel;

/// `ENTRYPOINT ["/sbin/tini", "-s", "--", "./start.sh"]`: the init and its options go, and the
/// script, which supervises the server through its own function and `su-exec`, gives way to
/// the program it runs on every path.
#[test]
fn an_init_and_a_supervising_script_give_way_to_the_program() {
    let app = fixture("python-tini-supervised-entrypoint");
    assert_eq!(app.start_command, ["python3", "web/serve.py"]);
    assert_eq!(app.start_source, "start.sh:18 (run by Dockerfile:8, the repository's own image)");
    assert!(!app.start_command[0].starts_with('-'));
}

/// `prestart` copies the config template to the gitignored config module the server loads:
/// the image build runs it, and the module is no longer reported missing.
#[test]
fn a_prestart_that_prepares_files_runs_in_the_image_build() {
    let app = fixture("node-prestart-config-template");
    assert_eq!(app.start_command, ["node", "lib/app.js"]);
    assert_eq!(app.build_command.as_deref(), Some(&["npm".to_string(), "run".into(), "prestart".into()][..]));
    assert!(findings(&app, "build-at-start").iter().any(|f| f.source == "package.json scripts.prestart"));
    assert!(findings(&app, "required-env").is_empty(), "{:?}", findings(&app, "required-env"));
}

/// `lerna run start` into a member whose start runs cross-env and ts-node: every program is a
/// development dependency, so the production image cannot run the start; the blocker names
/// them and the member's script, and says the whole start compiles TypeScript.
#[test]
fn a_start_run_by_development_tools_is_a_blocker() {
    let app = fixture("node-monorepo-dev-tools-start");
    let found = findings(&app, "install-needs-dev-deps");
    assert_eq!(found.len(), 1, "{found:?}");
    let blocker = found[0];
    assert_eq!(blocker.level, FindingLevel::Blocker);
    assert_eq!(blocker.source, "services/api/package.json:5");
    for program in ["lerna", "cross-env", "ts-node"] {
        assert!(blocker.message.contains(program), "{}", blocker.message);
    }
    assert!(blocker.message.contains("services/api/src/index.ts"), "{}", blocker.message);
    assert!(blocker.fix.as_deref().is_some_and(|f| f.contains("tsc")), "{:?}", blocker.fix);
}
