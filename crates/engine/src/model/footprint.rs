//! What the old stack holds besides the instance itself, and what it costs: the volumes,
//! addresses and snapshots that a decommission lists and a cost estimate prices.

use serde::{Deserialize, Serialize};

/// An EBS volume attached to the instance.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Volume {
    /// The volume id (`vol-...`).
    pub id: String,
    /// Its size in GiB.
    pub size_gib: u32,
    /// `gp3`, `gp2`, `io1`, `io2`, `st1`, `sc1` or `standard`.
    pub volume_type: String,
    /// Provisioned IOPS, where the type has them.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub iops: Option<u32>,
    /// Provisioned throughput in MiB/s (gp3).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub throughput: Option<u32>,
    /// Whether it is deleted with the instance.
    #[serde(default)]
    pub delete_on_termination: bool,
}

/// An EBS snapshot taken of one of the instance's volumes, owned by the account.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Snapshot {
    /// The snapshot id (`snap-...`).
    pub id: String,
    /// The volume it was taken of.
    pub volume_id: String,
    /// The volume's size when it was taken, in GiB (the upper bound of what it stores).
    pub size_gib: u32,
    /// When it was started, as EC2 reports it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub started: Option<String>,
}

/// An Elastic IP address associated with the instance.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ElasticIp {
    /// The allocation id (`eipalloc-...`).
    pub allocation_id: String,
    /// The public address.
    pub public_ip: String,
}
