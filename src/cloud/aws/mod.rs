//! The AWS backend: `ReadCloud` over the AWS SDK for Rust.
//!
//! Every list call follows every page; independent calls run concurrently; throttling and
//! network errors are retried with backoff by the SDK's standard retry strategy and then
//! reported as what they are. Applying changes on AWS (`Cloud`) comes with the apply engine.

mod autoscaling;
mod calls;
mod connect;
mod ec2;
mod elb;
mod errors;
mod iam;
mod stores;

use async_trait::async_trait;

pub use calls::{CallLog, RecordedCall};
pub use connect::{AwsOptions, connect};

use crate::cloud::{CloudResult, Found, ReadCloud};
use crate::model::{
    AccountInfo, AutoScalingGroup, Bucket, CacheCluster, DbInstance, Instance, InstanceProfile, Listener, LoadBalancer,
    Role, SecurityGroup, Subnet, TargetGroup, TargetHealth, Vpc,
};
use crate::plan::Action;

/// An AWS account seen through one set of credentials and one region.
#[derive(Clone)]
pub struct AwsCloud {
    ec2: aws_sdk_ec2::Client,
    elb: aws_sdk_elasticloadbalancingv2::Client,
    iam: aws_sdk_iam::Client,
    rds: aws_sdk_rds::Client,
    elasticache: aws_sdk_elasticache::Client,
    sts: aws_sdk_sts::Client,
    s3: aws_sdk_s3::Client,
    autoscaling: aws_sdk_autoscaling::Client,
    region: String,
    label: String,
    /// Items per page for list calls; `None` lets each service choose.
    page_size: Option<i32>,
    calls: CallLog,
}

impl AwsCloud {
    /// Every call this client has sent, in order.
    pub fn calls(&self) -> &CallLog {
        &self.calls
    }
}

#[async_trait]
impl ReadCloud for AwsCloud {
    async fn account(&self) -> CloudResult<AccountInfo> {
        let identity =
            self.sts.get_caller_identity().send().await.map_err(errors::from_sdk("sts:GetCallerIdentity"))?;
        Ok(AccountInfo {
            account_id: identity.account().unwrap_or_default().to_string(),
            region: self.region.clone(),
            caller_arn: identity.arn().unwrap_or_default().to_string(),
            label: self.label.clone(),
        })
    }

    async fn instances(&self) -> CloudResult<Vec<Instance>> {
        ec2::instances(self).await
    }

    async fn instance(&self, id: &str) -> CloudResult<Instance> {
        ec2::instance(self, id).await
    }

    async fn user_data(&self, id: &str) -> CloudResult<Option<String>> {
        ec2::user_data(self, id).await
    }

    async fn vpcs(&self) -> CloudResult<Vec<Vpc>> {
        ec2::vpcs(self).await
    }

    async fn subnets(&self) -> CloudResult<Vec<Subnet>> {
        ec2::subnets(self).await
    }

    async fn security_groups(&self) -> CloudResult<Vec<SecurityGroup>> {
        ec2::security_groups(self).await
    }

    async fn load_balancers(&self) -> CloudResult<Vec<LoadBalancer>> {
        elb::load_balancers(self).await
    }

    async fn listeners(&self, load_balancer_arn: &str) -> CloudResult<Vec<Listener>> {
        elb::listeners(self, load_balancer_arn).await
    }

    async fn target_groups(&self) -> CloudResult<Vec<TargetGroup>> {
        elb::target_groups(self).await
    }

    async fn target_group_stickiness(&self, target_group_arn: &str) -> CloudResult<Option<String>> {
        elb::stickiness(self, target_group_arn).await
    }

    async fn target_health(&self, target_group_arn: &str) -> CloudResult<Vec<TargetHealth>> {
        elb::target_health(self, target_group_arn).await
    }

    async fn instance_profile(&self, arn_or_name: &str) -> CloudResult<InstanceProfile> {
        iam::instance_profile(self, arn_or_name).await
    }

    async fn role(&self, name: &str) -> CloudResult<Role> {
        iam::role(self, name).await
    }

    async fn roles(&self) -> CloudResult<Vec<Role>> {
        iam::roles(self).await
    }

    async fn db_instances(&self) -> CloudResult<Vec<DbInstance>> {
        stores::db_instances(self).await
    }

    async fn cache_clusters(&self) -> CloudResult<Vec<CacheCluster>> {
        stores::cache_clusters(self).await
    }

    async fn buckets(&self) -> CloudResult<Vec<Bucket>> {
        stores::buckets(self).await
    }

    async fn auto_scaling_group(&self, name: &str) -> CloudResult<Option<AutoScalingGroup>> {
        autoscaling::group(self, name).await
    }

    async fn lookup(&self, action: &Action) -> CloudResult<Option<Found>> {
        let _ = action;
        Err(crate::cloud::CloudError::Other("looking up created resources on AWS is not built yet".into()))
    }
}
