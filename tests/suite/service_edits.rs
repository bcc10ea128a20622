//! The Service step as an operator reviews and edits what ships: edits judged as they are
//! typed by the rules approval applies, each problem at its line; the diff against what ferry
//! generated; the edited marker; revert; the facts under the panes following the edit; and
//! long lines scrolled sideways, never past their end. Snapshots at 80x24 and 160x48.

use crate::common;

use common::{Harness, render, walk_to_plan};
use ferry::cloud::sandbox::SandboxOptions;
use ferry::tui::{Msg, Overlay, Step};
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::style::Color;

const SIZES: [(u16, u16); 2] = [(80, 24), (160, 48)];

/// Plan hashes follow the folder a clone sits in; everything else on screen must not move.
fn assert_screens(name: &str, h: &Harness) {
    for (width, height) in SIZES {
        let screen = render(&h.app, width, height);
        insta::with_settings!({
            filters => vec![(r"plan (is now )?[0-9a-f]{8}", "plan [hash]")],
            prepend_module_to_snapshot => false,
        }, {
            insta::assert_snapshot!(format!("{name}_{width}x{height}"), screen);
        });
    }
}

async fn at_service() -> Harness {
    let mut h = Harness::demo(SandboxOptions::instant()).await;
    while h.app.step != Step::Service {
        h.press(KeyCode::Enter).await;
    }
    h
}

fn ctrl(h: &mut Harness, c: char) {
    h.send(Msg::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL)));
}

/// The 1-based line of service.json holding `key`.
fn line_of(h: &Harness, key: &str) -> usize {
    let json = h.app.migration().unwrap().artifacts.service_json();
    json.lines().position(|l| l.contains(&format!("\"{key}\""))).expect("the key is there") + 1
}

/// Opens service.json in the editor and types `value` for `key` in place of its value (the
/// rest of the line after `"key": `).
fn edit_value(h: &mut Harness, key: &str, value: &str) {
    h.key(KeyCode::Tab);
    h.char('e');
    let line = line_of(h, key);
    let text = h.app.screens.service.editor.as_ref().unwrap().textarea.lines()[line - 1].clone();
    let old = text.split_once(": ").unwrap().1.len();
    (1..line).for_each(|_| h.key(KeyCode::Down));
    h.key(KeyCode::End);
    (0..old).for_each(|_| h.key(KeyCode::Backspace));
    h.type_text(value);
}

fn problems(h: &Harness) -> Vec<(usize, String)> {
    let editor = h.app.screens.service.editor.as_ref().expect("the editor is open");
    editor.problems.iter().map(|p| (p.line, p.problem.field.clone())).collect()
}

#[tokio::test]
async fn an_invalid_cpu_is_marked_at_its_line_as_it_is_typed() {
    let mut h = at_service().await;
    edit_value(&mut h, "cpu", "\"999\",");
    let line = line_of(&h, "cpu");
    assert_eq!(problems(&h), vec![(line, "cpu".to_string())]);
    let small = render(&h.app, 80, 24);
    assert!(small.contains(&format!("✗ line {line} · cpu: \"999\" is not a Fargate")), "{small}");
    assert!(small.contains("✗ 1 problem"), "the editor's title says it:\n{small}");
    assert!(small.contains("cpu 999 / mem 2048 ← edited"), "the facts follow the typing:\n{small}");
    assert_screens("06_service_invalid_edit", &h);
}

#[tokio::test]
async fn banana_cpu_and_more_tasks_at_least_than_at_most_are_marked_too() {
    let mut h = at_service().await;
    edit_value(&mut h, "cpu", "\"banana\",");
    assert_eq!(problems(&h), vec![(line_of(&h, "cpu"), "cpu".to_string())]);
    (0..2).for_each(|_| h.key(KeyCode::Esc));
    assert!(h.app.screens.service.editor.is_none(), "Esc twice discards");

    h.key(KeyCode::Tab);
    edit_value(&mut h, "minTaskCount", "9,");
    let max = line_of(&h, "maxTaskCount");
    assert_eq!(problems(&h), vec![(max, "scalingTarget.maxTaskCount".to_string())]);
    let screen = h.screen();
    assert!(screen.contains("4 is less than minTaskCount 9") && screen.contains("tasks 9–4 ← edited"), "{screen}");

    // A text that does not read is one problem, on its line, and is not saved.
    ctrl(&mut h, 'u');
    ctrl(&mut h, 'u');
    h.type_text("9");
    let min = line_of(&h, "minTaskCount");
    assert_eq!(problems(&h).first().map(|p| p.0), Some(min + 1), "the missing comma shows on the next line");
    ctrl(&mut h, 's');
    let error = h.app.screens.service.editor.as_ref().and_then(|e| e.error.clone()).unwrap_or_default();
    assert!(error.starts_with(&format!("not saved: line {}", min + 1)), "{error}");
}

