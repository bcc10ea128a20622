//! The headless commands, run as a user runs them: the real binary.

use crate::support;

use std::process::{Command, Output};

fn ferry(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_ferry"))
        .args(args)
        .env("FERRY_STATE_DIR", support::run_state::scratch_state())
        .output()
        .expect("ferry runs")
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

#[test]
fn discover_prints_the_graph_as_json() {
    let output = ferry(&["discover", "--sandbox", "node-shop", "--json"]);
    assert!(output.status.success(), "{}", stderr(&output));
    let graph: serde_json::Value = serde_json::from_str(&stdout(&output)).expect("JSON on stdout");
    assert_eq!(graph["instance"]["id"], "i-0a1b2c3d4e5f60718", "the scenario's app instance by default");
    assert_eq!(graph["routes"][0]["target_group"]["port"], 3000);
    assert_eq!(graph["data_stores"].as_array().map(Vec::len), Some(3));
    assert!(!stdout(&output).contains("Tr0ub4dor"), "no secret in the output");
}

#[test]
fn discover_takes_another_instance_and_prints_text_without_json() {
    let output = ferry(&["discover", "--sandbox", "node-shop", "--instance", "i-0f9e8d7c6b5a40312"]);
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(stdout(&output).starts_with("shop-worker (i-0f9e8d7c6b5a40312)"), "{}", stdout(&output));
}

#[test]
fn plan_writes_a_file_that_verifies() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("plan.json");
    let output = ferry(&["plan", "--sandbox", "node-shop", "--out", path.to_str().unwrap()]);
    assert!(output.status.success(), "{}", stderr(&output));
    let text = std::fs::read_to_string(&path).unwrap();
    let plan = ferry::plan::Plan::from_json(&text).expect("the written plan verifies");
    assert!(stderr(&output).contains(plan.short_hash()), "the hash is reported: {}", stderr(&output));
    assert!(!text.contains("Tr0ub4dor") && !text.contains("8f1c2e0b6a9d4c7e93b15a2f6d0e4c81"));
}

#[test]
fn errors_are_clear_and_not_panics() {
    let output = ferry(&["discover", "--sandbox", "no-such-scenario"]);
    assert!(!output.status.success());
    let err = stderr(&output);
    assert!(err.contains("scenario no-such-scenario: cannot read it") && err.contains("node-shop"), "{err}");
    assert!(!err.contains("panicked"));

    let output = ferry(&["discover", "--sandbox", "node-shop", "--instance", "i-missing"]);
    assert!(stderr(&output).contains("instance i-missing not found"), "{}", stderr(&output));

    let output = ferry(&["demo", "--fail-at", "0"]);
    assert!(stderr(&output).contains("steps are numbered from 1"), "{}", stderr(&output));

    let output = ferry(&["plan", "--sandbox", "node-shop", "--out", "/nonexistent/dir/plan.json"]);
    assert!(stderr(&output).contains("cannot write the plan to /nonexistent/dir/plan.json"), "{}", stderr(&output));
}

#[test]
fn a_bad_scenario_file_names_the_file_and_field() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("bad.toml");
    std::fs::write(
        &path,
        "[account]\nname = \"x\"\naccount_id = \"1\"\nregion = \"r\"\ncaller_arn = \"a\"\napp_instance = \"i-1\"\n",
    )
    .unwrap();
    let output = ferry(&["discover", "--sandbox", path.to_str().unwrap()]);
    let err = stderr(&output);
    assert!(err.contains(&format!("scenario {}: account.app_instance: no instance \"i-1\"", path.display())), "{err}");
}

