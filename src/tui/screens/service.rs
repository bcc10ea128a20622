//! Service: the Dockerfile and the Express service config side by side.

use ratatui::Frame;
use ratatui::crossterm::event::{KeyCode, KeyEvent};
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Color, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use crate::generate::task_size;
use crate::migration::Migration;
use crate::tui::app::App;
use crate::tui::theme;
use crate::tui::widgets::{panel, safe};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Pane {
    #[default]
    Dockerfile,
    Config,
}

#[derive(Debug, Clone, Default)]
pub struct State {
    pub focus: Pane,
    pub scroll: [u16; 2],
}

impl State {
    /// Back to the top of both panes, for a fresh migration.
    pub fn reset(&mut self) {
        *self = State::default();
    }

    fn focused(&self) -> usize {
        match self.focus {
            Pane::Dockerfile => 0,
            Pane::Config => 1,
        }
    }
}

pub fn handle_key(app: &mut App, key: KeyEvent) {
    let state = &mut app.service;
    let pane = state.focused();
    match key.code {
        KeyCode::Tab
        | KeyCode::BackTab
        | KeyCode::Left
        | KeyCode::Right
        | KeyCode::Char('h')
        | KeyCode::Char('l') => {
            state.focus = if state.focus == Pane::Dockerfile {
                Pane::Config
            } else {
                Pane::Dockerfile
            };
        }
        KeyCode::Down | KeyCode::Char('j') => {
            state.scroll[pane] = state.scroll[pane].saturating_add(1)
        }
        KeyCode::Up | KeyCode::Char('k') => {
            state.scroll[pane] = state.scroll[pane].saturating_sub(1)
        }
        KeyCode::PageDown => state.scroll[pane] = state.scroll[pane].saturating_add(10),
        KeyCode::PageUp => state.scroll[pane] = state.scroll[pane].saturating_sub(10),
        KeyCode::Home | KeyCode::Char('g') => state.scroll[pane] = 0,
        _ => {}
    }
}

pub fn render(app: &App, migration: &Migration, frame: &mut Frame, area: Rect) {
    let [panes, sources] =
        Layout::vertical([Constraint::Min(5), Constraint::Length(2)]).areas(area);
    let [left, right] =
        Layout::horizontal([Constraint::Percentage(45), Constraint::Percentage(55)]).areas(panes);
    let state = &app.service;
    let focus_mark = |pane: Pane| if state.focus == pane { "▌" } else { " " };

    let dockerfile: Vec<Line> = migration
        .artifacts
        .dockerfile
        .lines()
        .map(dockerfile_line)
        .collect();
    let title = format!("{}Dockerfile ", focus_mark(Pane::Dockerfile));
    frame.render_widget(
        Paragraph::new(dockerfile)
            .block(panel(title, state.focus == Pane::Dockerfile))
            .scroll((state.scroll[0], 0)),
        left,
    );

    let config: Vec<Line> = migration
        .artifacts
        .service_json()
        .lines()
        .map(json_line)
        .collect();
    let title = format!("{}service.json (Express Mode) ", focus_mark(Pane::Config));
    frame.render_widget(
        Paragraph::new(config)
            .block(panel(title, state.focus == Pane::Config))
            .scroll((state.scroll[1], 0)),
        right,
    );

    let profile = &migration.profile;
    let size = task_size(&migration.graph.instance.instance_type);
    let exposure = if crate::generate::wants_public(&migration.graph) {
        "public ← internet-facing ALB"
    } else {
        "private ← internal or no ALB"
    };
    let facts = vec![
        Line::from(vec![
            Span::raw(format!("port {} ", profile.port)),
            Span::styled(format!("← {}", profile.port_source), theme::dim()),
            Span::raw(format!(" · health {} ", profile.health_check_path)),
            Span::styled(format!("← {}", profile.health_source), theme::dim()),
        ]),
        Line::from(vec![
            Span::raw(format!("cpu {} / mem {} ", size.cpu, size.memory)),
            Span::styled(
                format!("← {}", safe(&migration.graph.instance.instance_type)),
                theme::dim(),
            ),
            Span::raw(format!(" · {exposure}")),
            Span::styled("  · ${…} values are filled in at apply time", theme::dim()),
        ]),
    ];
    frame.render_widget(Paragraph::new(facts), sources);
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

/// Keys in one colour, string values in another: enough to read the document at a glance.
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
