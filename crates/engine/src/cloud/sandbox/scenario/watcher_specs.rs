//! Scenario tables for what watches the old stack: CloudWatch alarms and log groups, which
//! a decommission lists with the rest of it.

use std::collections::{BTreeMap, BTreeSet};

use serde::Deserialize;

/// `[[alarms]]`: a CloudWatch metric alarm on one metric. Its dimensions are given as they
/// are, or by naming a load balancer or target group of the scenario, whose dimension derives
/// from an ARN the sandbox makes up.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AlarmSpec {
    /// The alarm's name, unique in the scenario.
    pub name: String,
    /// `AWS/EC2`, `AWS/ApplicationELB`, ...
    pub namespace: String,
    /// The metric: `CPUUtilization`, `HTTPCode_Target_5XX_Count`, ...
    pub metric: String,
    /// Dimensions as they are: `{ InstanceId = "i-0a1b2c3d4e5f60718" }`.
    #[serde(default)]
    pub dimensions: BTreeMap<String, String>,
    /// A `[[load_balancers]]` name: adds its `LoadBalancer` dimension (`app/NAME/ID`).
    pub load_balancer: Option<String>,
    /// A `[[target_groups]]` name: adds its `TargetGroup` dimension (`targetgroup/NAME/ID`).
    pub target_group: Option<String>,
    /// Seconds per data point: 10, 30 or a multiple of 60; 300 by default.
    #[serde(default = "five_minutes")]
    pub period: u32,
}

fn five_minutes() -> u32 {
    300
}

/// `[[log_groups]]`: a CloudWatch Logs log group.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LogGroupSpec {
    /// The group's name, e.g. `/ec2/shop-api/i-0a1b2c3d4e5f60718`.
    pub name: String,
    /// What it stores, in bytes; 0 by default.
    #[serde(default)]
    pub stored_bytes: u64,
    /// Days its events are kept; forever by default.
    pub retention_days: Option<u32>,
}

/// The retention periods CloudWatch Logs accepts, in days.
const RETENTION_DAYS: [u32; 22] =
    [1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653];

/// Names unique and well formed, named load balancers and target groups defined.
pub(super) fn validate_watchers(
    alarms: &[AlarmSpec],
    log_groups: &[LogGroupSpec],
    balancers: &BTreeSet<&str>,
    target_groups: &BTreeSet<&str>,
) -> Result<(), String> {
    super::unique("alarms", "name", alarms.iter().map(|a| a.name.as_str()))?;
    for (i, alarm) in alarms.iter().enumerate() {
        let at = format!("alarms[{i}]");
        for (field, value) in [("name", &alarm.name), ("namespace", &alarm.namespace), ("metric", &alarm.metric)] {
            if value.trim().is_empty() {
                return Err(format!("{at}.{field} is empty"));
            }
        }
        if let Some(lb) = &alarm.load_balancer {
            super::check(&format!("{at}.load_balancer"), lb, balancers, "load balancer")?;
        }
        if let Some(tg) = &alarm.target_group {
            super::check(&format!("{at}.target_group"), tg, target_groups, "target group")?;
        }
        for (named, dimension) in [(&alarm.load_balancer, "LoadBalancer"), (&alarm.target_group, "TargetGroup")] {
            if named.is_some() && alarm.dimensions.contains_key(dimension) {
                return Err(format!("{at}: give the {dimension} dimension once, by name or in dimensions"));
            }
        }
        if !matches!(alarm.period, 10 | 30) && (alarm.period == 0 || !alarm.period.is_multiple_of(60)) {
            return Err(format!("{at}.period: {} is not 10, 30 or a multiple of 60", alarm.period));
        }
    }
    super::unique("log_groups", "name", log_groups.iter().map(|g| g.name.as_str()))?;
    for (i, group) in log_groups.iter().enumerate() {
        let at = format!("log_groups[{i}]");
        if !is_log_group_name(&group.name) {
            return Err(format!(
                "{at}.name: {:?} is not a log group name (1 to 512 of letters, digits and . - _ / #)",
                group.name
            ));
        }
        if let Some(days) = group.retention_days.filter(|d| !RETENTION_DAYS.contains(d)) {
            return Err(format!("{at}.retention_days: {days} is not a retention CloudWatch Logs offers"));
        }
    }
    Ok(())
}

/// What CloudWatch Logs accepts as a group name.
pub(crate) fn is_log_group_name(name: &str) -> bool {
    (1..=512).contains(&name.len())
        && name.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-' | b'_' | b'/' | b'#'))
}
