//! The real binary in a pseudo-terminal, read through a terminal emulator: what an operator
//! sees, key by key, from the first screen to APPLIED, ROLLED BACK and a clean exit.

use crate::support;

use std::time::{Duration, Instant};

use support::pty::{DENY_REASON, Session};

#[test]
fn the_demo_walks_to_applied_rolls_back_and_restores_the_terminal() {
    let state = tempfile::tempdir().unwrap();
    let mut s = Session::start(&["demo", "--scenario", "node-shop", "--latency-ms", "0"], state.path());
    s.wait_for("SANDBOX");
    s.wait_for("› ● shop-api-prod");
    s.walk_to_plan();
    s.keys("a");
    s.wait_for("Override a deny");
    s.wait_for("wildcard-iam:AmazonSESFullAccess:ses:*");
    s.keys("too short");
    s.keys("\r");
    s.wait_for("too short (8 of 12)");
    s.keys(&format!("\u{15}{DENY_REASON}"));
    s.wait_for(&format!("✓ {} characters", ferry::tui::reason_length(DENY_REASON)));
    s.keys("\r");
    s.wait_for("Overriding 1 deny");
    s.wait_for("y apply");
    s.keys("y");
    s.wait_for("APPLIED");
    s.keys("r");
    s.wait_for("y roll back");
    s.keys("y");
    s.wait_for("ROLLED BACK");
    assert!(s.screen.lock().unwrap().screen().alternate_screen(), "the wizard draws on the alternate screen");

    s.keys("q");
    let deadline = Instant::now() + Duration::from_secs(10);
    let status = loop {
        if let Some(status) = s.child.try_wait().unwrap() {
            break status;
        }
        assert!(Instant::now() < deadline, "ferry did not exit on q");
        std::thread::sleep(Duration::from_millis(50));
    };
    assert!(status.success(), "clean exit: {status:?}");
    std::thread::sleep(Duration::from_millis(200));
    let parser = s.screen.lock().unwrap();
    assert!(!parser.screen().alternate_screen(), "the terminal is back on the main screen");
    assert!(!parser.screen().hide_cursor(), "the cursor is visible again");

    // The run and its rollback are in the audit log, chained, with the sandbox's operator.
    let log = state.path().join("audit.jsonl");
    let records = ferry::audit::verify(&log).expect("the audit log exists").expect("its chain is whole");
    let text = std::fs::read_to_string(&log).unwrap();
    assert!(records > 20 && text.contains("\"finish rollback\"") && text.contains("user/demo-operator"), "{text}");
    // The override, with the reason as typed, before any change.
    let record = text.lines().find(|l| l.contains("\"override deny\"")).expect("an override record");
    assert!(record.contains(DENY_REASON) && record.contains("wildcard-iam:AmazonSESFullAccess:ses:*"), "{record}");
    let first_change = text.lines().position(|l| l.contains("\"create ECR repository\"")).unwrap_or(usize::MAX);
    assert!(text.lines().position(|l| l.contains("\"override deny\"")).unwrap() < first_change, "{text}");
}

/// A demo killed in the middle of an apply: the next start offers the run, and rolling it
/// back leaves the kept sandbox account as it was before.
#[test]
fn a_run_killed_mid_way_is_offered_at_the_next_start_and_rolled_back() {
    let state = tempfile::tempdir().unwrap();
    let mut s = Session::start(&["demo", "--scenario", "node-shop", "--latency-ms", "150"], state.path());
    s.wait_for("› ● shop-api-prod");
    s.keys("\r");
    s.wait_for("What sends traffic to shop-api-prod");
    for _ in 0..5 {
        s.keys("\r");
    }
    s.wait_for("approve and apply");
    let account = state.path().join("sandbox").join("node-shop.json");
    s.keys("a");
    s.wait_for("Override a deny");
    s.keys(DENY_REASON);
    s.keys("\r");
    s.wait_for("y apply");
    s.keys("y");
    s.wait_for("3/12 steps done");
    s.child.kill().unwrap();
    s.wait_exit();
    let changed = std::fs::read_to_string(&account).expect("the sandbox account is kept");
    assert!(changed.contains("ferry-shop-api-task"), "the run made roles before it was killed");

    let mut s = Session::start(&["demo", "--scenario", "node-shop", "--latency-ms", "0"], state.path());
    s.wait_for("Runs that may have left resources (1)");
    s.wait_for("interrupted");
    s.keys("r");
    s.wait_for("y roll back");
    s.keys("y");
    s.wait_for("ROLLED BACK");
    let after = std::fs::read_to_string(&account).unwrap();
    assert!(!after.contains("ferry-shop-api"), "nothing the run made is left: {after}");
    s.keys("q");
    assert!(s.wait_exit().success());
}

