//! The wizard's run keys, carried out for `update`: approving a plan (the migration's or a
//! traffic plan) and starting its run, continuing a run, rolling one back, and the question
//! after a failure. Each acts on the run of one lane.

use ratatui::crossterm::event::KeyEvent;

use super::actions::Action;
use super::app::{App, Overlay};
use super::approval;
use super::msg::Command;
use super::run_view::{Lane, RunView};
use super::steps::Step;
use super::traffic::{self, run_mut, run_of};
use super::update::{key_of, request_quit};
use crate::apply::{NextMove, RunControl, RunStatus};

/// The run a step's run keys (roll back, continue) act on: the traffic's on the Cutover step,
/// the migration's everywhere else.
pub(super) fn step_lane(app: &App) -> Lane {
    match app.step {
        Step::Cutover => app.traffic.current_lane().unwrap_or(Lane::Cutover),
        _ => Lane::Migration,
    }
}

/// `r`: asks before rolling back the step's run, when anything of it is left to undo. The
/// migration's run waits for the traffic to be back on the old stack.
pub(super) fn ask_roll_back(app: &mut App) {
    let lane = step_lane(app);
    if lane == Lane::Migration && app.traffic.holds_traffic() {
        app.status = Some(format!(
            "traffic is moving to (or on) the new service: roll the cutover back first ({} on Cutover)",
            key_of(app, Action::RollBack)
        ));
        return;
    }
    match run_of(app, lane).filter(|r| r.holds_resources()).map(|r| &r.phase) {
        Some(phase) if phase.can_roll_back() || phase.next_moves().contains(&NextMove::StopThenRollBack) => {
            app.lane = lane;
            app.overlay = Some(Overlay::ConfirmRollback);
        }
        _ => app.status = Some("nothing of this run is left to roll back".into()),
    }
}

/// Why the armed fault cannot strike during `plan`'s run, when it cannot: a step number past
/// its last step would let the class watch a run that was meant to fail succeed.
fn fault_beyond(app: &App, plan: &crate::plan::Plan) -> Option<String> {
    use crate::cloud::sandbox::{FailAt, FaultTarget};
    match &app.fault {
        Some(FailAt { target: FaultTarget::Step(n), .. }) if *n > plan.steps.len() => Some(format!(
            "--fail-at {n} is past this plan's {} steps, so it would never strike: start the demo again with a step from 1 to {}",
            plan.steps.len(),
            plan.steps.len()
        )),
        _ => None,
    }
}

pub(super) fn request_apply(app: &mut App) -> Option<Command> {
    let plan = &app.migration()?.plan;
    if let Some(refusal) = fault_beyond(app, plan) {
        app.status = Some(refusal);
    } else if !app.apply_available {
        app.status = Some(
            "this backend only reads: save the plan with ferry plan --out and apply it where changes are allowed"
                .into(),
        );
    } else if let Some(problem) = plan.invalid().first() {
        app.status = Some(format!(
            "the plan is not valid, so it cannot be approved: {} (edit it on Service)",
            crate::text::escape_controls(&problem.to_string())
        ));
    } else if let Some(problem) = app.screens.plan.preflight_for(&plan.hash).and_then(|p| p.first()) {
        app.status = Some(format!("this machine cannot run the plan: {}", crate::text::escape_controls(problem)));
    } else if let Some(run) = app.run.as_ref().filter(|r| r.holds_resources()) {
        let id = run.run_id.as_deref().unwrap_or("starting");
        let r = key_of(app, Action::RollBack);
        app.status = Some(if run.plan.hash == plan.hash {
            format!("this plan has a run already ({id}): roll it back ({r} on Apply) before applying again")
        } else {
            format!("run {id} is open on Apply: roll it back ({r}) before applying another plan")
        });
    } else {
        let plan = plan.clone();
        approval::open(app, plan, Lane::Migration);
    }
    None
}

/// `a` on the Cutover step: the cutover plan, or the finalize once the cutover is applied.
pub(super) fn request_traffic_apply(app: &mut App) -> Option<Command> {
    match traffic::plan_to_approve(app) {
        Ok((lane, plan)) => {
            if let Some(refusal) = fault_beyond(app, &plan) {
                app.status = Some(refusal);
            } else if let Some(problem) = plan.invalid().first() {
                app.status = Some(format!(
                    "the plan is not valid, so it cannot be approved: {}",
                    crate::text::escape_controls(&problem.to_string())
                ));
            } else {
                approval::open(app, plan, lane);
            }
        }
        Err(reason) => app.status = Some(reason),
    }
    None
}

