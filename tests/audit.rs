//! The audit trail of real runs on the sandbox: every step, failure and undo recorded with its
//! parameters, the chain whole, and no secret from the instance's user data in it.

use std::sync::atomic::AtomicBool;

use ferry::audit::{AuditLog, AuditRecord, verify};
use ferry::cloud::sandbox::{FailAt, Sandbox, SandboxOptions};
use ferry::operate::Recorder;

fn records(path: &std::path::Path) -> Vec<AuditRecord> {
    std::fs::read_to_string(path).unwrap().lines().map(|l| serde_json::from_str(l).unwrap()).collect()
}

#[tokio::test]
async fn a_failed_apply_and_its_rollback_are_audited() {
    let options = SandboxOptions { fail_at: Some("5".parse::<FailAt>().unwrap()), ..SandboxOptions::instant() };
    let sandbox = Sandbox::load("node-shop", options).unwrap();
    let migration = ferry::migration::prepare(&sandbox, sandbox.app_instance()).await.unwrap();
    let operator = migration.account.caller_arn.clone();
    let state = tempfile::tempdir().unwrap();
    let path = state.path().join("audit.jsonl");

    let recorder = Recorder::for_apply(AuditLog::open(&path).unwrap(), "run-7", &operator, &migration.plan);
    let cancel = AtomicBool::new(false);
    let approved = migration.plan.approve_overriding_all("accepted in this test on purpose").unwrap();
    let run = ferry::apply::RunLog::in_memory_run("run-7", &approved);
    let options = ferry::apply::ApplyOptions::default();
    let journal = ferry::apply::apply(&sandbox, &run, &cancel, &options, &|e| recorder.observe(&e)).await;
    assert_eq!(journal.entries.len(), 4, "step 5 failed");
    let recorder = Recorder::for_rollback(AuditLog::open(&path).unwrap(), &operator, &journal);
    ferry::apply::rollback(&sandbox, &run, &options, &|e| recorder.observe(&e)).await;
    assert!(recorder.errors().is_empty(), "{:?}", recorder.errors());

    let records = records(&path);
    let actions: Vec<(&str, &str)> = records.iter().map(|r| (r.action.as_str(), r.outcome.as_str())).collect();
    assert_eq!(actions.first(), Some(&("start run", "ok")));
    assert_eq!(
        actions.iter().filter(|(_, outcome)| *outcome == "ok").count(),
        1 + 4 + 3,
        "start, 4 steps, 3 undos (the image goes with its repository)"
    );
    let failed = records.iter().find(|r| r.outcome.starts_with("failed")).expect("the failure is recorded");
    assert_eq!(failed.action, migration.plan.steps[4].action.type_name());
    assert_ne!(failed.parameters, serde_json::Value::Null, "with its parameters");
    assert!(records.iter().all(|r| r.run_id == "run-7" && r.operator == operator));
    assert_eq!(records.last().map(|r| r.action.as_str()), Some("finish rollback"));

    assert_eq!(verify(&path).unwrap(), Ok(records.len()));
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(!text.contains("Tr0ub4dor") && !text.contains("8f1c2e0b6a9d4c7e93b15a2f6d0e4c81"), "no secret value");
}
