//! Apply: live progress of the run, the way back, and a banner nobody can miss.

use ratatui::Frame;
use ratatui::layout::{Alignment, Constraint, Layout, Rect};
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph, Wrap};

use super::{Context, Onward, Reply, Screen, migration_or_placeholder};
use crate::apply::RunStatus;
use crate::tui::actions::{Action, Keymap};
use crate::tui::keymap::{Hint, act, moves, of};
use crate::tui::run_view::{RunView, StepStatus};
use crate::tui::theme;
use crate::tui::widgets::{panel, safe, spinner, truncate, wrap};
use ratatui::crossterm::event::KeyEvent;

/// The Apply step: everything it shows is the run's; its own state is how far the operator
/// scrolled back from the step the run stands at.
#[derive(Debug, Default)]
pub struct Apply {
    back: u16,
    /// How far back the pane could scroll at its last draw: `back` never goes past it.
    followed: std::cell::Cell<Option<u16>>,
}

/// Lines back from where a run's pane follows it, after `key`: up goes back, down comes forward,
/// `g` to the first step, `G` follows the run again.
pub(super) fn scrolled_back(keymap: &Keymap, key: &KeyEvent, back: u16) -> u16 {
    use Action::{First, Last, MoveDown, MoveUp, PageDown, PageUp};
    match keymap.action(key, &[MoveUp, MoveDown, PageUp, PageDown, First, Last]) {
        Some(MoveUp) => back.saturating_add(1),
        Some(MoveDown) => back.saturating_sub(1),
        Some(PageUp) => back.saturating_add(10),
        Some(PageDown) => back.saturating_sub(10),
        Some(First) => u16::MAX,
        Some(_) => 0,
        None => back,
    }
}

impl Screen for Apply {
    fn title(&self) -> &'static str {
        "Apply"
    }

    fn purpose(&self, keymap: &Keymap) -> String {
        format!(
            "The approved plan running step by step; {} undoes what it did, {} continues a stopped run.",
            keymap.label(Action::RollBack),
            keymap.label(Action::Resume)
        )
    }

    /// What the run can do next, as the engine rules it.
    fn hints(&self, ctx: &Context) -> Vec<Hint> {
        let keymap = ctx.keymap;
        let [next, back, roll_back] = [Action::Next, Action::Back, Action::RollBack].map(|a| of(keymap, a));
        match ctx.run.filter(|r| r.holds_resources()).map(|r| &r.phase) {
            Some(RunStatus::Applying) => vec![
                act(keymap, Action::RollBack, "stop and roll back"),
                act(keymap, Action::Back, "leave (the run goes on)"),
            ],
            Some(RunStatus::Applied) => vec![next, roll_back, moves(keymap, "scroll"), back],
            Some(phase) if phase.can_resume() => vec![of(keymap, Action::Resume), roll_back, back],
            Some(phase) if phase.can_roll_back() => vec![roll_back, back],
            _ => vec![back],
        }
    }

    fn actions(&self, ctx: &Context) -> &'static [Action] {
        if ctx.run.is_some() { &[Action::RollBack, Action::Resume] } else { &[] }
    }

    fn handle_key(&mut self, ctx: &Context, key: KeyEvent) -> Reply {
        let most = self.followed.get().unwrap_or(u16::MAX);
        self.back = scrolled_back(ctx.keymap, &key, self.back.min(most)).min(most);
        Reply::Done
    }

    fn reset(&mut self) {
        self.back = 0;
    }

    fn onward(&self, ctx: &Context) -> Onward {
        match ctx.run.map(|r| &r.phase) {
            Some(RunStatus::Applied) => Onward::Next,
            _ => Onward::Stay(Some("Verify opens once the plan is applied".into())),
        }
    }

    fn is_done(&self, ctx: &Context, _passed: bool) -> bool {
        ctx.run.is_some_and(|r| r.phase == RunStatus::Applied)
    }

    fn render(&self, ctx: &Context, frame: &mut Frame, area: Rect) {
        // A run taken up from an earlier process is shown before (or without) any discovery.
        if ctx.run.is_some() || migration_or_placeholder(ctx, self.title(), frame, area).is_some() {
            self.followed.set(Some(render(ctx, self.back, frame, area)));
        }
    }
}

/// Draws the run; returns how far back its pane can scroll.
fn render(app: &Context, back: u16, frame: &mut Frame, area: Rect) -> u16 {
    let Some(run) = app.run else {
        let a = app.keymap.label(Action::Approve);
        let text = format!("Nothing is running. Approve the plan on the Plan step ({a}) to apply it.");
        frame.render_widget(Paragraph::new(text).block(panel(" Apply ".into(), true)), area);
        return 0;
    };
    let title =
        format!(" Apply run {} · plan {} ", run.run_id.as_deref().unwrap_or("starting…"), run.plan.short_hash());
    render_run(run, app.keymap, app.ticks, RunPane { title, detail: None, back }, frame, area)
}

