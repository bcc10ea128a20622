//! Drawing the inventory browser: kinds, the table window, details, prompt, keys.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Clear, Paragraph, Row, Table as TableWidget, TableState, Wrap};

use super::app::{Details, InventoryApp, Prompt};
use super::keys::{detail_hints, table_hints};
use super::rows::unseen;
use crate::inventory::{Kind, Related};
use crate::model::{Listener, MigrationGraph, Role};
use crate::tui::actions::{Action, Keymap};
use crate::tui::app::{Loadable, Mode};
use crate::tui::theme;
use crate::tui::widgets::{evidence_line, panel, safe, spinner};

pub fn view_inventory(app: &InventoryApp, frame: &mut Frame) {
    let [header, kinds, body, status, footer] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Length(1),
        Constraint::Min(3),
        Constraint::Length(1),
        Constraint::Length(1),
    ])
    .areas(frame.area());
    frame.render_widget(header_line(app), header);
    frame.render_widget(kinds_line(app, kinds.width), kinds);
    match (&app.inventory, &app.details) {
        (Loadable::Ready(_), Some(details)) => render_details(details, &app.keymap, frame, body),
        (Loadable::Ready(_), None) => render_table(app, frame, body),
        _ => {
            let text = Line::from(vec![spinner(app.ticks), " reading the account…".into()]);
            frame.render_widget(Paragraph::new(text).block(panel(" Inventory ".into(), true)), body);
        }
    }
    let status_line = match (&app.prompt, &app.status) {
        (Some(Prompt::Command(text)), _) => Line::from(vec![
            Span::styled(format!(":{text}▏"), theme::bold()),
            Span::styled(format!("   {}", matching_kinds(text)), theme::dim()),
        ]),
        (Some(Prompt::Filter(text)), _) => Line::styled(format!("/{text}▏"), theme::bold()),
        (None, Some(status)) => Line::styled(format!(" {}", safe(status)), theme::notice()),
        (None, None) => Line::from(""),
    };
    frame.render_widget(status_line, status);
    let mut keys = vec![Span::raw(" ")];
    let shown = if app.details.is_some() { detail_hints(&app.keymap) } else { table_hints(&app.keymap) };
    for hint in shown {
        keys.push(Span::styled(hint.keys, theme::key()));
        keys.push(Span::raw(format!(" {}  ", hint.label)));
    }
    frame.render_widget(Line::from(keys), footer);
    if app.help {
        render_help(&app.keymap, frame);
    }
}

fn header_line(app: &InventoryApp) -> Line<'static> {
    let mode = Mode::ReadOnly;
    let mut spans = vec![Span::styled(" ferry ", theme::bold()), Span::styled(mode.badge(), theme::badge(mode))];
    match app.inventory.ready().and_then(|i| i.account.as_ref()) {
        Some(account) => spans.push(Span::raw(format!(
            " {} · acct {} · {} · {}",
            safe(&account.label),
            safe(&account.account_id),
            safe(&account.region),
            safe(&account.caller_arn)
        ))),
        None => spans.push(Span::styled(format!(" {}", safe(&app.label)), theme::dim())),
    }
    Line::from(spans)
}

fn kinds_line(app: &InventoryApp, width: u16) -> Line<'static> {
    let counts: usize =
        app.tables.values().map(|t| t.len().to_string().len() + 1).sum::<usize>() + 3 * Kind::ALL.len() + 1;
    let full: usize = counts + Kind::ALL.iter().map(|k| k.title().len()).sum::<usize>();
    let title = |kind: Kind| if full > width as usize { kind.short() } else { kind.title() };
    let mut spans = vec![Span::raw(" ")];
    for (i, kind) in Kind::ALL.iter().enumerate() {
        if i > 0 {
            spans.push(Span::styled(" │ ", theme::dim()));
        }
        let count = app.tables.get(kind).map_or(String::new(), |t| format!(" {}", t.len()));
        let style =
            if *kind == app.kind { Style::new().fg(theme::ACCENT).add_modifier(Modifier::BOLD) } else { theme::dim() };
        spans.push(Span::styled(format!("{}{count}", title(*kind)), style));
    }
    Line::from(spans)
}

