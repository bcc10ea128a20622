//! One definition per key: `[keys]` in the config file rebinds an action everywhere (handler,
//! footer, help and the messages that name it), and `ferry keys` lists every action. That each
//! key shown does something where it is shown is tests/suite/every_hint_key.rs.

use crate::common;

use std::sync::Arc;

use common::{Harness, walk_to_plan};
use ferry::cloud::sandbox::SandboxOptions;
use ferry::tui::actions::{DEFINITIONS, Keymap};
use ferry::tui::inventory::{InventoryApp, InventoryMsg, update_inventory, view_inventory};
use ferry::tui::{Msg, Overlay, Step, hints};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

/// The wizard on `step`, with a run applied when it is Apply or Verify.
async fn at(step: Step) -> Harness {
    let mut h = Harness::demo(SandboxOptions::instant()).await;
    if step == Step::Source {
        return h;
    }
    if matches!(step, Step::Apply | Step::Verify) {
        walk_to_plan(&mut h).await;
        common::approve_and_apply(&mut h).await;
        if step == Step::Verify {
            h.press(KeyCode::Enter).await;
        }
        return h;
    }
    while h.app.step != step {
        h.press(KeyCode::Enter).await;
    }
    h
}

/// `[keys]` rebinds a screen's key too: the new key moves, the old one no longer does, and the
/// footers name the new one, in the wizard and the inventory browser alike.
#[tokio::test]
async fn a_rebound_screen_key_acts_and_the_old_one_does_not() {
    let path = std::path::Path::new("/home/ops/.config/ferry/config.toml");
    let keymap = Arc::new(Keymap::from_config("[keys]\nmove_down = \"n\"\n", path).unwrap());
    let mut h = at(Step::Source).await;
    h.app.keymap = keymap.clone();
    // The first key clears the greeting: it is no sign of the key acting.
    h.app.status = None;
    assert_eq!(h.app.screens.source.list.selected, 0);
    let before = h.screen();
    assert!(before.lines().last().unwrap().contains(" ↑/k n move "), "{before}");
    for old in [KeyCode::Char('j'), KeyCode::Down] {
        h.key(old);
        assert_eq!(h.screen(), before, "{old:?} no longer moves down");
    }
    h.char('n');
    assert_eq!(h.app.screens.source.list.selected, 1, "n moves down");
    h.char('k');
    assert_eq!(h.app.screens.source.list.selected, 0, "k still moves up");

    let sandbox = ferry::cloud::sandbox::Sandbox::load("node-shop", SandboxOptions::instant()).unwrap();
    let mut browser = InventoryApp::new("node-shop");
    browser.keymap = keymap;
    browser.load(Box::new(ferry::inventory::load(&sandbox).await));
    let press = |browser: &mut InventoryApp, c: char| {
        update_inventory(browser, InventoryMsg::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE)));
        browser.table().unwrap().selected
    };
    assert_eq!(press(&mut browser, 'j'), 0, "j no longer moves down the inventory");
    assert_eq!(press(&mut browser, 'n'), 1, "n does");
    let mut terminal = Terminal::new(TestBackend::new(120, 40)).unwrap();
    terminal.draw(|frame| view_inventory(&browser, frame)).unwrap();
    let screen = terminal.backend().to_string();
    assert!(screen.lines().last().unwrap().contains(" ↑/k n move "), "{screen}");
}

#[tokio::test]
async fn a_rebound_key_works_and_is_shown_everywhere_it_is_named() {
    let path = std::path::Path::new("/home/ops/.config/ferry/config.toml");
    let keymap = Keymap::from_config("[keys]\nquit = \"z\"\nroll_back = [\"u\", \"Ctrl-R\"]\n", path).unwrap();
    let mut h = at(Step::Apply).await;
    h.app.keymap = Arc::new(keymap);

    let footer: Vec<(String, &str)> = hints(&h.app).into_iter().map(|h| (h.keys.to_string(), h.label)).collect();
    assert!(footer.contains(&("z".to_string(), "quit")), "{footer:?}");
    assert!(footer.contains(&("u/Ctrl-R".to_string(), "roll back")), "{footer:?}");
    let screen = h.screen();
    assert!(screen.contains("u/Ctrl-R roll back"), "the banner names the rebound key:\n{screen}");

    h.key(KeyCode::Char('r'));
    assert_eq!(h.app.overlay, None, "r no longer rolls back");
    h.send(Msg::Key(KeyEvent::new(KeyCode::Char('r'), KeyModifiers::CONTROL)));
    assert_eq!(h.app.overlay, Some(Overlay::ConfirmRollback), "Ctrl-R does");
    h.key(KeyCode::Char('n'));

    h.key(KeyCode::Char('q'));
    assert!(!h.app.should_quit && h.app.overlay.is_none(), "q no longer quits");
    h.key(KeyCode::Char('z'));
    assert_eq!(h.app.overlay, Some(Overlay::ConfirmQuit), "z asks, since the run holds resources");
}

#[test]
fn ferry_keys_prints_every_action() {
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_ferry")).arg("keys").output().unwrap();
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let table = String::from_utf8(output.stdout).unwrap();
    for definition in &DEFINITIONS {
        assert!(table.lines().any(|l| l.starts_with(definition.id)), "{table}");
    }
}

#[test]
fn a_bad_keys_section_is_refused_at_start_with_the_file_and_line() {
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("config.toml");
    std::fs::write(&config, "[keys]\nquit = \"?\"\n").unwrap();
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_ferry"))
        .args(["keys"])
        .env("FERRY_CONFIG", &config)
        .output()
        .unwrap();
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains(&format!("{}:2", config.display())) && stderr.contains("help and quit"), "{stderr}");
}
