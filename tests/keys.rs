//! One definition per key: the footer shows the keys the handler answers to, a key shown in a
//! hint does something where it is shown, and `[keys]` in the config file rebinds an action
//! everywhere (handler, footer, help and the messages that name it).

mod common;

use std::sync::Arc;

use common::{Harness, walk_to_plan};
use ferry::cloud::sandbox::SandboxOptions;
use ferry::tui::actions::{Action, DEFINITIONS, Keymap};
use ferry::tui::{Msg, Overlay, Step, hints};
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

/// What a person sees and what the key could have changed: the screen, where the wizard is,
/// what is open over it, the status line, and whether it is quitting.
fn seen(h: &Harness) -> String {
    format!("{}\n{:?}\n{:?}\n{:?}\n{}", h.screen(), h.app.step, h.app.overlay, h.app.status, h.app.should_quit)
}

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

const STEPS: [Step; 9] = [
    Step::Source,
    Step::LoadBalancer,
    Step::Container,
    Step::Iam,
    Step::DataStores,
    Step::Service,
    Step::Plan,
    Step::Apply,
    Step::Verify,
];

#[tokio::test]
async fn every_action_key_a_screen_shows_does_something_there() {
    let keymap = Keymap::default();
    let mut pressed = Vec::new();
    for step in STEPS {
        let shown: Vec<String> = hints(&at(step).await.app).iter().map(|h| h.keys.to_string()).collect();
        for definition in DEFINITIONS.iter().filter(|d| shown.contains(&keymap.label(d.action))) {
            let mut h = at(step).await;
            let before = seen(&h);
            for key in keymap.keys_of(definition.action) {
                h.send(Msg::Key(key.event()));
            }
            h.settle().await;
            assert_ne!(
                seen(&h),
                before,
                "{} ({}) shown on {step:?} changed nothing",
                definition.id,
                keymap.label(definition.action)
            );
            pressed.push(definition.id);
        }
    }
    for definition in &DEFINITIONS {
        // Resume shows only on a stopped run, which the tests of runs cover.
        if definition.action != Action::Resume && definition.action != Action::ReviewRuns {
            assert!(pressed.contains(&definition.id), "{} was never shown on a step", definition.id);
        }
    }
}

#[tokio::test]
async fn a_rebound_key_works_and_is_shown_everywhere_it_is_named() {
    let path = std::path::Path::new("/home/ops/.config/ferry/config.toml");
    let keymap = Keymap::from_config("[keys]\nquit = \"x\"\nroll_back = [\"u\", \"Ctrl-R\"]\n", path).unwrap();
    let mut h = at(Step::Apply).await;
    h.app.keymap = Arc::new(keymap);

    let footer: Vec<(String, &str)> = hints(&h.app).into_iter().map(|h| (h.keys.to_string(), h.label)).collect();
    assert!(footer.contains(&("x".to_string(), "quit")), "{footer:?}");
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
    h.key(KeyCode::Char('x'));
    assert_eq!(h.app.overlay, Some(Overlay::ConfirmQuit), "x asks, since the run holds resources");
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
