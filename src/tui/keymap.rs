//! The keys each screen answers to. The footer and the `?` help are both drawn from these
//! lists, so they can never disagree with what the keys do.

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

pub const NEXT: Hint = hint("Enter", "next");
pub const BACK: Hint = hint("Esc", "back");
pub const MOVE: Hint = hint("↑↓/jk", "move");
pub const FILTER: Hint = hint("/", "filter");
pub const HELP: Hint = hint("?", "help");
pub const QUIT: Hint = hint("q", "quit");
pub const SWITCH_PANE: Hint = hint("Tab", "switch pane");
pub const SCROLL: Hint = hint("↑↓/jk", "scroll");
pub const APPROVE: Hint = hint("a", "approve and apply");
pub const TO_RUN: Hint = hint("Enter", "to the run");
pub const PLAN_ONLY: Hint = hint("a", "apply (this backend only reads)");
pub const ROLLBACK: Hint = hint("r", "roll back");
pub const CANCEL_ROLLBACK: Hint = hint("r", "stop and roll back");
pub const LEAVE_RUN: Hint = hint("Esc", "leave (the run goes on)");
pub const DISCOVER: Hint = hint("Enter", "discover this instance");
pub const EDIT: Hint = hint("e", "edit");
pub const SAVE: Hint = hint("Ctrl-S", "save");
pub const CLOSE_EDITOR: Hint = hint("Esc", "close the editor");
pub const SCROLL_FINDINGS: Hint = hint("↑↓/jk", "scroll findings");
pub const OPEN_FOLDER: Hint = hint("o", "open source folder");
pub const READ_FOLDER: Hint = hint("Enter", "read this folder");
pub const COMPLETE: Hint = hint("Tab", "complete the folder name");
pub const CANCEL: Hint = hint("Esc", "cancel");
pub const REPLACE_EDITS: Hint = hint("y", "read it and replace the edits");
pub const KEEP_EDITS: Hint = hint("n/Esc", "keep the edits");
pub const STOP_WAITING: Hint = hint("Esc", "stop waiting (nothing changes)");
pub const RESUME: Hint = hint("c", "continue the run");
pub const REVIEW_RUNS: Hint = hint("R", "earlier runs");
pub const PANE: Hint = hint("Tab", "switch pane");
pub const SCROLL_PANE: Hint = hint("J/K", "scroll pane");
pub const ACCEPT_REASON: Hint = hint("Enter", "accept the reason");
pub const CANCEL_APPROVAL: Hint = hint("Esc", "cancel the approval");
pub const CONFIRM_APPLY: Hint = hint("y", "apply");
pub const DECLINE: Hint = hint("n", "cancel");
pub const CONFIRM_ROLLBACK: Hint = hint("y", "roll back");
pub const KEEP_RUN: Hint = hint("n", "keep the run");
pub const ROLLBACK_NOW: Hint = hint("r", "roll back now");
pub const STOP_AND_KEEP: Hint = hint("s", "stop and keep what was made");
pub const CHOOSE_RUN: Hint = hint("↑↓", "choose");
pub const RESUME_RUN: Hint = hint("c", "continue from where it stopped");
pub const LATER: Hint = hint("Esc", "later");
pub const SECRET_SOURCE: Hint = hint("s", "secret source");
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
fn overlay_hints(app: &App) -> Option<Vec<Hint>> {
    Some(match app.overlay.as_ref()? {
        Overlay::SourceFolder => folder_hints(app),
        Overlay::SecretSource => secret_hints(app),
        Overlay::OverrideDeny => vec![ACCEPT_REASON, CANCEL_APPROVAL],
        Overlay::ConfirmApply => vec![CONFIRM_APPLY, DECLINE],
        Overlay::ConfirmRollback => vec![CONFIRM_ROLLBACK, KEEP_RUN],
        Overlay::FailureChoice => vec![ROLLBACK_NOW, STOP_AND_KEEP],
        Overlay::UnfinishedRuns => {
            let selected = app.unfinished.runs.get(app.unfinished.selected);
            let mut keys = vec![ROLLBACK];
            if selected.is_some_and(|r| r.state.status.can_resume()) {
                keys.push(RESUME_RUN);
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
    let mut keys = match app.step {
        Step::Source => vec![DISCOVER, MOVE, FILTER],
        Step::LoadBalancer => vec![NEXT, BACK],
        Step::Container if folder_prompt::locked_reason(app).is_some() => vec![NEXT, BACK, SCROLL_FINDINGS],
        Step::Container => vec![NEXT, BACK, OPEN_FOLDER, SECRET_SOURCE, SCROLL_FINDINGS],
        Step::Iam => vec![NEXT, BACK, MOVE],
        Step::DataStores => vec![NEXT, BACK, MOVE, FILTER],
        Step::Service if app.service.editor.is_some() => return vec![SAVE, CLOSE_EDITOR],
        Step::Service => vec![NEXT, BACK, SWITCH_PANE, SCROLL, EDIT],
        Step::Plan if !app.apply_available => vec![PLAN_ONLY, MOVE, PANE, SCROLL_PANE, FILTER, BACK],
        Step::Plan if app.run.is_some() => vec![TO_RUN, MOVE, PANE, SCROLL_PANE, FILTER, BACK],
        Step::Plan => vec![APPROVE, MOVE, PANE, SCROLL_PANE, FILTER, BACK],
        Step::Apply => match app.run.as_ref().filter(|r| r.holds_resources()).map(|r| &r.phase) {
            Some(RunPhase::Applying) => vec![CANCEL_ROLLBACK, LEAVE_RUN],
            Some(RunPhase::Applied) => vec![NEXT, ROLLBACK, BACK],
            Some(phase) if phase.can_resume() => vec![RESUME, ROLLBACK, BACK],
            Some(phase) if phase.can_roll_back() => vec![ROLLBACK, BACK],
            _ => vec![BACK],
        },
        Step::Verify => vec![BACK],
    };
    if !app.unfinished.runs.is_empty() || !app.unfinished.unreadable.is_empty() {
        keys.push(REVIEW_RUNS);
    }
    keys.extend([HELP, QUIT]);
    keys
}
