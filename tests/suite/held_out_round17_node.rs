//! The Node.js failure classes of held-out round 17, each reproduced in a fixture of its own
//! (tests/fixtures/apps): development-only requires behind an environment test, a connection
//! string written in the code, a health path where nothing serves `/`, and more.

use crate::app_fixtures::{findings, profile as fixture};

/// `webpack` and `@babel/register` are required only where NODE_ENV is development (the `else`
/// of a production test, a block behind `isDevelopment`): ferry's image starts with
/// NODE_ENV=production, so they are not needed there.
#[test]
fn development_only_requires_do_not_block_a_production_start() {
    let app = fixture("node-dev-branch-requires");
    assert_eq!(app.start_command, ["node", "index.js"]);
    assert!(findings(&app, "install-needs-dev-deps").is_empty(), "{:?}", findings(&app, "install-needs-dev-deps"));
}

/// The production path of index.js requires `./dist/server.bundle.js`, which `build:server`
/// writes, not `build`: the image's build runs both (and not the watcher of the same family).
#[test]
fn the_build_script_that_writes_the_server_bundle_runs_too() {
    let app = fixture("node-server-bundle-script");
    assert_eq!(app.start_command, ["node", "index.js"]);
    let build = app.build_command.as_ref().expect("a build").join(" ");
    assert_eq!(build, "npm run build && npm run build:server");
}
