//! Moving traffic in the sandbox: the Express load balancer's rule and certificates, and the
//! weighted records that carry a host name from the old load balancer to the new one. Each
//! change refuses what Route 53 or ELB would refuse, so a plan that works here is sound.

use super::Sandbox;
use super::build_old_stack::load_balancer_zone;
use super::state::{AccountState, ExpressService, stable_suffix};
use crate::cloud::{CloudError, CloudResult, ProgressSink};
use crate::model::{DnsRecord, ExpressIngress};
use crate::plan::{Action, ActionOutput, WeightedPair};

/// Whether `action` is one of the cutover's changes, carried out here.
pub(super) fn is_cutover(action: &Action) -> bool {
    matches!(
        action,
        Action::AddRuleHost { .. }
            | Action::RemoveRuleHost { .. }
            | Action::AddListenerCertificate { .. }
            | Action::RemoveListenerCertificate { .. }
            | Action::SplitRecords { .. }
            | Action::JoinRecords { .. }
            | Action::SetWeights { .. }
            | Action::ReturnWeights { .. }
            | Action::FinalizeRecords { .. }
            | Action::UnfinalizeRecords { .. }
    )
}

/// The load balancer Express Mode runs a service behind: one per cluster here (AWS shares one
/// among up to 25 services of a VPC), with a rule per service.
pub(super) fn ingress_of(service: &ExpressService, region: &str) -> ExpressIngress {
    let (account, cluster) = arn_parts(&service.arn);
    let lb_name = format!("ecs-express-{cluster}");
    let lb_path = format!("app/{lb_name}/{}", stable_suffix(&lb_name));
    let elb = |kind: &str, path: &str| format!("arn:aws:elasticloadbalancing:{region}:{account}:{kind}/{path}");
    let listener_id = stable_suffix(&format!("{lb_name}:443"));
    let endpoint_host = service.endpoint.trim_start_matches("https://").to_string();
    let mut rule_hosts = vec![endpoint_host.clone()];
    rule_hosts.extend(service.extra_hosts.iter().cloned());
    let mut certificate_arns = vec![format!("arn:aws:acm:{region}:{account}:certificate/{}", stable_suffix(&lb_name))];
    certificate_arns.extend(service.extra_certificates.iter().cloned());
    ExpressIngress {
        endpoint_host,
        load_balancer_arn: elb("loadbalancer", &lb_path),
        dns_name: format!("{lb_name}-{}.{region}.elb.amazonaws.com", &stable_suffix(&lb_name)[..10]),
        canonical_zone_id: load_balancer_zone(region),
        listener_arn: elb("listener", &format!("{lb_path}/{listener_id}")),
        rule_arn: elb(
            "listener-rule",
            &format!("{lb_path}/{listener_id}/{}", stable_suffix(&service.config.service_name)),
        ),
        rule_hosts,
        certificate_arns,
        target_group_arns: vec![elb(
            "targetgroup",
            &format!("ecs-gateway-tg-{}/{}", &stable_suffix(&service.arn)[..8], stable_suffix(&service.arn)),
        )],
    }
}

/// The account id and cluster of `arn:aws:ecs:REGION:ACCOUNT:service/CLUSTER/NAME`.
fn arn_parts(arn: &str) -> (&str, &str) {
    let account = arn.split(':').nth(4).unwrap_or_default();
    let cluster = arn.split('/').nth(1).unwrap_or("default");
    (account, cluster)
}

/// Carries out one cutover change on the account.
pub(super) fn change(state: &mut AccountState, region: &str, action: &Action) -> CloudResult<ActionOutput> {
    match action {
        Action::AddRuleHost { rule_arn, host } => {
            let service = service_by(state, region, |i| &i.rule_arn == rule_arn, rule_arn)?;
            if !service.extra_hosts.contains(host) {
                service.extra_hosts.push(host.clone());
            }
            Ok(ActionOutput::new(format!("rule matches {host}")))
        }
        Action::RemoveRuleHost { rule_arn, host } => {
            let service = service_by(state, region, |i| &i.rule_arn == rule_arn, rule_arn)?;
            service.extra_hosts.retain(|h| h != host);
            Ok(ActionOutput::new(format!("{host} removed from the rule")))
        }
        Action::AddListenerCertificate { listener_arn, certificate_arn } => {
            let service = service_by(state, region, |i| &i.listener_arn == listener_arn, listener_arn)?;
            if !service.extra_certificates.contains(certificate_arn) {
                service.extra_certificates.push(certificate_arn.clone());
            }
            Ok(ActionOutput::new("certificate added to the listener"))
        }
        Action::RemoveListenerCertificate { listener_arn, certificate_arn } => {
            let service = service_by(state, region, |i| &i.listener_arn == listener_arn, listener_arn)?;
            service.extra_certificates.retain(|c| c != certificate_arn);
            Ok(ActionOutput::new("certificate removed from the listener"))
        }
        Action::SplitRecords { pair } => split(zone(state, pair)?, pair),
        Action::JoinRecords { pair } => Ok(join(zone(state, pair)?, pair)),
        Action::SetWeights { pair, old_weight, new_weight } => {
            weigh(zone(state, pair)?, pair, *old_weight, *new_weight)
        }
        Action::ReturnWeights { pair } => weigh(zone(state, pair)?, pair, 100, 0),
        Action::FinalizeRecords { pair } => Ok(finalize(zone(state, pair)?, pair, true)),
        Action::UnfinalizeRecords { pair } => Ok(finalize(zone(state, pair)?, pair, false)),
        _ => Err(CloudError::Other(format!("{} is not a cutover change", action.verb()))),
    }
}

