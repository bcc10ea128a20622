//! Service: the Dockerfile and the Express service config side by side, each editable.

use ratatui::Frame;
use ratatui::crossterm::event::KeyEvent;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Color, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};
use ratatui_textarea::TextArea;

use crate::generate::{scaling, task_size, wants_public};
use crate::migration::Migration;
use crate::model::ExpressServiceConfig;
use crate::tui::actions::{Action, Keymap};
use crate::tui::app::{App, Loadable};
use crate::tui::theme;
use crate::tui::widgets::{panel, safe};

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
}

#[derive(Debug, Default)]
pub struct State {
    pub focus: Pane,
    pub scroll: [u16; 2],
    /// The artifact being edited, if any: it takes every key until closed.
    pub editor: Option<Editor>,
}

impl State {
    /// Back to the top of both panes, for a fresh migration.
    pub fn reset(&mut self) {
        *self = State::default();
    }
}

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
}

impl Editor {
    fn text(&self) -> String {
        self.textarea.lines().join("\n")
    }

    pub fn is_modified(&self) -> bool {
        self.text().trim_end() != self.original.trim_end()
    }
}

pub fn handle_key(app: &mut App, key: KeyEvent) {
    if app.service.editor.is_some() {
        return edit_key(app, key);
    }
    let state = &mut app.service;
    let pane = state.focus.index();
    match app
        .keymap
        .action(&key, &[Action::Edit, Action::SwitchPane, Action::SwitchPaneBack, Action::PaneLeft, Action::PaneRight])
    {
        Some(Action::Edit) => open_editor(app),
        Some(Action::PaneLeft) => state.focus = Pane::Dockerfile,
        Some(Action::PaneRight) => state.focus = Pane::Config,
        // Two panes: either way is the other one.
        Some(_) => state.focus = state.focus.other(),
        None => state.scroll[pane] = super::scrolled(&app.keymap, &key, state.scroll[pane]),
    }
}

fn open_editor(app: &mut App) {
    if app.run.as_ref().is_some_and(|r| r.holds_resources()) {
        app.status = Some(format!(
            "this plan has a run: roll it back ({} on Apply) before editing",
            app.keymap.label(Action::RollBack)
        ));
        return;
    }
    let Some(migration) = app.migration() else {
        return;
    };
    let pane = app.service.focus;
    let original = match pane {
        Pane::Dockerfile => migration.artifacts.dockerfile.clone(),
        Pane::Config => migration.artifacts.service_json(),
    };
    let mut textarea = TextArea::new(original.lines().map(str::to_string).collect());
    textarea.set_line_number_style(theme::dim());
    app.service.editor = Some(Editor { pane, textarea, original, error: None, confirm_discard: false });
}

fn edit_key(app: &mut App, key: KeyEvent) {
    let Some(editor) = app.service.editor.as_mut() else {
        return;
    };
    if app.keymap.is(Action::Save, &key) {
        save(app);
    } else if !app.keymap.is(Action::CloseEditor, &key) {
        // Every other key is the editor's: text, and its own moves and edits.
        editor.confirm_discard = false;
        editor.textarea.input(key);
    } else if !editor.is_modified() || editor.confirm_discard {
        app.service.editor = None;
    } else {
        editor.confirm_discard = true;
    }
}

/// Saves the edit into the migration, which plans again; a config that does not parse is
/// refused with the reason and stays open, so nothing typed is lost.
fn save(app: &mut App) {
    let (Some(editor), Loadable::Ready(migration)) = (app.service.editor.as_mut(), &mut app.migration) else {
        return;
    };
    let text = editor.text();
    let mut artifacts = migration.artifacts.clone();
    match editor.pane {
        Pane::Config => match serde_json::from_str::<ExpressServiceConfig>(&text) {
            Ok(config) => artifacts.service_config = config,
            Err(error) => {
                editor.error = Some(format!("not saved: {error}"));
                return;
            }
        },
        Pane::Dockerfile if text.trim().is_empty() => {
            editor.error = Some("not saved: the Dockerfile is empty".into());
            return;
        }
        Pane::Dockerfile => artifacts.dockerfile = text + "\n",
    }
    let updated = migration.as_ref().clone().with_artifacts(artifacts);
    app.status = Some(format!("saved: the plan is now {}", updated.plan.short_hash()));
    **migration = updated;
    app.service.editor = None;
}

