//! The sandbox's load balancer metrics: what the scenario's `[metrics]` says each side reports,
//! so a health gate passes or fails as the trainer chose.

use std::collections::BTreeSet;

use super::scenario::{MetricsSection, Scenario, SideMetricsSpec};
use crate::cloud::{CloudError, CloudResult};
use crate::gate::{LoadBalancerMetrics, Window, load_balancer_dimension, target_group_dimension};
use crate::model::AccountInfo;

/// The scenario's `[metrics]`, and which load balancers are the old side's.
#[derive(Debug, Clone, Default)]
pub(super) struct ScenarioMetrics {
    sides: MetricsSection,
    /// The names of the scenario's own load balancers: every other one is an Express one, which
    /// the sandbox makes up from the service (it is in no scenario table).
    old_names: BTreeSet<String>,
}

impl ScenarioMetrics {
    pub(super) fn from_scenario(scenario: &Scenario) -> ScenarioMetrics {
        ScenarioMetrics {
            sides: scenario.metrics.clone(),
            old_names: scenario.load_balancers.iter().map(|lb| lb.name.clone()).collect(),
        }
    }

    /// The figures of the load balancer `load_balancer_arn` over `window`: the old side's for a
    /// scenario load balancer, the new side's for any other application load balancer of this
    /// account and region. Host counts come with a target group, as on AWS.
    pub(super) fn of(
        &self,
        account: &AccountInfo,
        load_balancer_arn: &str,
        target_group_arn: Option<&str>,
        window: Window,
    ) -> CloudResult<LoadBalancerMetrics> {
        window.validate().map_err(CloudError::Invalid)?;
        let dimension = load_balancer_dimension(load_balancer_arn).ok_or_else(|| {
            CloudError::Invalid(format!("{load_balancer_arn} is not an application load balancer's ARN"))
        })?;
        if let Some(arn) = target_group_arn
            && target_group_dimension(arn).is_none()
        {
            return Err(CloudError::Invalid(format!("{arn} is not a target group's ARN")));
        }
        let home = format!(":{}:{}:", account.region, account.account_id);
        if !load_balancer_arn.contains(&home) {
            return Err(CloudError::not_found("load balancer", load_balancer_arn));
        }
        let name = dimension.split('/').nth(1).unwrap_or_default();
        let side = if self.old_names.contains(name) { &self.sides.old } else { &self.sides.new };
        Ok(figures(side, target_group_arn.is_some(), window))
    }
}

/// A side's per-minute figures over a whole window: every 5xx is the targets' own.
fn figures(side: &SideMetricsSpec, with_hosts: bool, window: Window) -> LoadBalancerMetrics {
    let requests = side.requests_per_minute.saturating_mul(u64::from(window.minutes));
    // Both are bounded by the scenario's checks, so the product is exact enough and finite.
    let errors = LoadBalancerMetrics::count(requests as f64 * side.error_rate);
    LoadBalancerMetrics {
        window,
        requests,
        target_5xx: errors.min(requests),
        elb_5xx: 0,
        // As on AWS, no request reaching a target means no response time at all.
        p95_seconds: (requests > 0).then(|| side.p95_ms as f64 / 1000.0),
        healthy_hosts: with_hosts.then_some(side.healthy_hosts),
        unhealthy_hosts: with_hosts.then_some(side.unhealthy_hosts),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_side_over_a_window() {
        let side = SideMetricsSpec {
            requests_per_minute: 200,
            error_rate: 0.042,
            p95_ms: 250,
            healthy_hosts: 3,
            unhealthy_hosts: 1,
        };
        let m = figures(&side, true, Window::minutes(5));
        assert_eq!((m.requests, m.target_5xx, m.elb_5xx), (1000, 42, 0));
        assert_eq!(m.p95_seconds, Some(0.25));
        assert_eq!((m.healthy_hosts, m.unhealthy_hosts), (Some(3), Some(1)));
        let m = figures(&SideMetricsSpec { requests_per_minute: 0, ..side.clone() }, false, Window::default());
        assert_eq!((m.requests, m.p95_seconds, m.healthy_hosts), (0, None, None));
        let all = figures(&SideMetricsSpec { error_rate: 1.0, ..side }, true, Window::minutes(1440));
        assert_eq!(all.target_5xx, all.requests);
    }
}
