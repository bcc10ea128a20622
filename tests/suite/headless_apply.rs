//! The headless commands as an operator runs them: `ferry plan`, `ferry apply --approve`,
//! `ferry runs`, `ferry rollback`, each a separate process sharing one state folder (the
//! sandbox account, the run journals and the audit log live there).

use crate::support;

use std::path::Path;
use std::process::{Command, Output};

use ferry::plan::Plan;
use support::run_state::{account_is_fresh, plan_in, run_ids};

fn ferry(state: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_ferry")).args(args).env("FERRY_STATE_DIR", state).output().expect("ferry runs")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

const REASON: &str = "SES is narrowed in OPS-1234 after the move";

fn override_args(plan: &Plan) -> Vec<String> {
    plan.denies().into_iter().flat_map(|deny| ["--override".to_string(), format!("{}={REASON}", deny.id)]).collect()
}

fn apply(state: &Path, plan_file: &Path, plan: &Plan, extra: &[&str]) -> Output {
    let mut args =
        vec!["apply".to_string(), plan_file.display().to_string(), "--approve".into(), plan.hash[..12].into()];
    args.extend(["--sandbox".into(), "node-shop".into()]);
    args.extend(override_args(plan));
    args.extend(extra.iter().map(|s| s.to_string()));
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    ferry(state, &args)
}

#[test]
fn apply_needs_the_hash_and_a_reason_for_every_deny() {
    let state = tempfile::tempdir().unwrap();
    let (plan_file, plan) = plan_in(state.path());
    let file = plan_file.to_str().unwrap();

    let wrong = ferry(state.path(), &["apply", file, "--approve", "000000000000", "--sandbox", "node-shop"]);
    assert!(!wrong.status.success());
    assert!(text(&wrong.stderr).contains(&format!("the plan's hash is {}", plan.hash)), "{}", text(&wrong.stderr));

    let short = ferry(state.path(), &["apply", file, "--approve", &plan.hash[..8], "--sandbox", "node-shop"]);
    assert!(text(&short.stderr).contains("at least 12 hex digits"), "{}", text(&short.stderr));
    let denied = ferry(state.path(), &["apply", file, "--approve", &plan.hash[..12], "--sandbox", "node-shop"]);
    assert!(
        text(&denied.stderr).contains("denied by wildcard-iam:AmazonSESFullAccess:ses:*"),
        "{}",
        text(&denied.stderr)
    );
    let terse = format!("{}=ok", plan.denies()[0].id);
    let short = ferry(
        state.path(),
        &["apply", file, "--approve", &plan.hash[..12], "--sandbox", "node-shop", "--override", &terse],
    );
    assert!(text(&short.stderr).contains("too short"), "{}", text(&short.stderr));
    assert!(run_ids(state.path()).is_empty(), "nothing refused at approval starts a run");
    assert!(account_is_fresh(state.path()), "and nothing changed");
}

#[test]
fn apply_then_rollback_in_separate_processes_with_an_audited_override() {
    let state = tempfile::tempdir().unwrap();
    let (plan_file, plan) = plan_in(state.path());
    let applied = apply(state.path(), &plan_file, &plan, &[]);
    assert!(applied.status.success(), "{}", text(&applied.stderr));
    let stdout = text(&applied.stdout);
    assert!(stdout.starts_with("applied: run "), "{stdout}");
    assert!(stdout.contains("https://shop-api-"), "the endpoint is reported: {stdout}");
    let stderr = text(&applied.stderr);
    assert!(stderr.contains("create role ferry-shop-api-task ✓"), "plain progress lines off a terminal: {stderr}");
    assert!(stderr.contains("wait until ACTIVE shop-api: deployment"), "the deployment's stages stream: {stderr}");
    assert!(!account_is_fresh(state.path()));

    let run_id = run_ids(state.path()).pop().expect("one run");
    let runs = ferry(state.path(), &["runs"]);
    let listed = text(&runs.stdout);
    assert!(listed.contains(&run_id) && listed.contains("applied (12/12)"), "{listed}");
    assert!(listed.contains("ferry rollback RUN"), "{listed}");

    // The same plan again is refused before any change: its names are taken by the first run.
    let again = apply(state.path(), &plan_file, &plan, &[]);
    assert!(!again.status.success());
    let refused = text(&again.stderr);
    assert!(refused.contains("nothing was changed") && refused.contains(&format!("made by run {run_id}")), "{refused}");

    let rolled = ferry(state.path(), &["rollback", &run_id]);
    assert!(rolled.status.success(), "{}", text(&rolled.stderr));
    assert!(account_is_fresh(state.path()), "rollback removed everything the run made");

    let audit = std::fs::read_to_string(state.path().join("audit.jsonl")).unwrap();
    let overrides: Vec<serde_json::Value> = audit
        .lines()
        .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap())
        .filter(|r| r["action"] == "override deny" && r["run_id"] == run_id.as_str())
        .collect();
    assert_eq!(overrides.len(), 1, "one override per deny, recorded with the run");
    assert_eq!(overrides[0]["parameters"]["reason"], REASON);
    assert_eq!(overrides[0]["parameters"]["check"], "wildcard-iam:AmazonSESFullAccess:ses:*");
    assert!(audit.contains("\"finish rollback\""));
    assert!(!audit.contains("Tr0ub4dor"), "no secret in the audit log");
    let verified = ferry(state.path(), &["audit", "verify"]);
    assert!(verified.status.success(), "{}", text(&verified.stderr));
}

