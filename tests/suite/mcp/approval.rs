//! The human gate: no change without a person's approval of the exact plan (or run), given once.

use super::*;
use crate::support::pty::Session;

/// The whole migration from a client: refused without a person, applied once a person typed
/// the digits and reasons, rolled back (approved again) to the account as it was; every call
/// in the audit log with the client's name.
#[test]
fn a_client_migrates_the_sandbox_only_with_a_person_s_approval() {
    let state = tempfile::tempdir().unwrap();
    let app = Path::new(env!("CARGO_MANIFEST_DIR")).join("assets/apps/node-shop");
    let env = [("FERRY_TEST_APP", app.to_str().unwrap())];
    let out = client_with("migrate", state.path(), &["--sandbox", "node-shop"], &env);
    assert_eq!(out["discover"]["is_error"], false);
    reviewed(&out);
    let plan = &out["create_plan"]["structured"];
    let id = plan["plan_id"].as_str().unwrap();
    assert!(plan["hash"].as_str().unwrap().starts_with(id));
    assert!(!plan["denies"].as_array().unwrap().is_empty(), "node-shop's plan has a deny to override");
    assert_eq!(out["create_plan"]["text"], serde_json::to_string(plan).unwrap(), "the same JSON as text");

    let refused = &out["apply_without_approval"];
    assert_eq!(refused["is_error"], true);
    let text = refused["text"].as_str().unwrap();
    assert!(
        text.contains(&format!("approval pending: ask the operator to run `ferry approve {id} --sandbox node-shop`")),
        "{text}"
    );
    assert_eq!(out["runs_after_refusal"], serde_json::json!([]), "nothing ran");

    assert_eq!(out["apply"]["is_error"], false, "{}", out["apply"]);
    assert!(
        out["apply"]["structured"]["approved_by"].as_str().unwrap().contains("elicitation in ferry-test-person 9.8.7")
    );
    let form = &out["forms"][0];
    assert!(form["message"].as_str().unwrap().contains(plan["hash"].as_str().unwrap()), "the form shows the hash");
    assert_eq!(form["fields"], serde_json::json!(["hash_digits", "reason_1"]));
    assert!(!out["progress"].as_array().unwrap().is_empty(), "progress was sent to the token");
    assert_eq!(out["applied_status"]["structured"]["status"], "APPLIED", "{}", out["applied_status"]);
    assert_eq!(out["rollback"]["is_error"], false, "{}", out["rollback"]);
    rollback_form_asks_the_run_id(&out["forms"][1], out["apply"]["structured"]["run_id"].as_str().unwrap());
    assert_eq!(out["rolled_back_status"]["structured"]["status"], "ROLLED-BACK");
    assert_eq!(out["inventory_after"], out["inventory_before"], "the account is as it was before");
    let account = std::fs::read_to_string(state.path().join("sandbox/node-shop.json")).unwrap_or_default();
    assert!(!account.contains("ferry-shop-api"), "nothing the run made is left");

    let again = &out["apply_again_without_approval"];
    assert!(again["text"].as_str().unwrap().contains("approval pending"), "an approval is used once: {again}");
    audited(&out["audit"]);
}

/// The rollback's form asks what `ferry approve --rollback` asks: the run's id typed back, not
/// the plan hash's digits, so a person approves the same thing whichever way they approve.
fn rollback_form_asks_the_run_id(form: &Value, run_id: &str) {
    assert_eq!(form["fields"], serde_json::json!(["run_id"]), "{form}");
    let message = form["message"].as_str().unwrap();
    assert!(message.starts_with(&format!("Roll back run {run_id}?")), "{message}");
    assert!(message.contains("type the run's id") && !message.contains("digits"), "{message}");
}

/// The plan shown, compared with the account now and with a patched plan; the app analysed.
fn reviewed(out: &Value) {
    assert_eq!(out["show"]["structured"]["hash"], out["create_plan"]["structured"]["hash"]);
    assert_eq!(out["diff_now"]["structured"]["same"], true, "nothing moved since: {}", out["diff_now"]);
    let patched = &out["diff_patched"]["structured"];
    assert_eq!(patched["same"], false);
    assert!(!patched["steps_changed"].as_array().unwrap().is_empty(), "{patched}");
    let diff = patched["artifacts_diff"].as_str().unwrap();
    assert!(diff.contains("+    \"cpu\": \"2048\","), "{diff}");
    assert_eq!(out["analyze"]["structured"]["profile"]["runtime"]["name"], "node", "{}", out["analyze"]);
}

