use serde::{Deserialize, Serialize};

use super::{
    Alarm, AutoScalingGroup, Bucket, CacheCluster, CertificateEdge, DbInstance, ElasticIp, HostnameEdge, Instance,
    InstanceProfile, Listener, LoadBalancer, LogGroup, Role, SecurityGroup, Snapshot, Subnet, TargetGroup,
    TargetHealth, Volume, Vpc,
};

/// Everything one instance depends on, each edge with the evidence that found it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MigrationGraph {
    /// The instance being migrated, its user data masked.
    pub instance: Instance,
    /// The instance's VPC; `None` when the VPCs could not be read.
    pub vpc: Option<Vpc>,
    /// Every subnet of the instance's VPC: the service needs two of them.
    pub vpc_subnets: Vec<Subnet>,
    /// The security groups attached to the instance, with their rules.
    pub security_groups: Vec<SecurityGroup>,
    /// Every way load balancer traffic reaches the instance: one edge per load balancer and
    /// target group it is registered behind; empty when nothing routes to it.
    pub routes: Vec<RouteEdge>,
    /// The IAM role the instance runs as, through its instance profile; `None` when it has none
    /// or it could not be read.
    pub role: Option<RoleEdge>,
    /// The databases, caches and buckets the instance talks to.
    pub data_stores: Vec<DataStoreEdge>,
    /// The security groups of those data stores, with their current rules: what the plan
    /// changes, checks for open ingress, and assumes unchanged at apply time.
    #[serde(default)]
    pub data_store_groups: Vec<SecurityGroup>,
    /// The instance's Auto Scaling group, when it is in one.
    #[serde(default)]
    pub auto_scaling_group: Option<AutoScalingGroup>,
    /// The hostnames in the account's hosted zones that send clients to the old load
    /// balancers: what a cutover moves.
    #[serde(default)]
    pub hostnames: Vec<HostnameEdge>,
    /// The certificates the old load balancers' listeners serve.
    #[serde(default)]
    pub certificates: Vec<CertificateEdge>,
    /// The instance's EBS volumes.
    #[serde(default)]
    pub volumes: Vec<Volume>,
    /// The account's snapshots of those volumes.
    #[serde(default)]
    pub snapshots: Vec<Snapshot>,
    /// The Elastic IP addresses associated with the instance.
    #[serde(default)]
    pub elastic_ips: Vec<ElasticIp>,
    /// The CloudWatch alarms whose metrics name the instance, its load balancer, target group
    /// or Auto Scaling group.
    #[serde(default)]
    pub alarms: Vec<AlarmEdge>,
    /// The CloudWatch Logs groups the instance writes to, as far as evidence shows.
    #[serde(default)]
    pub log_groups: Vec<LogGroupEdge>,
    /// What discovery could not look at, and why.
    pub unseen: Vec<Unseen>,
}

impl MigrationGraph {
    /// The subnet the instance runs in.
    pub fn instance_subnet(&self) -> Option<&Subnet> {
        self.vpc_subnets.iter().find(|s| s.id == self.instance.subnet_id)
    }
}

/// How traffic reaches the instance: load balancer › listener › target group › target.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RouteEdge {
    /// The load balancer the traffic arrives at.
    pub load_balancer: LoadBalancer,
    /// The load balancer's listeners that forward to the target group.
    pub listeners: Vec<Listener>,
    /// The target group the instance is registered in.
    pub target_group: TargetGroup,
    /// The instance's own registration in the target group.
    pub target: TargetHealth,
    /// The registration, and each listener that forwards to the group.
    pub evidence: Vec<Evidence>,
    /// How many target groups the load balancer sends traffic to, this one included: the
    /// services that share its cost.
    #[serde(default = "one")]
    pub balancer_target_groups: u32,
}

fn one() -> u32 {
    1
}

/// The IAM role the instance runs as, whose permissions the service's task role takes over.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RoleEdge {
    /// The instance profile attached to the instance.
    pub instance_profile: InstanceProfile,
    /// The profile's role, with its policies.
    pub role: Role,
    /// The instance profile carrying the role.
    pub evidence: Vec<Evidence>,
}

/// A CloudWatch alarm that watches the old stack: it goes when the old stack does.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AlarmEdge {
    /// The alarm, with the metrics it evaluates.
    pub alarm: Alarm,
    /// Each dimension that names a part of the old stack.
    pub evidence: Vec<Evidence>,
}

/// A log group the old stack writes to.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LogGroupEdge {
    /// The group, with what it stores.
    pub log_group: LogGroup,
    /// Its name holding the instance id, or the user data line that names it.
    pub evidence: Vec<Evidence>,
}

/// The AWS service a data store belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DataStoreKind {
    /// An RDS database instance.
    Rds,
    /// An ElastiCache cluster (Redis, Valkey or Memcached).
    ElastiCache,
    /// An S3 bucket.
    S3,
}

impl DataStoreKind {
    /// The service's name as AWS writes it: `RDS`, `ElastiCache`, `S3`.
    pub fn label(self) -> &'static str {
        match self {
            DataStoreKind::Rds => "RDS",
            DataStoreKind::ElastiCache => "ElastiCache",
            DataStoreKind::S3 => "S3",
        }
    }
}

/// A data store the instance talks to.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DataStoreEdge {
    /// Which service the store belongs to.
    pub kind: DataStoreKind,
    /// The DB instance identifier, cache cluster id or bucket name.
    pub name: String,
    /// The store's ARN.
    pub arn: String,
    /// `postgres 15.4`, `redis 7.1`, or empty for S3.
    pub engine: String,
    /// The host name the app connects to; `None` for S3.
    pub endpoint: Option<String>,
    /// The port the store listens on; `None` for S3.
    pub port: Option<u16>,
    /// The security groups attached to the store; empty for S3.
    pub security_group_ids: Vec<String>,
    /// The store's security group whose rule admits the instance: the one the service's
    /// tasks must be admitted by too.
    pub ingress_group_id: Option<String>,
    /// The security group rules, environment variables and policies that show the instance
    /// uses the store.
    pub evidence: Vec<Evidence>,
}

