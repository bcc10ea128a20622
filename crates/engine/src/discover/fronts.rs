//! What fronts each instance in the account: the load balancers whose target groups hold it,
//! and the host names in the account's hosted zones that point at those load balancers. It is
//! what an operator looks for first in an instance list, before choosing one to discover.
//!
//! One pass over the account, not one per instance: the target groups, their registrations and
//! the zones are read once and joined.

use std::collections::BTreeMap;

use futures::stream::{self, StreamExt};

use super::seen;
use super::traffic::fetch_zones;
use crate::cloud::{CloudResult, ReadCloud};
use crate::model::{TargetGroup, TargetHealth, Unseen};

/// How many target groups' registrations are read at once.
const GROUPS_AT_ONCE: usize = 8;

/// What fronts one instance.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Front {
    /// The load balancers' names, in account order, each once.
    pub balancers: Vec<String>,
    /// Host names (without the trailing dot) that point at one of those load balancers,
    /// shortest first: the one people type.
    pub hostnames: Vec<String>,
}

impl Front {
    /// The front in a word: the host name people type, else the load balancer's name.
    pub fn headline(&self) -> Option<&str> {
        self.hostnames.first().or(self.balancers.first()).map(String::as_str)
    }
}

/// What fronts every instance that something fronts, and what could not be read on the way
/// (an instance missing from `by_instance` is then not known to be unfronted).
#[derive(Debug, Clone, Default)]
pub struct Fronts {
    /// Instance id → its front. Instances nothing routes to are absent.
    pub by_instance: BTreeMap<String, Front>,
    /// Some load balancers, target groups or their targets could not be read: an instance
    /// missing from `by_instance` may still be behind one.
    pub routes_unread: bool,
    /// The reads that failed, as discovery records them.
    pub unseen: Vec<Unseen>,
}

/// Reads, once for the whole account, which load balancer and host names front each instance.
pub async fn what_fronts(cloud: &dyn ReadCloud) -> Fronts {
    let (groups, balancers, (zones, zone_unseen)) =
        tokio::join!(cloud.target_groups(), cloud.load_balancers(), fetch_zones(cloud));
    let mut unseen = Vec::new();
    let groups = seen(groups, "target groups", &mut unseen).unwrap_or_default();
    let balancers = seen(balancers, "load balancers", &mut unseen).unwrap_or_default();
    // Only the zones are read after this: anything unseen so far hides a route.
    let mut routes_unread = !unseen.is_empty();
    unseen.extend(zone_unseen);

    // Only instance target groups that a load balancer uses can put an instance behind one.
    // Owned items: a stream of borrowed ones makes the future lose `Send` (rust#102211).
    let candidates: Vec<TargetGroup> =
        groups.into_iter().filter(|g| g.target_type == "instance" && !g.load_balancer_arns.is_empty()).collect();
    let registrations: Vec<(TargetGroup, CloudResult<Vec<TargetHealth>>)> = stream::iter(candidates)
        .map(|group| async move {
            let targets = cloud.target_health(&group.arn).await;
            (group, targets)
        })
        .buffered(GROUPS_AT_ONCE)
        .collect()
        .await;

    let mut by_instance: BTreeMap<String, Front> = BTreeMap::new();
    for (group, targets) in registrations {
        let what = format!("targets of {}", group.name);
        let Some(targets) = seen(targets, &what, &mut unseen) else {
            routes_unread = true;
            continue;
        };
        for balancer in balancers.iter().filter(|b| group.load_balancer_arns.contains(&b.arn)) {
            let hostnames = hostnames_of(&zones, &balancer.dns_name);
            for target in &targets {
                let front = by_instance.entry(target.target_id.clone()).or_default();
                push_once(&mut front.balancers, &balancer.name);
                for hostname in &hostnames {
                    push_once(&mut front.hostnames, hostname);
                }
            }
        }
    }
    for front in by_instance.values_mut() {
        front.hostnames.sort_by(|a, b| a.len().cmp(&b.len()).then_with(|| a.cmp(b)));
    }
    Fronts { by_instance, routes_unread, unseen }
}

/// The record names in `zones` that point at the load balancer named `dns_name`.
fn hostnames_of(zones: &[(crate::model::HostedZone, Vec<crate::model::DnsRecord>)], dns_name: &str) -> Vec<String> {
    zones
        .iter()
        .flat_map(|(_, records)| records.iter())
        .filter(|record| record.points_at(dns_name))
        .map(|record| record.name.trim_end_matches('.').to_string())
        .collect()
}

fn push_once(list: &mut Vec<String>, value: &str) {
    if !list.iter().any(|v| v == value) {
        list.push(value.to_string());
    }
}
