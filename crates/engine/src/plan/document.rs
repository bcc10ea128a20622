//! The plan as a document: what is shown, hashed, approved, written to a file and applied.

use serde::{Deserialize, Serialize};
use thiserror::Error;

use super::checks::judge;
use super::{Action, AssumedSubnet, Assumption, Check, CheckLevel, PlanContext};

/// Bumped when the plan format changes incompatibly. 2: assumptions, check ids, the image build.
/// 3: the context the checks judge, subnets with their zones, the instance role's policies.
pub const PLAN_FORMAT: u32 = 3;

/// Who and what a plan is for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlanHeader {
    /// The Express service's name, e.g. `shop-api`: every created name derives from it.
    pub service_name: String,
    /// The EC2 instance being moved, e.g. `i-0abc12`.
    pub source_instance_id: String,
    /// The 12-digit AWS account the plan changes.
    pub account_id: String,
    /// The region the plan changes, e.g. `eu-west-1`.
    pub region: String,
}

/// One step: a stable id later steps can refer to, and the action.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Step {
    /// Unique within the plan, e.g. `task-role`: what `${ferry:ID.KEY}` placeholders and
    /// `NameFree` assumptions name.
    pub id: String,
    /// The change the step makes.
    pub action: Action,
}

/// A migration plan: ordered steps, what they assume about the account, the checks, and
/// the hash the operator approves. Written to a file as JSON and journaled with every run.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Plan {
    /// The `PLAN_FORMAT` it was made in; a file of another format is refused.
    pub format: u32,
    /// As in `PlanHeader`: the Express service's name.
    pub service_name: String,
    /// As in `PlanHeader`: the EC2 instance being moved.
    pub source_instance_id: String,
    /// As in `PlanHeader`: the 12-digit account the plan changes.
    pub account_id: String,
    /// As in `PlanHeader`: the region the plan changes.
    pub region: String,
    /// The changes, in the order apply makes them.
    pub steps: Vec<Step>,
    /// What the account looked like when the plan was made, as far as the steps depend on it:
    /// apply refuses to run when any of it no longer holds.
    pub assumptions: Vec<Assumption>,
    /// What the plan was made from that the steps do not show: judged with them. Absent from
    /// the journals of an older ferry, whose runs must still roll back.
    #[serde(default)]
    pub context: PlanContext,
    /// The checks as judged when the plan was made. Only compared with `checks()`, which
    /// judges the content again: a file cannot vouch for itself.
    checks: Vec<Check>,
    /// sha256 of everything above, as canonical JSON: what the operator approves.
    pub hash: String,
}

/// Why a plan file was refused.
#[derive(Debug, Error)]
pub enum PlanError {
    /// The file is not JSON, or not shaped as a plan.
    #[error("plan file is not valid: {0}")]
    Parse(#[from] serde_json::Error),
    /// The file is in a plan format this ferry does not read.
    #[error("plan format {found} is not supported (this ferry reads format {PLAN_FORMAT}): make the plan again")]
    Format {
        /// The format the file states.
        found: u32,
    },
    /// The content does not hash to the hash the file states: it was edited.
    #[error("plan was changed after it was hashed: it says {stated}, its content hashes to {actual}")]
    HashMismatch {
        /// The hash the file states.
        stated: String,
        /// What its content hashes to.
        actual: String,
    },
    /// The plan holds what only a hand-made one would: an undo step, two steps with one id, a
    /// placeholder naming a later step, a wait of more than a day.
    #[error("plan is not one ferry makes: {0}")]
    Shape(String),
    /// A fact the plan states does not follow from its content (checks, digests, assumptions,
    /// references between steps).
    #[error("plan file states what its content does not support: {field}: {message}")]
    Derived {
        /// Where in the file, e.g. `steps[1].action.dockerfile_sha256`.
        field: String,
        /// What is wrong there.
        message: String,
    },
}

/// The longest a wait step may be told to wait: a day.
const MAX_WAIT_SECS: u64 = 24 * 60 * 60;

impl Plan {
    /// Builds a plan, judges it and seals it with its hash.
    pub fn new(header: PlanHeader, steps: Vec<Step>, assumptions: Vec<Assumption>, context: PlanContext) -> Plan {
        let PlanHeader { service_name, source_instance_id, account_id, region } = header;
        let mut plan = Plan {
            format: PLAN_FORMAT,
            service_name,
            source_instance_id,
            account_id,
            region,
            steps,
            assumptions,
            context,
            checks: Vec::new(),
            hash: String::new(),
        };
        plan.seal();
        plan
    }

    /// Judges the content and hashes it again: after a change to the steps (tests, forgeries
    /// made on purpose), the plan states what its content now is.
    pub fn seal(&mut self) {
        self.checks = judge(self);
        self.hash = self.content_hash();
    }

