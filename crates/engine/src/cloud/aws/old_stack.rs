//! What the old stack holds around the instance: its volumes and their snapshots, its
//! Elastic IPs, and the certificates its load balancer's listeners serve.

use aws_sdk_ec2::types::Filter;

use super::{AwsCloud, errors::from_sdk};
use crate::cloud::CloudResult;
use crate::model::{ElasticIp, ListenerCertificate, Snapshot, Volume};

fn filter(name: &str, values: impl IntoIterator<Item = String>) -> Filter {
    Filter::builder().name(name).set_values(Some(values.into_iter().collect())).build()
}

pub async fn volumes(cloud: &AwsCloud, instance_id: &str) -> CloudResult<Vec<Volume>> {
    let pages = cloud
        .ec2
        .describe_volumes()
        .filters(filter("attachment.instance-id", [instance_id.to_string()]))
        .into_paginator()
        .send()
        .try_collect()
        .await
        .map_err(from_sdk("ec2:DescribeVolumes"))?;
    Ok(pages
        .iter()
        .flat_map(|p| p.volumes())
        .map(|v| Volume {
            id: v.volume_id().unwrap_or_default().to_string(),
            size_gib: v.size().unwrap_or_default().max(0) as u32,
            volume_type: v.volume_type().map(|t| t.as_str().to_string()).unwrap_or_default(),
            iops: v.iops().map(|n| n.max(0) as u32),
            throughput: v.throughput().map(|n| n.max(0) as u32),
            delete_on_termination: v
                .attachments()
                .iter()
                .find(|a| a.instance_id() == Some(instance_id))
                .and_then(|a| a.delete_on_termination())
                .unwrap_or(false),
        })
        .collect())
}

/// Only the account's own snapshots: public and shared ones of the same volume id are not
/// the old stack's to retire.
pub async fn snapshots(cloud: &AwsCloud, volume_ids: &[String]) -> CloudResult<Vec<Snapshot>> {
    if volume_ids.is_empty() {
        return Ok(Vec::new());
    }
    let pages = cloud
        .ec2
        .describe_snapshots()
        .owner_ids("self")
        .filters(filter("volume-id", volume_ids.iter().cloned()))
        .into_paginator()
        .send()
        .try_collect()
        .await
        .map_err(from_sdk("ec2:DescribeSnapshots"))?;
    Ok(pages
        .iter()
        .flat_map(|p| p.snapshots())
        .map(|s| Snapshot {
            id: s.snapshot_id().unwrap_or_default().to_string(),
            volume_id: s.volume_id().unwrap_or_default().to_string(),
            size_gib: s.volume_size().unwrap_or_default().max(0) as u32,
            started: s.start_time().map(|t| t.to_string()),
        })
        .collect())
}

pub async fn elastic_ips(cloud: &AwsCloud, instance_id: &str) -> CloudResult<Vec<ElasticIp>> {
    let described = cloud
        .ec2
        .describe_addresses()
        .filters(filter("instance-id", [instance_id.to_string()]))
        .send()
        .await
        .map_err(from_sdk("ec2:DescribeAddresses"))?;
    Ok(described
        .addresses()
        .iter()
        .map(|a| ElasticIp {
            allocation_id: a.allocation_id().unwrap_or_default().to_string(),
            public_ip: a.public_ip().unwrap_or_default().to_string(),
        })
        .collect())
}

/// DescribeListenerCertificates pages by marker; the default certificate is among them.
pub async fn listener_certificates(cloud: &AwsCloud, listener_arn: &str) -> CloudResult<Vec<ListenerCertificate>> {
    let mut out = Vec::new();
    let mut marker = None;
    loop {
        let page = cloud
            .elb
            .describe_listener_certificates()
            .listener_arn(listener_arn)
            .set_marker(marker)
            .send()
            .await
            .map_err(from_sdk("elasticloadbalancing:DescribeListenerCertificates"))?;
        out.extend(page.certificates().iter().map(|c| ListenerCertificate {
            arn: c.certificate_arn().unwrap_or_default().to_string(),
            is_default: c.is_default().unwrap_or(false),
        }));
        match page.next_marker() {
            Some(next) if !next.is_empty() => marker = Some(next.to_string()),
            _ => return Ok(out),
        }
    }
}
