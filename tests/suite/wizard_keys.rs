//! `update` without a terminal: keys, gates and the state they leave.

use crate::common;

use common::{Harness, walk_to_plan};
use ferry::cloud::sandbox::SandboxOptions;
use ferry::tui::{App, Loadable, Mode, Msg, Overlay, Step, update};
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

fn key(code: KeyCode) -> Msg {
    Msg::Key(KeyEvent::new(code, KeyModifiers::NONE))
}

#[test]
fn enter_waits_for_the_instance_list() {
    let mut app = App::new(Mode::Sandbox, "node-shop", None);
    assert!(update(&mut app, key(KeyCode::Enter)).is_none(), "nothing to discover yet");
    assert_eq!(app.step, Step::Source);
}

#[test]
fn q_quits_when_idle_and_question_mark_opens_help() {
    let mut app = App::new(Mode::Sandbox, "node-shop", None);
    update(&mut app, key(KeyCode::Char('?')));
    assert_eq!(app.overlay, Some(Overlay::Help));
    update(&mut app, key(KeyCode::Char('q')));
    assert_eq!(app.overlay, None, "any key closes the help, even q");
    assert!(!app.should_quit);
    let command = update(&mut app, key(KeyCode::Char('q')));
    assert!(app.should_quit && matches!(command, Some(ferry::tui::Command::Quit)));
}

#[test]
fn ctrl_c_quits() {
    let mut app = App::new(Mode::Sandbox, "node-shop", None);
    update(&mut app, Msg::Key(KeyEvent::new(KeyCode::Char('c'), KeyModifiers::CONTROL)));
    assert!(app.should_quit);
}

#[test]
fn a_failed_instance_list_is_shown_not_panicked_on() {
    let mut app = App::new(Mode::Sandbox, "node-shop", None);
    update(&mut app, Msg::InstancesLoaded(Err("AccessDenied: ec2:DescribeInstances".into())));
    update(&mut app, key(KeyCode::Enter));
    assert_eq!(app.step, Step::Source);
    let screen = common::render(&app, 120, 40);
    assert!(screen.contains("Cannot list instances") && screen.contains("ec2:DescribeInstances"));
}

/// The Behind column says what fronts each instance once the account is read, and "unread"
/// rather than "—" when the load balancers' targets could not be read.
#[tokio::test]
async fn the_source_list_says_what_fronts_each_instance_or_that_it_could_not_tell() {
    let mut h = Harness::demo(SandboxOptions::instant()).await;
    let row = |h: &Harness| h.screen().lines().find(|l| l.contains("● shop-api-prod")).unwrap_or_default().to_string();
    assert!(row(&h).contains("shop.example.com"), "{}", h.screen());
    let refused = ferry::model::Unseen {
        what: "target groups".into(),
        missing_action: Some("elasticloadbalancing:DescribeTargetGroups".into()),
        reason: "AccessDenied".into(),
    };
    let fronts =
        ferry::discover::Fronts { by_instance: Default::default(), routes_unread: true, unseen: vec![refused] };
    h.send(Msg::FrontsRead(Box::new(fronts)));
    let row = row(&h);
    assert!(row.contains("unread") && !row.contains("shop.example.com"), "{row}");
}

#[tokio::test]
async fn the_app_instance_is_preselected_and_the_filter_narrows_the_list() {
    let mut h = Harness::demo(SandboxOptions::instant()).await;
    let selected = ferry::tui::Step::Source;
    assert_eq!(h.app.step, selected);
    let screen = h.screen();
    assert!(screen.contains("› ● shop-api-prod"), "{screen}");

    h.char('/');
    h.type_text("grafana");
    // While the filter takes text, q is a letter, not quit.
    h.char('q');
    assert!(!h.app.should_quit);
    h.key(KeyCode::Backspace);
    h.key(KeyCode::Enter);
    assert!(!h.app.screens.source.list.editing);
    let screen = h.screen();
    assert!(screen.contains("Instances (1/6) /grafana"), "{screen}");
    assert!(screen.contains("metrics-grafana") && !screen.contains("shop-worker"));

    // Enter discovers the filtered selection.
    h.press(KeyCode::Enter).await;
    assert_eq!(h.app.migration_for.as_deref(), Some("i-0fedcba9876543210"));
    assert!(matches!(h.app.migration, Loadable::Ready(_)));
}

