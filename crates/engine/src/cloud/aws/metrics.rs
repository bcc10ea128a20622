//! CloudWatch: one application load balancer's `AWS/ApplicationELB` figures over a window, all
//! in one GetMetricData call (paged), for the cutover's health gates.

use std::collections::BTreeMap;
use std::time::{SystemTime, UNIX_EPOCH};

use aws_sdk_cloudwatch::primitives::DateTime;
use aws_sdk_cloudwatch::types::{Dimension, Metric, MetricDataQuery, MetricStat, StatusCode};

use super::{AwsCloud, errors::from_sdk};
use crate::cloud::{CloudError, CloudResult};
use crate::gate::{LoadBalancerMetrics, Window, load_balancer_dimension, target_group_dimension};

const NAMESPACE: &str = "AWS/ApplicationELB";
const ACTION: &str = "cloudwatch:GetMetricData";

/// One figure to ask for: its query id, metric, statistic, and whether it is per target group
/// (host counts are only published per target group and load balancer together).
struct Ask {
    id: &'static str,
    metric: &'static str,
    stat: &'static str,
    per_target_group: bool,
}

const ASKS: [Ask; 6] = [
    Ask { id: "requests", metric: "RequestCount", stat: "Sum", per_target_group: false },
    Ask { id: "target5xx", metric: "HTTPCode_Target_5XX_Count", stat: "Sum", per_target_group: false },
    Ask { id: "elb5xx", metric: "HTTPCode_ELB_5XX_Count", stat: "Sum", per_target_group: false },
    Ask { id: "p95", metric: "TargetResponseTime", stat: "p95", per_target_group: false },
    // The lowest healthy and the highest unhealthy count at any minute: a host that dropped out
    // for one minute of the window counts.
    Ask { id: "healthy", metric: "HealthyHostCount", stat: "Minimum", per_target_group: true },
    Ask { id: "unhealthy", metric: "UnHealthyHostCount", stat: "Maximum", per_target_group: true },
];

/// The load balancer's figures over `window`, ending at the last whole minute. A figure with no
/// data point is zero requests or no figure (`None`), never an error.
pub async fn load_balancer_metrics(
    cloud: &AwsCloud,
    load_balancer_arn: &str,
    target_group_arn: Option<&str>,
    window: Window,
) -> CloudResult<LoadBalancerMetrics> {
    window.validate().map_err(CloudError::Invalid)?;
    let load_balancer = load_balancer_dimension(load_balancer_arn)
        .ok_or_else(|| CloudError::Invalid(format!("{load_balancer_arn} is not an application load balancer's ARN")))?;
    let target_group = target_group_arn
        .map(|arn| {
            target_group_dimension(arn).ok_or_else(|| CloudError::Invalid(format!("{arn} is not a target group's ARN")))
        })
        .transpose()?;
    let queries: Vec<MetricDataQuery> = ASKS
        .iter()
        .filter(|ask| !ask.per_target_group || target_group.is_some())
        .map(|ask| query(ask, &load_balancer, target_group.as_deref(), window))
        .collect();
    let values = fetch(cloud, queries, window).await?;
    let all = |id: &str| values.get(id).map(Vec::as_slice).unwrap_or_default();
    let sum = |id: &str| LoadBalancerMetrics::count(all(id).iter().filter(|v| v.is_finite()).sum());
    Ok(LoadBalancerMetrics {
        window,
        requests: sum("requests"),
        target_5xx: sum("target5xx"),
        elb_5xx: sum("elb5xx"),
        // One period covers the window, so there is one p95; were there more, the worst stands.
        p95_seconds: all("p95").iter().filter_map(|v| LoadBalancerMetrics::seconds(*v)).reduce(f64::max),
        healthy_hosts: finite(all("healthy")).reduce(f64::min).map(LoadBalancerMetrics::hosts),
        unhealthy_hosts: finite(all("unhealthy")).reduce(f64::max).map(LoadBalancerMetrics::hosts),
    })
}

fn finite(values: &[f64]) -> impl Iterator<Item = f64> + '_ {
    values.iter().copied().filter(|v| v.is_finite())
}

/// One query over the whole window as a single period, so a percentile is the window's own and
/// not a combination of per-minute ones.
fn query(ask: &Ask, load_balancer: &str, target_group: Option<&str>, window: Window) -> MetricDataQuery {
    let mut metric = Metric::builder()
        .namespace(NAMESPACE)
        .metric_name(ask.metric)
        .dimensions(Dimension::builder().name("LoadBalancer").value(load_balancer).build());
    if let Some(group) = target_group.filter(|_| ask.per_target_group) {
        metric = metric.dimensions(Dimension::builder().name("TargetGroup").value(group).build());
    }
    let stat = MetricStat::builder()
        .metric(metric.build())
        .period(i32::try_from(window.seconds()).unwrap_or(i32::MAX))
        .stat(ask.stat)
        .build();
    MetricDataQuery::builder().id(ask.id).metric_stat(stat).return_data(true).build()
}

/// Every value of every query, by query id, over every page.
async fn fetch(
    cloud: &AwsCloud,
    queries: Vec<MetricDataQuery>,
    window: Window,
) -> CloudResult<BTreeMap<String, Vec<f64>>> {
    // The current minute is still filling: the window ends where the last whole one does.
    let now = SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs());
    let end = i64::try_from(now - now % 60).unwrap_or(i64::MAX);
    let start = end.saturating_sub(window.seconds());
    let pages = cloud
        .cloudwatch
        .get_metric_data()
        .set_metric_data_queries(Some(queries))
        .start_time(DateTime::from_secs(start))
        .end_time(DateTime::from_secs(end))
        .into_paginator()
        .send()
        .try_collect()
        .await
        .map_err(from_sdk(ACTION))?;
    let mut values: BTreeMap<String, Vec<f64>> = BTreeMap::new();
    for result in pages.iter().flat_map(|page| page.metric_data_results()) {
        let id = result.id().unwrap_or_default();
        let said = || result.messages().iter().filter_map(|m| m.value()).collect::<Vec<_>>().join("; ");
        match result.status_code() {
            Some(StatusCode::Forbidden) => {
                return Err(CloudError::AccessDenied { action: ACTION.into(), message: format!("{id}: {}", said()) });
            }
            Some(StatusCode::InternalError) => {
                return Err(CloudError::Other(format!("{ACTION} could not compute {id}: {}", said())));
            }
            _ => {}
        }
        values.entry(id.to_string()).or_default().extend_from_slice(result.values());
    }
    Ok(values)
}