fn render_table(app: &InventoryApp, frame: &mut Frame, area: Rect) {
    let Some(table) = app.table() else { return };
    let sort = table.sort.map_or(String::new(), |(column, descending)| {
        format!(" {}{}", if descending { "▼" } else { "▲" }, table.columns.get(column).unwrap_or(&""))
    });
    let filter = if table.filter.is_empty() { String::new() } else { format!(" /{}", safe(&table.filter)) };
    let title = format!(" {} ({}/{}){filter}{sort} ", app.kind.title(), table.visible_len(), table.len());

    let inventory = app.inventory.ready();
    if let Some(reason) = inventory.and_then(|i| unseen(app.kind, i)) {
        let text = vec![
            Line::styled(format!("could not read {}", app.kind.title()), theme::warn()),
            Line::from(safe(&reason)),
        ];
        frame.render_widget(Paragraph::new(text).block(panel(title, true)).wrap(Wrap { trim: false }), area);
        return;
    }
    // Only the rows that fit are built: drawing costs the same for 10 rows or 10,000.
    let height = area.height.saturating_sub(3) as usize;
    let offset = table.selected.saturating_sub(height.saturating_sub(1));
    let rows = table.window(offset, height).map(|row| Row::new(row.cells.iter().map(String::as_str)));
    let widths = column_widths(table, offset, height);
    let header = Row::new(table.columns.iter().copied()).style(theme::header_row());
    let widget = TableWidget::new(rows, widths)
        .header(header)
        .row_highlight_style(theme::selected())
        .highlight_symbol("› ")
        .block(panel(title, true));
    let selected = (table.visible_len() > 0).then(|| table.selected - offset);
    frame.render_stateful_widget(widget, area, &mut TableState::default().with_selected(selected));
}

/// Each column as wide as its widest shown cell (at most 48), the last one taking the rest.
fn column_widths(table: &super::table::Table, offset: usize, height: usize) -> Vec<Constraint> {
    let mut widths: Vec<usize> = table.columns.iter().map(|c| c.chars().count()).collect();
    for row in table.window(offset, height) {
        for (width, cell) in widths.iter_mut().zip(&row.cells) {
            *width = (*width).max(cell.chars().count()).min(48);
        }
    }
    let last = widths.len().saturating_sub(1);
    widths
        .into_iter()
        .enumerate()
        .map(|(i, w)| if i == last { Constraint::Fill(1) } else { Constraint::Length(w as u16) })
        .collect()
}

fn render_details(details: &Details, keymap: &Keymap, frame: &mut Frame, area: Rect) {
    let back = keymap.label(Action::Back);
    let title = format!(" {} {} · {back} back ", details.kind.title(), details.title);
    let lines = match &details.related {
        Loadable::Ready(related) => related_lines(related),
        Loadable::Failed(error) => {
            vec![Line::styled("could not read what this is connected to", theme::warn()), Line::from(safe(error))]
        }
        _ => vec![Line::from("reading related resources…")],
    };
    frame.render_widget(
        Paragraph::new(lines).block(panel(title, true)).wrap(Wrap { trim: false }).scroll((details.scroll, 0)),
        area,
    );
}

fn section(lines: &mut Vec<Line<'static>>, title: &str, items: impl IntoIterator<Item = String>) {
    lines.push(Line::styled(title.to_string(), theme::bold()));
    let before = lines.len();
    lines.extend(items.into_iter().map(|item| Line::from(format!("  {}", safe(&item)))));
    if lines.len() == before {
        lines.push(Line::styled("  none", theme::dim()));
    }
    lines.push(Line::from(""));
}

fn related_lines(related: &Related) -> Vec<Line<'static>> {
    let mut lines = Vec::new();
    match related {
        Related::Instance(graph) => instance_lines(&mut lines, graph),
        Related::LoadBalancer { listeners, target_groups } => load_balancer_lines(&mut lines, listeners, target_groups),
        Related::TargetGroup { load_balancers, targets } => {
            section(&mut lines, "Load balancers", load_balancers.iter().cloned());
            section(
                &mut lines,
                "Targets",
                targets.iter().map(|t| format!("{} :{} {}", t.target_id, t.port, t.state.as_str())),
            );
        }
        Related::SecurityGroup { rules, used_by, admitted_by } => {
            section(&mut lines, "Ingress", rules.iter().cloned());
            section(&mut lines, "Used by", used_by.iter().cloned());
            section(&mut lines, "Admitted by", admitted_by.iter().cloned());
        }
        Related::Role(role) => role_lines(&mut lines, role),
        Related::Store { admitted } => section(&mut lines, "Network access", admitted.iter().cloned()),
        Related::Nothing => lines.push(Line::styled("nothing else to show for this resource", theme::dim())),
    }
    lines
}

