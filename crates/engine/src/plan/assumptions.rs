//! What a plan takes for granted about the account: checked again just before apply, so a
//! plan reviewed yesterday is not applied to an account that changed since. The checks also
//! judge the plan on these facts (the zones of its subnets, the rules guarding a data store,
//! what the instance role's policies grant), so what was judged is what apply confirms.

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::model::IngressRule;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum Assumption {
    /// The source instance exists, and its user data (secrets masked) hashes to this: the
    /// environment and secret sources the plan was made from are still there.
    Instance { instance_id: String, user_data_sha256: Option<String> },
    /// The VPC and subnets the service goes into exist, in these zones.
    Network {
        vpc_id: String,
        /// Read from `subnet_ids` (bare ids) too, so a run journaled by an older ferry can
        /// still be rolled back; such a plan no longer verifies, so it cannot be resumed.
        #[serde(alias = "subnet_ids")]
        subnets: Vec<AssumedSubnet>,
    },
    /// A security group a step adds a rule to, or that guards a data store the app reaches,
    /// still has exactly these rules.
    SecurityGroupRules { group_id: String, rules: Vec<IngressRule> },
    /// The instance's role still has exactly these policies: the task role copies them, and
    /// the checks judge what they grant from these documents.
    InstanceRole { role_name: String, policies: Vec<AssumedPolicy> },
    /// Nothing exists yet where this step creates something (a repository, role, secret,
    /// security group or service of the same name).
    NameFree { step_id: String },
}

/// A subnet the service is placed in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(from = "SubnetRecord")]
pub struct AssumedSubnet {
    pub id: String,
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
            Assumption::NameFree { step_id } => format!("nothing exists yet where {step_id} creates"),
        }
    }
}

fn plural(count: usize) -> &'static str {
    if count == 1 { "" } else { "s" }
}
