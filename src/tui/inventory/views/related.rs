//! Drawing what a resource is connected to, as the details view shows it: titled sections,
//! each item escaped, since the account's text is never drawn raw.

use ratatui::text::Line;

use crate::inventory::Related;
use crate::model::{Listener, MigrationGraph, Role};
use crate::tui::theme;
use crate::tui::widgets::{evidence_line, safe};

/// A titled list, saying `none` when it is empty.
fn section(lines: &mut Vec<Line<'static>>, title: &str, items: impl IntoIterator<Item = String>) {
    lines.push(Line::styled(title.to_string(), theme::bold()));
    let before = lines.len();
    lines.extend(items.into_iter().map(|item| Line::from(format!("  {}", safe(&item)))));
    if lines.len() == before {
        lines.push(Line::styled("  none", theme::dim()));
    }
    lines.push(Line::from(""));
}

/// The lines of what a resource is connected to, by the kind of resource it is.
pub fn related_lines(related: &Related) -> Vec<Line<'static>> {
    let mut lines = Vec::new();
    match related {
        Related::Instance(graph) => instance_lines(&mut lines, graph),
        Related::LoadBalancer { listeners, target_groups } => load_balancer_lines(&mut lines, listeners, target_groups),
        Related::TargetGroup { load_balancers, targets } => {
            section(&mut lines, "Load balancers", load_balancers.iter().cloned());
            section(
                &mut lines,
                "Targets",
                targets.iter().map(|t| format!("{} :{} {}", t.target_id, t.port, t.state.as_str())),
            );
        }
        Related::SecurityGroup { rules, used_by, admitted_by } => {
            section(&mut lines, "Ingress", rules.iter().cloned());
            section(&mut lines, "Used by", used_by.iter().cloned());
            section(&mut lines, "Admitted by", admitted_by.iter().cloned());
        }
        Related::Role(role) => role_lines(&mut lines, role),
        Related::Store { admitted } => section(&mut lines, "Network access", admitted.iter().cloned()),
        Related::Nothing => lines.push(Line::styled("nothing else to show for this resource", theme::dim())),
    }
    lines
}

/// An instance's migration graph: routes, role, data stores (with their evidence), security
/// groups, what could not be seen, and its user data.
fn instance_lines(lines: &mut Vec<Line<'static>>, graph: &MigrationGraph) {
    section(
        lines,
        "Load balancers",
        graph.routes.iter().map(|r| {
            format!(
                "{} → {} :{} ({})",
                r.load_balancer.name,
                r.target_group.name,
                r.target_group.port,
                r.target.state.as_str()
            )
        }),
    );
    if let Some(role) = &graph.role {
        lines.push(Line::styled(format!("Role {}", safe(&role.role.name)), theme::bold()));
        lines.extend(role.evidence.iter().map(evidence_line));
        let policies = role.role.policies.iter();
        lines.extend(policies.map(|p| Line::from(format!("  {} ({})", safe(&p.name), p.kind.label()))));
        lines.push(Line::from(""));
    }
    lines.push(Line::styled("Data stores", theme::bold()));
    for store in &graph.data_stores {
        lines.push(Line::from(format!("  {} {} {}", store.kind.label(), safe(&store.name), safe(&store.engine))));
        lines.extend(store.evidence.iter().map(evidence_line));
    }
    lines.push(Line::from(""));
    section(lines, "Security groups", graph.security_groups.iter().map(|g| format!("{} ({})", g.name, g.id)));
    section(lines, "Not visible", graph.unseen.iter().map(|u| format!("{}: {}", u.what, u.reason)));
    if let Some(user_data) = &graph.instance.user_data {
        section(lines, "User data (secrets masked)", user_data.lines().map(str::to_string));
    }
}

/// A load balancer's listeners, each naming the target groups it forwards to, then those groups.
fn load_balancer_lines(lines: &mut Vec<Line<'static>>, listeners: &[Listener], target_groups: &[(String, String)]) {
    section(
        lines,
        "Listeners",
        listeners.iter().map(|l| {
            let names: Vec<&str> = l
                .forward_target_group_arns
                .iter()
                .map(|arn| target_groups.iter().find(|(a, _)| a == arn).map_or(arn.as_str(), |(_, n)| n.as_str()))
                .collect();
            format!("{}:{} → {}", l.protocol, l.port, names.join(", "))
        }),
    );
    section(lines, "Target groups", target_groups.iter().map(|(_, name)| name.clone()));
}

/// A role read in full: each policy's document, then its trust policy.
fn role_lines(lines: &mut Vec<Line<'static>>, role: &Role) {
    for policy in &role.policies {
        lines.push(Line::styled(format!("{} ({})", safe(&policy.name), policy.kind.label()), theme::bold()));
        let document =
            policy.document.as_ref().map(|d| serde_json::to_string_pretty(d).unwrap_or_default()).unwrap_or_default();
        lines.extend(document.lines().map(|l| Line::from(format!("  {}", safe(l)))));
        lines.push(Line::from(""));
    }
    section(
        lines,
        "Trust policy",
        serde_json::to_string_pretty(&role.trust_policy).unwrap_or_default().lines().map(str::to_string),
    );
}
