//! Every wizard step drawn at 120x40 with ratatui's TestBackend, compared with insta snapshots.

use crate::common;

use common::{Harness, approve_and_apply, walk_to_plan};
use ferry::apply::ApplyEvent;
use std::sync::Arc;

use ferry::cloud::sandbox::{FailAt, FaultKind, Sandbox, SandboxOptions};
use ferry::tui::{Lane, Msg, Overlay, Step};
use ratatui::crossterm::event::KeyCode;

/// Run ids and timings change from run to run; everything else on screen must not.
fn assert_screen(name: &str, screen: &str) {
    insta::with_settings!({
        filters => vec![
            (r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ-shop-api-[0-9a-f]{4}", "[run-id]"),
            (r"\d{8}T\d{6}Z-shop-api-[0-9a-f]{12}", "[run-id]"),
            (r"\d{8}T\d{6}Z-shop-api-[0-9a-f]{0,11}…", "[run-id]…"),
            (r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d", "[time]"),
            (r"\b\d+\.\ds\b", "[t]"),
            // Verify's probe latencies.
            (r"\b\d+(\.\d)? / \d+(\.\d)? ms *", "[p50] / [p95] ms "),
            // The plan names the folder it builds from, so its hash differs between clones.
            (r"planned again \([0-9a-f]{8}\)", "planned again ([plan hash])"),
        ],
        prepend_module_to_snapshot => false,
    }, {
        insta::assert_snapshot!(name, screen);
    });
}

async fn at_step(step: Step) -> Harness {
    let mut h = Harness::demo(SandboxOptions::instant()).await;
    while h.app.step != step {
        h.press(KeyCode::Enter).await;
    }
    h
}

#[tokio::test]
async fn source_step() {
    let h = Harness::demo(SandboxOptions::instant()).await;
    assert_screen("01_source", &h.screen());
}

/// A laptop terminal: the details go below the list, whole, rather than beside it in a sliver.
#[tokio::test]
async fn source_step_at_80x24() {
    let h = Harness::demo(SandboxOptions::instant()).await;
    assert_screen("01_source_80x24", &common::render(&h.app, 80, 24));
}

#[tokio::test]
async fn source_step_filtered() {
    let mut h = Harness::demo(SandboxOptions::instant()).await;
    h.char('/');
    h.type_text("shop");
    assert_screen("01_source_filtered", &h.screen());
}

#[tokio::test]
async fn load_balancer_step() {
    assert_screen("02_load_balancer", &at_step(Step::LoadBalancer).await.screen());
}

#[tokio::test]
async fn discovery_in_progress() {
    let mut h = Harness::demo(SandboxOptions::instant()).await;
    // Enter without settling: the discovery task has not answered yet.
    h.key(KeyCode::Enter);
    assert_screen("02_load_balancer_discovering", &h.screen());
    h.settle().await;
}

#[tokio::test]
async fn iam_step() {
    assert_screen("03_iam", &at_step(Step::Iam).await.screen());
}

#[tokio::test]
async fn data_stores_step() {
    assert_screen("04_data_stores", &at_step(Step::DataStores).await.screen());
}

#[tokio::test]
async fn container_step() {
    assert_screen("05_container", &at_step(Step::Container).await.screen());
}

#[tokio::test]
async fn service_step() {
    assert_screen("06_service", &at_step(Step::Service).await.screen());
}

#[tokio::test]
async fn service_step_config_focused_and_scrolled() {
    let mut h = at_step(Step::Service).await;
    h.key(KeyCode::Tab);
    for _ in 0..20 {
        h.char('j');
    }
    assert_screen("06_service_config_scrolled", &h.screen());
}

#[tokio::test]
async fn plan_step() {
    assert_screen("07_plan", &at_step(Step::Plan).await.screen());
}

#[tokio::test]
async fn plan_override_prompt() {
    let mut h = at_step(Step::Plan).await;
    h.char('a');
    h.type_text("fine");
    h.key(KeyCode::Enter);
    assert_screen("07_plan_override", &h.screen());
}

#[tokio::test]
async fn plan_confirmation() {
    let mut h = at_step(Step::Plan).await;
    common::approve(&mut h);
    assert_screen("07_plan_confirm", &h.screen());
}

#[tokio::test]
async fn apply_step_running() {
    let mut h = at_step(Step::Plan).await;
    common::approve(&mut h);
    h.char('y');
    // Feed the first events by hand so the frame is the same on every machine.
    h.send(Msg::Apply(
        Lane::Migration,
        ApplyEvent::RunStarted { run_id: "2026-11-25T10:14:00Z-shop-api".into(), plan_hash: String::new(), steps: 11 },
    ));
    h.send(Msg::Apply(Lane::Migration, ApplyEvent::StepStarted { step: 0 }));
    h.send(Msg::Apply(
        Lane::Migration,
        ApplyEvent::StepDone { step: 0, elapsed_ms: 400, summary: "repository created".into() },
    ));
    h.send(Msg::Apply(Lane::Migration, ApplyEvent::StepStarted { step: 1 }));
    h.send(Msg::Apply(Lane::Migration, ApplyEvent::StepProgress { step: 1, message: "building linux/amd64".into() }));
    assert_screen("08_apply_running", &h.screen());
}

#[tokio::test]
async fn apply_step_applied() {
    let mut h = Harness::demo(SandboxOptions::instant()).await;
    walk_to_plan(&mut h).await;
    approve_and_apply(&mut h).await;
    assert_screen("08_apply_applied", &h.screen());
}

#[tokio::test]
async fn apply_step_failed() {
    let options = SandboxOptions { fail_at: Some("create-secret".parse().unwrap()), ..SandboxOptions::instant() };
    let mut h = Harness::demo(options).await;
    walk_to_plan(&mut h).await;
    approve_and_apply(&mut h).await;
    assert_screen("08_apply_failure_choice", &h.screen());
    h.press(KeyCode::Char('s')).await;
    assert_screen("08_apply_failed", &h.screen());
}

#[tokio::test]
async fn apply_step_resumed() {
    let options = SandboxOptions { fail_at: Some(FailAt::step(6, FaultKind::Before)), ..SandboxOptions::instant() };
    let mut h = Harness::demo(options).await;
    walk_to_plan(&mut h).await;
    approve_and_apply(&mut h).await;
    h.press(KeyCode::Char('s')).await;
    h.press(KeyCode::Char('c')).await;
    assert_screen("08_apply_resumed", &h.screen());
}

#[tokio::test]
async fn apply_step_refused() {
    let mut h = Harness::demo(SandboxOptions::instant()).await;
    walk_to_plan(&mut h).await;
    let action = ferry::plan::Action::CreateEcrRepository { name: "shop-api".into(), tags: Vec::new() };
    ferry::cloud::Cloud::execute(h.sandbox.as_ref(), &action, &|_| {}).await.unwrap();
    approve_and_apply(&mut h).await;
    assert_screen("08_apply_refused", &h.screen());
}

#[tokio::test]
async fn unfinished_runs_at_start() {
    let dir = tempfile::tempdir().unwrap();
    let sandbox = Arc::new(Sandbox::load("node-shop", SandboxOptions::instant()).unwrap());
    common::interrupted_run(&sandbox, dir.path(), 3).await;
    let mut h = Harness::with_runs(sandbox, dir.path()).await;
    assert_screen("10_unfinished_runs", &h.screen());

    // r takes the run up on the Apply step and asks before rolling back; n keeps it there.
    h.char('r');
    assert_screen("10_unfinished_confirm_rollback", &h.screen());
    h.char('n');
    assert_screen("08_apply_interrupted", &h.screen());
}

#[tokio::test]
async fn apply_step_rolled_back() {
    let mut h = Harness::demo(SandboxOptions::instant()).await;
    walk_to_plan(&mut h).await;
    approve_and_apply(&mut h).await;
    common::roll_back(&mut h).await;
    assert_screen("08_apply_rolled_back", &h.screen());
}

#[tokio::test]
async fn verify_step() {
    let mut h = Harness::demo(SandboxOptions::instant()).await;
    walk_to_plan(&mut h).await;
    approve_and_apply(&mut h).await;
    h.press(KeyCode::Enter).await;
    assert_eq!(h.app.step, Step::Verify);
    assert_screen("09_verify", &h.screen());
}

#[tokio::test]
async fn help_overlay() {
    let mut h = at_step(Step::DataStores).await;
    h.char('?');
    assert_screen("help_data_stores", &h.screen());
}

#[tokio::test]
async fn every_step_draws_in_tiny_terminals_without_panicking() {
    let mut h = Harness::demo(SandboxOptions::instant()).await;
    walk_to_plan(&mut h).await;
    approve_and_apply(&mut h).await;
    let overlays = [
        None,
        Some(Overlay::Help),
        Some(Overlay::ConfirmRollback),
        Some(Overlay::FailureChoice),
        Some(Overlay::UnfinishedRuns),
        Some(Overlay::ConfirmQuit),
    ];
    for step in Step::ALL {
        h.app.step = step;
        for overlay in overlays.clone() {
            h.app.overlay = overlay;
            for (width, height) in [(20, 5), (1, 1), (60, 12), (200, 3), (10, 40)] {
                common::render(&h.app, width, height);
            }
        }
    }
    let mut h = at_step(Step::Plan).await;
    h.char('a');
    for overlay in [Overlay::OverrideDeny, Overlay::ConfirmApply] {
        h.app.overlay = Some(overlay);
        for (width, height) in [(20, 5), (1, 1), (60, 12), (200, 3), (10, 40)] {
            common::render(&h.app, width, height);
        }
    }
}

/// The Container step of the Fastify app that requires COOKIE_SECRET, with `s` pressed: the
/// prompt starts on that secret.
async fn secret_prompt_open() -> Harness {
    let mut h = Harness::demo(SandboxOptions::instant()).await;
    let app = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/apps/node-fastify-env");
    let files = ferry::analyze::AppFiles::read(&app).expect("fixture reads");
    h.app.app_folder = Some(ferry::tui::AppFolder::from_flag("/srv/node-fastify-env".into(), files));
    while h.app.step != Step::Container {
        h.press(KeyCode::Enter).await;
    }
    h.char('s');
    assert_eq!(h.app.overlay, Some(Overlay::SecretSource));
    h
}

#[tokio::test]
async fn container_secret_prompt() {
    let h = secret_prompt_open().await;
    assert_screen("05_container_secret_prompt", &h.screen());
    assert_screen("05_container_secret_prompt_80x24", &common::render(&h.app, 80, 24));
}

#[tokio::test]
async fn container_secret_prompt_with_an_error() {
    let mut h = secret_prompt_open().await;
    h.send(Msg::Key(ratatui::crossterm::event::KeyEvent::new(
        KeyCode::Char('u'),
        ratatui::crossterm::event::KeyModifiers::CONTROL,
    )));
    h.type_text("COOKIE_SECRET=vault:x");
    h.key(KeyCode::Enter);
    assert_screen("05_container_secret_error_80x24", &common::render(&h.app, 80, 24));
}

/// After Enter: the secret is given, the finding gone, and the fact names where it is read.
#[tokio::test]
async fn container_with_a_secret_given() {
    let mut h = secret_prompt_open().await;
    let before = h.app.migration().expect("planned").plan.hash.clone();
    h.type_text("NOTES_COOKIE");
    h.key(KeyCode::Enter);
    let after = h.app.migration().expect("planned again").plan.clone();
    assert_ne!(after.hash, before, "a new secret source is a new plan");
    let status = h.app.status.clone().unwrap_or_default();
    assert!(status.contains(after.short_hash()), "the status names the new plan: {status}");
    assert_screen("05_container_secret_given", &h.screen());
}

#[tokio::test]
async fn the_secret_prompt_draws_in_tiny_terminals() {
    let mut h = secret_prompt_open().await;
    h.type_text("vault:x");
    h.key(KeyCode::Enter);
    for (width, height) in [(1, 1), (10, 4), (20, 5), (30, 8), (50, 12), (200, 3), (10, 40)] {
        common::render(&h.app, width, height);
    }
}

#[tokio::test]
async fn the_help_keeps_its_last_line_at_80x24_and_says_what_each_step_changes() {
    let mut h = Harness::demo(SandboxOptions::instant()).await;
    walk_to_plan(&mut h).await;
    approve_and_apply(&mut h).await;
    for (step, says) in [
        (Step::Container, "Nothing changes in the account until you approve the plan"),
        (Step::Service, "Nothing changes in the account until you approve the plan"),
        (Step::Plan, "Nothing changes in the account until you approve the plan"),
        (Step::Apply, "Nothing changes in the account until you approve the plan"),
        (Step::Verify, "Verify only reads"),
        (Step::Cutover, "Nothing moves until you approve the cutover plan"),
        (Step::Retire, "ferry removes nothing of the old stack"),
    ] {
        h.app.step = step;
        h.app.overlay = Some(Overlay::Help);
        let small = common::render(&h.app, 80, 24);
        let text: String = small.lines().map(|l| l.trim_matches('"').trim()).collect::<Vec<_>>().join(" ");
        assert!(text.contains("any key closes this help"), "{step:?}: the last line is there:\n{small}");
        let flat = text.replace(['│', ' '], "");
        assert!(flat.contains(&says.replace(' ', "")), "{step:?} says {says:?}:\n{small}");
    }
}

#[tokio::test]
async fn plan_actions_are_never_cut_at_80x24() {
    let mut h = at_step(Step::Plan).await;
    h.app.overlay = None;
    let small = common::render(&h.app, 80, 24);
    for verb in ["create ECR repository", "build and push image", "create role"] {
        assert!(small.contains(verb), "{verb:?} is whole at 80 columns:\n{small}");
    }
    assert!(!small.contains("create sec ") && !small.contains("create rol "), "{small}");
}

#[tokio::test]
async fn panes_never_scroll_past_their_end_into_a_blank_pane() {
    let mut h = at_step(Step::Plan).await;
    h.app.screens.plan.checks_scroll = 500;
    h.app.screens.plan.detail_scroll = 500;
    let screen = h.screen();
    // The lower panes fill the bottom of the frame: past their end, their rows would be empty.
    let lower: Vec<&str> = screen.lines().skip(25).take(14).collect();
    let filled = |range: std::ops::Range<usize>| {
        lower
            .iter()
            .filter(|l| l.chars().skip(range.start).take(range.len()).any(|c| !c.is_whitespace() && !"│\"".contains(c)))
            .count()
    };
    assert!(filled(2..58) >= 10, "the checks pane shows its last lines:\n{screen}");
    assert!(filled(62..118) >= 10, "the step pane shows its last lines:\n{screen}");
}

#[tokio::test]
async fn an_armed_fault_is_in_the_header_and_one_past_the_plan_is_refused() {
    let mut h = at_step(Step::Plan).await;
    h.app.fault = Some("99".parse().unwrap());
    let screen = h.screen();
    assert!(screen.lines().next().unwrap().contains("FAULT --fail-at 99"), "{screen}");
    h.key(KeyCode::Char('a'));
    assert_eq!(h.app.overlay, None, "not approved");
    let status = h.app.status.clone().unwrap_or_default();
    assert!(status.contains("--fail-at 99 is past this plan's") && status.contains("never strike"), "{status}");

    h.app.fault = Some("5".parse().unwrap());
    h.key(KeyCode::Char('a'));
    assert!(h.app.overlay.is_some(), "a fault inside the plan is approved as usual");
}
