//! What approving a plan covers, step by step, in lines a reviewer reads: every policy and
//! statement a role gets, every rule, the image and the digest of the Dockerfile it is built
//! from with what its .dockerignore keeps out, every variable with its value (a secret named,
//! never printed) and every secret with where its value comes from, the cluster, size,
//! scaling, subnets and exposure, and any tag beyond ferry's own. Everything is derived from
//! the step itself (and the plan's assumptions for the subnets), so whatever changed in a plan
//! shows here.

use serde_json::Value;

use super::{Action, Plan, SecretSource, Step};
use crate::model::placeholders::RUN_ID;
use crate::model::{ExpressServiceConfig, Tag};
use crate::userdata::{MASK, is_secret};

impl Plan {
    /// The lines that say what step `index` changes; empty for a step that does not exist.
    pub fn review(&self, index: usize) -> Vec<String> {
        self.steps.get(index).map(|step| review_step(self, step)).unwrap_or_default()
    }
}

fn review_step(plan: &Plan, step: &Step) -> Vec<String> {
    let mut lines = action_lines(plan, step);
    lines.extend(tag_line(plan, &step.action));
    lines
}

/// The tags a step puts on what it creates, beyond the ones ferry puts on everything (the run
/// tag, the service, the source instance): a tag can be what an attribute-based policy grants
/// on, so one added to a plan is shown.
fn tag_line(plan: &Plan, action: &Action) -> Option<String> {
    let own = |tag: &Tag| match tag.key.as_str() {
        "ferry:run-id" => tag.value == RUN_ID,
        "ferry:service" => tag.value == plan.service_name,
        "ferry:source-instance" => tag.value == plan.source_instance_id,
        _ => false,
    };
    let others: Vec<String> =
        action.tags().iter().filter(|tag| !own(tag)).map(|tag| format!("{}={}", tag.key, tag.value)).collect();
    (!others.is_empty()).then(|| format!("tags {}", others.join(", ")))
}

fn action_lines(plan: &Plan, step: &Step) -> Vec<String> {
    match &step.action {
        Action::CreateEcrRepository { name, .. } => vec![format!("repository {name}, images scanned on push")],
        Action::BuildAndPushImage { context_dir, dockerfile, dockerignore, image, .. } => {
            let context = if context_dir.is_empty() { "no source folder" } else { context_dir.as_str() };
            // What the build leaves out of the context decides whether .env files and keys
            // in the source folder end up in the image: shown, since no digest covers it.
            let ignored: Vec<&str> =
                dockerignore.lines().map(str::trim).filter(|l| !l.is_empty() && !l.starts_with('#')).collect();
            vec![
                format!("image {image}"),
                format!("Dockerfile sha256 {}", crate::digest::sha256_hex(dockerfile.as_bytes())),
                format!("built from {context}"),
                match ignored.as_slice() {
                    [] => ".dockerignore excludes nothing: the whole folder is sent to the build".to_string(),
                    patterns => format!(".dockerignore excludes {}", patterns.join(", ")),
                },
            ]
        }
        Action::CreateRole { trusted_service, managed_policy_arns, inline_policies, .. } => {
            let mut lines = vec![format!("assumed by {trusted_service}")];
            lines.extend(managed_policy_arns.iter().map(|arn| format!("managed policy {arn}")));
            for policy in inline_policies {
                lines.push(format!("inline policy {}:", policy.name));
                lines.extend(statements(&policy.document).into_iter().map(|s| format!("  {s}")));
            }
            lines
        }
        Action::CreateSecret { source, .. } => vec![format!("value read at apply time from {}", source.describe())],
        Action::CreateSecurityGroup { vpc_id, description, .. } => {
            vec![format!("in {vpc_id}, no inbound rules"), format!("description {description}")]
        }
        Action::AuthorizeIngress { group_id, port, source_group_id, .. } => {
            vec![format!("{group_id} admits tcp {port} from {source_group_id}")]
        }
        Action::CreateExpressService { config } => service_lines(plan, config),
        Action::WaitServiceActive { timeout_secs, .. } => {
            vec![format!("waits up to {} min for the first deployment; changes nothing", timeout_secs / 60)]
        }
        Action::AddRuleHost { .. }
        | Action::AddListenerCertificate { .. }
        | Action::SplitRecords { .. }
        | Action::SetWeights { .. }
        | Action::FinalizeRecords { .. }
        | Action::HealthGate { .. }
        | Action::Bake { .. } => super::review_cutover::lines(&step.action),
        Action::DeleteEcrRepository { .. }
        | Action::RemoveRuleHost { .. }
        | Action::RemoveListenerCertificate { .. }
        | Action::JoinRecords { .. }
        | Action::ReturnWeights { .. }
        | Action::UnfinalizeRecords { .. }
        | Action::DeleteRole { .. }
        | Action::DeleteSecret { .. }
        | Action::DeleteSecurityGroup { .. }
        | Action::RevokeIngress { .. }
        | Action::DeleteExpressService { .. } => vec![format!("{} {}", step.action.verb(), step.action.target())],
    }
}

