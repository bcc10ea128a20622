//! The keys each screen answers to. The footer, the `?` help and the key lines of the boxes
//! are all drawn from these lists, and every key in them comes from the app's [`Keymap`], the
//! one the key handlers ask, so they can never disagree with what the keys do.

use std::collections::HashSet;
use std::sync::{LazyLock, Mutex};

use super::actions::{Action, Keymap};
use super::app::{App, Overlay};
use super::folder_prompt::Stage;
use super::secret_prompt;

/// One key hint: the keys as shown, what they do here, and the actions whose keys they are.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Hint {
    pub keys: &'static str,
    pub label: &'static str,
    /// The actions `keys` names (one, or a pair shown together as `↑↓/jk`): every key of each
    /// does what `label` says.
    pub actions: [Option<Action>; 2],
}

impl Hint {
    /// The actions the hint names.
    pub fn actions(&self) -> impl Iterator<Item = Action> {
        self.actions.into_iter().flatten()
    }
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
pub fn act(keymap: &Keymap, action: Action, label: &'static str) -> Hint {
    Hint { keys: interned(keymap.label(action)), label, actions: [Some(action), None] }
}

/// An action's hint saying what it does here in words made now (why it is refused): each
/// text is kept once for the process, so a label made every frame costs nothing new.
pub fn act_saying(keymap: &Keymap, action: Action, label: String) -> Hint {
    Hint { keys: interned(keymap.label(action)), label: interned(label), actions: [Some(action), None] }
}

/// An action's hint with its defined hint text.
pub fn of(keymap: &Keymap, action: Action) -> Hint {
    act(keymap, action, super::actions::definition(action).hint)
}

/// Two actions as one hint, their keys paired (`↑↓/jk move`).
pub fn pair(keymap: &Keymap, first: Action, second: Action, label: &'static str) -> Hint {
    Hint { keys: interned(keymap.pair_label(first, second)), label, actions: [Some(first), Some(second)] }
}

/// Two actions as one hint, the first key of each only (`↑↓ choose`).
fn short_pair(keymap: &Keymap, first: Action, second: Action, label: &'static str) -> Hint {
    Hint { keys: interned(keymap.short_pair_label(first, second)), label, actions: [Some(first), Some(second)] }
}

/// Two actions as one hint, one's keys then the other's (`J/K scroll pane`, `n/Esc`).
pub fn either(keymap: &Keymap, first: Action, second: Action, label: &'static str) -> Hint {
    let keys = format!("{}/{}", keymap.label(first), keymap.label(second));
    Hint { keys: interned(keys), label, actions: [Some(first), Some(second)] }
}

/// The moves of a list or pane (`↑↓/jk`), saying what they do there.
pub fn moves(keymap: &Keymap, label: &'static str) -> Hint {
    pair(keymap, Action::MoveUp, Action::MoveDown, label)
}

/// The keys of the source-folder prompt, for its current stage.
pub fn folder_hints(app: &App) -> Vec<Hint> {
    let keymap = &app.keymap;
    match app.folder_prompt.as_ref().map(|p| &p.stage) {
        Some(Stage::ConfirmReplace { .. }) => vec![
            act(keymap, Action::Confirm, "read it and replace the edits"),
            either(keymap, Action::Decline, Action::Cancel, "keep the edits"),
        ],
        Some(Stage::Reading { .. }) => vec![act(keymap, Action::Cancel, "stop waiting (nothing changes)")],
        _ => vec![
            act(keymap, Action::Accept, "read this folder"),
            of(keymap, Action::Complete),
            of(keymap, Action::Cancel),
        ],
    }
}

/// The keys of the secret-source prompt, for its current stage.
pub fn secret_hints(app: &App) -> Vec<Hint> {
    let keymap = &app.keymap;
    match app.secret_prompt.as_ref().map(|p| &p.stage) {
        Some(secret_prompt::Stage::ConfirmReplace { .. }) => vec![
            act(keymap, Action::Confirm, "plan again and replace the edits"),
            either(keymap, Action::Decline, Action::Cancel, "keep the edits"),
        ],
        _ => vec![
            act(keymap, Action::Accept, "plan with this source"),
            of(keymap, Action::ClearEntry),
            of(keymap, Action::Cancel),
        ],
    }
}

/// The keys of an overlay that takes every key, when one is open.
pub fn overlay_hints(app: &App) -> Option<Vec<Hint>> {
    let keymap = &app.keymap;
    let yes_no = |yes, no| vec![act(keymap, Action::Confirm, yes), act(keymap, Action::Decline, no)];
    Some(match app.overlay.as_ref()? {
        Overlay::SourceFolder => folder_hints(app),
        Overlay::SecretSource => secret_hints(app),
        Overlay::OverrideDeny => {
            vec![act(keymap, Action::Accept, "accept the reason"), act(keymap, Action::Cancel, "cancel the approval")]
        }
        Overlay::ConfirmApply => yes_no("apply", "cancel"),
        Overlay::ConfirmRollback => yes_no("roll back", "keep the run"),
        Overlay::ConfirmQuit => yes_no("quit anyway", "stay"),
        Overlay::FailureChoice => vec![act(keymap, Action::RollBack, "roll back now"), of(keymap, Action::StopAndKeep)],
        Overlay::UnfinishedRuns => {
            let selected = app.unfinished.runs.get(app.unfinished.selected);
            let mut keys = vec![of(&app.keymap, Action::RollBack)];
            if selected.is_some_and(|r| r.status.can_resume()) {
                keys.push(act(&app.keymap, Action::Resume, "continue from where it stopped"));
            }
            keys.extend([
                short_pair(keymap, Action::MoveUp, Action::MoveDown, "choose"),
                act(keymap, Action::Back, "later"),
            ]);
            keys
        }
        Overlay::Help => return None,
    })
}

/// The keys that work on the current screen, most useful first.
pub fn hints(app: &App) -> Vec<Hint> {
    if let Some(keys) = overlay_hints(app) {
        return keys;
    }
    if app.log.shown && !app.screen().is_typing() {
        let mut keys = super::log_pane::LogPane::hints(&app.keymap);
        keys.extend([of(&app.keymap, Action::Help), of(&app.keymap, Action::Quit)]);
        return keys;
    }
    let screen = app.screen();
    // The notes take a narrow terminal's whole body: their keys are the ones that matter.
    if app.training.shown && app.training.available {
        return vec![
            act(&app.keymap, Action::Training, "close the notes"),
            of(&app.keymap, Action::Help),
            of(&app.keymap, Action::Quit),
        ];
    }
    let mut keys = screen.hints(&app.context());
    if screen.owns_the_footer() {
        return keys;
    }
    let keymap = &app.keymap;
    if !app.unfinished.runs.is_empty() || !app.unfinished.unreadable.is_empty() {
        keys.push(of(keymap, Action::ReviewRuns));
    }
    if app.training.available {
        keys.push(of(keymap, Action::Training));
    }
    keys.extend([of(keymap, Action::ToggleLog), of(keymap, Action::Help), of(keymap, Action::Quit)]);
    keys
}