/// The browser on an account it can read nothing of: it shows why, and once quit, ferry says
/// so on the restored terminal and ends with a failure, as `ferry inventory --json` does.
#[test]
fn an_inventory_of_nothing_ends_in_failure() {
    let state = tempfile::tempdir().unwrap();
    let env = [
        ("AWS_ACCESS_KEY_ID", "testing"),
        ("AWS_SECRET_ACCESS_KEY", "testing"),
        ("AWS_CONFIG_FILE", "/nonexistent"),
        ("AWS_SHARED_CREDENTIALS_FILE", "/nonexistent"),
        ("AWS_EC2_METADATA_DISABLED", "true"),
    ];
    let args = ["inventory", "--endpoint-url", "http://127.0.0.1:9", "--region", "us-east-1"];
    let mut s = Session::start_with(&args, state.path(), &env);
    s.wait_for("could not read instances");
    s.keys("q");
    let status = s.wait_exit();
    assert!(!status.success(), "{status:?}");
    s.wait_for("ferry: nothing in the account could be read:");
    s.wait_for("  instances: cannot reach AWS for ec2:DescribeInstances");
}

/// The secret the Fastify app requires, given its source at the prompt on the Container step:
/// the plan creates it from the environment variable, and the run reads that variable.
#[test]
fn a_secret_source_given_at_the_prompt_is_read_when_the_plan_is_applied() {
    let state = tempfile::tempdir().unwrap();
    let app = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/apps/node-fastify-env");
    let args = ["demo", "--scenario", "node-shop", "--latency-ms", "0", "--app", app];
    let mut s = Session::start_with(&args, state.path(), &[("NOTES_COOKIE", "pty-cookie-value")]);
    s.wait_for("› ● shop-api-prod");
    for title in ["What sends traffic to shop-api-prod", "Role shop-ec2-role", "What shop-api-prod depends on"] {
        s.keys("\r");
        s.wait_for(title);
    }
    s.keys("\r");
    s.wait_for("s secret source");
    s.wait_for("requires the secret COOKIE_SECRET");
    s.keys("s");
    s.wait_for("Without a source: COOKIE_SECRET (required)");
    s.keys("\u{15}COOKIE_SECRET=env:NOTES_COOKIE\r");
    s.wait_for("given: env:NOTES_COOKIE");
    s.wait_for("COOKIE_SECRET now comes from env:NOTES_COOKIE");
    assert!(!s.text().contains("requires the secret COOKIE_SECRET"), "{}", s.text());
    s.keys("\r");
    s.wait_for("service.json");
    s.keys("\r");
    s.wait_for("ferry/shop-api/COOKIE_SECRET");
    s.keys("a");
    s.wait_for("Override a deny");
    s.keys(&format!("{DENY_REASON}\r"));
    s.wait_for("Deny 2 of 2");
    s.keys(&format!("{DENY_REASON}\r"));
    s.wait_for("y apply");
    s.keys("y");
    s.wait_for("APPLIED");
    let account = std::fs::read_to_string(state.path().join("sandbox").join("node-shop.json")).unwrap();
    assert!(account.contains("ferry/shop-api/COOKIE_SECRET"), "the secret was made: {account}");
    let audit = std::fs::read_to_string(state.path().join("audit.jsonl")).unwrap();
    assert!(!account.contains("pty-cookie-value") && !audit.contains("pty-cookie-value"), "the value is kept nowhere");
    s.keys("r");
    s.wait_for("y roll back");
    s.keys("y");
    s.wait_for("ROLLED BACK");
    s.keys("q");
    assert!(s.wait_exit().success());
}

/// Walks the demo to the Plan step and applies it, overriding its deny.
fn apply_the_demo(s: &mut Session) {
    s.walk_to_plan();
    s.approve();
    s.wait_for("APPLIED");
}

