//! Turning a discovered and analysed migration into ordered steps.

use serde_json::json;

use super::checks::{HOST_ONLY_POLICIES, INFRASTRUCTURE_POLICY, TASK_EXECUTION_POLICY};
use super::context::{AppPort, DataStoreReach, OldBalancer, OldStack, PlanContext};
use super::reuse::{self, ExistingRoles, RolePurpose, RoleScope};
use super::{Action, AssumedPolicy, AssumedSubnet, Assumption, InlinePolicy, Plan, PlanHeader, SecretSource, Step};
use crate::generate::{Artifacts, Names};
use crate::model::placeholders::{RUN_ID, SERVICE_ARN, SERVICE_SECURITY_GROUP};
use crate::model::{AccountInfo, AppProfile, FindingLevel, GivenValue, MigrationGraph, PolicyKind, Tag};

/// Where the service's image comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ImageSource<'a> {
    /// Built from the application's source folder (the build context; `None` when no folder
    /// was read) into a repository the plan creates.
    Build {
        /// Path of the application's source folder on this machine.
        source_dir: Option<&'a str>,
    },
    /// An image the operator already has (`--image URI`, or an edited image outside ferry's
    /// repository): run as it is, with no repository and no build.
    Prebuilt,
}
/// How long the wait step gives a first deployment, which can take 10-25 minutes with its
/// canary bake times.
pub const WAIT_ACTIVE_TIMEOUT_SECS: u64 = 40 * 60;

/// Builds the plan for a discovered and analysed migration. The checks are judged from the
/// plan's own content (`Plan::new`), exactly as they are when a plan file is read back.
pub fn build_plan(
    graph: &MigrationGraph,
    profile: &AppProfile,
    artifacts: &Artifacts,
    account: &AccountInfo,
    image_source: ImageSource,
) -> Plan {
    build_plan_reusing(graph, profile, artifacts, account, image_source, &ExistingRoles::default())
}

/// As `build_plan`, with the account's roles that may stand in for the execution and
/// infrastructure roles: where the service config names one of them and it fits, the plan
/// makes no role of its own, assumes that one stays as it is, and never touches it.
pub fn build_plan_reusing(
    graph: &MigrationGraph,
    profile: &AppProfile,
    artifacts: &Artifacts,
    account: &AccountInfo,
    image_source: ImageSource,
    existing: &ExistingRoles,
) -> Plan {
    let names = &artifacts.names;
    let tags = vec![Tag::new("ferry:run-id", RUN_ID), Tag::new("ferry:service", &names.service)];
    let scope = RoleScope::for_service(&artifacts.service_config, &account.account_id, &account.region);
    let reused = |purpose| reuse::reused_role(existing, purpose, &artifacts.service_config, &scope);
    let mut steps = Vec::new();

    if let ImageSource::Build { source_dir } = image_source {
        steps.extend(image_steps(artifacts, source_dir, &tags));
    }
    steps.extend(task_role_step(graph, names, &tags));
    if reused(RolePurpose::Execution).is_none() {
        steps.push(execution_role_step(profile, account, names, &tags));
    }
    if reused(RolePurpose::Infrastructure).is_none() {
        steps.push(infrastructure_role_step(names, &tags));
    }
    steps.extend(secret_steps(graph, profile, names, &tags));

    steps.push(step(
        "service-security-group",
        Action::CreateSecurityGroup {
            name: names.service_security_group.clone(),
            description: format!("ferry: tasks of the Express service {}", names.service),
            vpc_id: graph.instance.vpc_id.clone(),
            tags: tags.clone(),
        },
    ));
    steps.extend(ingress_steps(graph, names));

    steps.push(step(
        "express-service",
        Action::CreateExpressService { config: Box::new(artifacts.service_config.clone()) },
    ));
    steps.push(step(
        "wait-active",
        Action::WaitServiceActive {
            service_name: names.service.clone(),
            service_arn: SERVICE_ARN.into(),
            timeout_secs: WAIT_ACTIVE_TIMEOUT_SECS,
        },
    ));

    let existing_roles =
        RolePurpose::ALL.iter().filter_map(|p| reused(*p)).map(reuse::existing_role_assumption).collect();
    let subnets = &artifacts.service_config.network_configuration.subnets;
    let assumptions = assumptions(graph, &steps, subnets, existing_roles);
    let header = PlanHeader {
        service_name: names.service.clone(),
        source_instance_id: graph.instance.id.clone(),
        account_id: account.account_id.clone(),
        region: account.region.clone(),
    };
    Plan::new(header, steps, assumptions, context(graph, profile))
}

fn step(id: &str, action: Action) -> Step {
    Step { id: id.to_string(), action }
}

