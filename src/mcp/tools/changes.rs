//! The change tools: apply a plan, resume a run, roll a run back. Each passes the human gate
//! first, then hands the work to the engine's `Operator` (journal, audit log, anchor) in a task
//! of the server, and answers with the run id at once; `run_status` follows the run.

use std::path::PathBuf;

use super::plans::load;
use super::{ToolError, ToolResult, answer, parse};
use crate::apply::{RunControl, RunLog, RunState, RunStatus, load_run};
use crate::mcp::access::Full;
use crate::mcp::approvals_link::{Approval, Subject};
use crate::mcp::claims::Claims;
use crate::mcp::gate;
use crate::mcp::live::{Tracker, notify};
use crate::mcp::schemas::{ApplyInput, RunIdInput, StartedOutput};
use crate::mcp::server::{Call, FerryServer};
use crate::plan::Plan;

/// Runs a change tool; `None` when `call` names none.
pub async fn call(server: &FerryServer<Full>, call: &Call) -> Option<ToolResult> {
    Some(match call.name.as_str() {
        "apply_plan" => apply(server, call).await,
        "resume_run" => resume(server, call).await,
        "rollback_run" => rollback(server, call).await,
        _ => return None,
    })
}

async fn apply(server: &FerryServer<Full>, call: &Call) -> ToolResult {
    let input: ApplyInput = parse(call)?;
    let plan = load(&input.plan_id)?;
    same_account(server, &plan).await?;
    // Held from the question to the start: a second call for this plan meanwhile is answered
    // at once rather than asking the person again or starting a second run.
    let subject = Subject::plan(&plan.hash);
    let claim = Claims::claim(&server.claims, &subject, &server.live)?;
    let (approval, approved) = gate::plan(server, call, &plan, "Apply").await?;
    let operator = &server.access.operator;
    let run = operator.start(&approved).await.map_err(|e| gate::used_up(server, &subject, &approval, e))?;
    let run_id = run.run_id().to_string();
    spawn_apply(server, run, &plan, 0);
    claim.started(&run_id);
    started(call, &run_id, "APPLYING", &approval).await
}

async fn resume(server: &FerryServer<Full>, call: &Call) -> ToolResult {
    let input: RunIdInput = parse(call)?;
    let state = run_state(server, &input.run_id)?;
    if !state.status.can_resume() {
        return Err(cannot(&state, "resumed"));
    }
    same_account(server, &state.plan).await?;
    // A run started elsewhere (`ferry apply`) has its plan stored too, so that the person can
    // find it with `ferry approve PLAN_ID`.
    if let Some(store) = crate::mcp::access::plan_store() {
        let _ = store.save(&state.plan);
    }
    let subject = Subject::plan(&state.plan.hash);
    let claim = Claims::claim(&server.claims, &subject, &server.live)?;
    let (approval, _) = gate::plan(server, call, &state.plan, "Resume").await?;
    let run = open(server, &state.run_id).map_err(|e| gate::used_up(server, &subject, &approval, e))?;
    spawn_apply(server, run, &state.plan, state.journal.entries.len());
    claim.started(&state.run_id);
    started(call, &state.run_id, "APPLYING", &approval).await
}

async fn rollback(server: &FerryServer<Full>, call: &Call) -> ToolResult {
    let input: RunIdInput = parse(call)?;
    let state = run_state(server, &input.run_id)?;
    if !state.status.can_roll_back() {
        return Err(cannot(&state, "rolled back"));
    }
    same_account(server, &state.plan).await?;
    let done = state.journal.entries.len();
    let subject = Subject::rollback(&state.run_id);
    let _claim = Claims::claim(&server.claims, &subject, &server.live)?;
    let approval = gate::rollback(server, call, &state.run_id, &state.plan, done).await?;
    let run = open(server, &state.run_id).map_err(|e| gate::used_up(server, &subject, &approval, e))?;
    let sender = server.live.begin(&state.run_id, &state.plan, RunStatus::RollingBack, done);
    let tracker = Tracker::new(sender, &state.plan);
    let operator = server.access.operator.clone();
    tokio::spawn(async move {
        match operator.rollback(&run, &|event| tracker.observe(&event)).await {
            Ok((outcome, notes)) => tracker.finish(RunStatus::after_rollback(&outcome), &notes),
            Err(error) => {
                tracker.finish(RunStatus::RollbackInterrupted, &[format!("the rollback did not start: {error}")])
            }
        }
    });
    started(call, &state.run_id, "ROLLING-BACK", &approval).await
}

