//! The demo's scenario picker and its training panel: drawn at 80x24 and 160x48 and compared
//! with insta snapshots, and their keys pressed.

use crate::common;

use std::path::PathBuf;
use std::sync::Arc;

use common::Harness;
use ferry::cloud::sandbox::SandboxOptions;
use ferry::cloud::sandbox::catalogue::{Entry, Origin, catalogue};
use ferry::tui::actions::Keymap;
use ferry::tui::picker::{Picker, update_picker, view_picker};
use ferry::tui::training::Training;
use ferry::tui::{Step, hints};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

const SIZES: [(u16, u16); 2] = [(80, 24), (160, 48)];

fn snapshot(name: &str, screen: &str) {
    insta::with_settings!({ prepend_module_to_snapshot => false }, {
        insta::assert_snapshot!(name, screen);
    });
}

/// The bundled scenarios, then a trainer's good one and a broken one, at fixed paths.
fn picker() -> Picker {
    let mut entries = catalogue(None);
    let folder = PathBuf::from("/home/trainer/.config/ferry/scenarios");
    let broken = ferry::cloud::sandbox::Scenario::parse("[account]\nname = 1\n", "broken.toml").unwrap_err();
    entries.push(Entry {
        name: "broken".into(),
        origin: Origin::Trainer(folder.join("broken.toml")),
        description: String::new(),
        teaches: String::new(),
        holds: String::new(),
        faults: String::new(),
        error: Some(broken.message),
    });
    entries.push(Entry {
        name: "class-a".into(),
        origin: Origin::Trainer(folder.join("class-a.toml")),
        description: "node-shop with the trainer's own faults".into(),
        teaches: "Rollback, in ten minutes".into(),
        holds: "1 instance · 1 load balancer".into(),
        faults: "create-security-group always fails".into(),
        error: None,
    });
    Picker::new(entries, Arc::new(Keymap::default()))
}

fn draw(picker: &Picker, width: u16, height: u16) -> String {
    let mut terminal = Terminal::new(TestBackend::new(width, height)).unwrap();
    terminal.draw(|frame| view_picker(picker, frame)).unwrap();
    terminal.backend().to_string()
}

fn key(picker: &mut Picker, code: KeyCode) {
    update_picker(picker, KeyEvent::new(code, KeyModifiers::NONE));
}

#[test]
fn the_picker_lists_every_scenario_with_what_it_teaches() {
    let mut picker = picker();
    for (width, height) in SIZES {
        snapshot(&format!("picker_{width}x{height}"), &draw(&picker, width, height));
    }
    // The last entry is scrolled into view on a laptop terminal, with the broken one's error.
    key(&mut picker, KeyCode::End);
    key(&mut picker, KeyCode::Up);
    snapshot("picker_broken_80x24", &draw(&picker, 80, 24));
}

#[test]
fn enter_opens_the_selected_scenario_and_a_broken_one_says_why_not() {
    let mut picker = picker();
    key(&mut picker, KeyCode::Down);
    key(&mut picker, KeyCode::Char('j'));
    key(&mut picker, KeyCode::Enter);
    assert_eq!(picker.chosen.as_deref(), Some("flaky-network"));

    let mut picker = self::picker();
    key(&mut picker, KeyCode::End);
    key(&mut picker, KeyCode::Up);
    key(&mut picker, KeyCode::Enter);
    assert_eq!(picker.chosen, None, "a broken scenario is not opened");
    assert!(picker.status.as_deref().is_some_and(|s| s.contains("broken does not load")), "{:?}", picker.status);
    key(&mut picker, KeyCode::Down);
    key(&mut picker, KeyCode::Enter);
    assert_eq!(picker.chosen.as_deref(), Some("/home/trainer/.config/ferry/scenarios/class-a.toml"));

    let mut picker = self::picker();
    key(&mut picker, KeyCode::Char('q'));
    assert!(picker.quit && picker.chosen.is_none());
}

async fn demo_with_training(scenario: &str) -> Harness {
    let mut h = Harness::demo(SandboxOptions::instant()).await;
    h.app.training = Training { trainer_dir: None, ..Training::for_demo(scenario) };
    h
}

#[tokio::test]
async fn t_toggles_the_training_panel() {
    let mut h = demo_with_training("node-shop").await;
    assert!(hints(&h.app).iter().any(|hint| hint.keys == "t" && hint.label == "training notes"));
    let before = common::render(&h.app, 160, 48);
    assert!(!before.contains("Training · Source"));
    h.press(KeyCode::Char('t')).await;
    for (width, height) in SIZES {
        snapshot(&format!("training_source_{width}x{height}"), &common::render(&h.app, width, height));
    }
    // The page keys scroll the notes to what can go wrong, cut off at 80x24.
    h.press(KeyCode::PageDown).await;
    let scrolled = common::render(&h.app, 80, 24);
    assert!(scrolled.contains("(o on Container)") && !scrolled.contains("SOURCE INSTANCE"), "{scrolled}");
    h.press(KeyCode::PageUp).await;
    h.press(KeyCode::Enter).await;
    assert_eq!(h.app.step, Step::LoadBalancer);
    assert!(common::render(&h.app, 160, 48).contains("Training · Load balancer"), "the notes follow the step");
    h.press(KeyCode::Char('t')).await;
    assert!(!common::render(&h.app, 160, 48).contains("Training ·"), "t closes it");

    // A live account's wizard has no training panel, and its footer offers none.
    let mut live = Harness::demo(SandboxOptions::instant()).await;
    assert!(!hints(&live.app).iter().any(|hint| hint.keys == "t"));
    live.press(KeyCode::Char('t')).await;
    assert!(!common::render(&live.app, 160, 48).contains("Training ·"));
}

#[test]
fn every_step_has_notes_and_a_scenarios_or_trainers_own_win() {
    let bundled = Training { trainer_dir: None, ..Training::for_demo("node-shop") };
    for step in Step::ALL {
        let (text, source) = bundled.notes(step);
        assert!(text.contains("## Look at") && text.contains("## What can go wrong"), "{source}");
        assert!(text.lines().count() > 10, "{source} says enough to teach from");
    }
    let flaky = Training { trainer_dir: None, ..Training::for_demo("flaky-network") };
    assert_eq!(flaky.notes(Step::Apply).1, "assets/training/flaky-network/apply.md");
    assert_eq!(flaky.notes(Step::Plan).1, "assets/training/plan.md");

    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("flaky-network")).unwrap();
    std::fs::write(dir.path().join("plan.md"), "# Our plan notes\n").unwrap();
    std::fs::write(dir.path().join("flaky-network/apply.md"), "# Our apply notes\n").unwrap();
    let trainer = Training { trainer_dir: Some(dir.path().to_path_buf()), ..flaky };
    assert_eq!(trainer.notes(Step::Plan).0, "# Our plan notes\n");
    assert_eq!(trainer.notes(Step::Apply).0, "# Our apply notes\n");
    assert_eq!(trainer.notes(Step::Verify).1, "assets/training/verify.md");
}
