//! The wizard past Verify: the cutover planned with `p`, approved by hash with `a` and `y`, its
//! stages and gates shown as they run, a failed gate on screen, the finalize, and the old
//! stack's checklist on Retire, each removal journaled. Everything runs on the sandbox through
//! the same engine the headless commands use.

use crate::common;

use std::sync::Arc;

use common::{Harness, approve, approve_and_apply, walk_to_plan};
use ferry::apply::RunStatus;
use ferry::cloud::ReadCloud;
use ferry::cloud::sandbox::{Sandbox, SandboxOptions, Scenario};
use ferry::model::DnsRecord;
use ferry::tui::{Overlay, Step};
use ratatui::crossterm::event::KeyCode;

/// Run ids, hashes and timings change from run to run; everything else on screen must not.
fn assert_screen(name: &str, screen: &str) {
    insta::with_settings!({
        filters => vec![
            (r"\d{8}T\d{6}Z-shop-api-[0-9a-f]{12}", "[run-id]"),
            (r"\d{8}T\d{6}Z-shop-api-[0-9a-f]{0,11}…", "[run-id]…"),
            (r"\d{8}T\d{6}Z-shop-[0-9a-f]{0,11}…?", "[run-id]"),
            (r"\b\d+\.\ds\b", "[t]"),
            (r"\b\d+m \d\ds\b", "[t]"),
            (r"\b[0-9a-f]{64}\b", "[sha256]"),
            (r"plan [0-9a-f]{8}", "plan [hash]"),
            (r"\b\d+(\.\d)? / \d+(\.\d)? ms *", "[p50] / [p95] ms "),
            (r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z", "[time]"),
        ],
        prepend_module_to_snapshot => false,
    }, {
        insta::assert_snapshot!(name, screen);
    });
}

/// The demo with runs journaled in `dir`, its migration applied, on the Cutover step.
async fn on_cutover(sandbox: Sandbox, dir: &std::path::Path) -> Harness {
    let mut h = Harness::with_runs(Arc::new(sandbox), dir).await;
    walk_to_plan(&mut h).await;
    approve_and_apply(&mut h).await;
    assert_eq!(h.app.run.as_ref().map(|r| r.phase.clone()), Some(RunStatus::Applied), "{}", h.screen());
    h.press(KeyCode::Enter).await;
    assert_eq!(h.app.step, Step::Verify);
    h.press(KeyCode::Enter).await;
    assert_eq!(h.app.step, Step::Cutover, "Enter on Verify moves on to the Cutover:\n{}", h.screen());
    h
}

fn instant() -> Sandbox {
    Sandbox::load("node-shop", SandboxOptions::instant()).unwrap()
}

/// The bundled scenario with its new side answering 5 % of requests with a 5xx.
fn failing_new_side() -> Sandbox {
    let text = include_str!("../../assets/scenarios/node-shop.toml");
    let failing = text.replacen("error_rate = 0.001", "error_rate = 0.05", 1);
    assert_ne!(failing, text, "the new side's error rate is in the bundled scenario");
    Sandbox::new(&Scenario::parse(&failing, "failing-new-side.toml").unwrap(), SandboxOptions::instant())
}

async fn shop_records(sandbox: &Sandbox) -> Vec<DnsRecord> {
    let zone = sandbox.hosted_zones().await.unwrap().into_iter().find(|z| z.name == "example.com.").unwrap();
    let mut records = sandbox.records(&zone.id).await.unwrap();
    records.retain(|r| r.name == "shop.example.com.");
    records
}

/// `a`, a reason for each deny, then `y`: the plan's run, to its end.
async fn approve_traffic_plan(h: &mut Harness) {
    approve(h);
    let screen = h.screen();
    h.press(KeyCode::Char('y')).await;
    assert!(screen.contains("Apply cutover plan") || screen.contains("Apply finalize plan"), "{screen}");
}

#[tokio::test]
async fn the_wizard_moves_the_traffic_in_gated_stages_finalizes_and_lists_the_old_stack() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = on_cutover(instant(), dir.path()).await;
    let before = shop_records(&h.sandbox).await;
    assert_screen("11_cutover_intro", &h.screen());

    h.press(KeyCode::Char('p')).await;
    assert_screen("11_cutover_plan", &h.screen());
    assert_eq!(shop_records(&h.sandbox).await, before, "planning changes nothing");

    approve(&mut h);
    assert_screen("11_cutover_confirm", &h.screen());
    h.press(KeyCode::Char('y')).await;
    let cutover = h.app.traffic.cutover.as_ref().expect("the cutover runs in its own lane");
    assert_eq!(cutover.phase, RunStatus::Applied, "{}", h.screen());
    assert_eq!(h.app.run.as_ref().unwrap().phase, RunStatus::Applied, "the migration's run stays beside it");
    assert_screen("11_cutover_applied", &h.screen());
    let weights: Vec<_> = shop_records(&h.sandbox).await.iter().map(|r| (r.set_identifier.clone(), r.weight)).collect();
    assert!(weights.contains(&(Some("ferry-new".into()), Some(100))), "all traffic on the new side: {weights:?}");

    // Verify probes again once the weights moved: the live weights, not the ones before.
    h.app.step = Step::Verify;
    h.send(ferry::tui::Msg::Tick);
    h.settle().await;
    let screen = h.screen();
    assert!(screen.contains("old 0 / new 100 (weighted: 100 % to the new service)"), "{screen}");
    assert!(screen.contains("gate at 100 % passed"), "the gates' figures are on Verify too:\n{screen}");
    assert!(!screen.contains("no cutover yet"), "{screen}");

    // The migration cannot be rolled back under the moved traffic.
    h.app.step = Step::Apply;
    h.key(KeyCode::Char('r'));
    assert_eq!(h.app.overlay, None);
    assert!(h.app.status.as_deref().unwrap_or_default().contains("roll the cutover back first"), "{:?}", h.app.status);
    h.app.step = Step::Cutover;

    // Retire refuses before the finalize.
    h.press(KeyCode::Char('p')).await;
    approve_traffic_plan(&mut h).await;
    assert_eq!(h.app.traffic.finalize.as_ref().map(|r| r.phase.clone()), Some(RunStatus::Applied), "{}", h.screen());
    let records = shop_records(&h.sandbox).await;
    assert!(records.iter().all(|r| r.set_identifier.is_none()), "plain records once finalized: {records:?}");

    h.press(KeyCode::Enter).await;
    assert_eq!(h.app.step, Step::Retire, "{}", h.screen());
    assert_screen("12_retire", &h.screen());
    let checklist = h.app.traffic.checklist.ready().expect("the old stack is listed").clone();
    assert!(checklist.items.iter().any(|i| i.id == "instance"), "{:?}", checklist.items);
    let first = checklist.items[0].id.clone();
    h.press(KeyCode::Char('x')).await;
    assert_eq!(h.app.status.as_deref(), Some(format!("journaled: {first} removed").as_str()));
    let journaled = ferry::decommission::confirmations(&dir.path().join("runs"), &checklist.run_id).unwrap();
    assert_eq!(journaled.iter().map(|c| c.item.as_str()).collect::<Vec<_>>(), [first.as_str()]);
    assert!(h.screen().contains("[x]"), "{}", h.screen());
}

