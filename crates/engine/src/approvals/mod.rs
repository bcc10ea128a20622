//! The human gate: a person's approval of one exact plan (by its full sha256) or of one run's
//! rollback, recorded outside the model and good for one change.
//!
//! A person records an approval (`ferry approve` at a terminal, or an elicitation form a person
//! answered); a front end that changes the account on an assistant's behalf takes it first. So
//! that no tool argument and no file written by someone else can stand in for that person:
//! - an approval is a file in the state folder's `approvals/`, sealed with an HMAC-SHA256 over
//!   its canonical JSON under a random key kept beside it (created 0600): a hand-made or edited
//!   file is refused as forged, and one moved to another subject's name approves nothing else;
//! - taking one consumes it: its MAC goes on the used list before the file is removed, so
//!   neither a second take nor a copy of the file put back is accepted;
//! - it expires [`LIFETIME`] after it was given;
//! - every approval recorded, taken or refused is a record in the hash-chained audit log.
//!
//! Whoever can read the state folder can read the key too: a person (or an assistant) with a
//! shell as the operator's user is outside what this can stop.

mod plans;
mod sealed;
mod subject;

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use thiserror::Error;

use crate::audit::{AuditEntry, AuditLog};
use crate::plan::{Approved, MIN_REASON, Override, Plan};

pub use plans::{PLAN_ID_LEN, PlanStore, PlanStoreError, plan_id};
use sealed::Store;

/// How long an approval can be used after it was given: long enough to go back to the
/// assistant and apply, short enough that an approval forgotten on a laptop is soon worthless.
pub const LIFETIME: Duration = Duration::from_secs(30 * 60);

/// `via` for an approval typed by a person into `ferry approve`.
pub const VIA_TERMINAL: &str = "ferry approve on a terminal";

/// The audit log's `run_id` for approval records. Not the run's own id even for a rollback:
/// approvals are kept in the local log only, and a record under an anchored run's id that the
/// anchor lacks would read as a record kept from it.
pub const AUDIT_RUN_ID: &str = "approvals";

/// What a person approves: a plan by its full sha256, or the rollback of a run.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum Subject {
    /// Applying (or resuming) the plan with this hash, exactly.
    Plan {
        /// The plan's full sha256, 64 lower-case hex digits.
        hash: String,
    },
    /// Rolling back everything this run made.
    Rollback {
        /// The run's id, as `ferry runs` lists it.
        run_id: String,
    },
}

/// A person's approval as recorded: single use, expires 30 minutes after it was given.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Approval {
    /// What is approved.
    pub subject: Subject,
    /// The reason for each deny overridden (empty for a rollback).
    pub overrides: Vec<Override>,
    /// The STS caller ARN of the person approving.
    pub operator: String,
    /// When it was given: RFC 3339, UTC.
    pub approved_at: String,
    /// When it stops being usable: RFC 3339, UTC.
    pub expires_at: String,
    /// How it was given: `ferry approve on a terminal`, `elicitation in <client name> <version>`.
    pub via: String,
}