/// The repository the image is pushed to, and the build and push of the image.
fn image_steps(artifacts: &Artifacts, source_dir: Option<&str>, tags: &[Tag]) -> [Step; 2] {
    let image = &artifacts.service_config.primary_container.image;
    [
        step(
            "ecr-repository",
            Action::CreateEcrRepository { name: artifacts.names.repository.clone(), tags: tags.to_vec() },
        ),
        step(
            "image",
            Action::BuildAndPushImage {
                context_dir: source_dir.unwrap_or_default().to_string(),
                dockerfile: artifacts.dockerfile.clone(),
                dockerignore: artifacts.dockerignore.clone(),
                dockerfile_sha256: crate::digest::sha256_hex(artifacts.dockerfile.as_bytes()),
                image: image.clone(),
            },
        ),
    ]
}

/// The task role, when the instance has a role: a copy of its policies, less those only a
/// host needs.
fn task_role_step(graph: &MigrationGraph, names: &Names, tags: &[Tag]) -> Option<Step> {
    let edge = graph.role.as_ref()?;
    let mut managed = Vec::new();
    let mut inline = Vec::new();
    for policy in &edge.role.policies {
        match (&policy.kind, &policy.arn, &policy.document) {
            _ if HOST_ONLY_POLICIES.contains(&policy.name.as_str()) => {}
            (PolicyKind::Inline, _, Some(document)) => {
                inline.push(InlinePolicy { name: policy.name.clone(), document: document.clone() })
            }
            (_, Some(arn), _) => managed.push(arn.clone()),
            _ => {}
        }
    }
    Some(step(
        "task-role",
        Action::CreateRole {
            name: names.task_role.clone(),
            trusted_service: "ecs-tasks.amazonaws.com".into(),
            managed_policy_arns: managed,
            inline_policies: inline,
            tags: tags.to_vec(),
        },
    ))
}

/// The role Express Mode makes the service's load balancer and scaling with.
fn infrastructure_role_step(names: &Names, tags: &[Tag]) -> Step {
    step(
        "infrastructure-role",
        Action::CreateRole {
            name: names.infrastructure_role.clone(),
            trusted_service: "ecs.amazonaws.com".into(),
            managed_policy_arns: vec![INFRASTRUCTURE_POLICY.into()],
            inline_policies: Vec::new(),
            tags: tags.to_vec(),
        },
    )
}

/// The execution role, which pulls the image, writes logs and, when the app has secrets,
/// reads those the plan creates (by their name prefix).
fn execution_role_step(profile: &AppProfile, account: &AccountInfo, names: &Names, tags: &[Tag]) -> Step {
    let secrets_arn = format!(
        "arn:{}:secretsmanager:{}:{}:secret:{}*",
        crate::model::partition(&account.region),
        account.region,
        account.account_id,
        names.secret_prefix
    );
    let has_secrets = profile.secrets().next().is_some();
    step(
        "execution-role",
        Action::CreateRole {
            name: names.execution_role.clone(),
            trusted_service: "ecs-tasks.amazonaws.com".into(),
            managed_policy_arns: vec![TASK_EXECUTION_POLICY.into()],
            inline_policies: has_secrets
                .then(|| InlinePolicy {
                    name: "ferry-read-secrets".into(),
                    document: json!({
                        "Version": "2012-10-17",
                        "Statement": [{
                            "Effect": "Allow",
                            "Action": "secretsmanager:GetSecretValue",
                            "Resource": secrets_arn,
                        }],
                    }),
                })
                .into_iter()
                .collect(),
            tags: tags.to_vec(),
        },
    )
}

/// One secret per secret of the app, its value taken from where the operator gave it or
/// else from the instance's user data.
fn secret_steps(graph: &MigrationGraph, profile: &AppProfile, names: &Names, tags: &[Tag]) -> Vec<Step> {
    profile
        .secrets()
        .map(|secret| {
            step(
                &format!("secret-{}", secret.name.to_ascii_lowercase().replace('_', "-")),
                Action::CreateSecret {
                    name: names.secret(&secret.name),
                    source: match &secret.given {
                        Some(GivenValue::Environment { variable }) => {
                            SecretSource::Environment { variable: variable.clone() }
                        }
                        Some(GivenValue::File { path }) => SecretSource::File { path: path.clone() },
                        None => SecretSource::UserDataVariable {
                            instance_id: graph.instance.id.clone(),
                            variable: secret.name.clone(),
                        },
                    },
                    tags: tags.to_vec(),
                },
            )
        })
        .collect()
}

/// A rule admitting the service's tasks to each data store the app reaches, in a group
/// discovery could read.
fn ingress_steps(graph: &MigrationGraph, names: &Names) -> Vec<Step> {
    let mut steps = Vec::new();
    // One rule per (group, port): stores that share a group, such as an Aurora writer and
    // reader, need it once.
    let mut admitted: Vec<(&str, u16)> = Vec::new();
    for store in &graph.data_stores {
        let group_id = store.ingress_group_id.as_ref().or(store.security_group_ids.first());
        let (Some(port), Some(group_id)) = (store.port, group_id) else { continue };
        // A group whose rules discovery could not read gets no rule: apply could not check
        // it, and the plan already carries the deny for what was not seen.
        if !graph.data_store_groups.iter().any(|g| &g.id == group_id) {
            continue;
        }
        if admitted.contains(&(group_id.as_str(), port)) {
            continue;
        }
        admitted.push((group_id.as_str(), port));
        steps.push(step(
            &format!("ingress-{}-{port}", store.name),
            Action::AuthorizeIngress {
                group_id: group_id.clone(),
                port,
                source_group_id: SERVICE_SECURITY_GROUP.into(),
                description: format!("ferry: {} tasks to {}", names.service, store.name),
            },
        ));
    }
    steps
}