#[tokio::test]
async fn escape_clears_the_filter_and_moves_back_a_step() {
    let mut h = Harness::demo(SandboxOptions::instant()).await;
    h.char('/');
    h.type_text("nothing-matches");
    assert!(h.screen().contains("No instance matches the filter."));
    h.key(KeyCode::Esc);
    assert_eq!(h.app.screens.source.list.filter, "");
    h.press(KeyCode::Enter).await;
    assert_eq!(h.app.step, Step::LoadBalancer);
    h.key(KeyCode::Esc);
    assert_eq!(h.app.step, Step::Source);
}

#[tokio::test]
async fn moving_with_j_and_k_changes_the_instance() {
    let mut h = Harness::demo(SandboxOptions::instant()).await;
    h.char('j');
    h.key(KeyCode::Down);
    h.char('k');
    assert_eq!(h.app.screens.source.list.selected, 1);
    for _ in 0..20 {
        h.char('j');
    }
    assert_eq!(h.app.screens.source.list.selected, 5, "the selection stops at the last row");
}

#[tokio::test]
async fn enter_on_plan_does_not_apply_and_says_how() {
    let mut h = Harness::demo(SandboxOptions::instant()).await;
    walk_to_plan(&mut h).await;
    h.press(KeyCode::Enter).await;
    assert_eq!(h.app.step, Step::Plan);
    assert!(h.app.run.is_none());
    assert!(h.app.status.as_deref().unwrap_or("").contains("press a"));
}

#[tokio::test]
async fn verify_is_closed_until_the_plan_is_applied() {
    let mut h = Harness::demo(SandboxOptions::instant()).await;
    walk_to_plan(&mut h).await;
    h.app.step = Step::Apply;
    h.press(KeyCode::Enter).await;
    assert_eq!(h.app.step, Step::Apply);
}

#[tokio::test]
async fn a_late_discovery_for_another_instance_is_dropped() {
    let mut h = Harness::demo(SandboxOptions::instant()).await;
    h.press(KeyCode::Enter).await;
    let current = h.app.migration().map(|m| m.plan.hash.clone());
    h.send(Msg::MigrationReady { instance_id: "i-someone-else".into(), result: Err("late".into()) });
    assert_eq!(h.app.migration().map(|m| m.plan.hash.clone()), current);
}

#[tokio::test]
async fn the_footer_matches_the_help_for_every_step() {
    let mut h = Harness::demo(SandboxOptions::instant()).await;
    for _ in 0..6 {
        let hints = ferry::tui::hints(&h.app);
        let screen = h.screen();
        let footer = screen.lines().nth(39).unwrap_or_default().to_string();
        for hint in &hints {
            assert!(footer.contains(hint.label), "footer of {:?} shows {:?}: {footer}", h.app.step, hint.label);
        }
        h.char('?');
        let help = h.screen();
        for hint in &hints {
            assert!(help.contains(hint.label), "help of {:?} lists {:?}", h.app.step, hint.label);
        }
        h.key(KeyCode::Esc);
        h.press(KeyCode::Enter).await;
    }
}

async fn editing_service_json() -> Harness {
    let mut h = Harness::demo(SandboxOptions::instant()).await;
    while h.app.step != Step::Service {
        h.press(KeyCode::Enter).await;
    }
    h.key(KeyCode::Tab);
    h.char('e');
    assert!(h.app.screens.service.editor.is_some(), "e opens the focused artifact");
    h
}

#[tokio::test]
async fn an_invalid_service_config_is_refused_and_the_edit_kept() {
    let mut h = editing_service_json().await;
    let hash = h.app.migration().unwrap().plan.hash.clone();
    h.type_text("oops");
    h.send(Msg::Key(KeyEvent::new(KeyCode::Char('s'), KeyModifiers::CONTROL)));
    let editor = h.app.screens.service.editor.as_ref().expect("the editor stays open");
    assert!(editor.error.as_deref().unwrap_or("").starts_with("not saved: "), "{:?}", editor.error);
    assert!(editor.textarea.lines()[0].starts_with("oops"), "what was typed is still there");
    assert!(h.screen().contains("not saved"));
    assert_eq!(h.app.migration().unwrap().plan.hash, hash, "the plan did not change");

    // q is text while editing; Esc with changes asks before discarding.
    h.char('q');
    assert!(!h.app.should_quit);
    h.key(KeyCode::Esc);
    assert!(h.app.screens.service.editor.as_ref().is_some_and(|e| e.confirm_discard));
    h.key(KeyCode::Esc);
    assert!(h.app.screens.service.editor.is_none());
}

