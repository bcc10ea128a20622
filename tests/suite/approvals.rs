//! The human gate: approvals recorded by a person, sealed, used once, expiring, audited; plans
//! stored for approval by id and judged from their content; and `ferry approve` answered by a
//! person in a pseudo-terminal on the real binary.

use crate::support;

use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use ferry::approvals::{ApprovalError, Approvals, PlanStore, PlanStoreError, Subject, VIA_TERMINAL};
use ferry::cloud::sandbox::{Sandbox, SandboxOptions};
use ferry::plan::{Override, Plan};
use serde_json::Value;
use support::pty::Session;

const OPERATOR: &str = "arn:aws:iam::111122223333:user/alice";
const REASON: &str = "SES is narrowed in OPS-1234 after the move";
const HASH: &str = "3b7b1cc8a1e2f00dfeedc0ffee0123456789abcdef0123456789abcdef012345";

/// Approvals in `state/approvals`, audited in `state/audit.jsonl`, as `in_state_dir` keeps them.
fn approvals_in(state: &Path) -> Approvals {
    Approvals::new(state.join("approvals"), Some(state.join("audit.jsonl")))
}

/// The approval files in the folder (not the key, the used list or the lock).
fn approval_files(state: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(state.join("approvals"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    files.sort();
    files
}

/// The only approval file.
fn approval_file(state: &Path) -> PathBuf {
    let files = approval_files(state);
    assert_eq!(files.len(), 1, "{files:?}");
    files[0].clone()
}

/// The audit records, parsed.
fn audit_records(state: &Path) -> Vec<Value> {
    let text = std::fs::read_to_string(state.join("audit.jsonl")).unwrap_or_default();
    text.lines().map(|line| serde_json::from_str(line).unwrap()).collect()
}

fn plan_subject() -> Subject {
    Subject::plan(HASH)
}

async fn node_shop_plan() -> Plan {
    let sandbox = Sandbox::load("node-shop", SandboxOptions::instant()).unwrap();
    ferry::migration::prepare(&sandbox, sandbox.app_instance()).await.unwrap().plan
}

/// Another whole plan for node-shop: one setting of the service changed.
async fn other_node_shop_plan() -> Plan {
    let sandbox = Sandbox::load("node-shop", SandboxOptions::instant()).unwrap();
    let migration = ferry::migration::prepare(&sandbox, sandbox.app_instance()).await.unwrap();
    let mut artifacts = migration.artifacts.clone();
    artifacts.service_config.scaling_target.max_task_count = 8;
    migration.with_artifacts(artifacts).plan
}

fn reasons(plan: &Plan) -> Vec<Override> {
    plan.denies().into_iter().map(|deny| Override { check_id: deny.id, reason: REASON.into() }).collect()
}

#[test]
fn an_approval_is_recorded_peeked_at_and_taken_once() {
    let state = tempfile::tempdir().unwrap();
    let approvals = approvals_in(state.path());
    assert!(approvals.pending(&plan_subject()).is_none());
    assert!(!state.path().join("approvals").exists(), "a peek changes nothing, not even the folder");

    let given = approvals.record(plan_subject(), Vec::new(), OPERATOR, VIA_TERMINAL).unwrap();
    assert_eq!((given.operator.as_str(), given.via.as_str()), (OPERATOR, VIA_TERMINAL));
    assert_eq!(approvals.pending(&plan_subject()), Some(given.clone()));
    assert_eq!(approvals.pending(&plan_subject()), Some(given.clone()), "peeking twice changes nothing");
    assert!(approvals.pending(&Subject::rollback("2026-01-01T00-00-00Z-shop-api-0001")).is_none());

    assert_eq!(approvals.take(&plan_subject()).unwrap(), given);
    assert!(approvals.pending(&plan_subject()).is_none());
    let again = approvals.take(&plan_subject()).unwrap_err();
    assert!(matches!(again, ApprovalError::Missing { .. }), "{again:?}");
    assert!(
        again.to_string().contains("ask the operator to run `ferry approve 3b7b1cc8a1e2` in a terminal"),
        "{again}"
    );

    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let key = state.path().join("approvals/approval.key");
        assert_eq!(std::fs::metadata(&key).unwrap().permissions().mode() & 0o777, 0o600, "the key is private");
    }
}

#[test]
fn a_copy_put_back_after_the_take_is_refused_as_used() {
    let state = tempfile::tempdir().unwrap();
    let approvals = approvals_in(state.path());
    approvals.record(plan_subject(), Vec::new(), OPERATOR, VIA_TERMINAL).unwrap();
    let file = approval_file(state.path());
    let copy = std::fs::read(&file).unwrap();
    approvals.take(&plan_subject()).unwrap();
    assert!(!file.exists(), "taking removes the file");

    std::fs::write(&file, &copy).unwrap();
    assert!(approvals.pending(&plan_subject()).is_none(), "a replayed file is not pending");
    let replayed = approvals.take(&plan_subject()).unwrap_err();
    assert!(matches!(replayed, ApprovalError::Used { .. }), "{replayed:?}");
    assert!(replayed.to_string().contains("already used"), "{replayed}");
    // And a replacement uses up the approval it replaces: a copy of that one does not count either.
    approvals.record(plan_subject(), Vec::new(), OPERATOR, VIA_TERMINAL).unwrap();
    let first = std::fs::read(approval_file(state.path())).unwrap();
    approvals.record(plan_subject(), Vec::new(), OPERATOR, VIA_TERMINAL).unwrap();
    approvals.take(&plan_subject()).unwrap();
    std::fs::write(&file, &first).unwrap();
    assert!(matches!(approvals.take(&plan_subject()), Err(ApprovalError::Used { .. })));
}

#[test]
fn an_approval_is_good_for_thirty_minutes_from_when_it_was_given() {
    let state = tempfile::tempdir().unwrap();
    let given_at = SystemTime::UNIX_EPOCH + Duration::from_secs(1_800_000_000);
    let approvals = approvals_in(state.path()).with_clock(move || given_at);
    let given = approvals.record(plan_subject(), Vec::new(), OPERATOR, VIA_TERMINAL).unwrap();
    assert_eq!(
        (given.approved_at.as_str(), given.expires_at.as_str()),
        ("2027-01-15T08:00:00Z", "2027-01-15T08:30:00Z")
    );
}

#[test]
fn a_hand_made_or_edited_approval_is_refused_as_forged() {
    let state = tempfile::tempdir().unwrap();
    let approvals = approvals_in(state.path());
    approvals.record(plan_subject(), Vec::new(), OPERATOR, VIA_TERMINAL).unwrap();
    let file = approval_file(state.path());
    let genuine = std::fs::read_to_string(&file).unwrap();
    let sealed: Value = serde_json::from_str(&genuine).unwrap();

    // Hand-made: the right shape, a seal made without the key.
    let mut hand_made = sealed.clone();
    hand_made["mac"] = Value::String(ferry::digest::sha256_hex(hand_made["approval"].to_string().as_bytes()));
    // Edited: a later expiry, another operator, a field added; the seal left as it was.
    let edits = [
        genuine.replacen(&sealed["approval"]["expires_at"].as_str().unwrap()[..4], "2999", 1),
        genuine.replacen("user/alice", "user/mallory", 1),
        genuine.replacen("\"operator\"", "\"note\": \"trust me\",\n    \"operator\"", 1),
        serde_json::to_string(&hand_made).unwrap(),
        "{ not json".to_string(),
    ];
    for edited in edits {
        std::fs::write(&file, &edited).unwrap();
        assert!(approvals.pending(&plan_subject()).is_none(), "{edited}");
        let refused = approvals.take(&plan_subject()).unwrap_err();
        assert!(matches!(refused, ApprovalError::Forged { .. }), "{edited}: {refused:?}");
        assert!(refused.to_string().contains("is not one ferry recorded"), "{refused}");
        assert!(file.exists(), "a forged file is left for whoever looks into it");
    }

    // The genuine file still is one: refusing forgeries used nothing up.
    std::fs::write(&file, &genuine).unwrap();
    approvals.take(&plan_subject()).unwrap();

    // A file sealed in another state folder (another key) is not this folder's.
    let other = tempfile::tempdir().unwrap();
    approvals_in(other.path()).record(plan_subject(), Vec::new(), OPERATOR, VIA_TERMINAL).unwrap();
    std::fs::copy(approval_file(other.path()), &file).unwrap();
    assert!(matches!(approvals.take(&plan_subject()), Err(ApprovalError::Forged { .. })));
    // Nor is a file where no key was ever made.
    let keyless = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(keyless.path().join("approvals")).unwrap();
    std::fs::copy(approval_file(other.path()), keyless.path().join("approvals").join(file.file_name().unwrap()))
        .unwrap();
    let refused = approvals_in(keyless.path()).take(&plan_subject()).unwrap_err();
    assert!(refused.to_string().contains("there is no approval key"), "{refused}");
}

#[test]
fn an_approval_moved_to_another_subject_approves_nothing_else() {
    let state = tempfile::tempdir().unwrap();
    let approvals = approvals_in(state.path());
    let other = Subject::plan(&"c".repeat(64));
    approvals.record(other.clone(), Vec::new(), OPERATOR, VIA_TERMINAL).unwrap();
    let other_file = approval_file(state.path());
    approvals.record(plan_subject(), Vec::new(), OPERATOR, VIA_TERMINAL).unwrap();
    let mine = approval_files(state.path()).into_iter().find(|f| *f != other_file).unwrap();
    std::fs::copy(&mine, &other_file).unwrap();
    let refused = approvals.take(&other).unwrap_err();
    assert!(refused.to_string().contains("it approves plan 3b7b1cc8a1e2"), "{refused}");
}

#[test]
fn an_expired_approval_is_refused_and_removed() {
    let state = tempfile::tempdir().unwrap();
    let approvals = approvals_in(state.path());
    approvals.record(plan_subject(), Vec::new(), OPERATOR, VIA_TERMINAL).unwrap();
    let almost = approvals_in(state.path()).with_clock(|| SystemTime::now() + Duration::from_secs(29 * 60));
    assert!(almost.pending(&plan_subject()).is_some(), "29 minutes later it is still good");
    let later = approvals_in(state.path()).with_clock(|| SystemTime::now() + Duration::from_secs(31 * 60));
    assert!(later.pending(&plan_subject()).is_none());
    let refused = later.take(&plan_subject()).unwrap_err();
    assert!(matches!(refused, ApprovalError::Expired { .. }), "{refused:?}");
    assert!(refused.to_string().contains("expired at") && refused.to_string().contains("again"), "{refused}");
    assert!(approval_files(state.path()).is_empty(), "an expired approval is removed");

    // Given half an hour ago by the clock it was given with, it is expired now.
    let past = approvals_in(state.path()).with_clock(|| SystemTime::now() - Duration::from_secs(30 * 60 + 1));
    past.record(plan_subject(), Vec::new(), OPERATOR, VIA_TERMINAL).unwrap();
    assert!(matches!(approvals.take(&plan_subject()), Err(ApprovalError::Expired { .. })));
}

#[test]
fn what_cannot_be_an_approval_is_not_recorded() {
    let state = tempfile::tempdir().unwrap();
    let approvals = approvals_in(state.path());
    let short = vec![Override { check_id: "wildcard-iam:x".into(), reason: "to o short ".into() }];
    let cases = [
        (plan_subject(), short, OPERATOR, "too short (8 of 12"),
        (Subject::plan("3b7b1cc8a1e2"), Vec::new(), OPERATOR, "not a plan's full sha256"),
        (Subject::rollback("../../etc/passwd"), Vec::new(), OPERATOR, "is not a run id"),
        (
            Subject::rollback("2026-01-01T00-00-00Z-shop-api-0001"),
            vec![Override { check_id: "x".into(), reason: REASON.into() }],
            OPERATOR,
            "a rollback overrides no deny",
        ),
        (plan_subject(), Vec::new(), " ", "who approves is not known"),
    ];
    for (subject, overrides, operator, expected) in cases {
        let refused = approvals.record(subject, overrides, operator, VIA_TERMINAL).unwrap_err();
        assert!(matches!(refused, ApprovalError::Invalid(_)), "{refused:?}");
        assert!(refused.to_string().contains(expected), "{refused}");
    }
    assert!(!state.path().join("approvals").exists() || approval_files(state.path()).is_empty());
    let refusals = audit_records(state.path());
    assert_eq!(refusals.len(), 5, "each refusal is audited");
    assert!(refusals.iter().all(|r| r["action"] == "refuse approval"));
}

#[tokio::test]
async fn a_plan_is_approved_by_its_digits_and_a_reason_per_deny_then_taken_once() {
    let state = tempfile::tempdir().unwrap();
    let approvals = approvals_in(state.path());
    let plan = node_shop_plan().await;
    assert!(!plan.denies().is_empty(), "node-shop's plan has a deny to override");
    let via = "elicitation in test-client 1.0";

    let wrong = approvals.approve_plan(&plan, "000000000000", reasons(&plan), OPERATOR, via).unwrap_err();
    assert!(matches!(wrong, ApprovalError::NotApproved(ferry::plan::ApprovalError::HashMismatch { .. })));
    let unreasoned = approvals.approve_plan(&plan, &plan.hash[..12], Vec::new(), OPERATOR, via).unwrap_err();
    assert!(unreasoned.to_string().contains("denied by wildcard-iam"), "{unreasoned}");
    let subject = Subject::plan(&plan.hash);
    assert!(approvals.pending(&subject).is_none(), "a refused approval records nothing");

    let given = approvals.approve_plan(&plan, &plan.hash[..12], reasons(&plan), OPERATOR, via).unwrap();
    assert_eq!(given.subject, subject, "the full hash is approved, not the digits typed");
    let (taken, approved) = approvals.take_plan(&plan).unwrap();
    assert_eq!(taken, given);
    assert_eq!(approved.overrides(), reasons(&plan).as_slice());
    assert!(matches!(approvals.take_plan(&plan), Err(ApprovalError::Missing { .. })));

    // Another plan (one setting changed) is not approved by this plan's approval.
    approvals.approve_plan(&plan, &plan.hash[..12], reasons(&plan), OPERATOR, via).unwrap();
    let other = other_node_shop_plan().await;
    assert_ne!(other.hash, plan.hash);
    assert!(matches!(approvals.take_plan(&other), Err(ApprovalError::Missing { .. })));
    assert!(approvals.pending(&subject).is_some(), "and trying did not use this plan's up");
}

#[tokio::test]
async fn every_record_take_and_refusal_is_audited_without_secrets() {
    let state = tempfile::tempdir().unwrap();
    let approvals = approvals_in(state.path());
    let plan = node_shop_plan().await;
    approvals.approve_plan(&plan, &plan.hash[..12], reasons(&plan), OPERATOR, VIA_TERMINAL).unwrap();
    approvals.take_plan(&plan).unwrap();
    approvals.take_plan(&plan).unwrap_err();
    let rollback = Subject::rollback("2026-01-01T00-00-00Z-shop-api-0001");
    approvals.note_refusal(&rollback, OPERATOR, "elicitation in test-client 1.0", "the person declined").unwrap();

    let records = audit_records(state.path());
    let actions: Vec<&str> = records.iter().map(|r| r["action"].as_str().unwrap()).collect();
    assert_eq!(actions, ["record approval", "take approval", "refuse approval", "refuse approval"]);
    for record in &records {
        assert_eq!(record["run_id"], ferry::approvals::AUDIT_RUN_ID);
        assert!(record["parameters"]["subject"]["kind"].is_string(), "{record}");
        assert!(record["parameters"]["via"].is_string(), "{record}");
    }
    let recorded = &records[0];
    assert_eq!(recorded["operator"], OPERATOR);
    assert_eq!(recorded["parameters"]["subject"]["hash"], plan.hash.as_str());
    assert_eq!(recorded["parameters"]["via"], VIA_TERMINAL);
    assert_eq!(recorded["parameters"]["overrides"][0]["reason"], REASON);
    assert!(recorded["outcome"].as_str().unwrap().starts_with("recorded, usable once until "));
    assert_eq!(
        (records[1]["operator"].as_str(), records[1]["outcome"].as_str()),
        (Some(OPERATOR), Some("taken: used up"))
    );
    assert!(records[2]["outcome"].as_str().unwrap().starts_with("refused: no approval for plan"), "{}", records[2]);
    assert_eq!(records[3]["parameters"]["subject"]["run_id"], "2026-01-01T00-00-00Z-shop-api-0001");
    assert_eq!(records[3]["outcome"], "refused: the person declined");

    assert_eq!(ferry::audit::verify(&state.path().join("audit.jsonl")).unwrap(), Ok(4), "the chain is whole");
    let key = std::fs::read_to_string(state.path().join("approvals/approval.key")).unwrap();
    let log = std::fs::read_to_string(state.path().join("audit.jsonl")).unwrap();
    assert!(!log.contains(key.trim()), "the key never reaches the log");
    assert!(!log.contains("Tr0ub4dor"), "nor a secret of the plan");
}

#[tokio::test]
async fn stored_plans_load_by_id_or_prefix_and_refuse_what_is_not_a_plan_id() {
    let state = tempfile::tempdir().unwrap();
    let store = PlanStore::new(state.path().join("plans"));
    let plan = node_shop_plan().await;
    let id = store.save(&plan).unwrap();
    assert_eq!(id, plan.hash[..12]);
    assert_eq!(store.load(&id).unwrap(), plan);
    assert_eq!(store.load(&plan.hash[..8].to_uppercase()).unwrap(), plan, "8 digits, any case");
    assert_eq!(store.load(&plan.hash).unwrap(), plan);

    let unknown = store.load("0123456789ab").unwrap_err();
    assert!(matches!(unknown, PlanStoreError::Unknown { .. }) && unknown.to_string().contains("make the plan again"));
    for bad in ["1234567", "not-a-plan-id", "../../etc/passwd", ""] {
        let refused = store.load(bad).unwrap_err();
        assert!(matches!(refused, PlanStoreError::NotAnId { .. }), "{bad}: {refused:?}");
    }
    // Two more plans sharing ten digits with it: nine name all three, twelve name one.
    let prefix = &plan.hash[..10];
    let next = plan.hash.as_bytes()[10] as char;
    let twins: Vec<String> = "0123456789abcdef"
        .chars()
        .filter(|c| *c != next)
        .take(2)
        .map(|c| format!("{prefix}{}", c.to_string().repeat(54)))
        .collect();
    for twin in &twins {
        std::fs::write(state.path().join("plans").join(format!("{twin}.json")), plan.to_json()).unwrap();
    }
    let ambiguous = store.load(&plan.hash[..9]).unwrap_err();
    assert!(matches!(ambiguous, PlanStoreError::Ambiguous { ref matches, .. } if matches.len() == 3), "{ambiguous:?}");
    assert!(ambiguous.to_string().contains("give more of its digits"), "{ambiguous}");
    assert_eq!(store.load(&id).unwrap(), plan, "the full id still names one");
    let misnamed = store.load(&twins[0]).unwrap_err();
    assert!(matches!(misnamed, PlanStoreError::Changed { .. }), "a file under another plan's name: {misnamed:?}");
}

#[tokio::test]
async fn a_plan_edited_in_the_store_is_judged_from_its_content() {
    let state = tempfile::tempdir().unwrap();
    let store = PlanStore::new(state.path().join("plans"));
    let plan = node_shop_plan().await;
    let id = store.save(&plan).unwrap();
    let file = state.path().join("plans").join(format!("{}.json", plan.hash));

    // A step edited, the hash left: the content no longer hashes to it.
    std::fs::write(&file, plan.to_json().replacen("ferry-shop-api-task", "admin", 1)).unwrap();
    let edited = store.load(&id).unwrap_err();
    assert!(edited.to_string().contains("changed after it was hashed"), "{edited}");

    // The deny stated as a pass and the hash made again: the content still denies.
    let mut value: Value = serde_json::from_str(&plan.to_json()).unwrap();
    for check in value["checks"].as_array_mut().unwrap() {
        if check["level"] == "deny" {
            check["level"] = Value::String("pass".into());
        }
    }
    let mut forged: Plan = serde_json::from_value(value).unwrap();
    forged.hash = forged.content_hash();
    std::fs::write(&file, forged.to_json()).unwrap();
    let judged = store.load(&id).unwrap_err().to_string();
    assert!(judged.contains("is stated as pass, the content judges it DENY"), "{judged}");

    // A whole other plan, sealed, under this plan's name: not the plan saved as this id.
    let other = other_node_shop_plan().await;
    std::fs::write(&file, other.to_json()).unwrap();
    let changed = store.load(&id).unwrap_err();
    assert!(matches!(changed, PlanStoreError::Changed { .. }), "{changed:?}");
    assert!(changed.to_string().contains("changed after it was saved"), "{changed}");

    // A plan that is not what it states is not saved at all.
    assert!(matches!(store.save(&forged), Err(PlanStoreError::NotSaved(_))));
}

#[tokio::test]
async fn ferry_approve_is_answered_by_a_person_at_a_terminal() {
    let state = tempfile::tempdir().unwrap();
    let plan = node_shop_plan().await;
    let id = PlanStore::new(state.path().join("plans")).save(&plan).unwrap();

    let mut s = Session::tall(&["approve", &id, "--sandbox", "node-shop"], state.path());
    s.wait_for(&format!("plan {}", plan.hash));
    s.wait_for("id wildcard-iam:AmazonSESFullAccess:ses:*");
    s.wait_for("type the first 12 hex digits of its hash:");
    s.type_line("000000000000");
    s.wait_for("000000000000 does not start this plan's hash: read it again from the first line; 2 tries left");
    s.type_line(&plan.hash[..12]);
    s.wait_for("DENY wildcard-iam:AmazonSESFullAccess:ses:*");
    s.wait_for("Why is it acceptable?");
    s.type_line("too short");
    s.wait_for("too short (8 of 12)");
    s.type_line(REASON);
    s.wait_for(&format!("approved: plan {}, overriding 1 deny", plan.hash));
    s.wait_for("usable once, until ");
    assert!(s.wait_exit().success(), "{}", s.text());

    let approvals = approvals_in(state.path());
    let subject = Subject::plan(&plan.hash);
    let pending = approvals.pending(&subject).expect("the approval is recorded");
    assert_eq!(pending.via, VIA_TERMINAL);
    assert!(pending.operator.ends_with("user/demo-operator"), "the sandbox's STS caller: {}", pending.operator);
    assert_eq!(pending.overrides, reasons(&plan));
    let (_, approved) = approvals.take_plan(&plan).expect("taken once");
    assert_eq!(approved.overrides(), reasons(&plan).as_slice());
    assert!(matches!(approvals.take(&subject), Err(ApprovalError::Missing { .. })), "and only once");
    let verified = ferry::audit::verify(&state.path().join("audit.jsonl")).unwrap();
    assert_eq!(verified, Ok(3), "recorded, taken, refused: a whole chain");
}

#[tokio::test]
async fn ferry_approve_refuses_without_a_person_and_says_why() {
    let state = tempfile::tempdir().unwrap();
    let plan = node_shop_plan().await;
    let id = PlanStore::new(state.path().join("plans")).save(&plan).unwrap();

    // Input that is not a terminal (a script, an assistant's shell) is refused before anything.
    let piped = std::process::Command::new(env!("CARGO_BIN_EXE_ferry"))
        .args(["approve", &id, "--sandbox", "node-shop"])
        .env("FERRY_STATE_DIR", state.path())
        .stdin(std::process::Stdio::piped())
        .output()
        .unwrap();
    assert!(!piped.status.success());
    let stderr = String::from_utf8_lossy(&piped.stderr);
    assert!(stderr.contains("stdin is not one") && stderr.contains("nothing was approved"), "{stderr}");

    // Three wrong answers, then a closed terminal: nothing approved, each refusal audited.
    let mut s = Session::tall(&["approve", &id, "--sandbox", "node-shop"], state.path());
    s.wait_for("type the first 12 hex digits of its hash:");
    for _ in 0..3 {
        s.type_line("00000000000");
    }
    s.wait_for("3 wrong answers: nothing was approved");
    assert!(!s.wait_exit().success());
    let mut s = Session::tall(&["approve", &id[..8], "--sandbox", "node-shop"], state.path());
    s.wait_for("type the first 12 hex digits of its hash:");
    s.keys("\x04");
    s.wait_for("stdin closed before the approval was given: nothing was approved");
    assert!(!s.wait_exit().success());
    let mut s = Session::tall(&["approve", "0123456789ab", "--sandbox", "node-shop"], state.path());
    s.wait_for("no plan 0123456789ab in");
    assert!(!s.wait_exit().success());

    assert!(approvals_in(state.path()).pending(&Subject::plan(&plan.hash)).is_none());
    let outcomes: Vec<String> =
        audit_records(state.path()).iter().map(|r| r["outcome"].as_str().unwrap().to_string()).collect();
    assert_eq!(
        outcomes,
        ["refused: 3 wrong answers at the terminal", "refused: the terminal closed before the approval was given"]
    );
}

#[test]
fn ferry_approve_rollback_is_answered_with_the_run_id() {
    let state = tempfile::tempdir().unwrap();
    let (plan_file, plan) = support::run_state::plan_in(state.path());
    let mut args = vec!["apply".to_string(), plan_file.display().to_string(), "--approve".into()];
    args.extend([plan.hash[..12].to_string(), "--sandbox".into(), "node-shop".into()]);
    for deny in plan.denies() {
        args.extend(["--override".to_string(), format!("{}={REASON}", deny.id)]);
    }
    let applied = std::process::Command::new(env!("CARGO_BIN_EXE_ferry"))
        .args(&args)
        .env("FERRY_STATE_DIR", state.path())
        .output()
        .unwrap();
    assert!(applied.status.success(), "{}", String::from_utf8_lossy(&applied.stderr));
    let run_id = support::run_state::run_ids(state.path()).pop().expect("one run");

    let mut s = Session::tall(&["approve", "--rollback", &run_id], state.path());
    s.wait_for(&format!("run {run_id} · applied"));
    s.wait_for("delete Express service");
    s.wait_for("type the run's id:");
    s.type_line("some-other-run");
    s.wait_for("that is not the run's id");
    s.type_line(&run_id);
    s.wait_for(&format!("approved: the rollback of run {run_id}"));
    assert!(s.wait_exit().success(), "{}", s.text());

    let approvals = approvals_in(state.path());
    let taken = approvals.take(&Subject::rollback(&run_id)).expect("the rollback is approved");
    assert!(taken.overrides.is_empty() && taken.operator.ends_with("user/demo-operator"));
    assert!(approvals.take(&Subject::rollback(&run_id)).is_err(), "once");
}
