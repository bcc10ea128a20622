//! One load balancer's figures over one window, as a gate reads them.

use serde::{Deserialize, Serialize};

use super::Window;

/// What one application load balancer did over one window. Counts are whole; a figure the
/// cloud had no data point for is zero (requests, 5xx) or `None` (p95, hosts): no data point
/// means no traffic, not an error.
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize, Deserialize)]
pub struct LoadBalancerMetrics {
    /// The window the figures cover.
    pub window: Window,
    /// `RequestCount`: requests the load balancer sent to a target.
    pub requests: u64,
    /// `HTTPCode_Target_5XX_Count`: 5xx answers the targets gave.
    pub target_5xx: u64,
    /// `HTTPCode_ELB_5XX_Count`: 5xx answers the load balancer gave itself (no healthy target,
    /// a target that timed out or reset the connection).
    pub elb_5xx: u64,
    /// `TargetResponseTime` p95, in seconds; `None` when no request reached a target.
    pub p95_seconds: Option<f64>,
    /// `HealthyHostCount` at its lowest minute; `None` when no target group was asked about or
    /// it reported nothing.
    pub healthy_hosts: Option<u32>,
    /// `UnHealthyHostCount` at its highest minute; `None` as for `healthy_hosts`.
    pub unhealthy_hosts: Option<u32>,
}

impl LoadBalancerMetrics {
    /// Every 5xx answer, the targets' and the load balancer's own.
    pub fn errors(&self) -> u64 {
        self.target_5xx.saturating_add(self.elb_5xx)
    }

    /// The requests the side answered, for rates and the minimum to judge. `RequestCount` leaves
    /// out requests the load balancer refused before choosing a target (a 503 with no healthy
    /// target), so a side failing every request would otherwise look idle: the 5xx count is the
    /// floor.
    pub fn traffic(&self) -> u64 {
        self.requests.max(self.errors())
    }

    /// 5xx answers in percent of `traffic`; `None` with no traffic.
    pub fn error_percent(&self) -> Option<f64> {
        let traffic = self.traffic();
        (traffic > 0).then(|| self.errors() as f64 * 100.0 / traffic as f64)
    }

    /// The p95 when it is a real figure: a NaN, infinite or negative one is no figure at all.
    pub fn usable_p95(&self) -> Option<f64> {
        self.p95_seconds.filter(|s| s.is_finite() && *s >= 0.0)
    }
}

impl LoadBalancerMetrics {
    /// A count from a metric's value: whole, never negative; NaN (and anything not a number a
    /// count can be) is zero, as a count with no data is.
    pub fn count(value: f64) -> u64 {
        if value.is_nan() || value <= 0.0 {
            return 0;
        }
        // `as` saturates at u64::MAX for huge values and infinity.
        value.round() as u64
    }

    /// A host count from a metric's value, as `count` but saturating at `u32::MAX`.
    pub fn hosts(value: f64) -> u32 {
        u32::try_from(Self::count(value)).unwrap_or(u32::MAX)
    }

    /// Seconds from a metric's value; `None` when it is no usable figure.
    pub fn seconds(value: f64) -> Option<f64> {
        (value.is_finite() && value >= 0.0).then_some(value)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn traffic_counts_errors_the_request_count_leaves_out() {
        let m = LoadBalancerMetrics { requests: 0, elb_5xx: 80, ..Default::default() };
        assert_eq!(m.traffic(), 80);
        assert_eq!(m.error_percent(), Some(100.0));
        let m = LoadBalancerMetrics { requests: 1000, target_5xx: 10, elb_5xx: 5, ..Default::default() };
        assert_eq!(m.traffic(), 1000);
        assert_eq!(m.error_percent(), Some(1.5));
        assert_eq!(LoadBalancerMetrics::default().error_percent(), None);
        let m = LoadBalancerMetrics { target_5xx: u64::MAX, elb_5xx: 1, ..Default::default() };
        assert_eq!(m.errors(), u64::MAX, "saturates, never overflows");
    }

    #[test]
    fn odd_values_become_no_data() {
        let (count, hosts, seconds) =
            (LoadBalancerMetrics::count, LoadBalancerMetrics::hosts, LoadBalancerMetrics::seconds);
        assert_eq!(count(f64::NAN), 0);
        assert_eq!(count(-3.0), 0);
        assert_eq!(count(2.6), 3);
        assert_eq!(count(f64::INFINITY), u64::MAX);
        assert_eq!(hosts(1e12), u32::MAX);
        assert_eq!(seconds(f64::NAN), None);
        assert_eq!(seconds(-0.5), None);
        assert_eq!(seconds(0.25), Some(0.25));
        let m = LoadBalancerMetrics { p95_seconds: Some(f64::NAN), ..Default::default() };
        assert_eq!(m.usable_p95(), None);
    }
}
