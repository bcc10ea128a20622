//! Verify: the old entry and the new Express endpoint probed side by side, the service's state,
//! and whether traffic may move. The probes run in a task (`Command::Verify`) as soon as the
//! step shows an applied run, and again every 30 s while it stays shown.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};

use super::{Context, Onward, Screen, migration_or_placeholder};
use crate::apply::RunStatus;
use crate::migration::Migration;
use crate::plan::Action as PlanAction;
use crate::tui::actions::{Action, Keymap};
use crate::tui::app::App;
use crate::tui::keymap::{Hint, act, of};
use crate::tui::msg::Command;
use crate::tui::run_view::{RunView, StepStatus};
use crate::tui::steps::Step;
use crate::tui::theme;
use crate::tui::widgets::{panel, safe, spinner};
use ferry_engine::verify::{PathReport, SideStats, VerifyReport, VerifyTarget};

/// Ticks (100 ms each) between two probes while the step is shown.
const REPROBE_TICKS: u64 = 300;
/// The table's columns: what, then the old side and the new.
const LABEL: usize = 18;
const CELL: usize = 44;

/// Each side's column: as wide as the pane allows, up to `CELL`, so both fit at 80 columns.
fn cell_width(area: Rect) -> usize {
    (usize::from(area.width).saturating_sub(2 + LABEL) / 2).clamp(12, CELL)
}

/// The Verify step: the latest probe of the run's service.
#[derive(Debug, Default)]
pub struct Verify {
    probe: Probe,
    /// What the last probe read has changed since (a traffic run moved the weights): probe
    /// again as soon as the step is shown, keeping the last report until then.
    stale: bool,
    /// How far the report is scrolled.
    scroll: crate::tui::widgets::Scroll,
}

/// Where the probes of the current run stand.
#[derive(Debug, Default)]
enum Probe {
    #[default]
    Idle,
    /// Probes sent for `run_id`, the answer awaited.
    Running { run_id: String },
    /// The report of the latest probe, made at tick `at`.
    Done { run_id: String, at: u64, report: Box<VerifyReport> },
    /// Why the run cannot be probed.
    Refused { run_id: String, at: u64, reason: String },
}

impl Verify {
    /// Asks for a probe as soon as the step is shown: what it read has changed.
    pub fn probe_again(&mut self) {
        self.stale = true;
    }

    /// The report of a probe; one for another run than the one probed is dropped.
    pub fn on_report(&mut self, report: VerifyReport, ticks: u64) {
        if matches!(&self.probe, Probe::Running { run_id } if *run_id == report.run_id) {
            let run_id = report.run_id.clone();
            self.probe = Probe::Done { run_id, at: ticks, report: Box::new(report) };
        }
    }
}

/// The probe to start now: on the Verify step, for an applied run, at once and then every
/// 30 s. `None` when none is due.
pub fn probe_command(app: &mut App) -> Option<Command> {
    if app.step != Step::Verify {
        return None;
    }
    let run = app.run.as_ref().filter(|r| r.phase == RunStatus::Applied)?;
    let run_id = run.run_id.clone()?;
    let migration = app.migration.ready()?;
    let due = match &app.screens.verify.probe {
        Probe::Idle => true,
        Probe::Running { .. } => false,
        Probe::Done { run_id: of, at, .. } | Probe::Refused { run_id: of, at, .. } => {
            *of != run_id || app.ticks >= at + REPROBE_TICKS || app.screens.verify.stale
        }
    };
    if !due {
        return None;
    }
    let journal = run.journal.clone().unwrap_or_default();
    match VerifyTarget::of_journal(&run_id, &run.plan, &journal, &migration.graph, None) {
        Ok(target) => {
            app.screens.verify.probe = Probe::Running { run_id };
            app.screens.verify.stale = false;
            Some(Command::Verify { target: Box::new(target) })
        }
        Err(reason) => {
            app.screens.verify.probe = Probe::Refused { run_id, at: app.ticks, reason };
            None
        }
    }
}

