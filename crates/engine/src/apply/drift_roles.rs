//! An existing role the plan uses instead of making one: checked before apply, so a role that
//! gained a policy, lost one, or now trusts someone else since the plan was reviewed is not
//! handed to the service as if it were the one judged.

use std::collections::BTreeSet;

use crate::cloud::{CloudResult, ReadCloud};
use crate::plan::{Action, AssumedPolicy, Assumption, Plan};

/// The role is gone, or its trust or policies are not what the plan assumed. Not checked once
/// this run has started making the service: the service already names the role, and nothing
/// left to do relies on it.
pub(super) async fn existing_role_change(
    cloud: &dyn ReadCloud,
    plan: &Plan,
    started: &BTreeSet<&str>,
    assumed: &Assumption,
) -> CloudResult<Option<String>> {
    let Assumption::ExistingRole { role_name, trust_policy, policies, .. } = assumed else { return Ok(None) };
    let service_started = plan
        .steps
        .iter()
        .any(|s| started.contains(s.id.as_str()) && matches!(s.action, Action::CreateExpressService { .. }));
    if service_started {
        return Ok(None);
    }
    let role = match cloud.role(role_name).await {
        Err(error) if error.is_not_found() => return Ok(Some(format!("role {role_name} no longer exists"))),
        Err(error) => return Err(error),
        Ok(role) => role,
    };
    if &role.trust_policy != trust_policy {
        return Ok(Some(format!(
            "the trust policy of role {role_name} changed since the plan was made: the service would use it as it was judged"
        )));
    }
    let now = crate::plan::reuse::assumed_policies(&role);
    if !same_set(&now, policies) {
        let names: Vec<&str> = now.iter().map(|p| p.name.as_str()).collect();
        return Ok(Some(format!(
            "the policies of role {role_name} changed since the plan was made (now {}): the service would use it as it was judged",
            if names.is_empty() { "none".to_string() } else { names.join(", ") }
        )));
    }
    Ok(None)
}

/// The same policies in any order.
fn same_set(now: &[AssumedPolicy], then: &[AssumedPolicy]) -> bool {
    now.len() == then.len() && now.iter().all(|p| then.contains(p)) && then.iter().all(|p| now.contains(p))
}
