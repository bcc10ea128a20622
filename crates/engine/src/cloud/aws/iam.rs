//! Instance profiles, roles and their policies with decoded documents.

use futures::future::join_all;
use serde_json::Value;

use super::{AwsCloud, errors::from_sdk};
use crate::cloud::{CloudError, CloudResult};
use crate::model::{InstanceProfile, Policy, PolicyKind, Role, Unseen};

pub async fn instance_profile(cloud: &AwsCloud, arn_or_name: &str) -> CloudResult<InstanceProfile> {
    let name = arn_or_name.rsplit('/').next().unwrap_or(arn_or_name);
    let out = cloud
        .iam
        .get_instance_profile()
        .instance_profile_name(name)
        .send()
        .await
        .map_err(from_sdk("iam:GetInstanceProfile"))?;
    let profile = out.instance_profile();
    Ok(InstanceProfile {
        arn: profile.map(|p| p.arn().to_string()).unwrap_or_else(|| arn_or_name.to_string()),
        name: profile.map(|p| p.instance_profile_name().to_string()).unwrap_or_else(|| name.to_string()),
        role_names: profile.map(|p| p.roles().iter().map(|r| r.role_name().to_string()).collect()).unwrap_or_default(),
    })
}

/// Every role, without policies: the inventory lists them, `role` reads one in full.
pub async fn roles(cloud: &AwsCloud) -> CloudResult<Vec<Role>> {
    let mut request = cloud.iam.list_roles().into_paginator();
    if let Some(size) = cloud.page_size {
        request = request.page_size(size);
    }
    let pages = request.send().try_collect().await.map_err(from_sdk("iam:ListRoles"))?;
    Ok(pages
        .iter()
        .flat_map(|p| p.roles())
        .map(|r| Role {
            arn: r.arn().to_string(),
            name: r.role_name().to_string(),
            trust_policy: r.assume_role_policy_document().map(decode_document).unwrap_or(Value::Null),
            policies: Vec::new(),
        })
        .collect())
}

/// The role with its inline and attached policies, every document read concurrently.
pub async fn role(cloud: &AwsCloud, name: &str) -> CloudResult<Role> {
    let get = cloud.iam.get_role().role_name(name).send();
    let attached = cloud.iam.list_attached_role_policies().role_name(name).into_paginator().send().try_collect();
    let inline = cloud.iam.list_role_policies().role_name(name).into_paginator().send().try_collect();
    let (get, attached, inline) = tokio::join!(get, attached, inline);
    let get = get.map_err(from_sdk("iam:GetRole"))?;
    let attached = attached.map_err(from_sdk("iam:ListAttachedRolePolicies"))?;
    let inline = inline.map_err(from_sdk("iam:ListRolePolicies"))?;

    let inline_names: Vec<String> = inline.iter().flat_map(|p| p.policy_names()).cloned().collect();
    let inline_policies = join_all(inline_names.iter().map(|policy| async move {
        let read = cloud.iam.get_role_policy().role_name(name).policy_name(policy).send().await;
        let document = read.map(|out| decode_document(out.policy_document())).map_err(from_sdk("iam:GetRolePolicy"));
        policy_or_gap(policy, None, PolicyKind::Inline, document)
    }));
    let attached: Vec<(String, String)> = attached
        .iter()
        .flat_map(|p| p.attached_policies())
        .filter_map(|p| Some((p.policy_name()?.to_string(), p.policy_arn()?.to_string())))
        .collect();
    let managed_policies = join_all(attached.iter().map(|(policy, arn)| async move {
        let kind =
            if arn.starts_with("arn:aws:iam::aws:") { PolicyKind::AwsManaged } else { PolicyKind::CustomerManaged };
        policy_or_gap(policy, Some(arn), kind, managed_document(cloud, arn).await)
    }));
    let (inline_policies, managed_policies) = tokio::join!(inline_policies, managed_policies);

    let role = get.role();
    Ok(Role {
        arn: role.map(|r| r.arn().to_string()).unwrap_or_default(),
        name: name.to_string(),
        trust_policy: role.and_then(|r| r.assume_role_policy_document()).map(decode_document).unwrap_or(Value::Null),
        policies: inline_policies.into_iter().chain(managed_policies).collect(),
    })
}

/// The policy with its document, or without it and with why: one unreadable document must
/// not hide the role.
fn policy_or_gap(name: &str, arn: Option<&str>, kind: PolicyKind, document: CloudResult<Value>) -> Policy {
    let (document, unreadable) = match document {
        Ok(document) => (Some(document), None),
        Err(error) => (
            None,
            Some(Unseen {
                what: format!("document of policy {name}"),
                missing_action: match &error {
                    CloudError::AccessDenied { action, .. } => Some(action.clone()),
                    _ => None,
                },
                reason: error.to_string(),
            }),
        ),
    };
    Policy { name: name.to_string(), arn: arn.map(str::to_string), kind, document, unreadable }
}

/// A managed policy's current document: GetPolicy for its default version, then that version.
async fn managed_document(cloud: &AwsCloud, arn: &str) -> CloudResult<Value> {
    let policy = cloud.iam.get_policy().policy_arn(arn).send().await.map_err(from_sdk("iam:GetPolicy"))?;
    let version = policy.policy().and_then(|p| p.default_version_id()).unwrap_or("v1");
    let document = cloud
        .iam
        .get_policy_version()
        .policy_arn(arn)
        .version_id(version)
        .send()
        .await
        .map_err(from_sdk("iam:GetPolicyVersion"))?;
    Ok(document.policy_version().and_then(|v| v.document()).map(decode_document).unwrap_or(Value::Null))
}

/// IAM returns policy documents URL-encoded (some emulators return some of them plain);
/// percent-decoding, not form-decoding, keeps a literal `+`. A document that is not JSON is
/// kept as text.
fn decode_document(encoded: &str) -> Value {
    if let Ok(plain) = serde_json::from_str(encoded.trim()) {
        return plain;
    }
    let text = percent_encoding::percent_decode_str(encoded).decode_utf8_lossy();
    serde_json::from_str(&text).unwrap_or_else(|_| Value::String(text.into_owned()))
}
