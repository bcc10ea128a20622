//! What a gate decided, and why: every failed figure with its value, its limit and by how much.

use serde::{Deserialize, Serialize};

use super::LoadBalancerMetrics;

/// Which figure a failure is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Figure {
    /// Too few requests on the new side to judge its rates.
    Traffic,
    /// The new side's 5xx rate, in percent.
    ErrorRate,
    /// The new side's p95 target response time, in seconds.
    P95,
    /// Healthy hosts behind the new side.
    HealthyHosts,
    /// Unhealthy hosts behind the new side.
    UnhealthyHosts,
    /// A threshold that cannot be judged against (not a number, negative).
    Threshold,
}

/// One figure that kept the gate shut.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GateFailure {
    /// Which figure.
    pub figure: Figure,
    /// What it was, in the figure's unit (requests, percent, seconds, hosts); `None` when the
    /// cloud had no figure.
    pub value: Option<f64>,
    /// The limit it broke, in the same unit; `None` for a threshold problem.
    pub limit: Option<f64>,
    /// How far past the limit, in the same unit (percentage points for the 5xx rate); always
    /// positive; `None` when there was no figure to measure.
    pub by: Option<f64>,
    /// The whole story on one line, e.g. "5xx rate 4.2% on the new load balancer is over the
    /// 1.0% limit by 3.2 points (old: 0.1%)".
    pub message: String,
}

impl std::fmt::Display for GateFailure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

/// A gate's decision, with the figures it was made from, so a front end can show them and a
/// journal can keep them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GateVerdict {
    /// Every failed figure; none means the gate passed.
    pub failures: Vec<GateFailure>,
    /// The new load balancer's figures.
    pub new: LoadBalancerMetrics,
    /// The old load balancer's figures over the same window.
    pub old: LoadBalancerMetrics,
}

impl GateVerdict {
    /// Whether the stage may go on.
    pub fn passed(&self) -> bool {
        self.failures.is_empty()
    }

    /// One line for a progress view or a journal: the new side's figures when it passed,
    /// every failure when it did not.
    pub fn summary(&self) -> String {
        if self.passed() {
            let rate = self.new.error_percent().map_or_else(|| "no traffic".to_string(), |r| format!("{}%", num(r)));
            let p95 = self.new.usable_p95().map_or_else(|| "none".to_string(), |s| format!("{} s", num(s)));
            let healthy = self.new.healthy_hosts.map_or_else(|| "unknown".to_string(), |h| h.to_string());
            format!(
                "gate passed: {} requests, 5xx {rate}, p95 {p95}, {healthy} healthy hosts on the new load balancer",
                self.new.traffic()
            )
        } else {
            format!("gate failed: {}", self.reasons())
        }
    }

    /// Every figure that failed, with by how much, in one line.
    pub fn reasons(&self) -> String {
        let reasons: Vec<&str> = self.failures.iter().map(|f| f.message.as_str()).collect();
        reasons.join("; ")
    }
}

/// A figure for a message: up to three decimals, at least one, no trailing zeros
/// (4.2, 0.125, 1.0), so a figure near its limit still shows how near.
pub(super) fn num(value: f64) -> String {
    let text = format!("{value:.3}");
    let trimmed = text.trim_end_matches('0');
    if trimmed.ends_with('.') { format!("{trimmed}0") } else { trimmed.to_string() }
}

/// How far over, for a message: "less than 0.001" when the rounding would show zero.
pub(super) fn by(value: f64) -> String {
    if value < 0.0005 { "less than 0.001".to_string() } else { num(value) }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_keep_what_matters() {
        assert_eq!(num(4.2), "4.2");
        assert_eq!(num(1.0), "1.0");
        assert_eq!(num(0.125), "0.125");
        assert_eq!(num(1.0333), "1.033");
        assert_eq!(num(0.0), "0.0");
        assert_eq!(by(0.0001), "less than 0.001");
        assert_eq!(by(3.2), "3.2");
    }
}