#[tokio::test]
async fn undo_and_redo_are_keys_of_their_own() {
    let mut h = at_service().await;
    h.char('e');
    ctrl(&mut h, 'u');
    assert_eq!(h.app.status.as_deref(), Some("nothing to undo"));
    h.type_text("x");
    ctrl(&mut h, 'u');
    let editor = h.app.screens.service.editor.as_ref().unwrap();
    assert!(!editor.is_modified(), "undone");
    ctrl(&mut h, 'r');
    assert!(h.app.screens.service.editor.as_ref().unwrap().is_modified(), "redone");
    let footer = h.screen().lines().last().unwrap().to_string();
    assert!(footer.contains("Ctrl-U undo") && footer.contains("Ctrl-R redo"), "{footer}");
}

/// An invalid saved edit: said when saved, refused on Plan with the reason in the footer,
/// reverted with `u` after a question, and then approved.
#[tokio::test]
async fn an_invalid_saved_edit_is_refused_at_approval_until_reverted() {
    let mut h = at_service().await;
    let generated = h.app.migration().unwrap().plan.hash.clone();
    edit_value(&mut h, "cpu", "\"999\",");
    ctrl(&mut h, 's');
    assert!(h.app.screens.service.editor.is_none());
    let status = h.app.status.clone().unwrap_or_default();
    assert!(status.starts_with("saved with 1 problem: plan") && status.contains("line"), "{status}");
    let screen = h.screen();
    assert!(screen.contains("service.json (Express Mode) · edited · ✗ 1 problem"), "{screen}");
    h.press(KeyCode::Enter).await;
    assert_eq!(h.app.step, Step::Plan);
    let footer = h.screen().lines().last().unwrap().to_string();
    assert!(footer.contains("a approve: refused, cpu not valid (Service)"), "the footer says why:\n{footer}");
    h.char('a');
    assert_eq!(h.app.overlay, None, "not approved");
    assert!(h.app.status.as_deref().unwrap_or("").contains("cannot be approved: cpu:"), "{:?}", h.app.status);

    h.key(KeyCode::Esc);
    h.char('u');
    assert!(h.app.screens.service.revert.is_some(), "u asks first");
    assert!(h.screen().contains("Put back the service.json ferry generated?"), "{}", h.screen());
    h.char('n');
    assert_eq!(h.app.migration().unwrap().artifacts.service_config.cpu, "999", "n keeps the edit");
    h.char('u');
    h.char('y');
    assert_eq!(h.app.migration().unwrap().plan.hash, generated, "the plan is the generated one again");
    assert!(!h.screen().contains("edited"), "{}", h.screen());
    h.press(KeyCode::Enter).await;
    common::approve_and_apply(&mut h).await;
    assert_eq!(common::banner(&h), "APPLIED");
}

#[tokio::test]
async fn an_edit_is_marked_its_facts_follow_and_d_shows_the_diff() {
    let mut h = at_service().await;
    edit_value(&mut h, "cpu", "\"512\",");
    ctrl(&mut h, 's');
    h.app.status = None;
    let screen = h.screen();
    assert!(screen.contains("service.json (Express Mode) · edited"), "{screen}");
    assert!(screen.contains("cpu 512 / mem 2048 ← edited (ferry found 1024 / 2048)"), "{screen}");
    assert!(!screen.contains("Dockerfile · edited"), "only what was edited is marked:\n{screen}");
    assert_screens("06_service_edited", &h);

    h.char('d');
    let screen = h.screen();
    assert!(screen.contains("-  \"cpu\": \"1024\",") && screen.contains("+  \"cpu\": \"512\","), "{screen}");
    assert!(screen.contains("generated → edited: +1 −1 lines"), "{screen}");
    assert_screens("06_service_diff", &h);
    h.key(KeyCode::Esc);
    assert!(!h.app.screens.service.diff && h.app.step == Step::Service, "Esc closes the diff first");

    h.char('?');
    let help = render(&h.app, 80, 24);
    assert!(help.contains("d  diff") && help.contains("any key closes this help"), "the whole help fits:\n{help}");
    h.key(KeyCode::Esc);

    // On the Dockerfile, as generated, d has nothing to compare and says so.
    h.key(KeyCode::Tab);
    h.char('d');
    assert!(h.app.status.as_deref().unwrap_or("").contains("Dockerfile is as ferry generated it"));
}

#[tokio::test]
async fn discovering_again_keeps_the_edits_and_says_so() {
    let mut h = at_service().await;
    edit_value(&mut h, "cpu", "\"512\",");
    ctrl(&mut h, 's');
    while h.app.step != Step::Source {
        h.key(KeyCode::Esc);
    }
    h.press(KeyCode::Enter).await;
    let status = h.app.status.clone().unwrap_or_default();
    assert!(status.contains("kept your edits to service.json") && status.contains("u reverts"), "{status}");
    assert_eq!(h.app.migration().unwrap().artifacts.service_config.cpu, "512");
}

