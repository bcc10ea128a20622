//! `ferry apply`, `ferry resume`, `ferry rollback` and `ferry runs`: running approved plans
//! without the TUI, with a progress display that suits where the output goes.

use std::io::{IsTerminal, Write};
use std::sync::Arc;

use clap::ValueEnum;
use color_eyre::eyre::{Result, eyre};

use ferry::apply::{NextMove, RollbackOutcome, RunControl, RunLog, RunOutcome, RunState, RunStatus, list_runs, replay};
use ferry::audit::AuditAnchor;
use ferry::operate::Operator;
use ferry::plan::{Override, Plan};
use ferry::text::escape_controls as safe;

use super::backend::Backend;
use super::output::{note, stdout, tell};
use super::progress::Progress;

/// What to do when a step fails.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum OnFailure {
    /// Undo every step the run made, at once.
    Rollback,
    /// Leave what was made, to inspect; `ferry resume` or `ferry rollback` later.
    Stop,
}

/// `ferry apply PLAN --approve PREFIX`: the approved plan, on the account it was made for.
pub async fn apply(
    backend: &Backend,
    anchor: Option<Arc<dyn AuditAnchor>>,
    plan: Plan,
    approve: &str,
    overrides: Vec<Override>,
    on_failure: OnFailure,
) -> Result<()> {
    let approved = plan.approve(approve, overrides)?;
    same_account(backend, &plan).await?;
    let operator = operator(backend, anchor)?;
    let run = operator.start(&approved).await?;
    note!("run {} · plan {} · {} steps", run.run_id(), plan.short_hash(), plan.steps.len());
    drive(&operator, run, on_failure).await
}

/// `ferry resume RUN_ID`: an interrupted, failed or stopped run, from where it stands.
pub async fn resume(
    backend: &Backend,
    anchor: Option<Arc<dyn AuditAnchor>>,
    run: RunLog,
    on_failure: OnFailure,
) -> Result<()> {
    let operator = operator(backend, anchor)?;
    let state = replay(&run.records());
    same_account(backend, &state.plan).await?;
    note!("resuming run {} ({})", run.run_id(), state.status.label());
    drive(&operator, run, on_failure).await
}

/// `ferry rollback RUN_ID`.
pub async fn rollback(backend: &Backend, anchor: Option<Arc<dyn AuditAnchor>>, run: RunLog) -> Result<()> {
    let operator = operator(backend, anchor)?;
    let state = replay(&run.records());
    same_account(backend, &state.plan).await?;
    note!("rolling back run {} ({})", run.run_id(), state.status.label());
    undo(&operator, &run, &state.plan).await
}

/// Opens a recorded run and the account it ran on; AWS options given now win over recorded ones.
pub async fn open_run(
    run_id: &str,
    sandbox: ferry::cloud::sandbox::SandboxOptions,
    aws: &super::backend::AwsArgs,
) -> Result<(Backend, RunLog)> {
    let dir =
        ferry::state_dir::runs_dir().ok_or_else(|| eyre!("no state folder on this system: set FERRY_STATE_DIR"))?;
    let run = RunLog::open(&dir, run_id)?;
    let target = replay(&run.records()).target;
    Ok((Backend::for_target(&target, sandbox, aws).await?, run))
}

fn operator(backend: &Backend, anchor: Option<Arc<dyn AuditAnchor>>) -> Result<Operator> {
    Ok(Operator::in_state_dir(backend.write()?, backend.target()).with_anchor(anchor))
}

/// The plan names its account and region; credentials that reach another are refused.
pub(super) async fn same_account(backend: &Backend, plan: &Plan) -> Result<()> {
    let account = backend.read().account().await?;
    if account.account_id != plan.account_id || account.region != plan.region {
        return Err(eyre!(
            "this plan is for account {} in {}, but the credentials reach account {} in {}: give --profile/--region for that account",
            safe(&plan.account_id),
            safe(&plan.region),
            account.account_id,
            account.region
        ));
    }
    Ok(())
}

