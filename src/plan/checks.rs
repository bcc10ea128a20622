//! Policy checks run on every plan: what the operator must know before approving it.

use serde::{Deserialize, Serialize};

use crate::generate::{Artifacts, service_subnets, wants_public};
use crate::model::MigrationGraph;
use crate::model::{AppProfile, FindingLevel};
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
    pub level: CheckLevel,
    pub message: String,
}

impl Check {
    fn new(level: CheckLevel, message: impl Into<String>) -> Self {
        Check { level, message: message.into() }
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
        Check::new(CheckLevel::Pass, "no secret in plain environment variables")
    } else {
        Check::new(CheckLevel::Deny, format!("secrets in plain environment: {}", leaked.join(", ")))
    });

    let subnets = service_subnets(graph);
    if subnets.len() < 2 {
        checks.push(Check::new(
            CheckLevel::Deny,
            format!("Express Mode needs 2 subnets in 2 availability zones; the VPC offers {}", subnets.len()),
        ));
    }
    if wants_public(graph) {
        checks.push(Check::new(
            CheckLevel::Warning,
            "tasks get public IPs: the old ALB is internet-facing, so the service uses public subnets",
        ));
    }
    for blocker in profile.findings.iter().filter(|f| f.level == FindingLevel::Blocker) {
        checks.push(Check::new(CheckLevel::Deny, blocker.message.clone()));
    }
    if let Some(role) = &graph.role {
        for policy in role.role.policies.iter().filter(|p| HOST_ONLY_POLICIES.contains(&p.name.as_str())) {
            checks.push(Check::new(
                CheckLevel::Warning,
                format!("{} stays with the instance: tasks do not need it", policy.name),
            ));
        }
    }
    if let Some(group) = graph.instance.auto_scaling_group() {
        checks.push(Check::new(
            CheckLevel::Warning,
            format!("the instance belongs to Auto Scaling group {group}: scale it in once traffic has moved, or it replaces the instance"),
        ));
    }
    let port = config.primary_container.container_port;
    if port != profile.port {
        checks.push(Check::new(
            CheckLevel::Warning,
            format!(
                "containerPort {port} is not the port the app listens on ({} ← {})",
                profile.port, profile.port_source
            ),
        ));
    }
    for (policy, action) in wildcard_grants(graph) {
        checks.push(Check::new(
            CheckLevel::Warning,
            format!("the task role inherits {action} on * from {policy}: narrow it to what the app uses"),
        ));
    }
    for gap in &graph.unseen {
        let missing = gap.missing_action.as_deref().map(|a| format!(" (needs {a})")).unwrap_or_default();
        checks.push(Check::new(
            CheckLevel::Warning,
            format!("could not see {}{missing}: the plan may miss what depends on it", gap.what),
        ));
    }
    checks.push(Check::new(
        CheckLevel::Warning,
        format!("push the image before the service can turn healthy: {}", config.primary_container.image),
    ));
    checks
}

/// Actions granted on every resource by the policies the task role inherits, e.g.
/// (`AmazonSESFullAccess`, `ses:*`).
fn wildcard_grants(graph: &MigrationGraph) -> Vec<(String, String)> {
    let mut grants = Vec::new();
    let policies = graph.role.iter().flat_map(|r| &r.role.policies);
    for policy in policies.filter(|p| !HOST_ONLY_POLICIES.contains(&p.name.as_str())) {
        let Some(document) = &policy.document else { continue };
        let statements = match document.get("Statement") {
            Some(serde_json::Value::Array(items)) => items.iter().collect::<Vec<_>>(),
            Some(single) => vec![single],
            None => Vec::new(),
        };
        for statement in statements {
            let allows = statement.get("Effect").and_then(|e| e.as_str()) == Some("Allow");
            let on_everything = match statement.get("Resource") {
                Some(serde_json::Value::String(r)) => r == "*",
                Some(serde_json::Value::Array(items)) => items.iter().any(|r| r.as_str() == Some("*")),
                _ => false,
            };
            if !(allows && on_everything) {
                continue;
            }
            let actions: Vec<&str> = match statement.get("Action") {
                Some(serde_json::Value::String(a)) => vec![a.as_str()],
                Some(serde_json::Value::Array(items)) => items.iter().filter_map(|a| a.as_str()).collect(),
                _ => Vec::new(),
            };
            for action in actions.into_iter().filter(|a| a.ends_with('*')) {
                grants.push((policy.name.clone(), action.to_string()));
            }
        }
    }
    grants
}
