//! The edit-review-approve loop in the real binary, in a pseudo-terminal: an invalid cpu typed
//! into service.json is marked at its line and refused at approval, `u` puts the generated
//! config back, a valid edit is approved and applied, and the run is rolled back.

use crate::support;

use ferry::cloud::sandbox::{Sandbox, SandboxOptions};
use support::pty::Session;

const DOWN: &str = "\x1b[B";
const END: &str = "\x1b[F";
const BACKSPACE: &str = "\x7f";
const CTRL_S: &str = "\x13";

/// The 1-based line of the demo's generated service.json that sets the cpu, and that line.
fn cpu_line() -> (usize, String) {
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    let json = runtime.block_on(async {
        let sandbox = Sandbox::load("node-shop", SandboxOptions::instant()).unwrap();
        let migration = ferry::migration::prepare(&sandbox, sandbox.app_instance()).await.unwrap();
        migration.artifacts.service_json()
    });
    let index = json.lines().position(|l| l.contains("\"cpu\"")).expect("a cpu line");
    (index + 1, json.lines().nth(index).unwrap().to_string())
}

/// In the open editor, from its first line: the cpu's value replaced with `value`.
fn type_cpu(s: &mut Session, line: usize, text: &str, value: &str) {
    s.keys(&DOWN.repeat(line - 1));
    s.keys(END);
    let old = text.split_once(": ").unwrap().1.chars().count();
    s.keys(&BACKSPACE.repeat(old));
    s.keys(&format!("\"{value}\","));
}

/// Enter until the breadcrumb marks `step` as the current one.
fn walk_to(s: &mut Session, step: &str) {
    for _ in 0..30 {
        if s.text().contains(&format!("● {step}")) {
            return;
        }
        s.keys("\r");
        std::thread::sleep(std::time::Duration::from_millis(300));
    }
    s.wait_for(&format!("● {step}"));
}

/// From the Source step: to Service, the service config opened in the editor, its cpu typed.
fn edit_cpu_on_service(s: &mut Session, line: usize, text: &str, cpu: &str) {
    walk_to(s, "Service");
    s.keys("\t");
    s.keys("e");
    s.wait_for("editing service.json");
    type_cpu(s, line, text, cpu);
}

#[test]
fn an_invalid_cpu_is_refused_reverted_and_a_valid_one_applied_and_rolled_back() {
    let (line, text) = cpu_line();
    let (state, home) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let home_path = home.path().to_str().unwrap();
    let config = home.path().join(".config");
    let env = [("HOME", home_path), ("XDG_CONFIG_HOME", config.to_str().unwrap())];
    // As a trainer starts it: the picker first, node-shop chosen from it.
    let args = ["demo", "--latency-ms", "0"];
    let mut s = Session::start_with(&args, state.path(), &env);
    s.wait_for("choose a scenario");
    s.wait_for("› node-shop");
    s.keys("\r");
    s.wait_for("› ● shop-api-prod");
    // service.json, edited to a cpu Fargate has not: marked at its line as it is typed.
    edit_cpu_on_service(&mut s, line, &text, "999");
    s.wait_for(&format!("✗ line {line} · cpu: \"999\" is not a Fargate cpu value"));
    s.keys(CTRL_S);
    s.wait_for("saved with 1 problem: plan");

    // Refused on Plan, and the footer says why.
    walk_to(&mut s, "Plan");
    s.wait_for("a approve: refused, cpu not valid (Service)");
    s.keys("a");
    s.wait_for("the plan is not valid, so it cannot be approved: cpu:");

    // Back on Service, u puts the generated config back after a question.
    s.keys("\x1b");
    s.wait_for("● Service");
    s.wait_for("service.json (Express Mode) · edited");
    s.keys("u");
    s.wait_for("Put back the service.json ferry generated?");
    s.keys("y");
    s.wait_for("service.json is as ferry generated it again");

    // A valid edit: saved, approved, applied, rolled back.
    s.keys("e");
    s.wait_for("editing service.json");
    type_cpu(&mut s, line, &text, "512");
    s.wait_for("✓ valid");
    s.keys(CTRL_S);
    s.wait_for("saved: the plan is now");
    s.wait_for("cpu 512 / mem 2048 ← edited");
    walk_to(&mut s, "Plan");
    s.approve();
    s.wait_for("APPLIED");
    s.keys("r");
    s.wait_for("y roll back");
    s.keys("y");
    s.wait_for("ROLLED BACK");
    s.keys("q");
    let status = s.wait_exit();
    assert!(status.success(), "ferry exits cleanly: {status:?}");
}

/// Under `NO_COLOR` no cell has a colour, and a problem's line is still marked: `✗` and its
/// number in reverse video.
#[test]
fn without_colour_a_problem_line_is_still_marked() {
    let (line, text) = cpu_line();
    let state = tempfile::tempdir().unwrap();
    let args = ["demo", "--scenario", "node-shop", "--latency-ms", "0"];
    let mut s = Session::start_with(&args, state.path(), &[("NO_COLOR", "1")]);
    s.wait_for("› ● shop-api-prod");
    edit_cpu_on_service(&mut s, line, &text, "999");
    s.wait_for("✗ line");
    let parser = s.screen.lock().unwrap();
    let screen = parser.screen();
    let (rows, cols) = screen.size();
    let mark = (0..rows).find(|r| screen.contents_between(*r, 0, *r, cols).starts_with("│✗")).expect("a marked line");
    let gutter = screen.cell(mark, 1).unwrap();
    assert!(gutter.inverse(), "the mark is in reverse video");
    let coloured = (0..rows)
        .flat_map(|r| (0..cols).map(move |c| (r, c)))
        .filter(|(r, c)| screen.cell(*r, *c).is_some_and(|cell| cell.fgcolor() != vt100::Color::Default))
        .count();
    assert_eq!(coloured, 0, "no cell has a colour");
    drop(parser);
    // Ctrl-C reaches the editor too, and asks first: the edit is not saved.
    s.keys("\x03");
    s.wait_for("quit anyway");
    s.keys("y");
    s.wait_exit();
}
