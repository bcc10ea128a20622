//! The Express Mode service config, shaped exactly as
//! `aws ecs create-express-gateway-service --cli-input-json` takes it.

use serde::{Deserialize, Serialize};

/// The whole input of `create-express-gateway-service`: the one file that describes the
/// service ferry creates.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ExpressServiceConfig {
    /// The ECS service's name, also the ECR repository's (see `generate::Names`).
    pub service_name: String,
    /// The ECS cluster the service runs in; ferry uses `default`.
    pub cluster: String,
    /// The container the service runs: image, port, environment and secrets.
    pub primary_container: PrimaryContainer,
    /// The ARN of the role ECS uses to pull the image, write logs and read the service's
    /// secrets.
    pub execution_role_arn: String,
    /// The ARN of the role ECS uses to create and manage the service's load balancer, security
    /// groups and scaling on the account's behalf.
    pub infrastructure_role_arn: String,
    /// The ARN of the role the app itself calls AWS as, carrying the instance role's
    /// permissions; `None` when the instance had no role.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub task_role_arn: Option<String>,
    /// The path the load balancer's health check requests (`/health`).
    pub health_check_path: String,
    /// Fargate cpu units, as a string (`"1024"` is one vCPU).
    pub cpu: String,
    /// Task memory in MiB, as a string (`"2048"`).
    pub memory: String,
    /// The subnets and security groups the tasks run in.
    pub network_configuration: NetworkConfiguration,
    /// How many tasks run, and the metric that scales between them.
    pub scaling_target: ScalingTarget,
    /// Tags put on the service; ferry's own (`ferry:run-id`, `ferry:source-instance`) among them.
    #[serde(default)]
    pub tags: Vec<Tag>,
}

/// The service's one container.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct PrimaryContainer {
    /// The image URI and tag (`ACCOUNT.dkr.ecr.REGION.amazonaws.com/NAME:latest`).
    pub image: String,
    /// The port the app listens on, which the load balancer sends traffic to.
    pub container_port: u16,
    /// Overrides the image's command, as exec-form words; empty to run the image's own.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub command: Vec<String>,
    /// Plain environment variables, `PORT` among them.
    #[serde(default)]
    pub environment: Vec<KeyValuePair>,
    /// Environment variables whose values ECS reads from Secrets Manager when a task starts.
    #[serde(default)]
    pub secrets: Vec<SecretRef>,
}

/// One plain environment variable of the container.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct KeyValuePair {
    /// The variable's name.
    pub name: String,
    /// Its value, as the container sees it.
    pub value: String,
}

/// One environment variable whose value ECS reads from Secrets Manager.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct SecretRef {
    /// The variable's name, as the container sees it.
    pub name: String,
    /// The secret's ARN, or a placeholder for the ARN of a secret the plan creates.
    pub value_from: String,
}

/// Where the tasks run in the VPC.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct NetworkConfiguration {
    /// Security group ids for the tasks, or the placeholder of the one the plan creates.
    pub security_groups: Vec<String>,
    /// Subnet ids, one per availability zone, public or private as the old load balancer was.
    pub subnets: Vec<String>,
}

/// The task counts the service scales between, and what it scales on.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ScalingTarget {
    /// The fewest tasks that run; ferry writes at least 2, so each of two zones has one.
    pub min_task_count: u32,
    /// The most tasks the service scales out to.
    pub max_task_count: u32,
    /// `AVERAGE_CPU`, `AVERAGE_MEMORY` or `REQUEST_COUNT_PER_TARGET`.
    pub auto_scaling_metric: String,
    /// The value of the metric scaling holds the service at: a percentage for CPU and memory,
    /// requests per task for the request count.
    pub auto_scaling_target_value: u32,
}

/// One tag on the service.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Tag {
    /// The tag's key (`ferry:run-id`).
    pub key: String,
    /// The tag's value.
    pub value: String,
}

impl Tag {
    /// A tag from borrowed text.
    pub fn new(key: &str, value: &str) -> Self {
        Tag { key: key.to_string(), value: value.to_string() }
    }
}
