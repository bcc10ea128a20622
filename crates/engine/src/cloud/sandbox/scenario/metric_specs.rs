//! `[metrics]`: what the old and the new load balancer report to the cutover's health gates, so
//! a trainer can make a gate pass or fail. The figures are per minute and hold for any window.

use serde::Deserialize;

/// `[metrics]`: `[metrics.old]` for the scenario's own load balancers, `[metrics.new]` for any
/// Express load balancer. Both sides are healthy by default.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct MetricsSection {
    /// `[metrics.old]`: the load balancers the scenario defines.
    pub old: SideMetricsSpec,
    /// `[metrics.new]`: any other application load balancer of the account, as an Express
    /// service's is.
    pub new: SideMetricsSpec,
}

/// One side's traffic: `{ requests_per_minute = 120, error_rate = 0.001, p95_ms = 180,
/// healthy_hosts = 2 }`.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct SideMetricsSpec {
    /// Requests a minute; 60 by default.
    pub requests_per_minute: u64,
    /// The share of requests answered 5xx, as a fraction: 0.01 is 1 %; 0 by default.
    pub error_rate: f64,
    /// The p95 target response time in milliseconds; 120 by default.
    pub p95_ms: u64,
    /// Healthy hosts behind the load balancer's target group; 2 by default.
    pub healthy_hosts: u32,
    /// Unhealthy hosts behind it; 0 by default.
    pub unhealthy_hosts: u32,
}

impl Default for SideMetricsSpec {
    fn default() -> Self {
        SideMetricsSpec { requests_per_minute: 60, error_rate: 0.0, p95_ms: 120, healthy_hosts: 2, unhealthy_hosts: 0 }
    }
}

/// The most requests a minute a scenario may give: far past any demo, and small enough that a
/// day's window cannot overflow a count.
pub const MAX_REQUESTS_PER_MINUTE: u64 = 10_000_000;
/// The slowest p95 a scenario may give: ten minutes, past any load balancer's idle timeout.
pub const MAX_P95_MS: u64 = 600_000;
/// The most hosts a side may have.
pub const MAX_HOSTS: u32 = 10_000;

impl SideMetricsSpec {
    fn validate(&self, side: &str) -> Result<(), String> {
        let at = format!("metrics.{side}");
        if !(0.0..=1.0).contains(&self.error_rate) {
            return Err(format!(
                "{at}.error_rate: {} is not a fraction from 0 to 1 (0.05 is 5 % of requests)",
                self.error_rate
            ));
        }
        if self.requests_per_minute > MAX_REQUESTS_PER_MINUTE {
            return Err(format!(
                "{at}.requests_per_minute: {} is more than the {MAX_REQUESTS_PER_MINUTE} a scenario may give",
                self.requests_per_minute
            ));
        }
        if self.p95_ms > MAX_P95_MS {
            return Err(format!("{at}.p95_ms: {} is more than the {MAX_P95_MS} ms a scenario may give", self.p95_ms));
        }
        if self.healthy_hosts > MAX_HOSTS || self.unhealthy_hosts > MAX_HOSTS {
            return Err(format!("{at}: a side has at most {MAX_HOSTS} healthy and {MAX_HOSTS} unhealthy hosts"));
        }
        Ok(())
    }
}

impl MetricsSection {
    /// Rates are fractions (NaN is none), and every figure is bounded.
    pub(super) fn validate(&self) -> Result<(), String> {
        self.old.validate("old")?;
        self.new.validate("new")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_side_left_out_is_healthy() {
        let m: MetricsSection = toml::from_str("[new]\nerror_rate = 0.05").unwrap();
        assert_eq!(m.old, SideMetricsSpec::default());
        assert_eq!(m.new, SideMetricsSpec { error_rate: 0.05, ..SideMetricsSpec::default() });
        assert!(m.validate().is_ok());
    }

    #[test]
    fn odd_figures_are_refused_with_their_field() {
        for (text, field) in [
            ("[new]\nerror_rate = 5.0", "metrics.new.error_rate"),
            ("[old]\nerror_rate = nan", "metrics.old.error_rate"),
            ("[new]\nerror_rate = -0.1", "metrics.new.error_rate"),
            ("[new]\np95_ms = 600001", "metrics.new.p95_ms"),
            ("[new]\nrequests_per_minute = 10000001", "metrics.new.requests_per_minute"),
            ("[old]\nhealthy_hosts = 10001", "metrics.old"),
        ] {
            let m: MetricsSection = toml::from_str(text).unwrap();
            let error = m.validate().unwrap_err();
            assert!(error.starts_with(field), "{text}: {error}");
        }
        assert!(toml::from_str::<MetricsSection>("[new]\nerrors = 1").is_err(), "a misspelt field is refused");
        assert!(toml::from_str::<MetricsSection>("[new]\nrequests_per_minute = -1").is_err());
    }
}