/// Carries the run out in a task of the server, followed by `run_status`.
fn spawn_apply(server: &FerryServer<Full>, run: RunLog, plan: &Plan, done: usize) {
    let sender = server.live.begin(run.run_id(), plan, RunStatus::Applying, done);
    let tracker = Tracker::new(sender, plan);
    let operator = server.access.operator.clone();
    tokio::spawn(async move {
        let control = RunControl::new();
        match operator.carry_out(&run, &control, &|event| tracker.observe(&event)).await {
            Ok(report) => tracker.finish(report.status(), &report.audit_errors),
            Err(error) => tracker.finish(RunStatus::Interrupted, &[format!("the run did not go on: {error}")]),
        }
    });
}

/// The answer to a change tool; the approval and the start as progress first, when the
/// request carries a progress token (the run's own progress comes through `run_status`).
async fn started(call: &Call, run_id: &str, status: &str, approval: &Approval) -> ToolResult {
    if let Some(token) = call.ctx.meta.get_progress_token() {
        let lines =
            vec![format!("approved by {} ({})", approval.operator, approval.via), format!("run {run_id}: {status}")];
        notify(&call.ctx.peer, &token, lines, 0).await;
    }
    answer(&StartedOutput {
        run_id: run_id.to_string(),
        status: status.to_string(),
        approved_by: format!("{} ({})", approval.operator, approval.via),
        next: format!("call run_status with run_id {run_id} and wait_seconds 60 until finished is true"),
    })
}

/// The run as its journal tells it, when it is one of this server's account.
fn run_state(server: &FerryServer<Full>, run_id: &str) -> Result<RunState, ToolError> {
    let path = journal_path(server, run_id)?;
    let state = load_run(&path).map_err(|e| {
        ToolError::new(format!("run {run_id} could not be read: {e}"), "call list_runs for the runs there are")
    })?;
    if state.target != server.access.operator.target {
        return Err(ToolError::new(
            format!("run {run_id} was made on another account or sandbox than this server's"),
            "start ferry mcp with the options of that account (--sandbox, --profile, --region), or use ferry resume/rollback",
        ));
    }
    Ok(state)
}

/// `runs/RUN_ID.jsonl`, for an id a journal can have.
pub fn journal_path<A: crate::mcp::Access>(server: &FerryServer<A>, run_id: &str) -> Result<PathBuf, ToolError> {
    let well_formed = !run_id.is_empty()
        && !run_id.starts_with('.')
        && run_id.chars().all(|c| c.is_ascii_alphanumeric() || "-_.".contains(c));
    if !well_formed {
        return Err(ToolError::new(format!("{run_id:?} is not a run id"), "call list_runs for the runs there are"));
    }
    let dir = server.setup.runs_dir.as_ref().ok_or_else(|| {
        ToolError::new("this system has no state folder for runs", "set FERRY_STATE_DIR where ferry mcp runs")
    })?;
    Ok(dir.join(format!("{run_id}.jsonl")))
}

/// Opens the run's journal, taking its lock; the error names the run and the likely cause.
fn open(server: &FerryServer<Full>, run_id: &str) -> Result<RunLog, String> {
    server
        .access
        .operator
        .open(run_id)
        .map_err(|e| format!("run {run_id} could not be opened ({e}); another process may be working on it"))
}

fn cannot(state: &RunState, what: &str) -> ToolError {
    let next: Vec<String> = state.status.next_moves().iter().map(|m| format!("{m:?}")).collect();
    ToolError::new(
        format!("run {} is {}: it cannot be {what}", state.run_id, state.status.label()),
        if next.is_empty() {
            "nothing is left to do with it".to_string()
        } else {
            format!("what it allows: {}", next.join(", "))
        },
    )
}

/// A plan names its account and region; credentials that reach another are refused.
async fn same_account(server: &FerryServer<Full>, plan: &Plan) -> Result<(), ToolError> {
    let account =
        server.setup.read.account().await.map_err(|e| {
            ToolError::new(format!("the account could not be identified: {e}"), "check the credentials")
        })?;
    if account.account_id != plan.account_id || account.region != plan.region {
        return Err(ToolError::new(
            format!(
                "the plan is for account {} in {}, but this server reaches account {} in {}",
                plan.account_id, plan.region, account.account_id, account.region
            ),
            "make a plan on this account with create_plan, or start ferry mcp with --profile/--region for the plan's",
        ));
    }
    Ok(())
}