/// Every tool call is a record with its client, and the chain verifies.
fn audited(audit: &Value) {
    assert_eq!(audit["verified"], true, "{}", audit["problems"]);
    let records = audit["records"].as_array().unwrap();
    let calls: Vec<(&str, &str)> = records
        .iter()
        .filter(|r| r["action"].as_str().unwrap().starts_with("mcp "))
        .map(|r| (r["action"].as_str().unwrap(), r["parameters"]["client"]["name"].as_str().unwrap()))
        .collect();
    for expected in [
        ("mcp discover_instance", "ferry-test-plain"),
        ("mcp create_plan", "ferry-test-plain"),
        ("mcp apply_plan", "ferry-test-plain"),
        ("mcp apply_plan", "ferry-test-person"),
        ("mcp run_status", "ferry-test-person"),
        ("mcp rollback_run", "ferry-test-person"),
    ] {
        assert!(calls.contains(&expected), "{expected:?} is audited: {calls:?}");
    }
    let refusal = records.iter().find(|r| r["action"] == "mcp apply_plan").unwrap();
    assert!(refusal["outcome"].as_str().unwrap().starts_with("refused: approval pending"), "{refusal}");
    for action in ["record approval", "take approval", "refuse approval", "start run", "finish rollback"] {
        assert!(records.iter().any(|r| r["action"] == action), "{action} is audited");
    }
}

/// A client without elicitation is told approval is pending and the command; a person runs
/// `ferry approve` in a terminal, answers it, and the same call then applies the plan.
#[test]
fn a_client_without_forms_waits_for_ferry_approve_in_a_terminal() {
    let state = tempfile::tempdir().unwrap();
    let sandbox = ["--sandbox", "node-shop"];
    let asked = client("pending", state.path(), &sandbox);
    let id = asked["plan_id"].as_str().unwrap();
    let command = format!("ferry approve {id} --sandbox node-shop");
    assert!(asked["apply"]["text"].as_str().unwrap().contains(&command), "{}", asked["apply"]);

    // A hand-made approval file in the approvals folder approves nothing.
    forge_approval(state.path(), asked["hash"].as_str().unwrap());
    let forged = client_with("apply-approved", state.path(), &sandbox, &[("FERRY_TEST_PLAN_ID", id)]);
    assert_eq!(forged["apply"]["is_error"], true);
    assert!(forged["apply"]["text"].as_str().unwrap().contains("not one ferry recorded"), "{}", forged["apply"]);

    let mut terminal = Session::tall(&["approve", id, "--sandbox", "node-shop"], state.path());
    terminal.wait_for("type the first 12 hex digits");
    terminal.type_line(&asked["hash"].as_str().unwrap()[..12]);
    for (asked_so_far, _) in asked["denies"].as_array().unwrap().iter().enumerate() {
        terminal.wait_for_times("Why is it acceptable?", asked_so_far + 1);
        terminal.type_line("narrowed after the move, ticket OPS-1234");
    }
    terminal.wait_for("approved: plan");
    assert!(terminal.wait_exit().success(), "{}", terminal.text());

    // A pace the run can be watched at: run_status sends its lines as progress while it waits.
    let paced = ["--sandbox", "node-shop", "--latency-ms", "40"];
    let applied = client_with("apply-approved", state.path(), &paced, &[("FERRY_TEST_PLAN_ID", id)]);
    assert_eq!(applied["apply"]["is_error"], false, "{}", applied["apply"]);
    assert!(applied["apply"]["structured"]["approved_by"].as_str().unwrap().contains("ferry approve on a terminal"));
    assert_eq!(applied["status"]["structured"]["status"], "APPLIED");
    let progress = applied["progress"].as_array().unwrap();
    assert!(progress.iter().any(|line| line.as_str().unwrap().contains("done in")), "{progress:?}");
}

/// Writes an approval of the plan `hash` where ferry keeps it, as someone without the key
/// would: well formed, sealed with a made-up MAC.
fn forge_approval(state: &Path, hash: &str) {
    let subject = serde_json::json!({"kind": "plan", "hash": hash});
    let digest = ferry::digest::sha256_hex(ferry::digest::canonical_json(&subject).as_bytes());
    let approval = serde_json::json!({
        "approval": {
            "subject": subject, "overrides": [], "operator": "arn:aws:iam::111122223333:user/demo-operator",
            "approved_at": "2026-01-01T00:00:00Z", "expires_at": "2099-01-01T00:00:00Z", "via": "ferry approve on a terminal",
        },
        "nonce": "00112233445566778899aabbccddeeff",
        "mac": "0".repeat(64),
    });
    let dir = state.join("approvals");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join(format!("plan-{}.json", &digest[..32])), approval.to_string()).unwrap();
}

