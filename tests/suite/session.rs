//! Whole wizard sessions driven by messages on the sandbox: apply, roll back, and faults at
//! every step, each ending with the account exactly as it was.

use crate::common;

use common::{Harness, approve_and_apply, banner, walk_to_plan};
use ferry::cloud::sandbox::{FailAt, FaultKind, FaultTarget, Sandbox, SandboxOptions};
use ferry::plan::Override;
use std::sync::Arc;
use std::time::Duration;

use ferry::tui::{Overlay, RunPhase, Step, StepStatus};
use ratatui::crossterm::event::KeyCode;

#[tokio::test]
async fn demo_applies_then_rolls_back_to_the_account_it_started_from() {
    let mut h = Harness::demo(SandboxOptions::instant()).await;
    let before = h.account();

    walk_to_plan(&mut h).await;
    approve_and_apply(&mut h).await;
    assert_eq!(h.app.step, Step::Apply);
    assert_eq!(banner(&h), "APPLIED");
    assert!(h.screen().contains("APPLIED"), "the banner is on screen:\n{}", h.screen());

    let applied = h.account();
    assert_eq!(applied.express_services.len(), 1, "the service exists after apply");
    assert_eq!(applied.roles.len(), before.roles.len() + 3, "task, execution and infrastructure roles");
    assert_eq!(applied.secrets.len(), 2, "DATABASE_URL and SESSION_SECRET became secrets");
    let scenario = ferry::cloud::sandbox::Scenario::load("node-shop").unwrap();
    let user_data = scenario.instances.iter().find_map(|i| i.user_data.clone()).expect("user data");
    let database_url = user_data.lines().find_map(|l| l.split_once("DATABASE_URL=")).map(|(_, v)| v).unwrap();
    let database_url = database_url.trim_matches(['"', '\'']);
    assert!(database_url.starts_with("postgres://shop:Tr0ub4dor-prod-2024@shop-db."), "{database_url}");
    let stored = &applied.secrets["ferry/shop-api/DATABASE_URL"].value_hmac;
    assert_eq!(
        stored,
        &h.sandbox.secret_digest(database_url).unwrap(),
        "the value was read from the source at apply time"
    );
    assert_eq!(
        applied.secrets["ferry/shop-api/SESSION_SECRET"].value_hmac,
        h.sandbox.secret_digest("8f1c2e0b6a9d4c7e93b15a2f6d0e4c81").unwrap()
    );
    assert_ne!(
        stored,
        &ferry::digest::sha256_hex(database_url.as_bytes()),
        "no plain digest a guess could be checked against"
    );
    assert!(!format!("{:?}", applied.secrets).contains("Tr0ub4dor"), "no stored secret is kept in plain text");
    let run_id = h.app.run.as_ref().and_then(|r| r.run_id.clone()).expect("run id");
    assert!(
        applied.repositories.values().all(|r| r.tags.iter().any(|t| t.key == "ferry:run-id" && t.value == run_id)),
        "created resources carry the run id"
    );

    h.press(KeyCode::Enter).await;
    assert_eq!(h.app.step, Step::Verify);
    assert!(h.screen().contains("status ACTIVE"));
    h.press(KeyCode::Esc).await;

    common::roll_back(&mut h).await;
    assert_eq!(banner(&h), "ROLLED BACK");
    assert!(h.screen().contains("ROLLED BACK"));
    assert_eq!(h.account(), before, "the account holds nothing the run created");
}

#[tokio::test]
async fn a_fault_at_any_step_rolls_back_to_exactly_the_account_before() {
    let steps = {
        let mut h = Harness::demo(SandboxOptions::instant()).await;
        walk_to_plan(&mut h).await;
        h.app.migration().expect("plan").plan.steps.len()
    };
    assert!(steps >= 10, "the node-shop plan has all its steps ({steps})");
    for step in 1..=steps {
        let options =
            SandboxOptions { fail_at: Some(FailAt::step(step, FaultKind::Before)), ..SandboxOptions::instant() };
        let mut h = Harness::demo(options).await;
        let before = h.account();
        walk_to_plan(&mut h).await;
        approve_and_apply(&mut h).await;
        let phase = h.app.run.as_ref().map(|r| r.phase.clone());
        assert!(
            matches!(phase, Some(RunPhase::Failed { step: s, .. }) if s == step - 1),
            "step {step} fails: {phase:?}"
        );
        assert!(banner(&h).starts_with(&format!("FAILED at step {step}:")), "banner: {}", banner(&h));
        common::roll_back(&mut h).await;
        assert_eq!(banner(&h), "ROLLED BACK", "after a fault at step {step}");
        assert_eq!(h.account(), before, "fault at step {step}: the account is as before");
    }
}

