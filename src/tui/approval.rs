//! Approving the plan: a written reason for every deny it overrides, then one last look at
//! what is approved (hash, account, overrides) before `y` applies it. The reasons go into
//! the run's journal and the audit log.

use std::collections::BTreeMap;

use ratatui::Frame;
use ratatui::crossterm::event::KeyEvent;
use ratatui::layout::{Constraint, Layout, Margin};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph};
use ratatui_textarea::{CursorMove, TextArea};

use super::actions::{Action, in_text_field};
use super::app::{App, Overlay};
use super::run_view::Lane;
use super::theme;
use super::view::{centered, confirm};
use super::widgets::{safe, wrap};
use crate::plan::{Check, MIN_REASON, Override, Plan};

/// Reasons written in this session for the denies of one plan: approving the same plan again
/// starts from them. Written for another plan, they are dropped.
#[derive(Debug, Clone, Default)]
pub struct Reasons {
    plan_hash: String,
    by_check: BTreeMap<String, String>,
}

impl Reasons {
    /// The reason written for `check_id` of the plan `plan_hash`.
    pub fn get(&self, plan_hash: &str, check_id: &str) -> Option<&str> {
        (self.plan_hash == plan_hash).then(|| self.by_check.get(check_id).map(String::as_str)).flatten()
    }

    fn keep(&mut self, plan_hash: &str, check_id: &str, reason: &str) {
        self.follow(Some(plan_hash));
        self.plan_hash = plan_hash.to_string();
        self.by_check.insert(check_id.to_string(), reason.to_string());
    }

    /// Forgets the reasons once the plan they were written for is no longer the plan.
    pub fn follow(&mut self, plan_hash: Option<&str>) {
        if plan_hash != Some(self.plan_hash.as_str()) && !self.by_check.is_empty() {
            *self = Reasons::default();
        }
    }
}

/// An approval under way: the reason being written, and the overrides written so far.
#[derive(Debug, Clone)]
pub struct Approval {
    /// The plan being approved: the migration's, or one that moves its traffic.
    pub plan: Box<Plan>,
    /// The run the plan becomes once applied.
    pub lane: Lane,
    pub plan_hash: String,
    pub denies: Vec<Check>,
    /// Which deny the prompt asks about.
    pub index: usize,
    pub input: TextArea<'static>,
    /// Why the last Enter was not accepted.
    pub error: Option<String>,
    pub overrides: Vec<Override>,
}

/// Characters that count towards a reason: spaces do not.
pub fn reason_length(text: &str) -> usize {
    text.chars().filter(|c| !c.is_whitespace()).count()
}

fn input(text: &str) -> TextArea<'static> {
    let mut input = TextArea::new(vec![text.to_string()]);
    input.set_cursor_line_style(Style::new());
    input.move_cursor(CursorMove::End);
    input
}

/// `a` on the Plan or Cutover step, past its gates: a prompt per deny of `plan`, then the
/// confirmation. Once confirmed, the plan runs in `lane`.
pub fn open(app: &mut App, plan: Plan, lane: Lane) {
    let denies: Vec<Check> = plan.denies();
    let first = denies.first().and_then(|d| app.reasons.get(&plan.hash, &d.id)).unwrap_or("");
    let approval = Approval {
        plan_hash: plan.hash.clone(),
        lane,
        index: 0,
        input: input(first),
        error: None,
        overrides: Vec::new(),
        denies,
        plan: Box::new(plan),
    };
    app.overlay = Some(if approval.denies.is_empty() { Overlay::ConfirmApply } else { Overlay::OverrideDeny });
    app.approval = Some(approval);
}

/// Closes the approval without applying anything.
pub fn cancel(app: &mut App) {
    app.approval = None;
    app.overlay = None;
    app.status = Some("approval cancelled: nothing was applied".into());
}

/// Every key while a reason is being written.
pub fn handle_key(app: &mut App, key: KeyEvent) {
    let Some(approval) = app.approval.as_mut() else {
        app.overlay = None;
        return;
    };
    // One line: a reason is a sentence, and a newline accepts it as Enter does.
    let key = in_text_field(key);
    if app.keymap.is(Action::Cancel, &key) {
        cancel(app);
    } else if app.keymap.is(Action::Accept, &key) {
        accept(app);
    } else if app.keymap.is(Action::ClearEntry, &key) {
        approval.input.delete_line_by_head();
        approval.error = None;
    } else {
        approval.input.input(key);
        approval.error = None;
    }
}

/// Enter: keeps a long enough reason and asks about the next deny, or confirms.
fn accept(app: &mut App) {
    let Some(approval) = app.approval.as_mut() else { return };
    let Some(deny) = approval.denies.get(approval.index).cloned() else { return };
    let reason = approval.input.lines().concat().trim().to_string();
    let length = reason_length(&reason);
    if length < MIN_REASON {
        approval.error = Some(format!(
            "too short ({length} of {MIN_REASON}): write why this is acceptable, for whoever reads the audit log"
        ));
        return;
    }
    approval.overrides.push(Override { check_id: deny.id.clone(), reason: reason.clone() });
    approval.index += 1;
    let hash = approval.plan_hash.clone();
    let next = approval.denies.get(approval.index).map(|d| d.id.clone());
    app.reasons.keep(&hash, &deny.id, &reason);
    let prefill = next.as_deref().and_then(|id| app.reasons.get(&hash, id)).unwrap_or("").to_string();
    let approval = app.approval.as_mut().expect("checked above");
    match next {
        Some(_) => approval.input = input(&prefill),
        None => app.overlay = Some(Overlay::ConfirmApply),
    }
}

