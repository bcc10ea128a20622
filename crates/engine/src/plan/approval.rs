//! Approving a plan: by its hash, with a written reason for every deny the operator overrides.
//!
//! `Approved` is the only way into apply, so an unapproved or half-approved plan has no path
//! to the account.

use serde::{Deserialize, Serialize};
use thiserror::Error;

use super::Plan;

/// The shortest hash prefix accepted: 12 hex digits (48 bits), as `ferry show` prints it. Fewer
/// would let someone who can edit a plan file search for another plan with the same prefix.
pub const MIN_PREFIX: usize = 12;
/// The shortest reason accepted for overriding a deny: a sentence, not a keystroke.
pub const MIN_REASON: usize = 12;

/// A deny the operator accepts, and why. Goes to the audit log.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Override {
    /// The denying check's id, as `ferry show` lists it.
    pub check_id: String,
    /// Why the deny is acceptable, in the operator's words: at least `MIN_REASON` characters,
    /// whitespace not counted.
    pub reason: String,
}

impl std::str::FromStr for Override {
    type Err = String;

    /// `CHECK_ID=REASON`, as `--override` takes it.
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let (id, reason) =
            text.split_once('=').ok_or_else(|| format!("{text:?} is not CHECK_ID=REASON (see `ferry show PLAN`)"))?;
        Ok(Override { check_id: id.trim().to_string(), reason: reason.trim().to_string() })
    }
}

/// A plan the operator approved: what apply takes. Only `Plan::approve` makes one, so what
/// reaches a run has passed the hash and every deny's written reason.
#[derive(Debug, Clone, PartialEq)]
pub struct Approved {
    plan: Plan,
    overrides: Vec<Override>,
}

impl Approved {
    /// The plan as approved.
    pub fn plan(&self) -> &Plan {
        &self.plan
    }

    /// Every deny of the plan, each overridden with its reason.
    pub fn overrides(&self) -> &[Override] {
        &self.overrides
    }
}

/// Why a plan was not approved.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum ApprovalError {
    /// Fewer than `MIN_PREFIX` hex digits were given; holds the plan's first `MIN_PREFIX`
    /// digits, to show what to type.
    #[error("approve with at least {MIN_PREFIX} hex digits of the plan's hash (it is {0})")]
    PrefixTooShort(String),
    /// The digits given do not start the plan's hash: it is not the plan that was reviewed.
    #[error("the plan's hash is {actual}, not {approved}…: review the plan you are applying (ferry show)")]
    HashMismatch {
        /// The prefix given, trimmed and lower-cased.
        approved: String,
        /// The plan's full hash.
        actual: String,
    },
    /// Denies left without an override; holds their check ids.
    #[error("denied by {}: override each with --override ID=\"why it is acceptable\"", .0.join(", "))]
    Denied(Vec<String>),
    /// An override's reason is shorter than `MIN_REASON`; holds its check id.
    #[error(
        "the reason for overriding {0} is too short: write why it is acceptable (at least {MIN_REASON} characters)"
    )]
    ReasonTooShort(String),
    /// An override names no deny of this plan; holds the id given.
    #[error("--override names {0}, which is not a deny of this plan")]
    UnknownCheck(String),
    /// The plan is not what it states (hash, derived facts): nothing in it can be approved.
    #[error("{0}")]
    NotWhatItSays(String),
    /// AWS or Docker would refuse part of the plan: each problem names its field or line.
    #[error("the plan is not valid, so it cannot be approved:\n{}", .0.join("\n"))]
    Invalid(Vec<String>),
}

impl Plan {
    /// Approves the plan overriding every deny with the same reason: for tests and demos
    /// that need a whole run, never for an operator's approval.
    pub fn approve_overriding_all(&self, reason: &str) -> Result<Approved, ApprovalError> {
        let overrides =
            self.denies().into_iter().map(|c| Override { check_id: c.id, reason: reason.to_string() }).collect();
        self.approve(&self.hash, overrides)
    }

