//! Carrying out a health gate, the same on every cloud: read both sides' figures over the
//! window and judge them. A failed gate is an error naming the figure that failed and by how
//! much; the executor then carries out what the gate puts back (`Action::on_failure`: every
//! host name's traffic to the old stack) at once, each as a journaled and audited record of
//! its own, so a bad stage never waits for a person to notice.

use crate::cloud::{Cloud, CloudError, CloudResult, ProgressSink};
use crate::gate::{LoadBalancerMetrics, judge};
use crate::plan::{Action, ActionOutput};

/// Judges a `HealthGate` action; any other action is refused.
pub async fn carry_out_gate(
    cloud: &dyn Cloud,
    action: &Action,
    progress: ProgressSink<'_>,
) -> CloudResult<ActionOutput> {
    let Action::HealthGate { share, sides, window, thresholds, .. } = action else {
        return Err(CloudError::Other(format!("{} is not a health gate", action.verb())));
    };
    progress(format!("reading the last {} min of both load balancers' figures", window.minutes));
    let (new, old) = tokio::join!(
        cloud.load_balancer_metrics(&sides.new_load_balancer_arn, sides.new_target_group_arn.as_deref(), *window),
        cloud.load_balancer_metrics(&sides.old_load_balancer_arn, sides.old_target_group_arn.as_deref(), *window),
    );
    let verdict = match (new, old) {
        (Ok(new), Ok(old)) => judge(&new, &old, thresholds),
        // Figures that cannot be read cannot pass a gate.
        (Err(error), _) | (_, Err(error)) => {
            return Err(CloudError::Other(format!(
                "health gate at {share} % failed: the figures could not be read: {error}"
            )));
        }
    };
    if verdict.passed() {
        return Ok(
            ActionOutput::new(format!("gate at {share} % passed: {}", figures(&verdict.new))).with("verdict", "passed")
        );
    }
    progress(format!("gate at {share} % failed: returning all traffic to the old stack"));
    Err(CloudError::Other(format!("health gate at {share} % failed: {}", verdict.reasons())))
}

/// The new side's figures in a few words, for the step's line.
fn figures(new: &LoadBalancerMetrics) -> String {
    let p95 = new.usable_p95().map_or("no p95".into(), |s| format!("p95 {:.0} ms", s * 1000.0));
    let errors = new.error_percent().map_or("no 5xx rate".into(), |p| format!("5xx {p:.1}%"));
    format!("{} requests, {errors}, {p95}", new.traffic())
}
