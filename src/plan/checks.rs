//! Policy checks run on every plan: what the operator must know before approving it.

use serde::{Deserialize, Serialize};

use crate::generate::{Artifacts, service_subnets, wants_public};
use serde_json::Value;

use crate::model::{AppProfile, FindingLevel, MigrationGraph, RuleSource};
use crate::userdata::{MASK, is_secret};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CheckLevel {
    Pass,
    Warning,
    /// The plan cannot be approved until this is resolved.
    Deny,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Check {
    /// Stable within a plan, e.g. `wildcard-iam:AmazonSESFullAccess:ses:*`: what an operator
    /// names to override a deny (`--override ID=REASON`).
    pub id: String,
    pub level: CheckLevel,
    pub message: String,
}

impl Check {
    fn new(id: impl Into<String>, level: CheckLevel, message: impl Into<String>) -> Self {
        Check { id: id.into(), level, message: message.into() }
    }
}

/// AWS managed policies that serve the EC2 host, not the application.
pub const HOST_ONLY_POLICIES: [&str; 3] =
    ["AmazonSSMManagedInstanceCore", "CloudWatchAgentServerPolicy", "AmazonEC2RoleforSSM"];

pub fn run_checks(graph: &MigrationGraph, profile: &AppProfile, artifacts: &Artifacts) -> Vec<Check> {
    let mut checks = Vec::new();
    let config = &artifacts.service_config;

    let leaked: Vec<&str> = config
        .primary_container
        .environment
        .iter()
        .filter(|kv| is_secret(&kv.name, &kv.value) || kv.value.contains(MASK))
        .map(|kv| kv.name.as_str())
        .collect();
    checks.push(if leaked.is_empty() {
        Check::new("plain-secrets", CheckLevel::Pass, "no secret in plain environment variables")
    } else {
        Check::new("plain-secrets", CheckLevel::Deny, format!("secrets in plain environment: {}", leaked.join(", ")))
    });

    let subnets = service_subnets(graph);
    let mut zones: Vec<&str> = subnets.iter().map(|s| s.availability_zone.as_str()).collect();
    zones.sort_unstable();
    zones.dedup();
    if subnets.len() < 2 {
        checks.push(Check::new(
            "subnets",
            CheckLevel::Deny,
            format!("Express Mode needs 2 subnets in 2 availability zones; the VPC offers {}", subnets.len()),
        ));
    }
    if wants_public(graph) {
        checks.push(Check::new(
            "public-ips",
            CheckLevel::Warning,
            "tasks get public IPs: the old ALB is internet-facing, so the service uses public subnets",
        ));
    }
    let min_tasks = config.scaling_target.min_task_count;
    checks.push(if min_tasks < 2 && zones.len() >= 2 {
        Check::new(
            "single-task",
            CheckLevel::Deny,
            format!(
                "minTaskCount {min_tasks} for a service across {} zones: one zone runs nothing, and a zone outage is an outage",
                zones.len()
            ),
        )
    } else {
        Check::new("single-task", CheckLevel::Pass, format!("at least {min_tasks} tasks"))
    });
    let health = config.health_check_path.trim();
    checks.push(if health.is_empty() || !health.starts_with('/') {
        Check::new(
            "health-check",
            CheckLevel::Deny,
            "no health check path: the load balancer cannot tell a broken task from a healthy one",
        )
    } else {
        Check::new("health-check", CheckLevel::Pass, format!("health check on {health}"))
    });
    for (index, blocker) in profile.findings.iter().filter(|f| f.level == FindingLevel::Blocker).enumerate() {
        checks.push(Check::new(format!("readiness-{}", index + 1), CheckLevel::Deny, blocker.message.clone()));
    }
    if let Some(role) = &graph.role {
        for policy in role.role.policies.iter().filter(|p| HOST_ONLY_POLICIES.contains(&p.name.as_str())) {
            checks.push(Check::new(
                format!("host-policy:{}", policy.name),
                CheckLevel::Warning,
                format!("{} stays with the instance: tasks do not need it", policy.name),
            ));
        }
    }
    if let Some(group) = graph.instance.auto_scaling_group() {
        checks.push(Check::new(
            "auto-scaling-group",
            CheckLevel::Warning,
            format!("the instance belongs to Auto Scaling group {group}: scale it in once traffic has moved, or it replaces the instance"),
        ));
    }
    let port = config.primary_container.container_port;
    if port != profile.port {
        checks.push(Check::new(
            "port",
            CheckLevel::Warning,
            format!(
                "containerPort {port} is not the port the app listens on ({} ← {})",
                profile.port, profile.port_source
            ),
        ));
    }
    for (policy, action, resource_wide) in wildcard_grants(graph) {
        let on = if resource_wide { "on *" } else { "on its resources" };
        checks.push(Check::new(
            format!("wildcard-iam:{policy}:{action}"),
            CheckLevel::Deny,
            format!("the task role would get {action} {on} from {policy}: narrow it to what the app uses"),
        ));
    }
    checks.extend(open_data_stores(graph));
    // A policy may grant the same thing twice; one check per id is what an override names.
    let mut seen = std::collections::BTreeSet::new();
    checks.retain(|c| seen.insert(c.id.clone()));
    for gap in &graph.unseen {
        let missing = gap.missing_action.as_deref().map(|a| format!(" (needs {a})")).unwrap_or_default();
        checks.push(Check::new(
            format!("unseen:{}", gap.what),
            CheckLevel::Warning,
            format!("could not see {}{missing}: the plan may miss what depends on it", gap.what),
        ));
    }
    checks
}

/// A data store reachable from anywhere: its security group admits 0.0.0.0/0 or ::/0 on the
/// store's port. Moving the app keeps that hole open; it should be closed first.
fn open_data_stores(graph: &MigrationGraph) -> Vec<Check> {
    let mut checks = Vec::new();
    for store in &graph.data_stores {
        let Some(port) = store.port else { continue };
        let groups = graph.data_store_groups.iter().filter(|g| store.security_group_ids.contains(&g.id));
        let open = groups.into_iter().find(|g| {
            g.ingress.iter().any(|rule| {
                rule.covers(port)
                    && matches!(&rule.source, RuleSource::Cidr { cidr } if cidr == "0.0.0.0/0" || cidr == "::/0")
            })
        });
        if let Some(group) = open {
            checks.push(Check::new(
                format!("open-data-store:{}", store.name),
                CheckLevel::Deny,
                format!(
                    "{} {} admits the whole internet on {port} through {}: close that rule before moving the app",
                    store.kind.label(),
                    store.name,
                    group.id
                ),
            ));
        }
    }
    checks
}

/// Wildcard grants in the policies the task role inherits: an action ending in `*` (such as
/// `ses:*`), on every resource or not, and any action on `*`. Returns (policy, action,
/// whether the resource is `*`).
fn wildcard_grants(graph: &MigrationGraph) -> Vec<(String, String, bool)> {
    let mut grants = Vec::new();
    let policies = graph.role.iter().flat_map(|r| &r.role.policies);
    for policy in policies.filter(|p| !HOST_ONLY_POLICIES.contains(&p.name.as_str())) {
        let Some(document) = &policy.document else { continue };
        for statement in as_list(document.get("Statement")) {
            if statement.get("Effect").and_then(Value::as_str) != Some("Allow") {
                continue;
            }
            let on_everything = as_list(statement.get("Resource")).iter().any(|r| r.as_str() == Some("*"));
            for action in as_list(statement.get("Action")).iter().filter_map(|a| a.as_str()) {
                if action.ends_with('*') || on_everything && !is_read_only_listing(action) {
                    grants.push((policy.name.clone(), action.to_string(), on_everything));
                }
            }
        }
    }
    grants
}

/// Listing calls that AWS only accepts on `*` (there is no resource to name).
fn is_read_only_listing(action: &str) -> bool {
    let verb = action.split_once(':').map_or(action, |(_, verb)| verb);
    verb.starts_with("List") || verb.starts_with("Describe") || verb == "GetCallerIdentity"
}

/// A policy element that may be one value or a list of them.
fn as_list(value: Option<&Value>) -> Vec<&Value> {
    match value {
        Some(Value::Array(items)) => items.iter().collect(),
        Some(single) => vec![single],
        None => Vec::new(),
    }
}
