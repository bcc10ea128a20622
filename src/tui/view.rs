//! `view`: draws the whole frame from the app's state. Reads only; changes nothing.

use ratatui::Frame;
use ratatui::layout::{Alignment, Constraint, Flex, Layout, Rect};
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph, Wrap};

use super::app::{App, Loadable, Overlay};
use super::keymap::{Hint, hints};
use super::run_view::Lane;
use super::steps::Step;
use super::theme;
use super::widgets::{safe, wrap};
use crate::apply::RunStatus;

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
    let crumb_line = breadcrumb(app, crumbs.width);
    frame.render_widget(crumb_line.clone(), crumbs);
    let body = super::training::split(app, frame, body);
    let (body, log) = app.log.split(body);
    app.screen().render(&app.context(), frame, body);
    if let Some(area) = log {
        app.log.render(frame, area);
    }
    if let Some(text) = &app.status {
        frame.render_widget(Line::styled(format!(" {}", safe(text)), theme::notice()), status);
    } else if let Some(text) = super::unfinished::reminder(app) {
        frame.render_widget(Line::styled(format!(" {text}"), theme::warn()), status);
    }
    frame.render_widget(footer_line(&hints(app), footer.width), footer);
    match &app.overlay {
        Some(Overlay::Help) => help(app, frame),
        Some(Overlay::OverrideDeny) => super::approval::render_prompt(app, frame),
        Some(Overlay::ConfirmApply) => super::approval::render_confirm(app, frame),
        Some(Overlay::FailureChoice) => failure_choice(app, frame),
        Some(Overlay::UnfinishedRuns) => super::unfinished::render(app, frame),
        Some(Overlay::ConfirmQuit) => confirm(frame, " Quit? ", quit_warning(app)),
        Some(Overlay::ConfirmRollback) => confirm_rollback(app, frame),
        Some(Overlay::SourceFolder) => super::folder_prompt::render(app, frame),
        Some(Overlay::SecretSource) => super::secret_prompt::render(app, frame),
        None => {}
    }
    super::mouse::Drawn::record(app, frame.buffer_mut(), crumbs, &crumb_line, body, log);
    theme::finish(frame.buffer_mut(), app.ui.theme, theme::no_color());
}

/// Why quitting now needs a second thought.
fn quit_warning(app: &App) -> Vec<Line<'static>> {
    let mut lines: Vec<Line> = if app.is_busy() {
        vec![
            Line::from("An apply or rollback is running: quitting abandons it in the middle of a step,"),
            Line::from("and what it created so far stays in the account."),
        ]
    } else if app.has_open_run() {
        vec![
            Line::from("This run changed the account and has not been rolled back:"),
            Line::from(format!(
                "what it created stays ({} on Apply rolls it back).",
                app.keymap.label(super::actions::Action::RollBack)
            )),
        ]
    } else {
        vec![Line::from("The editor has unsaved changes: quitting discards them.")]
    };
    if app.runs_kept && (app.is_busy() || app.has_open_run()) {
        lines.push(Line::styled(
            "The run is journaled: the next start offers to roll it back or continue it.",
            theme::dim(),
        ));
    }
    lines.extend([Line::from(""), question_keys(app)]);
    lines
}

/// A question's keys, the ones the footer shows, in one line.
fn question_keys(app: &App) -> Line<'static> {
    let mut spans = Vec::new();
    for hint in super::keymap::overlay_hints(app).unwrap_or_default() {
        if !spans.is_empty() {
            spans.push(Span::raw("   "));
        }
        spans.push(Span::styled(hint.keys, theme::key()));
        spans.push(Span::raw(format!(" {}", hint.label)));
    }
    Line::from(spans)
}

