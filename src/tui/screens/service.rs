//! Service: the Dockerfile and the Express service config side by side, each editable.

use ratatui::Frame;
use ratatui::crossterm::event::KeyEvent;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Color, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};
use ratatui_textarea::TextArea;

use super::{Context, Reply, Screen, migration_or_placeholder};
use crate::generate::{scaling, task_size, wants_public};
use crate::migration::Migration;
use crate::model::ExpressServiceConfig;
use crate::tui::actions::{Action, Keymap};
use crate::tui::keymap::{Hint, moves, of};
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

/// The Service step: the two artifacts side by side, each pane's scroll, and the editor.
#[derive(Debug, Default)]
pub struct Service {
    pub focus: Pane,
    pub scroll: [u16; 2],
    /// The artifact being edited, if any: it takes every key until closed.
    pub editor: Option<Editor>,
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

impl Screen for Service {
    fn title(&self) -> &'static str {
        "Service"
    }

    fn purpose(&self, keymap: &Keymap) -> String {
        format!(
            "The Dockerfile and the Express service config, side by side; {} edits one.",
            keymap.label(Action::Edit)
        )
    }

    fn hints(&self, ctx: &Context) -> Vec<Hint> {
        let keymap = ctx.keymap;
        if self.editor.is_some() {
            return vec![of(keymap, Action::Save), of(keymap, Action::CloseEditor)];
        }
        let [next, back, switch, edit] = [Action::Next, Action::Back, Action::SwitchPane, Action::Edit];
        vec![of(keymap, next), of(keymap, back), of(keymap, switch), moves(keymap, "scroll"), of(keymap, edit)]
    }

    fn owns_the_footer(&self) -> bool {
        self.editor.is_some()
    }

    fn is_typing(&self) -> bool {
        self.editor.is_some()
    }

    fn handle_key(&mut self, ctx: &Context, key: KeyEvent) -> Reply {
        if self.editor.is_some() {
            return self.edit_key(ctx, key);
        }
        let pane = self.focus.index();
        let panes = [Action::Edit, Action::SwitchPane, Action::SwitchPaneBack, Action::PaneLeft, Action::PaneRight];
        match ctx.keymap.action(&key, &panes) {
            Some(Action::Edit) => return self.open_editor(ctx),
            Some(Action::PaneLeft) => self.focus = Pane::Dockerfile,
            Some(Action::PaneRight) => self.focus = Pane::Config,
            // Two panes: either way is the other one.
            Some(_) => self.focus = self.focus.other(),
            None => self.scroll[pane] = super::scrolled(ctx.keymap, &key, self.scroll[pane]),
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
    fn open_editor(&mut self, ctx: &Context) -> Reply {
        if ctx.run_holds_resources() {
            return Reply::Say(format!(
                "this plan has a run: roll it back ({} on Apply) before editing",
                ctx.keymap.label(Action::RollBack)
            ));
        }
        let Some(migration) = ctx.migration() else {
            return Reply::Done;
        };
        let pane = self.focus;
        let original = match pane {
            Pane::Dockerfile => migration.artifacts.dockerfile.clone(),
            Pane::Config => migration.artifacts.service_json(),
        };
        let mut textarea = TextArea::new(original.lines().map(str::to_string).collect());
        textarea.set_line_number_style(theme::dim());
        self.editor = Some(Editor { pane, textarea, original, error: None, confirm_discard: false });
        Reply::Done
    }

    fn edit_key(&mut self, ctx: &Context, key: KeyEvent) -> Reply {
        let Some(editor) = self.editor.as_mut() else {
            return Reply::Done;
        };
        if ctx.keymap.is(Action::Save, &key) {
            return self.save(ctx);
        }
        if !ctx.keymap.is(Action::CloseEditor, &key) {
            // Every other key is the editor's: text, and its own moves and edits.
            editor.confirm_discard = false;
            editor.textarea.input(key);
        } else if !editor.is_modified() || editor.confirm_discard {
            self.editor = None;
        } else {
            editor.confirm_discard = true;
        }
        Reply::Done
    }

    /// Saves the edit into the migration, which plans again; a config that does not parse is
    /// refused with the reason and stays open, so nothing typed is lost.
    fn save(&mut self, ctx: &Context) -> Reply {
        let (Some(editor), Some(migration)) = (self.editor.as_mut(), ctx.migration()) else {
            return Reply::Done;
        };
        let text = editor.text();
        let mut artifacts = migration.artifacts.clone();
        match editor.pane {
            Pane::Config => match serde_json::from_str::<ExpressServiceConfig>(&text) {
                Ok(config) => artifacts.service_config = config,
                Err(error) => {
                    editor.error = Some(format!("not saved: {error}"));
                    return Reply::Done;
                }
            },
            Pane::Dockerfile if text.trim().is_empty() => {
                editor.error = Some("not saved: the Dockerfile is empty".into());
                return Reply::Done;
            }
            Pane::Dockerfile => artifacts.dockerfile = text + "\n",
        }
        let updated = migration.clone().with_artifacts(artifacts);
        let note = format!("saved: the plan is now {}", updated.plan.short_hash());
        self.editor = None;
        Reply::Edited(Box::new(updated), note)
    }
}

fn render(screen: &Service, keymap: &Keymap, migration: &Migration, frame: &mut Frame, area: Rect) {
    let [panes, sources] = Layout::vertical([Constraint::Min(5), Constraint::Length(3)]).areas(area);
    let [left, right] = Layout::horizontal([Constraint::Percentage(45), Constraint::Percentage(55)]).areas(panes);
    let area_of = |pane: Pane| {
        if pane == Pane::Dockerfile { left } else { right }
    };
    match &screen.editor {
        Some(editor) => {
            render_editor(editor, keymap, frame, area_of(editor.pane), sources);
            render_pane(editor.pane.other(), screen, migration, frame, area_of(editor.pane.other()));
        }
        None => {
            render_pane(Pane::Dockerfile, screen, migration, frame, left);
            render_pane(Pane::Config, screen, migration, frame, right);
            render_sources(migration, frame, sources);
        }
    }
}

fn render_pane(pane: Pane, state: &Service, migration: &Migration, frame: &mut Frame, area: Rect) {
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
    // Unlike the other panes, not clamped: its scroll keys are shown before its height is
    // known, so they must act at any size (left for the pane layout of issue 17).
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