impl Screen for Verify {
    fn title(&self) -> &'static str {
        "Verify"
    }

    fn purpose(&self, _keymap: &Keymap) -> String {
        "Whether the new service answers like the old one, and is ready to take traffic.".into()
    }

    fn hints(&self, ctx: &Context) -> Vec<Hint> {
        let back = of(ctx.keymap, Action::Back);
        match ctx.run.filter(|r| r.phase == RunStatus::Applied) {
            Some(_) if self.scroll.can_scroll() => vec![
                act(ctx.keymap, Action::Next, "move the traffic"),
                crate::tui::keymap::moves(ctx.keymap, "scroll"),
                back,
            ],
            Some(_) => vec![act(ctx.keymap, Action::Next, "move the traffic"), back],
            None => vec![back],
        }
    }

    fn handle_key(&mut self, ctx: &Context, key: ratatui::crossterm::event::KeyEvent) -> super::Reply {
        self.scroll.key(ctx.keymap, &key);
        super::Reply::Done
    }

    /// On to the Cutover once the migration is applied.
    fn onward(&self, ctx: &Context) -> Onward {
        match ctx.run.map(|r| &r.phase) {
            Some(RunStatus::Applied) => Onward::Next,
            _ => Onward::Stay(Some("the traffic moves once the plan is applied".into())),
        }
    }

    fn is_done(&self, _ctx: &Context, _passed: bool) -> bool {
        matches!(&self.probe, Probe::Done { report, .. } if report.verdict.ready)
    }

    fn reset(&mut self) {
        self.probe = Probe::Idle;
        self.stale = false;
        self.scroll.reset();
    }

    fn render(&self, ctx: &Context, frame: &mut Frame, area: Rect) {
        if let Some(migration) = migration_or_placeholder(ctx, self.title(), frame, area) {
            self.render_run(ctx, migration, frame, area);
        }
    }
}

impl Verify {
    fn render_run(&self, ctx: &Context, migration: &Migration, frame: &mut Frame, area: Rect) {
        let Some(run) = ctx.run.filter(|r| r.phase == RunStatus::Applied) else {
            let a = ctx.keymap.label(Action::Approve);
            let text = format!("Nothing is deployed: approve and apply the plan first ({a} on the Plan step).");
            frame.render_widget(Paragraph::new(text).block(panel(" Verify ".into(), true)), area);
            return;
        };
        let mut lines = header(run, migration);
        match &self.probe {
            Probe::Idle => lines.push(Line::styled("Probes not started.", theme::dim())),
            Probe::Running { .. } => lines.push(Line::from(vec![
                spinner(ctx.ticks),
                format!(" probing the old entry and the new endpoint on {}…", migration.profile.health_check_path)
                    .into(),
            ])),
            Probe::Refused { reason, .. } => {
                lines.push(Line::styled(format!("Cannot probe: {}", safe(reason)), theme::error()))
            }
            Probe::Done { report, .. } => {
                let moving = ctx.traffic.current_lane().is_some();
                lines.extend(report_lines(report, cell_width(area), ctx.keymap, moving))
            }
        }
        lines.extend(cutover_lines(ctx));
        lines.push(Line::from(""));
        lines.push(Line::styled(
            format!(
                "Probed again every {} s while shown. Keep {} running until traffic has moved; {} back to \
                 Apply and {} rolls everything back.",
                REPROBE_TICKS / 10,
                safe(migration.graph.instance.display_name()),
                ctx.keymap.label(Action::Back),
                ctx.keymap.label(Action::RollBack)
            ),
            theme::dim(),
        ));
        let block = panel(" Verify ".into(), true);
        self.scroll.render(Paragraph::new(lines).wrap(Wrap { trim: false }), block, frame, area);
    }
}