/// Why an approval was not recorded or not taken. Each message says what to do next.
#[derive(Debug, Error)]
pub enum ApprovalError {
    /// No approval is recorded for the subject.
    #[error("no approval for {subject}: a person must approve it: ask the operator to run `{}` in a terminal", .subject.command())]
    Missing {
        /// What was to be approved.
        subject: Subject,
    },
    /// The approval was given more than `LIFETIME` ago.
    #[error("the approval of {subject} expired at {expired_at}: ask the operator to run `{}` again", .subject.command())]
    Expired {
        /// What was approved.
        subject: Subject,
        /// When it expired, RFC 3339.
        expired_at: String,
    },
    /// The approval was taken before: each allows one change.
    #[error("the approval of {subject} was already used (an approval allows one change): ask the operator to run `{}` again", .subject.command())]
    Used {
        /// What was approved.
        subject: Subject,
    },
    /// The file is not one ferry recorded: made by hand, edited, or moved from another subject.
    #[error("the approval file {path} is not one ferry recorded ({reason}), so {subject} is not approved: find out who wrote it, and ask the operator to run `{}` in a terminal", .subject.command())]
    Forged {
        /// What was to be approved.
        subject: Subject,
        /// The file refused.
        path: PathBuf,
        /// What gives it away.
        reason: String,
    },
    /// What was given cannot be recorded: a reason too short, a subject that names nothing.
    #[error("cannot record the approval: {0}")]
    Invalid(String),
    /// The plan itself cannot be approved as given (wrong digits, a deny without a reason, a
    /// plan that is not what it states).
    #[error("{0}")]
    NotApproved(#[from] crate::plan::ApprovalError),
    /// The key that seals approvals cannot be read, made or trusted.
    #[error("the approval key {path} cannot be used: {reason}")]
    Key {
        /// The key file.
        path: PathBuf,
        /// What is wrong and what to do.
        reason: String,
    },
    /// The approvals folder could not be read or written.
    #[error("the approvals folder {path}: {source}: check that the state folder is writable")]
    Io {
        /// The file or folder at fault.
        path: PathBuf,
        /// What the system reported.
        source: std::io::Error,
    },
    /// The audit log could not take the record, so nothing was recorded or taken.
    #[error("no approval without a record of it: {0}")]
    Audit(String),
}

/// The time source: the system clock, or a test's.
type Clock = Arc<dyn Fn() -> SystemTime + Send + Sync>;

/// The approvals folder of a state folder, with the audit log its records go to.
#[derive(Clone)]
pub struct Approvals {
    dir: PathBuf,
    audit: Option<PathBuf>,
    clock: Clock,
}

/// A refused take, with the approval when one was read and verified (for the audit record).
struct Refusal {
    error: ApprovalError,
    approval: Option<Box<Approval>>,
}

impl From<ApprovalError> for Refusal {
    fn from(error: ApprovalError) -> Refusal {
        Refusal { error, approval: None }
    }
}

impl Approvals {
    /// `approvals/` in the state folder (`FERRY_STATE_DIR`, or the XDG state folder), audited in
    /// its `audit.jsonl`. `None` when the system has no state folder.
    pub fn in_state_dir() -> Option<Approvals> {
        let dir = crate::state_dir::state_dir()?;
        Some(Approvals::new(dir.join("approvals"), Some(dir.join("audit.jsonl"))))
    }

    /// Approvals kept in `dir`, audited in `audit` (`None` audits nothing: tests only).
    pub fn new(dir: PathBuf, audit: Option<PathBuf>) -> Approvals {
        Approvals { dir, audit, clock: Arc::new(SystemTime::now) }
    }

    /// The same approvals, reading the time from `clock`: tests judge expiry without waiting
    /// half an hour.
    pub fn with_clock(mut self, clock: impl Fn() -> SystemTime + Send + Sync + 'static) -> Approvals {
        self.clock = Arc::new(clock);
        self
    }

    /// The folder approvals are kept in.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Records a person's approval of `subject`, replacing (and using up) any approval of it
    /// still pending. `overrides` must give a reason of at least `MIN_REASON` characters for
    /// each deny (none for a rollback); a plan's front end checks them against the plan's
    /// denies with [`Approvals::approve_plan`].
    pub fn record(
        &self,
        subject: Subject,
        overrides: Vec<Override>,
        operator: &str,
        via: &str,
    ) -> Result<Approval, ApprovalError> {
        if let Err(reason) = check_given(&subject, &overrides, operator, via) {
            return Err(self.refused(&subject, operator, via, ApprovalError::Invalid(reason)));
        }
        let now = (self.clock)();
        let approval = Approval {
            subject,
            overrides,
            operator: operator.to_string(),
            approved_at: rfc3339(now),
            expires_at: rfc3339(now + LIFETIME),
            via: via.to_string(),
        };
        let store = Store::new(&self.dir);
        let key = store.key()?;
        let lock = store.lock()?;
        store.write(&approval, &key)?;
        let details = json!({
            "overrides": approval.overrides,
            "approved_at": approval.approved_at,
            "expires_at": approval.expires_at,
        });
        let outcome = format!("recorded, usable once until {}", approval.expires_at);
        if let Err(error) = self.audit("record approval", &approval.subject, operator, via, details, outcome) {
            // An approval nobody can find in the log must not be usable.
            store.remove(&approval.subject)?;
            return Err(error);
        }
        drop(lock);
        Ok(approval)
    }