/// Applies the run with live progress; Ctrl-C stops it after the current step.
async fn drive(operator: &Operator, run: RunLog, on_failure: OnFailure) -> Result<()> {
    let state = replay(&run.records());
    let plan = state.plan.clone();
    let control = RunControl::new();
    let interrupt = on_interrupt(Some(control.clone()), run.run_id());
    let progress = Progress::new(&plan, std::io::stderr().is_terminal());
    let report = operator.carry_out(&run, &control, &|event| progress.show(&event)).await?;
    interrupt.abort();
    progress.finish();
    report_audit(&report.audit_errors);
    let run_id = run.run_id().to_string();
    match report.outcome {
        RunOutcome::Applied => {
            let endpoint =
                report.journal.entries.iter().rev().find_map(|e| e.output.get("endpoint").map(str::to_string));
            tell!("applied: run {run_id}{}", endpoint.map(|e| format!(" · {}", safe(&e))).unwrap_or_default());
            tell!("undo it all with: ferry rollback {run_id}");
            Ok(())
        }
        RunOutcome::Refused { reasons } => {
            Err(eyre!("nothing was changed:\n  {}\nmake a new plan (ferry plan) and review it", lines(&reasons)))
        }
        RunOutcome::ResumeRefused { reasons } => Err(eyre!(
            "run {run_id} was not continued:\n  {}\nit still holds {} changes: fix the cause and `ferry resume {run_id}`, or `ferry rollback {run_id}`",
            lines(&reasons),
            state.journal.entries.len()
        )),
        RunOutcome::Failed { step, reason } if on_failure == OnFailure::Rollback => {
            note!("step {} failed: {}; rolling back (--on-failure rollback)", step + 1, safe(&reason));
            undo(operator, &run, &plan).await?;
            Err(eyre!("run {run_id} failed at step {} and was rolled back", step + 1))
        }
        RunOutcome::Failed { step, reason }
            if matches!(
                plan.steps.get(step).map(|s| &s.action),
                Some(ferry::plan::Action::WaitServiceActive { .. })
            ) =>
        {
            Err(eyre!(
                "run {run_id}: the service's deployment did not turn healthy: {}\n\
                 resuming would wait on the same deployment: undo it with `ferry rollback {run_id}`, fix the cause, make a new plan",
                safe(&reason)
            ))
        }
        RunOutcome::Failed { step, reason } => Err(eyre!(
            "run {run_id} failed at step {}: {}\nfix the cause and `ferry resume {run_id}`, or undo it: `ferry rollback {run_id}`",
            step + 1,
            safe(&reason)
        )),
        RunOutcome::Cancelled { step } => Err(eyre!(
            "run {run_id} stopped before step {}: `ferry resume {run_id}` continues, `ferry rollback {run_id}` undoes",
            step + 1
        )),
    }
}

async fn undo(operator: &Operator, run: &RunLog, plan: &Plan) -> Result<()> {
    let progress = Progress::new(plan, std::io::stderr().is_terminal());
    let interrupt = on_interrupt(None, run.run_id());
    let (outcome, audit_errors) = operator.rollback(run, &|event| progress.show(&event)).await?;
    interrupt.abort();
    progress.finish();
    report_audit(&audit_errors);
    match outcome {
        RollbackOutcome::RolledBack => {
            tell!("rolled back: nothing run {} made remains", run.run_id());
            Ok(())
        }
        RollbackOutcome::Incomplete { failures } => Err(eyre!(
            "rollback incomplete, still in the account:\n  {}\nrun `ferry rollback {}` again once the cause is fixed",
            lines(&failures),
            run.run_id()
        )),
    }
}