#[tokio::test]
async fn a_failed_gate_is_shown_with_its_figure_and_the_cutover_rolls_back_to_the_records_as_they_were() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = on_cutover(failing_new_side(), dir.path()).await;
    let before = shop_records(&h.sandbox).await;
    h.press(KeyCode::Char('p')).await;
    approve_traffic_plan(&mut h).await;

    assert_eq!(h.app.overlay, Some(Overlay::FailureChoice), "a failed gate asks what to do:\n{}", h.screen());
    assert_eq!(h.app.step, Step::Cutover);
    assert_screen("11_cutover_gate_failed_choice", &h.screen());
    h.press(KeyCode::Char('s')).await;
    let screen = h.screen();
    assert!(screen.contains("5xx rate 5.0% on the new load balancer is over the 1.0% limit"), "{screen}");
    assert!(screen.contains("back on the old stack"), "{screen}");
    assert_screen("11_cutover_gate_failed", &screen);
    let weights: Vec<_> = shop_records(&h.sandbox).await.iter().map(|r| (r.set_identifier.clone(), r.weight)).collect();
    assert!(weights.iter().all(|(id, w)| (id.as_deref() == Some("ferry-old")) == (*w == Some(100))), "{weights:?}");

    // r on Cutover rolls the cutover back, not the migration.
    h.key(KeyCode::Char('r'));
    assert_eq!(h.app.overlay, Some(Overlay::ConfirmRollback), "{}", h.screen());
    h.press(KeyCode::Char('y')).await;
    assert_eq!(h.app.traffic.cutover.as_ref().unwrap().phase, RunStatus::RolledBack, "{}", h.screen());
    assert_eq!(shop_records(&h.sandbox).await, before, "the records are back exactly as they were");
    assert_eq!(h.app.run.as_ref().unwrap().phase, RunStatus::Applied, "the migration stands");

    // With the traffic back, the migration itself can go.
    h.app.step = Step::Apply;
    common::roll_back(&mut h).await;
    assert_eq!(h.app.run.as_ref().unwrap().phase, RunStatus::RolledBack, "{}", h.screen());
}

#[tokio::test]
async fn retire_says_why_before_the_cutover_is_finalized_and_cutover_waits_for_an_applied_migration() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = Harness::with_runs(Arc::new(instant()), dir.path()).await;
    walk_to_plan(&mut h).await;
    h.app.step = Step::Cutover;
    h.key(KeyCode::Char('p'));
    assert!(h.screen().contains("Nothing is deployed yet"), "{}", h.screen());
    assert!(h.app.traffic.cutover_plan.after.is_none(), "no plan is asked for before the migration runs");

    h.app.step = Step::Plan;
    approve_and_apply(&mut h).await;
    h.app.step = Step::Retire;
    h.send(ferry::tui::Msg::Tick);
    h.settle().await;
    let screen = h.screen();
    assert!(screen.contains("not finalized"), "{screen}");
    h.key(KeyCode::Char('x'));
    assert!(h.app.traffic.checklist.ready().is_none());
}

#[tokio::test]
async fn the_cutover_steps_draw_at_80x24_with_the_current_step_in_the_breadcrumb() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = on_cutover(instant(), dir.path()).await;
    h.press(KeyCode::Char('p')).await;
    let small = common::render(&h.app, 80, 24);
    assert!(small.lines().nth(1).unwrap().contains("● Cutover"), "{small}");
    assert_screen("11_cutover_plan_80x24", &small);
    for (width, height) in [(20, 5), (1, 1), (60, 12), (200, 3), (10, 40)] {
        common::render(&h.app, width, height);
    }
}
