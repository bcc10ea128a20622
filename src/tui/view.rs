//! `view`: draws the whole frame from the app's state. Reads only; changes nothing.

use ratatui::Frame;
use ratatui::layout::{Alignment, Constraint, Flex, Layout, Rect};
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph, Wrap};

use super::app::{App, Loadable, Overlay};
use super::keymap::{Hint, hints};
use super::run_view::RunPhase;
use super::screens;
use super::steps::Step;
use super::theme;
use super::widgets::safe;

pub fn view(app: &App, frame: &mut Frame) {
    let [header, crumbs, body, status, footer] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Length(1),
        Constraint::Min(5),
        Constraint::Length(1),
        Constraint::Length(1),
    ])
    .areas(frame.area());
    frame.render_widget(header_line(app, header.width), header);
    frame.render_widget(breadcrumb(app), crumbs);
    screens::render(app, frame, body);
    if let Some(text) = &app.status {
        frame.render_widget(Line::styled(format!(" {}", safe(text)), theme::notice()), status);
    }
    frame.render_widget(footer_line(&hints(app)), footer);
    match &app.overlay {
        Some(Overlay::Help) => help(app, frame),
        Some(Overlay::ConfirmApply) => confirm_apply(app, frame),
        Some(Overlay::ConfirmQuit) => confirm(frame, " Quit? ", quit_warning(app)),
        Some(Overlay::ConfirmRollback) => confirm(
            frame,
            " Roll back? ",
            vec![
                Line::from("Undo every step of this run, newest first: the service, rules, group,"),
                Line::from("secrets (deleted without a recovery window), roles and the repository."),
                Line::from(""),
                yes_no("roll back", "keep the run"),
            ],
        ),
        Some(Overlay::SourceFolder) => super::folder_prompt::render(app, frame),
        None => {}
    }
}

/// Why quitting now needs a second thought.
fn quit_warning(app: &App) -> Vec<Line<'static>> {
    let (first, second) = if app.is_busy() {
        (
            "An apply or rollback is running: quitting abandons it in the middle of a step,",
            "and what it created so far stays in the account.",
        )
    } else if app.has_open_run() {
        (
            "This run changed the account and has not been rolled back:",
            "what it created stays (r on Apply rolls it back).",
        )
    } else {
        ("The editor has unsaved changes: quitting discards them.", "")
    };
    vec![Line::from(first), Line::from(second), Line::from(""), yes_no("quit anyway", "stay")]
}

fn yes_no(yes: &'static str, no: &'static str) -> Line<'static> {
    Line::from(vec![
        Span::styled("y", theme::key()),
        format!(" {yes}   ").into(),
        Span::styled("n", theme::key()),
        format!(" {no}").into(),
    ])
}

/// Mode badge, account, region and caller; the caller's full ARN when it fits, else its name.
fn header_line(app: &App, width: u16) -> Line<'static> {
    let mut spans =
        vec![Span::styled(" ferry ", theme::bold()), Span::styled(app.mode.badge(), theme::badge(app.mode))];
    let run = app.run.as_ref().and_then(|r| r.run_id.as_ref()).map(|id| format!("   run {}", safe(id)));
    match &app.account {
        Loadable::Ready(account) => {
            let text = |caller: &str| {
                format!(
                    " {} · acct {} · {} · {}",
                    safe(&account.label),
                    account.account_id,
                    account.region,
                    safe(caller)
                )
            };
            let mut line = text(&account.caller_arn);
            let used = 7 + app.mode.badge().chars().count() + run.as_deref().map_or(0, |r| r.chars().count());
            if used + line.chars().count() > width as usize {
                line = text(account.caller_arn.rsplit('/').next().unwrap_or(&account.caller_arn));
            }
            spans.push(Span::raw(line));
        }
        Loadable::Failed(error) => {
            spans.push(Span::styled(format!(" account unknown: {}", safe(error)), theme::error()))
        }
        _ => spans.push(Span::styled(format!(" {} · connecting…", safe(&app.label)), theme::dim())),
    }
    spans.extend(run.map(|r| Span::styled(r, theme::dim())));
    Line::from(spans)
}