#[tokio::test]
async fn a_fault_by_action_type_fails_that_step() {
    let options =
        SandboxOptions { fail_at: Some("create-express-service".parse().unwrap()), ..SandboxOptions::instant() };
    let mut h = Harness::demo(options).await;
    let before = h.account();
    walk_to_plan(&mut h).await;
    approve_and_apply(&mut h).await;
    let screen = h.screen();
    assert!(screen.contains("InvalidParameterException"), "the injected error is shown:\n{screen}");
    common::roll_back(&mut h).await;
    assert_eq!(h.account(), before);
}

#[tokio::test]
async fn the_same_sandbox_can_apply_again_after_a_rollback() {
    let mut h = Harness::demo(SandboxOptions::instant()).await;
    walk_to_plan(&mut h).await;
    approve_and_apply(&mut h).await;
    common::roll_back(&mut h).await;
    h.press(KeyCode::Esc).await;
    assert_eq!(h.app.step, Step::Plan);
    approve_and_apply(&mut h).await;
    assert_eq!(banner(&h), "APPLIED");
}

#[tokio::test]
async fn approving_twice_without_rolling_back_is_refused() {
    let mut h = Harness::demo(SandboxOptions::instant()).await;
    walk_to_plan(&mut h).await;
    approve_and_apply(&mut h).await;
    h.press(KeyCode::Esc).await;
    h.key(KeyCode::Char('a'));
    assert_eq!(h.app.overlay, None);
    assert!(h.app.status.as_deref().unwrap_or("").contains("roll it back"));
}

#[tokio::test]
async fn declining_the_confirmation_changes_nothing() {
    let mut h = Harness::demo(SandboxOptions::instant()).await;
    let before = h.account();
    walk_to_plan(&mut h).await;
    common::approve(&mut h);
    h.press(KeyCode::Char('n')).await;
    assert_eq!(h.app.overlay, None);
    assert!(h.app.run.is_none());
    assert_eq!(h.app.step, Step::Plan);
    assert_eq!(h.account(), before);
}

#[tokio::test]
async fn quitting_during_an_apply_asks_first() {
    let mut h = Harness::demo(SandboxOptions::instant()).await;
    walk_to_plan(&mut h).await;
    common::approve(&mut h);
    h.key(KeyCode::Char('y'));
    // The run has started but no event has been fed back yet: it is still applying.
    h.key(KeyCode::Char('q'));
    assert_eq!(h.app.overlay, Some(Overlay::ConfirmQuit));
    assert!(!h.app.should_quit);
    h.key(KeyCode::Char('n'));
    assert!(!h.app.should_quit);
    h.key(KeyCode::Char('q'));
    h.key(KeyCode::Char('y'));
    assert!(h.app.should_quit && h.quit);
    h.settle().await;
}

#[tokio::test]
async fn r_during_an_apply_stops_it_and_rolls_back() {
    // A little latency, so the run is caught part-way, with steps done and steps to go.
    let options =
        SandboxOptions { latency: Some(Duration::from_millis(5)), deploy_polls: None, fail_at: None, state_file: None };
    let mut h = Harness::demo(options).await;
    let before = h.account();
    walk_to_plan(&mut h).await;
    common::approve(&mut h);
    h.key(KeyCode::Char('y'));
    let done = |app: &ferry::tui::App| {
        app.run.as_ref().map_or(0, |r| r.steps.iter().filter(|s| s.status == StepStatus::Done).count())
    };
    h.pump_until(|app| done(app) >= 3).await;
    assert_ne!(h.account(), before, "the run has changed the account");
    h.key(KeyCode::Char('r'));
    h.key(KeyCode::Char('y'));
    h.settle().await;
    let run = h.app.run.as_ref().unwrap();
    assert_eq!(run.phase, RunPhase::RolledBack, "the run stops and is undone");
    assert!(run.steps.iter().any(|s| s.status == StepStatus::Pending), "later steps never ran");
    assert!(run.steps.iter().filter(|s| s.status == StepStatus::Undone).count() >= 3);
    assert_eq!(h.account(), before);
}

