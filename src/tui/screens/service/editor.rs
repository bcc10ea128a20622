//! The artifact editor: a text area judged as the operator types, by the same rules that guard
//! approval (`plan::check_service_json`, `plan::check_dockerfile`), each problem marked at its
//! line. A config that does not read is not saved; one that reads but breaks a rule is saved,
//! said, and its plan cannot be approved until it is fixed.

use ratatui::Frame;
use ratatui::crossterm::event::KeyEvent;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Modifier;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use ratatui_textarea::TextArea;

use super::{Pane, Reply, Service, summary};
use crate::migration::Migration;
use crate::model::ExpressServiceConfig;
use crate::plan::{LineProblem, check_dockerfile, check_service_json};
use crate::tui::actions::{Action, Keymap};
use crate::tui::screens::Context;
use crate::tui::theme;
use crate::tui::widgets::{panel, safe, truncate};

/// The most problems listed under the editor; the rest are counted.
const MOST_LISTED: usize = 4;

/// An artifact open for editing. Closing it with changes asks first, so no work is lost.
#[derive(Debug)]
pub struct Editor {
    pub pane: Pane,
    pub textarea: TextArea<'static>,
    pub original: String,
    /// Why the last save was refused.
    pub error: Option<String>,
    /// Esc was pressed with unsaved changes: a second Esc discards them.
    pub confirm_discard: bool,
    /// What the text breaks as it stands, each on its line.
    pub problems: Vec<LineProblem>,
    /// The service config the text reads as, while it reads as one.
    pub config: Option<ExpressServiceConfig>,
    /// The account and region the plan deploys to: the rules judge ARNs against them.
    account: (String, String),
}

impl Editor {
    fn new(pane: Pane, original: String, migration: &Migration) -> Editor {
        let mut textarea = TextArea::new(original.lines().map(str::to_string).collect());
        textarea.set_line_number_style(theme::dim());
        let account = (migration.account.account_id.clone(), migration.account.region.clone());
        let mut editor = Editor {
            pane,
            textarea,
            original,
            error: None,
            confirm_discard: false,
            problems: Vec::new(),
            config: None,
            account,
        };
        editor.check();
        editor
    }

    pub fn text(&self) -> String {
        self.textarea.lines().join("\n")
    }

    pub fn is_modified(&self) -> bool {
        self.text().trim_end() != self.original.trim_end()
    }

    /// Judges the text again: after every change, so the marks follow the typing.
    fn check(&mut self) {
        let text = self.text();
        match self.pane {
            Pane::Config => (self.config, self.problems) = check_service_json(&text, &self.account.0, &self.account.1),
            Pane::Dockerfile => self.problems = check_dockerfile(&text),
        }
    }
}

/// `line 18 · cpu: "999" is not a Fargate cpu value…`
fn problem_text(problem: &LineProblem) -> String {
    format!("line {} · {}", problem.line, problem.problem)
}

impl Service {
    pub(super) fn open_editor(&mut self, ctx: &Context) -> Reply {
        if ctx.run_holds_resources() {
            return Reply::Say(format!(
                "this plan has a run: roll it back ({} on Apply) before editing",
                ctx.keymap.label(Action::RollBack)
            ));
        }
        let Some(migration) = ctx.migration() else {
            return Reply::Done;
        };
        let original = super::edits::text_of(&migration.artifacts, self.focus);
        self.diff = false;
        self.editor = Some(Editor::new(self.focus, original, migration));
        Reply::Done
    }

    pub(super) fn edit_key(&mut self, ctx: &Context, key: KeyEvent) -> Reply {
        let keymap = ctx.keymap;
        if keymap.is(Action::Save, &key) {
            return self.save(ctx);
        }
        let Some(editor) = self.editor.as_mut() else {
            return Reply::Done;
        };
        if let Some(action) = keymap.action(&key, &[Action::UndoEdit, Action::RedoEdit]) {
            let undo = action == Action::UndoEdit;
            let done = if undo { editor.textarea.undo() } else { editor.textarea.redo() };
            editor.confirm_discard = false;
            editor.check();
            return match done {
                true => Reply::Done,
                false => Reply::Say(if undo { "nothing to undo" } else { "nothing to redo" }.into()),
            };
        }
        if !keymap.is(Action::CloseEditor, &key) {
            // Every other key is the editor's: text, and its own moves and edits.
            editor.confirm_discard = false;
            if editor.textarea.input(key) {
                editor.check();
            }
        } else if !editor.is_modified() || editor.confirm_discard {
            self.editor = None;
        } else {
            editor.confirm_discard = true;
        }
        Reply::Done
    }