/// A run that failed at a step (a sandbox fault) is continued by `resume_run` from a server
/// without the fault, approved again, and then rolled back.
#[test]
fn a_failed_run_is_resumed_then_rolled_back() {
    let state = tempfile::tempdir().unwrap();
    let failing = client("apply-failing", state.path(), &["--sandbox", "node-shop", "--fail-at", "6"]);
    assert_eq!(failing["status"]["structured"]["status"], "FAILED", "{}", failing["status"]);
    assert!(failing["status"]["structured"]["next"].as_array().unwrap().contains(&serde_json::json!("resume")));
    let (run_id, hash) = (failing["run_id"].as_str().unwrap(), failing["hash"].as_str().unwrap());
    let env = [("FERRY_TEST_RUN_ID", run_id), ("FERRY_TEST_HASH", hash)];
    let out = client_with("resume", state.path(), &["--sandbox", "node-shop"], &env);
    assert_eq!(out["resume"]["is_error"], false, "{}", out["resume"]);
    assert!(out["forms"][0]["message"].as_str().unwrap().starts_with("Resume plan"), "{}", out["forms"]);
    assert_eq!(out["status"]["structured"]["status"], "APPLIED", "{}", out["status"]);
    assert_eq!(out["after"]["structured"]["status"], "ROLLED-BACK", "{}", out["after"]);
}

/// A person who declines the form changes nothing, and the refusal is recorded.
#[test]
fn a_declined_approval_changes_nothing() {
    let state = tempfile::tempdir().unwrap();
    let out = client("decline", state.path(), &["--sandbox", "node-shop"]);
    assert_eq!(out["apply"]["is_error"], true);
    let text = out["apply"]["text"].as_str().unwrap();
    assert!(text.contains("declined") && text.contains("nothing changed"), "{text}");
    assert_eq!(out["runs"], serde_json::json!([]));
    assert_eq!(out["forms"].as_array().unwrap().len(), 1, "the person was asked once");
    let log = std::fs::read_to_string(state.path().join("audit.jsonl")).unwrap();
    assert!(log.contains("refuse approval") && log.contains("ferry-test-decliner"), "{log}");
    assert!(!log.contains("\"start run\""), "no run started");
}

/// `--terminal-approval-only` never shows the client's form: a client that could answer one is
/// told approval is pending, as one without forms is.
#[test]
fn terminal_approval_only_never_asks_the_client() {
    let state = tempfile::tempdir().unwrap();
    let out = client("decline", state.path(), &["--sandbox", "node-shop", "--terminal-approval-only"]);
    assert_eq!(out["forms"], serde_json::json!([]), "no form was shown");
    assert!(out["apply"]["text"].as_str().unwrap().contains("approval pending"), "{}", out["apply"]);
    assert_eq!(out["runs"], serde_json::json!([]));
}

/// Two `apply_plan` calls for one plan at once ask the person once and start one run; the
/// other call is told an approval is already being asked for. The same for two `rollback_run`
/// calls for one run.
#[test]
fn two_calls_at_once_ask_the_person_once_and_start_one_run() {
    let state = tempfile::tempdir().unwrap();
    let out = client("twice", state.path(), &["--sandbox", "node-shop"]);
    assert_eq!(out["apply_forms"], 1, "the person was asked once to apply: {}", out["forms"]);
    assert_eq!(out["runs"].as_array().unwrap().len(), 1, "one run started: {}", out["runs"]);
    one_went_ahead(&out["applies"]);
    assert_eq!(out["applied"]["structured"]["status"], "APPLIED", "{}", out["applied"]);
    one_went_ahead(&out["rollbacks"]);
    assert_eq!(out["forms"].as_array().unwrap().len(), 2, "the person was asked once to roll back: {}", out["forms"]);
    assert_eq!(out["rolled_back"]["structured"]["status"], "ROLLED-BACK", "{}", out["rolled_back"]);
    let log = std::fs::read_to_string(state.path().join("audit.jsonl")).unwrap();
    assert_eq!(log.matches("\"record approval\"").count(), 2, "one approval each: {log}");
}

/// Of two answers, one went ahead and the other says another call is asking.
fn one_went_ahead(answers: &Value) {
    let answers = answers.as_array().unwrap();
    let refused: Vec<&Value> = answers.iter().filter(|a| a["is_error"] == true).collect();
    assert_eq!(refused.len(), 1, "{answers:?}");
    let text = refused[0]["text"].as_str().unwrap();
    assert!(text.contains("is already being asked for by another call"), "{text}");
}

/// A run whose journal cannot be written does not start; the approval it took is used up, and
/// the answer says plainly that a person must approve again, and how.
#[test]
fn an_approval_taken_by_a_run_that_could_not_start_must_be_given_again() {
    let state = tempfile::tempdir().unwrap();
    // A file where the runs folder goes: no journal can be made there.
    std::fs::write(state.path().join("runs"), "not a folder").unwrap();
    let out = client("apply-once", state.path(), &["--sandbox", "node-shop"]);
    assert_eq!(out["forms"].as_array().unwrap().len(), 1, "the person approved");
    assert_eq!(out["apply"]["is_error"], true, "{}", out["apply"]);
    let text = out["apply"]["text"].as_str().unwrap();
    assert!(text.contains("the run did not start, nothing changed in the account"), "{text}");
    assert!(text.contains("was used up by this attempt: a person must approve again"), "{text}");
    assert!(text.contains("ferry approve") && text.contains("--sandbox node-shop"), "{text}");
}
