use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// Who and where ferry is talking to: shown in the header of every screen.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccountInfo {
    pub account_id: String,
    pub region: String,
    pub caller_arn: String,
    /// A short human label: the scenario name in the sandbox, the profile on a live account.
    pub label: String,
}

/// The Auto Scaling group an instance belongs to: how many copies of the app run, at least
/// and at most, which the service's task counts follow.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AutoScalingGroup {
    pub name: String,
    pub min_size: u32,
    pub max_size: u32,
    pub desired_capacity: u32,
    pub availability_zones: Vec<String>,
}

/// An EC2 instance as ferry needs it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Instance {
    pub id: String,
    /// The `Name` tag, if any.
    pub name: Option<String>,
    pub instance_type: String,
    pub state: String,
    pub availability_zone: String,
    pub private_ip: Option<String>,
    pub public_ip: Option<String>,
    pub vpc_id: String,
    pub subnet_id: String,
    pub security_group_ids: Vec<String>,
    pub instance_profile_arn: Option<String>,
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
