use serde::{Deserialize, Serialize};
use serde_json::Value;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InstanceProfile {
    pub arn: String,
    pub name: String,
    pub role_names: Vec<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PolicyKind {
    AwsManaged,
    CustomerManaged,
    Inline,
}

impl PolicyKind {
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
    pub name: String,
    /// The policy ARN for managed policies; `None` for inline ones.
    pub arn: Option<String>,
    pub kind: PolicyKind,
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
    pub arn: String,
    pub name: String,
    pub document: Value,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Role {
    pub arn: String,
    pub name: String,
    pub trust_policy: Value,
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
