//! Reading a state folder as the headless commands leave it: the plan they were given, the
//! runs journaled, and whether the sandbox account is still as the scenario describes it.

use std::path::{Path, PathBuf};
use std::process::{Child, Command};
use std::time::{Duration, Instant};

use ferry::apply::{Record, read_records};
use ferry::cloud::sandbox::{AccountState, Scenario};
use ferry::plan::Plan;

/// Writes the node-shop plan into `state` with the real binary and reads it back.
pub fn plan_in(state: &Path) -> (PathBuf, Plan) {
    let file = state.join("plan.json");
    let output = Command::new(env!("CARGO_BIN_EXE_ferry"))
        .args(["plan", "--sandbox", "node-shop", "--out"])
        .arg(&file)
        .env("FERRY_STATE_DIR", state)
        .output()
        .expect("ferry runs");
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let plan = Plan::from_json(&std::fs::read_to_string(&file).unwrap()).expect("the plan verifies");
    (file, plan)
}

/// The run ids journaled in `state`, oldest first.
pub fn run_ids(state: &Path) -> Vec<String> {
    let Ok(entries) = std::fs::read_dir(state.join("runs")) else { return Vec::new() };
    let mut ids: Vec<String> =
        entries.filter_map(|e| e.ok()?.path().file_stem().map(|s| s.to_string_lossy().into_owned())).collect();
    ids.sort();
    ids
}

/// Whether the sandbox account kept in `state` holds exactly what the scenario describes:
/// nothing a run made remains.
pub fn account_is_fresh(state: &Path) -> bool {
    let fresh = AccountState::from_scenario(&Scenario::load("node-shop").unwrap()).without_secrets();
    let fresh = serde_json::to_value(fresh).unwrap();
    match std::fs::read_to_string(state.join("sandbox").join("node-shop.json")) {
        Ok(text) => {
            let saved: serde_json::Value = serde_json::from_str(&text).expect("the saved account is JSON");
            saved["account"] == fresh
        }
        Err(_) => true,
    }
}

/// A state folder of this test process's own, so no test reads or changes the user's runs,
/// audit log or sandbox account.
pub fn scratch_state() -> &'static Path {
    static DIR: std::sync::OnceLock<tempfile::TempDir> = std::sync::OnceLock::new();
    DIR.get_or_init(|| tempfile::tempdir().expect("a temporary folder")).path()
}

pub fn journal(state: &Path) -> Option<PathBuf> {
    let id = run_ids(state).pop()?;
    Some(state.join("runs").join(format!("{id}.jsonl")))
}

/// Waits until the run has written its intent for `step` (0-based): its call is in flight.
pub fn wait_for_intent(state: &Path, child: &mut Child, step: usize) {
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        let written = journal(state)
            .and_then(|path| read_records(&path).ok())
            .is_some_and(|records| records.iter().any(|r| matches!(r, Record::Intent { step: s, .. } if *s == step)));
        if written {
            return;
        }
        assert!(child.try_wait().unwrap().is_none(), "the apply ended before step {}", step + 1);
        assert!(Instant::now() < deadline, "step {} never started", step + 1);
        std::thread::sleep(Duration::from_millis(5));
    }
}

/// The node-shop migration planned and applied on the sandbox by the real binary, every deny
/// overridden: the run later steps (verify, cutover) start from. Returns its id.
pub fn applied_run(state: &Path) -> String {
    let (file, plan) = plan_in(state);
    let mut apply = Command::new(env!("CARGO_BIN_EXE_ferry"));
    apply.args(["apply", file.to_str().unwrap(), "--approve", &plan.hash[..12], "--sandbox", "node-shop"]);
    for deny in plan.denies() {
        apply.args(["--override", &format!("{}=accepted in this test on purpose", deny.id)]);
    }
    let applied = apply.env("FERRY_STATE_DIR", state).output().unwrap();
    assert!(applied.status.success(), "{}", String::from_utf8_lossy(&applied.stderr));
    run_ids(state).pop().expect("one run")
}
