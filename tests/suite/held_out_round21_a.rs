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
