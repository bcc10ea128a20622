//! What a plan takes for granted about the account: checked again just before apply, so a
//! plan reviewed yesterday is not applied to an account that changed since.

use serde::{Deserialize, Serialize};

use crate::model::IngressRule;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum Assumption {
    /// The source instance exists, and its user data (secrets masked) hashes to this: the
    /// environment and secret sources the plan was made from are still there.
    Instance { instance_id: String, user_data_sha256: Option<String> },
    /// The VPC and subnets the service goes into exist.
    Network { vpc_id: String, subnet_ids: Vec<String> },
    /// A security group a step adds a rule to still has exactly these rules.
    SecurityGroupRules { group_id: String, rules: Vec<IngressRule> },
    /// Nothing exists yet where this step creates something (a repository, role, secret,
    /// security group or service of the same name).
    NameFree { step_id: String },
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
            Assumption::Network { vpc_id, subnet_ids } => format!("{vpc_id} with {}", subnet_ids.join(", ")),
            Assumption::SecurityGroupRules { group_id, rules } => {
                format!("{group_id} has its {} current rule{}", rules.len(), if rules.len() == 1 { "" } else { "s" })
            }
            Assumption::NameFree { step_id } => format!("nothing exists yet where {step_id} creates"),
        }
    }
}
