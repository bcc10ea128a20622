//! What a plan was made from that its steps do not show and the account cannot confirm at
//! apply time: the readiness blockers analysis found, what discovery could not see, the port
//! the app listens on, the data stores it reaches. The checks judge these with the steps, so
//! a plan's judgement is a function of its content alone and is computed again on every read.

use serde::{Deserialize, Serialize};

use crate::model::{DataStoreKind, Unseen, Volume};

/// What the plan was made from besides the account's state: saved in the plan, so its
/// checks can be judged again from the file alone.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlanContext {
    /// Readiness blockers in the application, one sentence each.
    pub blockers: Vec<String>,
    /// What discovery could not read, with the permission that was missing.
    pub unseen: Vec<Unseen>,
    /// The port the application listens on, and where that was read.
    pub app_port: Option<AppPort>,
    /// The Auto Scaling group the instance belongs to.
    pub auto_scaling_group: Option<String>,
    /// The data stores the application reaches; their groups' rules are assumptions.
    pub data_stores: Vec<DataStoreReach>,
    /// What the old stack runs on, for the cost of today. Absent from plans of an older ferry,
    /// and then left out of the file, so their hashes stay what they were.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub old_stack: Option<OldStack>,
}

/// The old stack's footprint as discovery saw it: what is priced as today's cost. Saved in the
/// plan (and covered by its hash) so the estimate is computed from the plan's content alone.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct OldStack {
    /// The instance's type, e.g. `t3.medium`. The region is the plan's own.
    pub instance_type: String,
    /// The instance's EBS volumes; empty when discovery could not list them.
    #[serde(default)]
    pub volumes: Vec<Volume>,
    /// Public IPv4 addresses on the instance: its public IP and Elastic IPs, each counted once.
    #[serde(default)]
    pub public_ipv4: u32,
    /// The load balancers that send the instance traffic, each once.
    #[serde(default)]
    pub load_balancers: Vec<OldBalancer>,
}

/// A load balancer in front of the old instance, and how many services share it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OldBalancer {
    /// Its name.
    pub name: String,
    /// `application` or `network`, as ELB names the kind.
    pub kind: String,
    /// Whether it is internet-facing: each zone's node then holds a public IPv4 address.
    pub internet_facing: bool,
    /// The availability zones it is enabled in.
    pub zones: u32,
    /// How many target groups it sends traffic to: the services that share its cost.
    pub target_groups: u32,
}

/// The port the application listens on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AppPort {
    /// As analysis read it; a service config whose `containerPort` differs gets a warning.
    pub port: u16,
    /// Where it was read, e.g. `server.js:12`.
    pub source: String,
}

/// A data store the application talks to, and the security groups that guard it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DataStoreReach {
    /// Which AWS service the store belongs to.
    pub kind: DataStoreKind,
    /// The DB instance identifier, cache cluster id or bucket name.
    pub name: String,
    /// The port it listens on; `None` for S3.
    pub port: Option<u16>,
    /// The security groups attached to it; empty for S3.
    pub security_group_ids: Vec<String>,
}
