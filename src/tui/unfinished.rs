//! Runs an earlier process left holding resources: offered when the wizard starts, so an
//! interrupted or failed apply is rolled back or continued, never forgotten.

use ratatui::Frame;
use ratatui::crossterm::event::KeyEvent;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph};

use super::app::{App, Overlay};
use super::msg::Command;
use super::run_view::RunView;
use super::steps::Step;
use super::theme;
use super::view::centered;
use super::widgets::{safe, truncate, wrap};
use crate::apply::{LeftRuns, RunState, RunStatus};

#[derive(Debug, Clone, Default)]
pub struct State {
    /// As the engine listed them: may hold resources, and no process is working on them.
    pub runs: Vec<RunState>,
    /// Journals that could not be read: one of them may be a run with resources left behind.
    pub unreadable: Vec<String>,
    pub selected: usize,
}

/// The runs arrived: offered at once when there are any.
pub fn on_loaded(app: &mut App, left: LeftRuns) {
    app.unfinished = State { runs: left.runs, unreadable: left.unreadable, selected: 0 };
    let any = !app.unfinished.runs.is_empty() || !app.unfinished.unreadable.is_empty();
    if any && app.overlay.is_none() {
        app.overlay = Some(Overlay::UnfinishedRuns);
    }
}

/// `R`: the list again.
pub fn review(app: &mut App) {
    if app.unfinished.runs.is_empty() && app.unfinished.unreadable.is_empty() {
        app.status = Some("no earlier run holds resources".into());
    } else {
        app.overlay = Some(Overlay::UnfinishedRuns);
    }
}

/// Forgets a run once it is rolled back: nothing of it is left.
pub fn forget(app: &mut App, run_id: &str) {
    app.unfinished.runs.retain(|r| r.run_id != run_id);
    app.unfinished.selected = app.unfinished.selected.min(app.unfinished.runs.len().saturating_sub(1));
}

/// The line under the body while runs are waiting: it stays until they are dealt with.
pub fn reminder(app: &App) -> Option<String> {
    // The run on the Apply step is in plain view already.
    let shown = app.run.as_ref().and_then(|r| r.run_id.as_deref());
    let waiting: Vec<&RunState> = app.unfinished.runs.iter().filter(|r| Some(r.run_id.as_str()) != shown).collect();
    let open = waiting.iter().filter(|r| r.status != RunStatus::Applied).count();
    let applied = waiting.len() - open;
    let plural = |n: usize, what: &str| if n == 1 { format!("1 {what} run") } else { format!("{n} {what} runs") };
    let mut parts = Vec::new();
    if open > 0 {
        parts.push(plural(open, "unfinished"));
    }
    if applied > 0 {
        parts.push(format!("{} still deployed", plural(applied, "applied")));
    }
    if !app.unfinished.unreadable.is_empty() {
        parts.push(format!("{} unreadable journal(s)", app.unfinished.unreadable.len()));
    }
    let review = app.keymap.label(super::actions::Action::ReviewRuns);
    (!parts.is_empty()).then(|| format!("{} · {review} to review", parts.join(" · ")))
}

/// Every key while the list is open.
pub fn handle_key(app: &mut App, key: KeyEvent) -> Option<Command> {
    let last = app.unfinished.runs.len().saturating_sub(1);
    let keymap = app.keymap.clone();
    if keymap.is(super::actions::Action::RollBack, &key) {
        if take_up(app) {
            app.overlay = Some(Overlay::ConfirmRollback);
        }
        return None;
    }
    if keymap.is(super::actions::Action::Resume, &key) {
        return resume_selected(app);
    }
    use super::actions::Action::{Back, MoveDown, MoveUp, Quit};
    let selected = &mut app.unfinished.selected;
    match keymap.action(&key, &[MoveUp, MoveDown, Back, Quit]) {
        Some(MoveUp) => *selected = selected.saturating_sub(1),
        Some(MoveDown) => *selected = (*selected + 1).min(last),
        // Back and quit both mean later here: a stray q must not end the session with runs open.
        Some(_) => {
            app.overlay = None;
            app.status = reminder(app).map(|r| format!("later, then: {r}"));
        }
        None => {}
    }
    None
}

fn resume_selected(app: &mut App) -> Option<Command> {
    let listed = app.unfinished.runs.get(app.unfinished.selected)?;
    if !listed.status.can_resume() {
        app.status = Some(format!(
            "run {} is {}: it cannot be continued, only rolled back ({})",
            listed.run_id,
            listed.status.label(),
            app.keymap.label(super::actions::Action::RollBack)
        ));
        return None;
    }
    if !take_up(app) {
        return None;
    }
    super::run_keys::resume(app, super::run_view::Lane::Migration)
}

