//! The resources a scenario describes, one table each, as their authors write them.

use std::collections::BTreeMap;

use serde::Deserialize;

/// `[[vpcs]]`: one VPC.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct VpcSpec {
    /// VPC id, e.g. `vpc-0c4f1a2b3d5e6f708`; unique among VPCs.
    pub id: String,
    /// The VPC's CIDR block, e.g. `10.20.0.0/16`.
    pub cidr: String,
    /// The Name shown for the VPC; none by default.
    pub name: Option<String>,
}

/// `[[subnets]]`: one subnet. The instances in it take its VPC and availability zone.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SubnetSpec {
    /// Subnet id; unique among subnets.
    pub id: String,
    /// The VPC it belongs to: a `[[vpcs]]` id.
    pub vpc_id: String,
    /// The subnet's CIDR block, e.g. `10.20.1.0/24`.
    pub cidr: String,
    /// The zone it is in, e.g. `us-east-1a`.
    pub availability_zone: String,
    /// Whether it routes to an internet gateway; `false` by default. A plan puts an
    /// internet-facing app in public subnets, any other in private ones.
    #[serde(default)]
    pub public: bool,
    /// The Name shown for the subnet; none by default.
    pub name: Option<String>,
}

/// `[[security_groups]]`: one security group and its inbound rules.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SecurityGroupSpec {
    /// Group id, e.g. `sg-0a1b2c3d4e5f6a7b8`; unique among security groups.
    pub id: String,
    /// The group's name, shown beside its id (`shop-db (sg-...)`).
    pub name: String,
    /// The VPC it belongs to: a `[[vpcs]]` id.
    pub vpc_id: String,
    /// The group's description; empty by default.
    #[serde(default)]
    pub description: String,
    /// Inbound rules; none by default.
    #[serde(default)]
    pub ingress: Vec<IngressSpec>,
}

/// One inbound rule: what it admits, on which ports. Give exactly one of `source_group` and
/// `cidr`, and `port` or both `from_port` and `to_port` (unless `protocol` is `-1`).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IngressSpec {
    /// `tcp` (the default), `udp`, or `-1` for all traffic, which may leave out ports to
    /// cover every port.
    #[serde(default = "tcp")]
    pub protocol: String,
    /// A single port; or give `from_port` and `to_port`.
    pub port: Option<u16>,
    /// First port of a range, included; ignored when `port` is given.
    pub from_port: Option<u16>,
    /// Last port of a range, included; ignored when `port` is given.
    pub to_port: Option<u16>,
    /// Admits members of this group: a `[[security_groups]]` id, possibly the group itself.
    /// Such a rule covering a store's port is evidence that the app uses the store.
    pub source_group: Option<String>,
    /// Admits this address range, e.g. `0.0.0.0/0`. Never evidence of a dependency.
    pub cidr: Option<String>,
}

fn tcp() -> String {
    "tcp".into()
}

/// `[[instances]]`: one EC2 instance. Its VPC and availability zone come from its subnet.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct InstanceSpec {
    /// Instance id, e.g. `i-0a1b2c3d4e5f60718`; unique among instances.
    pub id: String,
    /// The instance's name, also set as its `Name` tag. The service is named after it,
    /// without an environment suffix (`shop-api-prod` gives `shop-api`).
    pub name: Option<String>,
    /// The EC2 type, e.g. `t3.small`: the size after the dot (`micro`, `small`, `large`...)
    /// sizes the Fargate task.
    pub instance_type: String,
    /// The instance state, `running` by default; any value is accepted.
    #[serde(default = "running")]
    pub state: String,
    /// The subnet it runs in: a `[[subnets]]` id.
    pub subnet_id: String,
    /// Private IPv4 address; none by default.
    pub private_ip: Option<String>,
    /// Public IPv4 address; none by default.
    pub public_ip: Option<String>,
    /// Its groups: `[[security_groups]]` ids. A store's group admitting one of them is
    /// evidence that the app uses the store.
    #[serde(default)]
    pub security_group_ids: Vec<String>,
    /// Name of an instance profile in this scenario.
    pub instance_profile: Option<String>,
    /// Tags, e.g. `{ env = "prod", team = "shop" }`; give the name in `name`, not here.
    #[serde(default)]
    pub tags: BTreeMap<String, String>,
    /// The user data script, best written as a `'''` literal string. The app's only source
    /// of facts: its variables, secrets, runtime, start command and port.
    pub user_data: Option<String>,
    /// Its EBS volumes, root first; none by default.
    #[serde(default)]
    pub volumes: Vec<super::VolumeSpec>,
    /// Whether its public address is an Elastic IP (give `public_ip` too); false by default.
    #[serde(default)]
    pub elastic_ip: bool,
}

