//! Cutover: the host names move from the old load balancer to the new service in health-gated
//! stages, as a plan of its own. `p` plans it, `a` approves it by hash, and its run shows
//! here stage by stage, each gate's figures under it; once every stage has baked, `p` plans
//! the finalize the same way. `r` rolls back whichever of the two holds the records.

use ratatui::Frame;
use ratatui::crossterm::event::KeyEvent;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};

use super::{Context, Onward, Reply, Screen, migration_or_placeholder};
use crate::apply::RunStatus;
use crate::cutover::CutoverOptions;
use crate::migration::Migration;
use crate::plan::{Action as PlanAction, CheckLevel, Plan};
use crate::tui::actions::{Action, Keymap};
use crate::tui::app::Loadable;
use crate::tui::keymap::{Hint, act, moves, of};
use crate::tui::run_view::{Lane, RunView, StepStatus};
use crate::tui::theme;
use crate::tui::traffic::{Planned, Traffic, applied_migration_of, phase_words, stopped_at_gate};
use crate::tui::widgets::{panel, safe, spinner, wrap};

/// The Cutover step: what it shows is the traffic's; its own state is how far the plan is
/// scrolled.
#[derive(Debug, Default)]
pub struct Cutover {
    /// How far the plan or the explanation is scrolled, from the top.
    scroll: crate::tui::widgets::Scroll,
    /// How far a run's pane is scrolled back from the step the run stands at.
    back: u16,
    /// How far back the run's pane could scroll at its last draw.
    followed: std::cell::Cell<Option<u16>>,
}

impl Screen for Cutover {
    fn title(&self) -> &'static str {
        "Cutover"
    }

    fn purpose(&self, keymap: &Keymap) -> String {
        format!(
            "Move the host names to the new service in health-gated stages: {} plans, {} approves, {} rolls back.",
            keymap.label(Action::PlanTraffic),
            keymap.label(Action::Approve),
            keymap.label(Action::RollBack)
        )
    }

    fn hints(&self, ctx: &Context) -> Vec<Hint> {
        let keymap = ctx.keymap;
        let traffic = ctx.traffic;
        let back = of(keymap, Action::Back);
        if applied_migration_of(ctx.run).is_none() || !ctx.apply_available {
            return vec![back];
        }
        let running = traffic.current_lane().and_then(|lane| traffic.run(lane));
        match running.map(|r| &r.phase) {
            Some(RunStatus::Applying) => {
                return vec![act(keymap, Action::RollBack, "stop and roll back"), back];
            }
            _ if running.is_some_and(stopped_at_gate) => {
                return vec![act(keymap, Action::RollBack, "roll the cutover back"), moves(keymap, "scroll"), back];
            }
            Some(phase) if phase.can_resume() => {
                return vec![of(keymap, Action::Resume), of(keymap, Action::RollBack), back];
            }
            _ => {}
        }
        let mut keys = Vec::new();
        match stage(traffic, ctx.run) {
            Stage::Plan => keys.push(act(keymap, Action::PlanTraffic, "plan the cutover")),
            Stage::Review(Lane::Finalize) | Stage::Review(_) => {
                keys.push(act(keymap, Action::Approve, "approve and apply"));
                keys.push(act(keymap, Action::PlanTraffic, "plan again"));
            }
            Stage::Finalize => keys.push(act(keymap, Action::PlanTraffic, "plan the finalize")),
            Stage::Finalized => keys.push(act(keymap, Action::Next, "retire the old stack")),
        }
        if traffic.holds_traffic() {
            keys.push(of(keymap, Action::RollBack));
        }
        keys.push(moves(keymap, "scroll"));
        keys.push(back);
        keys
    }

    fn actions(&self, ctx: &Context) -> &'static [Action] {
        if applied_migration_of(ctx.run).is_some() && ctx.apply_available {
            &[Action::PlanTraffic, Action::Approve, Action::RollBack, Action::Resume]
        } else {
            &[]
        }
    }

    fn handle_key(&mut self, ctx: &Context, key: KeyEvent) -> Reply {
        if showing_run(ctx) {
            let most = self.followed.get().unwrap_or(u16::MAX);
            self.back = super::apply::scrolled_back(ctx.keymap, &key, self.back.min(most)).min(most);
        } else {
            self.scroll.key(ctx.keymap, &key);
        }
        Reply::Done
    }

    fn onward(&self, ctx: &Context) -> Onward {
        if ctx.traffic.finalized() {
            Onward::Next
        } else {
            Onward::Stay(Some("the old stack can be retired once the cutover is finalized".into()))
        }
    }

    fn is_done(&self, ctx: &Context, _passed: bool) -> bool {
        ctx.traffic.finalized()
    }

    fn reset(&mut self) {
        self.scroll.reset();
        self.back = 0;
    }

    fn render(&self, ctx: &Context, frame: &mut Frame, area: Rect) {
        if let Some(migration) = migration_or_placeholder(ctx, self.title(), frame, area) {
            self.render_traffic(ctx, migration, frame, area);
        }
    }
}

