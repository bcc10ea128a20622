//! What a plan was made from that its steps do not show and the account cannot confirm at
//! apply time: the readiness blockers analysis found, what discovery could not see, the port
//! the app listens on, the data stores it reaches. The checks judge these with the steps, so
//! a plan's judgement is a function of its content alone and is computed again on every read.

use serde::{Deserialize, Serialize};

use crate::model::{DataStoreKind, Unseen};

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
