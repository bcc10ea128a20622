//! The sandbox account's contents, built from a scenario and changed by actions.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::model::{
    Alarm, AutoScalingGroup, Bucket, CacheCluster, DbInstance, DnsRecord, ElasticIp, ExpressServiceConfig, HostedZone,
    Instance, InstanceProfile, Listener, ListenerCertificate, LoadBalancer, LogGroup, ManagedPolicy, SecurityGroup,
    Snapshot, Subnet, Tag, TargetGroup, TargetHealth, Volume, Vpc,
};

/// An IAM role in the sandbox account, from the scenario or created by an apply.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SandboxRole {
    /// `arn:aws:iam::ACCOUNT:role/NAME`.
    pub arn: String,
    /// The role name, unique in the account.
    pub name: String,
    /// Who may assume the role: a policy allowing `sts:AssumeRole` to one service principal.
    pub trust_policy: Value,
    /// Attached managed policies; their documents are in `AccountState::managed_policies`.
    pub managed_policy_arns: Vec<String>,
    /// Inline policy documents by policy name.
    pub inline_policies: BTreeMap<String, Value>,
    /// Tags from the action that created it (`ferry:run-id` among them); none for scenario roles.
    pub tags: Vec<Tag>,
}

/// An ECR repository an apply created.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Repository {
    /// `arn:aws:ecr:REGION:ACCOUNT:repository/NAME`.
    pub arn: String,
    /// What images are pushed to: `ACCOUNT.dkr.ecr.REGION.amazonaws.com/NAME`.
    pub uri: String,
    /// Tags from the action that created it.
    pub tags: Vec<Tag>,
    /// Image tags pushed to it.
    #[serde(default)]
    pub images: Vec<String>,
}

/// A stored secret. The sandbox keeps no value, only a keyed fingerprint of it, so neither its
/// saved account file nor a snapshot holds a secret or anything a guess can be checked
/// against; tests compare fingerprints with [`super::Sandbox::secret_digest`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StoredSecret {
    /// `arn:aws:secretsmanager:REGION:ACCOUNT:secret:NAME-XXXXXX`, the suffix stable per name.
    pub arn: String,
    /// HMAC-SHA256 of the value under the sandbox's digest key (see `digest_key`).
    pub value_hmac: String,
    /// Tags from the action that created it.
    pub tags: Vec<Tag>,
}

/// An ECS Express Mode service an apply created.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ExpressService {
    /// `arn:aws:ecs:REGION:ACCOUNT:service/CLUSTER/NAME`.
    pub arn: String,
    /// The configuration it was created with, exactly as the action gave it.
    pub config: ExpressServiceConfig,
    /// The service's status: `ACTIVE` from creation on, as on ECS, while `polls_left` tracks
    /// the first deployment.
    pub status: String,
    /// The HTTPS URL the service answers on, `https://NAME-XXXXXXXX.ecs.REGION.on.aws`.
    pub endpoint: String,
    /// Polls left before the first deployment completes.
    pub polls_left: u32,
    /// Host names its listener rule matches besides its endpoint's: what a cutover adds.
    #[serde(default)]
    pub extra_hosts: Vec<String>,
    /// Certificates its load balancer's listener serves besides the Express one.
    #[serde(default)]
    pub extra_certificates: Vec<String>,
}

/// Everything in the account. Two states compare equal exactly when the accounts hold the
/// same resources, which is how tests prove a rollback left nothing behind.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AccountState {
    /// The scenario's VPCs.
    pub vpcs: Vec<Vpc>,
    /// The scenario's subnets, each public or not as the scenario says.
    pub subnets: Vec<Subnet>,
    /// The scenario's security groups, and those an apply created, with their inbound rules.
    pub security_groups: Vec<SecurityGroup>,
    /// The scenario's instances. Their user data is the scenario's own, unmasked, except in a
    /// saved account ([`AccountState::without_secrets`]); every `ReadCloud` call masks it.
    pub instances: Vec<Instance>,
    /// The scenario's load balancers.
    pub load_balancers: Vec<LoadBalancer>,
    /// The listeners of every load balancer, each naming its load balancer's ARN.
    pub listeners: Vec<Listener>,
    /// The scenario's target groups.
    pub target_groups: Vec<TargetGroup>,
    /// The registered targets and their health, by target group ARN.
    pub target_health: BTreeMap<String, Vec<TargetHealth>>,
    /// The scenario's instance profiles, each carrying one role.
    pub instance_profiles: Vec<InstanceProfile>,
    /// IAM roles by name: the scenario's, and those an apply created.
    pub roles: BTreeMap<String, SandboxRole>,
    /// The scenario's managed policies by ARN, with their documents.
    pub managed_policies: BTreeMap<String, ManagedPolicy>,
    /// The scenario's RDS instances.
    pub db_instances: Vec<DbInstance>,
    /// The scenario's ElastiCache clusters.
    pub cache_clusters: Vec<CacheCluster>,
    /// The scenario's S3 buckets, all in the account's region.
    pub buckets: Vec<Bucket>,
    /// The scenario's Auto Scaling groups.
    pub auto_scaling_groups: Vec<AutoScalingGroup>,
    /// ECR repositories an apply created, by repository name.
    pub repositories: BTreeMap<String, Repository>,
    /// Secrets Manager secrets an apply created, by secret name.
    pub secrets: BTreeMap<String, StoredSecret>,
    /// Express Mode services an apply created, by service ARN.
    pub express_services: BTreeMap<String, ExpressService>,
    /// The scenario's Route 53 hosted zones.
    #[serde(default)]
    pub hosted_zones: Vec<HostedZone>,
    /// Every zone's records, by zone id, in the order Route 53 lists them.
    #[serde(default)]
    pub records: BTreeMap<String, Vec<DnsRecord>>,
    /// The certificates each listener serves, by listener ARN.
    #[serde(default)]
    pub listener_certificates: BTreeMap<String, Vec<ListenerCertificate>>,
    /// The names each ACM certificate of the scenario covers, by certificate ARN.
    #[serde(default)]
    pub certificate_domains: BTreeMap<String, Vec<String>>,
    /// Each instance's EBS volumes, by instance id.
    #[serde(default)]
    pub volumes: BTreeMap<String, Vec<Volume>>,
    /// Snapshots of those volumes.
    #[serde(default)]
    pub snapshots: Vec<Snapshot>,
    /// Elastic IPs, by the instance they are associated with.
    #[serde(default)]
    pub elastic_ips: BTreeMap<String, Vec<ElasticIp>>,
    /// The scenario's CloudWatch metric alarms.
    #[serde(default)]
    pub alarms: Vec<Alarm>,
    /// The scenario's CloudWatch Logs log groups.
    #[serde(default)]
    pub log_groups: Vec<LogGroup>,
}

impl AccountState {
    /// The account as it is written to disk: every instance's user data masked as every
    /// reader sees it, so the saved file holds no secret. The sandbox puts the scenario's
    /// own user data back when it loads the file.
    pub fn without_secrets(&self) -> AccountState {
        let mut account = self.clone();
        for instance in &mut account.instances {
            instance.user_data = instance.user_data.as_deref().map(|u| crate::userdata::redact(u).text);
        }
        account
    }
}

/// 16 hex digits derived from a name, for ARNs and DNS names that look real and stay stable.
pub fn stable_suffix(seed: &str) -> String {
    crate::digest::sha256_hex(seed.as_bytes())[..16].to_string()
}
