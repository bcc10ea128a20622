//! What the old stack holds besides the instance itself, and what it costs: the volumes,
//! addresses and snapshots that a decommission lists and a cost estimate prices, and the
//! CloudWatch alarms and log groups that watch it.

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

/// A CloudWatch metric alarm, with every metric it evaluates: what decides whether it
/// watches the old stack, and what it costs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Alarm {
    /// The alarm's name, unique in its account and region.
    pub name: String,
    /// Its ARN (`arn:aws:cloudwatch:REGION:ACCOUNT:alarm:NAME`): the region it is in.
    pub arn: String,
    /// One metric for a single-metric alarm; each metric a metric math alarm queries.
    pub metrics: Vec<AlarmMetric>,
}

/// One metric an alarm evaluates.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AlarmMetric {
    /// `AWS/EC2`, `AWS/ApplicationELB`, or a custom namespace.
    pub namespace: String,
    /// `CPUUtilization`, `HTTPCode_Target_5XX_Count`, ...
    pub name: String,
    /// What the metric is about: `InstanceId`, `LoadBalancer`, `TargetGroup`, ...
    #[serde(default)]
    pub dimensions: Vec<MetricDimension>,
    /// Seconds per data point; under 60 is a high-resolution alarm, priced higher.
    #[serde(default = "minute")]
    pub period_seconds: u32,
}

fn minute() -> u32 {
    60
}

/// A metric's dimension as CloudWatch names it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MetricDimension {
    /// `InstanceId`, `LoadBalancer`, `TargetGroup`, `AutoScalingGroupName`, ...
    pub name: String,
    /// The resource's id as the metric names it (`app/NAME/ID` for a load balancer).
    pub value: String,
}

/// A CloudWatch Logs log group.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LogGroup {
    /// The group's name (`/ec2/shop-api`).
    pub name: String,
    /// Its ARN, without the `:*` that DescribeLogGroups appends: the region it is in.
    pub arn: String,
    /// What it stores, in bytes, as CloudWatch Logs reports it: what its storage costs.
    #[serde(default)]
    pub stored_bytes: u64,
    /// Days its events are kept; `None` keeps them forever.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub retention_days: Option<u32>,
}

/// The region an ARN names (`arn:PARTITION:SERVICE:REGION:...`), when it names one.
pub fn arn_region(arn: &str) -> Option<&str> {
    let mut parts = arn.split(':');
    (parts.next() == Some("arn")).then_some(())?;
    parts.nth(2).filter(|region| !region.is_empty())
}
