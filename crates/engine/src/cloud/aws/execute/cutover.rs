//! Moving traffic on AWS: the Express listener rule's host names and the listener's
//! certificates (Elastic Load Balancing), and weighted records in one atomic Route 53 change
//! batch at a time, each waited on until Route 53 reports it INSYNC.

use std::time::{Duration, Instant};

use aws_sdk_elasticloadbalancingv2::types as elb;
use aws_sdk_route53::types as r53;

use super::super::{AwsCloud, errors::from_sdk};
use crate::cloud::{CloudError, CloudResult, ProgressSink};
use crate::model::DnsRecord;
use crate::plan::{ActionOutput, WeightedPair};

/// How long a change may stay PENDING before the step fails: Route 53 usually syncs in
/// under a minute.
const SYNC_TIMEOUT: Duration = Duration::from_secs(600);

/// The rule's host-header values with `host` added or taken out; its other conditions kept.
pub async fn set_rule_host(cloud: &AwsCloud, rule_arn: &str, host: &str, present: bool) -> CloudResult<ActionOutput> {
    let described = cloud
        .elb
        .describe_rules()
        .rule_arns(rule_arn)
        .send()
        .await
        .map_err(from_sdk("elasticloadbalancing:DescribeRules"))?;
    let rule = described.rules().first().ok_or_else(|| CloudError::not_found("listener rule", rule_arn))?;
    let mut hosts = super::super::express_ingress::hosts_of(rule.conditions());
    let mut conditions: Vec<_> =
        rule.conditions().iter().filter(|c| c.field() != Some("host-header")).cloned().collect();
    let had = hosts.iter().any(|h| h.eq_ignore_ascii_case(host));
    if had == present {
        return Ok(ActionOutput::new(format!(
            "rule already {} {host}",
            if present { "matches" } else { "leaves out" }
        )));
    }
    if present {
        hosts.push(host.to_string());
    } else {
        hosts.retain(|h| !h.eq_ignore_ascii_case(host));
    }
    let config = elb::HostHeaderConditionConfig::builder().set_values(Some(hosts)).build();
    conditions.push(elb::RuleCondition::builder().field("host-header").host_header_config(config).build());
    cloud
        .elb
        .modify_rule()
        .rule_arn(rule_arn)
        .set_conditions(Some(conditions))
        .send()
        .await
        .map_err(from_sdk("elasticloadbalancing:ModifyRule"))?;
    Ok(ActionOutput::new(format!("{host} {} the rule", if present { "added to" } else { "removed from" })))
}

pub async fn set_listener_certificate(
    cloud: &AwsCloud,
    listener_arn: &str,
    certificate_arn: &str,
    present: bool,
) -> CloudResult<ActionOutput> {
    let certificate = elb::Certificate::builder().certificate_arn(certificate_arn).build();
    if present {
        let request = cloud.elb.add_listener_certificates().listener_arn(listener_arn).certificates(certificate);
        request.send().await.map_err(from_sdk("elasticloadbalancing:AddListenerCertificates"))?;
        Ok(ActionOutput::new("certificate added to the listener"))
    } else {
        let request = cloud.elb.remove_listener_certificates().listener_arn(listener_arn).certificates(certificate);
        request.send().await.map_err(from_sdk("elasticloadbalancing:RemoveListenerCertificates"))?;
        Ok(ActionOutput::new("certificate removed from the listener"))
    }
}

/// DELETE each original and CREATE its weighted pair (old 100, new 0) in one batch. Already
/// split (no original left, the old weighted record there) is success, so a resumed run
/// does not fail on its own change.
pub async fn split(cloud: &AwsCloud, pair: &WeightedPair, progress: ProgressSink<'_>) -> CloudResult<ActionOutput> {
    let now = super::super::route53::records(cloud, &pair.zone_id).await?;
    let mut changes = Vec::new();
    for original in &pair.records {
        if now.contains(original) {
            changes.push(change(r53::ChangeAction::Delete, original)?);
            changes.push(change(r53::ChangeAction::Create, &pair.old_record(original, 100))?);
            changes.push(change(r53::ChangeAction::Create, &pair.new_record(original, 0))?);
        } else if !now.iter().any(|r| same_set(r, original, &pair.old_id)) {
            return Err(CloudError::Invalid(format!(
                "{} {} is no longer as the plan saw it: make the cutover plan again",
                original.name, original.record_type
            )));
        }
    }
    submit(cloud, &pair.zone_id, changes, progress).await?;
    Ok(ActionOutput::new(format!("{} split: old 100, new 0", pair.host())))
}

/// DELETE both weighted records as they are now (a DELETE must name the current weight) and
/// CREATE each original, in one batch.
pub async fn join(cloud: &AwsCloud, pair: &WeightedPair, progress: ProgressSink<'_>) -> CloudResult<ActionOutput> {
    let now = super::super::route53::records(cloud, &pair.zone_id).await?;
    let mut changes = Vec::new();
    for original in &pair.records {
        for current in now.iter().filter(|r| same_set(r, original, &pair.old_id) || same_set(r, original, &pair.new_id))
        {
            changes.push(change(r53::ChangeAction::Delete, current)?);
        }
        if !now.contains(original) {
            changes.push(change(r53::ChangeAction::Create, original)?);
        }
    }
    submit(cloud, &pair.zone_id, changes, progress).await?;
    Ok(ActionOutput::new(format!("{} restored as it was", pair.host())))
}

