//! One table per kind: its columns and rows, built once per load.

use super::table::{Table, TableRow};
use crate::inventory::{Inventory, Kind, Listing};
use crate::model::{
    Bucket, CacheCluster, DbInstance, Instance, LoadBalancer, Role, Scheme, SecurityGroup, TargetGroup,
};
use crate::tui::widgets::safe;

/// A kind's column headings, and its rows in the order the account listed them.
type ColumnsAndRows = (Vec<&'static str>, Vec<TableRow>);

/// The table of one kind; a kind that could not be read gives an empty table.
pub fn rows_for(kind: Kind, inventory: &Inventory) -> Table {
    let (columns, rows) = match kind {
        Kind::Instances => instance_rows(inventory.instances.items()),
        Kind::LoadBalancers => load_balancer_rows(inventory.load_balancers.items()),
        Kind::TargetGroups => target_group_rows(inventory.target_groups.items()),
        Kind::SecurityGroups => security_group_rows(inventory.security_groups.items()),
        Kind::Roles => role_rows(inventory.roles.items()),
        Kind::Databases => database_rows(inventory.databases.items()),
        Kind::Caches => cache_rows(inventory.caches.items()),
        Kind::Buckets => bucket_rows(inventory.buckets.items()),
    };
    let mut table = Table::new(columns);
    table.set_rows(rows);
    table
}

fn instance_rows(instances: &[Instance]) -> ColumnsAndRows {
    (
        vec!["Name", "Id", "Type", "State", "Zone", "Private IP"],
        instances
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
    )
}

fn load_balancer_rows(load_balancers: &[LoadBalancer]) -> ColumnsAndRows {
    (
        vec!["Name", "Type", "Scheme", "DNS name", "VPC"],
        load_balancers
            .iter()
            .map(|lb| {
                let scheme = if lb.scheme == Scheme::Internal { "internal" } else { "internet-facing" };
                row(&lb.arn, [&lb.name, &lb.kind, scheme, &lb.dns_name, &lb.vpc_id])
            })
            .collect(),
    )
}

fn target_group_rows(target_groups: &[TargetGroup]) -> ColumnsAndRows {
    (
        vec!["Name", "Protocol", "Port", "Target type", "Health path", "Load balancers"],
        target_groups
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
    )
}

fn security_group_rows(groups: &[SecurityGroup]) -> ColumnsAndRows {
    (
        vec!["Name", "Id", "VPC", "Rules", "Description"],
        groups
            .iter()
            .map(|g| row(&g.id, [&g.name, &g.id, &g.vpc_id, &g.ingress.len().to_string(), &g.description]))
            .collect(),
    )
}

fn role_rows(roles: &[Role]) -> ColumnsAndRows {
    (
        vec!["Name", "Trusted by", "ARN"],
        roles.iter().map(|r| row(&r.name, [&r.name, &trusted_by(&r.trust_policy), &r.arn])).collect(),
    )
}

fn database_rows(databases: &[DbInstance]) -> ColumnsAndRows {
    (
        vec!["Identifier", "Engine", "Version", "Endpoint", "Port"],
        databases
            .iter()
            .map(|d| {
                row(&d.identifier, [&d.identifier, &d.engine, &d.engine_version, &d.endpoint, &d.port.to_string()])
            })
            .collect(),
    )
}

fn cache_rows(caches: &[CacheCluster]) -> ColumnsAndRows {
    (
        vec!["Id", "Engine", "Version", "Endpoint", "Port"],
        caches
            .iter()
            .map(|c| row(&c.id, [&c.id, &c.engine, &c.engine_version, &c.endpoint, &c.port.to_string()]))
            .collect(),
    )
}

fn bucket_rows(buckets: &[Bucket]) -> ColumnsAndRows {
    (vec!["Name", "Region"], buckets.iter().map(|b| row(&b.name, [&b.name, &b.region])).collect())
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