/// Mode badge, account, region and caller; the caller's full ARN when it fits, else its name.
fn header_line(app: &App, width: u16) -> Line<'static> {
    let mut spans =
        vec![Span::styled(" ferry ", theme::bold()), Span::styled(app.mode.badge(), theme::badge(app.mode))];
    // An armed fault is part of what account this is: a trainer's class sees it at all times.
    if let Some(fault) = &app.fault {
        spans.push(Span::raw(" "));
        spans.push(Span::styled(format!(" FAULT --fail-at {fault} "), theme::badge(super::app::Mode::Live)));
    }
    let mut run = app.run.as_ref().and_then(|r| r.run_id.as_ref()).map(|id| format!("   run {}", safe(id)));
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
            let fault = app.fault.as_ref().map_or(0, |f| format!("  FAULT --fail-at {f} ").chars().count());
            let used = 7 + app.mode.badge().chars().count() + fault + run.as_deref().map_or(0, |r| r.chars().count());
            if used + line.chars().count() > width as usize {
                line = text(account.caller_arn.rsplit('/').next().unwrap_or(&account.caller_arn));
            }
            // The Apply step's title names the run too: the account comes first.
            if used + line.chars().count() > width as usize {
                run = None;
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

/// The steps, each ticked when done and the current one marked. Full titles when they fit,
/// else short ones but for the current step; on a terminal too narrow even for those, the
/// steps around the current one, with `…` for the rest: the current step is always there.
fn breadcrumb(app: &App, width: u16) -> Line<'static> {
    let width = width as usize;
    let crumb = |step: Step, short: bool| {
        let done = app.screens.get(step).is_done(&app.context(), step < app.step);
        let current = step == app.step;
        let (mark, style) = match (current, done) {
            (true, _) => ("● ", Style::new().fg(theme::ACCENT).add_modifier(Modifier::BOLD)),
            (false, true) => ("✓ ", theme::ok()),
            _ => ("", theme::dim()),
        };
        let screen = app.screens.get(step);
        let title = if short && !current { screen.short_title() } else { screen.title() };
        Span::styled(format!("{mark}{title}"), style)
    };
    let line = |crumbs: Vec<Span<'static>>, before: bool, after: bool| {
        let mut spans = vec![Span::raw(" ")];
        let separator = || Span::styled(" › ", theme::dim());
        if before {
            spans.extend([Span::styled("…", theme::dim()), separator()]);
        }
        for (i, crumb) in crumbs.into_iter().enumerate() {
            if i > 0 {
                spans.push(separator());
            }
            spans.push(crumb);
        }
        if after {
            spans.extend([separator(), Span::styled("…", theme::dim())]);
        }
        Line::from(spans)
    };
    for short in [false, true] {
        let full = line(Step::ALL.iter().map(|s| crumb(*s, short)).collect(), false, false);
        if full.width() <= width {
            return full;
        }
    }
    // Widen a window around the current step, a step each side in turn, while it fits.
    let current = app.step.index();
    let last = Step::ALL.len() - 1;
    let window =
        |from: usize, to: usize| line((from..=to).map(|i| crumb(Step::ALL[i], true)).collect(), from > 0, to < last);
    let (mut from, mut to) = (current, current);
    loop {
        let wider_right = (to < last).then(|| (from, to + 1));
        let wider_left = (from > 0).then(|| (from - 1, to));
        // The side with fewer steps shown goes first, so the window stays around the step.
        let sides = if to - current < current - from { [wider_right, wider_left] } else { [wider_left, wider_right] };
        let next = sides.into_iter().flatten().find(|(f, t)| window(*f, *t).width() <= width);
        match next {
            Some((f, t)) => (from, to) = (f, t),
            None => return window(from, to),
        }
    }
}

/// The keys, most useful first; on a narrow terminal the ones just before `? help` and
/// `q quit` give way (the help lists them all).
fn footer_line(hints: &[Hint], width: u16) -> Line<'static> {
    let cost = |h: &Hint| h.keys.chars().count() + h.label.chars().count() + 3;
    let mut shown: Vec<&Hint> = hints.iter().collect();
    while shown.len() > 3 && 1 + shown.iter().map(|h| cost(h)).sum::<usize>() > width as usize {
        shown.remove(shown.len() - 3);
    }
    let mut spans = vec![Span::raw(" ")];
    for hint in shown {
        spans.push(Span::styled(hint.keys, theme::key()));
        spans.push(Span::raw(format!(" {}  ", hint.label)));
    }
    Line::from(spans)
}

fn help(app: &App, frame: &mut Frame) {
    let mut lines = vec![
        Line::styled(format!("{} step", app.screen().title()), theme::bold()),
        Line::from(app.screen().purpose(&app.keymap)),
        Line::from(""),
    ];
    lines.extend(
        hints(app)
            .iter()
            .map(|h| Line::from(vec![Span::styled(format!("{:>8}  ", h.keys), theme::key()), Span::raw(h.label)])),
    );
    let notes = app.screen().help_notes(&app.keymap);
    if !notes.is_empty() {
        lines.push(Line::from(""));
        lines.extend(notes.into_iter().map(Line::from));
    }
    let key = |action| app.keymap.label(action);
    use super::actions::Action;
    lines.extend([
        Line::from(""),
        Line::styled(
            format!("{} moves on once a step's facts are shown; {} goes back.", key(Action::Next), key(Action::Back)),
            theme::dim(),
        ),
        Line::styled(what_changes(app), theme::dim()),
        Line::from(""),
        Line::styled("any key closes this help", theme::dim()),
    ]);
    super::help_box::render(app, frame, lines);
}

/// What the current step can change in the account, for the help.
fn what_changes(app: &App) -> String {
    use super::actions::Action;
    let key = |action| app.keymap.label(action);
    match app.step {
        Step::Verify => "Verify only reads: it probes both sides and changes nothing.".into(),
        Step::Cutover => format!(
            "Nothing moves until you approve the cutover plan ({}, then {}); {} rolls it back.",
            key(Action::Approve),
            key(Action::Confirm),
            key(Action::RollBack)
        ),
        Step::Retire => format!(
            "ferry removes nothing of the old stack: you run each command, {} only journals it.",
            key(Action::ConfirmRemoved)
        ),
        _ => format!(
            "Nothing changes in the account until you approve the plan ({}, then {}).",
            key(Action::Approve),
            key(Action::Confirm)
        ),
    }
}

