//! Service: the Dockerfile and the Express service config side by side, each editable, each
//! marked when edited, with a diff against what ferry generated and a way back to it.

mod diff;
mod editor;
mod edits;
mod panes;
mod summary;

use std::cell::Cell;

use ratatui::Frame;
use ratatui::crossterm::event::KeyEvent;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::Line;

use super::{Context, Reply, Screen, migration_or_placeholder};
use crate::migration::Migration;
use crate::tui::actions::{Action, Keymap};
use crate::tui::keymap::{Hint, act, either, moves, of};

pub use editor::Editor;
pub use edits::{dropped_note, kept_note};
pub use panes::Extent;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Pane {
    #[default]
    Dockerfile,
    Config,
}

impl Pane {
    fn other(self) -> Pane {
        match self {
            Pane::Dockerfile => Pane::Config,
            Pane::Config => Pane::Dockerfile,
        }
    }

    fn index(self) -> usize {
        self as usize
    }

    /// The artifact's name, as messages and titles say it.
    pub fn name(self) -> &'static str {
        match self {
            Pane::Dockerfile => "Dockerfile",
            Pane::Config => "service.json",
        }
    }
}

/// How far one press of the sideways scroll keys moves.
const SIDEWAYS: u16 = 8;

/// The Service step: the two artifacts side by side, each pane's scroll, and the editor.
#[derive(Debug, Default)]
pub struct Service {
    pub focus: Pane,
    pub scroll: [u16; 2],
    /// How far each pane is scrolled sideways.
    pub hscroll: [u16; 2],
    /// The focused artifact's diff against the generated one is shown instead of the panes.
    pub diff: bool,
    /// The artifact being edited, if any: it takes every key until closed.
    pub editor: Option<Editor>,
    /// The artifact the operator asked to revert to generated, until they answer.
    pub revert: Option<Pane>,
    /// What the last frame showed of each pane: the scroll keys stop at its end, and are shown
    /// only when they can move. Drawing is where a pane's size is known, so it is kept here.
    pub shown: [Cell<Extent>; 2],
}

impl Screen for Service {
    fn title(&self) -> &'static str {
        "Service"
    }

    fn purpose(&self, keymap: &Keymap) -> String {
        let key = |action| keymap.label(action);
        format!(
            "Dockerfile and service config side by side: {} edits, {} diffs, {} reverts.",
            key(Action::Edit),
            key(Action::Diff),
            key(Action::Revert)
        )
    }

    fn help_notes(&self, keymap: &Keymap) -> Vec<String> {
        editor::help_notes(keymap)
    }

    fn hints(&self, ctx: &Context) -> Vec<Hint> {
        let keymap = ctx.keymap;
        if self.editor.is_some() {
            let keys = [Action::Save, Action::CloseEditor, Action::UndoEdit, Action::RedoEdit];
            return keys.into_iter().map(|action| of(keymap, action)).collect();
        }
        if self.revert.is_some() {
            return vec![
                act(keymap, Action::Confirm, "revert to generated"),
                either(keymap, Action::Decline, Action::Cancel, "keep the edit"),
            ];
        }
        // Most useful first: a narrow footer drops the last before `? help`.
        let back = if self.diff { act(keymap, Action::Back, "close the diff") } else { of(keymap, Action::Back) };
        let mut keys = vec![of(keymap, Action::Next), back, of(keymap, Action::Edit)];
        if ctx.migration().is_some_and(|m| edits::is_edited(m, self.focus)) {
            keys.push(if self.diff { act(keymap, Action::Diff, "close the diff") } else { of(keymap, Action::Diff) });
            keys.push(of(keymap, Action::Revert));
        }
        keys.push(of(keymap, Action::SwitchPane));
        let extent = self.shown[self.focus.index()].get();
        if extent.max_down() > 0 {
            keys.push(moves(keymap, "scroll"));
        }
        if extent.max_right() > 0 {
            keys.push(either(keymap, Action::ScrollLeft, Action::ScrollRight, "scroll sideways"));
        }
        keys
    }

    fn owns_the_footer(&self) -> bool {
        self.editor.is_some() || self.revert.is_some()
    }

    fn is_typing(&self) -> bool {
        self.editor.is_some() || self.revert.is_some()
    }

    /// Esc closes the diff before it leaves the step.
    fn clear_filter(&mut self) -> bool {
        std::mem::take(&mut self.diff)
    }

    fn handle_key(&mut self, ctx: &Context, key: KeyEvent) -> Reply {
        if self.editor.is_some() {
            return self.edit_key(ctx, key);
        }
        if let Some(pane) = self.revert {
            return self.revert_key(ctx, key, pane);
        }
        let pane = self.focus.index();
        let extent = self.shown[pane].get();
        use Action::{Diff, Edit, PaneLeft, PaneRight, Revert, ScrollLeft, ScrollRight, SwitchPane, SwitchPaneBack};
        let keys = [Edit, Diff, Revert, ScrollLeft, ScrollRight, SwitchPane, SwitchPaneBack, PaneLeft, PaneRight];
        match ctx.keymap.action(&key, &keys) {
            Some(Edit) => return self.open_editor(ctx),
            Some(Diff) => return self.toggle_diff(ctx),
            Some(Revert) => return self.ask_revert(ctx),
            Some(ScrollLeft) => self.hscroll[pane] = self.hscroll[pane].saturating_sub(SIDEWAYS),
            Some(ScrollRight) => self.hscroll[pane] = extent.clamp_right(self.hscroll[pane].saturating_add(SIDEWAYS)),
            Some(PaneLeft) => self.focus = Pane::Dockerfile,
            Some(PaneRight) => self.focus = Pane::Config,
            // Two panes: either way is the other one.
            Some(_) => self.focus = self.focus.other(),
            None => self.scroll[pane] = extent.clamp_down(super::scrolled(ctx.keymap, &key, self.scroll[pane])),
        }
        Reply::Done
    }

    /// Back to the top of both panes, for a fresh migration.
    fn reset(&mut self) {
        *self = Service::default();
    }

    fn render(&self, ctx: &Context, frame: &mut Frame, area: Rect) {
        if let Some(migration) = migration_or_placeholder(ctx, self.title(), frame, area) {
            render(self, ctx.keymap, migration, frame, area);
        }
    }
}

