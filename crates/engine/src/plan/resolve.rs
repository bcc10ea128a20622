//! Filling `${ferry:step-id.key}` and `${ferry:run-id}` placeholders from what earlier steps
//! returned.
//!
//! A plan is written before anything exists, so an action that needs a created id (the
//! security group a rule admits, the service a wait watches) names the step that creates it.
//! Only ferry's own namespace is filled: `${aws:username}` in a copied policy stays as it is.

use std::collections::BTreeMap;

use serde_json::Value;
use thiserror::Error;

use super::{Action, ActionOutput};
use crate::model::placeholders::PREFIX;

/// Outputs of the steps done so far, by step id.
pub type Outputs = BTreeMap<String, ActionOutput>;

/// Why an action's placeholders could not be filled.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum ResolveError {
    /// A placeholder names no output of a step done so far; holds what it names (`STEP.KEY`).
    #[error("placeholder ${{ferry:{0}}} names no earlier step output")]
    Unknown(String),
    /// A `${ferry:` has no closing `}`; holds the whole text.
    #[error("placeholder opened with ${{ferry: but never closed in {0:?}")]
    Unclosed(String),
    /// The action could not go through JSON, or no longer reads as an action once filled.
    #[error("action could not be rebuilt after filling placeholders: {0}")]
    Rebuild(String),
}

/// The action with every placeholder replaced.
pub fn resolve(action: &Action, run_id: &str, outputs: &Outputs) -> Result<Action, ResolveError> {
    let mut value = serde_json::to_value(action).map_err(|e| ResolveError::Rebuild(e.to_string()))?;
    fill(&mut value, run_id, outputs)?;
    serde_json::from_value(value).map_err(|e| ResolveError::Rebuild(e.to_string()))
}

fn fill(value: &mut Value, run_id: &str, outputs: &Outputs) -> Result<(), ResolveError> {
    match value {
        Value::String(text) if text.contains(PREFIX) => *text = fill_text(text, run_id, outputs)?,
        Value::Array(items) => items.iter_mut().try_for_each(|v| fill(v, run_id, outputs))?,
        Value::Object(map) => map.values_mut().try_for_each(|v| fill(v, run_id, outputs))?,
        _ => {}
    }
    Ok(())
}

fn fill_text(text: &str, run_id: &str, outputs: &Outputs) -> Result<String, ResolveError> {
    let mut out = String::new();
    let mut rest = text;
    while let Some(start) = rest.find(PREFIX) {
        out.push_str(&rest[..start]);
        let after = &rest[start + PREFIX.len()..];
        let end = after.find('}').ok_or_else(|| ResolveError::Unclosed(text.to_string()))?;
        out.push_str(&lookup(&after[..end], run_id, outputs)?);
        rest = &after[end + 1..];
    }
    out.push_str(rest);
    Ok(out)
}

fn lookup(key: &str, run_id: &str, outputs: &Outputs) -> Result<String, ResolveError> {
    if key == "run-id" {
        return Ok(run_id.to_string());
    }
    let (step, field) = key.split_once('.').ok_or_else(|| ResolveError::Unknown(key.to_string()))?;
    outputs
        .get(step)
        .and_then(|o| o.get(field))
        .map(str::to_string)
        .ok_or_else(|| ResolveError::Unknown(key.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plan::InlinePolicy;

    #[test]
    fn fills_outputs_and_run_id() {
        let action = Action::RevokeIngress {
            group_id: "sg-db".into(),
            port: 5432,
            source_group_id: "${ferry:sg.groupId}".into(),
        };
        let mut outputs = Outputs::new();
        outputs.insert("sg".into(), ActionOutput::new("").with("groupId", "sg-123"));
        let resolved = resolve(&action, "run-1", &outputs).unwrap();
        assert_eq!(
            resolved,
            Action::RevokeIngress { group_id: "sg-db".into(), port: 5432, source_group_id: "sg-123".into() }
        );
        let missing = resolve(&action, "run-1", &Outputs::new());
        assert_eq!(missing, Err(ResolveError::Unknown("sg.groupId".into())));
    }

    #[test]
    fn leaves_policy_variables_and_shell_expansions_alone() {
        let document = serde_json::json!({"Resource": "arn:aws:s3:::b/${aws:username}/*", "Env": "${HOME}/x"});
        let action = Action::CreateRole {
            name: "r".into(),
            trusted_service: "ecs-tasks.amazonaws.com".into(),
            managed_policy_arns: vec![],
            inline_policies: vec![InlinePolicy { name: "p".into(), document: document.clone() }],
            tags: vec![crate::model::Tag::new("ferry:run-id", "${ferry:run-id}")],
        };
        let Action::CreateRole { inline_policies, tags, .. } = resolve(&action, "run-7", &Outputs::new()).unwrap()
        else {
            panic!("still a role")
        };
        assert_eq!(inline_policies[0].document, document);
        assert_eq!(tags[0].value, "run-7");
    }
}
