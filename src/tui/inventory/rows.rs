//! One table per kind: its columns and rows, built once per load.

use super::table::{Table, TableRow};
use crate::inventory::{Inventory, Kind, Listing};
use crate::model::Scheme;
use crate::tui::widgets::safe;

/// The table of one kind; a kind that could not be read gives an empty table.
pub fn rows_for(kind: Kind, inventory: &Inventory) -> Table {
    let (columns, rows): (Vec<&'static str>, Vec<TableRow>) = match kind {
        Kind::Instances => (
            vec!["Name", "Id", "Type", "State", "Zone", "Private IP"],
            inventory
                .instances
                .items()
                .iter()
                .map(|i| {
                    row(
                        &i.id,
                        [
                            i.display_name(),
                            &i.id,
                            &i.instance_type,
                            &i.state,
                            &i.availability_zone,
                            i.private_ip.as_deref().unwrap_or("—"),
                        ],
                    )
                })
                .collect(),
        ),
        Kind::LoadBalancers => (
            vec!["Name", "Type", "Scheme", "DNS name", "VPC"],
            inventory
                .load_balancers
                .items()
                .iter()
                .map(|lb| {
                    let scheme = if lb.scheme == Scheme::Internal { "internal" } else { "internet-facing" };
                    row(&lb.arn, [&lb.name, &lb.kind, scheme, &lb.dns_name, &lb.vpc_id])
                })
                .collect(),
        ),
        Kind::TargetGroups => (
            vec!["Name", "Protocol", "Port", "Target type", "Health path", "Load balancers"],
            inventory
                .target_groups
                .items()
                .iter()
                .map(|tg| {
                    row(
                        &tg.arn,
                        [
                            &tg.name,
                            &tg.protocol,
                            &tg.port.to_string(),
                            &tg.target_type,
                            tg.health_check.path.as_deref().unwrap_or("—"),
                            &tg.load_balancer_arns.len().to_string(),
                        ],
                    )
                })
                .collect(),
        ),
        Kind::SecurityGroups => (
            vec!["Name", "Id", "VPC", "Rules", "Description"],
            inventory
                .security_groups
                .items()
                .iter()
                .map(|g| row(&g.id, [&g.name, &g.id, &g.vpc_id, &g.ingress.len().to_string(), &g.description]))
                .collect(),
        ),
        Kind::Roles => (
            vec!["Name", "Trusted by", "ARN"],
            inventory
                .roles
                .items()
                .iter()
                .map(|r| row(&r.name, [&r.name, &trusted_by(&r.trust_policy), &r.arn]))
                .collect(),
        ),
        Kind::Databases => (
            vec!["Identifier", "Engine", "Version", "Endpoint", "Port"],
            inventory
                .databases
                .items()
                .iter()
                .map(|d| {
                    row(&d.identifier, [&d.identifier, &d.engine, &d.engine_version, &d.endpoint, &d.port.to_string()])
                })
                .collect(),
        ),
        Kind::Caches => (
            vec!["Id", "Engine", "Version", "Endpoint", "Port"],
            inventory
                .caches
                .items()
                .iter()
                .map(|c| row(&c.id, [&c.id, &c.engine, &c.engine_version, &c.endpoint, &c.port.to_string()]))
                .collect(),
        ),
        Kind::Buckets => (
            vec!["Name", "Region"],
            inventory.buckets.items().iter().map(|b| row(&b.name, [&b.name, &b.region])).collect(),
        ),
    };
    let mut table = Table::new(columns);
    table.set_rows(rows);
    table
}

/// Why a kind shows no rows, when it could not be read.
pub fn unseen(kind: Kind, inventory: &Inventory) -> Option<String> {
    fn reason<T>(listing: &Listing<T>) -> Option<String> {
        match listing {
            Listing::Seen(_) => None,
            Listing::Unseen { reason, missing_action } => Some(match missing_action {
                Some(action) => format!("{reason} · needs {action}"),
                None => reason.clone(),
            }),
        }
    }
    match kind {
        Kind::Instances => reason(&inventory.instances),
        Kind::LoadBalancers => reason(&inventory.load_balancers),
        Kind::TargetGroups => reason(&inventory.target_groups),
        Kind::SecurityGroups => reason(&inventory.security_groups),
        Kind::Roles => reason(&inventory.roles),
        Kind::Databases => reason(&inventory.databases),
        Kind::Caches => reason(&inventory.caches),
        Kind::Buckets => reason(&inventory.buckets),
    }
}

/// Cells are escaped once here, so drawing never sees raw account text.
fn row<const N: usize>(key: &str, cells: [&str; N]) -> TableRow {
    TableRow::new(key.to_string(), cells.iter().map(|c| safe(c)).collect())
}

/// The service principals a trust policy names.
fn trusted_by(trust: &serde_json::Value) -> String {
    let mut names = Vec::new();
    let statements = match trust.get("Statement") {
        Some(serde_json::Value::Array(items)) => items.clone(),
        Some(single) => vec![single.clone()],
        None => Vec::new(),
    };
    for statement in statements {
        for principal in ["Service", "AWS", "Federated"] {
            match statement.get("Principal").and_then(|p| p.get(principal)) {
                Some(serde_json::Value::String(s)) => names.push(s.clone()),
                Some(serde_json::Value::Array(items)) => {
                    names.extend(items.iter().filter_map(|v| v.as_str().map(str::to_string)))
                }
                _ => {}
            }
        }
    }
    if names.is_empty() { "—".into() } else { names.join(", ") }
}
