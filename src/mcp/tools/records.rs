//! The tools that read what ferry keeps: runs (`list_runs`, `run_status`) and the audit log.

use std::time::Duration;

use serde_json::Value;

use super::changes::journal_path;
use super::look::to_value;
use super::{ToolError, ToolResult, answer};
use crate::apply::{NextMove, RunStatus, list_runs as runs_in, load_run};
use crate::mcp::Access;
use tokio::sync::watch;

use crate::mcp::live::{LiveState, notify};
use crate::mcp::schemas::*;
use crate::mcp::server::{Call, FerryServer};

/// The longest `run_status` waits.
const MAX_WAIT: u64 = 60;

/// `list_runs`.
pub fn list_runs<A: Access>(server: &FerryServer<A>) -> ToolResult {
    let Some(dir) = &server.setup.runs_dir else {
        return Err(ToolError::new("this system has no state folder for runs", "set FERRY_STATE_DIR"));
    };
    let (mut runs, mut unreadable) = (Vec::new(), Vec::new());
    for run in runs_in(dir) {
        match run {
            Ok(state) => runs.push(RunRow {
                status: state.status.label(),
                next: moves(state.status.next_moves()),
                steps_done: state.journal.entries.len(),
                steps: state.plan.steps.len(),
                service: state.plan.service_name.clone(),
                plan_hash: state.plan.hash.clone(),
                run_id: state.run_id,
                started: state.started,
                operator: state.operator,
            }),
            Err(error) => unreadable.push(error.to_string()),
        }
    }
    answer(&RunsOutput { runs, unreadable })
}

/// `run_status`: from this server's live view while it works on the run, else the journal.
pub async fn run_status<A: Access>(server: &FerryServer<A>, call: &Call, input: RunStatusInput) -> ToolResult {
    let wait = Duration::from_secs(input.wait_seconds.unwrap_or(0).min(MAX_WAIT));
    let path = journal_path(server, &input.run_id)?;
    if let Some(mut live) = server.live.watch(&input.run_id) {
        let before = live.borrow_and_update().clone();
        if before.working && !wait.is_zero() {
            wait_for_move(call, &mut live, &before, wait).await;
        }
        let now = live.borrow().clone();
        if now.working || !path.is_file() {
            return answer(&from_live(&input.run_id, &now));
        }
        let state = read(&path, &input.run_id)?;
        return answer(&from_journal(&state, now.lines.iter().cloned().collect()));
    }
    let state = read(&path, &input.run_id)?;
    answer(&from_journal(&state, Vec::new()))
}

/// Waits until the run's status moves or the work ends (not at every line), at most `wait`,
/// sending each new line as progress when the request carries a token.
async fn wait_for_move(call: &Call, live: &mut watch::Receiver<LiveState>, before: &LiveState, wait: Duration) {
    let deadline = tokio::time::Instant::now() + wait;
    let token = call.ctx.meta.get_progress_token();
    let (mut seen, mut count) = (before.pushed, 0);
    while let Ok(Ok(())) = tokio::time::timeout_at(deadline, live.changed()).await {
        let now = live.borrow_and_update().clone();
        if let Some(token) = &token {
            count = notify(&call.ctx.peer, token, now.lines_after(seen), count).await;
        }
        seen = now.pushed;
        if !now.working || now.status != before.status {
            return;
        }
    }
}

fn read(path: &std::path::Path, run_id: &str) -> Result<crate::apply::RunState, ToolError> {
    load_run(path).map_err(|e| {
        ToolError::new(format!("run {run_id} could not be read: {e}"), "call list_runs for the runs there are")
    })
}

fn from_live(run_id: &str, state: &LiveState) -> RunStatusOutput {
    RunStatusOutput {
        run_id: run_id.to_string(),
        status: status_word(&state.status),
        label: state.status.label(),
        finished: !state.working,
        steps_done: state.done,
        steps: state.steps,
        progress: state.lines.iter().cloned().collect(),
        next: if state.working { vec!["wait".into()] } else { moves(state.status.next_moves()) },
    }
}

fn from_journal(state: &crate::apply::RunState, progress: Vec<String>) -> RunStatusOutput {
    RunStatusOutput {
        run_id: state.run_id.clone(),
        status: status_word(&state.status),
        label: state.status.label(),
        finished: !state.status.is_busy(),
        steps_done: state.journal.entries.len(),
        steps: state.plan.steps.len(),
        progress,
        next: moves(state.status.next_moves()),
    }
}

/// `APPLIED`, `ROLLED-BACK`...: the status's tag in capitals.
fn status_word(status: &RunStatus) -> String {
    to_value(status).get("status").and_then(Value::as_str).unwrap_or("unknown").to_uppercase()
}

/// `resume`, `roll-back`, `wait`...
fn moves(moves: &[NextMove]) -> Vec<String> {
    moves.iter().map(|m| to_value(m).as_str().unwrap_or_default().to_string()).collect()
}

/// `audit_log`: the latest records and whether the log verifies.
pub fn audit_log<A: Access>(server: &FerryServer<A>, input: AuditInput) -> ToolResult {
    let (Some(path), Some(runs)) = (&server.setup.audit_log, &server.setup.runs_dir) else {
        return Err(ToolError::new("this system has no state folder", "set FERRY_STATE_DIR"));
    };
    let check = crate::operate::check_log(path, runs).map_err(|e| {
        ToolError::new(format!("the audit log could not be read: {e}"), "run `ferry audit verify` in a terminal")
    })?;
    let last = input.last.unwrap_or(20).clamp(1, 200);
    let lines = check.chain.as_ref().map(|c| c.lines.as_slice()).unwrap_or_default();
    let records: Vec<Value> = lines.iter().flatten().map(to_value).collect();
    let skip = records.len().saturating_sub(last);
    answer(&AuditOutput {
        total: lines.len() as u64,
        verified: check.problems.is_empty(),
        problems: check.problems.clone(),
        records: records.into_iter().skip(skip).collect(),
    })
}