fn breadcrumb(app: &App) -> Line<'static> {
    let mut spans = vec![Span::raw(" ")];
    for (i, step) in Step::ALL.iter().enumerate() {
        if i > 0 {
            spans.push(Span::styled(" › ", theme::dim()));
        }
        let done = is_done(app, *step);
        let current = *step == app.step;
        let mark = match (current, done) {
            (true, _) => "● ",
            (false, true) => "✓ ",
            _ => "",
        };
        let style = match (current, done) {
            (true, _) => Style::new().fg(theme::ACCENT).add_modifier(Modifier::BOLD),
            (false, true) => theme::ok(),
            _ => theme::dim(),
        };
        spans.push(Span::styled(format!("{mark}{}", step.title()), style));
    }
    Line::from(spans)
}

/// A step is done once the operator has moved past it (or, for Apply, once it applied).
fn is_done(app: &App, step: Step) -> bool {
    match step {
        Step::Apply => app.run.as_ref().is_some_and(|r| r.phase == RunPhase::Applied),
        Step::Verify => false,
        _ => step < app.step && (step == Step::Source || app.migration().is_some()),
    }
}

fn footer_line(hints: &[Hint]) -> Line<'static> {
    let mut spans = vec![Span::raw(" ")];
    for hint in hints {
        spans.push(Span::styled(hint.keys, theme::key()));
        spans.push(Span::raw(format!(" {}  ", hint.label)));
    }
    Line::from(spans)
}

fn help(app: &App, frame: &mut Frame) {
    let mut lines = vec![
        Line::styled(format!("{} step", app.step.title()), theme::bold()),
        Line::from(app.step.purpose()),
        Line::from(""),
    ];
    lines.extend(
        hints(app)
            .iter()
            .map(|h| Line::from(vec![Span::styled(format!("{:>8}  ", h.keys), theme::key()), Span::raw(h.label)])),
    );
    lines.extend([
        Line::from(""),
        Line::styled("Enter moves on once a step's facts are shown; Esc goes back.", theme::dim()),
        Line::styled("Nothing changes in the account until you approve the plan (a, then y).", theme::dim()),
        Line::from(""),
        Line::styled("any key closes this help", theme::dim()),
    ]);
    confirm(frame, " Keys ", lines);
}

fn confirm_apply(app: &App, frame: &mut Frame) {
    let Some(migration) = app.migration() else {
        return;
    };
    let plan = &migration.plan;
    let account = &migration.account;
    let lines = vec![
        Line::from(vec![
            "Apply plan ".into(),
            Span::styled(plan.short_hash().to_string(), theme::bold()),
            format!(" to account {} ({})", account.account_id, account.region).into(),
        ]),
        Line::from(vec!["on the ".into(), Span::styled(app.mode.badge(), theme::badge(app.mode)), " account?".into()]),
        Line::from(format!("{} steps; each can be rolled back with r on the Apply step.", plan.steps.len())),
        Line::from(""),
        Line::from(vec![
            Span::styled("y", theme::key()),
            " apply   ".into(),
            Span::styled("n", theme::key()),
            " cancel".into(),
        ]),
    ];
    confirm(frame, " Approve ", lines);
}

/// A centred box over the screen.
fn confirm(frame: &mut Frame, title: &str, lines: Vec<Line<'static>>) {
    let width = lines.iter().map(Line::width).max().unwrap_or(20) as u16 + 6;
    let area = centered(frame.area(), width.min(frame.area().width), lines.len() as u16 + 2);
    frame.render_widget(Clear, area);
    let block = Block::new().borders(Borders::ALL).title(title.to_string()).border_style(theme::focused_border());
    frame.render_widget(Paragraph::new(lines).block(block).alignment(Alignment::Left).wrap(Wrap { trim: false }), area);
}

pub(super) fn centered(area: Rect, width: u16, height: u16) -> Rect {
    let [row] = Layout::vertical([Constraint::Length(height)]).flex(Flex::Center).areas(area);
    let [cell] = Layout::horizontal([Constraint::Length(width)]).flex(Flex::Center).areas(row);
    cell
}
