//! The audit trail of real runs on the sandbox: every step, failure and undo recorded with its
//! parameters, the chain whole, and no secret from the instance's user data in it; the run
//! journals catching what the chain cannot (a cut tail, an emptied or deleted log, a recomputed
//! chain); and what happens when the anchor outside the machine cannot take the records.

use crate::support;

use std::path::Path;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use async_trait::async_trait;
use ferry::apply::{ApplyOptions, RollbackOutcome, Target};
use ferry::audit::{AnchorError, AnchorOpened, Anchored, AnchoredEvent, AuditAnchor, AuditLog, AuditRecord, verify};
use ferry::cloud::sandbox::{FailAt, Sandbox, SandboxOptions};
use ferry::operate::{Operator, Recorder, check_log};
use support::run_state::{plan_in, run_ids};
use support::tamper::recomputed;

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

/// A whole apply and rollback on the sandbox through the operator every front end uses, its
/// journal and audit log in `state`. Returns the run id and the log's text.
async fn applied_and_rolled_back(state: &Path) -> (String, String) {
    let sandbox = Arc::new(Sandbox::load("node-shop", SandboxOptions::instant()).unwrap());
    let migration = ferry::migration::prepare(sandbox.as_ref(), sandbox.app_instance()).await.unwrap();
    let operator = operator(sandbox, state, None);
    let approved = migration.plan.approve_overriding_all("accepted in this test on purpose").unwrap();
    let run = operator.start(&approved).await.unwrap();
    let (_, errors) = operator.apply(&run, &AtomicBool::new(false), &|_| {}).await.unwrap();
    assert!(errors.is_empty(), "{errors:?}");
    let (outcome, errors) = operator.rollback(&run, &|_| {}).await.unwrap();
    assert_eq!((outcome, errors), (RollbackOutcome::RolledBack, Vec::new()));
    (run.run_id().to_string(), std::fs::read_to_string(state.join("audit.jsonl")).unwrap())
}

fn operator(sandbox: Arc<Sandbox>, state: &Path, anchor: Option<Arc<dyn AuditAnchor>>) -> Operator {
    Operator {
        cloud: sandbox,
        runs_dir: Some(state.join("runs")),
        audit: Some(state.join("audit.jsonl")),
        target: Target::InProcess,
        options: ApplyOptions::default(),
        anchor,
    }
}

#[tokio::test]
async fn the_journals_catch_a_cut_tail_an_emptied_or_missing_log_and_a_recomputed_chain() {
    let state = tempfile::tempdir().unwrap();
    let (run_id, text) = applied_and_rolled_back(state.path()).await;
    let (log, runs) = (state.path().join("audit.jsonl"), state.path().join("runs"));
    let total = text.lines().count() as u64;
    let whole = check_log(&log, &runs).unwrap();
    assert_eq!((whole.journals, whole.problems.clone()), (1, Vec::<String>::new()));
    assert_eq!(whole.checkpoints as u64, total, "one checkpoint per record the run wrote");

    let kept: Vec<&str> = text.lines().take(total as usize - 3).collect();
    std::fs::write(&log, kept.join("\n") + "\n").unwrap();
    assert_eq!(verify(&log).unwrap(), Ok(total as usize - 3), "the chain alone sees nothing wrong");
    let cut = check_log(&log, &runs).unwrap();
    let expected = format!(
        "run {run_id}: its journal says the audit log reached {total} records, but it has {}: records {}-{total} were removed from its end",
        total - 3,
        total - 2
    );
    assert_eq!(cut.problems, vec![expected]);

    std::fs::write(&log, "").unwrap();
    let emptied = check_log(&log, &runs).unwrap();
    assert!(emptied.problems[0].contains(&format!("reached {total} records, but it has 0")), "{:?}", emptied.problems);
    std::fs::remove_file(&log).unwrap();
    let missing = check_log(&log, &runs).unwrap();
    assert!(missing.problems[0].starts_with(&format!("run {run_id}: its journal says the audit log reached {total}")));
    assert!(missing.problems[0].ends_with(&format!("but there is no audit log at {}", log.display())));

    std::fs::write(&log, recomputed(&text, 4, |r| r.outcome = "failed: nothing to see".into())).unwrap();
    assert_eq!(verify(&log).unwrap(), Ok(total as usize), "a recomputed chain is whole");
    let rewritten = check_log(&log, &runs).unwrap();
    assert_eq!(rewritten.problems.len(), 1, "{:?}", rewritten.problems);
    assert!(
        rewritten.problems[0].starts_with(&format!("run {run_id}: its journal says record 4 has hash"))
            && rewritten.problems[0].ends_with("it was rewritten at record 4"),
        "{}",
        rewritten.problems[0]
    );
}

