//! The real binary killed with SIGKILL at every step of a headless apply on the sandbox, then
//! `ferry rollback` in a fresh process: nothing the run made remains. Each step is killed
//! twice: while its call is in flight (no change yet), and after the change was made but
//! before its outcome could be journaled (the sandbox's `:timeout` fault makes the call hang
//! after its effect), so rollback must find the change by looking it up.

use crate::support;

use std::path::Path;
use std::process::{Child, Command, Output, Stdio};
use std::time::Duration;

use ferry::plan::Plan;
use support::run_state::{account_is_fresh, plan_in, run_ids, wait_for_intent};

fn ferry(state: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_ferry")).args(args).env("FERRY_STATE_DIR", state).output().expect("ferry runs")
}

/// A headless apply of `plan` that is going to be killed.
fn start_apply(state: &Path, plan_file: &Path, plan: &Plan, fault: Option<String>) -> Child {
    let mut command = Command::new(env!("CARGO_BIN_EXE_ferry"));
    command
        .args(["apply", plan_file.to_str().unwrap(), "--approve", &plan.hash[..12], "--sandbox", "node-shop"])
        .args(["--latency-ms", "60"])
        .env("FERRY_STATE_DIR", state)
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    for deny in plan.denies() {
        command.args(["--override", &format!("{}=rehearsing a crash at every step", deny.id)]);
    }
    if let Some(fault) = fault {
        command.args(["--fail-at", &fault]);
    }
    command.spawn().expect("ferry starts")
}

fn kill_then_roll_back(state: &Path, plan_file: &Path, plan: &Plan, step: usize, after_effect: bool) {
    let fault = after_effect.then(|| format!("{}:timeout", step + 1));
    let mut child = start_apply(state, plan_file, plan, fault);
    wait_for_intent(state, &mut child, step);
    if after_effect {
        // The call sleeps one latency (60 ms) before its change, then hangs for good.
        std::thread::sleep(Duration::from_millis(400));
    }
    child.kill().expect("SIGKILL");
    child.wait().unwrap();
    let case = format!("killed at step {} ({})", step + 1, if after_effect { "after its change" } else { "in flight" });

    let run_id = run_ids(state).pop().expect("the run is journaled");
    let listed = String::from_utf8_lossy(&ferry(state, &["runs", "--json"]).stdout).into_owned();
    let runs: serde_json::Value = serde_json::from_str(&listed).expect("runs as JSON");
    assert_eq!(runs[0]["status"]["status"], "interrupted", "{case}: {listed}");
    assert_eq!(runs[0]["in_doubt"], step + 1, "{case}: the step in flight is in doubt");

    let rolled = ferry(state, &["rollback", &run_id]);
    let stderr = String::from_utf8_lossy(&rolled.stderr);
    assert!(rolled.status.success(), "{case}: {stderr}");
    if after_effect && plan.steps[step].action.has_inverse() {
        assert!(stderr.contains("looked up: the change was made"), "{case}: the change is found by its tag: {stderr}");
    }
    assert!(account_is_fresh(state), "{case}: nothing the run made remains");
}

#[test]
fn a_run_killed_at_any_step_is_rolled_back_by_a_fresh_process() {
    let plans = tempfile::tempdir().unwrap();
    let (plan_file, plan) = plan_in(plans.path());
    // Each case has a state folder of its own, and its processes mostly wait on the simulated
    // latency: four cases run side by side, few enough that a kill still lands on its step.
    let cases: Vec<(usize, bool)> = (0..plan.steps.len()).flat_map(|step| [(step, false), (step, true)]).collect();
    for batch in cases.chunks(4) {
        std::thread::scope(|running| {
            for &(step, after_effect) in batch {
                let (plan_file, plan) = (&plan_file, &plan);
                running.spawn(move || {
                    let state = tempfile::tempdir().unwrap();
                    kill_then_roll_back(state.path(), plan_file, plan, step, after_effect);
                });
            }
        });
    }
}

#[test]
fn a_run_killed_mid_way_is_resumed_by_a_fresh_process() {
    let state = tempfile::tempdir().unwrap();
    let (plan_file, plan) = plan_in(state.path());
    let step = plan.steps.iter().position(|s| s.id == "service-security-group").unwrap();
    let mut child = start_apply(state.path(), &plan_file, &plan, Some(format!("{}:timeout", step + 1)));
    wait_for_intent(state.path(), &mut child, step);
    std::thread::sleep(Duration::from_millis(400));
    child.kill().unwrap();
    child.wait().unwrap();

    let run_id = run_ids(state.path()).pop().unwrap();
    let resumed = ferry(state.path(), &["resume", &run_id]);
    let stderr = String::from_utf8_lossy(&resumed.stderr);
    assert!(resumed.status.success(), "{stderr}");
    assert!(stderr.contains("looked up: the change was made"), "the group made before the kill is reused: {stderr}");
    let saved: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(state.path().join("sandbox/node-shop.json")).unwrap()).unwrap();
    let groups = saved["account"]["security_groups"].as_array().unwrap();
    let ours = groups.iter().filter(|g| g["name"] == "ferry-shop-api-service").count();
    assert_eq!(ours, 1, "the security group was not made twice");

    assert!(ferry(state.path(), &["rollback", &run_id]).status.success());
    assert!(account_is_fresh(state.path()));
}
