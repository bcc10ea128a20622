//! Round 21's held-out start commands: a shell-form image command chained with `&&` runs
//! whole in a shell, a Node option's module path keeps its `./`, a start script running a
//! development server gives way to node, a development image loses to the production one,
//! and Spring Boot 1.x builds and serves health under its own names.

use crate::app_fixtures::profile as fixture;

/// `CMD ./ledger upgrade && ./ledger`: split into exec words, `&&` would be an argument of the
/// binary and the server would never start. The shell runs the line, with ferry's binary.
#[test]
fn a_shell_form_chain_in_a_go_image_runs_whole_in_a_shell() {
    let app = fixture("go-shell-chain-cmd");
    assert_eq!(app.start_command, ["sh", "-c", "/app/ledger upgrade && /app/ledger"]);
    assert_eq!(app.start_source, "Dockerfile:10 (the repository's own image)");
}

/// `node --loader ./paths-loader.mjs`: without its `./`, Node resolves the loader as a package
/// and the server fails with ERR_MODULE_NOT_FOUND. The script's own path loses it harmlessly.
#[test]
fn a_node_options_module_path_keeps_its_dot_slash() {
    let app = fixture("express-node-loader-relative");
    assert_eq!(app.start_command, ["node", "--loader", "./paths-loader.mjs", "--require=./otel.cjs", "src/app.js"]);
}

/// `node-dev index.js -- --settings ./settings.local.env | pino-pretty`: a restarting
/// development server with a developer's settings, piped to a log colouriser; the container
/// runs the script under node, and installs neither tool.
#[test]
fn a_start_script_running_node_dev_gives_way_to_node() {
    let app = fixture("express-node-dev-pretty");
    assert_eq!(app.start_command, ["node", "index.js"]);
    assert_eq!(crate::app_fixtures::findings(&app, "dev-server").len(), 1, "{:?}", app.findings);
    assert!(crate::app_fixtures::findings(&app, "install-needs-dev-deps").is_empty(), "{:?}", app.findings);
}
