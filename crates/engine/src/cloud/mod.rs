//! The only code that talks to a cloud.
//!
//! `ReadCloud` describes an account and cannot change it; `Cloud` adds `execute`, the single
//! door through which every change passes as a `plan::Action`. Read-only front ends are handed
//! a `ReadCloud` and so have no way to change anything.

pub mod aws;
mod error;
pub mod sandbox;

use async_trait::async_trait;

pub use error::{CloudError, CloudResult};

use crate::model::{
    AccountInfo, Alarm, AutoScalingGroup, Bucket, CacheCluster, DbInstance, DnsRecord, ElasticIp, ExpressIngress,
    HostedZone, Instance, InstanceProfile, Listener, ListenerCertificate, LoadBalancer, LogGroup, Role, SecurityGroup,
    Snapshot, Subnet, TargetGroup, TargetHealth, Volume, Vpc,
};
use crate::plan::{Action, ActionOutput, Plan};

/// What a create action made, found in the account by the name or rule the action gives.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Found {
    /// The same values executing the action returns (ids, ARNs), so later steps and the
    /// inverse work as if the call had answered.
    pub output: ActionOutput,
    /// The resource's `ferry:run-id` tag: which run made it. `None` for what takes no tags
    /// (an ingress rule, whose source group tells whose it is) or a resource ferry did not make.
    pub run_id: Option<String>,
}

/// An Express service as `verify` judges it: its status, its tasks and its latest deployment.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct ServiceState {
    /// `ACTIVE`, `DRAINING` or `INACTIVE`.
    pub status: String,
    /// Why the service has that status, when ECS says.
    pub status_reason: Option<String>,
    /// Tasks running now.
    pub running_tasks: u32,
    /// Tasks the service wants running.
    pub desired_tasks: u32,
    /// Tasks starting.
    pub pending_tasks: u32,
    /// The primary deployment's rollout: `COMPLETED`, `IN_PROGRESS` or `FAILED`; `None` when
    /// no deployment is known.
    pub deployment: Option<String>,
    /// Why the rollout is where it is, when ECS says.
    pub deployment_reason: Option<String>,
}

