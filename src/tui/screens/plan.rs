//! Plan: what will change, how each step is undone, what the checks say, what it costs a month
//! against today, and what the plan takes for granted about the account.

use std::sync::OnceLock;

use ratatui::Frame;
use ratatui::crossterm::event::KeyEvent;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span, Text};
use ratatui::widgets::{Paragraph, Row, Table, TableState};

use ferry_engine::cost;

use super::{Context, Onward, Reply, Screen, migration_or_placeholder};
use crate::migration::Migration;
use crate::plan::{Action, Check, CheckLevel, Plan, Step};
use crate::tui::actions::{self, Keymap};
use crate::tui::highlight;
use crate::tui::keymap::{Hint, act, act_saying, either, moves, of};
use crate::tui::theme;
use crate::tui::widgets::{FilteredList, clamp_scroll, panel, safe, wrap};

/// The Plan step's screen (named apart from the engine's `Plan`, which it shows): the steps,
/// filtered, the checks and the selected step's detail, each scrolled on its own.
#[derive(Debug, Clone, Default)]
pub struct PlanScreen {
    pub list: FilteredList,
    /// Which lower pane J/K scrolls: the checks (false) or the selected step (true).
    pub step_focused: bool,
    /// How far the checks and assumptions are scrolled.
    pub checks_scroll: u16,
    /// How far the selected step's document is scrolled.
    pub detail_scroll: u16,
    /// How far the checks and the step could scroll at the last draw: the keys stay within.
    ends: std::cell::Cell<Option<(u16, u16)>>,
    /// What would stop this machine from running the plan (`Cloud::preflight`), by plan hash:
    /// said on the Plan step, before the operator approves.
    pub preflight: Option<(String, Vec<String>)>,
}

impl PlanScreen {
    /// This machine's problems with the plan `hash`, once they are known.
    pub fn preflight_for(&self, hash: &str) -> Option<&[String]> {
        self.preflight.as_ref().filter(|(h, _)| h == hash).map(|(_, problems)| problems.as_slice())
    }
}

fn visible<'a>(screen: &PlanScreen, migration: &'a Migration) -> Vec<(usize, &'a Step)> {
    migration
        .plan
        .steps
        .iter()
        .enumerate()
        .filter(|(_, s)| screen.list.matches(&format!("{} {} {}", s.action.verb(), s.action.target(), s.id)))
        .collect()
}

