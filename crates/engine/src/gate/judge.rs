//! The gate itself: a pure function of two sides' figures and the thresholds.

use super::verdict::{by, num};
use super::{Figure, GateFailure, GateVerdict, LoadBalancerMetrics, Thresholds};

/// How much a figure may be over its limit and still be at it: the rates and ratios are
/// floating point, and 0.1 + 0.5 is not always 0.6 exactly.
const EPSILON: f64 = 1e-9;

/// Whether the new load balancer may take more traffic, judged against `thresholds` and against
/// the old load balancer over the same window. Every failed figure is named with its value, its
/// limit and by how much; a gate that cannot judge (too few requests, no host figures, an
/// unusable threshold) fails too, and says why. Never panics, whatever the figures.
pub fn judge(new: &LoadBalancerMetrics, old: &LoadBalancerMetrics, thresholds: &Thresholds) -> GateVerdict {
    let problems = thresholds.problems();
    let failures = if problems.is_empty() {
        let t = thresholds;
        // Rates from too few requests are noise: the traffic failure stands in for them.
        let rates = match traffic_failure(new, t) {
            Some(failure) => vec![failure],
            None => [error_rate_failure(new, old, t), p95_failure(new, old, t)].into_iter().flatten().collect(),
        };
        rates.into_iter().chain(healthy_failure(new, t)).chain(unhealthy_failure(new, t)).collect()
    } else {
        problems.into_iter().map(|message| failure(Figure::Threshold, None, None, message)).collect()
    };
    GateVerdict { failures, new: *new, old: *old }
}

fn failure(figure: Figure, value: Option<f64>, limit: Option<f64>, message: String) -> GateFailure {
    let by = value.zip(limit).map(|(v, l)| (v - l).abs());
    GateFailure { figure, value, limit, by, message }
}

/// The old side's figures, when it served enough requests to be a measure of normal.
fn comparable<'a>(old: &'a LoadBalancerMetrics, t: &Thresholds) -> Option<&'a LoadBalancerMetrics> {
    (old.traffic() >= t.min_requests.max(1)).then_some(old)
}

fn traffic_failure(new: &LoadBalancerMetrics, t: &Thresholds) -> Option<GateFailure> {
    let traffic = new.traffic();
    (traffic < t.min_requests).then(|| {
        let minutes = new.window.minutes;
        failure(
            Figure::Traffic,
            Some(traffic as f64),
            Some(t.min_requests as f64),
            format!(
                "not enough traffic to judge: {traffic} requests on the new load balancer in {minutes} minutes, {} needed ({} short)",
                t.min_requests,
                t.min_requests - traffic
            ),
        )
    })
}

fn error_rate_failure(new: &LoadBalancerMetrics, old: &LoadBalancerMetrics, t: &Thresholds) -> Option<GateFailure> {
    let rate = new.error_percent()?;
    let old_note = match (old.error_percent(), comparable(old, t)) {
        (None, _) => "old: no traffic".to_string(),
        (Some(o), Some(_)) => format!("old: {}%", num(o)),
        (Some(o), None) => format!("old: {}% of only {} requests, too few to compare", num(o), old.traffic()),
    };
    let limit = t.max_5xx_percent;
    if rate > limit + EPSILON {
        let message = format!(
            "5xx rate {}% on the new load balancer is over the {}% limit by {} points ({old_note})",
            num(rate),
            num(limit),
            by(rate - limit)
        );
        return Some(failure(Figure::ErrorRate, Some(rate), Some(limit), message));
    }
    let old_rate = comparable(old, t)?.error_percent()?;
    let limit = old_rate + t.max_5xx_points_over_old;
    (rate > limit + EPSILON).then(|| {
        let message = format!(
            "5xx rate {}% on the new load balancer is over the old load balancer's {}% + {} points ({}%) by {} points",
            num(rate),
            num(old_rate),
            num(t.max_5xx_points_over_old),
            num(limit),
            by(rate - limit)
        );
        failure(Figure::ErrorRate, Some(rate), Some(limit), message)
    })
}

fn p95_failure(new: &LoadBalancerMetrics, old: &LoadBalancerMetrics, t: &Thresholds) -> Option<GateFailure> {
    // Requests the load balancer refused itself reached no target and have no response time:
    // with none that reached a target there is no p95 to miss (the 5xx rate speaks for them).
    if new.requests == 0 {
        return None;
    }
    let Some(p95) = new.usable_p95() else {
        let message = format!(
            "p95 target response time: no figure for the new load balancer's {} requests, so its latency cannot be judged",
            new.requests
        );
        return Some(failure(Figure::P95, None, Some(t.max_p95_seconds), message));
    };
    let old_p95 = comparable(old, t).and_then(LoadBalancerMetrics::usable_p95);
    let limit = t.max_p95_seconds;
    if p95 > limit + EPSILON {
        let old_note =
            old_p95.map_or_else(|| "old: no figure to compare".to_string(), |o| format!("old: {} s", num(o)));
        let message = format!(
            "p95 target response time {} s on the new load balancer is over the {} s limit by {} s ({old_note})",
            num(p95),
            num(limit),
            by(p95 - limit)
        );
        return Some(failure(Figure::P95, Some(p95), Some(limit), message));
    }
    let old_p95 = old_p95?;
    let relative = old_p95 * t.max_p95_times_old;
    let limit = relative.max(t.p95_floor_seconds);
    (p95 > limit + EPSILON).then(|| {
        let floor = if relative < limit { format!(", raised to the {} s floor", num(limit)) } else { String::new() };
        let message = format!(
            "p95 target response time {} s on the new load balancer is over {} × the old load balancer's {} s ({} s{floor}) by {} s",
            num(p95),
            num(t.max_p95_times_old),
            num(old_p95),
            num(relative),
            by(p95 - limit)
        );
        failure(Figure::P95, Some(p95), Some(limit), message)
    })
}

fn healthy_failure(new: &LoadBalancerMetrics, t: &Thresholds) -> Option<GateFailure> {
    let min = t.min_healthy_hosts;
    if min == 0 {
        return None;
    }
    match new.healthy_hosts {
        // No figure is no proof of health: the gate cannot pass on hosts it cannot see.
        None => Some(failure(
            Figure::HealthyHosts,
            None,
            Some(f64::from(min)),
            format!("healthy hosts: no figure for the new load balancer's target group, and at least {min} are needed"),
        )),
        Some(healthy) if healthy < min => Some(failure(
            Figure::HealthyHosts,
            Some(f64::from(healthy)),
            Some(f64::from(min)),
            format!(
                "healthy hosts: {healthy} at the lowest minute on the new load balancer's target group, under the minimum of {min} by {}",
                min - healthy
            ),
        )),
        Some(_) => None,
    }
}

/// No figure is not a failure here: the healthy-host check already fails a gate that has no
/// host figures, and a missing unhealthy count alone shows no unhealthy host.
fn unhealthy_failure(new: &LoadBalancerMetrics, t: &Thresholds) -> Option<GateFailure> {
    let max = t.max_unhealthy_hosts;
    let unhealthy = new.unhealthy_hosts?;
    (unhealthy > max).then(|| {
        failure(
            Figure::UnhealthyHosts,
            Some(f64::from(unhealthy)),
            Some(f64::from(max)),
            format!(
                "unhealthy hosts: {unhealthy} at the worst minute on the new load balancer's target group, over the limit of {max} by {}",
                unhealthy - max
            ),
        )
    })
}
