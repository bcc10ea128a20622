//! The training panel (`t`): per-step notes in Markdown, from `assets/training/` (built in),
//! overridden by the scenario's own notes and by the trainer's in the config folder.

mod markdown;

use std::path::PathBuf;

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::Line;
use ratatui::widgets::{Block, Borders, Clear, Paragraph, Wrap};

use super::app::App;
use super::steps::Step;
use super::theme;

pub use markdown::render as render_markdown;

/// The bundled notes, one per step, by file stem.
const NOTES: [(&str, &str); 11] = [
    ("source", include_str!("../../../assets/training/source.md")),
    ("load-balancer", include_str!("../../../assets/training/load-balancer.md")),
    ("iam", include_str!("../../../assets/training/iam.md")),
    ("data-stores", include_str!("../../../assets/training/data-stores.md")),
    ("container", include_str!("../../../assets/training/container.md")),
    ("service", include_str!("../../../assets/training/service.md")),
    ("plan", include_str!("../../../assets/training/plan.md")),
    ("apply", include_str!("../../../assets/training/apply.md")),
    ("verify", include_str!("../../../assets/training/verify.md")),
    ("cutover", include_str!("../../../assets/training/cutover.md")),
    ("retire", include_str!("../../../assets/training/retire.md")),
];

/// Bundled notes for one scenario's step, overriding the general ones: (scenario, stem, text).
const SCENARIO_NOTES: [(&str, &str, &str); 3] = [
    ("legacy-monolith", "container", include_str!("../../../assets/training/legacy-monolith/container.md")),
    ("flaky-network", "apply", include_str!("../../../assets/training/flaky-network/apply.md")),
    ("python-shop", "container", include_str!("../../../assets/training/python-shop/container.md")),
];

/// Whether the panel can be shown (the demo), whether it is, and whose notes it reads.
#[derive(Debug, Clone, Default)]
pub struct Training {
    /// The demo offers the panel; a live account's wizard does not.
    pub available: bool,
    pub shown: bool,
    /// How far the notes are scrolled, in lines.
    pub scroll: u16,
    /// The scenario's name, for its own notes.
    pub scenario: Option<String>,
    /// The trainer's notes folder (`training/` beside the settings file).
    pub trainer_dir: Option<PathBuf>,
}

impl Training {
    /// The demo's panel for `scenario`, reading the trainer's notes from the config folder.
    pub fn for_demo(scenario: &str) -> Training {
        let trainer_dir = crate::config::config_path().and_then(|f| f.parent().map(|d| d.join("training")));
        Training { available: true, shown: false, scroll: 0, scenario: Some(scenario.to_string()), trainer_dir }
    }

    /// The notes for `step`: the trainer's for this scenario, the trainer's, the bundled ones
    /// for this scenario, the bundled ones; and where they came from.
    pub fn notes(&self, step: Step) -> (String, String) {
        let stem = stem(step);
        let scenario = self.scenario.as_deref().unwrap_or("");
        if let Some(dir) = &self.trainer_dir {
            for path in [dir.join(scenario).join(format!("{stem}.md")), dir.join(format!("{stem}.md"))] {
                if let Ok(text) = crate::files::read_bounded_text(&path, 256 * 1024, "training notes") {
                    return (text, path.display().to_string());
                }
            }
        }
        if let Some((_, _, text)) = SCENARIO_NOTES.iter().find(|(s, n, _)| *s == scenario && *n == stem) {
            return (text.to_string(), format!("assets/training/{scenario}/{stem}.md"));
        }
        let text = NOTES.iter().find(|(n, _)| *n == stem).map_or("", |(_, t)| t);
        (text.to_string(), format!("assets/training/{stem}.md"))
    }
}

/// While the panel is shown, the page keys scroll its notes; whether `key` did.
pub fn on_key(app: &mut App, key: &ratatui::crossterm::event::KeyEvent) -> bool {
    use super::actions::Action;
    if !(app.training.available && app.training.shown) {
        return false;
    }
    let page = 8;
    if app.keymap.is(Action::PageDown, key) {
        app.training.scroll = app.training.scroll.saturating_add(page);
    } else if app.keymap.is(Action::PageUp, key) {
        app.training.scroll = app.training.scroll.saturating_sub(page);
    } else {
        return false;
    }
    true
}

/// How many rows `text` takes when wrapped at word boundaries in `width` columns.
fn wrapped_rows(text: &str, width: usize) -> usize {
    let mut rows = 1;
    let mut used = 0;
    for word in text.split(' ') {
        let len = word.chars().count();
        let needed = if used == 0 { len } else { used + 1 + len };
        if needed <= width {
            used = needed;
        } else {
            rows += 1 + len.saturating_sub(1) / width.max(1);
            used = len % width.max(1);
        }
    }
    rows
}

/// A step's notes file stem: `load-balancer.md`.
pub fn stem(step: Step) -> &'static str {
    NOTES[step.index()].0
}

/// Draws the panel over part of `body` when shown, and returns what is left for the step:
/// beside it on a wide terminal, none of it on a narrow one (the notes need the room).
pub fn split(app: &App, frame: &mut Frame, body: Rect) -> Rect {
    if !(app.training.available && app.training.shown) {
        return body;
    }
    let (rest, panel) = if body.width >= 120 {
        let [rest, panel] = Layout::horizontal([Constraint::Percentage(58), Constraint::Percentage(42)]).areas(body);
        (rest, panel)
    } else {
        (Rect { height: 0, ..body }, body)
    };
    let (text, source) = app.training.notes(app.step);
    let mut lines: Vec<Line> = markdown::render(&text);
    lines.push(Line::from(""));
    let label = |action| app.keymap.label(action);
    use super::actions::Action;
    lines.push(Line::styled(
        format!(
            "{source} · {}/{} scroll · {} closes",
            label(Action::PageUp),
            label(Action::PageDown),
            label(Action::Training)
        ),
        theme::dim(),
    ));
    // Scrolled no further than the last line, wrapped at the panel's width.
    let inner_width = usize::from(panel.width.saturating_sub(2)).max(1);
    let height: usize = lines.iter().map(|l| wrapped_rows(&l.to_string(), inner_width)).sum();
    let room = usize::from(panel.height.saturating_sub(2));
    let scroll = app.training.scroll.min(u16::try_from(height.saturating_sub(room)).unwrap_or(u16::MAX));
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(theme::focused_border())
        .title(format!(" Training · {} ", app.screen().title()));
    frame.render_widget(Clear, panel);
    frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }).scroll((scroll, 0)).block(block), panel);
    rest
}
