//! How a service config refers to what the plan creates: by a placeholder for a step's output
//! (`${ferry:execution-role.arn}`), or by the ARN the created resource will have in the plan's
//! account. Integrity, the checks and the review all ask the same question the same way.

use super::{Action, Plan, SecretSource};

impl Plan {
    /// The name of the role the plan creates that `arn` names, if it names one.
    pub fn created_role(&self, arn: &str) -> Option<&str> {
        let in_account = format!(":iam::{}:role/", self.account_id);
        self.steps.iter().find_map(|step| match &step.action {
            Action::CreateRole { name, .. }
                if arn == placeholder(&step.id, "arn")
                    || (arn.starts_with("arn:")
                        && arn.contains(&in_account)
                        && arn.rsplit('/').next() == Some(name.as_str())) =>
            {
                Some(name.as_str())
            }
            _ => None,
        })
    }

    /// The secret the plan creates that `value_from` names, with where its value comes from.
    pub fn created_secret(&self, value_from: &str) -> Option<(&str, &SecretSource)> {
        let in_account = format!(":secretsmanager:{}:{}:secret:", self.region, self.account_id);
        self.steps.iter().find_map(|step| match &step.action {
            Action::CreateSecret { name, source, .. }
                if value_from == placeholder(&step.id, "arn")
                    || (value_from.starts_with("arn:")
                        && value_from.split_once(&in_account).is_some_and(|(_, rest)| rest == name)) =>
            {
                Some((name.as_str(), source))
            }
            _ => None,
        })
    }

    /// Whether `group` is the security group a step of this plan creates.
    pub fn is_created_group(&self, group: &str, before_step: usize) -> bool {
        self.steps[..before_step.min(self.steps.len())].iter().any(|step| {
            matches!(step.action, Action::CreateSecurityGroup { .. }) && group == placeholder(&step.id, "groupId")
        })
    }
}

/// `${ferry:STEP.OUTPUT}`.
fn placeholder(step_id: &str, output: &str) -> String {
    format!("${{ferry:{step_id}.{output}}}")
}