/// Whether the step shows a traffic run (else a plan or the explanation).
fn showing_run(ctx: &Context) -> bool {
    let traffic = ctx.traffic;
    let run = traffic.current_lane().and_then(|lane| traffic.run(lane));
    !matches!(stage(traffic, ctx.run), Stage::Review(_))
        && run.is_some_and(|r| r.holds_resources() || r.phase.is_busy())
}

/// Where the traffic's move stands, for what the step shows and offers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Stage {
    /// No plan yet (or the last one was rolled back): `p` plans the cutover.
    Plan,
    /// A plan of `Lane` is made (or being made) and not started.
    Review(Lane),
    /// Every stage has baked: `p` plans the finalize.
    Finalize,
    /// The finalize is applied: the old stack may be retired.
    Finalized,
}

fn stage(traffic: &Traffic, migration_run: Option<&RunView>) -> Stage {
    let migration = applied_migration_of(migration_run).unwrap_or_default();
    let started = |run: &Option<RunView>| run.as_ref().is_some_and(|r| r.holds_resources());
    if traffic.finalized() {
        return Stage::Finalized;
    }
    if let Some(cutover) = traffic.cutover.as_ref().filter(|r| r.phase == RunStatus::Applied) {
        let id = cutover.run_id.as_deref().unwrap_or_default();
        return if waiting(&traffic.finalize_plan, id) { Stage::Review(Lane::Finalize) } else { Stage::Finalize };
    }
    if !started(&traffic.cutover) && waiting(&traffic.cutover_plan, &migration) {
        return Stage::Review(Lane::Cutover);
    }
    Stage::Plan
}

/// Whether a plan for run `run_id` is made or being made.
fn waiting(planned: &Planned, run_id: &str) -> bool {
    planned.after.as_deref() == Some(run_id) && !matches!(planned.plan, Loadable::Idle)
}

impl Cutover {
    fn render_traffic(&self, ctx: &Context, migration: &Migration, frame: &mut Frame, area: Rect) {
        let traffic = ctx.traffic;
        if applied_migration_of(ctx.run).is_none() {
            let text = format!(
                "Nothing is deployed yet: apply the plan, check it on Verify, then move its traffic here ({} back).",
                ctx.keymap.label(Action::Back)
            );
            frame.render_widget(
                Paragraph::new(text).wrap(Wrap { trim: false }).block(panel(" Cutover ".into(), true)),
                area,
            );
            return;
        }
        let width = area.width.saturating_sub(4) as usize;
        let lane = traffic.current_lane();
        let run = lane.and_then(|lane| traffic.run(lane)).filter(|r| r.holds_resources() || r.phase.is_busy());
        match (stage(traffic, ctx.run), run) {
            (Stage::Review(lane), _) => {
                let planned = if lane == Lane::Finalize { &traffic.finalize_plan } else { &traffic.cutover_plan };
                let lines = planned_lines(ctx, planned, lane, width);
                self.paragraph(ctx, lines, format!(" {} plan ", lane_word(lane)), frame, area);
            }
            (_, Some(run)) => self.render_run(ctx, run, lane.unwrap_or(Lane::Cutover), frame, area),
            (Stage::Plan, None) => {
                let lines = intro_lines(ctx, migration, width);
                self.paragraph(ctx, lines, " Cutover ".into(), frame, area);
            }
            (_, None) => {
                let lines = vec![Line::styled("Nothing to show: plan the cutover again.", theme::dim())];
                self.paragraph(ctx, lines, " Cutover ".into(), frame, area);
            }
        }
    }

