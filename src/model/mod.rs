//! Plain serde data describing an account and what ferry found in it.
//!
//! Nothing here talks to a cloud or draws a screen: every other layer passes these around.

mod compute;
mod graph;
mod iam;
mod load_balancing;
mod network;
mod storage;

pub use compute::{AccountInfo, Instance};
pub use graph::{
    DataStoreEdge, DataStoreKind, Evidence, EvidenceKind, MigrationGraph, RoleEdge, RouteEdge,
    Unseen,
};
pub use iam::{InstanceProfile, ManagedPolicy, Policy, PolicyKind, Role};
pub use load_balancing::{
    HealthCheck, Listener, LoadBalancer, Scheme, TargetGroup, TargetHealth, TargetState,
};
pub use network::{IngressRule, RuleSource, SecurityGroup, Subnet, Vpc};
pub use storage::{Bucket, CacheCluster, DbInstance};