#[tokio::test]
async fn a_step_that_fails_after_r_is_rolled_back_without_asking_again() {
    let options = SandboxOptions {
        latency: Some(Duration::from_millis(5)),
        deploy_polls: None,
        fail_at: Some(FailAt::step(4, FaultKind::Before)),
        state_file: None,
    };
    let mut h = Harness::demo(options).await;
    let before = h.account();
    walk_to_plan(&mut h).await;
    common::approve(&mut h);
    h.key(KeyCode::Char('y'));
    let done = |app: &ferry::tui::App| {
        app.run.as_ref().map_or(0, |r| r.steps.iter().filter(|s| s.status == StepStatus::Done).count())
    };
    h.pump_until(|app| done(app) >= 3).await;
    h.key(KeyCode::Char('r'));
    h.key(KeyCode::Char('y'));
    h.settle().await;
    // The operator asked for the rollback before the step failed: the failure's question
    // (roll back or keep?) has its answer already.
    assert_eq!(h.app.overlay, None, "{}", h.screen());
    assert_eq!(h.app.run.as_ref().unwrap().phase, RunPhase::RolledBack, "{}", h.screen());
    assert_eq!(h.account(), before);
}

#[tokio::test]
async fn a_fault_hits_the_same_step_of_every_apply() {
    let options = SandboxOptions { fail_at: Some(FailAt::step(3, FaultKind::Before)), ..SandboxOptions::instant() };
    let mut h = Harness::demo(options).await;
    walk_to_plan(&mut h).await;
    for _ in 0..2 {
        approve_and_apply(&mut h).await;
        assert!(banner(&h).starts_with("FAILED at step 3:"), "banner: {}", banner(&h));
        common::roll_back(&mut h).await;
        h.press(KeyCode::Esc).await;
    }
}

#[test]
fn fail_at_names_only_steps_and_forward_action_types() {
    let create_role = FailAt { target: FaultTarget::Action("create-role".into()), kind: FaultKind::Before };
    assert_eq!("create-role".parse::<FailAt>(), Ok(create_role));
    assert_eq!("3:after".parse::<FailAt>(), Ok(FailAt::step(3, FaultKind::After)));
    assert_eq!("create-role:timeout".parse::<FailAt>().map(|f| f.to_string()), Ok("create-role:timeout".into()));
    assert!("3:later".parse::<FailAt>().unwrap_err().contains("after"));
    assert!("delete-role".parse::<FailAt>().unwrap_err().contains("create-express-service"));
    assert!("create-rol".parse::<FailAt>().is_err());
    assert!("0".parse::<FailAt>().is_err());
}

#[tokio::test]
async fn the_reason_for_an_override_reaches_the_journal_and_the_audit_log() {
    let dir = tempfile::tempdir().unwrap();
    let sandbox = Arc::new(Sandbox::load("node-shop", SandboxOptions::instant()).unwrap());
    let mut h = Harness::with_runs(sandbox, dir.path()).await;
    walk_to_plan(&mut h).await;
    approve_and_apply(&mut h).await;
    assert_eq!(banner(&h), "APPLIED");
    let deny = "wildcard-iam:AmazonSESFullAccess:ses:*";

    let run_id = h.app.run.as_ref().and_then(|r| r.run_id.clone()).unwrap();
    let state = ferry::apply::load_run(&dir.path().join("runs").join(format!("{run_id}.jsonl"))).unwrap();
    assert_eq!(state.overrides, vec![Override { check_id: deny.into(), reason: common::REASON.into() }]);

    let log = dir.path().join("audit.jsonl");
    ferry::audit::verify(&log).expect("the audit log exists").expect("its chain is whole");
    let text = std::fs::read_to_string(&log).unwrap();
    let record = text.lines().find(|l| l.contains("\"override deny\"")).expect("an override record");
    assert!(record.contains(common::REASON) && record.contains(deny), "{record}");

    // The Plan step says the deny is overridden, and why.
    h.press(KeyCode::Esc).await;
    assert_eq!(h.app.step, Step::Plan);
    let screen = h.screen();
    assert!(screen.contains("1 denied, 1 overridden") && screen.contains("overridden: “demo account"), "{screen}");
}

