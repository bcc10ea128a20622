//! Route 53: the hosted zones the account owns and their records, read whole so a cutover
//! can restore each one exactly.

use aws_sdk_route53::types as r53;

use super::{AwsCloud, errors::from_sdk};
use crate::cloud::CloudResult;
use crate::model::{AliasTarget, DnsRecord, HostedZone};

pub async fn hosted_zones(cloud: &AwsCloud) -> CloudResult<Vec<HostedZone>> {
    let pages = cloud
        .route53
        .list_hosted_zones()
        .into_paginator()
        .send()
        .try_collect()
        .await
        .map_err(from_sdk("route53:ListHostedZones"))?;
    Ok(pages
        .iter()
        .flat_map(|p| p.hosted_zones())
        .map(|z| HostedZone {
            id: z.id().trim_start_matches("/hostedzone/").to_string(),
            name: z.name().to_string(),
            private: z.config().is_some_and(|c| c.private_zone()),
        })
        .collect())
}

/// Every record of a zone. ListResourceRecordSets pages by the next record's name, type and
/// identifier rather than a token, so the loop carries all three.
pub async fn records(cloud: &AwsCloud, zone_id: &str) -> CloudResult<Vec<DnsRecord>> {
    let mut out = Vec::new();
    let mut next: Option<(String, Option<r53::RrType>, Option<String>)> = None;
    loop {
        let mut request = cloud.route53.list_resource_record_sets().hosted_zone_id(zone_id);
        if let Some(size) = cloud.page_size {
            request = request.max_items(size);
        }
        if let Some((name, kind, identifier)) = next.take() {
            request =
                request.start_record_name(name).set_start_record_type(kind).set_start_record_identifier(identifier);
        }
        let page = request.send().await.map_err(from_sdk("route53:ListResourceRecordSets"))?;
        out.extend(page.resource_record_sets().iter().map(record_from));
        match (page.is_truncated(), page.next_record_name()) {
            (true, Some(name)) => {
                next = Some((
                    name.to_string(),
                    page.next_record_type().cloned(),
                    page.next_record_identifier().map(str::to_string),
                ));
            }
            _ => return Ok(out),
        }
    }
}

fn record_from(set: &r53::ResourceRecordSet) -> DnsRecord {
    DnsRecord {
        name: set.name().to_string(),
        record_type: set.r#type().as_str().to_string(),
        ttl: set.ttl(),
        alias: set.alias_target().map(|a| AliasTarget {
            dns_name: a.dns_name().to_string(),
            hosted_zone_id: a.hosted_zone_id().to_string(),
            evaluate_target_health: a.evaluate_target_health(),
        }),
        values: set.resource_records().iter().map(|r| r.value().to_string()).collect(),
        set_identifier: set.set_identifier().map(str::to_string),
        weight: set.weight(),
    }
}