fn running() -> String {
    "running".into()
}

/// `[[load_balancers]]`: one application load balancer. Its ARN and DNS name derive from
/// its name.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LoadBalancerSpec {
    /// Load balancer name; unique among load balancers.
    pub name: String,
    /// `internet-facing` (the default) or `internal`. An internet-facing route makes the new
    /// service public.
    #[serde(default = "internet_facing")]
    pub scheme: String,
    /// Its subnets, at least one: `[[subnets]]` ids. The first one's VPC is the load balancer's.
    pub subnet_ids: Vec<String>,
    /// Its groups: `[[security_groups]]` ids.
    #[serde(default)]
    pub security_group_ids: Vec<String>,
    /// Its listeners, each on its own port; none by default.
    #[serde(default)]
    pub listeners: Vec<ListenerSpec>,
}

fn internet_facing() -> String {
    "internet-facing".into()
}

/// One listener of a load balancer. Its ARN derives from the load balancer's name and the port.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ListenerSpec {
    /// The protocol clients speak to it, e.g. `HTTP` or `HTTPS`.
    pub protocol: String,
    /// The port it listens on; give each listener on a load balancer its own.
    pub port: u16,
    /// The default certificate of an HTTPS listener.
    pub certificate_arn: Option<String>,
    /// More certificates it serves by SNI; none by default.
    #[serde(default)]
    pub sni_certificate_arns: Vec<String>,
    /// Name of the target group the default action forwards to.
    pub forward_to: Option<String>,
}

/// `[[target_groups]]`: one target group. It is attached to every load balancer with a
/// listener that `forward_to`s it; its ARN derives from its name.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TargetGroupSpec {
    /// Target group name; unique among target groups.
    pub name: String,
    /// Protocol of the targets and of the health check; `HTTP` by default.
    #[serde(default = "http")]
    pub protocol: String,
    /// The traffic port: the new service's port unless user data sets `PORT`.
    pub port: u16,
    /// A `[[vpcs]]` id. Discovery follows the group only when this is the instance's own VPC.
    pub vpc_id: String,
    /// `instance` (the default), `ip` or `lambda`. Only `instance` groups have their target
    /// ids checked, and only they are followed by discovery.
    #[serde(default = "instance")]
    pub target_type: String,
    /// The health check path, e.g. `/healthz`, which the new service's health check takes
    /// over. The check runs on the traffic port and succeeds on HTTP 200.
    pub health_check_path: Option<String>,
    /// Sticky sessions: `lb_cookie` or `app_cookie`.
    pub stickiness: Option<String>,
    /// Registered targets; none by default.
    #[serde(default)]
    pub targets: Vec<TargetSpec>,
}

fn http() -> String {
    "HTTP".into()
}

fn instance() -> String {
    "instance".into()
}

/// One registered target and its health.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TargetSpec {
    /// What is registered: in an `instance` target group, an `[[instances]]` id.
    pub id: String,
    /// The port it is registered on; the group's `port` by default.
    pub port: Option<u16>,
    /// `healthy` (the default), `unhealthy`, `initial`, `draining`, `unused` or `unavailable`.
    #[serde(default = "healthy")]
    pub health: String,
}

fn healthy() -> String {
    "healthy".into()
}

/// `[[instance_profiles]]`: one instance profile, carrying one role. Its ARN is
/// `arn:aws:iam::ACCOUNT:instance-profile/NAME`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct InstanceProfileSpec {
    /// Profile name, as `instances.instance_profile` gives it; unique among profiles.
    pub name: String,
    /// The role it carries: a `[[roles]]` name.
    pub role: String,
}