    /// Approves `plan` as a person did: `typed` must start its hash (at least `MIN_PREFIX`
    /// digits), and each deny the plan's content gives needs an override with its reason, as
    /// `Plan::approve` rules. Records the approval of the full hash.
    pub fn approve_plan(
        &self,
        plan: &Plan,
        typed: &str,
        overrides: Vec<Override>,
        operator: &str,
        via: &str,
    ) -> Result<Approval, ApprovalError> {
        let subject = Subject::Plan { hash: plan.hash.clone() };
        match plan.approve(typed, overrides) {
            Ok(approved) => self.record(subject, approved.overrides().to_vec(), operator, via),
            Err(error) => Err(self.refused(&subject, operator, via, error.into())),
        }
    }

    /// Takes the approval of `subject`, using it up: refused when there is none, when it is
    /// forged, used or expired. Each outcome is audited; when the log cannot take the record of
    /// a take, the approval is used up all the same and the error says so (fail closed).
    pub fn take(&self, subject: &Subject) -> Result<Approval, ApprovalError> {
        let store = Store::new(&self.dir);
        let taken = store.lock().map_err(Refusal::from).and_then(|lock| {
            let taken = self.take_locked(&store, subject);
            drop(lock);
            taken
        });
        match taken {
            Ok(approval) => {
                let details = json!({ "approved_at": approval.approved_at, "expires_at": approval.expires_at });
                let (operator, via) = (&approval.operator, &approval.via);
                self.audit("take approval", subject, operator, via, details, "taken: used up".into())?;
                Ok(approval)
            }
            Err(Refusal { error, approval }) => {
                let (operator, via) = approval.as_ref().map_or(("-", "-"), |a| (a.operator.as_str(), a.via.as_str()));
                Err(self.refused(subject, operator, via, error))
            }
        }
    }

    /// Takes the approval of `plan` and approves the plan with its overrides: what a change
    /// tool holds before it applies. The plan is verified first, so a plan that is not what it
    /// states does not use up an approval.
    pub fn take_plan(&self, plan: &Plan) -> Result<(Approval, Approved), ApprovalError> {
        let subject = Subject::Plan { hash: plan.hash.clone() };
        if let Err(error) = plan.verify() {
            let error = crate::plan::ApprovalError::NotWhatItSays(error.to_string());
            return Err(self.refused(&subject, "-", "-", error.into()));
        }
        let approval = self.take(&subject)?;
        match plan.approve(&plan.hash, approval.overrides.clone()) {
            Ok(approved) => Ok((approval, approved)),
            Err(error) => Err(self.refused(&subject, &approval.operator, &approval.via, error.into())),
        }
    }

    /// The approval of `subject` that `take` would accept now, if any. Changes nothing: no
    /// file, no key, no audit record.
    pub fn pending(&self, subject: &Subject) -> Option<Approval> {
        self.verified(&Store::new(&self.dir), subject).ok().map(|(approval, _)| approval)
    }

    /// Audits a refusal a front end decided itself (a person declined, typed the wrong
    /// digits three times, closed the terminal): approvals refused are recorded too.
    pub fn note_refusal(&self, subject: &Subject, operator: &str, via: &str, why: &str) -> Result<(), ApprovalError> {
        self.audit("refuse approval", subject, operator, via, Value::Null, format!("refused: {why}"))
    }

    /// The approval of `subject` and its MAC, once the file is known to be ferry's, unused and
    /// not expired.
    fn verified(&self, store: &Store, subject: &Subject) -> Result<(Approval, String), Refusal> {
        let path = store.path_of(subject);
        let Some(text) = store.read(subject)? else {
            return Err(ApprovalError::Missing { subject: subject.clone() }.into());
        };
        let forged = |reason: String| ApprovalError::Forged { subject: subject.clone(), path: path.clone(), reason };
        let Some(key) = store.existing_key()? else {
            return Err(forged("there is no approval key, so ferry recorded no approval here".into()).into());
        };
        let (approval, mac) = sealed::open(&text, &key).map_err(forged)?;
        if approval.subject != *subject {
            return Err(forged(format!("it approves {}", approval.subject)).into());
        }
        let refusal = |error| Refusal { error, approval: Some(Box::new(approval.clone())) };
        if store.is_used(&mac)? {
            return Err(refusal(ApprovalError::Used { subject: subject.clone() }));
        }
        let expires = humantime::parse_rfc3339(&approval.expires_at)
            .map_err(|e| forged(format!("its expiry {:?} is not a time: {e}", approval.expires_at)))?;
        if (self.clock)() >= expires {
            let expired_at = approval.expires_at.clone();
            return Err(refusal(ApprovalError::Expired { subject: subject.clone(), expired_at }));
        }
        Ok((approval, mac))
    }

