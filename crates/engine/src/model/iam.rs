use serde::{Deserialize, Serialize};
use serde_json::Value;

/// The instance profile that hands an EC2 instance its IAM role.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InstanceProfile {
    /// The instance profile's ARN (`arn:aws:iam::ACCOUNT:instance-profile/NAME`).
    pub arn: String,
    /// The instance profile's name, the last part of its ARN.
    pub name: String,
    /// The roles it carries: AWS allows one, so the first is the instance's role.
    pub role_names: Vec<String>,
}

/// How a policy is attached to a role, which decides how a new role can carry it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PolicyKind {
    /// A managed policy AWS owns (`arn:aws:iam::aws:policy/...`): attached by ARN.
    AwsManaged,
    /// A managed policy of the account: attached by ARN.
    CustomerManaged,
    /// A policy embedded in the role: its document is copied.
    Inline,
}

impl PolicyKind {
    /// The kind in words for the operator: `AWS managed`, `customer managed`, `inline`.
    pub fn label(self) -> &'static str {
        match self {
            PolicyKind::AwsManaged => "AWS managed",
            PolicyKind::CustomerManaged => "customer managed",
            PolicyKind::Inline => "inline",
        }
    }
}

/// A policy attached to or embedded in a role, with its decoded document.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Policy {
    /// The policy's name: unique within the role for an inline policy, within the account for a
    /// managed one.
    pub name: String,
    /// The policy ARN for managed policies; `None` for inline ones.
    pub arn: Option<String>,
    /// How the policy is attached to the role.
    pub kind: PolicyKind,
    /// The policy document as JSON (a managed policy's default version); `None` when it could
    /// not be read.
    pub document: Option<Value>,
    /// Why the document could not be read, when it could not: the role is still shown.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unreadable: Option<super::Unseen>,
}

impl Policy {
    /// Every `Resource` string the document names, in order.
    pub fn resources(&self) -> Vec<String> {
        let mut out = Vec::new();
        let Some(doc) = &self.document else {
            return out;
        };
        let statements = match doc.get("Statement") {
            Some(Value::Array(items)) => items.iter().collect::<Vec<_>>(),
            Some(single) => vec![single],
            None => Vec::new(),
        };
        for statement in statements {
            match statement.get("Resource") {
                Some(Value::String(s)) => out.push(s.clone()),
                Some(Value::Array(items)) => out.extend(items.iter().filter_map(|v| v.as_str().map(str::to_string))),
                _ => {}
            }
        }
        out
    }
}

/// A managed policy as the account stores it (name, ARN, current document).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ManagedPolicy {
    /// The policy's ARN, by which roles attach it.
    pub arn: String,
    /// The policy's name, the last part of its ARN.
    pub name: String,
    /// The document of its default version, as JSON.
    pub document: Value,
}

/// An IAM role with its trust policy and permissions.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Role {
    /// The role's ARN (`arn:aws:iam::ACCOUNT:role/NAME`).
    pub arn: String,
    /// The role's name, unique in the account: what IAM calls take.
    pub name: String,
    /// Who may assume the role, as the JSON document; `null` when AWS gave none.
    pub trust_policy: Value,
    /// Its inline policies, then its attached managed ones; empty when only the role list was
    /// read.
    pub policies: Vec<Policy>,
}

/// The trust policy that lets `service` (e.g. `ecs-tasks.amazonaws.com`) assume a role, and
/// nothing else: what every role ferry creates carries.
pub fn service_trust_policy(service: &str) -> Value {
    serde_json::json!({
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Allow", "Principal": {"Service": service}, "Action": "sts:AssumeRole"}]
    })
}