/// Ctrl-C while a run works: the first stops an apply after the current step (a rollback
/// keeps going); the second ends ferry at once, which is safe: the journal is on disk, and
/// `ferry resume` or `ferry rollback` picks up from it.
fn on_interrupt(control: Option<RunControl>, run_id: &str) -> tokio::task::JoinHandle<()> {
    let run_id = run_id.to_string();
    tokio::spawn(async move {
        if tokio::signal::ctrl_c().await.is_err() {
            return;
        }
        match &control {
            Some(control) => {
                control.stop();
                note!(
                    "\nstopping after the current step; Ctrl-C again ends ferry now (`ferry resume {run_id}` picks up)"
                );
            }
            None => {
                note!("\nthe rollback keeps going; Ctrl-C again ends ferry now (`ferry rollback {run_id}` picks up)")
            }
        }
        if tokio::signal::ctrl_c().await.is_ok() {
            note!("ended: run {run_id} is journaled; see `ferry runs`");
            std::process::exit(130);
        }
    })
}

/// Reasons a line each, indented; each escaped on its own so the line breaks stay real.
fn lines(reasons: &[String]) -> String {
    reasons.iter().map(|reason| safe(reason)).collect::<Vec<_>>().join("\n  ")
}

/// What could not be recorded (locally or in the anchor): each message says which and why.
fn report_audit(errors: &[String]) {
    for error in errors {
        note!("warning: {}", safe(error));
    }
}

/// `ferry runs`: every run, newest first, with what it left and what to do next.
pub fn list(json: bool) -> Result<()> {
    let dir =
        ferry::state_dir::runs_dir().ok_or_else(|| eyre!("no state folder on this system: set FERRY_STATE_DIR"))?;
    let runs = list_runs(&dir);
    let mut out = stdout();
    if json {
        let values: Vec<serde_json::Value> = runs
            .iter()
            .map(|run| match run {
                Ok(state) => serde_json::json!({
                    "run_id": state.run_id,
                    "started": state.started,
                    "operator": state.operator,
                    "service": state.plan.service_name,
                    "plan_hash": state.plan.hash,
                    "status": state.status,
                    "steps_done": state.journal.entries.len(),
                    "steps": state.plan.steps.len(),
                    "in_doubt": state.in_doubt.as_ref().map(|d| d.step + 1),
                    "next": state.status.next_moves(),
                }),
                Err(error) => serde_json::json!({ "error": error.to_string() }),
            })
            .collect();
        serde_json::to_writer_pretty(&mut out, &values)?;
        writeln!(out)?;
        out.flush()?;
        return Ok(());
    }
    if runs.is_empty() {
        writeln!(out, "no runs in {}", dir.display())?;
        out.flush()?;
        return Ok(());
    }
    let width = runs.iter().filter_map(|r| r.as_ref().ok()).map(|s| s.run_id.len()).max().unwrap_or(3);
    writeln!(out, "{:<width$}  {:<19}  {:<12}  {:<30}  NEXT", "RUN", "STARTED", "SERVICE", "STATUS")?;
    for run in &runs {
        match run {
            Ok(state) => writeln!(out, "{}", row(state, width))?,
            Err(error) => writeln!(out, "unreadable journal: {}", safe(&error.to_string()))?,
        }
    }
    out.flush()?;
    Ok(())
}

fn row(state: &RunState, width: usize) -> String {
    let done = format!("{}/{}", state.journal.entries.len(), state.plan.steps.len());
    let status = match &state.in_doubt {
        Some(step) if state.status == RunStatus::Interrupted => format!("interrupted, step {} in doubt", step.step + 1),
        _ => format!("{} ({done})", state.status.label()),
    };
    let next = next_commands(state.status.next_moves());
    let started = state.started.get(..19).unwrap_or(&state.started).replace('T', " ");
    let service = safe(&state.plan.service_name);
    format!("{:<width$}  {started:<19}  {service:<12}  {status:<30}  {next}", state.run_id)
}

/// The commands that do what the engine says can be done next with a run.
fn next_commands(moves: &[NextMove]) -> String {
    if moves.contains(&NextMove::Wait) {
        return "wait for it".into();
    }
    let commands: Vec<&str> = moves
        .iter()
        .filter_map(|m| match m {
            NextMove::Resume => Some("resume"),
            NextMove::RollBack => Some("rollback"),
            NextMove::StopThenRollBack | NextMove::Wait => None,
        })
        .collect();
    if commands.is_empty() { "-".into() } else { format!("ferry {} RUN", commands.join(" | ")) }
}