    fn paragraph(&self, ctx: &Context, lines: Vec<Line<'static>>, title: String, frame: &mut Frame, area: Rect) {
        // Never past the end: the last line stays at the bottom of the pane at most.
        let paragraph = Paragraph::new(lines);
        let (scroll, end) = self.scroll.place(&paragraph, &panel(String::new(), true), area);
        let title = if scroll < end {
            format!("{title}· more below ({}) ", ctx.keymap.label(Action::MoveDown))
        } else {
            title
        };
        frame.render_widget(paragraph.block(panel(title, true)).scroll((scroll, 0)), area);
    }

    /// A traffic run: the stages' weights and gates above, the steps and banner below.
    fn render_run(&self, ctx: &Context, run: &RunView, lane: Lane, frame: &mut Frame, area: Rect) {
        let width = area.width.saturating_sub(2) as usize;
        let summary = run_summary(run, width);
        let height = (summary.len() as u16).min(area.height / 3);
        let [top, rest] = Layout::vertical([Constraint::Length(height), Constraint::Min(3)]).areas(area);
        frame.render_widget(Paragraph::new(summary), top);
        let title = format!(
            " {} run {} · plan {} ",
            lane_word(lane),
            run.run_id.as_deref().unwrap_or("starting…"),
            run.plan.short_hash()
        );
        let keymap = ctx.keymap;
        let r = keymap.label(Action::RollBack);
        let detail = match (lane, &run.phase) {
            (Lane::Finalize, RunStatus::Applied) => Some(format!(
                "the old records are gone · {} retire the old stack · {r} roll back",
                keymap.label(Action::Next)
            )),
            (_, RunStatus::Applied) => Some(format!(
                "every stage moved and baked · {} plan the finalize · {r} roll back",
                keymap.label(Action::PlanTraffic)
            )),
            _ if stopped_at_gate(run) => {
                Some(format!("the traffic is back on the old stack · {r} rolls the cutover back; fix, then plan again"))
            }
            _ => None,
        };
        let pane = super::apply::RunPane { title, detail, back: self.back };
        self.followed.set(Some(super::apply::render_run(run, keymap, ctx.ticks, pane, frame, rest)));
    }
}

fn lane_word(lane: Lane) -> &'static str {
    match lane {
        Lane::Finalize => "Finalize",
        _ => "Cutover",
    }
}