/// `y` on the confirmation: the approved plan (its hash checked again) starts its run.
pub(super) fn start_apply(app: &mut App) -> Option<Command> {
    let approval = app.approval.take()?;
    let (plan, lane) = (*approval.plan, approval.lane);
    let approved = match plan.approve(&plan.hash, approval.overrides.clone()) {
        Ok(approved) => approved,
        Err(error) => {
            app.status = Some(error.to_string());
            return None;
        }
    };
    let control = RunControl::new();
    let view = RunView::new(plan, approval.overrides, control.clone());
    match lane {
        Lane::Migration => {
            app.run = Some(view);
            // A new migration run: what moved the traffic of another is not this one's.
            app.traffic.clear();
            app.step = Step::Apply;
        }
        Lane::Cutover => {
            app.traffic.cutover = Some(view);
            app.traffic.finalize = None;
        }
        Lane::Finalize => app.traffic.finalize = Some(view),
    }
    Some(Command::Apply { approved: Box::new(approved), control, lane })
}

/// `c`: continues a failed, stopped or interrupted run from where its journal says it stands.
pub(super) fn resume(app: &mut App, lane: Lane) -> Option<Command> {
    let r = key_of(app, Action::RollBack);
    let run = run_mut(app, lane)?;
    if traffic::stopped_at_gate(run) {
        app.status = Some(format!(
            "a failed gate is not continued: its traffic is back on the old stack. Roll the cutover back ({r}), \
             fix the new service, and plan it again"
        ));
        return None;
    }
    if !run.phase.can_resume() {
        app.status = Some(match &run.phase {
            phase if phase.is_busy() => "the run is still working".to_string(),
            RunStatus::Applied => "the run is applied: nothing to continue".to_string(),
            _ => format!("this run cannot be continued: roll it back ({r}) or make a new plan"),
        });
        return None;
    }
    let Some(run_id) = run.run_id.clone() else {
        app.status = Some("this run never started, so nothing changed: approve the plan again".into());
        return None;
    };
    // A stopped run's token is still set: the resumed run gets its own.
    let control = RunControl::new();
    run.control = control.clone();
    run.phase = RunStatus::Applying;
    if lane == Lane::Migration {
        app.step = Step::Apply;
    }
    app.status = Some(format!("continuing run {run_id} from where it stopped"));
    Some(Command::Resume { run_id, control, lane })
}

/// The question after a failure: `r` rolls back now, `s` keeps what was made.
pub(super) fn on_failure_choice(app: &mut App, key: KeyEvent, ctrl_c: bool) -> Option<Command> {
    if ctrl_c {
        app.overlay = None;
        return request_quit(app);
    }
    let step = if app.lane == Lane::Migration { Step::Apply } else { Step::Cutover };
    if app.keymap.answers(Action::RollBack, &key) {
        app.overlay = None;
        app.step = step;
        return roll_back(app, app.lane);
    }
    // Esc leaves the question as stopping does: nothing more is undone unasked.
    if app.keymap.answers(Action::StopAndKeep, &key) || app.keymap.is(Action::Cancel, &key) {
        app.overlay = None;
        app.step = step;
        let (c, r) = (key_of(app, Action::Resume), key_of(app, Action::RollBack));
        let at_gate = run_of(app, app.lane).is_some_and(traffic::stopped_at_gate);
        app.status = Some(if at_gate {
            format!("kept: the traffic is on the old stack, the weighted records stay until {r} rolls the cutover back")
        } else {
            format!("kept what the run made: {c} continues it once the cause is fixed, {r} rolls it back")
        });
    }
    None
}

pub(super) fn roll_back(app: &mut App, lane: Lane) -> Option<Command> {
    let run = run_mut(app, lane)?;
    match &run.phase {
        phase if phase.next_moves().contains(&NextMove::StopThenRollBack) => {
            run.control.stop_then_roll_back();
            app.status = Some("stopping after the current step, then rolling back".into());
            None
        }
        phase if phase.can_roll_back() => {
            let run_id = run.run_id.clone()?;
            run.phase = RunStatus::RollingBack;
            Some(Command::Rollback { run_id, lane })
        }
        _ => None,
    }
}
