//! What a plan takes for granted about the account: checked again just before apply, so a
//! plan reviewed yesterday is not applied to an account that changed since. The checks also
//! judge the plan on these facts (the zones of its subnets, the rules guarding a data store,
//! what the instance role's policies grant), so what was judged is what apply confirms.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::model::IngressRule;

/// One fact about the account the plan relies on, tagged by `kind`: apply checks it
/// again before it changes anything.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum Assumption {
    /// The source instance exists, and its user data (secrets masked) hashes to this: the
    /// environment and secret sources the plan was made from are still there.
    Instance {
        /// The instance being moved.
        instance_id: String,
        /// sha256 of its masked user data, hex; `None` when it has none.
        user_data_sha256: Option<String>,
    },
    /// The VPC and subnets the service goes into exist, in these zones.
    Network {
        /// The instance's VPC, which the service joins.
        vpc_id: String,
        /// Read from `subnet_ids` (bare ids) too, so a run journaled by an older ferry can
        /// still be rolled back; such a plan no longer verifies, so it cannot be resumed.
        #[serde(alias = "subnet_ids")]
        subnets: Vec<AssumedSubnet>,
    },
    /// A security group a step adds a rule to, or that guards a data store the app reaches,
    /// still has exactly these rules.
    SecurityGroupRules {
        /// The group whose rules are assumed.
        group_id: String,
        /// Its ingress rules, as discovery read them.
        rules: Vec<IngressRule>,
    },
    /// The instance's role still has exactly these policies: the task role copies them, and
    /// the checks judge what they grant from these documents.
    InstanceRole {
        /// The role of the instance's profile.
        role_name: String,
        /// Every policy it has, managed and inline.
        policies: Vec<AssumedPolicy>,
    },
    /// An existing role the service uses instead of one the plan would make: it still has
    /// exactly this trust and these policies, so it still serves as the plan's own role would,
    /// and no more. The plan never changes it, and rollback never touches it.
    ExistingRole {
        /// The role's name, e.g. `ecsTaskExecutionRole`.
        role_name: String,
        /// Its ARN, as the service config names it.
        role_arn: String,
        /// Who may assume it, as the document IAM holds.
        trust_policy: Value,
        /// Every policy it has: managed ones by ARN, inline ones with their documents.
        policies: Vec<AssumedPolicy>,
    },
    /// Nothing exists yet where this step creates something (a repository, role, secret,
    /// security group or service of the same name).
    NameFree {
        /// The create step whose name must still be free.
        step_id: String,
    },
    /// The Express service is reached through these: a cutover's steps change this load
    /// balancer's listener and rule and point records at it, and apply confirms they are the
    /// service's own before any of it.
    ExpressIngress {
        /// The service the traffic moves to.
        service_arn: String,
        /// Its load balancer.
        load_balancer_arn: String,
        /// The load balancer's DNS name, what the new records name.
        dns_name: String,
        /// Its HTTPS listener.
        listener_arn: String,
        /// The rule sending the service's host to it.
        rule_arn: String,
        /// The certificates that serve the moved host names on the listener, each with the
        /// names it covered when the plan was made (`None`: they could not be read). The
        /// checks judge coverage from these names, and apply reads them again and refuses when
        /// a certificate no longer has them. Empty in a plan made before ferry judged coverage.
        #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
        certificates: BTreeMap<String, Option<Vec<String>>>,
        /// Those of `certificates` the listener already served, so no step attaches them:
        /// apply confirms it still serves them.
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        served_certificates: Vec<String>,
    },
    /// A host name's records are exactly these, as the cutover found them: what its split
    /// replaces and its rollback restores.
    Records {
        /// The zone holding them.
        zone_id: String,
        /// The records, as Route 53 listed them.
        records: Vec<crate::model::DnsRecord>,
    },
}

/// A subnet the service is placed in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(from = "SubnetRecord")]
pub struct AssumedSubnet {
    /// Subnet id, e.g. `subnet-0abc12`.
    pub id: String,
    /// Its zone, e.g. `eu-west-1a`; empty when not known (a subnet discovery did not
    /// read, or a format 2 plan).
    pub availability_zone: String,
    /// Routed to an internet gateway: tasks placed here get public IPs.
    pub public: bool,
}

/// A subnet as a plan file holds it: in full, or as a bare id (format 2).
#[derive(Deserialize)]
#[serde(untagged)]
enum SubnetRecord {
    Full { id: String, availability_zone: String, public: bool },
    Id(String),
}

impl From<SubnetRecord> for AssumedSubnet {
    fn from(record: SubnetRecord) -> Self {
        match record {
            SubnetRecord::Full { id, availability_zone, public } => AssumedSubnet { id, availability_zone, public },
            SubnetRecord::Id(id) => AssumedSubnet { id, availability_zone: String::new(), public: false },
        }
    }
}

/// One policy of the instance role, as discovery read it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AssumedPolicy {
    /// The policy's name, e.g. `AmazonSSMManagedInstanceCore`.
    pub name: String,
    /// The ARN of a managed policy; `None` for an inline one.
    pub arn: Option<String>,
    /// The policy document; `None` when it could not be read.
    pub document: Option<Value>,
}

impl Assumption {
    /// One line for `ferry show` and the Plan step.
    pub fn describe(&self) -> String {
        match self {
            Assumption::Instance { instance_id, user_data_sha256: Some(sha) } => {
                format!("{instance_id} exists, user data sha256 {}", sha.get(..12).unwrap_or(sha))
            }
            Assumption::Instance { instance_id, user_data_sha256: None } => {
                format!("{instance_id} exists, without user data")
            }
            Assumption::Network { vpc_id, subnets } => {
                let subnets: Vec<String> =
                    subnets.iter().map(|s| format!("{} ({})", s.id, s.availability_zone)).collect();
                format!("{vpc_id} with {}", subnets.join(", "))
            }
            Assumption::SecurityGroupRules { group_id, rules } => {
                format!("{group_id} has its {} current rule{}", rules.len(), plural(rules.len()))
            }
            Assumption::InstanceRole { role_name, policies } => {
                format!(
                    "role {role_name} has its {} current polic{}",
                    policies.len(),
                    if policies.len() == 1 { "y" } else { "ies" }
                )
            }
            Assumption::ExistingRole { role_name, policies, .. } => {
                let names: Vec<&str> = policies.iter().map(|p| p.name.as_str()).collect();
                format!("role {role_name} keeps its trust and exactly {}", names.join(", "))
            }
            Assumption::NameFree { step_id } => format!("nothing exists yet where {step_id} creates"),
            Assumption::ExpressIngress { service_arn, dns_name, .. } => {
                let name = service_arn.rsplit('/').next().unwrap_or(service_arn);
                format!("{name} is reached through {dns_name}, its listener and rule")
            }
            Assumption::Records { records, .. } => {
                let name = records.first().map_or("", |r| r.name.trim_end_matches('.'));
                let kinds: Vec<&str> = records.iter().map(|r| r.record_type.as_str()).collect();
                format!(
                    "{name} has exactly its {} record{} ({})",
                    records.len(),
                    plural(records.len()),
                    kinds.join(", ")
                )
            }
        }
    }
}

fn plural(count: usize) -> &'static str {
    if count == 1 { "" } else { "s" }
}
