//! Container: what ferry learned about the application, each fact with its source.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Row, Table, Wrap};

use crate::migration::Migration;
use crate::model::FindingLevel;
use crate::tui::theme;
use crate::tui::widgets::{panel, safe};
use crate::userdata::MASK;

pub fn render(migration: &Migration, frame: &mut Frame, area: Rect) {
    let profile = &migration.profile;
    let names = &migration.artifacts.names;
    let [facts_area, findings_area] = Layout::vertical([Constraint::Min(8), Constraint::Length(8)]).areas(area);

    let runtime = profile.runtime.as_ref();
    let mut rows = vec![
        fact(
            "Runtime",
            runtime.map_or("unknown".into(), |r| format!("{} {}", r.name, r.version)),
            runtime.map_or("", |r| &r.source),
        ),
        fact("Package manager", profile.package_manager.label().to_string(), &profile.package_manager_source),
        fact("Start command", profile.start_command.join(" "), &profile.start_source),
        fact(
            "Build",
            profile.build_command.as_ref().map_or_else(|| "none".to_string(), |b| b.join(" ")),
            if profile.build_command.is_some() { &profile.build_source } else { "no build script" },
        ),
        fact("Port", profile.port.to_string(), &profile.port_source),
        fact("Health check", profile.health_check_path.clone(), &profile.health_source),
    ];
    for var in &profile.env {
        let (value, source) = match (&var.value, var.secret) {
            (Some(value), _) => (safe(value), var.source.clone()),
            (None, _) => (format!("{MASK} → Secrets Manager {}", names.secret(&var.name)), var.source.clone()),
        };
        let style = if var.secret { theme::warn() } else { ratatui::style::Style::new() };
        rows.push(Row::new(vec![
            Line::from(format!("env {}", safe(&var.name))),
            Line::styled(value, style),
            Line::styled(format!("← {source}"), theme::dim()),
        ]));
    }
    let table = Table::new(rows, [Constraint::Length(20), Constraint::Min(40), Constraint::Length(34)])
        .header(Row::new(vec!["Fact", "Value", "Source"]).style(theme::header_row()))
        .block(panel(" Application profile ".into(), true));
    frame.render_widget(table, facts_area);

    let lines: Vec<Line> = profile
        .findings
        .iter()
        .map(|f| {
            let (icon, style) = match f.level {
                FindingLevel::Info => ("ℹ", theme::ok()),
                FindingLevel::Warning => ("⚠", theme::warn()),
                FindingLevel::Blocker => ("✗", theme::error()),
            };
            Line::from(vec![
                Span::styled(format!("{icon} "), style),
                Span::raw(safe(&f.message)),
                Span::styled(format!("  ← {}", f.source), theme::dim()),
            ])
        })
        .collect();
    frame.render_widget(
        Paragraph::new(lines).block(panel(" Findings ".into(), false)).wrap(Wrap { trim: false }),
        findings_area,
    );
}

fn fact(name: &str, value: String, source: &str) -> Row<'static> {
    Row::new(vec![
        Line::from(name.to_string()),
        Line::from(safe(&value)),
        Line::styled(format!("← {source}"), theme::dim()),
    ])
}
