//! The whole account at a glance, read-only: what `ferry inventory` browses and prints.
//!
//! Every kind is read concurrently; a kind that cannot be read (AccessDenied, throttling)
//! is recorded as such and the rest is still shown.

use serde::Serialize;

use crate::cloud::{CloudError, ReadCloud};
use crate::model::{
    AccountInfo, Bucket, CacheCluster, DbInstance, Instance, LoadBalancer, Role, SecurityGroup, Subnet, TargetGroup,
    Unseen, Vpc,
};

/// One kind of resource: its items, or why they could not be read.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Listing<T> {
    /// Every item of the kind the account holds, in the order AWS listed them.
    Seen(Vec<T>),
    /// The kind could not be read.
    Unseen {
        /// The error the cloud gave, as text.
        reason: String,
        /// The IAM action that was refused (`ec2:DescribeInstances`), when access was denied.
        missing_action: Option<String>,
    },
}

impl<T> Listing<T> {
    fn from(result: Result<Vec<T>, CloudError>) -> Listing<T> {
        match result {
            Ok(items) => Listing::Seen(items),
            Err(error) => {
                let Unseen { reason, missing_action, .. } = unseen("", &error);
                Listing::Unseen { reason, missing_action }
            }
        }
    }

    /// Why the kind could not be read, under the name `what`; `None` when it was read.
    fn unseen(&self, what: &str) -> Option<Unseen> {
        match self {
            Listing::Seen(_) => None,
            Listing::Unseen { reason, missing_action } => {
                Some(Unseen { what: what.to_string(), reason: reason.clone(), missing_action: missing_action.clone() })
            }
        }
    }

    /// The items, or none when the kind could not be read.
    pub fn items(&self) -> &[T] {
        match self {
            Listing::Seen(items) => items,
            Listing::Unseen { .. } => &[],
        }
    }
}

/// Everything [`load`] read from the account, kind by kind.
#[derive(Debug, Clone, Serialize)]
pub struct Inventory {
    /// Who and where ferry is talking to; `None` when the identity could not be read.
    pub account: Option<AccountInfo>,
    /// Why the account's identity could not be read, when it could not.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub account_unseen: Option<Unseen>,
    /// The region's EC2 instances, without their user data.
    pub instances: Listing<Instance>,
    /// The region's application and network load balancers.
    pub load_balancers: Listing<LoadBalancer>,
    /// The region's target groups, with their health checks.
    pub target_groups: Listing<TargetGroup>,
    /// The region's security groups, with their inbound rules.
    pub security_groups: Listing<SecurityGroup>,
    /// The account's IAM roles, without their policies: [`related`] reads one in full.
    pub roles: Listing<Role>,
    /// The region's RDS instances and DB clusters.
    pub databases: Listing<DbInstance>,
    /// The region's ElastiCache clusters and replication groups.
    pub caches: Listing<CacheCluster>,
    /// The account's S3 buckets, each with its region.
    pub buckets: Listing<Bucket>,
    /// The region's VPCs.
    pub vpcs: Listing<Vpc>,
    /// The region's subnets, each marked public or not.
    pub subnets: Listing<Subnet>,
}

impl Inventory {
    /// What could not be read: the account's identity, then each kind, with the permission
    /// that would let ferry read it when the account named one.
    pub fn unseen(&self) -> Vec<Unseen> {
        self.account_unseen.iter().cloned().chain(self.kinds().into_iter().flatten()).collect()
    }

    /// Whether no kind of resource could be read at all. The account's identity alone does
    /// not count: any valid credentials can read it (STS needs no permission), so counting it
    /// would pass off an inventory of nothing as a partial one.
    pub fn nothing_read(&self) -> bool {
        self.kinds().iter().all(Option::is_some)
    }

