//! Has the account moved since the plan was made? Each of the plan's assumptions is checked
//! against the account as it is now; any that no longer holds is a reason to make a new plan.

use std::collections::BTreeSet;

use futures::future::join_all;

use crate::cloud::{CloudResult, ReadCloud};
use crate::model::{IngressRule, SecurityGroup, Subnet, Vpc};
use crate::plan::{Action, AssumedPolicy, AssumedSubnet, Assumption, Plan};

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
            Assumption::Instance { instance_id, user_data_sha256 } => {
                changes.extend(instance_change(cloud, instance_id, user_data_sha256).await?);
            }
            Assumption::Network { vpc_id, subnets: assumed } => {
                changes.extend(network_changes(vpc_id, assumed, &vpcs, &subnets));
            }
            Assumption::InstanceRole { .. } if !started.is_empty() => {}
            Assumption::InstanceRole { role_name, policies } => {
                changes.extend(role_change(cloud, role_name, policies).await?);
            }
            Assumption::SecurityGroupRules { group_id, rules } => {
                changes.extend(group_change(plan, started, group_id, rules, &groups));
            }
            Assumption::ExistingRole { .. } => {
                changes.extend(super::drift_roles::existing_role_change(cloud, plan, started, assumption).await?);
            }
            Assumption::NameFree { .. } => {}
            Assumption::ExpressIngress { .. } | Assumption::Records { .. } if !started.is_empty() => {}
            Assumption::ExpressIngress { service_arn, .. } => {
                changes.extend(super::drift_cutover::ingress_change(cloud, assumption, service_arn).await?);
            }
            Assumption::Records { zone_id, records } => {
                changes.extend(super::drift_cutover::records_change(cloud, zone_id, records).await?);
            }
        }
    }
    changes.extend(names_taken(cloud, plan, started, run_id).await?);
    Ok(changes)
}

/// The instance is gone, or its user data no longer hashes to what the plan was made from.
async fn instance_change(
    cloud: &dyn ReadCloud,
    instance_id: &str,
    user_data_sha256: &Option<String>,
) -> CloudResult<Option<String>> {
    match cloud.instance(instance_id).await {
        Err(error) if error.is_not_found() => Ok(Some(format!("instance {instance_id} no longer exists"))),
        Err(error) => Err(error),
        Ok(_) => {
            let now = cloud.user_data(instance_id).await?;
            let now = now.as_deref().map(|u| crate::digest::sha256_hex(u.as_bytes()));
            if &now != user_data_sha256 {
                return Ok(Some(format!(
                    "the user data of {instance_id} changed since the plan was made (its environment and secrets may differ)"
                )));
            }
            Ok(None)
        }
    }
}

/// The VPC is gone, or a subnet is gone or no longer in the zone and reach the plan was
/// judged on.
fn network_changes(vpc_id: &str, assumed: &[AssumedSubnet], vpcs: &[Vpc], subnets: &[Subnet]) -> Vec<String> {
    let mut changes = Vec::new();
    if !vpcs.iter().any(|v| v.id == vpc_id) {
        changes.push(format!("VPC {vpc_id} no longer exists"));
    }
    for subnet in assumed {
        match subnets.iter().find(|s| s.id == subnet.id) {
            None => changes.push(format!("subnet {} no longer exists", subnet.id)),
            Some(now) if now.availability_zone != subnet.availability_zone || now.public != subnet.public => changes
                .push(format!(
                    "subnet {} is not what the plan was judged on (zone {}, {})",
                    subnet.id,
                    subnet.availability_zone,
                    if subnet.public { "public" } else { "private" }
                )),
            Some(_) => {}
        }
    }
    changes
}

/// The instance role is gone, or its policies differ from those the plan copies into the
/// task role.
async fn role_change(
    cloud: &dyn ReadCloud,
    role_name: &str,
    policies: &[AssumedPolicy],
) -> CloudResult<Option<String>> {
    match cloud.role(role_name).await {
        Err(error) if error.is_not_found() => Ok(Some(format!("role {role_name} no longer exists"))),
        Err(error) => Err(error),
        Ok(role) => {
            let now: Vec<AssumedPolicy> = role
                .policies
                .iter()
                .map(|p| AssumedPolicy { name: p.name.clone(), arn: p.arn.clone(), document: p.document.clone() })
                .collect();
            if !same_set(&now, policies) {
                return Ok(Some(format!(
                    "the policies of role {role_name} changed since the plan was made: the task role copies them, and they were judged as they were"
                )));
            }
            Ok(None)
        }
    }
}

/// The security group is gone or its rules changed, unless a started step of this run added
/// a rule to it.
fn group_change(
    plan: &Plan,
    started: &BTreeSet<&str>,
    group_id: &str,
    rules: &[IngressRule],
    groups: &[SecurityGroup],
) -> Option<String> {
    let changed_by_this_run = plan.steps.iter().any(|s| {
        started.contains(s.id.as_str())
            && matches!(&s.action, Action::AuthorizeIngress { group_id: g, .. } if g == group_id)
    });
    if changed_by_this_run {
        return None;
    }
    match groups.iter().find(|g| g.id == group_id) {
        None => Some(format!("security group {group_id} no longer exists")),
        Some(group) if !same_rules(&group.ingress, rules) => Some(format!(
            "the rules of security group {group_id} changed since the plan was made ({} then, {} now)",
            rules.len(),
            group.ingress.len()
        )),
        Some(_) => None,
    }
}

/// The names the steps still to run would create that something else already holds: another
/// run's resource (named, with how to remove it) or one ferry did not make.
async fn names_taken(
    cloud: &dyn ReadCloud,
    plan: &Plan,
    started: &BTreeSet<&str>,
    run_id: &str,
) -> CloudResult<Vec<String>> {
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
    let mut changes = Vec::new();
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
    same_set(now, then)
}

/// The same items in any order.
fn same_set<T: PartialEq>(now: &[T], then: &[T]) -> bool {
    now.len() == then.len() && now.iter().all(|item| then.contains(item)) && then.iter().all(|item| now.contains(item))
}
