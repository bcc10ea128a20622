//! Instance › target group (by registration) › load balancer › listeners.

use futures::future::join_all;

use super::seen;
use crate::cloud::{CloudResult, ReadCloud};
use crate::model::{Evidence, EvidenceKind, Instance, LoadBalancer, RouteEdge, TargetGroup, Unseen};

pub(super) async fn discover_routes(
    cloud: &dyn ReadCloud,
    instance: &Instance,
    groups: CloudResult<Vec<TargetGroup>>,
    balancers: CloudResult<Vec<LoadBalancer>>,
) -> (Vec<RouteEdge>, Vec<Unseen>) {
    let mut unseen = Vec::new();
    let groups = seen(groups, "target groups", &mut unseen).unwrap_or_default();
    let balancers = seen(balancers, "load balancers", &mut unseen).unwrap_or_default();

    // Only instance target groups in the instance's VPC can hold it.
    let candidates: Vec<_> =
        groups.iter().filter(|g| g.target_type == "instance" && g.vpc_id == instance.vpc_id).collect();
    let healths = join_all(candidates.iter().map(|g| cloud.target_health(&g.arn))).await;

    let mut routes = Vec::new();
    for (group, health) in candidates.into_iter().zip(healths) {
        let what = format!("targets of {}", group.name);
        let Some(health) = seen(health, &what, &mut unseen) else {
            continue;
        };
        let Some(target) = health.into_iter().find(|t| t.target_id == instance.id) else {
            continue;
        };
        let mut group = (*group).clone();
        let what = format!("attributes of {}", group.name);
        group.stickiness = seen(cloud.target_group_stickiness(&group.arn).await, &what, &mut unseen).flatten();
        for balancer in balancers.iter().filter(|b| group.load_balancer_arns.contains(&b.arn)) {
            let what = format!("listeners of {}", balancer.name);
            let listeners = seen(cloud.listeners(&balancer.arn).await, &what, &mut unseen).unwrap_or_default();
            let listeners: Vec<_> =
                listeners.into_iter().filter(|l| l.forward_target_group_arns.contains(&group.arn)).collect();
            let mut evidence = vec![Evidence::new(
                EvidenceKind::TargetRegistration,
                format!(
                    "{} is registered in {} on port {} ({})",
                    instance.id,
                    group.name,
                    target.port,
                    target.state.as_str()
                ),
            )];
            evidence.extend(listeners.iter().map(|l| {
                Evidence::new(
                    EvidenceKind::ListenerForward,
                    format!("listener {}:{} on {} forwards to {}", l.protocol, l.port, balancer.name, group.name),
                )
            }));
            routes.push(RouteEdge {
                load_balancer: balancer.clone(),
                listeners,
                target_group: group.clone(),
                target: target.clone(),
                evidence,
                balancer_target_groups: groups.iter().filter(|g| g.load_balancer_arns.contains(&balancer.arn)).count()
                    as u32,
            });
        }
    }
    (routes, unseen)
}