    /// Each kind `load` reads: why it could not be read, or `None`.
    fn kinds(&self) -> [Option<Unseen>; 10] {
        [
            self.instances.unseen("instances"),
            self.load_balancers.unseen("load balancers"),
            self.target_groups.unseen("target groups"),
            self.security_groups.unseen("security groups"),
            self.roles.unseen("roles"),
            self.databases.unseen("databases"),
            self.caches.unseen("caches"),
            self.buckets.unseen("buckets"),
            self.vpcs.unseen("VPCs"),
            self.subnets.unseen("subnets"),
        ]
    }
}

fn unseen(what: &str, error: &CloudError) -> Unseen {
    let missing_action = match error {
        CloudError::AccessDenied { action, .. } => Some(action.clone()),
        _ => None,
    };
    Unseen { what: what.to_string(), reason: error.to_string(), missing_action }
}

/// Reads every kind at once.
pub async fn load(cloud: &dyn ReadCloud) -> Inventory {
    let (
        account,
        instances,
        load_balancers,
        target_groups,
        security_groups,
        roles,
        databases,
        caches,
        buckets,
        vpcs,
        subnets,
    ) = tokio::join!(
        cloud.account(),
        cloud.instances(),
        cloud.load_balancers(),
        cloud.target_groups(),
        cloud.security_groups(),
        cloud.roles(),
        cloud.db_instances(),
        cloud.cache_clusters(),
        cloud.buckets(),
        cloud.vpcs(),
        cloud.subnets(),
    );
    let (account, account_unseen) = match account {
        Ok(account) => (Some(account), None),
        Err(error) => (None, Some(unseen("the account's identity", &error))),
    };
    Inventory {
        account,
        account_unseen,
        instances: Listing::from(instances),
        load_balancers: Listing::from(load_balancers),
        target_groups: Listing::from(target_groups),
        security_groups: Listing::from(security_groups),
        roles: Listing::from(roles),
        databases: Listing::from(databases),
        caches: Listing::from(caches),
        buckets: Listing::from(buckets),
        vpcs: Listing::from(vpcs),
        subnets: Listing::from(subnets),
    }
}

/// The kinds the inventory browses, in the order `:` lists them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub enum Kind {
    /// EC2 instances, opened by instance id.
    Instances,
    /// Load balancers, opened by ARN.
    LoadBalancers,
    /// Target groups, opened by ARN.
    TargetGroups,
    /// Security groups, opened by group id.
    SecurityGroups,
    /// IAM roles, opened by role name.
    Roles,
    /// RDS instances and clusters, opened by identifier.
    Databases,
    /// ElastiCache clusters and replication groups, opened by id.
    Caches,
    /// S3 buckets, opened by name.
    Buckets,
}

impl Kind {
    /// Every kind, in the order `:` lists them.
    pub const ALL: [Kind; 8] = [
        Kind::Instances,
        Kind::LoadBalancers,
        Kind::TargetGroups,
        Kind::SecurityGroups,
        Kind::Roles,
        Kind::Databases,
        Kind::Caches,
        Kind::Buckets,
    ];

    /// The kind's plural name, as tabs and headings show it (`load balancers`).
    pub fn title(self) -> &'static str {
        match self {
            Kind::Instances => "instances",
            Kind::LoadBalancers => "load balancers",
            Kind::TargetGroups => "target groups",
            Kind::SecurityGroups => "security groups",
            Kind::Roles => "roles",
            Kind::Databases => "databases",
            Kind::Caches => "caches",
            Kind::Buckets => "buckets",
        }
    }

    /// A short name for narrow terminals.
    pub fn short(self) -> &'static str {
        match self {
            Kind::Instances => "ec2",
            Kind::LoadBalancers => "lb",
            Kind::TargetGroups => "tg",
            Kind::SecurityGroups => "sg",
            Kind::Roles => "roles",
            Kind::Databases => "db",
            Kind::Caches => "cache",
            Kind::Buckets => "s3",
        }
    }

    /// Names `:` accepts, as k9s and the AWS console call them.
    pub fn aliases(self) -> &'static [&'static str] {
        match self {
            Kind::Instances => &["instances", "ec2", "i"],
            Kind::LoadBalancers => &["loadbalancers", "lb", "elb", "alb"],
            Kind::TargetGroups => &["targetgroups", "tg"],
            Kind::SecurityGroups => &["securitygroups", "sg"],
            Kind::Roles => &["roles", "iam", "role"],
            Kind::Databases => &["databases", "db", "rds"],
            Kind::Caches => &["caches", "cache", "elasticache", "redis"],
            Kind::Buckets => &["buckets", "s3"],
        }
    }

    /// The kind a typed name means: an alias, or the start of one.
    pub fn parse(text: &str) -> Option<Kind> {
        let text = text.trim().to_lowercase().replace([' ', '-', '_'], "");
        if text.is_empty() {
            return None;
        }
        Kind::ALL
            .into_iter()
            .find(|k| k.aliases().contains(&text.as_str()))
            .or_else(|| Kind::ALL.into_iter().find(|k| k.aliases().iter().any(|a| a.starts_with(&text))))
    }
}

