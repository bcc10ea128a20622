//! `[faults]`: what goes wrong in a scenario's account on its own, without `--fail-at`: the
//! weather of a flaky network, for classes on retries and rollback.

use serde::Deserialize;

/// `[faults]`: throttled calls, a step that fails once, a step that always fails. Optional, and
/// so is each field; the defaults make nothing fail.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct FaultsSection {
    /// Every N-th change call is first answered with a ThrottlingException, which the
    /// sandbox's SDK-style retry absorbs after a backoff; `0` throttles nothing.
    pub throttle_every: u32,
    /// Action types whose first call fails with a transient error; continuing the run (or a
    /// second attempt) succeeds.
    pub fail_once: Vec<String>,
    /// Action types whose every call fails: the run can only be rolled back.
    pub fail_always: Vec<String>,
}

impl FaultsSection {
    /// The most calls between two throttled ones that a scenario may set.
    pub const MAX_THROTTLE_EVERY: u32 = 1_000;

    /// Whether the scenario makes anything fail.
    pub fn is_quiet(&self) -> bool {
        self.throttle_every == 0 && self.fail_once.is_empty() && self.fail_always.is_empty()
    }

    pub(super) fn validate(&self) -> Result<(), String> {
        if self.throttle_every > Self::MAX_THROTTLE_EVERY {
            return Err(format!(
                "faults.throttle_every: {} is more than {}",
                self.throttle_every,
                Self::MAX_THROTTLE_EVERY
            ));
        }
        for (field, types) in [("fail_once", &self.fail_once), ("fail_always", &self.fail_always)] {
            for (i, name) in types.iter().enumerate() {
                if !super::super::faultable_types().any(|t| t == name) {
                    return Err(format!(
                        "faults.{field}[{i}]: {name:?} is not an action type; use one of {}",
                        super::super::faultable_types().collect::<Vec<_>>().join(", ")
                    ));
                }
            }
        }
        if let Some(both) = self.fail_once.iter().find(|t| self.fail_always.contains(t)) {
            return Err(format!("faults: {both:?} is in both fail_once and fail_always"));
        }
        Ok(())
    }
}