/// An instance's migration graph: routes, role, data stores (with their evidence), security
/// groups, what could not be seen, and its user data.
fn instance_lines(lines: &mut Vec<Line<'static>>, graph: &MigrationGraph) {
    section(
        lines,
        "Load balancers",
        graph.routes.iter().map(|r| {
            format!(
                "{} → {} :{} ({})",
                r.load_balancer.name,
                r.target_group.name,
                r.target_group.port,
                r.target.state.as_str()
            )
        }),
    );
    if let Some(role) = &graph.role {
        lines.push(Line::styled(format!("Role {}", safe(&role.role.name)), theme::bold()));
        lines.extend(role.evidence.iter().map(evidence_line));
        let policies = role.role.policies.iter();
        lines.extend(policies.map(|p| Line::from(format!("  {} ({})", safe(&p.name), p.kind.label()))));
        lines.push(Line::from(""));
    }
    lines.push(Line::styled("Data stores", theme::bold()));
    for store in &graph.data_stores {
        lines.push(Line::from(format!("  {} {} {}", store.kind.label(), safe(&store.name), safe(&store.engine))));
        lines.extend(store.evidence.iter().map(evidence_line));
    }
    lines.push(Line::from(""));
    section(lines, "Security groups", graph.security_groups.iter().map(|g| format!("{} ({})", g.name, g.id)));
    section(lines, "Not visible", graph.unseen.iter().map(|u| format!("{}: {}", u.what, u.reason)));
    if let Some(user_data) = &graph.instance.user_data {
        section(lines, "User data (secrets masked)", user_data.lines().map(str::to_string));
    }
}

/// A load balancer's listeners, each naming the target groups it forwards to, then those groups.
fn load_balancer_lines(lines: &mut Vec<Line<'static>>, listeners: &[Listener], target_groups: &[(String, String)]) {
    section(
        lines,
        "Listeners",
        listeners.iter().map(|l| {
            let names: Vec<&str> = l
                .forward_target_group_arns
                .iter()
                .map(|arn| target_groups.iter().find(|(a, _)| a == arn).map_or(arn.as_str(), |(_, n)| n.as_str()))
                .collect();
            format!("{}:{} → {}", l.protocol, l.port, names.join(", "))
        }),
    );
    section(lines, "Target groups", target_groups.iter().map(|(_, name)| name.clone()));
}

/// A role read in full: each policy's document, then its trust policy.
fn role_lines(lines: &mut Vec<Line<'static>>, role: &Role) {
    for policy in &role.policies {
        lines.push(Line::styled(format!("{} ({})", safe(&policy.name), policy.kind.label()), theme::bold()));
        let document =
            policy.document.as_ref().map(|d| serde_json::to_string_pretty(d).unwrap_or_default()).unwrap_or_default();
        lines.extend(document.lines().map(|l| Line::from(format!("  {}", safe(l)))));
        lines.push(Line::from(""));
    }
    section(
        lines,
        "Trust policy",
        serde_json::to_string_pretty(&role.trust_policy).unwrap_or_default().lines().map(str::to_string),
    );
}

fn matching_kinds(text: &str) -> String {
    let names: Vec<&str> = Kind::ALL
        .iter()
        .filter(|k| text.is_empty() || k.aliases().iter().any(|a| a.starts_with(&text.to_lowercase())))
        .map(|k| k.aliases()[0])
        .collect();
    names.join("  ")
}

fn render_help(keymap: &Keymap, frame: &mut Frame) {
    let mut lines = vec![
        Line::styled("Inventory: the account, read-only", theme::bold()),
        Line::from("Nothing here can change the account: this browser only reads."),
        Line::from(""),
    ];
    lines.extend(table_hints(keymap).into_iter().map(|hint| {
        Line::from(vec![Span::styled(format!("{:>8}  ", hint.keys), theme::key()), Span::raw(hint.label)])
    }));
    lines.push(Line::from(""));
    lines.push(Line::styled("kinds for ':'", theme::dim()));
    lines.push(Line::styled(format!("  {}", matching_kinds("")), theme::dim()));
    lines.push(Line::styled("any key closes this help", theme::dim()));
    let width = 80.min(frame.area().width);
    let height = (lines.len() as u16 + 2).min(frame.area().height);
    let area = Rect {
        x: frame.area().width.saturating_sub(width) / 2,
        y: frame.area().height.saturating_sub(height) / 2,
        width,
        height,
    };
    frame.render_widget(Clear, area);
    frame.render_widget(Paragraph::new(lines).block(panel(" Keys ".into(), true)).wrap(Wrap { trim: false }), area);
}