    /// The policy checks, judged from the content now.
    pub fn checks(&self) -> Vec<Check> {
        judge(self)
    }

    /// The checks the plan file states; they count only when they equal `checks()`.
    pub fn stated_checks(&self) -> &[Check] {
        &self.checks
    }

    /// sha256 over the canonical JSON of the plan without its hash field.
    pub fn content_hash(&self) -> String {
        let mut unsealed = self.clone();
        unsealed.hash = String::new();
        let value = serde_json::to_value(&unsealed).unwrap_or_default();
        crate::digest::sha256_hex(crate::digest::canonical_json(&value).as_bytes())
    }

    /// The first 8 hex digits, as shown on screen. Cut by characters, not bytes: a journal's
    /// plan is read without being verified (its run must still roll back), so its hash may be
    /// any text.
    pub fn short_hash(&self) -> &str {
        self.hash.char_indices().nth(8).map_or(self.hash.as_str(), |(end, _)| &self.hash[..end])
    }

    /// Reads a plan file and refuses one whose content no longer matches its hash.
    pub fn from_json(text: &str) -> Result<Plan, PlanError> {
        // The format is read first, so an older plan is named as such rather than as garbage.
        #[derive(Deserialize)]
        struct Format {
            format: u32,
        }
        let format: Format = serde_json::from_str(text)?;
        if format.format != PLAN_FORMAT {
            return Err(PlanError::Format { found: format.format });
        }
        let plan: Plan = serde_json::from_str(text)?;
        plan.verify()?;
        Ok(plan)
    }

    /// Whether the plan is what it says it is: its hash is its content's, it is shaped as ferry
    /// makes plans, and every fact derived from the content (checks, digests, assumptions)
    /// is the one the plan states. Run on every read, at approval and when a run starts.
    pub fn verify(&self) -> Result<(), PlanError> {
        let actual = self.content_hash();
        if actual != self.hash {
            return Err(PlanError::HashMismatch { stated: self.hash.clone(), actual });
        }
        self.check_shape()?;
        if let Some(problem) = super::integrity::derived_problems(self).into_iter().next() {
            let escape = crate::text::escape_controls;
            return Err(PlanError::Derived { field: escape(&problem.field), message: escape(&problem.message) });
        }
        Ok(())
    }

    /// The subnets the plan assumes, with their zones.
    pub fn assumed_subnets(&self) -> &[AssumedSubnet] {
        self.assumptions
            .iter()
            .find_map(|a| match a {
                Assumption::Network { subnets, .. } => Some(subnets.as_slice()),
                _ => None,
            })
            .unwrap_or_default()
    }

    /// What only a hand-made plan would hold: undo actions as steps (a plan creates; only a
    /// rollback deletes), steps sharing an id, a placeholder naming a later step, a wait of
    /// more than a day.
    fn check_shape(&self) -> Result<(), PlanError> {
        let shape = |message: String| Err(PlanError::Shape(crate::text::escape_controls(&message)));
        for (index, step) in self.steps.iter().enumerate() {
            if step.action.is_undo() {
                return shape(format!("step {} ({}) deletes; plans only create", index + 1, step.id));
            }
            if self.steps[..index].iter().any(|earlier| earlier.id == step.id) {
                return shape(format!("two steps are called {}", step.id));
            }
            if let Action::WaitServiceActive { timeout_secs: wait, .. } | Action::Bake { seconds: wait, .. } =
                step.action
                && wait > MAX_WAIT_SECS
            {
                return shape(format!("step {} waits {wait} s, more than a day", index + 1));
            }
            if let Action::HealthGate { window, thresholds, .. } = &step.action
                && let Err(problem) = window.validate().and_then(|()| thresholds.validate())
            {
                return shape(format!("step {} judges by limits that cannot hold: {problem}", index + 1));
            }
            let text = serde_json::to_string(&step.action).unwrap_or_default();
            for later in &self.steps[index..] {
                if text.contains(&format!("${{ferry:{}.", later.id)) {
                    return shape(format!("step {} uses what step {} has not made yet", step.id, later.id));
                }
            }
        }
        Ok(())
    }

    /// The plan file's text: pretty-printed JSON, hash and stated checks included.
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_default()
    }

    /// How many of the checks, judged now, are at `level`.
    pub fn count(&self, level: CheckLevel) -> usize {
        self.checks().iter().filter(|c| c.level == level).count()
    }

    /// A plan with a denying check is approved only with a written reason for each.
    pub fn is_denied(&self) -> bool {
        self.count(CheckLevel::Deny) > 0
    }

    /// The denying checks, judged now.
    pub fn denies(&self) -> Vec<Check> {
        self.checks().into_iter().filter(|c| c.level == CheckLevel::Deny).collect()
    }
}