impl Screen for PlanScreen {
    fn title(&self) -> &'static str {
        "Plan"
    }

    fn purpose(&self, _keymap: &Keymap) -> String {
        "Every change, how it is undone, and what the checks say. Nothing has changed yet.".into()
    }

    /// Approving first (or, with a run, going to it).
    fn hints(&self, ctx: &Context) -> Vec<Hint> {
        use actions::Action::{Approve, Back, Filter, Next, ScrollPaneDown, ScrollPaneUp, SwitchPane};
        let keymap = ctx.keymap;
        let first = if !ctx.apply_available {
            act(keymap, Approve, "apply (this backend only reads)")
        } else if ctx.run.is_some() {
            act(keymap, Next, "to the run")
        } else if let Some(reason) = ctx.migration().and_then(|m| refused_because(&m.plan)) {
            act_saying(keymap, Approve, reason)
        } else {
            of(keymap, Approve)
        };
        vec![
            first,
            moves(keymap, "move"),
            of(keymap, SwitchPane),
            either(keymap, ScrollPaneDown, ScrollPaneUp, "scroll pane"),
            of(keymap, Filter),
            of(keymap, Back),
        ]
    }

    fn actions(&self, _ctx: &Context) -> &'static [actions::Action] {
        &[actions::Action::Approve]
    }

    fn is_typing(&self) -> bool {
        self.list.editing
    }

    fn clear_filter(&mut self) -> bool {
        self.list.clear_filter()
    }

    fn handle_key(&mut self, ctx: &Context, key: KeyEvent) -> Reply {
        use actions::Action::{ScrollPaneDown, ScrollPaneUp, SwitchPane, SwitchPaneBack};
        let (checks_end, detail_end) = self.ends.get().unwrap_or((u16::MAX, u16::MAX));
        let (scroll, end) = if self.step_focused {
            (&mut self.detail_scroll, detail_end)
        } else {
            (&mut self.checks_scroll, checks_end)
        };
        match ctx.keymap.action(&key, &[SwitchPane, SwitchPaneBack, ScrollPaneDown, ScrollPaneUp]) {
            Some(ScrollPaneDown) => *scroll = (*scroll).min(end).saturating_add(3).min(end),
            Some(ScrollPaneUp) => *scroll = (*scroll).min(end).saturating_sub(3),
            // Two panes: either way is the other one.
            Some(_) => self.step_focused = !self.step_focused,
            None => {
                let len = ctx.migration().map_or(0, |m| visible(self, m).len());
                if self.list.handle_key(ctx.keymap, key, len) {
                    self.detail_scroll = 0;
                }
            }
        }
        Reply::Done
    }

    /// To the run, once there is one: the plan is approved with its own key.
    fn onward(&self, ctx: &Context) -> Onward {
        match ctx.run {
            Some(_) => Onward::Next,
            None => Onward::Stay(Some(format!(
                "press {} to approve the plan and apply it",
                ctx.keymap.label(actions::Action::Approve)
            ))),
        }
    }

    fn render(&self, ctx: &Context, frame: &mut Frame, area: Rect) {
        if let Some(migration) = migration_or_placeholder(ctx, self.title(), frame, area) {
            render(self, ctx, migration, frame, area);
        }
    }
}

/// Why the plan cannot be approved as it stands, for the footer: its first field that is not
/// valid (`a` says the whole reason).
fn refused_because(plan: &Plan) -> Option<String> {
    let invalid = plan.invalid();
    let first = invalid.first()?;
    let more = match invalid.len() {
        1 => String::new(),
        n => format!(" and {} more", n - 1),
    };
    Some(format!("approve: refused, {}{more} not valid (Service)", safe(&first.field)))
}

/// The image step's second line: what is built, from where. The digest is computed from the
/// Dockerfile the step builds, never read from the plan.
fn build_line(action: &Action) -> Option<String> {
    let Action::BuildAndPushImage { context_dir, dockerfile, .. } = action else { return None };
    let context =
        if context_dir.is_empty() { "no source folder".to_string() } else { format!("from {}", safe(context_dir)) };
    let digest = crate::digest::sha256_hex(dockerfile.as_bytes());
    Some(format!("Dockerfile sha256 {} · {context}", &digest[..12]))
}

