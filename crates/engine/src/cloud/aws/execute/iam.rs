//! IAM roles the service runs with: created with a trust policy, tags and policies; deleted
//! after everything attached to them is removed, as IAM requires.

use aws_sdk_iam::types::Tag;

use super::{nonempty, pairs, run_of, unbuildable};
use crate::cloud::aws::AwsCloud;
use crate::cloud::aws::errors::{about, from_sdk};
use crate::cloud::{CloudResult, Found};
use crate::plan::{ActionOutput, InlinePolicy};

/// Creates the role, then attaches and puts its policies. When a policy fails after the role
/// exists, the half-made role is deleted again before the error is returned: a lookup would
/// otherwise find a role without its permissions and count the step as done. If even that
/// cleanup fails, the role carries the run's tag and rollback removes it.
pub async fn create(
    cloud: &AwsCloud,
    name: &str,
    trusted_service: &str,
    managed_policy_arns: &[String],
    inline_policies: &[InlinePolicy],
    tags: &[crate::model::Tag],
) -> CloudResult<ActionOutput> {
    let tags = pairs(tags).map(|(k, v)| Tag::builder().key(k).value(v).build()).collect::<Result<Vec<_>, _>>();
    let created = cloud
        .iam
        .create_role()
        .role_name(name)
        .assume_role_policy_document(crate::model::service_trust_policy(trusted_service).to_string())
        .set_tags(nonempty(tags.map_err(unbuildable)?))
        .send()
        .await
        .map_err(about("iam:CreateRole", "role", name))?;
    let arn = created.role().map(|r| r.arn().to_string()).unwrap_or_default();
    if let Err(error) = give_policies(cloud, name, managed_policy_arns, inline_policies).await {
        let _ = delete(cloud, name).await;
        return Err(error);
    }
    let count = managed_policy_arns.len() + inline_policies.len();
    let plural = if count == 1 { "policy" } else { "policies" };
    Ok(ActionOutput::new(format!("{arn} with {count} {plural}")).with("arn", arn))
}

async fn give_policies(
    cloud: &AwsCloud,
    name: &str,
    managed_policy_arns: &[String],
    inline_policies: &[InlinePolicy],
) -> CloudResult<()> {
    for policy_arn in managed_policy_arns {
        cloud.iam.attach_role_policy().role_name(name).policy_arn(policy_arn).send().await.map_err(about(
            "iam:AttachRolePolicy",
            "policy",
            policy_arn,
        ))?;
    }
    for policy in inline_policies {
        cloud
            .iam
            .put_role_policy()
            .role_name(name)
            .policy_name(&policy.name)
            .policy_document(policy.document.to_string())
            .send()
            .await
            .map_err(from_sdk("iam:PutRolePolicy"))?;
    }
    Ok(())
}

/// Detaches managed policies, deletes inline ones, takes the role out of any instance
/// profile, then deletes it. Whatever is already gone, at any point, counts as done.
pub async fn delete(cloud: &AwsCloud, name: &str) -> CloudResult<ActionOutput> {
    let gone = || Ok(ActionOutput::new(format!("role {name} already gone")));
    match empty_role(cloud, name).await {
        Err(error) if error.is_not_found() => return gone(),
        other => other?,
    }
    match cloud.iam.delete_role().role_name(name).send().await.map_err(from_sdk("iam:DeleteRole")) {
        Ok(_) => Ok(ActionOutput::new(format!("role {name} deleted"))),
        Err(error) if error.is_not_found() => gone(),
        Err(error) => Err(error),
    }
}

/// Removes everything IAM refuses to delete a role with.
async fn empty_role(cloud: &AwsCloud, name: &str) -> CloudResult<()> {
    let attached = cloud.iam.list_attached_role_policies().role_name(name).into_paginator().send().try_collect();
    let attached = attached.await.map_err(from_sdk("iam:ListAttachedRolePolicies"))?;
    for arn in attached.iter().flat_map(|p| p.attached_policies()).filter_map(|p| p.policy_arn()) {
        let detached = cloud.iam.detach_role_policy().role_name(name).policy_arn(arn).send().await;
        ignore_not_found(detached.map_err(from_sdk("iam:DetachRolePolicy")))?;
    }
    let inline = cloud.iam.list_role_policies().role_name(name).into_paginator().send().try_collect();
    let inline = inline.await.map_err(from_sdk("iam:ListRolePolicies"))?;
    for policy in inline.iter().flat_map(|p| p.policy_names()) {
        let deleted = cloud.iam.delete_role_policy().role_name(name).policy_name(policy).send().await;
        ignore_not_found(deleted.map_err(from_sdk("iam:DeleteRolePolicy")))?;
    }
    let profiles = cloud.iam.list_instance_profiles_for_role().role_name(name).into_paginator().send().try_collect();
    let profiles = profiles.await.map_err(from_sdk("iam:ListInstanceProfilesForRole"))?;
    for profile in profiles.iter().flat_map(|p| p.instance_profiles()) {
        let removed = cloud
            .iam
            .remove_role_from_instance_profile()
            .instance_profile_name(profile.instance_profile_name())
            .role_name(name)
            .send()
            .await;
        ignore_not_found(removed.map_err(from_sdk("iam:RemoveRoleFromInstanceProfile")))?;
    }
    Ok(())
}

/// A policy or profile already detached is what we wanted.
fn ignore_not_found<T>(result: CloudResult<T>) -> CloudResult<()> {
    match result {
        Err(error) if !error.is_not_found() => Err(error),
        _ => Ok(()),
    }
}

/// The role by name, with its tags (GetRole returns them).
pub async fn find(cloud: &AwsCloud, name: &str) -> CloudResult<Option<Found>> {
    let got = match cloud.iam.get_role().role_name(name).send().await.map_err(from_sdk("iam:GetRole")) {
        Ok(got) => got,
        Err(error) if error.is_not_found() => return Ok(None),
        Err(error) => return Err(error),
    };
    let Some(role) = got.role() else { return Ok(None) };
    let run_id = run_of(role.tags().iter().map(|t| (t.key(), t.value())));
    Ok(Some(Found { output: ActionOutput::new(role.arn().to_string()).with("arn", role.arn()), run_id }))
}
