//! Every branch of `judge`, and its boundaries.

use super::*;

/// A healthy side: 1000 requests in 5 minutes, 0.1 % 5xx, p95 200 ms, 2 healthy hosts.
fn side() -> LoadBalancerMetrics {
    LoadBalancerMetrics {
        window: Window::default(),
        requests: 1000,
        target_5xx: 1,
        elb_5xx: 0,
        p95_seconds: Some(0.2),
        healthy_hosts: Some(2),
        unhealthy_hosts: Some(0),
    }
}

fn verdict(new: LoadBalancerMetrics) -> GateVerdict {
    judge(&new, &side(), &Thresholds::default())
}

fn only(verdict: &GateVerdict, figure: Figure) -> &GateFailure {
    assert_eq!(verdict.failures.len(), 1, "{:#?}", verdict.failures);
    assert_eq!(verdict.failures[0].figure, figure);
    &verdict.failures[0]
}

#[test]
fn a_healthy_new_side_passes() {
    let v = verdict(side());
    assert!(v.passed(), "{:#?}", v.failures);
    assert_eq!(
        v.summary(),
        "gate passed: 1000 requests, 5xx 0.1%, p95 0.2 s, 2 healthy hosts on the new load balancer"
    );
    assert_eq!(v.new, side());
}

#[test]
fn a_5xx_rate_over_the_absolute_limit_says_by_how_much() {
    let v = verdict(LoadBalancerMetrics { target_5xx: 30, elb_5xx: 12, ..side() });
    let f = only(&v, Figure::ErrorRate);
    assert_eq!(f.message, "5xx rate 4.2% on the new load balancer is over the 1.0% limit by 3.2 points (old: 0.1%)");
    assert_eq!((f.value, f.limit), (Some(4.2), Some(1.0)));
    assert!((f.by.unwrap() - 3.2).abs() < 1e-9);
    assert!(v.summary().starts_with("gate failed: 5xx rate 4.2%"));
}

#[test]
fn a_5xx_rate_exactly_at_a_limit_passes() {
    // 10 of 1000 is 1.0 % exactly; against an old side at 0.5 % the relative limit is 1.0 % too.
    let old = LoadBalancerMetrics { target_5xx: 5, ..side() };
    let v = judge(&LoadBalancerMetrics { target_5xx: 10, ..side() }, &old, &Thresholds::default());
    assert!(v.passed(), "{:#?}", v.failures);
    let v = judge(&LoadBalancerMetrics { target_5xx: 11, ..side() }, &old, &Thresholds::default());
    only(&v, Figure::ErrorRate);
}

#[test]
fn a_5xx_rate_under_the_limit_but_worse_than_the_old_side_fails() {
    // 0.8 % is under 1 %, but the old side's 0.1 % + 0.5 points is 0.6 %.
    let v = verdict(LoadBalancerMetrics { target_5xx: 8, ..side() });
    let f = only(&v, Figure::ErrorRate);
    assert_eq!(
        f.message,
        "5xx rate 0.8% on the new load balancer is over the old load balancer's 0.1% + 0.5 points (0.6%) by 0.2 points"
    );
    // 0.6 % exactly is at the relative limit.
    assert!(verdict(LoadBalancerMetrics { target_5xx: 6, ..side() }).passed());
}

#[test]
fn an_old_side_with_too_few_requests_is_not_compared() {
    let new = LoadBalancerMetrics { target_5xx: 8, ..side() };
    let quiet = LoadBalancerMetrics { requests: 49, target_5xx: 0, ..side() };
    assert!(judge(&new, &quiet, &Thresholds::default()).passed(), "only the absolute limit applies");
    let idle = LoadBalancerMetrics::default();
    assert!(judge(&new, &idle, &Thresholds::default()).passed());
    let v = judge(&LoadBalancerMetrics { target_5xx: 20, ..new }, &idle, &Thresholds::default());
    assert!(only(&v, Figure::ErrorRate).message.ends_with("(old: no traffic)"), "{}", v.summary());
    let v = judge(&LoadBalancerMetrics { target_5xx: 20, ..new }, &quiet, &Thresholds::default());
    assert!(only(&v, Figure::ErrorRate).message.ends_with("(old: 0.0% of only 49 requests, too few to compare)"));
}

