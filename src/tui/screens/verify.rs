//! Verify: where the service is, and what the operator does next.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};

use super::{Context, Onward, Screen, migration_or_placeholder};
use crate::apply::RunStatus;
use crate::migration::Migration;
use crate::tui::actions::{Action, Keymap};
use crate::tui::keymap::{Hint, of};
use crate::tui::theme;
use crate::tui::widgets::{panel, safe};

/// The Verify step: where the service is, read from the run.
#[derive(Debug, Default)]
pub struct Verify;

impl Screen for Verify {
    fn title(&self) -> &'static str {
        "Verify"
    }

    fn purpose(&self, _keymap: &Keymap) -> String {
        "Where the service is and what to do next.".into()
    }

    fn hints(&self, ctx: &Context) -> Vec<Hint> {
        vec![of(ctx.keymap, Action::Back)]
    }

    /// The last step: Enter leads nowhere.
    fn onward(&self, _ctx: &Context) -> Onward {
        Onward::Stay(None)
    }

    fn is_done(&self, _ctx: &Context, _passed: bool) -> bool {
        false
    }

    fn render(&self, ctx: &Context, frame: &mut Frame, area: Rect) {
        if let Some(migration) = migration_or_placeholder(ctx, self.title(), frame, area) {
            render(ctx, migration, frame, area);
        }
    }
}

fn render(app: &Context, migration: &Migration, frame: &mut Frame, area: Rect) {
    let run = app.run.filter(|r| r.phase == RunStatus::Applied);
    let Some(run) = run else {
        let a = app.keymap.label(Action::Approve);
        let text = format!("Nothing is deployed: approve and apply the plan first ({a} on the Plan step).");
        frame.render_widget(Paragraph::new(text).block(panel(" Verify ".into(), true)), area);
        return;
    };
    let output = |key: &str| {
        run.journal.as_ref().and_then(|j| j.entries.iter().rev().find_map(|e| e.output.get(key).map(str::to_string)))
    };
    let endpoint = output("endpoint").map_or_else(|| "—".into(), |e| safe(&e));
    let status = output("status").unwrap_or_else(|| "unknown".into());
    let profile = &migration.profile;
    let names = &migration.artifacts.names;
    let check = |ok: bool, text: String| {
        let (icon, style) = if ok { ("✓", theme::ok()) } else { ("⚠", theme::warn()) };
        Line::from(vec![Span::styled(format!("{icon} "), style), Span::raw(text)])
    };
    let old_lb = migration.graph.routes.first().map_or("the old load balancer".into(), |r| safe(&r.load_balancer.name));
    let lines = vec![
        Line::styled(format!("Express service {}", names.service), theme::bold()),
        check(status == "ACTIVE", format!("status {status}")),
        check(endpoint != "—", format!("endpoint {endpoint}")),
        check(true, format!("health check {} on port {}", profile.health_check_path, profile.port)),
        check(true, format!("run {} · plan {}", run.run_id.as_deref().unwrap_or("—"), run.plan.short_hash())),
        Line::from(""),
        Line::styled("Next", theme::bold()),
        Line::from(format!(
            "  1. if not done yet, from the app's source folder: docker build -t {0} . && docker push {0}",
            migration.artifacts.service_config.primary_container.image
        )),
        Line::from(format!("  2. check it answers: curl {endpoint}{}", profile.health_check_path)),
        Line::from(format!("  3. move DNS from {old_lb} to the endpoint, then watch errors and latency")),
        Line::from(format!(
            "  4. keep {} running until traffic has moved; {} back to Apply and {} rolls everything back",
            safe(migration.graph.instance.display_name()),
            app.keymap.label(Action::Back),
            app.keymap.label(Action::RollBack)
        )),
    ];
    frame.render_widget(Paragraph::new(lines).block(panel(" Verify ".into(), true)).wrap(Wrap { trim: false }), area);
}
