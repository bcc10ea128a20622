//! Policy checks: what the operator must know before approving a plan. They are a function of
//! the plan's content alone (its steps, assumptions and context) and are computed again every
//! time a plan is shown, approved or applied: the checks a plan file states are only compared
//! with these, never believed.

use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::{Action, Assumption, Plan, SecretSource};
use crate::model::{ExpressServiceConfig, RuleSource};
use crate::userdata::{MASK, is_secret};

/// How much a check's finding matters, from least to most.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CheckLevel {
    /// Checked, and nothing to report.
    Pass,
    /// Worth knowing; it does not stop approval.
    Warning,
    /// The plan cannot be approved until this is resolved.
    Deny,
}

impl CheckLevel {
    /// As `ferry show` prints it.
    pub fn label(self) -> &'static str {
        match self {
            CheckLevel::Pass => "pass",
            CheckLevel::Warning => "warn",
            CheckLevel::Deny => "DENY",
        }
    }
}

/// One policy check of a plan: what it found, and how much that matters.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Check {
    /// Stable within a plan, e.g. `wildcard-iam:AmazonSESFullAccess:ses:*`: what an operator
    /// names to override a deny (`--override ID=REASON`).
    pub id: String,
    /// Whether it passed, warns, or stops approval until overridden.
    pub level: CheckLevel,
    /// What was found, in a sentence for `ferry show` and the audit log.
    pub message: String,
}

impl Check {
    pub(super) fn new(id: impl Into<String>, level: CheckLevel, message: impl Into<String>) -> Self {
        Check { id: id.into(), level, message: message.into() }
    }
}

/// AWS managed policies that serve the EC2 host, not the application.
pub const HOST_ONLY_POLICIES: [&str; 3] =
    ["AmazonSSMManagedInstanceCore", "CloudWatchAgentServerPolicy", "AmazonEC2RoleforSSM"];

/// What the execution role needs to pull the image and write logs.
pub const TASK_EXECUTION_POLICY: &str = "arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy";
/// What Express Mode needs to make the load balancer, target groups and scaling for a service.
pub const INFRASTRUCTURE_POLICY: &str =
    "arn:aws:iam::aws:policy/service-role/AmazonECSInfrastructureRoleforExpressGatewayServices";

/// AWS managed policies that hand over an account, whatever their document says today.
const ACCOUNT_WIDE_POLICIES: [&str; 3] = ["AdministratorAccess", "PowerUserAccess", "IAMFullAccess"];

/// Every check of the plan, in a stable order, from what the plan holds.
pub fn judge(plan: &Plan) -> Vec<Check> {
    let mut checks = Vec::new();
    let config = plan.steps.iter().find_map(|s| match &s.action {
        Action::CreateExpressService { config } => Some(config.as_ref()),
        _ => None,
    });
    if let Some(config) = config {
        checks.extend(service_checks(plan, config));
    }
    for (index, blocker) in plan.context.blockers.iter().enumerate() {
        checks.push(Check::new(format!("readiness-{}", index + 1), CheckLevel::Deny, blocker.clone()));
    }
    for policy in instance_role_policies(plan).filter(|p| HOST_ONLY_POLICIES.contains(&p.name.as_str())) {
        checks.push(Check::new(
            format!("host-policy:{}", policy.name),
            CheckLevel::Warning,
            format!("{} stays with the instance: tasks do not need it", policy.name),
        ));
    }
    if let Some(group) = &plan.context.auto_scaling_group {
        checks.push(Check::new(
            "auto-scaling-group",
            CheckLevel::Warning,
            format!("the instance belongs to Auto Scaling group {group}: scale it in once traffic has moved, or it replaces the instance"),
        ));
    }
    checks.extend(role_checks(plan, config));
    // An existing role the service uses instead of one the plan makes: which, and why it fits.
    checks.extend(config.map(|c| super::reuse_judge::reuse_checks(plan, c)).unwrap_or_default());
    checks.extend(open_data_stores(plan));
    checks.extend(foreign_ingress(plan));
    checks.extend(secret_source_checks(plan));
    checks.extend(image_checks(plan));
    checks.extend(super::cutover_checks::judge(plan));
    // A policy may grant the same thing twice; one check per id is what an override names.
    let mut seen = BTreeSet::new();
    checks.retain(|c| seen.insert(c.id.clone()));
    for gap in &plan.context.unseen {
        let missing = gap.missing_action.as_deref().map(|a| format!(" (needs {a})")).unwrap_or_default();
        let (level, consequence) = match gap.later_consequence() {
            Some(later) => (CheckLevel::Warning, later),
            None => (CheckLevel::Deny, "the plan may lack what depends on it"),
        };
        checks.push(Check::new(
            format!("unseen:{}", gap.what),
            level,
            format!("could not see {}{missing}: {consequence}; discover again with that permission", gap.what),
        ));
    }
    checks
}