/// What the checks judge besides the steps: readiness blockers, what discovery could not see,
/// the app's port, its Auto Scaling group and the data stores it reaches.
fn context(graph: &MigrationGraph, profile: &AppProfile) -> PlanContext {
    PlanContext {
        blockers: profile
            .findings
            .iter()
            .filter(|f| f.level == FindingLevel::Blocker)
            .map(|f| f.message.clone())
            .collect(),
        unseen: graph.unseen.clone(),
        app_port: Some(AppPort { port: profile.port, source: profile.port_source.to_string() }),
        auto_scaling_group: graph.instance.auto_scaling_group().map(str::to_string),
        data_stores: graph
            .data_stores
            .iter()
            .map(|store| DataStoreReach {
                kind: store.kind,
                name: store.name.clone(),
                port: store.port,
                security_group_ids: store.security_group_ids.clone(),
            })
            .collect(),
        old_stack: Some(old_stack(graph)),
    }
}

/// What the old stack runs on, as the cost of today prices it: the instance, its volumes, its
/// public addresses and the load balancers in front of it.
fn old_stack(graph: &MigrationGraph) -> OldStack {
    // An Elastic IP is also the instance's public IP: each address is paid for once.
    let mut addresses: Vec<&str> = graph.elastic_ips.iter().map(|e| e.public_ip.as_str()).collect();
    addresses.extend(graph.instance.public_ip.as_deref());
    addresses.sort_unstable();
    addresses.dedup();
    let mut load_balancers: Vec<OldBalancer> = Vec::new();
    for route in &graph.routes {
        let balancer = &route.load_balancer;
        if load_balancers.iter().any(|b| b.name == balancer.name) {
            continue;
        }
        load_balancers.push(OldBalancer {
            name: balancer.name.clone(),
            kind: balancer.kind.clone(),
            internet_facing: balancer.scheme == crate::model::Scheme::InternetFacing,
            zones: u32::try_from(balancer.subnet_ids.len()).unwrap_or(u32::MAX),
            // Never 0: the instance's own target group is one of them.
            target_groups: route.balancer_target_groups.max(1),
        });
    }
    OldStack {
        instance_type: graph.instance.instance_type.clone(),
        volumes: graph.volumes.clone(),
        public_ipv4: u32::try_from(addresses.len()).unwrap_or(u32::MAX),
        load_balancers,
    }
}

/// What the steps rely on and the checks judge: the instance and its user data, the network
/// with its zones, the instance role's policies, the rules of every group that guards a data
/// store (a step adds a rule to some of them), the existing roles the service uses, and free
/// names for everything created.
fn assumptions(
    graph: &MigrationGraph,
    steps: &[Step],
    subnet_ids: &[String],
    existing_roles: Vec<Assumption>,
) -> Vec<Assumption> {
    let user_data_sha256 = graph.instance.user_data.as_deref().map(|u| crate::digest::sha256_hex(u.as_bytes()));
    let subnets = subnet_ids
        .iter()
        .map(|id| {
            let subnet = graph.vpc_subnets.iter().find(|s| &s.id == id);
            AssumedSubnet {
                id: id.clone(),
                availability_zone: subnet.map(|s| s.availability_zone.clone()).unwrap_or_default(),
                public: subnet.is_some_and(|s| s.public),
            }
        })
        .collect();
    let mut assumptions = vec![
        Assumption::Instance { instance_id: graph.instance.id.clone(), user_data_sha256 },
        Assumption::Network { vpc_id: graph.instance.vpc_id.clone(), subnets },
    ];
    if let Some(edge) = &graph.role {
        let policies = edge
            .role
            .policies
            .iter()
            .map(|p| AssumedPolicy { name: p.name.clone(), arn: p.arn.clone(), document: p.document.clone() })
            .collect();
        assumptions.push(Assumption::InstanceRole { role_name: edge.role.name.clone(), policies });
    }
    // Only a group discovery saw has known rules; one it could not see is not assumed empty
    // (its rules being unseen is a deny of its own).
    for group in &graph.data_store_groups {
        assumptions.push(Assumption::SecurityGroupRules { group_id: group.id.clone(), rules: group.ingress.clone() });
    }
    assumptions.extend(existing_roles);
    for step in steps {
        if step.action.creates_resource() {
            assumptions.push(Assumption::NameFree { step_id: step.id.clone() });
        }
    }
    assumptions
}
