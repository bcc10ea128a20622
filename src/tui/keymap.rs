//! The keys each screen answers to. The footer and the `?` help are both drawn from these
//! lists, so they can never disagree with what the keys do.

use super::app::{App, Overlay};
use super::folder_prompt::{self, Stage};
use super::run_view::RunPhase;
use super::steps::Step;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Hint {
    pub keys: &'static str,
    pub label: &'static str,
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
pub const SCROLL_STEP: Hint = hint("J/K", "scroll step");
pub const TO_RUN: Hint = hint("Enter", "to the run");
pub const PLAN_ONLY: Hint = hint("a", "apply (not on live accounts yet)");
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

/// The keys of the source-folder prompt, for its current stage.
pub fn folder_hints(app: &App) -> Vec<Hint> {
    match app.folder_prompt.as_ref().map(|p| &p.stage) {
        Some(Stage::ConfirmReplace { .. }) => vec![REPLACE_EDITS, KEEP_EDITS],
        Some(Stage::Reading { .. }) => vec![STOP_WAITING],
        _ => vec![READ_FOLDER, COMPLETE, CANCEL],
    }
}

/// The keys that work on the current screen, most useful first.
pub fn hints(app: &App) -> Vec<Hint> {
    if app.overlay == Some(Overlay::SourceFolder) {
        return folder_hints(app);
    }
    let mut keys = match app.step {
        Step::Source => vec![DISCOVER, MOVE, FILTER],
        Step::LoadBalancer => vec![NEXT, BACK],
        Step::Container if folder_prompt::locked_reason(app).is_some() => vec![NEXT, BACK, SCROLL_FINDINGS],
        Step::Container => vec![NEXT, BACK, OPEN_FOLDER, SCROLL_FINDINGS],
        Step::Iam => vec![NEXT, BACK, MOVE],
        Step::DataStores => vec![NEXT, BACK, MOVE, FILTER],
        Step::Service if app.service.editor.is_some() => return vec![SAVE, CLOSE_EDITOR],
        Step::Service => vec![NEXT, BACK, SWITCH_PANE, SCROLL, EDIT],
        Step::Plan if !app.apply_available => vec![PLAN_ONLY, MOVE, SCROLL_STEP, FILTER, BACK],
        Step::Plan if app.run.is_some() => vec![TO_RUN, MOVE, SCROLL_STEP, FILTER, BACK],
        Step::Plan => vec![APPROVE, MOVE, SCROLL_STEP, FILTER, BACK],
        Step::Apply => match app.run.as_ref().map(|r| &r.phase) {
            Some(RunPhase::Applying) => vec![CANCEL_ROLLBACK, LEAVE_RUN],
            Some(RunPhase::Applied) => vec![NEXT, ROLLBACK, BACK],
            Some(RunPhase::Failed { .. } | RunPhase::Cancelled { .. } | RunPhase::RollbackIncomplete { .. }) => {
                vec![ROLLBACK, BACK]
            }
            _ => vec![BACK],
        },
        Step::Verify => vec![BACK],
    };
    keys.extend([HELP, QUIT]);
    keys
}