/// `[[roles]]`: one IAM role. Its ARN is `arn:aws:iam::ACCOUNT:role/NAME`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RoleSpec {
    /// Role name; unique among roles.
    pub name: String,
    /// The service principal its trust policy lets assume it; `ec2.amazonaws.com` by default.
    #[serde(default = "ec2")]
    pub trusted_service: String,
    /// ARNs of attached managed policies, each with a `[[managed_policies]]` entry (AWS
    /// managed ones too).
    #[serde(default)]
    pub managed_policies: Vec<String>,
    /// Inline policies, with their documents; none by default.
    #[serde(default)]
    pub inline_policies: Vec<InlinePolicySpec>,
}

fn ec2() -> String {
    "ec2.amazonaws.com".into()
}

/// One inline policy of a role.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct InlinePolicySpec {
    /// The policy's name within its role.
    pub name: String,
    /// The policy document as JSON text.
    pub document: String,
}

/// `[[managed_policies]]`: the document of a managed policy, so ferry can show what a role
/// that attaches it allows. Entries no role uses are allowed.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ManagedPolicySpec {
    /// The policy ARN. Its name is the part after the last `/`; an `arn:aws:iam::aws:` ARN is
    /// AWS managed, any other customer managed.
    pub arn: String,
    /// The policy document as JSON text.
    pub document: String,
}

/// `[[databases]]`: one RDS instance. Its ARN is `arn:aws:rds:REGION:ACCOUNT:db:IDENTIFIER`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DatabaseSpec {
    /// DB instance identifier, e.g. `shop-db`.
    pub identifier: String,
    /// The database engine, e.g. `postgres` or `mysql`.
    pub engine: String,
    /// The engine's version, e.g. `15.4`.
    pub engine_version: String,
    /// The endpoint host name, without the port. Not derived: user data that connects to the
    /// database should name the same host, which is evidence of the dependency.
    pub endpoint: String,
    /// The port it listens on.
    pub port: u16,
    /// A `[[vpcs]]` id.
    pub vpc_id: String,
    /// Its groups: `[[security_groups]]` ids. The plan opens the first to the new service.
    #[serde(default)]
    pub security_group_ids: Vec<String>,
}

/// `[[caches]]`: one ElastiCache cluster. Its ARN is
/// `arn:aws:elasticache:REGION:ACCOUNT:cluster:ID`; it has no VPC field.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CacheSpec {
    /// Cluster id, e.g. `shop-cache`.
    pub id: String,
    /// The cache engine, e.g. `redis`.
    pub engine: String,
    /// The engine's version, e.g. `7.1`.
    pub engine_version: String,
    /// The endpoint host name, without the port. Not derived: user data that connects to the
    /// cache should name the same host, which is evidence of the dependency.
    pub endpoint: String,
    /// The port it listens on.
    pub port: u16,
    /// Its groups: `[[security_groups]]` ids. The plan opens the first to the new service.
    #[serde(default)]
    pub security_group_ids: Vec<String>,
}

/// `[[buckets]]`: one S3 bucket, in the account's region. Its ARN is `arn:aws:s3:::NAME`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BucketSpec {
    /// Bucket name. A role policy's `Resource` or a user data value naming it is evidence
    /// that the app uses it.
    pub name: String,
}

/// `[[auto_scaling_groups]]`: one EC2 Auto Scaling group. When the app's instance is a
/// member, the new service's task counts follow its sizes.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AutoScalingGroupSpec {
    /// Group name; unique among groups.
    pub name: String,
    /// Fewest instances, at most `max_size`. The service keeps at least `max(2, min_size)` tasks.
    pub min_size: u32,
    /// Most instances: the service scales up to as many tasks, never below its minimum.
    pub max_size: u32,
    /// Defaults to the number of member instances.
    pub desired_capacity: Option<u32>,
    /// Member instances: they get the `aws:autoscaling:groupName` tag, as AWS tags them.
    #[serde(default)]
    pub instance_ids: Vec<String>,
}