fn render(screen: &PlanScreen, app: &Context, migration: &Migration, frame: &mut Frame, area: Rect) {
    let plan = &migration.plan;
    let steps = visible(screen, migration);
    // Table width less the other columns, their gaps and the selection mark.
    // On a narrow terminal the undo column gives way (the selected step's pane says it), so the
    // action and its target are never cut to something ambiguous.
    let with_undo = area.width >= 110;
    let undo_width = if with_undo { 36 + 1 } else { 0 };
    let target_width = (area.width as usize).saturating_sub(2 + 3 + 24 + undo_width + 2 + 2).max(20);
    let extra: usize =
        steps.iter().filter_map(|(_, s)| build_line(&s.action)).map(|b| wrap(&b, target_width).len()).sum();
    // Two lines under the table for the cost headline.
    let table_height = ((steps.len() + extra) as u16 + 3).min(area.height.saturating_sub(10));
    let [table_area, cost_area, lower] =
        Layout::vertical([Constraint::Length(table_height), Constraint::Length(2), Constraint::Min(5)]).areas(area);
    let estimate = estimate(plan);
    frame.render_widget(Paragraph::new(headline(&estimate, cost_area.width as usize)), cost_area);

    let rows = steps.iter().map(|(index, step)| step_row(*index, step, target_width, with_undo));
    let overridden = overridden(app, plan);
    // Judged once per frame, from the plan's content: the title, the counts and the pane.
    let judged = plan.checks();
    let level_count = |level: CheckLevel| judged.iter().filter(|c| c.level == level).count();
    let denied = level_count(CheckLevel::Deny);
    let denied = match overridden.len() {
        0 => format!("{denied} denied"),
        n => format!("{denied} denied, {n} overridden"),
    };
    let title = format!(
        " Plan {}… ({}, {}, {denied}){} ",
        plan.short_hash(),
        count(plan.steps.len(), "step"),
        count(level_count(CheckLevel::Warning), "warning"),
        screen.list.title_suffix()
    );
    let (widths, header) = columns(with_undo);
    let table = Table::new(rows, widths)
        .header(Row::new(header).style(theme::header_row()))
        .row_highlight_style(theme::selected())
        .highlight_symbol("› ")
        .block(panel(title, true));
    let selected = screen.list.selected_in(steps.len());
    frame.render_stateful_widget(table, table_area, &mut TableState::default().with_selected(selected));

    let [checks_area, detail_area] =
        Layout::horizontal([Constraint::Percentage(50), Constraint::Percentage(50)]).areas(lower);
    let focused = screen.step_focused;
    let width = checks_area.width.saturating_sub(2) as usize;
    let mut lines = check_lines(screen, app, plan, &judged, width);
    // The cost in full before what the plan assumes: it is what an operator reads next.
    lines.extend(cost_lines(&estimate, width));
    lines.extend(assumption_lines(plan, width));
    let title = format!(
        " Checks · cost · assumes ({}){} ",
        plan.assumptions.len(),
        more(app.keymap, lines.len(), screen.checks_scroll, checks_area)
    );
    let scroll = clamp_scroll(screen.checks_scroll, lines.len(), checks_area);
    let checks_len = lines.len();
    let checks = Paragraph::new(lines).block(panel(title, !focused)).scroll((scroll, 0));
    frame.render_widget(checks, checks_area);

    let detail_width = detail_area.width.saturating_sub(2) as usize;
    let detail =
        selected.and_then(|i| steps.get(i)).map(|(index, step)| detail_lines(plan, *index, step, detail_width));
    let detail = detail.unwrap_or_default();
    let title = format!(" Step{} ", more(app.keymap, detail.len(), screen.detail_scroll, detail_area));
    let scroll = clamp_scroll(screen.detail_scroll, detail.len(), detail_area);
    let ends = (clamp_scroll(u16::MAX, checks_len, checks_area), clamp_scroll(u16::MAX, detail.len(), detail_area));
    screen.ends.set(Some(ends));
    let detail = Paragraph::new(detail).block(panel(title, focused)).scroll((scroll, 0));
    frame.render_widget(detail, detail_area);
}

/// One step's row: its number, action, target (with the build's digest under an image step)
/// and, when there is room, its undo.
fn step_row(index: usize, step: &Step, target_width: usize, with_undo: bool) -> Row<'static> {
    let mut target = vec![Line::from(safe(&step.action.target()))];
    if let Some(build) = build_line(&step.action) {
        target.extend(wrap(&build, target_width).into_iter().map(|l| Line::styled(l, theme::dim())));
    }
    let height = target.len() as u16;
    let mut cells =
        vec![Text::from(format!("{:>2}", index + 1)), Text::from(step.action.verb().to_string()), Text::from(target)];
    if with_undo {
        cells.push(Text::from(step.action.undo_text()));
    }
    Row::new(cells).height(height)
}

/// The table's columns and their headers, with or without the undo column.
fn columns(with_undo: bool) -> (Vec<Constraint>, Vec<&'static str>) {
    if with_undo {
        (
            vec![Constraint::Length(3), Constraint::Length(24), Constraint::Min(30), Constraint::Length(36)],
            vec![" #", "Action", "Target", "Undo"],
        )
    } else {
        (vec![Constraint::Length(3), Constraint::Length(24), Constraint::Min(20)], vec![" #", "Action", "Target"])
    }
}