/// How a run's pane is titled, what its banner says besides the run's own words, and how far it
/// is scrolled back from the step the run stands at.
pub(super) struct RunPane {
    pub title: String,
    /// The banner's second line in place of the one for the migration's run.
    pub detail: Option<String>,
    pub back: u16,
}

/// A run's steps, live, over its banner; returns how far back the steps can scroll.
pub(super) fn render_run(
    run: &RunView,
    keymap: &Keymap,
    ticks: u64,
    pane: RunPane,
    frame: &mut Frame,
    area: Rect,
) -> u16 {
    let RunPane { title, detail, back } = pane;
    let banner = banner_lines(run, keymap, detail, area.width.saturating_sub(4) as usize);
    let banner_height = (banner.len() as u16 + 2).min(area.height / 2).max(3);
    let [steps_area, banner_area] =
        Layout::vertical([Constraint::Min(3), Constraint::Length(banner_height)]).areas(area);
    let width = steps_area.width.saturating_sub(4) as usize;
    let name_width = width.saturating_sub(14).min(58);
    let mut lines = Vec::new();
    // The step the run stands at; with none (finished, or not started), the end.
    let active = run.active();
    let mut focus_line = None;
    for (index, (step, view)) in run.plan.steps.iter().zip(&run.steps).enumerate() {
        if active == Some(index) {
            focus_line = Some(lines.len());
        }
        let (icon, style) = icon(view.status);
        let name = format!("{:>2} {} {}", index + 1, step.action.verb(), safe(&step.action.target()));
        let elapsed = view.elapsed.map(format_elapsed).unwrap_or_default();
        let mut spans = vec![
            Span::styled(format!("{icon} "), style),
            Span::raw(format!("{:<name_width$}", truncate(&name, name_width))),
            Span::styled(format!("{elapsed:>8} "), theme::dim()),
        ];
        if matches!(view.status, StepStatus::Running | StepStatus::Undoing) {
            spans.push(spinner(ticks));
        }
        lines.push(Line::from(spans));
        if let Some(detail) = &view.detail {
            let style = match view.status {
                StepStatus::Failed | StepStatus::UndoFailed => theme::error(),
                StepStatus::Running | StepStatus::Undoing => theme::warn(),
                _ => theme::dim(),
            };
            lines.push(Line::styled(format!("     {}", truncate(&safe(detail), width.saturating_sub(5))), style));
        }
        if let Some(note) = &view.note {
            let text = format!("     ↳ {}", truncate(&safe(note), width.saturating_sub(7)));
            lines.push(Line::styled(text, theme::warn()));
        }
    }
    // Long plans scroll so the step the run stands at stays in view.
    let inner_height = steps_area.height.saturating_sub(2) as usize;
    let focus_line = focus_line.unwrap_or(lines.len());
    let followed = (focus_line + 3).saturating_sub(inner_height).min(lines.len().saturating_sub(inner_height));
    let scroll = followed.saturating_sub(usize::from(back));
    let title = match (back > 0 && followed > 0, scroll > 0) {
        (true, _) => format!("{title}· scrolled back ({} follows the run) ", keymap.label(Action::Last)),
        (false, true) => format!("{title}· earlier steps above ({}) ", keymap.label(Action::MoveUp)),
        _ => title,
    };
    frame.render_widget(Paragraph::new(lines).block(panel(title, true)).scroll((scroll as u16, 0)), steps_area);
    render_banner(run, banner, frame, banner_area);
    u16::try_from(followed).unwrap_or(u16::MAX)
}

fn icon(status: StepStatus) -> (&'static str, Style) {
    match status {
        StepStatus::Pending => ("○", theme::dim()),
        StepStatus::Running => ("●", theme::warn()),
        StepStatus::Done => ("✓", theme::ok()),
        StepStatus::Failed => ("✗", theme::error()),
        StepStatus::InDoubt => ("?", theme::warn()),
        StepStatus::Undoing => ("↺", theme::warn()),
        StepStatus::Undone => ("↺", theme::dim()),
        StepStatus::UndoFailed => ("✗", theme::error()),
    }
}

fn format_elapsed(elapsed: std::time::Duration) -> String {
    let secs = elapsed.as_secs_f64();
    if secs < 60.0 {
        format!("{secs:.1}s")
    } else {
        format!("{}m {:02}s", elapsed.as_secs() / 60, elapsed.as_secs() % 60)
    }
}

/// `APPLIED`, `FAILED at step N: reason`, `ROLLED BACK`, or what is under way; the line under
/// it says what the keys do now.
pub fn banner_text(run: &RunView) -> (String, String, Color) {
    banner_with_keys(run, &Keymap::default())
}