#[test]
fn too_few_requests_is_not_enough_traffic_to_judge() {
    let v = verdict(LoadBalancerMetrics { requests: 12, target_5xx: 12, p95_seconds: Some(9.0), ..side() });
    let f = only(&v, Figure::Traffic);
    assert_eq!(
        f.message,
        "not enough traffic to judge: 12 requests on the new load balancer in 5 minutes, 50 needed (38 short)"
    );
    assert_eq!(f.by, Some(38.0));
    // 50 exactly is enough; the minimum can be lowered, or switched off.
    assert!(verdict(LoadBalancerMetrics { requests: 50, target_5xx: 0, ..side() }).passed());
    let t = Thresholds { min_requests: 10, ..Thresholds::default() };
    assert!(judge(&LoadBalancerMetrics { requests: 12, target_5xx: 0, ..side() }, &side(), &t).passed());
    let t = Thresholds { min_requests: 0, ..Thresholds::default() };
    let idle = LoadBalancerMetrics { requests: 0, target_5xx: 0, p95_seconds: None, ..side() };
    assert!(judge(&idle, &side(), &t).passed(), "nothing to judge and nothing asked for");
}

#[test]
fn requests_the_load_balancer_refused_count_as_traffic() {
    // No healthy target: every request is a 503 from the load balancer, none reach RequestCount.
    let v = verdict(LoadBalancerMetrics { requests: 0, target_5xx: 0, elb_5xx: 300, p95_seconds: None, ..side() });
    let f = only(&v, Figure::ErrorRate);
    assert!(f.message.starts_with("5xx rate 100.0% on the new load balancer"), "{}", f.message);
}

#[test]
fn a_slow_p95_over_the_absolute_limit_fails() {
    let v = verdict(LoadBalancerMetrics { p95_seconds: Some(2.1), ..side() });
    let f = only(&v, Figure::P95);
    assert_eq!(
        f.message,
        "p95 target response time 2.1 s on the new load balancer is over the 1.5 s limit by 0.6 s (old: 0.2 s)"
    );
    let slow_old = LoadBalancerMetrics { p95_seconds: Some(1.4), ..side() };
    assert!(
        judge(&LoadBalancerMetrics { p95_seconds: Some(1.5), ..side() }, &slow_old, &Thresholds::default()).passed()
    );
}

#[test]
fn a_p95_much_worse_than_the_old_side_fails() {
    let v = verdict(LoadBalancerMetrics { p95_seconds: Some(0.45), ..side() });
    let f = only(&v, Figure::P95);
    assert_eq!(
        f.message,
        "p95 target response time 0.45 s on the new load balancer is over 1.5 × the old load balancer's 0.2 s (0.3 s) by 0.15 s"
    );
    assert!(verdict(LoadBalancerMetrics { p95_seconds: Some(0.3), ..side() }).passed(), "1.5 × exactly passes");
}

#[test]
fn a_fast_p95_is_never_compared_below_the_floor() {
    let fast_old = LoadBalancerMetrics { p95_seconds: Some(0.02), ..side() };
    let t = Thresholds::default();
    assert!(judge(&LoadBalancerMetrics { p95_seconds: Some(0.1), ..side() }, &fast_old, &t).passed());
    let v = judge(&LoadBalancerMetrics { p95_seconds: Some(0.15), ..side() }, &fast_old, &t);
    let f = only(&v, Figure::P95);
    assert!(f.message.ends_with("(0.03 s, raised to the 0.1 s floor) by 0.05 s"), "{}", f.message);
}

#[test]
fn requests_with_no_p95_cannot_be_judged() {
    for odd in [None, Some(f64::NAN), Some(-1.0), Some(f64::INFINITY)] {
        let v = verdict(LoadBalancerMetrics { p95_seconds: odd, ..side() });
        let f = only(&v, Figure::P95);
        assert!(f.message.starts_with("p95 target response time: no figure for the new load balancer's 1000 requests"));
        assert_eq!(f.value, None);
    }
    // An old side with no p95 leaves only the absolute limit.
    let old = LoadBalancerMetrics { p95_seconds: Some(f64::NAN), ..side() };
    assert!(judge(&LoadBalancerMetrics { p95_seconds: Some(1.2), ..side() }, &old, &Thresholds::default()).passed());
}

