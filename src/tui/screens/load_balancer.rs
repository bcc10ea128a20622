//! Load balancer: how traffic reaches the instance today, and what Express Mode replaces.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};

use super::{Context, Reply, Screen, migration_or_placeholder};
use crate::migration::Migration;
use crate::tui::actions::{Action, Keymap};
use crate::tui::keymap::{Hint, moves, of};
use crate::tui::theme;
use crate::tui::widgets::{Scroll, evidence_line, panel, safe};

/// The Load balancer step: what it shows is all in the migration; the pane scrolls.
#[derive(Debug, Default)]
pub struct LoadBalancer {
    scroll: Scroll,
}

impl Screen for LoadBalancer {
    fn title(&self) -> &'static str {
        "Load balancer"
    }

    fn short_title(&self) -> &'static str {
        "LB"
    }

    fn purpose(&self, _keymap: &Keymap) -> String {
        "How traffic reaches the instance today, and what Express Mode replaces.".into()
    }

    fn hints(&self, ctx: &Context) -> Vec<Hint> {
        let mut keys = vec![of(ctx.keymap, Action::Next), of(ctx.keymap, Action::Back)];
        if self.scroll.can_scroll() {
            keys.push(moves(ctx.keymap, "scroll"));
        }
        keys
    }

    fn handle_key(&mut self, ctx: &Context, key: ratatui::crossterm::event::KeyEvent) -> Reply {
        self.scroll.key(ctx.keymap, &key);
        Reply::Done
    }

    fn reset(&mut self) {
        self.scroll.reset();
    }

    fn render(&self, ctx: &Context, frame: &mut Frame, area: Rect) {
        if let Some(migration) = migration_or_placeholder(ctx, self.title(), frame, area) {
            render(&self.scroll, migration, frame, area);
        }
    }
}

fn render(scroll: &Scroll, migration: &Migration, frame: &mut Frame, area: Rect) {
    let graph = &migration.graph;
    let mut lines = Vec::new();
    if graph.routes.is_empty() {
        lines.push(Line::from("No load balancer sends traffic to this instance."));
        lines.push(Line::styled("The Express service still gets its own HTTPS endpoint.", theme::dim()));
    }
    for route in &graph.routes {
        let lb = &route.load_balancer;
        let tg = &route.target_group;
        lines.push(Line::from(vec![
            Span::styled(safe(&lb.name), theme::bold()),
            Span::raw(format!("  {} · {} · {}", lb.kind, lb.scheme.as_str(), safe(&lb.dns_name))),
        ]));
        lines.push(Line::from(format!(
            "  subnets {} · security groups {}",
            lb.subnet_ids.join(", "),
            lb.security_group_ids.join(", ")
        )));
        for listener in &route.listeners {
            let cert = listener
                .certificate_arn
                .as_deref()
                .map(|c| {
                    let tail: String = c.chars().rev().take(12).collect::<Vec<_>>().into_iter().rev().collect();
                    format!(" (certificate …{})", safe(&tail))
                })
                .unwrap_or_default();
            lines.push(Line::from(format!(
                "  listener {}:{}{cert} → {}",
                listener.protocol,
                listener.port,
                safe(&tg.name)
            )));
        }
        let health_style = if route.target.state.as_str() == "healthy" { theme::ok() } else { theme::warn() };
        lines.push(Line::from(vec![Span::raw(format!(
            "  target group {}  {}:{}  health check {} {}",
            safe(&tg.name),
            tg.protocol,
            tg.port,
            tg.health_check.path.as_deref().map_or("—".into(), safe),
            tg.health_check.matcher.as_deref().map(|m| format!("({m})")).unwrap_or_default(),
        ))]));
        lines.push(Line::from(vec![
            Span::raw(format!("  target {} port {} ", route.target.target_id, route.target.port)),
            Span::styled(route.target.state.as_str(), health_style),
        ]));
        lines.push(Line::from(""));
        lines.push(Line::styled("Evidence", theme::bold()));
        lines.extend(route.evidence.iter().map(evidence_line));
        lines.push(Line::from(""));
    }
    lines.extend(traffic_lines(graph));
    let profile = &migration.profile;
    lines.push(Line::styled("In Express Mode", theme::bold()));
    lines.push(Line::from(format!(
        "  the service gets its own ALB with HTTPS:443; tasks listen on {} and are checked on {}",
        profile.port, profile.health_check_path
    )));
    if let Some(route) = graph.routes.first() {
        lines.push(Line::from(format!(
            "  {} keeps serving the instance until a cutover moves its hostnames in stages",
            safe(&route.load_balancer.name)
        )));
    }
    for unseen in graph.unseen.iter().filter(|u| u.what.contains("load balancer") || u.what.contains("target")) {
        lines.push(Line::styled(
            format!("  ⚠ could not see {}: {}", safe(&unseen.what), safe(&unseen.reason)),
            theme::warn(),
        ));
    }
    let title = format!(" What sends traffic to {} ", safe(graph.instance.display_name()));
    scroll.render(Paragraph::new(lines).wrap(Wrap { trim: false }), panel(title, true), frame, area);
}

/// Where clients come from: the hostnames in the account's zones that point at the old load
/// balancers, and the certificates they are served with. What the account cannot show (another
/// DNS provider, a CDN) is said, not guessed.
fn traffic_lines(graph: &crate::model::MigrationGraph) -> Vec<Line<'static>> {
    if graph.routes.is_empty() {
        return Vec::new();
    }
    let mut lines = vec![Line::styled("Where clients come from", theme::bold())];
    // One line a host name: its A and AAAA records move together.
    let mut hosts: Vec<(&str, Vec<&str>, &crate::model::HostnameEdge)> = Vec::new();
    for edge in &graph.hostnames {
        let name = edge.record.name.trim_end_matches('.');
        match hosts.iter_mut().find(|(host, _, _)| *host == name) {
            Some((_, kinds, _)) => kinds.push(&edge.record.record_type),
            None => hosts.push((name, vec![&edge.record.record_type], edge)),
        }
    }
    for (host, kinds, edge) in hosts {
        let how = if edge.record.alias.is_some() { "alias" } else { "CNAME" };
        let balancer = graph.routes.iter().find(|r| r.load_balancer.arn == edge.load_balancer_arn);
        let to = balancer.map_or(String::new(), |r| format!(" to {}", safe(&r.load_balancer.name)));
        lines.push(Line::from(vec![
            Span::raw("  "),
            Span::styled(safe(host), theme::bold()),
            Span::raw(format!(" ({})", safe(&kinds.join(", ")))),
        ]));
        lines.push(Line::styled(
            format!("  ← {how} records{to} in zone {} ({})", safe(&edge.zone.name), safe(&edge.zone.id)),
            theme::dim(),
        ));
    }
    if graph.hostnames.is_empty() {
        lines.push(Line::styled("  No record in this account's Route 53 zones points at it.", theme::warn()));
        lines.push(Line::styled(
            "  A name kept at another DNS provider or behind a CDN cannot be seen from here.",
            theme::dim(),
        ));
    }
    for certificate in &graph.certificates {
        let role = if certificate.is_default { "default" } else { "SNI" };
        lines.push(Line::from(format!("  certificate {} ({role})", safe(&certificate.arn))));
    }
    lines.push(Line::from(""));
    lines
}
