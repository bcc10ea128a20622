//! Drawing the inventory browser: its header and kinds, then each place's topmost open view,
//! the status line and the footer's keys.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout};
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};

use super::app::InventoryApp;
use super::views::Place;
use crate::inventory::Kind;
use crate::tui::app::Mode;
use crate::tui::keymap::Hint;
use crate::tui::theme;
use crate::tui::widgets::safe;

/// Draws one frame of the browser.
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
    let ctx = app.context();
    if let Some(view) = app.topmost_in(Place::Body) {
        view.render(&ctx, frame, body);
    }
    // A prompt takes the status line; the status shows when none does.
    match app.topmost_in(Place::StatusLine) {
        Some(view) => view.render(&ctx, frame, status),
        None => {
            if let Some(text) = &app.status {
                frame.render_widget(Line::styled(format!(" {}", safe(text)), theme::notice()), status);
            }
        }
    }
    frame.render_widget(keys_line(app.hints(&ctx)), footer);
    // Last, so that it is drawn over everything else.
    if let Some(view) = app.topmost_in(Place::Overlay) {
        view.render(&ctx, frame, frame.area());
    }
    if theme::no_color() {
        theme::strip_colors(frame.buffer_mut());
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

/// Every kind with its count, the current one lit; short names when the full ones do not fit.
fn kinds_line(app: &InventoryApp, width: u16) -> Line<'static> {
    let count_of = |kind: &Kind| app.tables.get(kind).map(|t| t.len());
    let counts: usize =
        Kind::ALL.iter().filter_map(count_of).map(|n| n.to_string().len() + 1).sum::<usize>() + 3 * Kind::ALL.len() + 1;
    let full: usize = counts + Kind::ALL.iter().map(|k| k.title().len()).sum::<usize>();
    let title = |kind: Kind| if full > width as usize { kind.short() } else { kind.title() };
    let mut spans = vec![Span::raw(" ")];
    for (i, kind) in Kind::ALL.iter().enumerate() {
        if i > 0 {
            spans.push(Span::styled(" │ ", theme::dim()));
        }
        let count = count_of(kind).map_or(String::new(), |n| format!(" {n}"));
        let style =
            if *kind == app.kind { Style::new().fg(theme::ACCENT).add_modifier(Modifier::BOLD) } else { theme::dim() };
        spans.push(Span::styled(format!("{}{count}", title(*kind)), style));
    }
    Line::from(spans)
}

/// The footer: each key styled, then what it does.
fn keys_line(hints: Vec<Hint>) -> Line<'static> {
    let mut keys = vec![Span::raw(" ")];
    for hint in hints {
        keys.push(Span::styled(hint.keys, theme::key()));
        keys.push(Span::raw(format!(" {}  ", hint.label)));
    }
    Line::from(keys)
}