/// The plan's cost at the prices every front end loads (`FERRY_PRICES`, else the bundled
/// book), or why there is none. The book is read once; the estimate is computed from the
/// plan's content on every frame, as the checks are.
fn estimate(plan: &Plan) -> Result<cost::Estimate, String> {
    static PRICES: OnceLock<Result<cost::PriceBook, String>> = OnceLock::new();
    let book = PRICES.get_or_init(|| cost::PriceBook::load(None).map_err(|e| e.to_string()));
    book.as_ref().map(|book| cost::estimate(plan, book)).map_err(Clone::clone)
}

/// Today → after, and the prices' date and source: two lines, cut to the screen's width.
fn headline(estimate: &Result<cost::Estimate, String>, width: usize) -> Vec<Line<'static>> {
    match estimate {
        Ok(estimate) => {
            let [figures, prices] = cost::headline(estimate, width.saturating_sub(1));
            let unknown = estimate.today.monthly.is_none() || estimate.after.monthly_min.is_none();
            let style = if unknown { theme::warn() } else { theme::bold() };
            vec![
                Line::styled(format!(" {}", safe(&figures)), style),
                Line::styled(format!(" {}", safe(&prices)), theme::dim()),
            ]
        }
        Err(error) => wrap(&format!("cost: {}", safe(error)), width.saturating_sub(1))
            .into_iter()
            .take(2)
            .map(|l| Line::styled(format!(" {l}"), theme::warn()))
            .collect(),
    }
}

/// The estimate in full, under the checks: each item with its basis, the assumptions and what
/// is left out.
fn cost_lines(estimate: &Result<cost::Estimate, String>, width: usize) -> Vec<Line<'static>> {
    let Ok(estimate) = estimate else { return Vec::new() };
    let mut lines = vec![Line::from("")];
    for (index, line) in cost::details(estimate).iter().enumerate() {
        let indent = line.len() - line.trim_start().len();
        let style = if index == 0 { theme::bold() } else { Style::new() };
        lines.extend(hanging(Span::raw(" ".repeat(indent)), &safe(line.trim_start()), style, width));
    }
    lines
}

/// The reasons of the run on the Apply step, when it ran this plan: these denies are overridden.
fn overridden<'a>(app: &Context<'a>, plan: &Plan) -> Vec<&'a crate::plan::Override> {
    app.run.into_iter().filter(|r| r.plan.hash == plan.hash).flat_map(|r| &r.overrides).collect()
}

/// `first` then `text` wrapped to `width`, every line after the first indented under it.
fn hanging(first: Span<'static>, text: &str, style: Style, width: usize) -> Vec<Line<'static>> {
    let indent = first.width();
    wrap(text, width.saturating_sub(indent))
        .into_iter()
        .enumerate()
        .map(|(i, part)| {
            let lead = if i == 0 { first.clone() } else { Span::raw(" ".repeat(indent)) };
            Line::from(vec![lead, Span::styled(part, style)])
        })
        .collect()
}

/// Every check, a deny with its id and what it needs.
fn check_lines(screen: &PlanScreen, app: &Context, plan: &Plan, judged: &[Check], width: usize) -> Vec<Line<'static>> {
    let overridden = overridden(app, plan);
    let mut lines = Vec::new();
    // What blocks the apply first, then what to look at, then what passed.
    let mut checks: Vec<&Check> = judged.iter().collect();
    checks.sort_by_key(|c| match c.level {
        CheckLevel::Deny => 0,
        CheckLevel::Warning => 1,
        CheckLevel::Pass => 2,
    });
    for problem in plan.invalid() {
        let text = format!("not valid, cannot be approved: {}", safe(&problem.to_string()));
        lines.extend(hanging(Span::styled("✗ ", theme::error()), &text, Style::new(), width));
    }
    for problem in screen.preflight_for(&plan.hash).unwrap_or_default() {
        let text = format!("this machine cannot run it: {}", safe(problem));
        lines.extend(hanging(Span::styled("✗ ", theme::error()), &text, Style::new(), width));
    }
    for check in checks {
        let (icon, style) = match check.level {
            CheckLevel::Pass => ("✓", theme::ok()),
            CheckLevel::Warning => ("⚠", theme::warn()),
            CheckLevel::Deny => ("✗", theme::error()),
        };
        lines.extend(hanging(Span::styled(format!("{icon} "), style), &safe(&check.message), Style::new(), width));
        if check.level == CheckLevel::Deny {
            lines.extend(deny_lines(app, plan, check, &overridden, width));
        }
    }
    lines
}