#[tokio::test]
async fn a_saved_edit_plans_again_with_a_new_hash() {
    let mut h = editing_service_json().await;
    let before = h.app.migration().unwrap().plan.hash.clone();
    let json = h.app.migration().unwrap().artifacts.service_json();
    let line = json.lines().position(|l| l.contains("\"maxTaskCount\"")).unwrap();
    for _ in 0..line {
        h.key(KeyCode::Down);
    }
    h.key(KeyCode::End);
    h.key(KeyCode::Backspace);
    h.key(KeyCode::Backspace);
    h.type_text("8,");
    h.send(Msg::Key(KeyEvent::new(KeyCode::Char('s'), KeyModifiers::CONTROL)));
    assert!(
        h.app.screens.service.editor.is_none(),
        "{:?}",
        h.app.screens.service.editor.as_ref().and_then(|e| e.error.clone())
    );
    let migration = h.app.migration().unwrap();
    assert_eq!(migration.artifacts.service_config.scaling_target.max_task_count, 8);
    assert_ne!(migration.plan.hash, before);
    assert!(h.app.status.as_deref().unwrap_or("").contains(migration.plan.short_hash()));
}

#[tokio::test]
async fn quitting_with_an_unsaved_edit_asks_first() {
    let mut h = editing_service_json().await;
    h.char('x');
    h.send(Msg::Key(KeyEvent::new(KeyCode::Char('c'), KeyModifiers::CONTROL)));
    assert_eq!(h.app.overlay, Some(Overlay::ConfirmQuit));
    assert!(!h.app.should_quit);
}

#[tokio::test]
async fn another_instance_cannot_be_chosen_while_a_run_is_open() {
    let mut h = Harness::demo(SandboxOptions::instant()).await;
    walk_to_plan(&mut h).await;
    common::approve_and_apply(&mut h).await;
    while h.app.step != Step::Source {
        h.key(KeyCode::Esc);
    }
    h.char('j');
    h.press(KeyCode::Enter).await;
    assert_eq!(h.app.step, Step::Source, "the other instance is refused");
    assert!(h.app.status.as_deref().unwrap_or("").contains("roll it back"));
    assert_eq!(h.app.migration_for.as_deref(), Some("i-0a1b2c3d4e5f60718"));
}

const DENY: &str = "wildcard-iam:AmazonSESFullAccess:ses:*";

fn ctrl(c: char) -> Msg {
    Msg::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL))
}

fn typed_reason(h: &Harness) -> String {
    h.app.approval.as_ref().map(|a| a.input.lines().concat()).unwrap_or_default()
}

#[tokio::test]
async fn a_deny_is_overridden_only_with_a_reason_long_enough() {
    let mut h = Harness::demo(SandboxOptions::instant()).await;
    walk_to_plan(&mut h).await;
    let screen = h.screen();
    assert!(screen.contains(&format!("id {DENY}")) && screen.contains("needs a reason to override (a)"), "{screen}");

    h.char('a');
    assert_eq!(h.app.overlay, Some(Overlay::OverrideDeny), "a deny asks for a reason first");
    let screen = h.screen();
    assert!(screen.contains("Deny 1 of 1") && screen.contains(DENY) && screen.contains("0/12 characters"), "{screen}");

    // Eleven characters that count, however many spaces: refused, and the prompt stays.
    h.type_text("too   short,  ok");
    assert!(h.screen().contains("11/12 characters"), "{}", h.screen());
    h.key(KeyCode::Enter);
    assert_eq!(h.app.overlay, Some(Overlay::OverrideDeny));
    assert!(h.screen().contains("too short (11 of 12)"), "{}", h.screen());
    assert!(h.app.approval.as_ref().unwrap().overrides.is_empty());

    h.send(ctrl('u'));
    h.type_text(common::REASON);
    assert!(h.screen().contains("✓ 38 characters"), "{}", h.screen());
    h.key(KeyCode::Enter);
    assert_eq!(h.app.overlay, Some(Overlay::ConfirmApply));
    let hash = h.app.migration().unwrap().plan.hash.clone();
    let screen = h.screen();
    assert!(screen.contains(&format!("sha256 {hash}")), "the whole hash is shown:\n{screen}");
    assert!(screen.contains("Overriding 1 deny") && screen.contains(common::REASON), "{screen}");

    let command = update(&mut h.app, key(KeyCode::Char('y')));
    let Some(ferry::tui::Command::Apply { approved, .. }) = command else { panic!("y applies: {command:?}") };
    let expected = ferry::plan::Override { check_id: DENY.into(), reason: common::REASON.into() };
    assert_eq!(approved.overrides(), vec![expected.clone()], "the reason reaches the approval");
    assert_eq!(h.app.run.as_ref().unwrap().overrides, vec![expected]);
}

