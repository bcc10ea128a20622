//! The keys each screen answers to. The footer and the `?` help are both drawn from these
//! lists, and the keys of the wizard's actions come from the app's [`Keymap`], the one the
//! key handler asks, so they can never disagree with what the keys do.

use std::collections::HashSet;
use std::sync::{LazyLock, Mutex};

use super::actions::{Action, Keymap};
use super::app::{App, Overlay};
use super::folder_prompt::{self, Stage};
use super::run_view::RunPhase;
use super::secret_prompt;
use super::steps::Step;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Hint {
    pub keys: &'static str,
    pub label: &'static str,
}

/// A prompt's hints in one line: each key styled, then what it does.
pub fn prompt_hint_line(hints: Vec<Hint>) -> ratatui::text::Line<'static> {
    let mut spans = Vec::new();
    for hint in hints {
        spans.push(ratatui::text::Span::styled(hint.keys, super::theme::key()));
        spans.push(ratatui::text::Span::raw(format!(" {}   ", hint.label)));
    }
    ratatui::text::Line::from(spans)
}

const fn hint(keys: &'static str, label: &'static str) -> Hint {
    Hint { keys, label }
}

/// The key labels the keymaps of this process have written, each kept once: a hint stays a
/// plain copyable value however the keys were bound.
fn interned(label: String) -> &'static str {
    static LABELS: LazyLock<Mutex<HashSet<&'static str>>> = LazyLock::new(Mutex::default);
    let mut labels = LABELS.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
    if let Some(known) = labels.get(label.as_str()) {
        return known;
    }
    let leaked: &'static str = Box::leak(label.into_boxed_str());
    labels.insert(leaked);
    leaked
}

/// An action's hint: its keys as the keymap has them, and what it does here (the action's own
/// hint text unless this screen says it more exactly, as `Enter` "discover this instance").
fn act(keymap: &Keymap, action: Action, label: &'static str) -> Hint {
    Hint { keys: interned(keymap.label(action)), label }
}

/// An action's hint with its defined hint text.
fn of(keymap: &Keymap, action: Action) -> Hint {
    act(keymap, action, super::actions::definition(action).hint)
}

pub const MOVE: Hint = hint("↑↓/jk", "move");
pub const FILTER: Hint = hint("/", "filter");
pub const SWITCH_PANE: Hint = hint("Tab", "switch pane");
pub const SCROLL: Hint = hint("↑↓/jk", "scroll");
pub const EDIT: Hint = hint("e", "edit");
pub const SAVE: Hint = hint("Ctrl-S", "save");
pub const CLOSE_EDITOR: Hint = hint("Esc", "close the editor");
pub const SCROLL_FINDINGS: Hint = hint("↑↓/jk", "scroll findings");
pub const READ_FOLDER: Hint = hint("Enter", "read this folder");
pub const COMPLETE: Hint = hint("Tab", "complete the folder name");
pub const CANCEL: Hint = hint("Esc", "cancel");
pub const REPLACE_EDITS: Hint = hint("y", "read it and replace the edits");
pub const KEEP_EDITS: Hint = hint("n/Esc", "keep the edits");
pub const STOP_WAITING: Hint = hint("Esc", "stop waiting (nothing changes)");
pub const PANE: Hint = hint("Tab", "switch pane");
pub const SCROLL_PANE: Hint = hint("J/K", "scroll pane");
pub const ACCEPT_REASON: Hint = hint("Enter", "accept the reason");
pub const CANCEL_APPROVAL: Hint = hint("Esc", "cancel the approval");
pub const CONFIRM_APPLY: Hint = hint("y", "apply");
pub const DECLINE: Hint = hint("n", "cancel");
pub const CONFIRM_ROLLBACK: Hint = hint("y", "roll back");
pub const KEEP_RUN: Hint = hint("n", "keep the run");
pub const STOP_AND_KEEP: Hint = hint("s", "stop and keep what was made");
pub const CHOOSE_RUN: Hint = hint("↑↓", "choose");
pub const LATER: Hint = hint("Esc", "later");
pub const GIVE_SOURCE: Hint = hint("Enter", "plan with this source");
pub const CLEAR_ENTRY: Hint = hint("Ctrl-U", "clear");
pub const REPLAN_EDITS: Hint = hint("y", "plan again and replace the edits");

