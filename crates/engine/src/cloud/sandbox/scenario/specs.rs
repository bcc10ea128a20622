//! The resources a scenario describes, one table each, as their authors write them.

use std::collections::BTreeMap;

use serde::Deserialize;

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct VpcSpec {
    pub id: String,
    pub cidr: String,
    pub name: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SubnetSpec {
    pub id: String,
    pub vpc_id: String,
    pub cidr: String,
    pub availability_zone: String,
    #[serde(default)]
    pub public: bool,
    pub name: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SecurityGroupSpec {
    pub id: String,
    pub name: String,
    pub vpc_id: String,
    #[serde(default)]
    pub description: String,
    #[serde(default)]
    pub ingress: Vec<IngressSpec>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IngressSpec {
    #[serde(default = "tcp")]
    pub protocol: String,
    /// A single port; or give `from_port` and `to_port`.
    pub port: Option<u16>,
    pub from_port: Option<u16>,
    pub to_port: Option<u16>,
    pub source_group: Option<String>,
    pub cidr: Option<String>,
}

fn tcp() -> String {
    "tcp".into()
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct InstanceSpec {
    pub id: String,
    pub name: Option<String>,
    pub instance_type: String,
    #[serde(default = "running")]
    pub state: String,
    pub subnet_id: String,
    pub private_ip: Option<String>,
    pub public_ip: Option<String>,
    #[serde(default)]
    pub security_group_ids: Vec<String>,
    /// Name of an instance profile in this scenario.
    pub instance_profile: Option<String>,
    #[serde(default)]
    pub tags: BTreeMap<String, String>,
    pub user_data: Option<String>,
}

fn running() -> String {
    "running".into()
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LoadBalancerSpec {
    pub name: String,
    #[serde(default = "internet_facing")]
    pub scheme: String,
    pub subnet_ids: Vec<String>,
    #[serde(default)]
    pub security_group_ids: Vec<String>,
    #[serde(default)]
    pub listeners: Vec<ListenerSpec>,
}

fn internet_facing() -> String {
    "internet-facing".into()
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ListenerSpec {
    pub protocol: String,
    pub port: u16,
    pub certificate_arn: Option<String>,
    /// Name of the target group the default action forwards to.
    pub forward_to: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TargetGroupSpec {
    pub name: String,
    #[serde(default = "http")]
    pub protocol: String,
    pub port: u16,
    pub vpc_id: String,
    #[serde(default = "instance")]
    pub target_type: String,
    pub health_check_path: Option<String>,
    /// Sticky sessions: `lb_cookie` or `app_cookie`.
    pub stickiness: Option<String>,
    #[serde(default)]
    pub targets: Vec<TargetSpec>,
}

fn http() -> String {
    "HTTP".into()
}

fn instance() -> String {
    "instance".into()
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TargetSpec {
    pub id: String,
    pub port: Option<u16>,
    #[serde(default = "healthy")]
    pub health: String,
}

fn healthy() -> String {
    "healthy".into()
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct InstanceProfileSpec {
    pub name: String,
    pub role: String,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RoleSpec {
    pub name: String,
    #[serde(default = "ec2")]
    pub trusted_service: String,
    #[serde(default)]
    pub managed_policies: Vec<String>,
    #[serde(default)]
    pub inline_policies: Vec<InlinePolicySpec>,
}

fn ec2() -> String {
    "ec2.amazonaws.com".into()
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct InlinePolicySpec {
    pub name: String,
    /// The policy document as JSON text.
    pub document: String,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ManagedPolicySpec {
    pub arn: String,
    pub document: String,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DatabaseSpec {
    pub identifier: String,
    pub engine: String,
    pub engine_version: String,
    pub endpoint: String,
    pub port: u16,
    pub vpc_id: String,
    #[serde(default)]
    pub security_group_ids: Vec<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CacheSpec {
    pub id: String,
    pub engine: String,
    pub engine_version: String,
    pub endpoint: String,
    pub port: u16,
    #[serde(default)]
    pub security_group_ids: Vec<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BucketSpec {
    pub name: String,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AutoScalingGroupSpec {
    pub name: String,
    pub min_size: u32,
    pub max_size: u32,
    /// Defaults to the number of member instances.
    pub desired_capacity: Option<u32>,
    /// Member instances: they get the `aws:autoscaling:groupName` tag, as AWS tags them.
    #[serde(default)]
    pub instance_ids: Vec<String>,
}
