//! Carrying out a health gate, the same on every cloud: read both sides' figures over the
//! window, judge them, and when the gate fails send all traffic back to the old stack before
//! the step reports the failure, so a bad stage never waits for a person to notice.

use crate::cloud::{Cloud, CloudError, CloudResult, ProgressSink};
use crate::gate::{LoadBalancerMetrics, judge};
use crate::plan::{Action, ActionOutput};

/// Judges a `HealthGate` action; any other action is refused.
pub async fn carry_out_gate(
    cloud: &dyn Cloud,
    action: &Action,
    progress: ProgressSink<'_>,
) -> CloudResult<ActionOutput> {
    let Action::HealthGate { share, pairs, sides, window, thresholds } = action else {
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
            let reason = format!("the figures could not be read: {error}");
            return fail(cloud, pairs, *share, &reason, progress).await;
        }
    };
    if verdict.passed() {
        return Ok(
            ActionOutput::new(format!("gate at {share} % passed: {}", figures(&verdict.new))).with("verdict", "passed")
        );
    }
    fail(cloud, pairs, *share, &verdict.reasons(), progress).await
}

/// Weights back to old 100 / new 0 for every host name, then the failure, with both.
async fn fail(
    cloud: &dyn Cloud,
    pairs: &[crate::plan::WeightedPair],
    share: u8,
    reason: &str,
    progress: ProgressSink<'_>,
) -> CloudResult<ActionOutput> {
    progress(format!("gate at {share} % failed: returning all traffic to the old stack"));
    let mut returned = Vec::new();
    for pair in pairs {
        let back = Action::ReturnWeights { pair: Box::new(pair.clone()) };
        match cloud.execute(&back, progress).await {
            Ok(_) => returned.push(pair.host().to_string()),
            Err(error) => {
                return Err(CloudError::Other(format!(
                    "health gate at {share} % failed ({reason}), and returning {} to the old stack failed too: {error}; roll the cutover back now",
                    pair.host()
                )));
            }
        }
    }
    Err(CloudError::Other(format!(
        "health gate at {share} % failed: {reason}; all traffic is back on the old stack (old 100 / new 0 for {})",
        returned.join(", ")
    )))
}

/// The new side's figures in a few words, for the step's line.
fn figures(new: &LoadBalancerMetrics) -> String {
    let p95 = new.usable_p95().map_or("no p95".into(), |s| format!("p95 {:.0} ms", s * 1000.0));
    let errors = new.error_percent().map_or("no 5xx rate".into(), |p| format!("5xx {p:.1}%"));
    format!("{} requests, {errors}, {p95}", new.traffic())
}