/// What a resource is connected to, read when the operator opens it.
#[derive(Debug, Clone)]
pub enum Related {
    /// An instance's whole migration graph: load balancers, role, data stores, with evidence.
    Instance(Box<crate::model::MigrationGraph>),
    /// Listeners, and the target groups sending to this load balancer as (ARN, name).
    LoadBalancer {
        /// The load balancer's listeners, each with the target groups it forwards to.
        listeners: Vec<crate::model::Listener>,
        /// The target groups attached to it, as (ARN, name).
        target_groups: Vec<(String, String)>,
    },
    /// The load balancers a target group is attached to, and the health of its targets.
    TargetGroup {
        /// The names of the load balancers that forward to it.
        load_balancers: Vec<String>,
        /// Every registered target, with its health.
        targets: Vec<crate::model::TargetHealth>,
    },
    /// A security group's inbound rules, what it is attached to and which groups admit it.
    SecurityGroup {
        /// Each inbound rule in a line: `tcp 5432 from web (sg-...)`, `tcp all from 10.0.0.0/16`.
        rules: Vec<String>,
        /// What it is attached to: `instance NAME`, `load balancer NAME`, `database ID`, `cache ID`.
        used_by: Vec<String>,
        /// The groups with a rule admitting this one, as `name (sg-...)`.
        admitted_by: Vec<String>,
    },
    /// A role read in full: its trust policy and every policy document.
    Role(Box<Role>),
    /// Who may connect to a database or cache: the inbound rules of its security groups.
    Store {
        /// Each rule in a line: `db (sg-...) admits web (sg-...) on 5432`.
        admitted: Vec<String>,
    },
    /// There is nothing more to read (a bucket).
    Nothing,
}

/// Reads what one resource is connected to. Only `ReadCloud` calls: nothing can change.
pub async fn related(cloud: &dyn ReadCloud, inventory: &Inventory, kind: Kind, id: &str) -> Result<Related, String> {
    Ok(match kind {
        Kind::Instances => {
            Related::Instance(Box::new(crate::discover::discover(cloud, id).await.map_err(|e| e.to_string())?))
        }
        Kind::LoadBalancers => {
            let listeners = cloud.listeners(id).await.map_err(|e| e.to_string())?;
            let target_groups = inventory
                .target_groups
                .items()
                .iter()
                .filter(|tg| tg.load_balancer_arns.iter().any(|arn| arn == id))
                .map(|tg| (tg.arn.clone(), tg.name.clone()))
                .collect();
            Related::LoadBalancer { listeners, target_groups }
        }
        Kind::TargetGroups => {
            let targets = cloud.target_health(id).await.map_err(|e| e.to_string())?;
            let tg = inventory.target_groups.items().iter().find(|t| t.arn == id);
            let load_balancers = inventory
                .load_balancers
                .items()
                .iter()
                .filter(|lb| tg.is_some_and(|t| t.load_balancer_arns.contains(&lb.arn)))
                .map(|lb| lb.name.clone())
                .collect();
            Related::TargetGroup { load_balancers, targets }
        }
        Kind::SecurityGroups => related_to_group(inventory, id),
        Kind::Roles => Related::Role(Box::new(cloud.role(id).await.map_err(|e| e.to_string())?)),
        Kind::Databases | Kind::Caches => related_to_store(inventory, kind, id),
        Kind::Buckets => Related::Nothing,
    })
}