/// The service and the run, before the probes.
fn header(run: &RunView, migration: &Migration) -> Vec<Line<'static>> {
    let endpoint = run
        .journal
        .as_ref()
        .and_then(|j| j.entries.iter().rev().find_map(|e| e.output.get("endpoint").map(str::to_string)))
        .map_or_else(|| "—".into(), |e| safe(&e));
    vec![
        Line::styled(format!("Express service {}", safe(&migration.artifacts.names.service)), theme::bold()),
        Line::from(format!(
            "endpoint {endpoint} · run {} · plan {}",
            run.run_id.as_deref().unwrap_or("—"),
            run.plan.short_hash()
        )),
        Line::from(""),
    ]
}

/// The entries, a table per path, the service's state and the verdict.
fn report_lines(report: &VerifyReport, cell: usize, keymap: &Keymap, moving: bool) -> Vec<Line<'static>> {
    let mut lines = Vec::new();
    match &report.old {
        Some(old) => lines.push(Line::from(format!("old  {} · {}", safe(&old.label), safe(&old.base_url)))),
        None => lines.push(Line::styled("old  none: no load balancer sent the instance traffic", theme::dim())),
    }
    lines.push(Line::from(format!("new  {}", safe(&report.new.base_url))));
    lines.push(Line::styled(format!("{} requests per side and path", report.requests), theme::dim()));
    for path in &report.paths {
        lines.push(Line::from(""));
        lines.extend(table(path, cell));
    }
    lines.push(Line::from(""));
    lines.push(service_line(report));
    for host in &report.traffic {
        lines.push(Line::from(format!("traffic  {}: {}", safe(&host.host), safe(&host.summary))));
    }
    lines.push(Line::from(""));
    lines.extend(verdict_lines(report, keymap, moving));
    lines
}

/// Where the cutover stands, under the live weights: each stage set and each gate's figures.
fn cutover_lines(ctx: &Context) -> Vec<Line<'static>> {
    let traffic = ctx.traffic;
    let Some(run) = traffic.current_lane().and_then(|lane| traffic.run(lane)) else { return Vec::new() };
    let mut lines = vec![
        Line::from(""),
        Line::styled(format!("Cutover run {}", run.run_id.as_deref().unwrap_or("starting")), theme::bold()),
    ];
    for (step, view) in run.plan.steps.iter().zip(&run.steps) {
        let (icon, style) = match view.status {
            StepStatus::Done => ("✓", theme::ok()),
            StepStatus::Failed => ("✗", theme::error()),
            StepStatus::Running => ("●", theme::warn()),
            _ => continue,
        };
        if !matches!(step.action, PlanAction::SetWeights { .. } | PlanAction::HealthGate { .. }) {
            continue;
        }
        let text = view.detail.clone().unwrap_or_else(|| format!("{} {}", step.action.verb(), step.action.target()));
        lines.push(Line::from(vec![Span::styled(format!("  {icon} "), style), Span::raw(safe(&text))]));
    }
    lines
}

/// One path, old and new side by side.
fn table(path: &PathReport, cell: usize) -> Vec<Line<'static>> {
    let title = if path.health { format!("{} (health check)", path.path) } else { path.path.clone() };
    let mut lines = vec![
        Line::styled(safe(&title), theme::bold()),
        Line::from(vec![
            Span::raw(" ".repeat(LABEL)),
            Span::styled(format!("{:<cell$}", "OLD"), theme::header_row()),
            Span::styled("NEW", theme::header_row()),
        ]),
    ];
    let old = path.old.as_ref();
    let row = |label: &str, measure: fn(&SideStats) -> (String, Style)| {
        let (old_text, old_style) = old.map_or(("-".into(), theme::dim()), measure);
        let (new_text, new_style) = measure(&path.new);
        Line::from(vec![
            Span::raw(format!("  {label:<w$}", w = LABEL - 2)),
            Span::styled(format!("{:<cell$}", fit(&old_text, cell)), old_style),
            Span::styled(fit(&new_text, cell), new_style),
        ])
    };
    lines.push(row("status", statuses));
    lines.push(row("no answer", failures));
    lines.push(row("p50 / p95", latency));
    lines.push(row("size · sha256", body));
    let (bodies, style) = match path.bodies_match {
        Some(true) => ("the same on both sides", theme::ok()),
        Some(false) if path.health => ("differ", Style::new()),
        Some(false) => ("differ", theme::warn()),
        None => ("cannot be compared", theme::dim()),
    };
    lines.push(Line::from(vec![Span::raw(format!("  {:<w$}", "bodies", w = LABEL - 2)), Span::styled(bodies, style)]));
    lines
}

