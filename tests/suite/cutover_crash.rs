//! A cutover killed with SIGKILL in the middle of a stage, then resumed, then rolled back, each
//! in a fresh process of the real binary: the stage finishes where it stopped, and the records
//! come back exactly as they were.

use crate::support;

use std::path::Path;
use std::process::{Command, Output, Stdio};

use ferry::plan::Plan;
use serde_json::Value;
use support::run_state::{plan_in, run_ids, wait_for_intent};

fn ferry(state: &Path, args: &[&str]) -> Output {
    let output = Command::new(env!("CARGO_BIN_EXE_ferry")).args(args).env("FERRY_STATE_DIR", state).output().unwrap();
    assert!(output.status.success(), "ferry {args:?}: {}", String::from_utf8_lossy(&output.stderr));
    output
}

/// The host name's records as discovery sees them now, in the sandbox account on disk.
fn shop_records(state: &Path) -> Vec<Value> {
    let out = ferry(state, &["discover", "--sandbox", "node-shop", "--json"]);
    let graph: Value = serde_json::from_slice(&out.stdout).unwrap();
    graph["hostnames"].as_array().unwrap().iter().map(|h| h["record"].clone()).collect()
}

fn apply_args<'a>(file: &'a str, plan: &'a Plan) -> Vec<String> {
    let mut args: Vec<String> = ["apply", file, "--approve", &plan.hash[..12], "--sandbox", "node-shop"]
        .iter()
        .map(|s| s.to_string())
        .collect();
    for deny in plan.denies() {
        args.extend(["--override".into(), format!("{}=accepted in this test on purpose", deny.id)]);
    }
    args
}

#[test]
fn a_cutover_killed_mid_stage_resumes_and_rolls_back_losing_nothing() {
    let state = tempfile::tempdir().unwrap();
    let state = state.path();
    let (file, plan) = plan_in(state);
    let args = apply_args(file.to_str().unwrap(), &plan);
    ferry(state, &args.iter().map(String::as_str).chain(["--latency-ms", "0"]).collect::<Vec<_>>());
    let migration = run_ids(state).pop().unwrap();
    let before = shop_records(state);

    let cutover_file = state.join("cutover.json");
    let cutover_path = cutover_file.to_str().unwrap();
    ferry(state, &["cutover", &migration, "--stages", "50,100", "--bake", "20m", "--out", cutover_path]);
    let cutover = Plan::from_json(&std::fs::read_to_string(&cutover_file).unwrap()).unwrap();
    let bake = cutover.steps.iter().position(|s| s.id == "stage-50-bake").unwrap();

    // At 60 ms a call, a 20-minute bake lasts 18 s: killed while it runs.
    let args = apply_args(cutover_path, &cutover);
    let mut child = Command::new(env!("CARGO_BIN_EXE_ferry"))
        .args(&args)
        .args(["--latency-ms", "60"])
        .env("FERRY_STATE_DIR", state)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    // The cutover's journal is the newest once it exists: wait for it, then for the bake.
    while run_ids(state).len() < 2 {
        assert!(child.try_wait().unwrap().is_none(), "the cutover apply ended before it journaled");
        std::thread::sleep(std::time::Duration::from_millis(5));
    }
    wait_for_intent(state, &mut child, bake);
    child.kill().unwrap();
    child.wait().unwrap();
    let run = run_ids(state).into_iter().find(|id| *id != migration).unwrap();
    let halfway: Vec<Option<i64>> = shop_records(state).iter().map(|r| r["weight"].as_i64()).collect();
    assert_eq!(halfway, [Some(50), Some(50)], "killed at 50 %: the old side's A and AAAA");

    ferry(state, &["resume", &run, "--latency-ms", "0"]);
    let moved: Vec<Option<i64>> = shop_records(state).iter().map(|r| r["weight"].as_i64()).collect();
    assert_eq!(moved, [Some(0), Some(0)], "resumed to the end: the old side at 0");

    ferry(state, &["rollback", &run, "--latency-ms", "0"]);
    assert_eq!(shop_records(state), before, "the records are as they were, field for field");
}