#[tokio::test]
async fn escape_cancels_the_whole_approval() {
    let mut h = Harness::demo(SandboxOptions::instant()).await;
    let before = h.account();
    walk_to_plan(&mut h).await;
    h.char('a');
    h.type_text("half a reason");
    h.key(KeyCode::Esc);
    assert_eq!(h.app.overlay, None);
    assert!(h.app.approval.is_none() && h.app.run.is_none());
    assert!(h.app.status.as_deref().unwrap_or("").contains("approval cancelled"));
    assert_eq!(h.account(), before);

    // n at the confirmation cancels too; the reason written is kept for this plan.
    common::approve(&mut h);
    h.char('n');
    assert_eq!(h.app.overlay, None);
    assert!(h.app.run.is_none());
    assert!(h.screen().contains("reason written, not applied yet"), "{}", h.screen());
    h.char('a');
    assert_eq!(typed_reason(&h), common::REASON, "approving the same plan again starts from the reason");
    h.key(KeyCode::Esc);
}

#[tokio::test]
async fn reasons_are_dropped_when_the_plan_changes() {
    let mut h = Harness::demo(SandboxOptions::instant()).await;
    walk_to_plan(&mut h).await;
    common::approve(&mut h);
    h.char('n');
    change_the_plan(&mut h, "LOG_LEVEL", "debug");
    h.send(Msg::Tick);
    h.char('a');
    assert_eq!(h.app.overlay, Some(Overlay::OverrideDeny));
    assert_eq!(typed_reason(&h), "", "a changed plan is reviewed afresh");
}

/// Adds an environment variable to the service: a new plan, with a new hash.
fn change_the_plan(h: &mut Harness, name: &str, value: &str) {
    if let Loadable::Ready(migration) = &mut h.app.migration {
        let mut artifacts = migration.artifacts.clone();
        let pair = ferry::model::KeyValuePair { name: name.into(), value: value.into() };
        artifacts.service_config.primary_container.environment.push(pair);
        **migration = migration.as_ref().clone().with_artifacts(artifacts);
    }
}

#[tokio::test]
async fn every_deny_gets_its_own_reason() {
    let mut h = Harness::demo(SandboxOptions::instant()).await;
    walk_to_plan(&mut h).await;
    change_the_plan(&mut h, "DB_PASSWORD", "hunter2");
    assert!(h.screen().contains("2 denied"), "{}", h.screen());
    h.char('a');
    assert!(h.screen().contains("Deny 1 of 2"));
    h.type_text("first reason, long enough");
    h.key(KeyCode::Enter);
    assert_eq!(h.app.overlay, Some(Overlay::OverrideDeny));
    assert!(h.screen().contains("Deny 2 of 2"), "{}", h.screen());
    assert_eq!(typed_reason(&h), "", "each deny starts empty");
    h.type_text("second reason, long enough");
    h.key(KeyCode::Enter);
    assert_eq!(h.app.overlay, Some(Overlay::ConfirmApply));
    let screen = h.screen();
    assert!(screen.contains("Overriding 2 denies") && screen.contains("second reason"), "{screen}");
    let overrides = &h.app.approval.as_ref().unwrap().overrides;
    assert_eq!(overrides.len(), 2);
    h.press(KeyCode::Char('y')).await;
    assert_eq!(common::banner(&h), "APPLIED");
}

#[tokio::test]
async fn a_read_only_backend_plans_but_cannot_apply() {
    let sandbox = ferry::cloud::sandbox::Sandbox::load("node-shop", SandboxOptions::instant()).unwrap();
    let mut h = Harness::read_only(sandbox).await;
    let before = h.account();
    walk_to_plan(&mut h).await;
    let screen = h.screen();
    assert!(screen.contains(" LIVE ") && screen.contains("apply (this backend only reads)"), "{screen}");
    h.key(KeyCode::Char('a'));
    assert_eq!(h.app.overlay, None, "no confirmation: nothing can be applied");
    assert!(h.app.status.as_deref().unwrap_or("").contains("ferry plan --out"));
    assert_eq!(h.account(), before);
}