/// Describe and list calls. Implementations return every page, never only the first.
#[async_trait]
pub trait ReadCloud: Send + Sync {
    /// Whose account the credentials reach and where: account id, region, caller ARN and the
    /// label the header shows.
    async fn account(&self) -> CloudResult<AccountInfo>;
    /// Every EC2 instance in the region. Their user data may be absent: `user_data` reads it.
    async fn instances(&self) -> CloudResult<Vec<Instance>>;
    /// One instance. Its user data may be absent: `user_data` reads it (another permission).
    async fn instance(&self, id: &str) -> CloudResult<Instance>;
    /// The instance's user data, decoded, with every secret masked.
    async fn user_data(&self, id: &str) -> CloudResult<Option<String>>;
    /// Every VPC, with its CIDR block and Name tag.
    async fn vpcs(&self) -> CloudResult<Vec<Vpc>>;
    /// Every subnet, marked public when its route table sends traffic to an internet gateway.
    async fn subnets(&self) -> CloudResult<Vec<Subnet>>;
    /// Every security group with its inbound rules, one rule per source.
    async fn security_groups(&self) -> CloudResult<Vec<SecurityGroup>>;
    /// Every Elastic Load Balancing v2 load balancer, with its scheme, subnets and security groups.
    async fn load_balancers(&self) -> CloudResult<Vec<LoadBalancer>>;
    /// The listeners of one load balancer, each with the target groups it forwards to.
    async fn listeners(&self, load_balancer_arn: &str) -> CloudResult<Vec<Listener>>;
    /// Every target group, with its health check and the load balancers that use it. Its
    /// stickiness may be absent: `target_group_stickiness` reads it.
    async fn target_groups(&self) -> CloudResult<Vec<TargetGroup>>;
    /// The targets registered in one target group, each with its port and health.
    async fn target_health(&self, target_group_arn: &str) -> CloudResult<Vec<TargetHealth>>;
    /// The stickiness type when the group keeps sticky sessions, else `None`.
    async fn target_group_stickiness(&self, target_group_arn: &str) -> CloudResult<Option<String>>;
    /// The instance profile by ARN or name.
    async fn instance_profile(&self, arn_or_name: &str) -> CloudResult<InstanceProfile>;
    /// The role with its attached and inline policies, documents decoded.
    async fn role(&self, name: &str) -> CloudResult<Role>;
    /// Every role, without its policies (read one in full with `role`).
    async fn roles(&self) -> CloudResult<Vec<Role>>;
    /// RDS instances and Aurora clusters; a cluster stands for its members, as its endpoint is
    /// what applications name.
    async fn db_instances(&self) -> CloudResult<Vec<DbInstance>>;
    /// ElastiCache clusters; a replication group stands for its member clusters, as its primary
    /// endpoint is what applications name.
    async fn cache_clusters(&self) -> CloudResult<Vec<CacheCluster>>;
    /// Every S3 bucket the account owns, with its region.
    async fn buckets(&self) -> CloudResult<Vec<Bucket>>;
    /// Every Route 53 hosted zone the account owns (a global service: any region sees them).
    async fn hosted_zones(&self) -> CloudResult<Vec<HostedZone>>;
    /// Every record in one hosted zone, exactly as Route 53 lists it.
    async fn records(&self, zone_id: &str) -> CloudResult<Vec<DnsRecord>>;
    /// The certificates a listener serves: its default one and those it serves by SNI.
    async fn listener_certificates(&self, listener_arn: &str) -> CloudResult<Vec<ListenerCertificate>>;
    /// The host names a certificate covers: its domain name, then its other subject
    /// alternative names. `None` for a certificate whose names cannot be read, such as an IAM
    /// server certificate (IAM keeps only its body, which ferry does not parse); a certificate
    /// that is not there is `NotFound`.
    async fn certificate_domains(&self, certificate_arn: &str) -> CloudResult<Option<Vec<String>>>;
    /// The EBS volumes attached to an instance.
    async fn volumes(&self, instance_id: &str) -> CloudResult<Vec<Volume>>;
    /// The account's own snapshots of these volumes.
    async fn snapshots(&self, volume_ids: &[String]) -> CloudResult<Vec<Snapshot>>;
    /// The Elastic IP addresses associated with an instance.
    async fn elastic_ips(&self, instance_id: &str) -> CloudResult<Vec<ElasticIp>>;
    /// Every CloudWatch metric alarm in the region, with the metrics it evaluates. Alarms
    /// name resources only inside their metrics' dimensions, which no API filters on, so
    /// discovery reads them all and keeps those naming the old stack.
    async fn alarms(&self) -> CloudResult<Vec<Alarm>>;
    /// Every CloudWatch Logs log group in the region, with what it stores. Discovery keeps
    /// those that evidence ties to the instance.
    async fn log_groups(&self) -> CloudResult<Vec<LogGroup>>;
    /// How an Express service is reached: its load balancer, listener and rule, with the host
    /// names and certificates they have now.
    async fn express_ingress(&self, service_arn: &str) -> CloudResult<ExpressIngress>;
    /// An Auto Scaling group by name; `None` when there is no such group.
    async fn auto_scaling_group(&self, name: &str) -> CloudResult<Option<AutoScalingGroup>>;
    /// What the create action `action` (placeholders filled) would make, if it already exists:
    /// how a plan learns a name is taken, and how a crashed run learns whether a call it never
    /// heard back from took effect. `None` for actions that create nothing (waits, builds,
    /// deletes).
    async fn lookup(&self, action: &Action) -> CloudResult<Option<Found>>;
    /// The Express service's status, task counts and deployment; `None` when there is no
    /// such service.
    async fn express_service_state(&self, service_arn: &str) -> CloudResult<Option<ServiceState>>;
    /// One application load balancer's figures over `window` (ending at the last whole minute)
    /// for a health gate: requests, 5xx, p95 target response time, and, with a target group,
    /// its lowest healthy and highest unhealthy host count. A figure with no data point is
    /// zero requests or `None`, not an error; an ARN that is no ALB's is `Invalid`.
    async fn load_balancer_metrics(
        &self,
        load_balancer_arn: &str,
        target_group_arn: Option<&str>,
        window: crate::gate::Window,
    ) -> CloudResult<crate::gate::LoadBalancerMetrics>;
    /// Where an HTTP probe of `host` is really sent: `None` on a real account (the network
    /// decides), a local base URL (`http://127.0.0.1:PORT`) on a sandbox, whose endpoints are
    /// local servers; an error when the sandbox has no endpoint of that name.
    async fn probe_route(&self, host: &str) -> CloudResult<Option<String>> {
        let _ = host;
        Ok(None)
    }
}

/// Where a running action reports what it is waiting for (deployment stages, polls).
pub type ProgressSink<'a> = &'a (dyn Fn(String) + Send + Sync);

/// An account ferry may change, one `Action` at a time.
#[async_trait]
pub trait Cloud: ReadCloud {
    /// Carry out one action. Deleting something already gone succeeds: inverses are idempotent.
    async fn execute(&self, action: &Action, progress: ProgressSink<'_>) -> CloudResult<ActionOutput>;

    /// What would make this plan fail on this machine and account before any step runs (no
    /// container CLI to build with, a build context that is gone): said before apply, not during.
    async fn preflight(&self, plan: &Plan) -> Vec<String> {
        let _ = plan;
        Vec::new()
    }
}
