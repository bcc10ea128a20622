//! The real binary in a pseudo-terminal: it redraws when the terminal is resized, listens to
//! the mouse only when asked (`--mouse`), and writes a log file in the state folder in which no
//! secret of the scenario's user data appears.

use crate::support;

use std::time::Duration;

use support::pty::Session;

/// The node-shop user data's secret values: its database password and session secret.
const SECRETS: [&str; 2] = ["Tr0ub4dor-prod-2024", "8f1c2e0b6a9d4c7e93b15a2f6d0e4c81"];

#[test]
fn the_wizard_redraws_at_the_new_size_when_the_terminal_is_resized() {
    let state = tempfile::tempdir().unwrap();
    let mut s = Session::start(&["demo", "--scenario", "node-shop", "--latency-ms", "0"], state.path());
    s.wait_for("› ● shop-api-prod");
    assert!(s.text().contains("Load balancer"), "full step names at 120 columns:\n{}", s.text());
    s.resize(24, 80);
    // At 80 columns the breadcrumb shortens its names and the details go below the list.
    s.wait_for("› LB › IAM › Data ›");
    s.wait_for("Enter discover this instance");
    let text = s.text();
    assert!(!text.contains("Load balancer"), "nothing of the old frame is left:\n{text}");
    s.resize(40, 120);
    s.wait_for("Load balancer");
    s.keys("q");
    assert!(s.wait_exit().success());
}

#[test]
fn the_mouse_is_the_terminals_unless_asked_for_and_then_a_click_selects_a_row() {
    let state = tempfile::tempdir().unwrap();
    let mut s = Session::start(&["demo", "--scenario", "node-shop", "--latency-ms", "0"], state.path());
    s.wait_for("› ● shop-api-prod");
    let mode = s.screen.lock().unwrap().screen().mouse_protocol_mode();
    assert_eq!(mode, vt100::MouseProtocolMode::None, "without --mouse, selecting text is the terminal's");
    s.keys("q");
    assert!(s.wait_exit().success());

    let mut s = Session::start(&["demo", "--scenario", "node-shop", "--latency-ms", "0", "--mouse"], state.path());
    s.wait_for("› ● shop-api-prod");
    let mode = s.screen.lock().unwrap().screen().mouse_protocol_mode();
    assert_ne!(mode, vt100::MouseProtocolMode::None, "--mouse asks the terminal for clicks");
    // The row of shop-worker, clicked (SGR encoding, 1-based): its details are shown.
    let row = s.text().lines().position(|l| l.contains("shop-worker")).expect("listed") + 1;
    s.keys(&format!("\u{1b}[<0;10;{row}M\u{1b}[<0;10;{row}m"));
    s.wait_for("› ● shop-worker");
    s.keys("q");
    assert!(s.wait_exit().success());
    std::thread::sleep(Duration::from_millis(200));
    let mode = s.screen.lock().unwrap().screen().mouse_protocol_mode();
    assert_eq!(mode, vt100::MouseProtocolMode::None, "the mouse is given back on the way out");
}

#[test]
fn the_log_file_says_what_ferry_did_and_never_a_secret() {
    let state = tempfile::tempdir().unwrap();
    let mut s = Session::start(&["demo", "--scenario", "node-shop", "--latency-ms", "0"], state.path());
    s.wait_for("› ● shop-api-prod");
    s.keys("\r");
    s.wait_for("What sends traffic to shop-api-prod");
    // The user data, secrets masked, is what the Source step showed; discovery read it whole.
    for _ in 0..5 {
        s.keys("\r");
        std::thread::sleep(Duration::from_millis(150));
    }
    s.wait_for("a approve and apply");
    s.approve();
    s.wait_for("APPLIED");
    s.keys("l");
    s.wait_for("migration run applied");
    s.keys("q");
    s.wait_for("quit anyway");
    s.keys("y");
    assert!(s.wait_exit().success());

    let log = std::fs::read_to_string(state.path().join("ferry.log")).expect("the log file is in the state folder");
    for said in ["discovering i-0a1b2c3d4e5f60718", "approved the migration plan", "step 1 done", "run applied"] {
        assert!(log.contains(said), "{said:?} is in the log:\n{log}");
    }
    for secret in SECRETS {
        assert!(!log.contains(secret), "{secret} is never written to the log:\n{log}");
    }
}