/// Shows the selected run on the Apply step, unless a run of this session is still there.
fn take_up(app: &mut App) -> bool {
    let Some(listed) = app.unfinished.runs.get(app.unfinished.selected) else { return false };
    if let Some(run) = &app.run {
        let id = run.run_id.as_deref().unwrap_or("starting");
        let listed_here = app.unfinished.runs.iter().any(|r| Some(r.run_id.as_str()) == run.run_id.as_deref());
        if run.phase.is_busy() {
            app.status = Some(format!("run {id} is still working: wait for it to stop first"));
            return false;
        }
        if run.holds_resources() && !listed_here {
            app.status =
                Some(format!("run {id} of this session is open on Apply: roll it back before taking up another"));
            return false;
        }
    }
    app.run = Some(RunView::from_state(listed));
    // The run boxes are about the run taken up, shown on Apply whatever plan it carries out.
    app.lane = super::run_view::Lane::Migration;
    app.step = Step::Apply;
    app.overlay = None;
    true
}

/// What the list says a run's status is: the live one for the run on the Apply step.
fn status_label(app: &App, listed: &RunState) -> String {
    let live = app.run.as_ref().filter(|r| r.run_id.as_deref() == Some(listed.run_id.as_str()));
    match live.map(|r| &r.phase) {
        Some(RunStatus::Applying) => "continuing…".into(),
        Some(RunStatus::RollingBack) => "rolling back…".into(),
        _ => listed.status.label(),
    }
}

pub fn render(app: &App, frame: &mut Frame) {
    let width = frame.area().width.saturating_sub(4).min(110);
    let inner = width.saturating_sub(4) as usize;
    let list = &app.unfinished;
    let mut lines: Vec<Line> = wrap(
        "These runs stopped before they finished, or were never rolled back: what they made is still in the \
         account. Roll each back, or continue it from where it stopped.",
        inner,
    )
    .into_iter()
    .map(|l| Line::styled(l, theme::dim()))
    .collect();
    lines.push(Line::from(""));
    let header = format!("  {:<34} {:<14} {:<24} {:<6} {}", "Run", "Service", "Status", "Done", "In doubt");
    lines.push(Line::styled(truncate(&header, inner), theme::header_row()));
    for (index, state) in list.runs.iter().enumerate() {
        let in_doubt = state.in_doubt.as_ref().map_or("—".to_string(), |d| format!("step {}", d.step + 1));
        let row = format!(
            "{} {:<34} {:<14} {:<24} {:<6} {}",
            if index == list.selected { "›" } else { " " },
            truncate(&safe(&state.run_id), 34),
            truncate(&safe(&state.plan.service_name), 14),
            truncate(&status_label(app, state), 24),
            format!("{}/{}", state.journal.entries.len(), state.plan.steps.len()),
            in_doubt,
        );
        let style = if index == list.selected { theme::selected() } else { ratatui::style::Style::new() };
        lines.push(Line::styled(truncate(&row, inner), style));
    }
    for error in &list.unreadable {
        for part in wrap(&format!("✗ unreadable journal: {}", safe(error)), inner) {
            lines.push(Line::styled(part, theme::error()));
        }
    }
    if let Some(run) = list.runs.get(list.selected) {
        lines.push(Line::from(""));
        lines.extend(details(run, inner));
    }
    lines.push(Line::from(""));
    lines.push(keys(app));
    let height = (lines.len() as u16 + 2).min(frame.area().height);
    let area = centered(frame.area(), width, height);
    frame.render_widget(Clear, area);
    let title = format!(" Runs that may have left resources ({}) ", list.runs.len());
    let block = Block::new().borders(Borders::ALL).title(title).border_style(theme::focused_border());
    frame.render_widget(Paragraph::new(lines).block(block), area);
}

/// The selected run: who started it, from which plan, and where it stands.
fn details(state: &RunState, width: usize) -> Vec<Line<'static>> {
    let started = state.started.get(..19).unwrap_or(&state.started).replace('T', " ");
    let mut text = vec![format!(
        "started {started} by {} · plan {} · {}",
        safe(&state.operator),
        state.plan.short_hash(),
        match state.overrides.len() {
            0 => "no deny overridden".to_string(),
            1 => "1 deny overridden".to_string(),
            n => format!("{n} denies overridden"),
        }
    )];
    if let Some(doubt) = &state.in_doubt {
        text.push(format!(
            "step {} ({} {}) was sent and never answered: it is looked up first; rolling back undoes it if it was \
             made, continuing runs it if it was not",
            doubt.step + 1,
            doubt.action.verb(),
            safe(&doubt.action.target())
        ));
    }
    if let RunStatus::Failed { step, reason } = &state.status {
        text.push(format!("step {} failed: {}", step + 1, safe(reason)));
    }
    text.iter().flat_map(|t| wrap(t, width)).map(Line::from).collect()
}

/// The overlay's keys, the same list the footer shows, then how to come back to it.
fn keys(app: &App) -> Line<'static> {
    let hints = super::keymap::overlay_hints(app).unwrap_or_default();
    let mut line = super::keymap::prompt_hint_line(hints);
    line.spans.push(Span::styled(
        format!("({} reopens this list)", app.keymap.label(super::actions::Action::ReviewRuns)),
        theme::dim(),
    ));
    line
}
