//! Plain serde data describing an account and what ferry found in it.
//!
//! Nothing here talks to a cloud or draws a screen: every other layer passes these around.

mod app;
mod compute;
mod dns;
mod express;
mod footprint;
mod graph;
mod iam;
mod load_balancing;
mod network;
mod partition;
pub mod placeholders;
mod storage;

pub use app::{
    AppProfile, CodeVariable, EnvVar, Finding, FindingLevel, FrontendBuild, GivenValue, PRODUCTION_REQUIREMENTS,
    PackageManager, PlacedFile, Runtime, VariableScope, is_copyable_path, is_variable_name,
};
pub use compute::{AccountInfo, AutoScalingGroup, Instance};
pub use dns::{
    AliasTarget, CertificateEdge, DnsRecord, ExpressIngress, HostedZone, HostnameEdge, ListenerCertificate, same_host,
};
pub use express::{
    ExpressServiceConfig, KeyValuePair, NetworkConfiguration, PrimaryContainer, ScalingTarget, SecretRef, Tag,
};
pub use footprint::{Alarm, AlarmMetric, ElasticIp, LogGroup, MetricDimension, Snapshot, Volume, arn_region};
pub use graph::{
    AlarmEdge, DataStoreEdge, DataStoreKind, Evidence, EvidenceKind, LogGroupEdge, MigrationGraph, RoleEdge, RouteEdge,
    Unseen,
};
pub use iam::{InstanceProfile, ManagedPolicy, Policy, PolicyKind, Role, service_trust_policy};
pub use load_balancing::{HealthCheck, Listener, LoadBalancer, Scheme, TargetGroup, TargetHealth, TargetState};
pub use network::{IngressRule, RuleSource, SecurityGroup, Subnet, Vpc};
pub use partition::partition;
pub use storage::{Bucket, CacheCluster, DbInstance};
