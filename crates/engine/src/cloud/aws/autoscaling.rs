//! EC2 Auto Scaling: the group an instance belongs to, so the service runs as many copies.

use super::AwsCloud;
use super::errors::from_sdk;
use crate::cloud::CloudResult;
use crate::model::AutoScalingGroup;

pub async fn group(cloud: &AwsCloud, name: &str) -> CloudResult<Option<AutoScalingGroup>> {
    let output = cloud
        .autoscaling
        .describe_auto_scaling_groups()
        .auto_scaling_group_names(name)
        .send()
        .await
        .map_err(from_sdk("autoscaling:DescribeAutoScalingGroups"))?;
    let count = |n: Option<i32>| n.and_then(|n| u32::try_from(n).ok()).unwrap_or(0);
    Ok(output.auto_scaling_groups().iter().find(|g| g.auto_scaling_group_name() == Some(name)).map(|g| {
        AutoScalingGroup {
            name: name.to_string(),
            min_size: count(g.min_size()),
            max_size: count(g.max_size()),
            desired_capacity: count(g.desired_capacity()),
            availability_zones: g.availability_zones().to_vec(),
        }
    }))
}