#[test]
fn a_failure_rolls_back_at_once_when_asked() {
    let state = tempfile::tempdir().unwrap();
    let (plan_file, plan) = plan_in(state.path());
    let output = apply(state.path(), &plan_file, &plan, &["--fail-at", "8:after", "--on-failure", "rollback"]);
    assert!(!output.status.success());
    let stderr = text(&output.stderr);
    assert!(stderr.contains("failed at step 8 and was rolled back"), "{stderr}");
    assert!(
        stderr.contains("looked up: the change was made"),
        "the step that errored after its change is found: {stderr}"
    );
    assert!(account_is_fresh(state.path()), "nothing left behind");
}

#[test]
fn a_stopped_failure_is_resumed_then_rolled_back() {
    let state = tempfile::tempdir().unwrap();
    let (plan_file, plan) = plan_in(state.path());
    let failed = apply(state.path(), &plan_file, &plan, &["--fail-at", "create-express-service"]);
    assert!(!failed.status.success());
    let run_id = run_ids(state.path()).pop().unwrap();
    assert!(text(&failed.stderr).contains(&format!("ferry resume {run_id}")), "{}", text(&failed.stderr));

    let resumed = ferry(state.path(), &["resume", &run_id]);
    assert!(resumed.status.success(), "{}", text(&resumed.stderr));
    assert!(text(&resumed.stderr).contains("done by an earlier process"), "{}", text(&resumed.stderr));
    let listed = text(&ferry(state.path(), &["runs", "--json"]).stdout);
    let runs: serde_json::Value = serde_json::from_str(&listed).unwrap();
    assert_eq!(runs[0]["status"]["status"], "applied", "{listed}");

    assert!(ferry(state.path(), &["rollback", &run_id]).status.success());
    assert!(account_is_fresh(state.path()));
    let twice = ferry(state.path(), &["rollback", &run_id]);
    assert!(twice.status.success(), "a second rollback finds everything gone: {}", text(&twice.stderr));
}

#[test]
fn bad_plan_files_and_run_ids_are_clear_errors() {
    let state = tempfile::tempdir().unwrap();
    let garbage = state.path().join("garbage.json");
    std::fs::write(&garbage, "{ \"format\": 2, \"steps\": [").unwrap();
    let output =
        ferry(state.path(), &["apply", garbage.to_str().unwrap(), "--approve", "12345678", "--sandbox", "node-shop"]);
    assert!(text(&output.stderr).contains("plan file is not valid"), "{}", text(&output.stderr));
    for run_id in ["no-such-run", "../../etc/passwd", "\u{1b}[31mred"] {
        let output = ferry(state.path(), &["rollback", run_id]);
        assert!(!output.status.success());
        let stderr = text(&output.stderr);
        assert!(stderr.contains("`ferry runs` lists them") && !stderr.contains('\u{1b}'), "{stderr}");
        assert!(!stderr.contains("panicked"), "{stderr}");
    }
}

/// A resume refused because the account moved keeps the run as it was: still failed, still
/// holding what it made, still to roll back.
#[test]
fn a_refused_resume_keeps_the_run_and_says_what_it_holds() {
    let state = tempfile::tempdir().unwrap();
    let (plan_file, plan) = plan_in(state.path());
    let failed = apply(state.path(), &plan_file, &plan, &["--fail-at", "create-express-service"]);
    assert!(!failed.status.success());
    let run_id = run_ids(state.path()).pop().unwrap();

    // Someone deletes a subnet the service was to use.
    let account = state.path().join("sandbox").join("node-shop.json");
    let mut saved: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&account).unwrap()).unwrap();
    saved["account"]["subnets"].as_array_mut().unwrap().retain(|s| s["id"] != "subnet-0b22pub1b");
    std::fs::write(&account, saved.to_string()).unwrap();

    let resumed = ferry(state.path(), &["resume", &run_id]);
    assert!(!resumed.status.success());
    let stderr = text(&resumed.stderr);
    assert!(
        stderr.contains("was not continued") && stderr.contains("subnet subnet-0b22pub1b no longer exists"),
        "{stderr}"
    );
    assert!(stderr.contains("it still holds 10 changes"), "{stderr}");
    let listed = text(&ferry(state.path(), &["runs"]).stdout);
    assert!(listed.contains("failed at step 11"), "the run keeps its status: {listed}");
    assert!(ferry(state.path(), &["rollback", &run_id]).status.success());
}
