//! Instance › instance profile › role › policies.

use super::seen;
use crate::cloud::ReadCloud;
use crate::model::{Evidence, EvidenceKind, Instance, RoleEdge, Unseen};

pub(super) async fn discover_role(cloud: &dyn ReadCloud, instance: &Instance) -> (Option<RoleEdge>, Vec<Unseen>) {
    let mut unseen = Vec::new();
    let Some(profile_arn) = &instance.instance_profile_arn else {
        return (None, unseen);
    };
    let Some(profile) = seen(cloud.instance_profile(profile_arn).await, "instance profile", &mut unseen) else {
        return (None, unseen);
    };
    let Some(role_name) = profile.role_names.first().cloned() else {
        return (None, unseen);
    };
    let role = seen(cloud.role(&role_name).await, "role policies", &mut unseen);
    // A policy whose document could not be read is still listed; say what is missing.
    unseen.extend(role.iter().flat_map(|r| &r.policies).filter_map(|p| p.unreadable.clone()));
    let edge = role.map(|role| RoleEdge {
        evidence: vec![Evidence::new(
            EvidenceKind::InstanceProfile,
            format!("instance profile {} carries role {}", profile.name, role.name),
        )],
        instance_profile: profile,
        role,
    });
    (edge, unseen)
}