/// Before any plan: which names move, how, and the keys.
fn intro_lines(ctx: &Context, migration: &Migration, width: usize) -> Vec<Line<'static>> {
    let graph = &migration.graph;
    let options = CutoverOptions::default();
    let mut lines = vec![Line::styled("Which names move", theme::bold())];
    if graph.hostnames.is_empty() {
        let text = "No record in this account's Route 53 zones points at the old load balancer. A name kept at \
                    another DNS provider or behind a CDN cannot be seen from here: move it there.";
        lines.extend(wrap(text, width).into_iter().map(|l| Line::styled(l, theme::warn())));
    }
    for edge in &graph.hostnames {
        let record = &edge.record;
        let how = if record.alias.is_some() { "alias" } else { "values" };
        lines.push(Line::from(format!(
            "  {} {} ({how}) in zone {}",
            safe(record.name.trim_end_matches('.')),
            safe(&record.record_type),
            safe(edge.zone.name.trim_end_matches('.'))
        )));
    }
    let shares: Vec<String> = options.stages.shares().iter().map(|s| format!("{s} %")).collect();
    let t = options.thresholds;
    lines.extend([Line::from(""), Line::styled("How", theme::bold())]);
    let steps = [
        "the Express listener's rule takes the host names, beside its own host".to_string(),
        "the old listener's certificate is attached to the Express listener when it covers them".to_string(),
        "each record becomes a weighted pair in one change: old 100, new 0".to_string(),
        format!(
            "stages {}: set the weights, wait for Route 53 and one TTL, bake {} min, then the health gate",
            shares.join(" → "),
            options.bake_secs / 60
        ),
        format!(
            "the gate reads both load balancers' last {} min: 5xx at most {} %, p95 at most {} s, at least {} \
             healthy host(s), {} requests before it judges",
            options.window.minutes, t.max_5xx_percent, t.max_p95_seconds, t.min_healthy_hosts, t.min_requests
        ),
        "a failed gate puts every name back on old 100 / new 0 at once, and the run stops saying which figure failed"
            .to_string(),
    ];
    for (index, step) in steps.iter().enumerate() {
        for (i, part) in wrap(step, width.saturating_sub(5)).into_iter().enumerate() {
            let lead = if i == 0 { format!("  {}. ", index + 1) } else { "     ".into() };
            lines.push(Line::from(format!("{lead}{part}")));
        }
    }
    lines.push(Line::from(""));
    let text = if ctx.apply_available {
        format!(
            "{} plans the cutover from the records as they are now. Nothing changes until you approve it ({}). \
             Other stages, bakes or thresholds: `ferry cutover RUN --stages --bake`.",
            ctx.keymap.label(Action::PlanTraffic),
            ctx.keymap.label(Action::Approve)
        )
    } else {
        "This backend only reads: plan the cutover with `ferry cutover RUN --out PLAN` where changes are allowed."
            .to_string()
    };
    lines.extend(wrap(&text, width).into_iter().map(|l| Line::styled(l, theme::dim())));
    lines
}

/// A plan being made, made, or refused: its steps with what each changes, and its checks.
fn planned_lines(ctx: &Context, planned: &Planned, lane: Lane, width: usize) -> Vec<Line<'static>> {
    let plan = match &planned.plan {
        Loadable::Ready(plan) => plan,
        Loadable::Failed(error) => {
            let mut lines = vec![Line::styled(format!("No {} plan", lane_word(lane).to_lowercase()), theme::error())];
            lines.extend(wrap(&safe(error), width).into_iter().map(Line::from));
            lines.push(Line::from(""));
            let again = format!("{} tries again", ctx.keymap.label(Action::PlanTraffic));
            lines.push(Line::styled(again, theme::dim()));
            return lines;
        }
        _ => {
            return vec![Line::from(vec![
                spinner(ctx.ticks),
                " reading the records and the new service's load balancer as they are now…".into(),
            ])];
        }
    };
    let mut lines = vec![
        Line::from(vec![
            Span::styled(format!("{} plan ", lane_word(lane)), theme::bold()),
            Span::styled(plan.short_hash().to_string(), theme::bold()),
            Span::raw(format!(" · {} steps · every one undone by a rollback", plan.steps.len())),
        ]),
        Line::styled(format!("sha256 {}", plan.hash), theme::dim()),
        Line::from(""),
    ];
    lines.extend(check_lines(plan, width));
    for (index, step) in plan.steps.iter().enumerate() {
        let head = format!("{:>2} {} {}", index + 1, step.action.verb(), safe(&step.action.target()));
        lines.push(Line::from(head));
        for review in plan.review(index) {
            for part in wrap(&safe(review.trim_start()), width.saturating_sub(6)) {
                lines.push(Line::styled(format!("      {part}"), theme::dim()));
            }
        }
    }
    lines.push(Line::from(""));
    let text = format!(
        "{} approves it: you see its hash once more before anything changes. {} plans it again from the account.",
        ctx.keymap.label(Action::Approve),
        ctx.keymap.label(Action::PlanTraffic)
    );
    lines.extend(wrap(&text, width).into_iter().map(|l| Line::styled(l, theme::dim())));
    lines
}