/// An anchor in memory that takes `good` sends and refuses the rest, or refuses to open.
struct Flaky {
    opens: bool,
    good: usize,
    sends: AtomicUsize,
    taken: Mutex<Vec<Anchored>>,
}

impl Flaky {
    fn new(opens: bool, good: usize) -> Arc<Flaky> {
        Arc::new(Flaky { opens, good, sends: AtomicUsize::new(0), taken: Mutex::default() })
    }
}

#[async_trait]
impl AuditAnchor for Flaky {
    fn describe(&self) -> String {
        "the test anchor".into()
    }
    async fn open(&self, run_id: &str) -> Result<AnchorOpened, AnchorError> {
        match self.opens {
            true => Ok(AnchorOpened { created: vec![format!("stream {run_id}")], place: run_id.into() }),
            false => Err(AnchorError("access denied".into())),
        }
    }
    async fn send(&self, _: &str, records: &[Anchored]) -> Result<(), AnchorError> {
        if self.sends.fetch_add(1, Ordering::SeqCst) >= self.good {
            return Err(AnchorError("connection reset".into()));
        }
        self.taken.lock().unwrap().extend(records.iter().cloned());
        Ok(())
    }
    async fn read(&self) -> Result<Vec<AnchoredEvent>, AnchorError> {
        Ok(Vec::new())
    }
}

#[tokio::test]
async fn a_run_does_not_start_when_the_anchor_cannot_take_its_records() {
    for (anchor, why) in [(Flaky::new(false, 0), "(access denied)"), (Flaky::new(true, 0), "(connection reset)")] {
        let state = tempfile::tempdir().unwrap();
        let sandbox = Arc::new(Sandbox::load("node-shop", SandboxOptions::instant()).unwrap());
        let migration = ferry::migration::prepare(sandbox.as_ref(), sandbox.app_instance()).await.unwrap();
        let approved = migration.plan.approve_overriding_all("accepted in this test on purpose").unwrap();
        let operator = operator(sandbox, state.path(), Some(anchor));
        let error = operator.start(&approved).await.err().expect("refused").to_string();
        let expected =
            format!("no change without a record of it: the audit log cannot be sent to the test anchor {why}");
        assert!(error.starts_with(&expected), "{error}");
        assert!(!state.path().join("runs").exists(), "no run was journaled");
    }
}

#[tokio::test]
async fn an_apply_stops_before_its_next_step_when_the_anchor_stops_taking_records() {
    let state = tempfile::tempdir().unwrap();
    // Calls take a moment, as on AWS, so the run is still going when the send fails.
    let options = SandboxOptions { latency: Some(std::time::Duration::from_millis(20)), ..SandboxOptions::instant() };
    let sandbox = Arc::new(Sandbox::load("node-shop", options).unwrap());
    let migration = ferry::migration::prepare(sandbox.as_ref(), sandbox.app_instance()).await.unwrap();
    let approved = migration.plan.approve_overriding_all("accepted in this test on purpose").unwrap();
    // Start takes two sends (the anchor's own record, the overrides), apply's first is its own.
    let anchor = Flaky::new(true, 3);
    let operator = operator(sandbox, state.path(), Some(anchor.clone()));
    let run = operator.start(&approved).await.unwrap();
    let (journal, errors) = operator.apply(&run, &AtomicBool::new(false), &|_| {}).await.unwrap();

    assert!(journal.entries.len() < migration.plan.steps.len(), "the run stopped: {} steps", journal.entries.len());
    let state_now = ferry::apply::replay(&run.records());
    assert!(matches!(state_now.status, ferry::apply::RunStatus::Cancelled { .. }), "{:?}", state_now.status);
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert!(errors[0].contains("could not be sent to the test anchor (connection reset)"), "{}", errors[0]);
    assert!(errors[0].ends_with("the run was stopped before its next step"), "{}", errors[0]);

    // Nothing was dropped: every record is in the local log, and what the anchor took is its start.
    let log = state.path().join("audit.jsonl");
    let local = records(&log);
    assert_eq!(verify(&log).unwrap(), Ok(local.len()));
    let taken = anchor.taken.lock().unwrap().clone();
    assert!(!taken.is_empty() && taken.len() < local.len());
    for anchored in &taken {
        assert_eq!(anchored.record, local[anchored.line as usize - 1], "line {}", anchored.line);
    }
    let last = local.last().unwrap();
    assert_eq!(last.action, "anchor audit log");
    assert!(last.outcome.starts_with("failed: records "), "the local log says so too: {}", last.outcome);
    assert!(check_log(&log, &state.path().join("runs")).unwrap().problems.is_empty());
}

