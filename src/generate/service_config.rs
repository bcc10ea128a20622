//! The Express Mode service config, shaped exactly as
//! `aws ecs create-express-gateway-service --cli-input-json` takes it.

use serde::{Deserialize, Serialize};

use super::{Names, RUN_ID_PLACEHOLDER, task_size};
use crate::analyze::AppProfile;
use crate::model::{AccountInfo, MigrationGraph, Scheme, Subnet};

/// Filled in at apply time with the id of the security group the plan creates.
pub const SERVICE_SECURITY_GROUP_PLACEHOLDER: &str = "${service-security-group.groupId}";

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ExpressServiceConfig {
    pub service_name: String,
    pub cluster: String,
    pub primary_container: PrimaryContainer,
    pub execution_role_arn: String,
    pub infrastructure_role_arn: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub task_role_arn: Option<String>,
    pub health_check_path: String,
    pub cpu: String,
    pub memory: String,
    pub network_configuration: NetworkConfiguration,
    pub scaling_target: ScalingTarget,
    #[serde(default)]
    pub tags: Vec<Tag>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct PrimaryContainer {
    pub image: String,
    pub container_port: u16,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub command: Vec<String>,
    #[serde(default)]
    pub environment: Vec<KeyValuePair>,
    #[serde(default)]
    pub secrets: Vec<SecretRef>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct KeyValuePair {
    pub name: String,
    pub value: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct SecretRef {
    pub name: String,
    pub value_from: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct NetworkConfiguration {
    pub security_groups: Vec<String>,
    pub subnets: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ScalingTarget {
    pub min_task_count: u32,
    pub max_task_count: u32,
    /// `AVERAGE_CPU`, `AVERAGE_MEMORY` or `REQUEST_COUNT_PER_TARGET`.
    pub auto_scaling_metric: String,
    pub auto_scaling_target_value: f64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Tag {
    pub key: String,
    pub value: String,
}

impl Tag {
    pub fn new(key: &str, value: &str) -> Self {
        Tag {
            key: key.to_string(),
            value: value.to_string(),
        }
    }
}

/// Builds the config from what discovery and analysis found.
pub fn service_config(
    graph: &MigrationGraph,
    profile: &AppProfile,
    account: &AccountInfo,
    names: &Names,
) -> ExpressServiceConfig {
    let iam = |role: &str| format!("arn:aws:iam::{}:role/{role}", account.account_id);
    let size = task_size(&graph.instance.instance_type);
    let environment = profile
        .env
        .iter()
        .filter_map(|var| {
            Some(KeyValuePair {
                name: var.name.clone(),
                value: var.value.clone()?,
            })
        })
        .collect();
    let secrets = profile
        .secrets()
        .map(|var| SecretRef {
            name: var.name.clone(),
            value_from: format!(
                "arn:aws:secretsmanager:{}:{}:secret:{}",
                account.region,
                account.account_id,
                names.secret(&var.name)
            ),
        })
        .collect();

    ExpressServiceConfig {
        service_name: names.service.clone(),
        cluster: "default".into(),
        primary_container: PrimaryContainer {
            image: format!(
                "{}.dkr.ecr.{}.amazonaws.com/{}:latest",
                account.account_id, account.region, names.repository
            ),
            container_port: profile.port,
            command: Vec::new(),
            environment,
            secrets,
        },
        execution_role_arn: iam(&names.execution_role),
        infrastructure_role_arn: iam(&names.infrastructure_role),
        task_role_arn: graph.role.as_ref().map(|_| iam(&names.task_role)),
        health_check_path: profile.health_check_path.clone(),
        cpu: size.cpu.to_string(),
        memory: size.memory.to_string(),
        network_configuration: NetworkConfiguration {
            security_groups: vec![SERVICE_SECURITY_GROUP_PLACEHOLDER.into()],
            subnets: service_subnets(graph)
                .into_iter()
                .map(|s| s.id.clone())
                .collect(),
        },
        scaling_target: ScalingTarget {
            min_task_count: 1,
            max_task_count: 4,
            auto_scaling_metric: "AVERAGE_CPU".into(),
            auto_scaling_target_value: 60.0,
        },
        tags: vec![
            Tag::new("ferry:run-id", RUN_ID_PLACEHOLDER),
            Tag::new("ferry:source-instance", &graph.instance.id),
        ],
    }
}

/// Whether the service should be reachable from the internet: it is when the old ALB was.
pub fn wants_public(graph: &MigrationGraph) -> bool {
    graph
        .routes
        .iter()
        .any(|r| r.load_balancer.scheme == Scheme::InternetFacing)
}

/// One subnet per availability zone, public or private as the old load balancer was.
pub fn service_subnets(graph: &MigrationGraph) -> Vec<&Subnet> {
    let public = wants_public(graph);
    let mut chosen: Vec<&Subnet> = Vec::new();
    for subnet in graph.vpc_subnets.iter().filter(|s| s.public == public) {
        if !chosen
            .iter()
            .any(|c| c.availability_zone == subnet.availability_zone)
        {
            chosen.push(subnet);
        }
    }
    chosen
}