#[tokio::test]
async fn a_failure_asks_and_s_keeps_what_was_made_until_c_resumes_it() {
    let options = SandboxOptions { fail_at: Some(FailAt::step(4, FaultKind::Before)), ..SandboxOptions::instant() };
    let mut h = Harness::demo(options).await;
    let before = h.account();
    walk_to_plan(&mut h).await;
    approve_and_apply(&mut h).await;
    assert_eq!(h.app.overlay, Some(Overlay::FailureChoice), "a failure asks what to do");
    let screen = h.screen();
    assert!(screen.contains("step 4 (create role ferry-shop-api-execution) failed"), "{screen}");
    assert!(screen.contains("r roll back now") && screen.contains("s stop and keep what was made"), "{screen}");

    h.press(KeyCode::Char('s')).await;
    assert_eq!(h.app.overlay, None);
    assert!(matches!(h.app.run.as_ref().unwrap().phase, RunPhase::Failed { step: 3, .. }));
    assert_ne!(h.account(), before, "what the run made is kept");
    assert!(h.screen().contains("c continues once the cause is fixed"), "{}", h.screen());

    // The fault strikes once per run: continuing retries step 4, which works now.
    h.press(KeyCode::Char('c')).await;
    let run = h.app.run.as_ref().unwrap();
    assert_eq!(run.phase, RunPhase::Applied, "{}", h.screen());
    assert_eq!(run.steps[0].note.as_deref(), Some("done earlier in this run: not repeated"));
    assert_eq!(h.account().express_services.len(), 1);
    common::roll_back(&mut h).await;
    assert_eq!(h.account(), before);
}

#[tokio::test]
async fn r_on_the_failure_question_rolls_back_at_once() {
    let options = SandboxOptions { fail_at: Some(FailAt::step(5, FaultKind::Before)), ..SandboxOptions::instant() };
    let mut h = Harness::demo(options).await;
    let before = h.account();
    walk_to_plan(&mut h).await;
    approve_and_apply(&mut h).await;
    assert_eq!(h.app.overlay, Some(Overlay::FailureChoice));
    h.press(KeyCode::Char('r')).await;
    assert_eq!(banner(&h), "ROLLED BACK");
    assert_eq!(h.account(), before);
}

#[tokio::test]
async fn stopping_a_run_does_not_ask_and_c_continues_it() {
    let options =
        SandboxOptions { latency: Some(Duration::from_millis(5)), deploy_polls: None, fail_at: None, state_file: None };
    let mut h = Harness::demo(options).await;
    walk_to_plan(&mut h).await;
    common::approve(&mut h);
    h.key(KeyCode::Char('y'));
    h.pump_until(|app| app.run.as_ref().is_some_and(|r| r.done() >= 2)).await;
    h.app.run.as_ref().unwrap().control.stop();
    h.settle().await;
    assert!(matches!(h.app.run.as_ref().unwrap().phase, RunPhase::Cancelled { .. }));
    assert_eq!(h.app.overlay, None, "a stop the operator asked for is not questioned");
    h.press(KeyCode::Char('c')).await;
    assert_eq!(banner(&h), "APPLIED");
}