#[tokio::test]
async fn discovering_another_instance_drops_the_edits_and_says_so() {
    let mut h = at_service().await;
    edit_value(&mut h, "cpu", "\"512\",");
    ctrl(&mut h, 's');
    while h.app.step != Step::Source {
        h.key(KeyCode::Esc);
    }
    h.char('j');
    h.press(KeyCode::Enter).await;
    let status = h.app.status.clone().unwrap_or_default();
    assert_eq!(status, "your edits to service.json are dropped: discovering makes the artifacts afresh");
    assert_ne!(h.app.migration_for.as_deref(), Some("i-0a1b2c3d4e5f60718"), "another instance");
}

#[tokio::test]
async fn long_lines_scroll_sideways_and_no_pane_scrolls_past_its_end() {
    let mut h = at_service().await;
    h.key(KeyCode::Tab);
    let before = render(&h.app, 80, 24);
    assert!(before.contains("…│"), "a cut line ends in …:\n{before}");
    h.char('L');
    let after = render(&h.app, 80, 24);
    assert_ne!(before, after, "L scrolls right");
    assert!(after.contains("│…"), "a line cut on the left starts with …:\n{after}");
    (0..200).for_each(|_| h.char('L'));
    let right = h.app.screens.service.hscroll[1];
    render(&h.app, 80, 24);
    h.char('H');
    assert!(h.app.screens.service.hscroll[1] < right, "H comes straight back: L stopped at the end");
    (0..500).for_each(|_| h.char('j'));
    let bottom = render(&h.app, 80, 24);
    let pane: Vec<&str> = bottom.lines().skip(3).take(14).collect();
    assert!(pane.iter().all(|l| l.chars().filter(|c| !c.is_whitespace() && *c != '│').count() > 0), "{bottom}");
    assert!(h.app.screens.service.scroll[1] < 100, "the scroll stopped at the end");
    let help_says = {
        h.char('?');
        render(&h.app, 80, 24)
    };
    assert!(help_says.contains("H/L") && help_says.contains("Ctrl-U undo"), "{help_says}");
}

#[tokio::test]
async fn the_read_panes_are_highlighted() {
    let h = at_service().await;
    let mut terminal = ratatui::Terminal::new(ratatui::backend::TestBackend::new(120, 40)).unwrap();
    terminal.draw(|frame| ferry::tui::view(&h.app, frame)).unwrap();
    let buffer = terminal.backend().buffer();
    let find = |needle: &str| {
        (0..buffer.area.height).find_map(|y| {
            let row: String = (0..buffer.area.width).map(|x| buffer[(x, y)].symbol().to_string()).collect();
            row.find(needle).map(|at| (row[..at].chars().count() as u16, y))
        })
    };
    let (x, y) = find("FROM public").expect("the Dockerfile is shown");
    assert_eq!(buffer[(x, y)].fg, Color::Magenta, "an instruction");
    let (x, y) = find("\"serviceName\"").expect("the config is shown");
    assert_eq!(buffer[(x, y)].fg, Color::Cyan, "a key");
    assert_eq!(buffer[(x + 15, y)].fg, Color::Green, "a string value");
}

#[tokio::test]
async fn a_plan_with_an_invalid_edit_never_runs() {
    let mut h = at_service().await;
    edit_value(&mut h, "minTaskCount", "9,");
    ctrl(&mut h, 's');
    walk_to_plan(&mut h).await;
    h.char('a');
    assert_eq!(h.app.overlay, None);
    assert!(h.app.run.is_none());
    let plan = h.app.migration().unwrap().plan.clone();
    let refused = plan.approve_overriding_all("a reason long enough to count").unwrap_err().to_string();
    assert!(refused.contains("scalingTarget.maxTaskCount: 4 is less than minTaskCount 9"), "{refused}");
    assert!(!matches!(h.app.overlay, Some(Overlay::ConfirmApply)));
}

/// An edit of the service config.
type Edit = fn(&mut ferry::model::ExpressServiceConfig);

/// The issue's three edits, each planned as the wizard plans a saved edit: approval refuses
/// every one, whatever reasons are given for the denies.
#[tokio::test]
async fn each_edit_the_issue_names_is_refused_by_approval() {
    let h = at_service().await;
    let migration = h.app.migration().unwrap().clone();
    let edits: [(&str, Edit); 3] = [
        ("cpu: \"999\" is not a Fargate cpu value", |c| c.cpu = "999".into()),
        ("cpu: \"banana\" is not a Fargate cpu value", |c| c.cpu = "banana".into()),
        ("scalingTarget.maxTaskCount: 4 is less than minTaskCount 9", |c| c.scaling_target.min_task_count = 9),
    ];
    for (says, edit) in edits {
        let mut artifacts = migration.artifacts.clone();
        edit(&mut artifacts.service_config);
        let plan = migration.clone().with_artifacts(artifacts).plan;
        let refused = plan.approve_overriding_all("a reason long enough to count").unwrap_err().to_string();
        assert!(refused.contains(says), "{says}: {refused}");
    }
}
