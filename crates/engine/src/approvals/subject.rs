//! What an approval is of: how it is named to a person, the command that approves it, and
//! which names are well formed.

use std::fmt;

use super::Subject;
use super::plans::PLAN_ID_LEN;

impl Subject {
    /// The approval of the plan with this full hash.
    pub fn plan(hash: &str) -> Subject {
        Subject::Plan { hash: hash.to_string() }
    }

    /// The approval of rolling back this run.
    pub fn rollback(run_id: &str) -> Subject {
        Subject::Rollback { run_id: run_id.to_string() }
    }

    /// The command a person runs in a terminal to approve it: `ferry approve 3b7b1cc8a1e2`
    /// (the plan's id in the plan store), `ferry approve --rollback RUN_ID`.
    pub fn command(&self) -> String {
        match self {
            Subject::Plan { hash } => format!("ferry approve {}", short(hash)),
            Subject::Rollback { run_id } => {
                format!("ferry approve --rollback {}", crate::text::escape_controls(run_id))
            }
        }
    }

    /// Whether it names something an approval can be of: a plan by its full sha256 (64
    /// lower-case hex digits), or a run by an id a journal file can have.
    pub fn check(&self) -> Result<(), String> {
        match self {
            Subject::Plan { hash } if hash.len() == 64 && hash.chars().all(|c| matches!(c, '0'..='9' | 'a'..='f')) => {
                Ok(())
            }
            Subject::Plan { hash } => Err(format!(
                "{:?} is not a plan's full sha256 (64 lower-case hex digits)",
                crate::text::escape_controls(hash)
            )),
            Subject::Rollback { run_id } if is_run_id(run_id) => Ok(()),
            Subject::Rollback { run_id } => {
                Err(format!("{:?} is not a run id (`ferry runs` lists them)", crate::text::escape_controls(run_id)))
            }
        }
    }

    /// The name of its approval file: the kind, then a digest of the subject, so no subject
    /// (a run id with `../` in it) can name a path outside the folder.
    pub(super) fn file_name(&self) -> String {
        let canonical = crate::digest::canonical_json(&serde_json::to_value(self).unwrap_or_default());
        let digest = crate::digest::sha256_hex(canonical.as_bytes());
        let kind = match self {
            Subject::Plan { .. } => "plan",
            Subject::Rollback { .. } => "rollback",
        };
        format!("{kind}-{}.json", &digest[..32])
    }
}

/// `plan 3b7b1cc8a1e2`, `the rollback of run RUN_ID`: control characters escaped, since a
/// subject read from a file may hold anything.
impl fmt::Display for Subject {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Subject::Plan { hash } => write!(f, "plan {}", short(hash)),
            Subject::Rollback { run_id } => {
                write!(f, "the rollback of run {}", crate::text::escape_controls(run_id))
            }
        }
    }
}

/// The plan's id: its hash's first digits, escaped.
fn short(hash: &str) -> String {
    crate::text::escape_controls(hash.char_indices().nth(PLAN_ID_LEN).map_or(hash, |(end, _)| &hash[..end]))
}

/// The run ids a journal file can have, as the runs folder accepts them.
fn is_run_id(run_id: &str) -> bool {
    !run_id.is_empty()
        && !run_id.starts_with('.')
        && run_id.chars().all(|c| c.is_ascii_alphanumeric() || "-_.".contains(c))
}