/// The service's environment, zones, task count, health check and port.
fn service_checks(plan: &Plan, config: &ExpressServiceConfig) -> Vec<Check> {
    let mut checks = Vec::new();
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

    let assumed = plan.assumed_subnets();
    let subnets = &config.network_configuration.subnets;
    let mut zones: Vec<&str> =
        assumed.iter().filter(|s| subnets.contains(&s.id)).map(|s| s.availability_zone.as_str()).collect();
    zones.sort_unstable();
    zones.dedup();
    if subnets.len() < 2 || zones.len() < 2 {
        checks.push(Check::new(
            "subnets",
            CheckLevel::Deny,
            format!(
                "Express Mode needs 2 subnets in 2 availability zones; the plan places the service in {} subnet{} across {} zone{}",
                subnets.len(),
                if subnets.len() == 1 { "" } else { "s" },
                zones.len(),
                if zones.len() == 1 { "" } else { "s" }
            ),
        ));
    }
    if assumed.iter().any(|s| subnets.contains(&s.id) && s.public) {
        checks.push(Check::new(
            "public-ips",
            CheckLevel::Warning,
            "tasks get public IPs: the service is placed in public subnets, as the old internet-facing ALB was",
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
    let port = config.primary_container.container_port;
    if let Some(app) = plan.context.app_port.as_ref().filter(|app| app.port != port) {
        checks.push(Check::new(
            "port",
            CheckLevel::Warning,
            format!("containerPort {port} is not the port the app listens on ({} ← {})", app.port, app.source),
        ));
    }
    checks
}

fn instance_role_policies(plan: &Plan) -> impl Iterator<Item = &super::AssumedPolicy> {
    plan.assumptions.iter().flat_map(|a| match a {
        Assumption::InstanceRole { policies, .. } => policies.as_slice(),
        _ => &[],
    })
}

/// What every role the plan creates would be allowed to do: wildcard grants in its inline
/// documents and in the managed policies it attaches, judged from documents the plan holds
/// (and apply confirms), and managed policies whose grants the plan cannot show.
fn role_checks(plan: &Plan, config: Option<&ExpressServiceConfig>) -> Vec<Check> {
    let mut checks = Vec::new();
    let execution = config.and_then(|c| plan.created_role(&c.execution_role_arn));
    let infrastructure = config.and_then(|c| plan.created_role(&c.infrastructure_role_arn));
    for step in &plan.steps {
        let Action::CreateRole { name, managed_policy_arns, inline_policies, .. } = &step.action else { continue };
        for policy in inline_policies {
            checks.extend(wildcard_checks(&policy.name, &policy.document));
        }
        for arn in managed_policy_arns {
            let policy_name = arn.rsplit('/').next().unwrap_or(arn);
            if ACCOUNT_WIDE_POLICIES.contains(&policy_name) {
                checks.push(Check::new(
                    format!("account-wide-policy:{name}:{policy_name}"),
                    CheckLevel::Deny,
                    format!("role {name} would get {arn}, which hands over the account"),
                ));
            }
            let ferry_own = (arn == TASK_EXECUTION_POLICY && execution == Some(name.as_str()))
                || (arn == INFRASTRUCTURE_POLICY && infrastructure == Some(name.as_str()));
            if ferry_own {
                continue;
            }
            match instance_role_policies(plan).find(|p| p.arn.as_deref() == Some(arn.as_str())) {
                Some(super::AssumedPolicy { document: Some(document), name: policy_name, .. }) => {
                    checks.extend(wildcard_checks(policy_name, document));
                }
                _ => checks.push(Check::new(
                    format!("unjudged-policy:{name}:{policy_name}"),
                    CheckLevel::Deny,
                    format!(
                        "role {name} would get {arn}, whose document the plan does not hold: what it grants cannot be judged"
                    ),
                )),
            }
        }
    }
    checks
}

/// Wildcard grants in one policy document: an action with `*` (such as `ses:*`), any action
/// on `*` other than listings, and `NotAction`/`NotResource` allows (everything but a few).
fn wildcard_checks(policy: &str, document: &Value) -> Vec<Check> {
    let mut checks = Vec::new();
    for statement in as_list(document.get("Statement")) {
        if statement.get("Effect").and_then(Value::as_str) != Some("Allow") {
            continue;
        }
        for negated in ["NotAction", "NotResource"] {
            if statement.get(negated).is_some() {
                checks.push(Check::new(
                    format!("wildcard-iam:{policy}:{negated}"),
                    CheckLevel::Deny,
                    format!(
                        "{policy} allows everything except what its {negated} names: narrow it to what the app uses"
                    ),
                ));
            }
        }
        let on_everything = as_list(statement.get("Resource")).iter().any(|r| r.as_str() == Some("*"));
        for action in as_list(statement.get("Action")).iter().filter_map(|a| a.as_str()) {
            let wildcard = action.contains('*') || action.contains('?');
            if wildcard || on_everything && !is_read_only_listing(action) {
                let on = if on_everything { "on *" } else { "on its resources" };
                checks.push(Check::new(
                    format!("wildcard-iam:{policy}:{action}"),
                    CheckLevel::Deny,
                    format!("the task would get {action} {on} from {policy}: narrow it to what the app uses"),
                ));
            }
        }
    }
    checks
}

/// A data store reachable from anywhere: a group guarding it admits 0.0.0.0/0 or ::/0 on the
/// store's port. Moving the app keeps that hole open; it should be closed first.
fn open_data_stores(plan: &Plan) -> Vec<Check> {
    let mut checks = Vec::new();
    for store in &plan.context.data_stores {
        let Some(port) = store.port else { continue };
        let open = plan.assumptions.iter().find_map(|a| match a {
            Assumption::SecurityGroupRules { group_id, rules }
                if store.security_group_ids.contains(group_id) && rules.iter().any(|rule| {
                    rule.covers(port)
                        && matches!(&rule.source, RuleSource::Cidr { cidr } if cidr == "0.0.0.0/0" || cidr == "::/0")
                }) =>
            {
                Some(group_id)
            }
            _ => None,
        });
        if let Some(group_id) = open {
            checks.push(Check::new(
                format!("open-data-store:{}", store.name),
                CheckLevel::Deny,
                format!(
                    "{} {} admits the whole internet on {port} through {group_id}: close that rule before moving the app",
                    store.kind.label(),
                    store.name,
                ),
            ));
        }
    }
    checks
}

/// A rule that opens a group guarding none of the data stores the app reaches: ferry adds
/// rules only so the service reaches what the instance reached, so any other is a change to
/// someone else's network that a reviewer must accept in writing.
fn foreign_ingress(plan: &Plan) -> Vec<Check> {
    let guarded =
        |group: &str| plan.context.data_stores.iter().any(|s| s.security_group_ids.iter().any(|g| g == group));
    plan.steps
        .iter()
        .filter_map(|step| match &step.action {
            Action::AuthorizeIngress { group_id, port, .. } if !guarded(group_id) => Some(Check::new(
                format!("foreign-ingress:{group_id}:{port}"),
                CheckLevel::Deny,
                format!("{group_id} would admit the service on {port}, but it guards none of the data stores the app reaches"),
            )),
            _ => None,
        })
        .collect()
}

/// Where each secret's value is read at apply time. The instance's own user data is what the
/// app used; another instance's, or the applying machine's credentials, would hand the app
/// something that is not its own.
fn secret_source_checks(plan: &Plan) -> Vec<Check> {
    let mut checks = Vec::new();
    for step in &plan.steps {
        let Action::CreateSecret { name, source, .. } = &step.action else { continue };
        let id = format!("secret-source:{name}");
        let check = match source {
            SecretSource::UserDataVariable { instance_id, .. } if *instance_id == plan.source_instance_id => continue,
            SecretSource::UserDataVariable { instance_id, variable } => Check::new(
                id,
                CheckLevel::Deny,
                format!(
                    "secret {name} would hold {variable} from the user data of {instance_id}, not of the instance being moved"
                ),
            ),
            SecretSource::File { path } if is_operator_credential_file(path) => Check::new(
                id,
                CheckLevel::Deny,
                format!(
                    "secret {name} would hold the file {path}: that is the applying machine's credentials, not the app's"
                ),
            ),
            SecretSource::Environment { variable } if is_operator_credential_variable(variable) => Check::new(
                id,
                CheckLevel::Deny,
                format!(
                    "secret {name} would hold ${variable}: that is the applying machine's credentials, not the app's"
                ),
            ),
            other => Check::new(
                id,
                CheckLevel::Warning,
                format!("secret {name} is read from {} when the plan is applied", other.describe()),
            ),
        };
        checks.push(check);
    }
    checks
}

/// Files that hold the credentials of whoever applies a plan.
fn is_operator_credential_file(path: &str) -> bool {
    const PLACES: [&str; 12] = [
        "/.aws/",
        "/.ssh/",
        "/.docker/config.json",
        "/.kube/",
        "/.config/gcloud/",
        "/.netrc",
        "/.git-credentials",
        "/.npmrc",
        "/.pypirc",
        "/etc/shadow",
        "/.gnupg/",
        "/.config/gh/",
    ];
    let normalised = format!("/{}", path.trim_start_matches('~'));
    PLACES.iter().any(|place| normalised.contains(place))
}

/// Environment variables that hold the credentials of whoever applies a plan.
fn is_operator_credential_variable(variable: &str) -> bool {
    let upper = variable.to_ascii_uppercase();
    upper.starts_with("AWS_")
        || ["GITHUB_TOKEN", "GH_TOKEN", "GITLAB_TOKEN", "NPM_TOKEN", "DOCKER_PASSWORD", "SSH_AUTH_SOCK"]
            .contains(&upper.as_str())
}

/// Where the image comes from: built from a source folder, or run as it is.
fn image_checks(plan: &Plan) -> Vec<Check> {
    let build = plan.steps.iter().find_map(|s| match &s.action {
        Action::BuildAndPushImage { context_dir, .. } => Some(context_dir),
        _ => None,
    });
    match build {
        Some(context) if context.is_empty() => vec![Check::new(
            "build-context",
            CheckLevel::Warning,
            "no source folder: a live apply cannot build the image (give --app DIR, or --image URI)",
        )],
        Some(_) => Vec::new(),
        None => plan
            .steps
            .iter()
            .find_map(|s| match &s.action {
                Action::CreateExpressService { config } => Some(config.primary_container.image.clone()),
                _ => None,
            })
            .map(|image| {
                Check::new(
                    "prebuilt-image",
                    CheckLevel::Warning,
                    format!("the service runs {image} as it is: the execution role must be able to pull it"),
                )
            })
            .into_iter()
            .collect(),
    }
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
