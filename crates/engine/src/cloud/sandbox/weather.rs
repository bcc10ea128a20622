//! The scenario's own faults (`[faults]`): throttled calls that the SDK-style retry absorbs,
//! a step that fails once, a step that always fails.

use super::{FaultKind, Sandbox};
use crate::cloud::{CloudError, ProgressSink};
use crate::plan::Action;

/// The end of the progress line that says a throttled call went through on its retry: a
/// front end may keep it beside the step's result.
pub const THROTTLING_ABSORBED: &str = "the throttling was absorbed";

impl Sandbox {
    /// Every `throttle_every`-th change call is first answered with a ThrottlingException: the
    /// retry waits its backoff and tries again, as the AWS SDK's standard retry does, and says
    /// so in the step's progress (the run log).
    pub(super) async fn absorb_throttling(&self, action: &Action, progress: ProgressSink<'_>) {
        let every = u64::from(self.faults.throttle_every);
        if every == 0 {
            return;
        }
        let call = {
            let mut counters = self.counters.lock().unwrap_or_else(|p| p.into_inner());
            counters.calls += 1;
            counters.calls
        };
        if call % every != 0 {
            return;
        }
        // The SDK's standard retry: a jittered exponential backoff, here twice the latency.
        let backoff = self.latency.saturating_mul(2);
        progress(format!(
            "{}: ThrottlingException: Rate exceeded; retrying in {} ms (attempt 2 of 3)",
            action.type_name(),
            backoff.as_millis()
        ));
        if !backoff.is_zero() {
            tokio::time::sleep(backoff).await;
        }
        progress(format!("{}: attempt 2 answered; {THROTTLING_ABSORBED}", action.type_name()));
    }

    /// The fault the scenario's `[faults]` puts on this call: undos never fail, so a run can
    /// always be rolled back.
    pub(super) fn scenario_fault(&self, action: &Action) -> Option<(FaultKind, CloudError)> {
        if action.is_undo() {
            return None;
        }
        let kind = action.type_name();
        if self.faults.fail_always.contains(&kind) {
            return Some((
                FaultKind::Before,
                CloudError::Other(format!(
                    "{} (the scenario's [faults] fail_always: this step fails every time; roll the run back)",
                    super::execute::fault_message(action)
                )),
            ));
        }
        let mut counters = self.counters.lock().unwrap_or_else(|p| p.into_inner());
        if self.faults.fail_once.contains(&kind) && counters.failed_once.insert(kind.clone()) {
            return Some((
                FaultKind::Before,
                CloudError::Other(format!(
                    "RequestTimeout: the connection was reset before {kind} was sent; nothing changed \
                     (the scenario's [faults] fail_once: continue the run and the step succeeds)"
                )),
            ));
        }
        None
    }
}