/// The prompt for one deny's reason.
pub fn render_prompt(app: &App, frame: &mut Frame) {
    let Some(approval) = &app.approval else { return };
    let Some(deny) = approval.denies.get(approval.index) else { return };
    let width = frame.area().width.saturating_sub(4).min(96);
    let inner = width.saturating_sub(4) as usize;
    let mut above = vec![Line::styled(
        format!(
            "Deny {} of {}: the plan is not applied unless you override it",
            approval.index + 1,
            approval.denies.len()
        ),
        theme::bold(),
    )];
    for (i, part) in wrap(&safe(&deny.message), inner.saturating_sub(2)).into_iter().enumerate() {
        let mark = if i == 0 { "✗ " } else { "  " };
        above.push(Line::styled(format!("{mark}{part}"), theme::error()));
    }
    above.push(Line::styled(format!("  id {}", safe(&deny.id)), theme::dim()));
    above.push(Line::from(""));
    let why = "Why is it acceptable here? The reason is kept in the run's journal and the audit log.";
    above.extend(wrap(why, inner).into_iter().map(Line::from));

    let typed = reason_length(&approval.input.lines().concat());
    let mut below = vec![if typed >= MIN_REASON {
        Line::styled(format!("✓ {typed} characters"), theme::ok())
    } else {
        Line::styled(format!("{typed}/{MIN_REASON} characters (spaces do not count)"), theme::warn())
    }];
    if let Some(error) = &approval.error {
        below.extend(wrap(error, inner).into_iter().map(|l| Line::styled(l, theme::error())));
    }
    below.push(Line::from(""));
    // The same keys, in the same words, as the footer under the box.
    below.push(super::keymap::prompt_hint_line(super::keymap::overlay_hints(app).unwrap_or_default()));

    let height = (above.len() + 3 + below.len()) as u16 + 2;
    let area = centered(frame.area(), width, height.min(frame.area().height));
    frame.render_widget(Clear, area);
    let block = Block::new().borders(Borders::ALL).title(" Override a deny ").border_style(theme::focused_border());
    let body = block.inner(area).inner(Margin::new(1, 0));
    frame.render_widget(block, area);
    let [above_area, input_area, below_area] =
        Layout::vertical([Constraint::Length(above.len() as u16), Constraint::Length(3), Constraint::Fill(1)])
            .areas(body);
    frame.render_widget(Paragraph::new(above), above_area);
    let mut input = approval.input.clone();
    input.set_block(Block::new().borders(Borders::ALL).title(" reason ").border_style(theme::focused_border()));
    frame.render_widget(&input, input_area);
    frame.render_widget(Paragraph::new(below), below_area);
}

/// The last look before applying: the hash, the account, and every deny overridden.
pub fn render_confirm(app: &App, frame: &mut Frame) {
    let (Some(migration), Some(approval)) = (app.migration(), app.approval.as_ref()) else { return };
    let plan = &approval.plan;
    let account = &migration.account;
    let step = if approval.lane == Lane::Migration { "Apply" } else { "Cutover" };
    let width = (frame.area().width.saturating_sub(10) as usize).clamp(20, 90);
    let mut lines = vec![
        Line::from(vec![
            format!("Apply {}plan ", lane_name(approval.lane)).into(),
            Span::styled(plan.short_hash().to_string(), theme::bold()),
            format!(" to account {} ({})", account.account_id, account.region).into(),
        ]),
        Line::from(vec!["on the ".into(), Span::styled(app.mode.badge(), theme::badge(app.mode)), " account?".into()]),
    ];
    lines.extend(wrap(&format!("sha256 {}", plan.hash), width).into_iter().map(|l| Line::styled(l, theme::dim())));
    lines.push(Line::from(format!(
        "{} steps; each can be rolled back with {} on the {step} step.",
        plan.steps.len(),
        app.keymap.label(Action::RollBack)
    )));
    let overrides = app.approval.as_ref().map(|a| a.overrides.as_slice()).unwrap_or_default();
    if !overrides.is_empty() {
        lines.push(Line::from(""));
        let count = if overrides.len() == 1 { "1 deny".to_string() } else { format!("{} denies", overrides.len()) };
        lines.push(Line::styled(format!("Overriding {count}, recorded with your reason:"), theme::warn()));
        for o in overrides {
            lines.push(Line::from(vec![Span::styled("  ✗ ", theme::error()), Span::raw(safe(&o.check_id))]));
            for part in wrap(&format!("“{}”", safe(&o.reason)), width.saturating_sub(4)) {
                lines.push(Line::from(format!("    {part}")));
            }
        }
    }
    lines.push(Line::from(""));
    lines.push(super::keymap::prompt_hint_line(super::keymap::overlay_hints(app).unwrap_or_default()));
    confirm(frame, " Approve ", lines);
}

/// How the confirmation names a traffic plan ("Apply cutover plan 1a2b3c4d").
fn lane_name(lane: Lane) -> &'static str {
    match lane {
        Lane::Migration => "",
        Lane::Cutover => "cutover ",
        Lane::Finalize => "finalize ",
    }
}