/// What the plan assumes about the account.
fn assumption_lines(plan: &Plan, width: usize) -> Vec<Line<'static>> {
    let mut lines = vec![Line::from("")];
    lines.extend(hanging(
        Span::raw(""),
        &format!("assumes ({}): apply refuses to run if any has changed", plan.assumptions.len()),
        theme::bold(),
        width,
    ));
    for assumption in &plan.assumptions {
        lines.extend(hanging(Span::raw("  · "), &safe(&assumption.describe()), Style::new(), width));
    }
    lines
}

fn deny_lines(
    app: &Context,
    plan: &Plan,
    check: &Check,
    overridden: &[&crate::plan::Override],
    width: usize,
) -> Vec<Line<'static>> {
    let mut lines = hanging(Span::raw("  "), &format!("id {}", safe(&check.id)), theme::dim(), width);
    let run_reason = overridden.iter().find(|o| o.check_id == check.id).map(|o| o.reason.as_str());
    let (text, style) = match (run_reason, app.reasons.get(&plan.hash, &check.id)) {
        (Some(reason), _) => (format!("overridden: “{}”", safe(reason)), theme::warn()),
        (None, Some(reason)) => (format!("reason written, not applied yet: “{}”", safe(reason)), theme::warn()),
        (None, None) => {
            (format!("needs a reason to override ({})", app.keymap.label(actions::Action::Approve)), theme::error())
        }
    };
    lines.extend(hanging(Span::raw("  "), &text, style, width));
    lines
}

/// The selected step: what approving it covers (the same lines `ferry show` prints), then the
/// image build's Dockerfile, or any other step's action document.
fn detail_lines(plan: &Plan, index: usize, step: &Step, width: usize) -> Vec<Line<'static>> {
    let mut lines = vec![
        Line::styled(format!("step {} · id {}", index + 1, step.id), theme::bold()),
        Line::styled(format!("undo: {}", step.action.undo_text()), theme::dim()),
    ];
    for line in plan.review(index) {
        let indent = line.len() - line.trim_start().len();
        lines.extend(hanging(Span::raw(" ".repeat(indent)), &safe(line.trim_start()), Style::new(), width));
    }
    lines.push(Line::from(""));
    if let Action::BuildAndPushImage { dockerfile, .. } = &step.action {
        lines.extend(dockerfile.lines().map(|l| highlight::line(highlight::dockerfile_line(l))));
        return lines;
    }
    let json = serde_json::to_string_pretty(&step.action).unwrap_or_default();
    lines.extend(json.lines().skip(1).map(|l| highlight::line(highlight::json_line(l))));
    lines
}

/// ` · more below (J)` when a pane holds more than it shows from `scroll` on.
fn more(keymap: &actions::Keymap, lines: usize, scroll: u16, area: Rect) -> String {
    let shown = area.height.saturating_sub(2) as usize;
    match (lines > scroll as usize + shown, scroll > 0) {
        (true, _) => format!(" · more below ({})", keymap.label(actions::Action::ScrollPaneDown)),
        (false, true) => format!(" · {} back up", keymap.label(actions::Action::ScrollPaneUp)),
        _ => String::new(),
    }
}

/// `1 step`, `11 steps`.
fn count(n: usize, noun: &str) -> String {
    if n == 1 { format!("1 {noun}") } else { format!("{n} {noun}s") }
}