/// Each statement of a policy document as `Allow s3:GetObject on arn:…`.
fn statements(document: &Value) -> Vec<String> {
    let list = |value: Option<&Value>| -> String {
        match value {
            Some(Value::Array(items)) => items.iter().map(text).collect::<Vec<_>>().join(", "),
            Some(one) => text(one),
            None => String::new(),
        }
    };
    let statements = match document.get("Statement") {
        Some(Value::Array(items)) => items.iter().collect(),
        Some(one) => vec![one],
        None => Vec::new(),
    };
    statements
        .into_iter()
        .map(|statement| {
            let effect = statement.get("Effect").map(text).unwrap_or_else(|| "?".into());
            let (actions, negated_action) = match statement.get("NotAction") {
                Some(not) => (list(Some(not)), "every action but "),
                None => (list(statement.get("Action")), ""),
            };
            let (resources, negated_resource) = match statement.get("NotResource") {
                Some(not) => (list(Some(not)), "everything but "),
                None => (list(statement.get("Resource")), ""),
            };
            let condition = if statement.get("Condition").is_some() { " (with a condition)" } else { "" };
            format!("{effect} {negated_action}{actions} on {negated_resource}{resources}{condition}")
        })
        .collect()
}

fn text(value: &Value) -> String {
    value.as_str().map_or_else(|| value.to_string(), str::to_string)
}

fn service_lines(plan: &Plan, config: &ExpressServiceConfig) -> Vec<String> {
    let container = &config.primary_container;
    let scaling = &config.scaling_target;
    let subnets = &config.network_configuration.subnets;
    let assumed = plan.assumed_subnets();
    let public = assumed.iter().any(|s| subnets.contains(&s.id) && s.public);
    let placed: Vec<String> = subnets
        .iter()
        .map(|id| match assumed.iter().find(|s| &s.id == id) {
            Some(s) => format!("{id} ({})", s.availability_zone),
            None => id.clone(),
        })
        .collect();
    let mut lines = vec![
        format!("cluster {}", config.cluster),
        format!("image {}", container.image),
        format!("cpu {} · memory {} MiB", config.cpu, config.memory),
        format!(
            "tasks {}–{}, scaling on {} at {}",
            scaling.min_task_count,
            scaling.max_task_count,
            scaling.auto_scaling_metric,
            scaling.auto_scaling_target_value
        ),
        format!("port {} · health check {}", container.container_port, config.health_check_path),
        format!("subnets {}", placed.join(", ")),
        if public {
            "exposure: public, an internet-facing load balancer; tasks get public IPs".to_string()
        } else {
            "exposure: private, an internal load balancer".to_string()
        },
        format!("security groups {}", config.network_configuration.security_groups.join(", ")),
        format!("execution role {}", config.execution_role_arn),
        format!("infrastructure role {}", config.infrastructure_role_arn),
        format!("task role {}", config.task_role_arn.as_deref().unwrap_or("none")),
    ];
    if !container.command.is_empty() {
        lines.push(format!("command {}", serde_json::to_string(&container.command).unwrap_or_default()));
    }
    // Values, not only names: where the app connects and how it runs is in them. A value
    // judged a secret is named only (the plain-secrets check denies it), never printed.
    if container.environment.is_empty() {
        lines.push("environment: none".to_string());
    }
    for kv in &container.environment {
        let secret = is_secret(&kv.name, &kv.value) || kv.value.contains(MASK);
        let value = if secret { "(a secret: see the plain-secrets check)" } else { kv.value.as_str() };
        lines.push(format!("env {}={value}", kv.name));
    }
    if container.secrets.is_empty() {
        lines.push("secrets: none".to_string());
    }
    for secret in &container.secrets {
        let created = plan.created_secret(&secret.value_from).map(|(_, source)| source);
        let from = created.map_or_else(|| "a secret this plan does not create".to_string(), SecretSource::describe);
        lines.push(format!("secret {} ← {} (value from {from})", secret.name, secret.value_from));
    }
    lines
}