fn statuses(stats: &SideStats) -> (String, Style) {
    if stats.statuses.is_empty() {
        return ("-".into(), theme::dim());
    }
    let text = stats.statuses.iter().map(|(code, n)| format!("{code} ×{n}")).collect::<Vec<_>>().join(", ");
    (text, if stats.not_2xx() == 0 { theme::ok() } else { theme::error() })
}

fn failures(stats: &SideStats) -> (String, Style) {
    match stats.errors.iter().next() {
        None => ("-".into(), theme::dim()),
        Some((reason, _)) => (format!("{}/{} {}", stats.failed(), stats.requests, safe(reason)), theme::error()),
    }
}

fn latency(stats: &SideStats) -> (String, Style) {
    match (stats.p50_ms, stats.p95_ms) {
        (Some(p50), Some(p95)) => (format!("{} / {} ms", ms(p50), ms(p95)), Style::new()),
        _ => ("-".into(), theme::dim()),
    }
}

fn body(stats: &SideStats) -> (String, Style) {
    match (stats.size, &stats.body_sha256) {
        (Some(size), Some(sha)) => (format!("{size} B · {}", &sha[..12.min(sha.len())]), Style::new()),
        _ => ("-".into(), theme::dim()),
    }
}

/// Whole milliseconds, or one decimal below 10 ms.
fn ms(value: f64) -> String {
    if value < 10.0 { format!("{value:.1}") } else { format!("{value:.0}") }
}

fn service_line(report: &VerifyReport) -> Line<'static> {
    match (&report.service, &report.service_error) {
        (Some(s), _) => {
            let up = s.status == "ACTIVE"
                && s.running_tasks >= s.desired_tasks
                && s.deployment.as_deref() == Some("COMPLETED");
            Line::styled(
                format!(
                    "service status {} · tasks {}/{} running · deployment {}",
                    safe(&s.status),
                    s.running_tasks,
                    s.desired_tasks,
                    safe(s.deployment.as_deref().unwrap_or("none"))
                ),
                if up { theme::ok() } else { theme::warn() },
            )
        }
        (None, Some(error)) => Line::styled(format!("service unknown: {}", safe(error)), theme::error()),
        (None, None) => Line::styled("service not found", theme::error()),
    }
}

/// The verdict; `moving` when a cutover has started, so the way on is said only before it.
fn verdict_lines(report: &VerifyReport, keymap: &Keymap, moving: bool) -> Vec<Line<'static>> {
    let verdict = &report.verdict;
    let (icon, style) = if verdict.ready { ("✓", theme::ok()) } else { ("✗", theme::error()) };
    let mut lines = vec![Line::styled(format!("{icon} {}", verdict.headline()), style.patch(theme::bold()))];
    for blocker in &verdict.blockers {
        lines.push(Line::from(vec![Span::styled("  ✗ ", theme::error()), Span::raw(safe(blocker))]));
    }
    for warning in &verdict.warnings {
        lines.push(Line::from(vec![Span::styled("  ⚠ ", theme::warn()), Span::raw(safe(warning))]));
    }
    // The cutover is a plan of its own, reviewed and approved the same way, on the next step.
    if verdict.ready && !report.traffic.is_empty() && !moving {
        lines.push(Line::styled(
            format!(
                "  next: {} moves the traffic in health-gated stages, a plan you approve",
                keymap.label(Action::Next)
            ),
            theme::dim(),
        ));
    }
    lines
}

/// Text cut to `width` columns, leaving one for a space.
fn fit(text: &str, width: usize) -> String {
    if text.chars().count() < width {
        return text.to_string();
    }
    let cut: String = text.chars().take(width.saturating_sub(2)).collect();
    format!("{cut}…")
}