fn confirm_rollback(app: &App, frame: &mut Frame) {
    let run = super::traffic::run_of(app, app.lane);
    let id = run.and_then(|r| r.run_id.as_deref()).unwrap_or("this run");
    let made = run.map_or(0, |r| r.done());
    let mut lines = vec![Line::from(vec![
        "Undo every step run ".into(),
        Span::styled(safe(id), theme::bold()),
        " made, newest first:".into(),
    ])];
    lines.extend(
        match app.lane {
            Lane::Migration => {
                ["the service, rules, group, secrets (deleted without a recovery window),", "roles and the repository."]
            }
            Lane::Cutover => [
                "the weights and the records back exactly as they were, then the host",
                "name and certificate off the Express listener.",
            ],
            Lane::Finalize => {
                ["the weighted pair back in place of the plain records, all traffic", "still on the new service."]
            }
        }
        .map(Line::from),
    );
    if run.is_some_and(|r| r.steps.iter().any(|s| s.status == super::run_view::StepStatus::InDoubt)) {
        lines.push(Line::from("A step in doubt is looked up first and undone if it was made."));
    }
    lines.push(Line::styled(format!("{made} steps have their change in place."), theme::dim()));
    lines.push(Line::from(""));
    lines.push(question_keys(app));
    confirm(frame, " Roll back? ", lines);
}

/// After a failure nobody asked for: undo now, or keep what was made to look at it.
fn failure_choice(app: &App, frame: &mut Frame) {
    let Some(run) = super::traffic::run_of(app, app.lane) else { return };
    let RunStatus::Failed { step, reason } = &run.phase else { return };
    let width = (frame.area().width.saturating_sub(10) as usize).clamp(20, 84);
    let name = run.plan.steps.get(*step).map(|s| format!(" ({} {})", s.action.verb(), safe(&s.action.target())));
    let mut lines: Vec<Line> =
        wrap(&format!("step {}{} failed: {}", step + 1, name.unwrap_or_default(), safe(reason)), width)
            .into_iter()
            .map(|l| Line::styled(l, theme::error()))
            .collect();
    let done = run.done();
    lines.push(Line::from(match done {
        0 => "Nothing before it changed the account.".to_string(),
        1 => "1 step before it made its change.".to_string(),
        n => format!("{n} steps before it made their change."),
    }));
    lines.push(Line::from(""));
    lines.push(super::keymap::prompt_hint_line(super::keymap::overlay_hints(app).unwrap_or_default()));
    if super::traffic::stopped_at_gate(run) {
        let r = app.keymap.label(super::actions::Action::RollBack);
        let text =
            format!("(the traffic is back on the old stack; after stopping, {r} on Cutover rolls the rest back)");
        lines.push(Line::styled(text, theme::dim()));
        confirm(frame, " A health gate failed ", lines);
        return;
    }
    lines.push(Line::styled(
        format!(
            "(after stopping, {} continues the run on {}, {} rolls it back)",
            app.keymap.label(super::actions::Action::Resume),
            if app.lane == Lane::Migration { "Apply" } else { "Cutover" },
            app.keymap.label(super::actions::Action::RollBack)
        ),
        theme::dim(),
    ));
    confirm(frame, " The run failed ", lines);
}

/// A centred box over the screen.
pub(super) fn confirm(frame: &mut Frame, title: &str, lines: Vec<Line<'static>>) {
    let width = (lines.iter().map(Line::width).max().unwrap_or(20) as u16 + 6).min(frame.area().width);
    // A line wider than the box wraps: the box is as tall as the wrapped lines, so the last
    // one (often the keys) is never lost on a small terminal.
    let inner = usize::from(width.saturating_sub(2)).max(1);
    let rows: usize = lines.iter().map(|l| l.width().max(1).div_ceil(inner)).sum();
    let area = centered(frame.area(), width, (rows as u16).saturating_add(2));
    frame.render_widget(Clear, area);
    let block = Block::new().borders(Borders::ALL).title(title.to_string()).border_style(theme::focused_border());
    frame.render_widget(Paragraph::new(lines).block(block).alignment(Alignment::Left).wrap(Wrap { trim: false }), area);
}

pub(super) fn centered(area: Rect, width: u16, height: u16) -> Rect {
    let [row] = Layout::vertical([Constraint::Length(height)]).flex(Flex::Center).areas(area);
    let [cell] = Layout::horizontal([Constraint::Length(width)]).flex(Flex::Center).areas(row);
    cell
}