/// A security group as `name (sg-...)`, or its bare id when the inventory does not hold it.
fn group_name(groups: &[SecurityGroup], gid: &str) -> String {
    groups.iter().find(|g| g.id == gid).map_or(gid.to_string(), |g| format!("{} ({gid})", g.name))
}

/// A security group's inbound rules, what it is attached to, and which groups admit it.
fn related_to_group(inventory: &Inventory, id: &str) -> Related {
    let groups = inventory.security_groups.items();
    let group = groups.iter().find(|g| g.id == id);
    let rules = group
        .map(|g| {
            g.ingress
                .iter()
                .map(|r| match &r.source {
                    crate::model::RuleSource::Group { group_id } => {
                        format!("{} {} from {}", r.protocol, r.port_text(), group_name(groups, group_id))
                    }
                    crate::model::RuleSource::Cidr { cidr } => {
                        format!("{} {} from {cidr}", r.protocol, r.port_text())
                    }
                })
                .collect()
        })
        .unwrap_or_default();
    let used_by = group_users(inventory, id);
    let admitted_by = groups
        .iter()
        .filter(|g| {
            g.ingress
                .iter()
                .any(|r| matches!(&r.source, crate::model::RuleSource::Group { group_id } if group_id == id))
        })
        .map(|g| group_name(groups, &g.id))
        .collect();
    Related::SecurityGroup { rules, used_by, admitted_by }
}

/// What security group `id` is attached to: instances, then load balancers, databases and caches.
fn group_users(inventory: &Inventory, id: &str) -> Vec<String> {
    let mut used_by: Vec<String> = inventory
        .instances
        .items()
        .iter()
        .filter(|i| i.security_group_ids.iter().any(|g| g == id))
        .map(|i| format!("instance {}", i.display_name()))
        .collect();
    used_by.extend(
        inventory
            .load_balancers
            .items()
            .iter()
            .filter(|lb| lb.security_group_ids.iter().any(|g| g == id))
            .map(|lb| format!("load balancer {}", lb.name)),
    );
    used_by.extend(
        inventory
            .databases
            .items()
            .iter()
            .filter(|d| d.security_group_ids.iter().any(|g| g == id))
            .map(|d| format!("database {}", d.identifier)),
    );
    used_by.extend(
        inventory
            .caches
            .items()
            .iter()
            .filter(|c| c.security_group_ids.iter().any(|g| g == id))
            .map(|c| format!("cache {}", c.id)),
    );
    used_by
}

/// Who may connect to a database or cache: every inbound rule of its security groups.
fn related_to_store(inventory: &Inventory, kind: Kind, id: &str) -> Related {
    let groups = inventory.security_groups.items();
    let store_groups: Vec<String> = match kind {
        Kind::Databases => {
            inventory.databases.items().iter().find(|d| d.identifier == id).map(|d| d.security_group_ids.clone())
        }
        _ => inventory.caches.items().iter().find(|c| c.id == id).map(|c| c.security_group_ids.clone()),
    }
    .unwrap_or_default();
    let admitted = groups
        .iter()
        .filter(|g| store_groups.contains(&g.id))
        .flat_map(|g| {
            g.ingress.iter().map(move |r| match &r.source {
                crate::model::RuleSource::Group { group_id } => {
                    format!(
                        "{} admits {} on {}",
                        group_name(groups, &g.id),
                        group_name(groups, group_id),
                        r.port_text()
                    )
                }
                crate::model::RuleSource::Cidr { cidr } => {
                    format!("{} admits {cidr} on {}", group_name(groups, &g.id), r.port_text())
                }
            })
        })
        .collect();
    Related::Store { admitted }
}