#[test]
fn too_few_healthy_hosts_fail() {
    let v = verdict(LoadBalancerMetrics { healthy_hosts: Some(0), ..side() });
    let f = only(&v, Figure::HealthyHosts);
    assert_eq!(
        f.message,
        "healthy hosts: 0 at the lowest minute on the new load balancer's target group, under the minimum of 1 by 1"
    );
    assert!(verdict(LoadBalancerMetrics { healthy_hosts: Some(1), ..side() }).passed());
    let t = Thresholds { min_healthy_hosts: 3, ..Thresholds::default() };
    assert_eq!(judge(&side(), &side(), &t).failures[0].by, Some(1.0));
}

#[test]
fn no_host_figures_fail_unless_no_hosts_are_asked_for() {
    let blind = LoadBalancerMetrics { healthy_hosts: None, unhealthy_hosts: None, ..side() };
    let v = verdict(blind);
    assert!(only(&v, Figure::HealthyHosts).message.contains("no figure for the new load balancer's target group"));
    let t = Thresholds { min_healthy_hosts: 0, ..Thresholds::default() };
    assert!(judge(&blind, &side(), &t).passed());
}

#[test]
fn any_unhealthy_host_fails_by_default() {
    let v = verdict(LoadBalancerMetrics { unhealthy_hosts: Some(2), ..side() });
    let f = only(&v, Figure::UnhealthyHosts);
    assert_eq!(
        f.message,
        "unhealthy hosts: 2 at the worst minute on the new load balancer's target group, over the limit of 0 by 2"
    );
    let t = Thresholds { max_unhealthy_hosts: 2, ..Thresholds::default() };
    assert!(judge(&LoadBalancerMetrics { unhealthy_hosts: Some(2), ..side() }, &side(), &t).passed());
}

#[test]
fn every_failed_figure_is_reported_at_once() {
    let bad = LoadBalancerMetrics {
        target_5xx: 50,
        p95_seconds: Some(3.0),
        healthy_hosts: Some(0),
        unhealthy_hosts: Some(1),
        ..side()
    };
    let figures: Vec<Figure> = verdict(bad).failures.iter().map(|f| f.figure).collect();
    assert_eq!(figures, [Figure::ErrorRate, Figure::P95, Figure::HealthyHosts, Figure::UnhealthyHosts]);
    // Too little traffic replaces the rates, not the hosts.
    let quiet = LoadBalancerMetrics { requests: 10, target_5xx: 5, ..bad };
    let figures: Vec<Figure> = verdict(quiet).failures.iter().map(|f| f.figure).collect();
    assert_eq!(figures, [Figure::Traffic, Figure::HealthyHosts, Figure::UnhealthyHosts]);
}

#[test]
fn an_unusable_threshold_fails_the_gate_rather_than_passing_everything() {
    let t = Thresholds { max_5xx_percent: f64::NAN, ..Thresholds::default() };
    let v = judge(&LoadBalancerMetrics { target_5xx: 900, ..side() }, &side(), &t);
    let f = only(&v, Figure::Threshold);
    assert!(f.message.contains("max_5xx_percent is NaN"));
}

#[test]
fn huge_and_odd_counts_do_not_panic() {
    let huge = LoadBalancerMetrics { requests: u64::MAX, target_5xx: u64::MAX, elb_5xx: u64::MAX, ..side() };
    let v = judge(&huge, &huge, &Thresholds::default());
    assert_eq!(v.failures[0].figure, Figure::ErrorRate);
    let v =
        judge(&LoadBalancerMetrics::default(), &huge, &Thresholds { min_requests: u64::MAX, ..Thresholds::default() });
    assert_eq!(v.failures[0].figure, Figure::Traffic);
}

#[test]
fn a_verdict_round_trips_through_json() {
    let v = verdict(LoadBalancerMetrics { target_5xx: 42, ..side() });
    let back: GateVerdict = serde_json::from_str(&serde_json::to_string(&v).unwrap()).unwrap();
    assert_eq!(back, v);
    assert!(serde_json::to_string(&v).unwrap().contains("\"figure\":\"error_rate\""));
}