#[test]
fn the_demo_moves_the_traffic_stage_by_stage_finalizes_and_lists_the_old_stack() {
    let state = tempfile::tempdir().unwrap();
    let mut s = Session::tall(&["demo", "--scenario", "node-shop", "--latency-ms", "0"], state.path());
    apply_the_demo(&mut s);
    s.keys("\r");
    s.wait_for("Express service shop-api");
    s.keys("\r");
    s.wait_for("Which names move");
    s.wait_for("shop.example.com A (alias) in zone example.com");
    s.keys("p");
    s.wait_for("Cutover plan");
    s.wait_for("split records into weighted pairs shop.example.com");
    s.approve();
    s.wait_for("every stage moved and baked");
    s.wait_for("gate at 100 % passed");
    s.wait_for("traffic: new 100 % / old 0 %");
    s.keys("p");
    s.wait_for("Finalize plan");
    s.approve();
    s.wait_for("the old records are gone");
    s.keys("\r");
    s.wait_for("Retire · 0 of");
    s.wait_for("run the command, then mark it removed");
    s.keys("x");
    s.wait_for("journaled: ");
    s.wait_for("Retire · 1 of");

    // Every change of both traffic runs is in the audit log, beside the migration's.
    let text = std::fs::read_to_string(state.path().join("audit.jsonl")).unwrap();
    assert!(text.contains("\"action\":\"set-weights\"") && text.contains("\"action\":\"finalize-records\""), "{text}");
    s.keys("q");
    s.wait_for("y quit anyway");
    s.keys("y");
    assert!(s.wait_exit().success());
}

#[test]
fn no_color_keeps_the_badge_and_the_selection_in_reverse_video_and_draws_no_colour() {
    let state = tempfile::tempdir().unwrap();
    let mut s = Session::start_with(
        &["demo", "--scenario", "node-shop", "--latency-ms", "0"],
        state.path(),
        &[("NO_COLOR", "1")],
    );
    s.wait_for("› ● shop-api-prod");
    std::thread::sleep(Duration::from_millis(300));
    {
        let parser = s.screen.lock().unwrap();
        let screen = parser.screen();
        let (rows, cols) = screen.size();
        let find = |needle: &str| {
            (0..rows).find_map(|row| {
                let line = screen.contents_between(row, 0, row, cols);
                line.find(needle).map(|at| (row, line[..at].chars().count() as u16))
            })
        };
        let (row, col) = find("SANDBOX").expect("the badge");
        assert!(screen.cell(row, col).unwrap().inverse(), "the badge is in reverse video");
        let (row, col) = find("› ● shop-api-prod").expect("the selected row");
        let name = col + "› ● ".chars().count() as u16;
        assert!(screen.cell(row, name).unwrap().inverse(), "the selected row is in reverse video, not only its ›");
        for row in 0..rows {
            for col in 0..cols {
                let cell = screen.cell(row, col).unwrap();
                assert_eq!(cell.fgcolor(), vt100::Color::Default, "no colour at {row},{col}");
                assert_eq!(cell.bgcolor(), vt100::Color::Default, "no colour at {row},{col}");
            }
        }
    }
    s.keys("q");
    assert!(s.wait_exit().success());
}

#[test]
fn demo_reset_forgets_the_runs_of_the_account_it_starts_again() {
    let state = tempfile::tempdir().unwrap();
    let run_id = support::run_state::applied_run(state.path());
    let runs = state.path().join("runs");
    let removals = runs.join(format!("{run_id}.decommission.jsonl"));
    std::fs::write(&removals, "").unwrap();

    // Without --reset the applied run is offered; the removals journal is not a run.
    let mut s = Session::start(&["demo", "--scenario", "node-shop", "--latency-ms", "0"], state.path());
    s.wait_for("Esc later");
    assert!(!s.text().contains("unreadable"), "{}", s.text());
    // q answers the list with "later" first, then quits.
    s.keys("q");
    std::thread::sleep(Duration::from_millis(300));
    s.keys("q");
    s.wait_exit();

    let mut s = Session::start(&["demo", "--scenario", "node-shop", "--latency-ms", "0", "--reset"], state.path());
    s.wait_for("› ● shop-api-prod");
    std::thread::sleep(Duration::from_millis(300));
    assert!(!s.text().contains("Esc later") && !s.text().contains("still deployed"), "{}", s.text());
    assert!(!runs.join(format!("{run_id}.jsonl")).exists(), "the run is forgotten");
    assert!(!removals.exists(), "and its removals with it");
    s.keys("q");
    assert!(s.wait_exit().success());
}
