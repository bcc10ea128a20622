//! The steps of a cutover, from what discovery found and how the Express service is reached.

use super::certificates::{Chosen, choose};
use super::{CutoverError, CutoverOptions};
use crate::model::{AliasTarget, DnsRecord, ExpressIngress, HostnameEdge, MigrationGraph, same_host};
use crate::plan::{Action, GateSides, Step, WeightedPair};

/// The set identifiers of the weighted records: they say which side each record sends to.
const OLD_ID: &str = "ferry-old";
const NEW_ID: &str = "ferry-new";
/// What resolvers may cache an alias for: its target's TTL, 60 s for a load balancer.
const ALIAS_TTL_SECS: u64 = 60;

/// Host rule and certificate first (the new side must answer for the name before any
/// resolver is sent there), then the split, then each stage: weights, one TTL, the bake.
/// Also returns the certificates the moved names rely on, with their names.
pub(super) fn cutover_steps(
    graph: &MigrationGraph,
    ingress: &ExpressIngress,
    region: &str,
    options: &CutoverOptions,
    given_names: Option<Vec<String>>,
) -> Result<(Vec<Step>, Vec<Chosen>), CutoverError> {
    let hosts = chosen_hosts(graph, options)?;
    let mut steps = Vec::new();
    for host in &hosts {
        // A host the rule already matches was not put there by this plan: leave it alone,
        // so a rollback never removes it.
        if !ingress.rule_hosts.iter().any(|h| h.eq_ignore_ascii_case(host)) {
            let action = Action::AddRuleHost { rule_arn: ingress.rule_arn.clone(), host: host.clone() };
            steps.push(step(&format!("rule-host-{}", slug(host)), action));
        }
    }
    let certificates = choose(&graph.certificates, region, options, &hosts, given_names)?;
    for (index, (certificate_arn, _)) in certificates.iter().enumerate() {
        if !ingress.certificate_arns.contains(certificate_arn) {
            let action = Action::AddListenerCertificate {
                listener_arn: ingress.listener_arn.clone(),
                certificate_arn: certificate_arn.clone(),
            };
            steps.push(step(&format!("listener-certificate-{}", index + 1), action));
        }
    }
    let pairs: Vec<WeightedPair> = hosts.iter().map(|host| pair(graph, ingress, host)).collect();
    for pair in &pairs {
        steps
            .push(step(&format!("split-{}", slug(pair.host())), Action::SplitRecords { pair: Box::new(pair.clone()) }));
    }
    let sides = gate_sides(graph, ingress);
    for share in options.stages.shares() {
        steps.extend(stage_steps(&pairs, *share, options));
        let gate = Action::HealthGate {
            share: *share,
            pairs: pairs.clone(),
            sides: Box::new(sides.clone()),
            window: options.window,
            thresholds: options.thresholds,
        };
        steps.push(step(&format!("stage-{share}-gate"), gate));
    }
    Ok((steps, certificates))
}

/// The Express load balancer against the old one the host names point at.
fn gate_sides(graph: &MigrationGraph, ingress: &ExpressIngress) -> GateSides {
    let old = graph
        .hostnames
        .first()
        .and_then(|h| graph.routes.iter().find(|r| r.load_balancer.arn == h.load_balancer_arn))
        .or(graph.routes.first());
    GateSides {
        new_load_balancer_arn: ingress.load_balancer_arn.clone(),
        new_target_group_arn: ingress.target_group_arns.first().cloned(),
        old_load_balancer_arn: old.map(|r| r.load_balancer.arn.clone()).unwrap_or_default(),
        old_target_group_arn: old.map(|r| r.target_group.arn.clone()),
    }
}

/// The weights, one TTL for resolvers to see them, then the bake.
fn stage_steps(pairs: &[WeightedPair], share: u8, options: &CutoverOptions) -> Vec<Step> {
    let bake_secs = options.bake_secs;
    let mut steps = Vec::new();
    for pair in pairs {
        let action = Action::SetWeights { pair: Box::new(pair.clone()), old_weight: 100 - share, new_weight: share };
        steps.push(step(&format!("stage-{share}-weights-{}", slug(pair.host())), action));
    }
    let ttl = pairs.iter().flat_map(|p| &p.records).map(record_ttl).max().unwrap_or(ALIAS_TTL_SECS);
    let why = format!("one TTL, so resolvers see {share} %");
    steps.push(step(&format!("stage-{share}-ttl"), Action::Bake { seconds: ttl, why }));
    if bake_secs > 0 {
        let why = format!("bake at {share} %");
        steps.push(step(&format!("stage-{share}-bake"), Action::Bake { seconds: bake_secs, why }));
    }
    steps
}

fn record_ttl(record: &DnsRecord) -> u64 {
    match record.alias {
        Some(_) => ALIAS_TTL_SECS,
        None => record.ttl.map_or(ALIAS_TTL_SECS, |ttl| ttl.max(0) as u64),
    }
}

/// The names to move: those asked for, each one discovery found; else every one found.
fn chosen_hosts(graph: &MigrationGraph, options: &CutoverOptions) -> Result<Vec<String>, CutoverError> {
    let mut found: Vec<String> = Vec::new();
    for edge in &graph.hostnames {
        let host = edge.record.name.trim_end_matches('.').to_ascii_lowercase();
        if !found.contains(&host) {
            found.push(host);
        }
    }
    if found.is_empty() {
        return Err(CutoverError::NoHostnames);
    }
    if options.hostnames.is_empty() {
        return Ok(found);
    }
    let mut chosen = Vec::new();
    for asked in &options.hostnames {
        let host = asked.trim_end_matches('.').to_ascii_lowercase();
        if !found.contains(&host) {
            return Err(CutoverError::UnknownHostname { host: asked.clone(), found: found.join(", ") });
        }
        if !chosen.contains(&host) {
            chosen.push(host);
        }
    }
    Ok(chosen)
}

/// The records of `host` that point at the old load balancer, and where their pair points.
fn pair(graph: &MigrationGraph, ingress: &ExpressIngress, host: &str) -> WeightedPair {
    let edges: Vec<&HostnameEdge> = graph.hostnames.iter().filter(|h| same_host(&h.record.name, host)).collect();
    WeightedPair {
        zone_id: edges.first().map(|e| e.zone.id.clone()).unwrap_or_default(),
        records: edges.iter().map(|e| e.record.clone()).collect(),
        old_id: OLD_ID.into(),
        new_id: NEW_ID.into(),
        new_target: AliasTarget {
            dns_name: format!("dualstack.{}.", ingress.dns_name.trim_end_matches('.')),
            hosted_zone_id: ingress.canonical_zone_id.clone(),
            evaluate_target_health: true,
        },
    }
}

fn step(id: &str, action: Action) -> Step {
    Step { id: id.to_string(), action }
}

/// `shop.example.com` → `shop-example-com`: a step id part.
fn slug(host: &str) -> String {
    host.chars().map(|c| if c.is_ascii_alphanumeric() { c.to_ascii_lowercase() } else { '-' }).collect()
}