#[test]
fn account_text_is_printed_escaped() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("odd.toml");
    let text = include_str!("../../assets/scenarios/node-shop.toml")
        .replacen("name = \"shop-api-prod\"", "name = \"shop\\u001b[2J\\u001b]0;pwned\\u0007-api\"", 1)
        .replacen("[[load_balancers]]\nname = \"shop-alb\"", "[[load_balancers]]\nname = \"alb\\u001b[31m\"", 1)
        .replace("alias_to = \"shop-alb\"", "alias_to = \"alb\\u001b[31m\"");
    std::fs::write(&path, text).unwrap();
    let output = ferry(&["discover", "--sandbox", path.to_str().unwrap()]);
    assert!(output.status.success(), "{}", stderr(&output));
    let out = stdout(&output);
    assert!(!out.contains('\u{1b}') && !out.contains('\u{7}'), "no raw control character: {out:?}");
    assert!(out.contains("shop\\u{1b}[2J\\u{1b}]0;pwned\\u{7}-api"), "{out}");
    assert!(out.contains("alb\\u{1b}[31m"), "{out}");
}

/// `ferry audit verify` checks the chain in the state folder and names the first record that
/// was changed after it was written.
#[test]
fn audit_verify_finds_the_tampered_record() {
    let state = tempfile::tempdir().unwrap();
    let path = state.path().join("audit.jsonl");
    let mut log = ferry::audit::AuditLog::open(&path).unwrap();
    for step in ["create repository", "create role", "create secret"] {
        log.append(ferry::audit::AuditEntry {
            run_id: "run-1".into(),
            operator: "arn:aws:iam::111122223333:user/ops".into(),
            action: step.into(),
            parameters: serde_json::json!({ "name": "shop-api" }),
            outcome: "ok".into(),
            duration_ms: 5,
        })
        .unwrap();
    }
    let verify = || {
        Command::new(env!("CARGO_BIN_EXE_ferry"))
            .args(["audit", "verify"])
            .env("FERRY_STATE_DIR", state.path())
            .output()
            .unwrap()
    };
    let output = verify();
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(stdout(&output).contains("3 records, chain intact"), "{}", stdout(&output));

    let text = std::fs::read_to_string(&path).unwrap();
    std::fs::write(&path, text.replacen("create role", "delete role", 1)).unwrap();
    let output = verify();
    assert!(!output.status.success());
    assert!(stderr(&output).contains("record 2 is broken"), "{}", stderr(&output));

    let missing = ferry(&["audit", "verify", "--file", "/nonexistent/audit.jsonl"]);
    assert!(!missing.status.success() && stderr(&missing).contains("/nonexistent/audit.jsonl"), "{}", stderr(&missing));
}

/// `ferry show` prints what the operator approves: the hash, each step with its undo, the
/// checks; a plan changed after it was hashed is refused with the reason.
#[test]
fn show_prints_the_plan_and_refuses_a_tampered_one() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("plan.json");
    let path_text = path.to_str().unwrap();
    assert!(ferry(&["plan", "--sandbox", "node-shop", "--out", path_text]).status.success());
    let output = ferry(&["show", path_text]);
    assert!(output.status.success(), "{}", stderr(&output));
    let text = stdout(&output);
    let plan = ferry::plan::Plan::from_json(&std::fs::read_to_string(&path).unwrap()).unwrap();
    assert!(text.starts_with(&format!("plan {}", plan.hash)), "{text}");
    assert!(text.contains("6. create secret            ferry/shop-api/DATABASE_URL"), "{text}");
    assert!(text.contains("value read at apply time from DATABASE_URL in user data of i-0a1b2c3d4e5f60718"), "{text}");
    assert!(text.contains("undo: delete secret (no recovery window)"), "{text}");
    assert!(text.contains("Dockerfile sha256 "), "the image step names what it builds: {text}");
    assert!(text.contains("DENY  the task would get ses:* on * from AmazonSESFullAccess"), "{text}");
    assert!(text.contains("--override 'wildcard-iam:AmazonSESFullAccess:ses:*=WHY IT IS ACCEPTABLE'"), "{text}");
    assert!(text.contains("- nothing exists yet where task-role creates"), "{text}");
    assert!(!text.contains("Tr0ub4dor"), "no secret value in a plan");

    let tampered = std::fs::read_to_string(&path).unwrap().replacen("\"minTaskCount\": 2", "\"minTaskCount\": 1", 1);
    std::fs::write(&path, tampered).unwrap();
    let output = ferry(&["show", path_text]);
    assert!(!output.status.success());
    assert!(stderr(&output).contains("plan was changed after it was hashed"), "{}", stderr(&output));
    let missing = ferry(&["show", "/nonexistent/plan.json"]);
    assert!(stderr(&missing).contains("cannot read the plan file /nonexistent/plan.json"), "{}", stderr(&missing));
}