    /// Saves the edit into the migration, which plans again. A config that does not read is
    /// refused with the reason and stays open, so nothing typed is lost; one that reads but
    /// breaks a rule is saved and said, and approval refuses its plan until it is fixed.
    fn save(&mut self, ctx: &Context) -> Reply {
        let (Some(editor), Some(migration)) = (self.editor.as_mut(), ctx.migration()) else {
            return Reply::Done;
        };
        let text = editor.text();
        let mut artifacts = migration.artifacts.clone();
        match (editor.pane, &editor.config) {
            (Pane::Config, Some(config)) => artifacts.service_config = config.clone(),
            (Pane::Config, None) => {
                let why = editor.problems.first().map_or_else(String::new, problem_text);
                editor.error = Some(format!("not saved: {why}"));
                return Reply::Done;
            }
            (Pane::Dockerfile, _) if text.trim().is_empty() => {
                editor.error = Some("not saved: the Dockerfile is empty".into());
                return Reply::Done;
            }
            (Pane::Dockerfile, _) => artifacts.dockerfile = text + "\n",
        }
        let updated = migration.clone().with_artifacts(artifacts);
        let hash = updated.plan.short_hash().to_string();
        let note = match editor.problems.first() {
            None => format!("saved: the plan is now {hash}"),
            Some(first) => format!(
                "saved with {}: plan {hash} cannot be approved until fixed ({})",
                count(editor.problems.len()),
                problem_text(first)
            ),
        };
        self.editor = None;
        Reply::Edited(Box::new(updated), note)
    }
}

/// `1 problem`, `3 problems`.
fn count(n: usize) -> String {
    if n == 1 { "1 problem".into() } else { format!("{n} problems") }
}

/// What `?` says of the editor: its keys (each line fits the help at 80 columns).
pub fn help_notes(keymap: &Keymap) -> Vec<String> {
    let key = |action| keymap.label(action);
    vec![
        format!(
            "In the editor: {} save · {} close · {} undo · {} redo",
            key(Action::Save),
            key(Action::CloseEditor),
            key(Action::UndoEdit),
            key(Action::RedoEdit)
        ),
        "arrows, Home/End, PageUp/PageDown move; Ctrl-K/Ctrl-W cut, Ctrl-Y pastes".into(),
    ]
}

/// The editor over both panes, its problems under it, and the facts as the text says them.
pub fn render(editor: &Editor, keymap: &Keymap, migration: &Migration, frame: &mut Frame, area: Rect) {
    let width = usize::from(area.width);
    let mut messages: Vec<Line> = Vec::new();
    if let Some(error) = &editor.error {
        messages.push(Line::styled(truncate(&safe(error), width), theme::error()));
    }
    for problem in editor.problems.iter().take(MOST_LISTED) {
        let text = truncate(&safe(&problem_text(problem)), width.saturating_sub(2));
        messages.push(Line::from(vec![Span::styled("✗ ", theme::error()), Span::raw(text)]));
    }
    if editor.problems.len() > MOST_LISTED {
        let more = format!("  … and {} more (all on the Plan step once saved)", editor.problems.len() - MOST_LISTED);
        messages.push(Line::styled(more, theme::dim()));
    }
    let typed = editor.pane == Pane::Config && editor.config.is_some();
    let config = editor.config.as_ref().filter(|_| typed).unwrap_or(&migration.artifacts.service_config);
    let facts = summary::lines(config, migration, typed && editor.is_modified());
    let [text_area, message_area, facts_area] =
        Layout::vertical([Constraint::Min(5), Constraint::Length(messages.len() as u16), Constraint::Length(3)])
            .areas(area);
    render_text(editor, keymap, frame, text_area);
    frame.render_widget(Paragraph::new(messages), message_area);
    frame.render_widget(Paragraph::new(facts), facts_area);
}

/// The text area in its panel, each line with a problem marked in the gutter: `✗` and its
/// number in reverse video, which stays a cue without colour.
fn render_text(editor: &Editor, keymap: &Keymap, frame: &mut Frame, area: Rect) {
    let close = keymap.label(Action::CloseEditor);
    let state = match (editor.confirm_discard, editor.problems.len()) {
        (true, _) => format!("unsaved changes: {close} again discards"),
        (false, 0) => "✓ valid".to_string(),
        (false, n) => format!("✗ {} · the plan cannot be approved like this", count(n)),
    };
    let block = panel(format!("▌editing {} · {state} ", editor.pane.name()), true);
    let inner = block.inner(area);
    frame.render_widget(block, area);
    frame.render_widget(&editor.textarea, inner);
    let (top, _) = editor.textarea.scroll_offset();
    let gutter = editor.textarea.line_number_width();
    let buffer = frame.buffer_mut();
    for problem in &editor.problems {
        let Some(row) = problem.line.checked_sub(1 + usize::from(top)) else { continue };
        if row >= usize::from(inner.height) || gutter == 0 {
            continue;
        }
        let y = inner.y + row as u16;
        for x in inner.x..(inner.x + gutter).min(inner.right()) {
            let cell = &mut buffer[(x, y)];
            cell.set_style(theme::error().add_modifier(Modifier::REVERSED | Modifier::BOLD));
            if x == inner.x {
                cell.set_symbol("✗");
            }
        }
    }
}
