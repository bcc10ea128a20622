use ratatui::crossterm::event::{KeyCode, KeyModifiers};

use super::*;

fn from(text: &str) -> Result<Keymap, String> {
    Keymap::from_config(text, std::path::Path::new("/home/ops/.config/ferry/config.toml")).map_err(|e| e.message)
}

#[test]
fn the_defaults_have_no_conflict_and_every_action_a_key() {
    let keymap = Keymap::default();
    assert_eq!(keymap.conflict(), None);
    for definition in &DEFINITIONS {
        assert!(!keymap.keys_of(definition.action).is_empty(), "{}", definition.id);
        let others = DEFINITIONS.iter().filter(|d| d.action == definition.action || d.id == definition.id);
        assert_eq!(others.count(), 1, "{} is defined once", definition.id);
    }
}

#[test]
fn rebinding_one_key_or_a_list() {
    let keymap =
        from("[audit]\ncloudwatch_log_group = \"x\"\n[keys]\nquit = \"z\"\napprove = [\"A\", \"Ctrl-Y\"]\n").unwrap();
    assert_eq!(keymap.label(Action::Quit), "z");
    assert_eq!(keymap.label(Action::Approve), "A/Ctrl-Y");
    assert!(keymap.is(Action::Approve, &KeyEvent::new(KeyCode::Char('y'), KeyModifiers::CONTROL)));
    assert!(!keymap.is(Action::Quit, &KeyEvent::new(KeyCode::Char('q'), KeyModifiers::NONE)));
}

#[test]
fn unknown_actions_bad_keys_and_conflicts_name_the_file_and_line() {
    let unknown = from("[keys]\n\nfrobnicate = \"f\"\n").unwrap_err();
    assert!(
        unknown.starts_with("/home/ops/.config/ferry/config.toml:3: [keys] frobnicate is not an action"),
        "{unknown}"
    );
    let bad = from("[keys]\nquit = \"Hyper-Q\"\n").unwrap_err();
    assert!(bad.starts_with("/home/ops/.config/ferry/config.toml:2: [keys] quit: Hyper-Q is not a key"), "{bad}");
    let conflict = from("[keys]\nhelp = \"h\"\nquit = \"Enter\"\n").unwrap_err();
    assert!(conflict.contains(":3: [keys] next and quit are both on Enter"), "{conflict}");
    // Two actions of different steps may share a key; approve and roll back both work on Cutover.
    assert!(from("[keys]\nopen_folder = \"e\"\n").is_ok());
    let cutover = from("[keys]\napprove = \"r\"\n").unwrap_err();
    assert!(cutover.contains("approve and roll_back are both on r"), "{cutover}");
}

#[test]
fn keys_of_a_box_or_a_text_field_may_be_a_steps_key_but_not_one_of_their_own() {
    // A question takes every key: its `y` may be a step's key too.
    assert!(from("[keys]\nconfirm = \"a\"\n").is_ok());
    assert!(from("[keys]\nmove_down = \"n\"\n").is_ok(), "decline works only in a question");
    // The inventory and the wizard never share a screen.
    assert!(from("[keys]\nsort = \"o\"\n").is_ok());
    let same_box = from("[keys]\ndecline = \"y\"\n").unwrap_err();
    assert!(same_box.contains(":2: [keys] confirm and decline are both on y"), "{same_box}");
    let list = from("[keys]\nmove_down = \"J\"\nscroll_pane_down = \"X\"\nfilter = \"k\"\n").unwrap_err();
    assert!(list.contains("move_up and filter are both on k"), "{list}");
    let typed = from("[keys]\n\nclear_entry = \"x\"\n").unwrap_err();
    assert!(
        typed.starts_with("/home/ops/.config/ferry/config.toml:3: [keys] clear_entry: x would be typed"),
        "{typed}"
    );
    assert!(from("[keys]\nclear_entry = \"Ctrl-K\"\n").is_ok());
}

#[test]
fn a_pair_of_actions_is_one_hint() {
    let keymap = Keymap::default();
    assert_eq!(keymap.pair_label(Action::MoveUp, Action::MoveDown), "↑↓/jk");
    assert_eq!(keymap.short_pair_label(Action::MoveUp, Action::MoveDown), "↑↓");
    let rebound = from("[keys]\nmove_up = [\"Up\", \"i\"]\n").unwrap();
    assert_eq!(rebound.pair_label(Action::MoveUp, Action::MoveDown), "↑↓/ij");
    let unlike = from("[keys]\nmove_down = \"n\"\n").unwrap();
    assert_eq!(unlike.pair_label(Action::MoveUp, Action::MoveDown), "↑/k n");
    assert_eq!(unlike.short_pair_label(Action::MoveUp, Action::MoveDown), "↑n");
    let named = from("[keys]\nmove_down = [\"PageDown\", \"j\"]\npage_down = \"Ctrl-D\"\n").unwrap();
    assert_eq!(named.pair_label(Action::MoveUp, Action::MoveDown), "↑/k PageDown/j");
}

#[test]
fn the_table_lists_every_action() {
    let table = Keymap::default().table();
    for definition in &DEFINITIONS {
        assert!(table.lines().any(|l| l.starts_with(definition.id)), "{table}");
    }
}