impl Service {
    /// `d`: the focused artifact's diff, or the panes again.
    fn toggle_diff(&mut self, ctx: &Context) -> Reply {
        let Some(migration) = ctx.migration() else { return Reply::Done };
        if !self.diff && !edits::is_edited(migration, self.focus) {
            return Reply::Say(format!("{} is as ferry generated it: nothing to compare", self.focus.name()));
        }
        self.diff = !self.diff;
        let pane = self.focus.index();
        (self.scroll[pane], self.hscroll[pane]) = (0, 0);
        Reply::Done
    }

    /// `u`: asks before putting the generated artifact back, as an edit is work to lose.
    fn ask_revert(&mut self, ctx: &Context) -> Reply {
        let Some(migration) = ctx.migration() else { return Reply::Done };
        if let Some(reason) = ctx.locked_reason() {
            return Reply::Say(format!("the edits are {reason}"));
        }
        if !edits::is_edited(migration, self.focus) {
            return Reply::Say(format!("{} is as ferry generated it already", self.focus.name()));
        }
        self.revert = Some(self.focus);
        Reply::Done
    }

    fn revert_key(&mut self, ctx: &Context, key: KeyEvent, pane: Pane) -> Reply {
        if ctx.keymap.answers(Action::Confirm, &key) {
            self.revert = None;
            self.diff = false;
            let Some(migration) = ctx.migration() else { return Reply::Done };
            let reverted = edits::reverted(migration, pane);
            let note = format!(
                "{} is as ferry generated it again: the plan is now {}",
                pane.name(),
                reverted.plan.short_hash()
            );
            return Reply::Edited(Box::new(reverted), note);
        }
        if ctx.keymap.answers(Action::Decline, &key) || ctx.keymap.is(Action::Cancel, &key) {
            self.revert = None;
            return Reply::Say(format!("kept the edit to {}", pane.name()));
        }
        Reply::Done
    }
}

fn render(screen: &Service, keymap: &Keymap, migration: &Migration, frame: &mut Frame, area: Rect) {
    if let Some(editor) = &screen.editor {
        editor::render(editor, keymap, migration, frame, area);
        return;
    }
    let [panes, sources] = Layout::vertical([Constraint::Min(5), Constraint::Length(3)]).areas(area);
    if screen.diff {
        panes::render_diff(screen, migration, frame, panes);
    } else {
        let [left, right] = Layout::horizontal([Constraint::Percentage(45), Constraint::Percentage(55)]).areas(panes);
        panes::render_pane(Pane::Dockerfile, screen, migration, frame, left);
        panes::render_pane(Pane::Config, screen, migration, frame, right);
    }
    let facts = summary::lines(&migration.artifacts.service_config, migration, false);
    frame.render_widget(ratatui::widgets::Paragraph::new(facts), sources);
    if let Some(pane) = screen.revert {
        let lines = vec![
            Line::from(format!("Put back the {} ferry generated?", pane.name())),
            Line::from("The edit is dropped and the plan is made again."),
            Line::from(""),
            crate::tui::keymap::prompt_hint_line(vec![
                act(keymap, Action::Confirm, "revert"),
                either(keymap, Action::Decline, Action::Cancel, "keep the edit"),
            ]),
        ];
        crate::tui::view::confirm(frame, " Revert? ", lines);
    }
}
