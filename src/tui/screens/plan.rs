//! Plan: what will change, how each step is undone, what the checks say.

use ratatui::Frame;
use ratatui::crossterm::event::{KeyCode, KeyEvent};
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Row, Table, TableState, Wrap};

use crate::migration::Migration;
use crate::plan::{CheckLevel, Step};
use crate::tui::app::App;
use crate::tui::theme;
use crate::tui::widgets::{FilteredList, panel, safe};

#[derive(Debug, Clone, Default)]
pub struct State {
    pub list: FilteredList,
    /// How far the selected step's document is scrolled (J/K).
    pub detail_scroll: u16,
}

fn visible<'a>(app: &App, migration: &'a Migration) -> Vec<(usize, &'a Step)> {
    migration
        .plan
        .steps
        .iter()
        .enumerate()
        .filter(|(_, s)| app.plan.list.matches(&format!("{} {} {}", s.action.verb(), s.action.target(), s.id)))
        .collect()
}

pub fn handle_key(app: &mut App, key: KeyEvent) {
    match key.code {
        KeyCode::Char('J') => app.plan.detail_scroll = app.plan.detail_scroll.saturating_add(3),
        KeyCode::Char('K') => app.plan.detail_scroll = app.plan.detail_scroll.saturating_sub(3),
        _ => {
            let len = app.migration().map_or(0, |m| visible(app, m).len());
            if app.plan.list.handle_key(key, len) {
                app.plan.detail_scroll = 0;
            }
        }
    }
}

pub fn render(app: &App, migration: &Migration, frame: &mut Frame, area: Rect) {
    let plan = &migration.plan;
    let steps = visible(app, migration);
    let table_height = (steps.len() as u16 + 3).min(area.height.saturating_sub(8));
    let [table_area, lower] = Layout::vertical([Constraint::Length(table_height), Constraint::Min(5)]).areas(area);

    let rows = steps.iter().map(|(index, step)| {
        Row::new(vec![
            format!("{:>2}", index + 1),
            step.action.verb().to_string(),
            safe(&step.action.target()),
            step.action.undo_text().to_string(),
        ])
    });
    let title = format!(
        " Plan {}… ({}, {}, {} denied){} ",
        plan.short_hash(),
        count(plan.steps.len(), "step"),
        count(plan.count(CheckLevel::Warning), "warning"),
        plan.count(CheckLevel::Deny),
        app.plan.list.title_suffix()
    );
    let table =
        Table::new(rows, [Constraint::Length(3), Constraint::Length(24), Constraint::Min(30), Constraint::Length(36)])
            .header(Row::new(vec![" #", "Action", "Target", "Undo"]).style(theme::header_row()))
            .row_highlight_style(theme::selected())
            .highlight_symbol("› ")
            .block(panel(title, true));
    let selected = app.plan.list.selected_in(steps.len());
    frame.render_stateful_widget(table, table_area, &mut TableState::default().with_selected(selected));

    let [checks_area, detail_area] =
        Layout::horizontal([Constraint::Percentage(50), Constraint::Percentage(50)]).areas(lower);
    let checks: Vec<Line> = plan
        .checks
        .iter()
        .map(|c| {
            let (icon, style) = match c.level {
                CheckLevel::Pass => ("✓", theme::ok()),
                CheckLevel::Warning => ("⚠", theme::warn()),
                CheckLevel::Deny => ("✗", theme::error()),
            };
            Line::from(vec![Span::styled(format!("{icon} "), style), Span::raw(safe(&c.message))])
        })
        .collect();
    frame.render_widget(
        Paragraph::new(checks).block(panel(" Checks ".into(), false)).wrap(Wrap { trim: false }),
        checks_area,
    );

    let detail = selected.and_then(|i| steps.get(i)).map(|(index, step)| {
        let json = serde_json::to_string_pretty(&step.action).unwrap_or_default();
        let mut lines = vec![Line::styled(format!("step {} · id {}", index + 1, step.id), theme::bold())];
        lines.extend(json.lines().skip(1).map(|l| Line::from(safe(l))));
        lines
    });
    let detail = Paragraph::new(detail.unwrap_or_default())
        .block(panel(" Step · J/K scroll ".into(), false))
        .scroll((app.plan.detail_scroll, 0));
    frame.render_widget(detail, detail_area);
}

/// `1 step`, `11 steps`.
fn count(n: usize, noun: &str) -> String {
    if n == 1 { format!("1 {noun}") } else { format!("{n} {noun}s") }
}
