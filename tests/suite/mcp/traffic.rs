//! The cutover and retirement tools: a cutover plan is made and saved like any plan (applied
//! only through apply_plan, which a person approves), and the old stack is not listed before
//! the cutover is finalized.

use super::{client_with, support};

#[test]
fn a_cutover_plan_is_made_through_the_tools_and_the_old_stack_waits_for_finalize() {
    let state = tempfile::tempdir().unwrap();
    let run_id = support::run_state::applied_run(state.path());
    let env = [("FERRY_TEST_RUN", run_id.as_str())];
    let out = client_with("cutover", state.path(), &["--sandbox", "node-shop", "--read-only"], &env);

    let plan = &out["plan"];
    assert_eq!(plan["is_error"], false, "{plan}");
    let steps: Vec<&str> =
        plan["structured"]["steps"].as_array().unwrap().iter().map(|s| s["id"].as_str().unwrap()).collect();
    assert!(steps.contains(&"split-shop-example-com"), "{steps:?}");
    assert!(steps.contains(&"stage-50-gate") && steps.contains(&"stage-100-gate"), "{steps:?}");
    assert!(!steps.iter().any(|s| s.starts_with("stage-10-")), "the stages asked for: {steps:?}");
    let plan_id = plan["structured"]["plan_id"].as_str().unwrap();
    assert!(
        state.path().join("plans").read_dir().unwrap().any(|e| e
            .unwrap()
            .file_name()
            .to_string_lossy()
            .contains(plan_id)),
        "saved for apply_plan"
    );

    // The gate's window and limits as asked, in every gate of the saved plan.
    let saved = state.path().join("plans").read_dir().unwrap().map(|e| e.unwrap().path());
    let saved = saved.into_iter().find(|p| p.to_string_lossy().contains(plan_id)).unwrap();
    let saved: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(saved).unwrap()).unwrap();
    let gates: Vec<&serde_json::Value> = saved["steps"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| &s["action"])
        .filter(|a| a["type"] == "health-gate")
        .collect();
    assert_eq!(gates.len(), 2, "{saved}");
    for gate in gates {
        assert_eq!(gate["window"]["minutes"], 10, "{gate}");
        assert_eq!(gate["thresholds"]["max_5xx_percent"], 2.5, "{gate}");
        assert_eq!(gate["thresholds"]["min_requests"], 200, "{gate}");
    }
    assert_eq!(out["bad_gate"]["is_error"], true);
    assert!(out["bad_gate"]["text"].as_str().unwrap().contains("the health gate"), "{}", out["bad_gate"]);

    assert_eq!(out["bad_stages"]["is_error"], true);
    assert!(out["bad_stages"]["text"].as_str().unwrap().contains("stages must rise"), "{}", out["bad_stages"]);
    assert_eq!(out["finalize_early"]["is_error"], true);
    assert!(out["finalize_early"]["text"].as_str().unwrap().contains("is not a cutover"), "{}", out["finalize_early"]);
    assert_eq!(out["checklist"]["is_error"], true);
    assert!(out["checklist"]["text"].as_str().unwrap().contains("is not finalized"), "{}", out["checklist"]);
}