fn ferry(state: &Path, args: &[&str]) -> std::process::Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_ferry"))
        .args(args)
        .env("FERRY_STATE_DIR", state)
        .env("FERRY_CONFIG", state.join("no-config.toml"))
        .output()
        .expect("ferry runs")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

#[test]
fn audit_verify_names_the_run_whose_records_are_gone_and_fails() {
    let state = tempfile::tempdir().unwrap();
    std::fs::write(state.path().join("no-config.toml"), "").unwrap();
    let (plan_file, plan) = plan_in(state.path());
    let mut args =
        vec!["apply".to_string(), plan_file.display().to_string(), "--approve".into(), plan.hash[..12].into()];
    args.extend(["--sandbox".into(), "node-shop".into()]);
    args.extend(
        plan.denies().into_iter().flat_map(|d| ["--override".to_string(), format!("{}=accepted in this test", d.id)]),
    );
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let applied = ferry(state.path(), &args);
    assert!(applied.status.success(), "{}", text(&applied.stderr));
    let run_id = run_ids(state.path()).pop().unwrap();

    let whole = ferry(state.path(), &["audit", "verify"]);
    assert!(whole.status.success(), "{}", text(&whole.stderr));
    let log = state.path().join("audit.jsonl");
    let log_text = std::fs::read_to_string(&log).unwrap();
    let total = log_text.lines().count();
    assert!(text(&whole.stdout).contains(&format!("{total} records, chain intact")), "{}", text(&whole.stdout));
    assert!(text(&whole.stdout).contains("1 run journals in"), "{}", text(&whole.stdout));

    let kept: Vec<&str> = log_text.lines().take(total - 2).collect();
    std::fs::write(&log, kept.join("\n") + "\n").unwrap();
    let cut = ferry(state.path(), &["audit", "verify"]);
    assert!(!cut.status.success());
    let expected =
        format!("run {run_id}: its journal says the audit log reached {total} records, but it has {}", total - 2);
    assert!(text(&cut.stderr).contains(&expected), "{}", text(&cut.stderr));
    assert!(text(&cut.stderr).contains("cannot be relied on: 1 problem"), "{}", text(&cut.stderr));

    std::fs::write(&log, "").unwrap();
    let emptied = ferry(state.path(), &["audit", "verify"]);
    assert!(!emptied.status.success());
    assert!(text(&emptied.stderr).contains("is empty: ferry never leaves it so"), "{}", text(&emptied.stderr));
    std::fs::remove_file(&log).unwrap();
    let missing = ferry(state.path(), &["audit", "verify"]);
    assert!(!missing.status.success());
    assert!(text(&missing.stderr).contains(&format!("run {run_id}: its journal says")), "{}", text(&missing.stderr));

    // The anchor is for live accounts: asked for on a sandbox, the run is refused.
    let mut anchored = args.clone();
    anchored.extend(["--audit-cloudwatch-group", "ferry-audit"]);
    let refused = ferry(state.path(), &anchored);
    assert!(!refused.status.success());
    assert!(
        text(&refused.stderr).contains("--audit-cloudwatch-group is for live accounts"),
        "{}",
        text(&refused.stderr)
    );
}
