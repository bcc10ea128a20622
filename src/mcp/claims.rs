//! One question at a time per subject. A change tool claims what it needs approved (a plan's
//! hash, a run's rollback) before it asks the person, and holds the claim until the run has
//! started: two calls at once for the same plan would otherwise both show the person a form,
//! or both take an approval and start a run each. A call that finds the subject claimed, or
//! its run still being carried out by this server, is answered at once with where to look.

use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex, MutexGuard};

use super::approvals_link::Subject;
use super::live::LiveRuns;
use super::tools::ToolError;

/// The subjects calls are working on, and the run each one last started.
#[derive(Default)]
pub struct Claims {
    state: Mutex<Held>,
}

#[derive(Default)]
struct Held {
    /// Subjects a call is asking about, recording, taking or starting a run for.
    busy: HashSet<Subject>,
    /// The run started last for each subject, by this server.
    started: HashMap<Subject, String>,
}

/// A subject held by one call; released when dropped, whatever the call's outcome.
pub struct Claim {
    claims: Arc<Claims>,
    subject: Subject,
}

impl Claims {
    fn held(&self) -> MutexGuard<'_, Held> {
        // A panic elsewhere while holding the lock leaves sets that are still consistent.
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Claims `subject` for one call, unless another call holds it or a run this server
    /// started for it (or, for a rollback, the run itself) is still being carried out.
    pub fn claim(claims: &Arc<Claims>, subject: &Subject, live: &LiveRuns) -> Result<Claim, ToolError> {
        let mut held = claims.held();
        if held.busy.contains(subject) {
            return Err(ToolError::refused(
                format!(
                    "an approval of {subject} is already being asked for by another call: this call changed nothing"
                ),
                "wait for the answer to that call, then call run_status or list_runs for the run it started",
            ));
        }
        let run = match subject {
            Subject::Rollback { run_id } => Some(run_id.clone()),
            Subject::Plan { .. } => held.started.get(subject).cloned(),
        };
        if let Some(run_id) = run.filter(|run_id| working(live, run_id)) {
            return Err(ToolError::refused(
                format!(
                    "the run already started for {subject} and is still going: see run_status {run_id}; this call changed nothing"
                ),
                format!("call run_status with run_id {run_id} and wait_seconds 60 until finished is true"),
            ));
        }
        held.busy.insert(subject.clone());
        Ok(Claim { claims: claims.clone(), subject: subject.clone() })
    }
}

/// Whether this server is still carrying out (or rolling back) `run_id`.
fn working(live: &LiveRuns, run_id: &str) -> bool {
    live.watch(run_id).is_some_and(|state| state.borrow().working)
}

impl Claim {
    /// The run the call started for the subject: later calls are pointed at it while it goes.
    pub fn started(&self, run_id: &str) {
        self.claims.held().started.insert(self.subject.clone(), run_id.to_string());
    }
}

impl Drop for Claim {
    fn drop(&mut self) {
        self.claims.held().busy.remove(&self.subject);
    }
}
