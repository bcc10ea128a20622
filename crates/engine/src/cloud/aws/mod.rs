//! The AWS backend: `ReadCloud` over the AWS SDK for Rust.
//!
//! Every list call follows every page; independent calls run concurrently; throttling and
//! network errors are retried with backoff by the SDK's standard retry strategy and then
//! reported as what they are. `execute` applies a plan's actions (`Cloud`); `lookup` finds
//! what a create action made, without changing anything.

mod acm;
mod audit_anchor;
mod autoscaling;
mod calls;
mod connect;
mod ec2;
mod elb;
mod errors;
mod execute;
mod express_ingress;
mod iam;
mod lookup;
mod metrics;
mod old_stack;
mod route53;
mod service_state;
mod stores;
mod watchers;

use std::sync::Arc;
use std::time::Duration;

use async_trait::async_trait;

pub use audit_anchor::{CloudWatchAnchor, check_log_group_name};
pub use calls::{CallLog, RecordedCall};
pub use connect::{AwsOptions, connect};

use crate::cloud::{CloudResult, Found, ReadCloud, ServiceState};
use crate::model::{
    AccountInfo, Alarm, AutoScalingGroup, Bucket, CacheCluster, DbInstance, DnsRecord, ElasticIp, ExpressIngress,
    HostedZone, Instance, InstanceProfile, Listener, ListenerCertificate, LoadBalancer, LogGroup, Role, SecurityGroup,
    Snapshot, Subnet, TargetGroup, TargetHealth, Volume, Vpc,
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
    ecr: aws_sdk_ecr::Client,
    ecs: aws_sdk_ecs::Client,
    secrets: aws_sdk_secretsmanager::Client,
    /// CloudWatch Logs: the audit log's anchor, and the old stack's log groups.
    logs: aws_sdk_cloudwatchlogs::Client,
    /// Route 53: where the app's hostnames point.
    route53: aws_sdk_route53::Client,
    /// ACM: the names the old listener's certificates cover, which a cutover checks.
    acm: aws_sdk_acm::Client,
    /// CloudWatch: the load balancers' metrics for the cutover's health gates, and the old
    /// stack's alarms.
    cloudwatch: aws_sdk_cloudwatch::Client,
    region: String,
    label: String,
    /// Items per page for list calls; `None` lets each service choose.
    page_size: Option<i32>,
    /// Time between polls while waiting for an Express service.
    poll_interval: Duration,
    /// The account's id, asked of STS once (Express service ARNs are built from it).
    account_id: Arc<tokio::sync::OnceCell<String>>,
    calls: CallLog,
}

impl AwsCloud {
    /// Every call this client has sent, in order.
    pub fn calls(&self) -> &CallLog {
        &self.calls
    }

    /// The same account with another ECS client: how tests put a mocked client (aws-smithy-mocks)
    /// in front of the Express Mode operations, which no emulator serves.
    #[doc(hidden)]
    pub fn with_ecs_client(mut self, ecs: aws_sdk_ecs::Client) -> Self {
        self.ecs = ecs;
        self
    }

    /// The same account with its id already known, so no STS call is needed to learn it.
    #[doc(hidden)]
    pub fn with_account_id(mut self, account_id: &str) -> Self {
        self.account_id = Arc::new(tokio::sync::OnceCell::new_with(Some(account_id.to_string())));
        self
    }

    /// The account's id, from STS the first time.
    async fn account_id(&self) -> CloudResult<String> {
        let id = self
            .account_id
            .get_or_try_init(|| async {
                let identity =
                    self.sts.get_caller_identity().send().await.map_err(errors::from_sdk("sts:GetCallerIdentity"))?;
                Ok::<_, crate::cloud::CloudError>(identity.account().unwrap_or_default().to_string())
            })
            .await?;
        Ok(id.clone())
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

    async fn hosted_zones(&self) -> CloudResult<Vec<HostedZone>> {
        route53::hosted_zones(self).await
    }

    async fn records(&self, zone_id: &str) -> CloudResult<Vec<DnsRecord>> {
        route53::records(self, zone_id).await
    }

    async fn listener_certificates(&self, listener_arn: &str) -> CloudResult<Vec<ListenerCertificate>> {
        old_stack::listener_certificates(self, listener_arn).await
    }

    async fn certificate_domains(&self, certificate_arn: &str) -> CloudResult<Option<Vec<String>>> {
        acm::certificate_domains(self, certificate_arn).await
    }

    async fn volumes(&self, instance_id: &str) -> CloudResult<Vec<Volume>> {
        old_stack::volumes(self, instance_id).await
    }

    async fn snapshots(&self, volume_ids: &[String]) -> CloudResult<Vec<Snapshot>> {
        old_stack::snapshots(self, volume_ids).await
    }

    async fn elastic_ips(&self, instance_id: &str) -> CloudResult<Vec<ElasticIp>> {
        old_stack::elastic_ips(self, instance_id).await
    }

    async fn alarms(&self) -> CloudResult<Vec<Alarm>> {
        watchers::alarms(self).await
    }

    async fn log_groups(&self) -> CloudResult<Vec<LogGroup>> {
        watchers::log_groups(self).await
    }

    async fn express_ingress(&self, service_arn: &str) -> CloudResult<ExpressIngress> {
        express_ingress::express_ingress(self, service_arn).await
    }

    async fn lookup(&self, action: &Action) -> CloudResult<Option<Found>> {
        lookup::lookup(self, action).await
    }

    async fn express_service_state(&self, service_arn: &str) -> CloudResult<Option<ServiceState>> {
        service_state::express_service_state(self, service_arn).await
    }

    async fn load_balancer_metrics(
        &self,
        load_balancer_arn: &str,
        target_group_arn: Option<&str>,
        window: crate::gate::Window,
    ) -> CloudResult<crate::gate::LoadBalancerMetrics> {
        metrics::load_balancer_metrics(self, load_balancer_arn, target_group_arn, window).await
    }
}