#[tokio::test]
async fn a_run_that_never_started_holds_nothing_and_the_plan_can_be_approved_again() {
    let mut h = Harness::demo(SandboxOptions::instant()).await;
    walk_to_plan(&mut h).await;
    common::approve(&mut h);
    // y without running the command: the journal or audit log could not be opened.
    assert!(matches!(update(&mut h.app, key(KeyCode::Char('y'))), Some(ferry::tui::Command::Apply { .. })));
    update(&mut h.app, Msg::EngineFailed { what: "starting the run".into(), error: "disk full".into() });
    assert!(common::banner(&h).starts_with("NOT STARTED"), "{}", common::banner(&h));
    assert!(!h.app.has_open_run());
    assert!(!ferry::tui::hints(&h.app).iter().any(|hint| hint.keys == "c" || hint.keys == "r"));
    h.key(KeyCode::Esc);
    h.char('a');
    assert_eq!(h.app.overlay, Some(Overlay::OverrideDeny), "approving again is offered");
    assert_eq!(typed_reason(&h), common::REASON, "with the reason already written");
}

/// What stops this machine from running the plan (no container CLI, no build context) is said
/// on the Plan step, before approval, and keeps `a` from opening an approval bound to fail.
#[tokio::test]
async fn the_plan_step_says_what_this_machine_cannot_run() {
    let mut h = Harness::demo(SandboxOptions::instant()).await;
    walk_to_plan(&mut h).await;
    let hash = h.app.migration().unwrap().plan.hash.clone();
    assert_eq!(h.app.screens.plan.preflight_for(&hash), Some(&[][..]), "asked on arrival; the sandbox builds anywhere");
    assert!(!h.screen().contains("this machine cannot run it"));

    let problem = "step image: no container CLI found: install docker, podman or finch, or plan with --image URI";
    update(&mut h.app, Msg::PreflightDone { plan_hash: hash.clone(), problems: vec![problem.into()] });
    assert!(h.screen().contains("this machine cannot run it: step image: no container CLI"), "{}", h.screen());
    h.key(KeyCode::Char('a'));
    assert_eq!(h.app.overlay, None, "no approval for a plan this machine cannot run");
    assert!(h.app.status.as_deref().is_some_and(|s| s.contains("no container CLI")), "{:?}", h.app.status);

    // An answer about another plan says nothing about this one.
    update(&mut h.app, Msg::PreflightDone { plan_hash: "other".into(), problems: vec![problem.into()] });
    assert!(!h.screen().contains("this machine cannot run it"));
}

/// What each instance runs is a column of the list, and the filter finds instances by it.
#[tokio::test]
async fn the_instance_list_says_what_each_instance_runs() {
    let mut h = Harness::demo(SandboxOptions::instant()).await;
    let screen = h.screen();
    assert!(screen.contains("Runs") && screen.contains("i-0a1b2c3d4e5f60718 node 20"), "{screen}");
    h.key(KeyCode::Char('/'));
    for c in "node".chars() {
        h.key(KeyCode::Char(c));
    }
    let screen = h.screen();
    assert!(screen.contains("Instances (1/6)") && screen.contains("shop-api-prod"), "only the Node.js app: {screen}");
}

#[tokio::test]
async fn an_edit_that_makes_the_plan_invalid_cannot_be_approved() {
    let mut h = editing_service_json().await;
    let json = h.app.migration().unwrap().artifacts.service_json();
    let line = json.lines().position(|l| l.contains("\"cpu\"")).unwrap();
    for _ in 0..line {
        h.key(KeyCode::Down);
    }
    h.key(KeyCode::End);
    for _ in 0.."\"1024\",".len() {
        h.key(KeyCode::Backspace);
    }
    h.type_text("\"999\",");
    h.send(Msg::Key(KeyEvent::new(KeyCode::Char('s'), KeyModifiers::CONTROL)));
    assert!(
        h.app.screens.service.editor.is_none(),
        "{:?}",
        h.app.screens.service.editor.as_ref().and_then(|e| e.error.clone())
    );
    assert_eq!(h.app.migration().unwrap().artifacts.service_config.cpu, "999");
    while h.app.step != Step::Plan {
        h.press(KeyCode::Enter).await;
    }
    assert!(h.screen().contains("not valid, cannot be approved: cpu:"), "{}", h.screen());
    h.char('a');
    assert!(h.app.overlay.is_none(), "no approval opens: {:?}", h.app.overlay);
    let status = h.app.status.clone().unwrap_or_default();
    assert!(status.contains("not valid") && status.contains("cpu"), "{status}");
}