#[tokio::test]
async fn an_interrupted_run_is_offered_at_start_and_r_rolls_it_back() {
    let dir = tempfile::tempdir().unwrap();
    let sandbox = Arc::new(Sandbox::load("node-shop", SandboxOptions::instant()).unwrap());
    let before = sandbox.snapshot();
    let run_id = common::interrupted_run(&sandbox, dir.path(), 3).await;
    assert_ne!(sandbox.snapshot(), before);

    let mut h = Harness::with_runs(sandbox, dir.path()).await;
    assert_eq!(h.app.overlay, Some(Overlay::UnfinishedRuns), "offered at start:\n{}", h.screen());
    let screen = h.screen();
    assert!(screen.contains(&run_id[..24]) && screen.contains("interrupted") && screen.contains("3/12"), "{screen}");
    assert!(screen.contains("step 4 (create role ferry-shop-api-execution) was sent and never answered"), "{screen}");

    // Later: the reminder stays, and R brings the list back.
    h.key(KeyCode::Esc);
    assert_eq!(h.app.overlay, None);
    h.key(KeyCode::Enter);
    assert!(h.screen().contains("1 unfinished run · R to review"), "{}", h.screen());
    h.settle().await;
    h.char('R');
    assert_eq!(h.app.overlay, Some(Overlay::UnfinishedRuns));

    h.char('r');
    assert_eq!(h.app.overlay, Some(Overlay::ConfirmRollback), "rolling back asks first");
    assert_eq!(h.app.step, Step::Apply);
    let run = h.app.run.as_ref().unwrap();
    assert_eq!(run.run_id.as_deref(), Some(run_id.as_str()));
    assert_eq!(run.steps.iter().filter(|s| s.status == StepStatus::Done).count(), 3);
    assert_eq!(run.steps[3].status, StepStatus::InDoubt);
    h.press(KeyCode::Char('y')).await;
    assert_eq!(banner(&h), "ROLLED BACK", "{}", h.screen());
    assert!(h.app.run.as_ref().unwrap().steps[3].note.as_deref().unwrap_or("").contains("the change was made"));
    assert_eq!(h.account(), before, "the account is as it was before the run");
    assert!(h.app.unfinished.runs.is_empty(), "nothing is left to offer");
    let state = ferry::apply::load_run(&dir.path().join("runs").join(format!("{run_id}.jsonl"))).unwrap();
    assert_eq!(state.status, ferry::apply::RunStatus::RolledBack);
}

#[tokio::test]
async fn an_interrupted_run_can_be_continued_from_the_list() {
    let dir = tempfile::tempdir().unwrap();
    let sandbox = Arc::new(Sandbox::load("node-shop", SandboxOptions::instant()).unwrap());
    let before = sandbox.snapshot();
    common::interrupted_run(&sandbox, dir.path(), 2).await;
    let mut h = Harness::with_runs(sandbox, dir.path()).await;
    assert_eq!(h.app.overlay, Some(Overlay::UnfinishedRuns));
    h.press(KeyCode::Char('c')).await;
    assert_eq!(banner(&h), "APPLIED", "{}", h.screen());
    let run = h.app.run.as_ref().unwrap();
    assert!(run.steps[2].note.as_deref().unwrap_or("").contains("the change was made"), "{:?}", run.steps[2]);
    assert_eq!(h.account().express_services.len(), 1);
    common::roll_back(&mut h).await;
    assert_eq!(h.account(), before);
}

#[tokio::test]
async fn a_plan_the_account_no_longer_matches_is_refused_with_its_reasons() {
    let mut h = Harness::demo(SandboxOptions::instant()).await;
    let before = h.account();
    walk_to_plan(&mut h).await;
    // Someone makes the repository by hand after the plan was made.
    let action = ferry::plan::Action::CreateEcrRepository { name: "shop-api".into(), tags: Vec::new() };
    ferry::cloud::Cloud::execute(h.sandbox.as_ref(), &action, &|_| {}).await.unwrap();
    let changed = h.account();
    approve_and_apply(&mut h).await;
    let run = h.app.run.as_ref().unwrap();
    assert!(matches!(run.phase, RunPhase::Refused { .. }), "{:?}", run.phase);
    assert_eq!(h.app.overlay, None, "nothing to decide: nothing changed");
    let screen = h.screen();
    assert!(screen.contains("REFUSED: nothing was changed") && screen.contains("shop-api"), "{screen}");
    assert!(screen.contains("Enter discovers again for a new plan"), "{screen}");
    assert_eq!(h.account(), changed);
    assert_ne!(changed, before);

    // A refused run holds nothing: a new discovery and plan are offered.
    while h.app.step != Step::Source {
        h.key(KeyCode::Esc);
    }
    h.press(KeyCode::Enter).await;
    assert!(matches!(h.app.migration, ferry::tui::Loadable::Ready(_)));
}

#[tokio::test]
async fn runs_on_another_account_are_not_offered() {
    let dir = tempfile::tempdir().unwrap();
    let sandbox = Arc::new(Sandbox::load("node-shop", SandboxOptions::instant()).unwrap());
    common::interrupted_run(&sandbox, dir.path(), 2).await;
    let other = ferry::apply::Target::Sandbox { scenario: "node-shop".into() };
    let h = Harness::with_runs_on(sandbox, dir.path(), other).await;
    assert_eq!(h.app.overlay, None, "the state folder's runs of other accounts are not this wizard's");
    assert!(h.app.unfinished.runs.is_empty());
}