/// The banner, naming the keys as `keymap` has them.
fn banner_with_keys(run: &RunView, keymap: &Keymap) -> (String, String, Color) {
    let (r, c, enter) = (keymap.label(Action::RollBack), keymap.label(Action::Resume), keymap.label(Action::Next));
    let done = run.done();
    let total = run.steps.len();
    match &run.phase {
        RunStatus::Applying if run.active().is_none() && done == 0 => (
            "APPLYING".into(),
            format!("checking the account still matches the plan before the first change · {r} stops"),
            Color::Yellow,
        ),
        RunStatus::Applying => {
            ("APPLYING".into(), format!("{done}/{total} steps done · {r} stops and rolls back"), Color::Yellow)
        }
        RunStatus::Applied => {
            ("APPLIED".into(), format!("all {total} steps done · {enter} verify · {r} roll back"), Color::Green)
        }
        RunStatus::Failed { reason, .. } if run.run_id.is_none() => (
            format!("NOT STARTED: {}", truncate(&safe(reason), 80)),
            "nothing was changed · approve the plan again once the cause is fixed".into(),
            Color::Red,
        ),
        RunStatus::Failed { step, reason } => (
            format!("FAILED at step {}: {}", step + 1, truncate(&safe(reason), 80)),
            format!("{done} steps made their change · {c} continues once the cause is fixed · {r} rolls back"),
            Color::Red,
        ),
        RunStatus::Cancelled { step } => (
            format!("STOPPED before step {}", step + 1),
            format!("{done} steps made their change · {c} continues · {r} rolls back"),
            Color::Yellow,
        ),
        RunStatus::Interrupted => (
            format!("INTERRUPTED at step {}", run.next_step + 1),
            format!(
                "an earlier process stopped mid-run · {done} steps made their change · {c} continues · {r} rolls back"
            ),
            Color::Yellow,
        ),
        RunStatus::InProgress => ("IN PROGRESS".into(), "another process is working on this run".into(), Color::Yellow),
        RunStatus::RollingBack => ("ROLLING BACK".into(), "undoing in reverse order".into(), Color::Yellow),
        RunStatus::RolledBack => ("ROLLED BACK".into(), "everything the run created is gone".into(), Color::Blue),
        RunStatus::RollbackIncomplete { failures } => (
            "ROLLBACK INCOMPLETE".into(),
            format!(
                "{} undo steps failed: {} · {r} to retry",
                failures.len(),
                truncate(&safe(&failures.join("; ")), 60)
            ),
            Color::Red,
        ),
        RunStatus::RollbackInterrupted => (
            "ROLLBACK INTERRUPTED".into(),
            format!("an earlier process stopped while rolling back · {r} rolls back the rest"),
            Color::Red,
        ),
        RunStatus::Refused { reasons } => (
            "REFUSED: nothing was changed".into(),
            format!("{} · make a new plan", truncate(&safe(&reasons.join("; ")), 90)),
            Color::Red,
        ),
    }
}

/// The banner's lines: a refusal lists every reason, one a line.
fn banner_lines(run: &RunView, keymap: &Keymap, instead: Option<String>, width: usize) -> Vec<Line<'static>> {
    let (headline, detail, color) = banner_with_keys(run, keymap);
    let detail = instead.unwrap_or(detail);
    let style = Style::new().bg(color).fg(Color::Black).add_modifier(Modifier::BOLD);
    let headline = Line::styled(truncate(&headline, width), style);
    match &run.phase {
        RunStatus::Refused { reasons } => {
            let mut lines = vec![headline];
            lines.extend(reasons.iter().map(|r| Line::from(truncate(&format!("· {}", safe(r)), width))));
            let (back, next) = (keymap.label(Action::Back), keymap.label(Action::Next));
            lines.push(Line::styled(
                format!(
                    "the account no longer matches the plan: {back} to Source, {next} discovers again for a new plan"
                ),
                theme::dim(),
            ));
            lines
        }
        // A failure's reason is what the operator acts on (the figure a gate failed on, the
        // error AWS gave): it wraps over a few lines rather than being cut.
        RunStatus::Failed { step, reason } if run.run_id.is_some() => {
            let full = format!("FAILED at step {}: {}", step + 1, safe(reason));
            let mut lines = vec![Line::from("")];
            let parts = wrap(&full, width.saturating_sub(2));
            let shown = parts.len().min(4);
            for (index, part) in parts.into_iter().take(shown).enumerate() {
                let part = if index + 1 == shown && shown == 4 { format!("{part}…") } else { part };
                lines.push(Line::styled(part, style));
            }
            lines.push(Line::from(detail));
            lines
        }
        _ => vec![Line::from(""), headline, Line::from(detail)],
    }
}

fn render_banner(run: &RunView, lines: Vec<Line<'static>>, frame: &mut Frame, area: Rect) {
    let color = banner_text(run).2;
    let block = Block::new().borders(Borders::ALL).border_style(Style::new().fg(color));
    frame
        .render_widget(Paragraph::new(lines).alignment(Alignment::Center).block(block).wrap(Wrap { trim: true }), area);
}
