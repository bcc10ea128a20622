//! What the wizard did, said as `tracing` events as `update` sees it happen: discoveries,
//! plans, approvals, apply and rollback steps, errors. The session log keeps them.

use tracing::{error, info, warn};

use super::msg::{Command, Msg};
use super::run_view::Lane;
use crate::apply::{ApplyEvent, RollbackOutcome, RunOutcome};

const TARGET: &str = "ferry::session";

/// A message the app is about to handle, when it is news.
pub fn message(msg: &Msg) {
    match msg {
        Msg::AccountLoaded(Ok(account)) => {
            info!(target: TARGET, "account {} in {} as {}", account.account_id, account.region, account.caller_arn)
        }
        Msg::AccountLoaded(Err(why)) => error!(target: TARGET, "the account could not be read: {why}"),
        Msg::InstancesLoaded(Ok(list)) => info!(target: TARGET, "listed {} instances", list.len()),
        Msg::InstancesLoaded(Err(why)) => error!(target: TARGET, "the instances could not be listed: {why}"),
        Msg::MigrationReady { instance_id, result: Ok(migration) } => info!(
            target: TARGET,
            "discovered {instance_id}: plan {} with {} steps",
            migration.plan.short_hash(),
            migration.plan.steps.len()
        ),
        Msg::MigrationReady { instance_id, result: Err(why) } => {
            error!(target: TARGET, "discovery of {instance_id} failed: {why}")
        }
        Msg::AppFolderRead { result: Err(why), .. } => warn!(target: TARGET, "the source folder was not read: {why}"),
        Msg::AppFolderRead { result: Ok((folder, _)), .. } => {
            info!(target: TARGET, "read the source folder {}", folder.path.display())
        }
        Msg::Apply(lane, event) => apply_event(*lane, event),
        Msg::TrafficPlanned { lane, result: Ok(plan), .. } => {
            info!(target: TARGET, "planned the {}: plan {} with {} steps", lane_name(*lane), plan.short_hash(), plan.steps.len())
        }
        Msg::TrafficPlanned { lane, result: Err(why), .. } => {
            warn!(target: TARGET, "the {} could not be planned: {why}", lane_name(*lane))
        }
        Msg::Verified(report) => {
            info!(target: TARGET, "verified the service {} of run {}", report.service_name, report.run_id)
        }
        Msg::EngineFailed { what, error } => error!(target: TARGET, "internal error in {what}: {error}"),
        _ => {}
    }
}

/// A command `update` asked for, when it is news.
pub fn command(command: &Command) {
    match command {
        Command::Prepare { instance_id, .. } => info!(target: TARGET, "discovering {instance_id}"),
        Command::Apply { approved, lane, .. } => info!(
            target: TARGET,
            "approved the {} plan {}: applying {} steps",
            lane_name(*lane),
            approved.plan().short_hash(),
            approved.plan().steps.len()
        ),
        Command::Resume { run_id, .. } => info!(target: TARGET, "continuing run {run_id}"),
        Command::Rollback { run_id, .. } => info!(target: TARGET, "rolling back run {run_id}"),
        Command::PlanCutover { run_id, .. } => info!(target: TARGET, "planning the cutover of run {run_id}"),
        Command::PlanFinalize { run_id } => info!(target: TARGET, "planning the finalize of run {run_id}"),
        Command::ConfirmRemoved { item, .. } => info!(target: TARGET, "journaling that {item} was removed"),
        Command::Verify { .. } => info!(target: TARGET, "probing the old entry and the new endpoint"),
        _ => {}
    }
}

fn lane_name(lane: Lane) -> &'static str {
    match lane {
        Lane::Migration => "migration",
        Lane::Cutover => "cutover",
        Lane::Finalize => "finalize",
    }
}

fn apply_event(lane: Lane, event: &ApplyEvent) {
    let lane = lane_name(lane);
    match event {
        ApplyEvent::RunStarted { run_id, steps, .. } => {
            info!(target: TARGET, "{lane} run {run_id} started: {steps} steps")
        }
        ApplyEvent::StepDone { step, elapsed_ms, summary } => {
            info!(target: TARGET, "{lane} step {} done in {elapsed_ms} ms: {summary}", step + 1)
        }
        ApplyEvent::StepAlreadyDone { step, summary } => {
            info!(target: TARGET, "{lane} step {} was already done: {summary}", step + 1)
        }
        ApplyEvent::StepFailed { step, error, .. } => {
            error!(target: TARGET, "{lane} step {} failed: {error}", step + 1)
        }
        ApplyEvent::StepReconciled { step, note, .. } => {
            info!(target: TARGET, "{lane} step {} looked up: {note}", step + 1)
        }
        ApplyEvent::RunFinished { outcome, .. } => match outcome {
            RunOutcome::Applied => info!(target: TARGET, "{lane} run applied"),
            RunOutcome::Failed { step, reason } => {
                error!(target: TARGET, "{lane} run failed at step {}: {reason}", step + 1)
            }
            other => warn!(target: TARGET, "{lane} run ended: {other:?}"),
        },
        ApplyEvent::RollbackStarted { steps } => {
            info!(target: TARGET, "{lane} rollback started: {steps} steps to undo")
        }
        ApplyEvent::UndoDone { step, .. } => info!(target: TARGET, "{lane} step {} undone", step + 1),
        ApplyEvent::UndoFailed { step, error } => {
            error!(target: TARGET, "{lane} undo of step {} failed: {error}", step + 1)
        }
        ApplyEvent::RollbackFinished { outcome: RollbackOutcome::RolledBack } => {
            info!(target: TARGET, "{lane} run rolled back")
        }
        ApplyEvent::RollbackFinished { outcome: RollbackOutcome::Incomplete { failures } } => {
            error!(target: TARGET, "{lane} rollback incomplete: {}", failures.join("; "))
        }
        _ => {}
    }
}
