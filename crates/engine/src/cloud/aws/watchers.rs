//! What watches the old stack: the region's CloudWatch metric alarms and its CloudWatch Logs
//! log groups, every page, for discovery to keep those tied to the instance.

use aws_sdk_cloudwatch::types::{Dimension, Metric, MetricAlarm};

use super::{AwsCloud, errors::from_sdk};
use crate::cloud::CloudResult;
use crate::model::{Alarm, AlarmMetric, LogGroup, MetricDimension};

/// DescribeAlarms returns at most 100 alarms a page.
const MAX_ALARMS_PER_PAGE: i32 = 100;
/// DescribeLogGroups returns at most 50 groups a page.
const MAX_GROUPS_PER_PAGE: i32 = 50;

/// Every metric alarm (DescribeAlarms lists no composite alarm unless asked: they name no
/// metric of their own).
pub async fn alarms(cloud: &AwsCloud) -> CloudResult<Vec<Alarm>> {
    let pages = cloud
        .cloudwatch
        .describe_alarms()
        .set_max_records(cloud.page_size.map(|n| n.clamp(1, MAX_ALARMS_PER_PAGE)))
        .into_paginator()
        .send()
        .try_collect()
        .await
        .map_err(from_sdk("cloudwatch:DescribeAlarms"))?;
    Ok(pages.iter().flat_map(|p| p.metric_alarms()).map(alarm).collect())
}

fn alarm(a: &MetricAlarm) -> Alarm {
    let mut metrics = Vec::new();
    if let Some(name) = a.metric_name() {
        metrics.push(AlarmMetric {
            namespace: a.namespace().unwrap_or_default().to_string(),
            name: name.to_string(),
            dimensions: dimensions(a.dimensions()),
            period_seconds: period(a.period()),
        });
    }
    // A metric math alarm: each queried metric is billed as one alarm metric; an expression
    // over them names no resource.
    for query in a.metrics() {
        let Some(stat) = query.metric_stat() else { continue };
        let Some(metric) = stat.metric() else { continue };
        metrics.push(metric_of(metric, stat.period().or(query.period())));
    }
    Alarm {
        name: a.alarm_name().unwrap_or_default().to_string(),
        arn: a.alarm_arn().unwrap_or_default().to_string(),
        metrics,
    }
}

fn metric_of(metric: &Metric, seconds: Option<i32>) -> AlarmMetric {
    AlarmMetric {
        namespace: metric.namespace().unwrap_or_default().to_string(),
        name: metric.metric_name().unwrap_or_default().to_string(),
        dimensions: dimensions(metric.dimensions()),
        period_seconds: period(seconds),
    }
}

fn dimensions(all: &[Dimension]) -> Vec<MetricDimension> {
    all.iter()
        .map(|d| MetricDimension {
            name: d.name().unwrap_or_default().to_string(),
            value: d.value().unwrap_or_default().to_string(),
        })
        .collect()
}

/// An alarm states its period; a missing one is read as standard resolution.
fn period(seconds: Option<i32>) -> u32 {
    seconds.map_or(60, |s| s.max(1) as u32)
}

/// Every log group, with its stored bytes and retention.
pub async fn log_groups(cloud: &AwsCloud) -> CloudResult<Vec<LogGroup>> {
    let pages = cloud
        .logs
        .describe_log_groups()
        .set_limit(cloud.page_size.map(|n| n.clamp(1, MAX_GROUPS_PER_PAGE)))
        .into_paginator()
        .send()
        .try_collect()
        .await
        .map_err(from_sdk("logs:DescribeLogGroups"))?;
    Ok(pages
        .iter()
        .flat_map(|p| p.log_groups())
        .map(|g| LogGroup {
            name: g.log_group_name().unwrap_or_default().to_string(),
            // Older responses carry only `arn`, which ends in `:*`.
            arn: g
                .log_group_arn()
                .map(str::to_string)
                .or_else(|| g.arn().map(|a| a.trim_end_matches(":*").to_string()))
                .unwrap_or_default(),
            stored_bytes: g.stored_bytes().unwrap_or_default().max(0) as u64,
            retention_days: g.retention_in_days().map(|d| d.max(0) as u32),
        })
        .collect())
}