pub fn render(app: &App, migration: &Migration, frame: &mut Frame, area: Rect) {
    let [panes, sources] = Layout::vertical([Constraint::Min(5), Constraint::Length(3)]).areas(area);
    let [left, right] = Layout::horizontal([Constraint::Percentage(45), Constraint::Percentage(55)]).areas(panes);
    let area_of = |pane: Pane| {
        if pane == Pane::Dockerfile { left } else { right }
    };
    match &app.service.editor {
        Some(editor) => {
            render_editor(editor, &app.keymap, frame, area_of(editor.pane), sources);
            render_pane(editor.pane.other(), app, migration, frame, area_of(editor.pane.other()));
        }
        None => {
            render_pane(Pane::Dockerfile, app, migration, frame, left);
            render_pane(Pane::Config, app, migration, frame, right);
            render_sources(migration, frame, sources);
        }
    }
}

fn render_pane(pane: Pane, app: &App, migration: &Migration, frame: &mut Frame, area: Rect) {
    let state = &app.service;
    let focused = state.focus == pane && state.editor.is_none();
    let mark = if focused { "▌" } else { " " };
    let (title, lines): (String, Vec<Line>) = match pane {
        Pane::Dockerfile => {
            (format!("{mark}Dockerfile "), migration.artifacts.dockerfile.lines().map(dockerfile_line).collect())
        }
        Pane::Config => (
            format!("{mark}service.json (Express Mode) "),
            migration.artifacts.service_json().lines().map(json_line).collect(),
        ),
    };
    let paragraph = Paragraph::new(lines).block(panel(title, focused)).scroll((state.scroll[pane.index()], 0));
    frame.render_widget(paragraph, area);
}

fn render_editor(editor: &Editor, keymap: &Keymap, frame: &mut Frame, area: Rect, message_area: Rect) {
    let name = if editor.pane == Pane::Dockerfile { "Dockerfile" } else { "service.json" };
    let close = keymap.label(Action::CloseEditor);
    let note = match editor.confirm_discard {
        true => format!("unsaved changes: {close} again discards"),
        false => format!("{} save · {close} close", keymap.label(Action::Save)),
    };
    let mut textarea = editor.textarea.clone();
    textarea.set_block(panel(format!("▌editing {name} · {note} "), true));
    frame.render_widget(&textarea, area);
    if let Some(error) = &editor.error {
        let message = Paragraph::new(safe(error)).style(theme::error()).wrap(Wrap { trim: true });
        frame.render_widget(message, message_area);
    }
}

/// Where each fact in the artifacts came from.
fn render_sources(migration: &Migration, frame: &mut Frame, area: Rect) {
    let profile = &migration.profile;
    let size = task_size(&migration.graph.instance.instance_type);
    let scaling = scaling(&migration.graph);
    let exposure = if wants_public(&migration.graph) {
        "public ← internet-facing ALB"
    } else {
        "private ← internal or no ALB"
    };
    let facts = vec![
        Line::from(vec![
            Span::raw(format!("port {} ", profile.port)),
            Span::styled(format!("← {}", profile.port_source), theme::dim()),
            Span::raw(format!(" · health {} ", safe(&profile.health_check_path))),
            Span::styled(format!("← {}", profile.health_source), theme::dim()),
        ]),
        Line::from(vec![
            Span::raw(format!("cpu {} / mem {} ", size.cpu, size.memory)),
            Span::styled(format!("← {}", safe(&migration.graph.instance.instance_type)), theme::dim()),
            Span::raw(format!(" · {exposure}")),
            Span::styled("  · ${…} values are filled in at apply time", theme::dim()),
        ]),
        Line::from(vec![
            Span::raw(format!("tasks {}–{} ", scaling.target.min_task_count, scaling.target.max_task_count)),
            Span::styled(format!("← {}", safe(&scaling.reason)), theme::dim()),
        ]),
    ];
    frame.render_widget(Paragraph::new(facts), area);
}

fn dockerfile_line(line: &str) -> Line<'static> {
    if line.starts_with('#') {
        return Line::styled(safe(line), theme::dim());
    }
    match line.split_once(' ') {
        Some((word, rest)) if word.chars().all(|c| c.is_ascii_uppercase()) => Line::from(vec![
            Span::styled(word.to_string(), Style::new().fg(Color::Magenta)),
            Span::raw(format!(" {}", safe(rest))),
        ]),
        _ => Line::from(safe(line)),
    }
}

/// Keys in one colour, values in another: enough to read the document at a glance.
fn json_line(line: &str) -> Line<'static> {
    let trimmed = line.trim_start();
    let indent = &line[..line.len() - trimmed.len()];
    if let Some(rest) = trimmed.strip_prefix('"')
        && let Some((key, value)) = rest.split_once("\":")
    {
        return Line::from(vec![
            Span::raw(indent.to_string()),
            Span::styled(format!("\"{}\"", safe(key)), Style::new().fg(theme::ACCENT)),
            Span::raw(":"),
            Span::styled(safe(value), Style::new().fg(Color::Green)),
        ]);
    }
    Line::from(safe(line))
}