/// The plan's denies and warnings, computed from the plan as it is now.
fn check_lines(plan: &Plan, width: usize) -> Vec<Line<'static>> {
    let mut lines = Vec::new();
    for problem in plan.invalid() {
        let text = format!("✗ not valid, cannot be approved: {}", safe(&problem.to_string()));
        lines.extend(wrap(&text, width).into_iter().map(|l| Line::styled(l, theme::error())));
    }
    for check in plan.checks().into_iter().filter(|c| c.level != CheckLevel::Pass) {
        let (icon, style) = match check.level {
            CheckLevel::Deny => ("✗", theme::error()),
            _ => ("⚠", theme::warn()),
        };
        let text = format!("{icon} {}", safe(&check.message));
        lines.extend(wrap(&text, width).into_iter().map(|l| Line::styled(l, style)));
    }
    if !lines.is_empty() {
        lines.push(Line::from(""));
    }
    lines
}

/// The run at a glance: the share the new service has now, and each gate judged so far.
fn run_summary(run: &RunView, width: usize) -> Vec<Line<'static>> {
    let steps = || run.plan.steps.iter().zip(&run.steps);
    let weights = steps().rev().find_map(|(step, view)| match &step.action {
        PlanAction::SetWeights { old_weight, new_weight, .. } if view.status == StepStatus::Done => {
            Some((*old_weight, *new_weight))
        }
        _ => None,
    });
    let not_back = steps().any(|(_, view)| view.not_put_back);
    let gates: Vec<(u8, StepStatus, Option<String>)> = steps()
        .filter_map(|(step, view)| match &step.action {
            PlanAction::HealthGate { share, .. } => Some((*share, view.status, view.detail.clone())),
            _ => None,
        })
        .collect();
    let passed = gates.iter().filter(|g| g.1 == StepStatus::Done).count();
    let failed = gates.iter().any(|g| g.1 == StepStatus::Failed);
    let phase = phase_words(&run.phase);
    let headline = match weights {
        _ if not_back => Line::styled(
            " traffic: the gate failed and NOT all of it could be returned to the old stack: roll the cutover back now",
            theme::error(),
        ),
        _ if failed => Line::styled(" traffic: back on the old stack, old 100 / new 0", theme::warn()),
        Some((old, new)) if u16::from(old) + u16::from(new) > 0 => {
            let share = u16::from(new) * 100 / (u16::from(old) + u16::from(new));
            Line::from(format!(
                " traffic: new {share} % / old {} % · {passed} of {} gates passed · {phase}",
                100 - share,
                gates.len()
            ))
        }
        _ if gates.is_empty() => Line::from(format!(" {phase}")),
        _ => Line::from(format!(" traffic: all on the old stack · {phase}")),
    };
    let mut lines = vec![headline];
    for (share, status, detail) in gates.into_iter().filter(|g| g.1 != StepStatus::Pending) {
        let (icon, style) = match status {
            StepStatus::Done => ("✓", theme::ok()),
            StepStatus::Failed => ("✗", theme::error()),
            _ => ("●", theme::warn()),
        };
        let text = detail.unwrap_or_else(|| format!("gate at {share} %"));
        for (i, part) in wrap(&format!("{icon} {}", safe(&text)), width.saturating_sub(3)).into_iter().enumerate() {
            let (lead, style) = if i == 0 { (" ", style) } else { ("   ", Style::new()) };
            lines.push(Line::styled(format!("{lead}{part}"), style));
        }
    }
    lines
}
