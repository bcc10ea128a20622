//! The runs this server carries out, followed as they go: where each stands, its latest
//! progress lines, and a channel `run_status` waits on (sending the lines as progress
//! notifications while its request is open: a notification may only name the token of a
//! request still waiting for its answer, so a run started by an answered `apply_plan` reports
//! through `run_status`).

use std::collections::{HashMap, VecDeque};
use std::sync::{Arc, Mutex};

use rmcp::RoleServer;
use rmcp::model::{ProgressNotificationParam, ProgressToken};
use rmcp::service::Peer;
use tokio::sync::watch;

use crate::apply::{ApplyEvent, RunStatus};
use crate::plan::Plan;
use crate::text::escape_controls;

/// Progress lines kept per run.
const KEPT_LINES: usize = 50;

/// A run as this server sees it while it works on it.
#[derive(Debug, Clone)]
pub struct LiveState {
    /// Where the run stands.
    pub status: RunStatus,
    /// Steps in its plan.
    pub steps: usize,
    /// Changes the run holds (steps done, less those undone).
    pub done: usize,
    /// The latest progress lines, oldest first.
    pub lines: VecDeque<String>,
    /// Whether this server is still working on it.
    pub working: bool,
    /// Lines pushed so far, kept or not: what a waiter has not seen yet.
    pub pushed: usize,
}

impl LiveState {
    /// The lines pushed after the first `seen`, as many as are still kept.
    pub fn lines_after(&self, seen: usize) -> Vec<String> {
        let new = self.pushed.saturating_sub(seen).min(self.lines.len());
        self.lines.iter().skip(self.lines.len() - new).cloned().collect()
    }
}

/// Every run this server has started, by id.
#[derive(Default)]
pub struct LiveRuns {
    runs: Mutex<HashMap<String, Arc<watch::Sender<LiveState>>>>,
}

impl LiveRuns {
    /// Starts following `run_id`, which now stands at `status` holding `done` changes.
    pub fn begin(&self, run_id: &str, plan: &Plan, status: RunStatus, done: usize) -> Arc<watch::Sender<LiveState>> {
        let state =
            LiveState { status, steps: plan.steps.len(), done, lines: VecDeque::new(), working: true, pushed: 0 };
        let sender = Arc::new(watch::Sender::new(state));
        self.runs.lock().unwrap_or_else(|e| e.into_inner()).insert(run_id.to_string(), sender.clone());
        sender
    }

    /// A receiver of `run_id`'s state, when this server has worked on it.
    pub fn watch(&self, run_id: &str) -> Option<watch::Receiver<LiveState>> {
        self.runs.lock().unwrap_or_else(|e| e.into_inner()).get(run_id).map(|s| s.subscribe())
    }
}

/// Moves a run's live state with each event.
pub struct Tracker {
    sender: Arc<watch::Sender<LiveState>>,
    labels: Vec<String>,
}

impl Tracker {
    /// Follows the run of `plan` through `sender`.
    pub fn new(sender: Arc<watch::Sender<LiveState>>, plan: &Plan) -> Tracker {
        let labels = plan.steps.iter().map(|s| format!("{} {}", s.action.verb(), s.action.target())).collect();
        Tracker { sender, labels }
    }

    /// One event of the run.
    pub fn observe(&self, event: &ApplyEvent) {
        let line = self.describe(event);
        self.sender.send_modify(|state| {
            if let Some(status) = RunStatus::after(event, state.steps) {
                state.status = status;
            }
            match event {
                ApplyEvent::StepDone { .. } => state.done += 1,
                ApplyEvent::UndoDone { .. } => state.done = state.done.saturating_sub(1),
                ApplyEvent::RunFinished { journal, .. } => state.done = journal.entries.len(),
                _ => {}
            }
            push(state, line);
        });
    }

    /// The work ended: the run stands at `status`; `notes` are what the end reported (audit
    /// records that could not be written).
    pub fn finish(&self, status: RunStatus, notes: &[String]) {
        self.sender.send_modify(|state| {
            state.status = status;
            state.working = false;
            for note in notes {
                push(state, format!("warning: {}", escape_controls(note)));
            }
        });
    }

    fn step(&self, step: usize) -> String {
        format!("step {} ({})", step + 1, self.labels.get(step).map_or("", String::as_str))
    }

    /// The event in a line, escaped: messages quote the account.
    fn describe(&self, event: &ApplyEvent) -> String {
        let line = match event {
            ApplyEvent::RunStarted { run_id, steps, .. } => format!("run {run_id} started: {steps} steps"),
            ApplyEvent::StepStarted { step } => format!("{}: started", self.step(*step)),
            ApplyEvent::StepProgress { step, message } => format!("{}: {message}", self.step(*step)),
            ApplyEvent::StepDone { step, summary, elapsed_ms } => {
                format!("{}: done in {elapsed_ms} ms: {summary}", self.step(*step))
            }
            ApplyEvent::StepFailed { step, error, .. } => format!("{}: FAILED: {error}", self.step(*step)),
            ApplyEvent::StepAlreadyDone { step, summary } => format!("{}: already done: {summary}", self.step(*step)),
            ApplyEvent::StepReconciled { step, note, .. } => format!("{}: looked up: {note}", self.step(*step)),
            ApplyEvent::StepCompensated { step, action, error, .. } => match error {
                None => format!("{}: put back: {} {}", self.step(*step), action.verb(), action.target()),
                Some(error) => {
                    format!("{}: putting back FAILED: {} {}: {error}", self.step(*step), action.verb(), action.target())
                }
            },
            ApplyEvent::RunFinished { outcome, .. } => {
                format!("run finished: {}", RunStatus::after_apply(outcome, 0).label())
            }
            ApplyEvent::RollbackStarted { steps } => format!("rollback started: {steps} undos"),
            ApplyEvent::UndoStarted { step } => format!("undo {}: started", self.step(*step)),
            ApplyEvent::UndoDone { step, .. } => format!("undo {}: done", self.step(*step)),
            ApplyEvent::UndoFailed { step, error } => format!("undo {}: FAILED: {error}", self.step(*step)),
            ApplyEvent::RollbackFinished { outcome } => {
                format!("rollback finished: {}", RunStatus::after_rollback(outcome).label())
            }
        };
        escape_controls(&line)
    }
}

fn push(state: &mut LiveState, line: String) {
    if state.lines.len() == KEPT_LINES {
        state.lines.pop_front();
    }
    state.lines.push_back(line);
    state.pushed += 1;
}

/// Sends `lines` to the client as progress notifications of the request `token` names,
/// numbered on from `count`; the new count.
pub async fn notify(peer: &Peer<RoleServer>, token: &ProgressToken, lines: Vec<String>, mut count: usize) -> usize {
    for line in lines {
        count += 1;
        let mut param = ProgressNotificationParam::new(token.clone(), count as f64);
        param.message = Some(line);
        // A client that went away has nobody to tell; the answer to the request says the rest.
        if peer.notify_progress(param).await.is_err() {
            break;
        }
    }
    count
}