/// The keys of the source-folder prompt, for its current stage.
pub fn folder_hints(app: &App) -> Vec<Hint> {
    match app.folder_prompt.as_ref().map(|p| &p.stage) {
        Some(Stage::ConfirmReplace { .. }) => vec![REPLACE_EDITS, KEEP_EDITS],
        Some(Stage::Reading { .. }) => vec![STOP_WAITING],
        _ => vec![READ_FOLDER, COMPLETE, CANCEL],
    }
}

/// The keys of the secret-source prompt, for its current stage.
pub fn secret_hints(app: &App) -> Vec<Hint> {
    match app.secret_prompt.as_ref().map(|p| &p.stage) {
        Some(secret_prompt::Stage::ConfirmReplace { .. }) => vec![REPLAN_EDITS, KEEP_EDITS],
        _ => vec![GIVE_SOURCE, CLEAR_ENTRY, CANCEL],
    }
}

/// The keys of an overlay that takes every key, when one is open.
pub fn overlay_hints(app: &App) -> Option<Vec<Hint>> {
    Some(match app.overlay.as_ref()? {
        Overlay::SourceFolder => folder_hints(app),
        Overlay::SecretSource => secret_hints(app),
        Overlay::OverrideDeny => vec![ACCEPT_REASON, CANCEL_APPROVAL],
        Overlay::ConfirmApply => vec![CONFIRM_APPLY, DECLINE],
        Overlay::ConfirmRollback => vec![CONFIRM_ROLLBACK, KEEP_RUN],
        Overlay::FailureChoice => vec![act(&app.keymap, Action::RollBack, "roll back now"), STOP_AND_KEEP],
        Overlay::UnfinishedRuns => {
            let selected = app.unfinished.runs.get(app.unfinished.selected);
            let mut keys = vec![of(&app.keymap, Action::RollBack)];
            if selected.is_some_and(|r| r.state.status.can_resume()) {
                keys.push(act(&app.keymap, Action::Resume, "continue from where it stopped"));
            }
            keys.extend([CHOOSE_RUN, LATER]);
            keys
        }
        Overlay::Help | Overlay::ConfirmQuit => return None,
    })
}

/// The keys that work on the current screen, most useful first.
pub fn hints(app: &App) -> Vec<Hint> {
    if let Some(keys) = overlay_hints(app) {
        return keys;
    }
    let keymap = &app.keymap;
    let [next, back, roll_back] = [Action::Next, Action::Back, Action::RollBack].map(|a| of(keymap, a));
    let mut keys = match app.step {
        Step::Source => vec![act(keymap, Action::Next, "discover this instance"), MOVE, FILTER],
        Step::LoadBalancer => vec![next, back],
        Step::Container if folder_prompt::locked_reason(app).is_some() => vec![next, back, SCROLL_FINDINGS],
        Step::Container => {
            vec![next, back, of(keymap, Action::OpenFolder), of(keymap, Action::SecretSource), SCROLL_FINDINGS]
        }
        Step::Iam => vec![next, back, MOVE],
        Step::DataStores => vec![next, back, MOVE, FILTER],
        Step::Service if app.service.editor.is_some() => return vec![SAVE, CLOSE_EDITOR],
        Step::Service => vec![next, back, SWITCH_PANE, SCROLL, EDIT],
        Step::Plan if !app.apply_available => {
            vec![act(keymap, Action::Approve, "apply (this backend only reads)"), MOVE, PANE, SCROLL_PANE, FILTER, back]
        }
        Step::Plan if app.run.is_some() => {
            vec![act(keymap, Action::Next, "to the run"), MOVE, PANE, SCROLL_PANE, FILTER, back]
        }
        Step::Plan => vec![of(keymap, Action::Approve), MOVE, PANE, SCROLL_PANE, FILTER, back],
        Step::Apply => match app.run.as_ref().filter(|r| r.holds_resources()).map(|r| &r.phase) {
            Some(RunPhase::Applying) => vec![
                act(keymap, Action::RollBack, "stop and roll back"),
                act(keymap, Action::Back, "leave (the run goes on)"),
            ],
            Some(RunPhase::Applied) => vec![next, roll_back, back],
            Some(phase) if phase.can_resume() => vec![of(keymap, Action::Resume), roll_back, back],
            Some(phase) if phase.can_roll_back() => vec![roll_back, back],
            _ => vec![back],
        },
        Step::Verify => vec![back],
    };
    if !app.unfinished.runs.is_empty() || !app.unfinished.unreadable.is_empty() {
        keys.push(of(keymap, Action::ReviewRuns));
    }
    keys.extend([of(keymap, Action::Help), of(keymap, Action::Quit)]);
    keys
}
