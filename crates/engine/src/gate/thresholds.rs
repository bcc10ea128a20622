//! What a gate demands of the new side, and over how long a window it looks.

use serde::{Deserialize, Serialize};

/// The limits a health gate holds the new load balancer to. Every field has a default, so a
/// plan or a config file names only the ones it changes. A limit is inclusive: a figure exactly
/// at it passes.
///
/// | field | default | the new side fails when |
/// |---|---|---|
/// | `max_5xx_percent` | 1.0 | its 5xx rate is over 1 % of its requests |
/// | `max_5xx_points_over_old` | 0.5 | its 5xx rate is more than 0.5 percentage points over the old side's |
/// | `max_p95_seconds` | 1.5 | its p95 target response time is over 1.5 s |
/// | `max_p95_times_old` | 1.5 | its p95 is over 1.5 × the old side's (but see `p95_floor_seconds`) |
/// | `p95_floor_seconds` | 0.1 | — a p95 up to 100 ms is never compared with the old side |
/// | `min_healthy_hosts` | 1 | fewer healthy hosts than this at any minute of the window |
/// | `max_unhealthy_hosts` | 0 | more unhealthy hosts than this at any minute of the window |
/// | `min_requests` | 50 | fewer requests than this: "not enough traffic to judge" |
///
/// The comparisons with the old side apply only when the old side itself served at least
/// `min_requests` (and at least one) in the window: once most traffic has moved, the old side's
/// few requests say nothing about what normal is.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Thresholds {
    /// The highest 5xx rate on the new load balancer, in percent of its requests.
    pub max_5xx_percent: f64,
    /// How many percentage points the new side's 5xx rate may be over the old side's.
    pub max_5xx_points_over_old: f64,
    /// The slowest p95 target response time on the new side, in seconds.
    pub max_p95_seconds: f64,
    /// How many times the old side's p95 the new side's may be.
    pub max_p95_times_old: f64,
    /// A new-side p95 up to this many seconds passes the comparison with the old side whatever
    /// the old side's is: 20 ms against 40 ms is a ratio of 2 and no harm to anyone.
    pub p95_floor_seconds: f64,
    /// The fewest healthy hosts behind the new side at any minute of the window.
    pub min_healthy_hosts: u32,
    /// The most unhealthy hosts behind the new side at any minute of the window.
    pub max_unhealthy_hosts: u32,
    /// The fewest requests the new side must have served in the window before its rates mean
    /// anything; below it the gate fails with "not enough traffic to judge". 0 judges any traffic.
    pub min_requests: u64,
}

impl Default for Thresholds {
    fn default() -> Self {
        Thresholds {
            max_5xx_percent: 1.0,
            max_5xx_points_over_old: 0.5,
            max_p95_seconds: 1.5,
            max_p95_times_old: 1.5,
            p95_floor_seconds: 0.1,
            min_healthy_hosts: 1,
            max_unhealthy_hosts: 0,
            min_requests: 50,
        }
    }
}

impl Thresholds {
    /// Every limit that cannot be judged against: not a number, infinite, or negative (a NaN
    /// limit would let every figure pass, as no comparison with NaN is true). A 5xx limit over
    /// 100 % is allowed: it only switches that check off.
    pub fn problems(&self) -> Vec<String> {
        let limits = [
            ("max_5xx_percent", self.max_5xx_percent),
            ("max_5xx_points_over_old", self.max_5xx_points_over_old),
            ("max_p95_seconds", self.max_p95_seconds),
            ("max_p95_times_old", self.max_p95_times_old),
            ("p95_floor_seconds", self.p95_floor_seconds),
        ];
        limits
            .into_iter()
            .filter(|(_, value)| !value.is_finite() || *value < 0.0)
            .map(|(name, value)| format!("threshold {name} is {value}: give a number of 0 or more"))
            .collect()
    }

    /// `Ok` when every limit can be judged against, else every problem on one line.
    pub fn validate(&self) -> Result<(), String> {
        let problems = self.problems();
        if problems.is_empty() { Ok(()) } else { Err(problems.join("; ")) }
    }
}

/// How far back a gate looks, ending at the last whole minute: the same window for the new and
/// the old side. Load balancers report one figure a minute, so the window is whole minutes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Window {
    /// Its length in minutes; 5 by default.
    pub minutes: u32,
}

impl Default for Window {
    fn default() -> Self {
        Window { minutes: 5 }
    }
}

impl Window {
    /// The longest window: a day. Longer looks past the stage being judged, into the last one.
    pub const MAX_MINUTES: u32 = 24 * 60;

    /// A window of `minutes` minutes.
    pub fn minutes(minutes: u32) -> Window {
        Window { minutes }
    }

    /// Its length in seconds.
    pub fn seconds(&self) -> i64 {
        i64::from(self.minutes) * 60
    }

    /// `Ok` for 1 minute up to a day.
    pub fn validate(&self) -> Result<(), String> {
        if (1..=Self::MAX_MINUTES).contains(&self.minutes) {
            Ok(())
        } else {
            Err(format!("a gate's window is 1 to {} minutes, not {}", Self::MAX_MINUTES, self.minutes))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_are_the_documented_ones() {
        let t = Thresholds::default();
        assert_eq!((t.max_5xx_percent, t.max_5xx_points_over_old), (1.0, 0.5));
        assert_eq!((t.max_p95_seconds, t.max_p95_times_old, t.p95_floor_seconds), (1.5, 1.5, 0.1));
        assert_eq!((t.min_healthy_hosts, t.max_unhealthy_hosts, t.min_requests), (1, 0, 50));
        assert_eq!(Window::default().minutes, 5);
        assert_eq!(Window::default().seconds(), 300);
    }

    #[test]
    fn a_partial_table_keeps_the_other_defaults() {
        let t: Thresholds = toml::from_str("min_requests = 10\nmax_p95_seconds = 0.8").unwrap();
        assert_eq!(t, Thresholds { min_requests: 10, max_p95_seconds: 0.8, ..Thresholds::default() });
        let back: Thresholds = serde_json::from_str(&serde_json::to_string(&t).unwrap()).unwrap();
        assert_eq!(back, t);
        assert!(toml::from_str::<Thresholds>("max_5xx = 1").is_err(), "a misspelt field is refused");
        let w: Window = toml::from_str("minutes = 10").unwrap();
        assert_eq!(w, Window::minutes(10));
    }

    #[test]
    fn unusable_limits_are_named() {
        assert!(Thresholds::default().validate().is_ok());
        let t = Thresholds { max_5xx_percent: f64::NAN, max_p95_seconds: -1.0, ..Thresholds::default() };
        let problems = t.problems();
        assert_eq!(problems.len(), 2, "{problems:?}");
        assert!(problems[0].contains("max_5xx_percent is NaN"), "{problems:?}");
        assert!(t.validate().unwrap_err().contains("max_p95_seconds is -1"));
        let t = Thresholds { max_p95_times_old: f64::INFINITY, ..Thresholds::default() };
        assert_eq!(t.problems().len(), 1);
    }

    #[test]
    fn a_window_is_a_minute_to_a_day() {
        assert!(Window::minutes(0).validate().is_err());
        assert!(Window::minutes(1).validate().is_ok());
        assert!(Window::minutes(1440).validate().is_ok());
        assert!(Window::minutes(1441).validate().is_err());
    }
}
