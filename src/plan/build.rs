//! Turning a discovered and analysed migration into ordered steps.

use serde_json::json;

use super::checks::{Check, CheckLevel, HOST_ONLY_POLICIES, run_checks};
use super::{Action, Assumption, InlinePolicy, Plan, PlanHeader, SecretSource, Step};
use crate::generate::Artifacts;
use crate::model::placeholders::{RUN_ID, SERVICE_ARN, SERVICE_SECURITY_GROUP};
use crate::model::{AccountInfo, AppProfile, MigrationGraph, PolicyKind, Tag};

const TASK_EXECUTION_POLICY: &str = "arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy";
const INFRASTRUCTURE_POLICY: &str =
    "arn:aws:iam::aws:policy/service-role/AmazonECSInfrastructureRoleforExpressGatewayServices";
/// How long the wait step gives a first deployment, which can take 10-25 minutes with its
/// canary bake times.
pub const WAIT_ACTIVE_TIMEOUT_SECS: u64 = 40 * 60;

/// `source_dir` is the application's source folder, the image's build context. When the
/// service config names an image outside the repository the plan creates (`--image URI`,
/// or an edit), that image is used as it is: no repository, no build.
pub fn build_plan(
    graph: &MigrationGraph,
    profile: &AppProfile,
    artifacts: &Artifacts,
    account: &AccountInfo,
    source_dir: Option<&str>,
) -> Plan {
    let names = &artifacts.names;
    let tags = vec![Tag::new("ferry:run-id", RUN_ID), Tag::new("ferry:service", &names.service)];
    let step = |id: &str, action: Action| Step { id: id.to_string(), action };
    let mut steps = Vec::new();
    let mut extra_checks = Vec::new();

    let repository_uri =
        format!("{}.dkr.ecr.{}.amazonaws.com/{}", account.account_id, account.region, names.repository);
    let image = &artifacts.service_config.primary_container.image;
    if image.strip_prefix(&repository_uri).is_some_and(|rest| rest.starts_with(':') || rest.starts_with('@')) {
        steps.push(step(
            "ecr-repository",
            Action::CreateEcrRepository { name: names.repository.clone(), tags: tags.clone() },
        ));
        steps.push(step(
            "image",
            Action::BuildAndPushImage {
                context_dir: source_dir.unwrap_or_default().to_string(),
                dockerfile: artifacts.dockerfile.clone(),
                dockerignore: artifacts.dockerignore.clone(),
                dockerfile_sha256: crate::digest::sha256_hex(artifacts.dockerfile.as_bytes()),
                image: image.clone(),
            },
        ));
        if source_dir.is_none() {
            extra_checks.push(Check {
                id: "build-context".into(),
                level: CheckLevel::Warning,
                message: "no source folder: a live apply cannot build the image (give --app DIR, or --image URI)"
                    .into(),
            });
        }
    } else {
        extra_checks.push(Check {
            id: "prebuilt-image".into(),
            level: CheckLevel::Warning,
            message: format!("the service runs {image} as it is: the execution role must be able to pull it"),
        });
    }

    if let Some(edge) = &graph.role {
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
        steps.push(step(
            "task-role",
            Action::CreateRole {
                name: names.task_role.clone(),
                trusted_service: "ecs-tasks.amazonaws.com".into(),
                managed_policy_arns: managed,
                inline_policies: inline,
                tags: tags.clone(),
            },
        ));
    }

    let secrets_arn =
        format!("arn:aws:secretsmanager:{}:{}:secret:{}*", account.region, account.account_id, names.secret_prefix);
    let has_secrets = profile.secrets().next().is_some();
    steps.push(step(
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
            tags: tags.clone(),
        },
    ));
    steps.push(step(
        "infrastructure-role",
        Action::CreateRole {
            name: names.infrastructure_role.clone(),
            trusted_service: "ecs.amazonaws.com".into(),
            managed_policy_arns: vec![INFRASTRUCTURE_POLICY.into()],
            inline_policies: Vec::new(),
            tags: tags.clone(),
        },
    ));

    for secret in profile.secrets() {
        steps.push(step(
            &format!("secret-{}", secret.name.to_ascii_lowercase().replace('_', "-")),
            Action::CreateSecret {
                name: names.secret(&secret.name),
                source: SecretSource::UserDataVariable {
                    instance_id: graph.instance.id.clone(),
                    variable: secret.name.clone(),
                },
                tags: tags.clone(),
            },
        ));
    }

    steps.push(step(
        "service-security-group",
        Action::CreateSecurityGroup {
            name: names.service_security_group.clone(),
            description: format!("ferry: tasks of the Express service {}", names.service),
            vpc_id: graph.instance.vpc_id.clone(),
            tags: tags.clone(),
        },
    ));
    // One rule per (group, port): stores that share a group, such as an Aurora writer and
    // reader, need it once.
    let mut admitted: Vec<(&str, u16)> = Vec::new();
    for store in &graph.data_stores {
        let group_id = store.ingress_group_id.as_ref().or(store.security_group_ids.first());
        let (Some(port), Some(group_id)) = (store.port, group_id) else { continue };
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

    let assumptions = assumptions(graph, &steps, &artifacts.service_config.network_configuration.subnets);
    let mut checks = run_checks(graph, profile, artifacts);
    checks.extend(extra_checks);
    let header = PlanHeader {
        service_name: names.service.clone(),
        source_instance_id: graph.instance.id.clone(),
        account_id: account.account_id.clone(),
        region: account.region.clone(),
    };
    Plan::new(header, steps, assumptions, checks)
}

/// What the steps rely on: the instance and its user data, the network, the rules of every
/// group a step changes, and free names for everything created.
fn assumptions(graph: &MigrationGraph, steps: &[Step], subnet_ids: &[String]) -> Vec<Assumption> {
    let user_data_sha256 = graph.instance.user_data.as_deref().map(|u| crate::digest::sha256_hex(u.as_bytes()));
    let mut assumptions = vec![
        Assumption::Instance { instance_id: graph.instance.id.clone(), user_data_sha256 },
        Assumption::Network { vpc_id: graph.instance.vpc_id.clone(), subnet_ids: subnet_ids.to_vec() },
    ];
    for step in steps {
        // Only a group discovery saw has known rules; one it could not see is not assumed empty.
        if let Action::AuthorizeIngress { group_id, .. } = &step.action
            && let Some(group) = graph.data_store_groups.iter().find(|g| &g.id == group_id)
        {
            let assumed = Assumption::SecurityGroupRules { group_id: group_id.clone(), rules: group.ingress.clone() };
            if !assumptions.contains(&assumed) {
                assumptions.push(assumed);
            }
        }
        if step.action.has_inverse() && !matches!(step.action, Action::AuthorizeIngress { .. }) {
            assumptions.push(Assumption::NameFree { step_id: step.id.clone() });
        }
    }
    assumptions
}
