//! Health gates: whether a cutover stage may go on, judged from the load balancers' own figures.
//!
//! A gate compares the new (Express) load balancer with the old one over the same window: the
//! 5xx rate, the p95 target response time, the healthy and unhealthy hosts behind the new side,
//! and whether enough requests reached the new side to judge at all. The figures come from
//! `ReadCloud::load_balancer_metrics` (CloudWatch on AWS, the scenario on a sandbox); `judge`
//! is pure, so the cutover step, the front ends and the tests all reach the same verdict from
//! the same figures.

mod dimensions;
mod judge;
mod metrics;
mod thresholds;
mod verdict;

#[cfg(test)]
mod judge_tests;

pub use dimensions::{load_balancer_dimension, target_group_dimension};
pub use judge::judge;
pub use metrics::LoadBalancerMetrics;
pub use thresholds::{Thresholds, Window};
pub use verdict::{Figure, GateFailure, GateVerdict};