impl DataStoreEdge {
    /// An RDS instance, reached over the network; `ingress_group_id` is left for the caller.
    pub fn from_db(db: &DbInstance, evidence: Vec<Evidence>) -> Self {
        DataStoreEdge {
            kind: DataStoreKind::Rds,
            name: db.identifier.clone(),
            arn: db.arn.clone(),
            engine: format!("{} {}", db.engine, db.engine_version),
            endpoint: Some(db.endpoint.clone()),
            port: Some(db.port),
            security_group_ids: db.security_group_ids.clone(),
            ingress_group_id: None,
            evidence,
        }
    }

    /// An S3 bucket: no network path, reached through IAM.
    pub fn from_bucket(bucket: &Bucket, evidence: Vec<Evidence>) -> Self {
        DataStoreEdge {
            kind: DataStoreKind::S3,
            name: bucket.name.clone(),
            arn: bucket.arn(),
            engine: String::new(),
            endpoint: None,
            port: None,
            security_group_ids: Vec::new(),
            ingress_group_id: None,
            evidence,
        }
    }

    /// An ElastiCache cluster, reached over the network; `ingress_group_id` is left for the
    /// caller.
    pub fn from_cache(cache: &CacheCluster, evidence: Vec<Evidence>) -> Self {
        DataStoreEdge {
            kind: DataStoreKind::ElastiCache,
            name: cache.id.clone(),
            arn: cache.arn.clone(),
            engine: format!("{} {}", cache.engine, cache.engine_version),
            endpoint: Some(cache.endpoint.clone()),
            port: Some(cache.port),
            security_group_ids: cache.security_group_ids.clone(),
            ingress_group_id: None,
            evidence,
        }
    }
}

/// What kind of fact an edge's evidence is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EvidenceKind {
    /// The instance is a registered target.
    TargetRegistration,
    /// A listener forwards to the target group.
    ListenerForward,
    /// The instance profile carries the role.
    InstanceProfile,
    /// A security group rule admits the instance's group.
    SecurityGroupRule,
    /// An environment variable names the store's host.
    EnvironmentHost,
    /// A policy document names the resource.
    PolicyResource,
    /// A DNS record in a hosted zone points at the load balancer.
    DnsRecord,
    /// A listener serves the certificate.
    ListenerCertificate,
    /// An alarm's metric dimension names the instance, its load balancer, target group or
    /// Auto Scaling group.
    AlarmDimension,
    /// A log group's name holds the instance id.
    LogGroupName,
    /// The user data (a CloudWatch agent config, a Docker `awslogs` option) names the log group.
    UserDataLogGroup,
}

/// Why ferry believes an edge exists, in words an operator can check.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Evidence {
    /// What kind of fact it is.
    pub kind: EvidenceKind,
    /// The fact in a sentence naming what to look at (`policy app-s3 names arn:aws:s3:::shop/*`).
    pub text: String,
}

impl Evidence {
    /// Evidence of `kind`, in the words of `text`.
    pub fn new(kind: EvidenceKind, text: impl Into<String>) -> Self {
        Evidence { kind, text: text.into() }
    }
}

/// Something discovery could not see: the rest of the graph is still valid.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Unseen {
    /// What could not be read, in words: `user data`, `targets of NAME`, `document of policy NAME`.
    pub what: String,
    /// The error the cloud gave, as text.
    pub reason: String,
    /// The IAM action that would have let ferry see it, when known.
    pub missing_action: Option<String>,
}

impl Unseen {
    // The parts of the old stack discovery reads only to retire it and to price today: not
    // seeing them leaves what the plan makes whole, so they warn instead of deny.
    /// The instance's EBS volumes.
    pub const EBS_VOLUMES: &'static str = "EBS volumes";
    /// The snapshots of its volumes.
    pub const EBS_SNAPSHOTS: &'static str = "EBS snapshots";
    /// Its Elastic IPs.
    pub const ELASTIC_IPS: &'static str = "Elastic IPs";
    /// The alarms that watch the old stack.
    pub const ALARMS: &'static str = "CloudWatch alarms";
    /// The log groups the instance writes to.
    pub const LOG_GROUPS: &'static str = "CloudWatch log groups";

    /// How an unseen certificate's names are named: `names of certificate ARN`. They matter
    /// to a cutover, which then cannot confirm the certificate covers the host names, not to
    /// what the migration plan makes.
    pub const CERTIFICATE_NAMES: &'static str = "names of certificate";

    /// Whether what was not seen matters only to the old stack's retirement and cost.
    pub fn only_for_retirement(&self) -> bool {
        [Self::EBS_VOLUMES, Self::EBS_SNAPSHOTS, Self::ELASTIC_IPS, Self::ALARMS, Self::LOG_GROUPS]
            .contains(&self.what.as_str())
    }

    /// What not seeing it costs when that is not the plan itself, for a warning; `None` when
    /// the plan may lack what depends on it.
    pub fn later_consequence(&self) -> Option<&'static str> {
        if self.only_for_retirement() {
            Some("the old stack's checklist and today's cost will miss them")
        } else if self.what.starts_with(Self::CERTIFICATE_NAMES) {
            Some("a cutover cannot confirm the certificate covers the host names, and warns when it reuses it")
        } else {
            None
        }
    }
}