/// The service whose ingress `matches`; a rule or listener no service has is not found.
fn service_by<'a>(
    state: &'a mut AccountState,
    region: &str,
    matches: impl Fn(&ExpressIngress) -> bool,
    what: &str,
) -> CloudResult<&'a mut ExpressService> {
    state
        .express_services
        .values_mut()
        .find(|s| matches(&ingress_of(s, region)))
        .ok_or_else(|| CloudError::not_found("listener or rule", what))
}

fn zone<'a>(state: &'a mut AccountState, pair: &WeightedPair) -> CloudResult<&'a mut Vec<DnsRecord>> {
    state.records.get_mut(&pair.zone_id).ok_or_else(|| CloudError::not_found("hosted zone", &pair.zone_id))
}

fn same_set(record: &DnsRecord, like: &DnsRecord, id: &str) -> bool {
    record.name == like.name && record.record_type == like.record_type && record.set_identifier.as_deref() == Some(id)
}

/// DELETE the originals and CREATE both weighted records, all or nothing, as Route 53 does
/// a change batch. Already split (the weighted records there, the originals gone) is success.
fn split(records: &mut Vec<DnsRecord>, pair: &WeightedPair) -> CloudResult<ActionOutput> {
    for original in &pair.records {
        let present = records.contains(original);
        let split_already = records.iter().any(|r| same_set(r, original, &pair.old_id));
        if !present && !split_already {
            return Err(CloudError::Invalid(format!(
                "InvalidChangeBatch: Tried to delete resource record set [name='{}', type='{}'] but it was not found",
                original.name, original.record_type
            )));
        }
    }
    for original in &pair.records {
        if let Some(at) = records.iter().position(|r| r == original) {
            records.remove(at);
            records.push(pair.old_record(original, 100));
            records.push(pair.new_record(original, 0));
        }
    }
    Ok(ActionOutput::new(format!("{} split: old 100, new 0", pair.host())).with("status", "INSYNC"))
}

/// Remove both weighted records whatever their weights, and put each original back.
fn join(records: &mut Vec<DnsRecord>, pair: &WeightedPair) -> ActionOutput {
    for original in &pair.records {
        records.retain(|r| !same_set(r, original, &pair.old_id) && !same_set(r, original, &pair.new_id));
        if !records.contains(original) {
            records.push(original.clone());
        }
    }
    ActionOutput::new(format!("{} restored as it was", pair.host())).with("status", "INSYNC")
}

/// Both weighted records give way to the plain new one, or (undoing) the other way round at
/// old 0 / new 100. Already done is success.
fn finalize(records: &mut Vec<DnsRecord>, pair: &WeightedPair, plain: bool) -> ActionOutput {
    for original in &pair.records {
        let last = pair.final_record(original);
        records.retain(|r| r != &last && !same_set(r, original, &pair.old_id) && !same_set(r, original, &pair.new_id));
        if plain {
            records.push(last);
        } else {
            records.push(pair.old_record(original, 0));
            records.push(pair.new_record(original, 100));
        }
    }
    let done = if plain { "now points only at the new load balancer" } else { "weighted again, old 0 / new 100" };
    ActionOutput::new(format!("{} {done}", pair.host())).with("status", "INSYNC")
}

fn weigh(records: &mut [DnsRecord], pair: &WeightedPair, old: u8, new: u8) -> CloudResult<ActionOutput> {
    for original in &pair.records {
        for (id, weight) in [(&pair.old_id, old), (&pair.new_id, new)] {
            let record = records.iter_mut().find(|r| same_set(r, original, id)).ok_or_else(|| {
                CloudError::Invalid(format!(
                    "InvalidChangeBatch: no weighted record {} {} with identifier {id}",
                    original.name, original.record_type
                ))
            })?;
            record.weight = Some(i64::from(weight));
        }
    }
    Ok(ActionOutput::new(format!("{}: old {old} / new {new}", pair.host())).with("status", "INSYNC"))
}

impl Sandbox {
    /// A wait at the account's pace: a class sees a 15-minute bake pass in about 20 seconds
    /// at the bundled pace, and at once with `--latency-ms 0`.
    pub(super) async fn bake(&self, seconds: u64, why: &str, progress: ProgressSink<'_>) -> CloudResult<ActionOutput> {
        let total = self.latency.saturating_mul(u32::try_from(seconds).unwrap_or(u32::MAX)) / 4;
        let ticks = 10u32;
        for tick in 0..ticks {
            progress(format!("{why}: {} of {seconds} s (simulated)", seconds * u64::from(tick) / u64::from(ticks)));
            tokio::time::sleep(total / ticks).await;
        }
        Ok(ActionOutput::new(format!("waited {seconds} s ({why})")))
    }
}
