//! Has the account moved since the plan was made? Each of the plan's assumptions is checked
//! against the account as it is now; any that no longer holds is a reason to make a new plan.

use std::collections::BTreeSet;

use futures::future::join_all;

use crate::cloud::{CloudResult, ReadCloud};
use crate::model::IngressRule;
use crate::plan::{Action, Assumption, Plan};

/// What changed, one sentence each; empty when the plan still fits. Assumptions about steps
/// in `started` (a resumed run's own work) are not checked: the run itself changed those,
/// and a name taken by run `run_id` itself is its own (a change that landed after a crash).
pub async fn check_drift(
    cloud: &dyn ReadCloud,
    plan: &Plan,
    started: &BTreeSet<&str>,
    run_id: &str,
) -> CloudResult<Vec<String>> {
    // The user data matters while a secret is still to be read from it; after cut-over the
    // instance may be gone without that touching what is left to do.
    let reads_user_data = plan.steps.iter().any(|s| {
        !started.contains(s.id.as_str())
            && matches!(
                &s.action,
                Action::CreateSecret { source: crate::plan::SecretSource::UserDataVariable { .. }, .. }
            )
    });
    let check_instance = started.is_empty() || reads_user_data;
    let mut changes = Vec::new();
    let needs_groups = plan.assumptions.iter().any(|a| matches!(a, Assumption::SecurityGroupRules { .. }));
    let needs_network = plan.assumptions.iter().any(|a| matches!(a, Assumption::Network { .. }));
    let groups = if needs_groups { cloud.security_groups().await? } else { Vec::new() };
    let (vpcs, subnets) =
        if needs_network { (cloud.vpcs().await?, cloud.subnets().await?) } else { (Vec::new(), Vec::new()) };

    for assumption in &plan.assumptions {
        match assumption {
            Assumption::Instance { .. } if !check_instance => {}
            Assumption::Instance { instance_id, user_data_sha256 } => match cloud.instance(instance_id).await {
                Err(error) if error.is_not_found() => changes.push(format!("instance {instance_id} no longer exists")),
                Err(error) => return Err(error),
                Ok(_) => {
                    let now = cloud.user_data(instance_id).await?;
                    let now = now.as_deref().map(|u| crate::digest::sha256_hex(u.as_bytes()));
                    if &now != user_data_sha256 {
                        changes.push(format!(
                            "the user data of {instance_id} changed since the plan was made (its environment and secrets may differ)"
                        ));
                    }
                }
            },
            Assumption::Network { vpc_id, subnet_ids } => {
                if !vpcs.iter().any(|v| &v.id == vpc_id) {
                    changes.push(format!("VPC {vpc_id} no longer exists"));
                }
                for id in subnet_ids.iter().filter(|id| !subnets.iter().any(|s| &s.id == *id)) {
                    changes.push(format!("subnet {id} no longer exists"));
                }
            }
            Assumption::SecurityGroupRules { group_id, rules } => {
                let changed_by_this_run = plan.steps.iter().any(|s| {
                    started.contains(s.id.as_str())
                        && matches!(&s.action, Action::AuthorizeIngress { group_id: g, .. } if g == group_id)
                });
                if changed_by_this_run {
                    continue;
                }
                match groups.iter().find(|g| &g.id == group_id) {
                    None => changes.push(format!("security group {group_id} no longer exists")),
                    Some(group) if !same_rules(&group.ingress, rules) => changes.push(format!(
                        "the rules of security group {group_id} changed since the plan was made ({} then, {} now)",
                        rules.len(),
                        group.ingress.len()
                    )),
                    Some(_) => {}
                }
            }
            Assumption::NameFree { .. } => {}
        }
    }

    // Names are looked up together: one round trip however many steps create something.
    let creates: Vec<&crate::plan::Step> = plan
        .assumptions
        .iter()
        .filter_map(|a| match a {
            Assumption::NameFree { step_id } if !started.contains(step_id.as_str()) => {
                plan.steps.iter().find(|s| &s.id == step_id)
            }
            _ => None,
        })
        .collect();
    let found = join_all(creates.iter().map(|step| cloud.lookup(&step.action))).await;
    for (step, found) in creates.iter().zip(found) {
        if let Some(found) = found?.filter(|f| f.run_id.as_deref() != Some(run_id)) {
            let by = found
                .run_id
                .map(|r| format!(" (made by run {r}: `ferry rollback {r}` removes it)"))
                .unwrap_or_default();
            changes.push(format!(
                "{} {} already exists{by}",
                step.action.verb().trim_start_matches("create "),
                step.action.target()
            ));
        }
    }
    Ok(changes)
}

/// The same rules in any order.
fn same_rules(now: &[IngressRule], then: &[IngressRule]) -> bool {
    now.len() == then.len() && now.iter().all(|rule| then.contains(rule))
}
