use serde::{Deserialize, Serialize};

use super::{
    AutoScalingGroup, Bucket, CacheCluster, DbInstance, Instance, InstanceProfile, Listener, LoadBalancer, Role,
    SecurityGroup, Subnet, TargetGroup, TargetHealth, Vpc,
};

/// Everything one instance depends on, each edge with the evidence that found it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MigrationGraph {
    pub instance: Instance,
    pub vpc: Option<Vpc>,
    /// Every subnet of the instance's VPC: the service needs two of them.
    pub vpc_subnets: Vec<Subnet>,
    pub security_groups: Vec<SecurityGroup>,
    pub routes: Vec<RouteEdge>,
    pub role: Option<RoleEdge>,
    pub data_stores: Vec<DataStoreEdge>,
    /// The security groups of those data stores, with their current rules: what the plan
    /// changes, checks for open ingress, and assumes unchanged at apply time.
    #[serde(default)]
    pub data_store_groups: Vec<SecurityGroup>,
    /// The instance's Auto Scaling group, when it is in one.
    #[serde(default)]
    pub auto_scaling_group: Option<AutoScalingGroup>,
    /// What discovery could not look at, and why.
    pub unseen: Vec<Unseen>,
}

impl MigrationGraph {
    /// The subnet the instance runs in.
    pub fn instance_subnet(&self) -> Option<&Subnet> {
        self.vpc_subnets.iter().find(|s| s.id == self.instance.subnet_id)
    }
}

/// How traffic reaches the instance: load balancer › listener › target group › target.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RouteEdge {
    pub load_balancer: LoadBalancer,
    pub listeners: Vec<Listener>,
    pub target_group: TargetGroup,
    /// The instance's own registration in the target group.
    pub target: TargetHealth,
    pub evidence: Vec<Evidence>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RoleEdge {
    pub instance_profile: InstanceProfile,
    pub role: Role,
    pub evidence: Vec<Evidence>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DataStoreKind {
    Rds,
    ElastiCache,
    S3,
}

impl DataStoreKind {
    pub fn label(self) -> &'static str {
        match self {
            DataStoreKind::Rds => "RDS",
            DataStoreKind::ElastiCache => "ElastiCache",
            DataStoreKind::S3 => "S3",
        }
    }
}

/// A data store the instance talks to.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DataStoreEdge {
    pub kind: DataStoreKind,
    pub name: String,
    pub arn: String,
    /// `postgres 15.4`, `redis 7.1`, or empty for S3.
    pub engine: String,
    pub endpoint: Option<String>,
    pub port: Option<u16>,
    pub security_group_ids: Vec<String>,
    /// The store's security group whose rule admits the instance: the one the service's
    /// tasks must be admitted by too.
    pub ingress_group_id: Option<String>,
    pub evidence: Vec<Evidence>,
}

impl DataStoreEdge {
    pub fn from_db(db: &DbInstance, evidence: Vec<Evidence>) -> Self {
        DataStoreEdge {
            kind: DataStoreKind::Rds,
            name: db.identifier.clone(),
            arn: db.arn.clone(),
            engine: format!("{} {}", db.engine, db.engine_version),
            endpoint: Some(db.endpoint.clone()),
            port: Some(db.port),
            security_group_ids: db.security_group_ids.clone(),
            ingress_group_id: None,
            evidence,
        }
    }

    /// An S3 bucket: no network path, reached through IAM.
    pub fn from_bucket(bucket: &Bucket, evidence: Vec<Evidence>) -> Self {
        DataStoreEdge {
            kind: DataStoreKind::S3,
            name: bucket.name.clone(),
            arn: bucket.arn(),
            engine: String::new(),
            endpoint: None,
            port: None,
            security_group_ids: Vec::new(),
            ingress_group_id: None,
            evidence,
        }
    }

    pub fn from_cache(cache: &CacheCluster, evidence: Vec<Evidence>) -> Self {
        DataStoreEdge {
            kind: DataStoreKind::ElastiCache,
            name: cache.id.clone(),
            arn: cache.arn.clone(),
            engine: format!("{} {}", cache.engine, cache.engine_version),
            endpoint: Some(cache.endpoint.clone()),
            port: Some(cache.port),
            security_group_ids: cache.security_group_ids.clone(),
            ingress_group_id: None,
            evidence,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EvidenceKind {
    /// The instance is a registered target.
    TargetRegistration,
    /// A listener forwards to the target group.
    ListenerForward,
    /// The instance profile carries the role.
    InstanceProfile,
    /// A security group rule admits the instance's group.
    SecurityGroupRule,
    /// An environment variable names the store's host.
    EnvironmentHost,
    /// A policy document names the resource.
    PolicyResource,
}

/// Why ferry believes an edge exists, in words an operator can check.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Evidence {
    pub kind: EvidenceKind,
    pub text: String,
}

impl Evidence {
    pub fn new(kind: EvidenceKind, text: impl Into<String>) -> Self {
        Evidence { kind, text: text.into() }
    }
}

/// Something discovery could not see: the rest of the graph is still valid.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Unseen {
    pub what: String,
    pub reason: String,
    /// The IAM action that would have let ferry see it, when known.
    pub missing_action: Option<String>,
}
