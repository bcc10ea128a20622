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
    /// The scenario's name, for its own notes.
    pub scenario: Option<String>,
    /// The trainer's notes folder (`training/` beside the settings file).
    pub trainer_dir: Option<PathBuf>,
}

impl Training {
    /// The demo's panel for `scenario`, reading the trainer's notes from the config folder.
    pub fn for_demo(scenario: &str) -> Training {
        let trainer_dir = crate::config::config_path().and_then(|f| f.parent().map(|d| d.join("training")));
        Training { available: true, shown: false, scenario: Some(scenario.to_string()), trainer_dir }
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
    lines.push(Line::styled(
        format!("{source} · {} closes", app.keymap.label(super::actions::Action::Training)),
        theme::dim(),
    ));
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(theme::focused_border())
        .title(format!(" Training · {} ", app.screen().title()));
    frame.render_widget(Clear, panel);
    frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }).block(block), panel);
    rest
}