/// DELETE both weighted records as they are and CREATE the plain new one (or, undoing, the
/// other way round at old 0 / new 100), in one batch. Already done is success.
pub async fn finalize(
    cloud: &AwsCloud,
    pair: &WeightedPair,
    plain: bool,
    progress: ProgressSink<'_>,
) -> CloudResult<ActionOutput> {
    let now = super::super::route53::records(cloud, &pair.zone_id).await?;
    let mut changes = Vec::new();
    for original in &pair.records {
        let last = pair.final_record(original);
        let weighted: Vec<&DnsRecord> =
            now.iter().filter(|r| same_set(r, original, &pair.old_id) || same_set(r, original, &pair.new_id)).collect();
        if plain && !weighted.is_empty() {
            changes.extend(
                weighted.into_iter().map(|r| change(r53::ChangeAction::Delete, r)).collect::<Result<Vec<_>, _>>()?,
            );
            changes.push(change(r53::ChangeAction::Create, &last)?);
        } else if !plain && now.contains(&last) {
            changes.push(change(r53::ChangeAction::Delete, &last)?);
            changes.push(change(r53::ChangeAction::Create, &pair.old_record(original, 0))?);
            changes.push(change(r53::ChangeAction::Create, &pair.new_record(original, 100))?);
        }
    }
    submit(cloud, &pair.zone_id, changes, progress).await?;
    let done = if plain { "now points only at the new load balancer" } else { "weighted again, old 0 / new 100" };
    Ok(ActionOutput::new(format!("{} {done}", pair.host())))
}

/// UPSERT both weighted records of every original at the given weights.
pub async fn weigh(
    cloud: &AwsCloud,
    pair: &WeightedPair,
    old: u8,
    new: u8,
    progress: ProgressSink<'_>,
) -> CloudResult<ActionOutput> {
    let mut changes = Vec::new();
    for original in &pair.records {
        changes.push(change(r53::ChangeAction::Upsert, &pair.old_record(original, old))?);
        changes.push(change(r53::ChangeAction::Upsert, &pair.new_record(original, new))?);
    }
    submit(cloud, &pair.zone_id, changes, progress).await?;
    Ok(ActionOutput::new(format!("{}: old {old} / new {new}", pair.host())))
}

/// A real wait, reported every ten seconds.
pub async fn bake(seconds: u64, why: &str, progress: ProgressSink<'_>) -> CloudResult<ActionOutput> {
    let start = Instant::now();
    let total = Duration::from_secs(seconds);
    while start.elapsed() < total {
        progress(format!("{why}: {} of {seconds} s", start.elapsed().as_secs()));
        tokio::time::sleep((total - start.elapsed()).min(Duration::from_secs(10))).await;
    }
    Ok(ActionOutput::new(format!("waited {seconds} s ({why})")))
}

fn same_set(record: &DnsRecord, like: &DnsRecord, id: &str) -> bool {
    record.name == like.name && record.record_type == like.record_type && record.set_identifier.as_deref() == Some(id)
}

/// Sends one change batch, then polls GetChange until it is INSYNC.
async fn submit(
    cloud: &AwsCloud,
    zone_id: &str,
    changes: Vec<r53::Change>,
    progress: ProgressSink<'_>,
) -> CloudResult<()> {
    if changes.is_empty() {
        return Ok(());
    }
    let batch = r53::ChangeBatch::builder().set_changes(Some(changes)).build().map_err(invalid)?;
    let sent = cloud
        .route53
        .change_resource_record_sets()
        .hosted_zone_id(zone_id)
        .change_batch(batch)
        .send()
        .await
        .map_err(from_sdk("route53:ChangeResourceRecordSets"))?;
    let mut info = sent.change_info().cloned();
    let start = Instant::now();
    while let Some(current) = info.filter(|c| c.status() != &r53::ChangeStatus::Insync) {
        if start.elapsed() > SYNC_TIMEOUT {
            return Err(CloudError::Other(format!("Route 53 change {} still PENDING after 10 minutes", current.id())));
        }
        progress(format!("Route 53 change {} PENDING", current.id()));
        tokio::time::sleep(cloud.poll_interval).await;
        let read = cloud.route53.get_change().id(current.id()).send().await;
        info = read.map_err(from_sdk("route53:GetChange"))?.change_info().cloned();
    }
    Ok(())
}

fn change(action: r53::ChangeAction, record: &DnsRecord) -> CloudResult<r53::Change> {
    r53::Change::builder().action(action).resource_record_set(record_set(record)?).build().map_err(invalid)
}

fn record_set(record: &DnsRecord) -> CloudResult<r53::ResourceRecordSet> {
    let mut set = r53::ResourceRecordSet::builder()
        .name(&record.name)
        .r#type(r53::RrType::from(record.record_type.as_str()))
        .set_ttl(record.ttl)
        .set_set_identifier(record.set_identifier.clone())
        .set_weight(record.weight);
    if let Some(alias) = &record.alias {
        let target = r53::AliasTarget::builder()
            .dns_name(&alias.dns_name)
            .hosted_zone_id(&alias.hosted_zone_id)
            .evaluate_target_health(alias.evaluate_target_health)
            .build()
            .map_err(invalid)?;
        set = set.alias_target(target);
    }
    for value in &record.values {
        set = set.resource_records(r53::ResourceRecord::builder().value(value).build().map_err(invalid)?);
    }
    set.build().map_err(invalid)
}

fn invalid(error: impl std::fmt::Display) -> CloudError {
    CloudError::Invalid(error.to_string())
}
