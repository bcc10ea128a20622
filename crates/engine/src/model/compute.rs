use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// Who and where ferry is talking to: shown in the header of every screen.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccountInfo {
    /// The 12-digit AWS account id.
    pub account_id: String,
    /// The region everything is read from and created in (`eu-west-1`).
    pub region: String,
    /// The ARN of the identity ferry calls AWS as, from STS `GetCallerIdentity`.
    pub caller_arn: String,
    /// A short human label: the scenario name in the sandbox, the profile on a live account.
    pub label: String,
}

/// The Auto Scaling group an instance belongs to: how many copies of the app run, at least
/// and at most, which the service's task counts follow.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AutoScalingGroup {
    /// The group's name, as the instance's `aws:autoscaling:groupName` tag gives it.
    pub name: String,
    /// The fewest instances the group keeps running.
    pub min_size: u32,
    /// The most instances the group scales out to.
    pub max_size: u32,
    /// How many instances the group aims to run now.
    pub desired_capacity: u32,
    /// The zones the group launches instances in (`eu-west-1a`).
    pub availability_zones: Vec<String>,
}

/// An EC2 instance as ferry needs it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Instance {
    /// The instance id (`i-0abc...`).
    pub id: String,
    /// The `Name` tag, if any.
    pub name: Option<String>,
    /// The EC2 instance type (`t3.small`, `m5.large`), which the task size is derived from.
    pub instance_type: String,
    /// EC2's state name: `pending`, `running`, `stopping`, `stopped`...
    pub state: String,
    /// The zone the instance runs in (`eu-west-1a`).
    pub availability_zone: String,
    /// The private IPv4 address, when it has one.
    pub private_ip: Option<String>,
    /// The public IPv4 address, when it has one.
    pub public_ip: Option<String>,
    /// The VPC the instance runs in (`vpc-...`).
    pub vpc_id: String,
    /// The subnet the instance runs in (`subnet-...`).
    pub subnet_id: String,
    /// The security groups attached to the instance (`sg-...`).
    pub security_group_ids: Vec<String>,
    /// The ARN of the instance profile that gives the instance its IAM role, if any.
    pub instance_profile_arn: Option<String>,
    /// Every tag on the instance, by key.
    pub tags: BTreeMap<String, String>,
    /// Decoded user data. After discovery, secrets in it are masked.
    pub user_data: Option<String>,
}

impl Instance {
    /// The name to show: the `Name` tag or else the id.
    pub fn display_name(&self) -> &str {
        self.name.as_deref().unwrap_or(&self.id)
    }

    /// The Auto Scaling group the instance belongs to, from the tag AWS puts on its members.
    pub fn auto_scaling_group(&self) -> Option<&str> {
        self.tags.get("aws:autoscaling:groupName").map(String::as_str)
    }
}
