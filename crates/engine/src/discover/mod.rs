//! Walking from an instance to everything it depends on, with evidence for each edge.
//!
//! Only the instance itself must be visible; anything else that cannot be read is recorded in
//! `MigrationGraph::unseen` and discovery goes on.

mod alarms;
mod data_stores;
mod fronts;
mod iam;
mod log_groups;
mod routes;
mod storage;
mod traffic;

use thiserror::Error;

pub use fronts::{Front, Fronts, what_fronts};

use crate::cloud::{CloudError, CloudResult, ReadCloud};
use crate::model::{MigrationGraph, Unseen};

/// Why discovery could not start: the one read it cannot do without.
#[derive(Debug, Error)]
pub enum DiscoverError {
    /// The instance itself could not be read (not found, access denied, the network).
    #[error("cannot read instance {id}: {reason}")]
    Instance {
        /// The instance id asked for.
        id: String,
        /// The error the cloud gave.
        reason: CloudError,
    },
}

/// Discovers the migration graph of one instance. Its user data arrives from the cloud with
/// secrets already masked.
///
/// Every list that does not depend on the instance is read while the instance is; what does
/// (target health, the role) follows at once, so a discovery costs about four round trips
/// however many calls it makes.
pub async fn discover(cloud: &dyn ReadCloud, instance_id: &str) -> Result<MigrationGraph, DiscoverError> {
    let (instance, user_data, vpcs, subnets, groups, target_groups, balancers, stores, zones, old_stack) = tokio::join!(
        cloud.instance(instance_id),
        cloud.user_data(instance_id),
        cloud.vpcs(),
        cloud.subnets(),
        cloud.security_groups(),
        cloud.target_groups(),
        cloud.load_balancers(),
        data_stores::fetch(cloud),
        traffic::fetch_zones(cloud),
        // What the old stack holds, and what watches it (kept once the routes are known).
        async { tokio::join!(storage::fetch(cloud, instance_id), cloud.alarms(), cloud.log_groups()) },
    );
    let (storage, alarms, log_groups) = old_stack;
    let mut instance = instance.map_err(|reason| DiscoverError::Instance { id: instance_id.to_string(), reason })?;
    let mut unseen = Vec::new();
    // Without user data there is less evidence and no environment, but still a graph.
    instance.user_data = seen(user_data, "user data", &mut unseen).flatten();

    let (routes, role, group) = tokio::join!(
        routes::discover_routes(cloud, &instance, target_groups, balancers),
        iam::discover_role(cloud, &instance),
        auto_scaling_group(cloud, &instance),
    );
    let auto_scaling_group = seen(group, "Auto Scaling group", &mut unseen).flatten();
    let vpc = seen(vpcs, "VPCs", &mut unseen).and_then(|all| all.into_iter().find(|v| v.id == instance.vpc_id));
    let vpc_subnets: Vec<_> = seen(subnets, "subnets", &mut unseen)
        .unwrap_or_default()
        .into_iter()
        .filter(|s| s.vpc_id == instance.vpc_id)
        .collect();
    let all_groups = seen(groups, "security groups", &mut unseen).unwrap_or_default();
    let (routes, route_unseen) = routes;
    unseen.extend(route_unseen);
    let (zones, zone_unseen) = zones;
    unseen.extend(zone_unseen);
    let hostnames = traffic::hostnames(&zones, &routes);
    let (certificates, certificate_unseen) = traffic::certificates(cloud, &routes).await;
    unseen.extend(certificate_unseen);
    unseen.extend(storage.unseen);
    let (role, role_unseen) = role;
    unseen.extend(role_unseen);
    let alarms = seen(alarms, Unseen::ALARMS, &mut unseen).unwrap_or_default();
    let alarms = alarms::watching(alarms, &instance, &routes);
    let log_groups = seen(log_groups, Unseen::LOG_GROUPS, &mut unseen).unwrap_or_default();
    let log_groups = log_groups::writing(log_groups, &instance);

    let (data_stores, store_unseen) = data_stores::connect(stores, &instance, &all_groups, role.as_ref());
    unseen.extend(store_unseen);

    let store_group_ids: Vec<&String> = data_stores.iter().flat_map(|s| &s.security_group_ids).collect();
    let data_store_groups = all_groups.iter().filter(|g| store_group_ids.contains(&&g.id)).cloned().collect();
    let security_groups = all_groups.into_iter().filter(|g| instance.security_group_ids.contains(&g.id)).collect();

    Ok(MigrationGraph {
        instance,
        vpc,
        vpc_subnets,
        security_groups,
        routes,
        role,
        data_stores,
        data_store_groups,
        auto_scaling_group,
        hostnames,
        certificates,
        volumes: storage.volumes,
        snapshots: storage.snapshots,
        elastic_ips: storage.elastic_ips,
        alarms,
        log_groups,
        unseen,
    })
}

/// The instance's group, named by the tag AWS puts on every member.
async fn auto_scaling_group(
    cloud: &dyn ReadCloud,
    instance: &crate::model::Instance,
) -> CloudResult<Option<crate::model::AutoScalingGroup>> {
    match instance.auto_scaling_group() {
        Some(name) => cloud.auto_scaling_group(name).await,
        None => Ok(None),
    }
}

/// The value of a call, or `None` with a note of what could not be seen.
pub(crate) fn seen<T>(result: CloudResult<T>, what: &str, unseen: &mut Vec<Unseen>) -> Option<T> {
    match result {
        Ok(value) => Some(value),
        Err(error) => {
            // The error names the call that was refused, which may be a sub-call of `action`.
            let missing_action = match &error {
                CloudError::AccessDenied { action: refused, .. } => Some(refused.clone()),
                _ => None,
            };
            unseen.push(Unseen { what: what.to_string(), missing_action, reason: error.to_string() });
            None
        }
    }
}

/// A group's name with its id, or the id alone when the group is not visible.
pub(crate) fn group_label(groups: &[crate::model::SecurityGroup], id: &str) -> String {
    match groups.iter().find(|g| g.id == id) {
        Some(g) if g.name != g.id => format!("{} ({})", g.name, g.id),
        _ => id.to_string(),
    }
}