    /// `take` under the folder's lock: an approval used or expired is removed as it is
    /// refused; a forged file is left where it is, for whoever looks into it.
    fn take_locked(&self, store: &Store, subject: &Subject) -> Result<Approval, Refusal> {
        match self.verified(store, subject) {
            Ok((approval, mac)) => {
                // Used before removed: a crash in between leaves a file that is refused as used.
                store.mark_used(&mac)?;
                store.remove(subject)?;
                Ok(approval)
            }
            Err(refusal) => {
                if matches!(refusal.error, ApprovalError::Used { .. } | ApprovalError::Expired { .. }) {
                    store.remove(subject)?;
                }
                Err(refusal)
            }
        }
    }

    /// Audits `error` as a refusal and returns it; a refusal the log could not take is
    /// returned as that failure, naming both.
    fn refused(&self, subject: &Subject, operator: &str, via: &str, error: ApprovalError) -> ApprovalError {
        let outcome = format!("refused: {error}");
        match self.audit("refuse approval", subject, operator, via, Value::Null, outcome) {
            Ok(()) => error,
            Err(ApprovalError::Audit(audit)) => ApprovalError::Audit(format!("{audit}; the refusal was: {error}")),
            Err(other) => other,
        }
    }

    /// One record in the audit log: the subject, who approved and how, what happened.
    fn audit(
        &self,
        action: &str,
        subject: &Subject,
        operator: &str,
        via: &str,
        details: Value,
        outcome: String,
    ) -> Result<(), ApprovalError> {
        let Some(path) = &self.audit else { return Ok(()) };
        let mut parameters = json!({ "subject": subject, "via": via });
        if let (Value::Object(map), Value::Object(more)) = (&mut parameters, details) {
            map.extend(more);
        }
        let entry = AuditEntry {
            run_id: AUDIT_RUN_ID.to_string(),
            operator: operator.to_string(),
            action: action.to_string(),
            parameters,
            outcome,
            duration_ms: 0,
        };
        AuditLog::open(path)
            .and_then(|mut log| log.append(entry))
            .map(drop)
            .map_err(|e| ApprovalError::Audit(e.to_string()))
    }
}

/// Why what was given cannot be an approval: the subject must name a plan hash or a run, each
/// override a deny with a written reason (none for a rollback), and who and how must be known.
fn check_given(subject: &Subject, overrides: &[Override], operator: &str, via: &str) -> Result<(), String> {
    subject.check()?;
    if matches!(subject, Subject::Rollback { .. }) && !overrides.is_empty() {
        return Err("a rollback overrides no deny: give no reasons".into());
    }
    for (index, given) in overrides.iter().enumerate() {
        if given.check_id.trim().is_empty() {
            return Err("an override names no deny".into());
        }
        if overrides[..index].iter().any(|earlier| earlier.check_id == given.check_id) {
            return Err(format!("{} is overridden twice", crate::text::escape_controls(&given.check_id)));
        }
        let length = given.reason.chars().filter(|c| !c.is_whitespace()).count();
        if length < MIN_REASON {
            return Err(format!(
                "the reason for overriding {} is too short ({length} of {MIN_REASON} characters, spaces not counted): write why it is acceptable",
                crate::text::escape_controls(&given.check_id)
            ));
        }
    }
    if operator.trim().is_empty() {
        return Err("who approves is not known (the STS caller ARN)".into());
    }
    if via.trim().is_empty() {
        return Err("how the approval was given is not known".into());
    }
    Ok(())
}

/// RFC 3339, UTC, to the second.
fn rfc3339(time: SystemTime) -> String {
    humantime::format_rfc3339_seconds(time).to_string()
}
