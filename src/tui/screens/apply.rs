//! Apply: live progress of the run, the way back, and a banner nobody can miss.

use ratatui::Frame;
use ratatui::layout::{Alignment, Constraint, Layout, Rect};
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph, Wrap};

use crate::tui::app::App;
use crate::tui::run_view::{RunPhase, RunView, StepStatus};
use crate::tui::theme;
use crate::tui::widgets::{panel, safe, spinner, truncate};

pub fn render(app: &App, frame: &mut Frame, area: Rect) {
    let Some(run) = &app.run else {
        let text = "Nothing is running. Approve the plan on the Plan step (a) to apply it.";
        frame.render_widget(Paragraph::new(text).block(panel(" Apply ".into(), true)), area);
        return;
    };
    let [steps_area, banner_area] = Layout::vertical([Constraint::Min(5), Constraint::Length(5)]).areas(area);
    let title =
        format!(" Apply run {} · plan {} ", run.run_id.as_deref().unwrap_or("starting…"), run.plan.short_hash());
    let width = steps_area.width.saturating_sub(4) as usize;
    let mut lines = Vec::new();
    for (index, (step, view)) in run.plan.steps.iter().zip(&run.steps).enumerate() {
        let (icon, style) = icon(view.status);
        let name = format!("{:>2} {} {}", index + 1, step.action.verb(), safe(&step.action.target()));
        let elapsed = match view.status {
            StepStatus::Pending => String::new(),
            _ => format_elapsed(view.elapsed),
        };
        let mut spans = vec![
            Span::styled(format!("{icon} "), style),
            Span::raw(format!("{:<58}", truncate(&name, 58))),
            Span::styled(format!("{elapsed:>8} "), theme::dim()),
        ];
        if matches!(view.status, StepStatus::Running | StepStatus::Undoing) {
            spans.push(spinner(app.ticks));
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
    }
    frame.render_widget(Paragraph::new(lines).block(panel(title, true)), steps_area);
    render_banner(run, frame, banner_area);
}

fn icon(status: StepStatus) -> (&'static str, Style) {
    match status {
        StepStatus::Pending => ("○", theme::dim()),
        StepStatus::Running => ("●", theme::warn()),
        StepStatus::Done => ("✓", theme::ok()),
        StepStatus::Failed => ("✗", theme::error()),
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

/// `APPLIED`, `FAILED at step N: reason`, `ROLLED BACK`, or what is under way.
pub fn banner_text(run: &RunView) -> (String, String, Color) {
    let done = run.steps.iter().filter(|s| s.status == StepStatus::Done).count();
    let total = run.steps.len();
    match &run.phase {
        RunPhase::Applying => {
            ("APPLYING".into(), format!("{done}/{total} steps done · r stops and rolls back"), Color::Yellow)
        }
        RunPhase::Applied => {
            ("APPLIED".into(), format!("all {total} steps done · Enter verify · r roll back"), Color::Green)
        }
        RunPhase::Failed { step, reason } => (
            format!("FAILED at step {}: {}", step + 1, truncate(&safe(reason), 80)),
            format!("{done} steps done before the failure · r rolls them back"),
            Color::Red,
        ),
        RunPhase::Cancelled { step } => {
            (format!("STOPPED before step {}", step + 1), "r rolls back what was done".into(), Color::Yellow)
        }
        RunPhase::RollingBack => ("ROLLING BACK".into(), "undoing in reverse order".into(), Color::Yellow),
        RunPhase::RolledBack => ("ROLLED BACK".into(), "everything the run created is gone".into(), Color::Blue),
        RunPhase::RollbackIncomplete { failures } => (
            "ROLLBACK INCOMPLETE".into(),
            format!("{} undo steps failed: {} · r to retry", failures.len(), truncate(&safe(&failures.join("; ")), 60)),
            Color::Red,
        ),
        RunPhase::Refused { reasons } => (
            "REFUSED: nothing was changed".into(),
            format!("{} · make a new plan", truncate(&safe(&reasons.join("; ")), 90)),
            Color::Red,
        ),
    }
}

fn render_banner(run: &RunView, frame: &mut Frame, area: Rect) {
    let (headline, detail, color) = banner_text(run);
    let style = Style::new().bg(color).fg(Color::Black).add_modifier(Modifier::BOLD);
    let text = vec![Line::from(""), Line::styled(headline, style), Line::from(detail)];
    let block = Block::new().borders(Borders::ALL).border_style(Style::new().fg(color));
    frame.render_widget(Paragraph::new(text).alignment(Alignment::Center).block(block).wrap(Wrap { trim: true }), area);
}