/// A secret the code requires and nothing sets is a deny; `--secret NAME=env:VAR` turns it into
/// a secret the plan creates from that variable, and the service reads it by reference.
#[test]
fn a_required_secret_needs_a_source_and_takes_one_from_the_command_line() {
    let app = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/apps/node-fastify-env");
    let plan = |extra: &[&str]| {
        let mut args = vec!["plan", "--sandbox", "node-shop", "--app", app, "--out", "-"];
        args.extend_from_slice(extra);
        let output = ferry(&args);
        assert!(output.status.success(), "{}", stderr(&output));
        ferry::plan::Plan::from_json(&stdout(&output)).expect("a plan that verifies")
    };
    let denies_cookie = |plan: &ferry::plan::Plan| plan.denies().iter().any(|c| c.message.contains("COOKIE_SECRET"));

    let unsourced = plan(&[]);
    assert!(denies_cookie(&unsourced), "{:#?}", unsourced.denies());

    let sourced = plan(&["--secret", "COOKIE_SECRET=env:NOTES_COOKIE"]);
    assert!(!denies_cookie(&sourced), "{:#?}", sourced.denies());
    let json = serde_json::to_value(&sourced).unwrap();
    let steps = json["steps"].as_array().unwrap();
    let created = steps
        .iter()
        .find(|s| s["action"]["name"].as_str().is_some_and(|n| n.ends_with("/COOKIE_SECRET")))
        .expect("the plan creates the secret");
    assert_eq!(created["action"]["source"], serde_json::json!({"from": "environment", "variable": "NOTES_COOKIE"}));
    let service = steps.iter().find(|s| s["action"]["config"].is_object()).expect("the service step");
    let secrets = service["action"]["config"]["primaryContainer"]["secrets"].as_array().unwrap();
    assert!(secrets.iter().any(|s| s["name"] == "COOKIE_SECRET"), "{secrets:#?}");
    assert!(!stdout(&ferry(&["plan", "--sandbox", "node-shop", "--out", "-"])).contains("NOTES_COOKIE"));
}

/// `ferry analyze --json` carries its schema version and the documented fields.
#[test]
fn analyze_json_has_a_versioned_schema() {
    let app = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/apps/node-joi-config");
    let output = ferry(&["analyze", "--app", app, "--json"]);
    assert!(output.status.success(), "{}", stderr(&output));
    let json: serde_json::Value = serde_json::from_str(&stdout(&output)).expect("JSON on stdout");
    assert_eq!(json["schema"], ferry::analyze::ANALYSIS_SCHEMA);
    let jwt = json["variables"].as_array().unwrap().iter().find(|v| v["name"] == "JWT_SECRET").expect("read");
    assert_eq!((jwt["required"].as_bool(), jwt["secret"].as_bool()), (Some(true), Some(true)));
    assert!(jwt["why"].is_string() && jwt["source"] == "src/config/config.js:9" && jwt["scope"] == "runtime");
    let finding = json["findings"].as_array().unwrap().iter().find(|f| f["kind"] == "required-env").expect("a blocker");
    for field in ["level", "message", "fix", "source"] {
        assert!(finding[field].is_string(), "{field} in {finding}");
    }
}