    /// Approves the plan when `hash_prefix` starts its hash and every deny is overridden
    /// with a reason. The hash, the derived facts and the checks are all computed from the
    /// content here, whatever the plan states.
    pub fn approve(&self, hash_prefix: &str, overrides: Vec<Override>) -> Result<Approved, ApprovalError> {
        self.verify().map_err(|e| ApprovalError::NotWhatItSays(e.to_string()))?;
        let invalid = self.invalid();
        if !invalid.is_empty() {
            return Err(ApprovalError::Invalid(invalid.iter().map(ToString::to_string).collect()));
        }
        let denies = self.denies();
        let prefix = hash_prefix.trim().to_ascii_lowercase();
        if prefix.len() < MIN_PREFIX {
            return Err(ApprovalError::PrefixTooShort(self.hash.get(..MIN_PREFIX).unwrap_or_default().to_string()));
        }
        if !self.hash.starts_with(&prefix) {
            return Err(ApprovalError::HashMismatch { approved: prefix, actual: self.hash.clone() });
        }
        for given in &overrides {
            if !denies.iter().any(|c| c.id == given.check_id) {
                return Err(ApprovalError::UnknownCheck(given.check_id.clone()));
            }
            if given.reason.chars().filter(|c| !c.is_whitespace()).count() < MIN_REASON {
                return Err(ApprovalError::ReasonTooShort(given.check_id.clone()));
            }
        }
        let missing: Vec<String> =
            denies.iter().filter(|c| !overrides.iter().any(|o| o.check_id == c.id)).map(|c| c.id.clone()).collect();
        if !missing.is_empty() {
            return Err(ApprovalError::Denied(missing));
        }
        Ok(Approved { plan: self.clone(), overrides })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plan::{Assumption, PlanContext, PlanHeader};

    /// A plan whose content is judged to deny once per blocker (`readiness-N`).
    fn plan(blockers: &[&str]) -> Plan {
        let header = PlanHeader {
            service_name: "s".into(),
            source_instance_id: "i-1".into(),
            account_id: "1".into(),
            region: "r".into(),
        };
        let instance = Assumption::Instance { instance_id: "i-1".into(), user_data_sha256: None };
        let context = PlanContext { blockers: blockers.iter().map(|b| b.to_string()).collect(), ..Default::default() };
        Plan::new(header, Vec::new(), vec![instance], context)
    }

    #[test]
    fn approves_by_hash_prefix_only() {
        let plan = plan(&[]);
        assert!(plan.approve(&plan.hash[..12], Vec::new()).is_ok());
        assert!(plan.approve(&plan.hash[..12].to_uppercase(), Vec::new()).is_ok());
        assert!(matches!(plan.approve(&plan.hash[..8], Vec::new()), Err(ApprovalError::PrefixTooShort(_))));
        assert!(matches!(plan.approve("000000000000", Vec::new()), Err(ApprovalError::HashMismatch { .. })));
    }

    #[test]
    fn every_deny_needs_a_written_reason() {
        let plan = plan(&["uploads on local disk", "a cron job"]);
        let prefix = &plan.hash[..12];
        let reason = |id: &str, why: &str| Override { check_id: id.into(), reason: why.into() };
        assert_eq!(
            plan.approve(prefix, vec![reason("readiness-2", "the cron job moves to EventBridge, OPS-11")]),
            Err(ApprovalError::Denied(vec!["readiness-1".into()]))
        );
        assert_eq!(
            plan.approve(prefix, vec![reason("readiness-2", "ok"), reason("readiness-1", "ok")]),
            Err(ApprovalError::ReasonTooShort("readiness-2".into()))
        );
        assert_eq!(
            plan.approve(prefix, vec![reason("nope", "a long enough reason here")]),
            Err(ApprovalError::UnknownCheck("nope".into()))
        );
        let both = vec![
            reason("readiness-2", "the cron job moves to EventBridge, OPS-12"),
            reason("readiness-1", "uploads move to S3 next sprint, OPS-13"),
        ];
        assert_eq!(plan.approve(prefix, both.clone()).map(|a| a.overrides().to_vec()), Ok(both));
        assert_eq!("a=b=c".parse::<Override>(), Ok(reason("a", "b=c")));
    }

    #[test]
    fn a_plan_mutated_after_sealing_is_not_approved() {
        let mut plan = plan(&["uploads on local disk"]);
        plan.context.blockers.clear();
        let approval = plan.approve(&plan.hash.clone(), Vec::new());
        assert!(
            matches!(approval, Err(ApprovalError::NotWhatItSays(ref m)) if m.contains("hashes to")),
            "{approval:?}"
        );
    }
}
