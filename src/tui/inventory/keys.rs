//! The inventory browser's keys, for its footer and its help: drawn from the keymap its
//! handler asks, so they can never disagree with what the keys do.

use crate::tui::actions::{Action, Keymap};
use crate::tui::keymap::{Hint, act, either, of, pair};

/// The keys of the table.
pub fn table_hints(keymap: &Keymap) -> Vec<Hint> {
    vec![
        of(keymap, Action::Command),
        of(keymap, Action::Filter),
        either(keymap, Action::Sort, Action::ReverseSort, "sort/reverse"),
        act(keymap, Action::Next, "details"),
        pair(keymap, Action::MoveUp, Action::MoveDown, "move"),
        of(keymap, Action::NextKind),
        act(keymap, Action::Back, "back/clear"),
        of(keymap, Action::Refresh),
        of(keymap, Action::Help),
        of(keymap, Action::Quit),
    ]
}

/// The keys while a resource's details are open.
pub fn detail_hints(keymap: &Keymap) -> Vec<Hint> {
    vec![
        of(keymap, Action::Back),
        pair(keymap, Action::MoveUp, Action::MoveDown, "scroll"),
        of(keymap, Action::Help),
        of(keymap, Action::Quit),
    ]
}
