//! After the migration: the plans that move its traffic (the cutover, then its finalize), their
//! runs, and the old stack's checklist. Each plan is approved by hash and carried out like the
//! migration's own, in its own lane, so the migration's run stays beside it to roll back.

use super::actions::Action;
use super::app::{App, Loadable};
use super::msg::Command;
use super::run_view::{Lane, RunView};
use crate::apply::RunStatus;
use crate::cutover::CutoverOptions;
use crate::decommission::{Confirmation, Item};
use crate::plan::Plan;

/// The traffic's plans and runs, and the old stack once it may be retired.
#[derive(Debug, Default)]
pub struct Traffic {
    /// The cutover plan, made for the migration run it names.
    pub cutover_plan: Planned,
    pub cutover: Option<RunView>,
    /// The finalize plan, made for the cutover run it names.
    pub finalize_plan: Planned,
    pub finalize: Option<RunView>,
    pub checklist: Loadable<Box<Checklist>>,
}

/// A plan asked of the engine for one run.
#[derive(Debug, Default)]
pub struct Planned {
    /// The run the plan follows.
    pub after: Option<String>,
    pub plan: Loadable<Box<Plan>>,
}

impl Planned {
    /// The plan, when it is ready and made for run `run_id`.
    pub fn for_run(&self, run_id: &str) -> Option<&Plan> {
        self.plan.ready().filter(|_| self.after.as_deref() == Some(run_id)).map(|p| p.as_ref())
    }
}

/// The old stack of a finalized migration, as the Retire step lists it.
#[derive(Debug, Clone)]
pub struct Checklist {
    /// The migration run whose old stack this is.
    pub run_id: String,
    pub items: Vec<Item>,
    /// The items the operator confirmed removed, as journaled.
    pub confirmed: Vec<Confirmation>,
    /// The date of the prices the costs come from.
    pub prices_as_of: String,
    /// Why a confirmation cannot be journaled here (no state folder), when it cannot.
    pub unjournaled: Option<String>,
    /// Parts of the old stack that could not be read, a sentence each: the list may miss them.
    pub unseen: Vec<String>,
}

impl Checklist {
    /// The confirmation of `item`, once it is removed.
    pub fn confirmation(&self, item: &Item) -> Option<&Confirmation> {
        self.confirmed.iter().find(|c| c.item == item.id)
    }
}

impl Traffic {
    /// The run of `lane` among the traffic's.
    pub fn run(&self, lane: Lane) -> Option<&RunView> {
        match lane {
            Lane::Migration => None,
            Lane::Cutover => self.cutover.as_ref(),
            Lane::Finalize => self.finalize.as_ref(),
        }
    }

    /// The lane the Cutover step acts on: the finalize while it holds anything (it is undone
    /// first), else the cutover, once either has started.
    pub fn current_lane(&self) -> Option<Lane> {
        if self.finalize.as_ref().is_some_and(|r| r.holds_resources()) {
            Some(Lane::Finalize)
        } else if self.cutover.is_some() {
            Some(Lane::Cutover)
        } else {
            None
        }
    }

    /// Whether a traffic run is working or holds records: the migration's run cannot be
    /// rolled back under it.
    pub fn holds_traffic(&self) -> bool {
        [&self.cutover, &self.finalize].into_iter().flatten().any(RunView::holds_resources)
    }

    /// Whether a traffic run is working.
    pub fn is_busy(&self) -> bool {
        [&self.cutover, &self.finalize].into_iter().flatten().any(|r| r.phase.is_busy())
    }

    /// Whether the finalize is applied: the old stack may then be listed for removal.
    pub fn finalized(&self) -> bool {
        self.finalize.as_ref().is_some_and(|r| r.phase == RunStatus::Applied)
    }

    /// Forgets everything: the migration it followed is gone.
    pub fn clear(&mut self) {
        *self = Traffic::default();
    }
}

/// The run of `lane`, to fold an event into or to change.
pub fn run_mut(app: &mut App, lane: Lane) -> Option<&mut RunView> {
    match lane {
        Lane::Migration => app.run.as_mut(),
        Lane::Cutover => app.traffic.cutover.as_mut(),
        Lane::Finalize => app.traffic.finalize.as_mut(),
    }
}

/// The run of `lane`.
pub fn run_of(app: &App, lane: Lane) -> Option<&RunView> {
    match lane {
        Lane::Migration => app.run.as_ref(),
        lane => app.traffic.run(lane),
    }
}

/// The applied migration run's id: what a cutover follows.
pub fn applied_migration(app: &App) -> Option<String> {
    applied_migration_of(app.run.as_ref())
}

/// The id of `run`, when it is applied.
pub fn applied_migration_of(run: Option<&RunView>) -> Option<String> {
    run.filter(|r| r.phase == RunStatus::Applied).and_then(|r| r.run_id.clone())
}

/// What the next traffic plan is: the finalize once the cutover is applied, else the cutover.
/// `Err` says why no plan can be made now.
pub fn next_plan(app: &App) -> Result<(Lane, String), String> {
    let Some(migration) = applied_migration(app) else {
        return Err("apply the migration first: traffic moves to a service that runs".into());
    };
    let traffic = &app.traffic;
    match (&traffic.cutover, &traffic.finalize) {
        (_, Some(finalize)) if finalize.holds_resources() => {
            Err("the finalize has run: roll it back before planning again".into())
        }
        (Some(cutover), _) if cutover.phase == RunStatus::Applied => {
            cutover.run_id.clone().map(|id| (Lane::Finalize, id)).ok_or_else(|| "the cutover has no run id".into())
        }
        (Some(cutover), _) if cutover.holds_resources() => Err(format!(
            "the cutover is {}: finish it (continue) or roll it back before planning again",
            phase_words(&cutover.phase)
        )),
        _ => Ok((Lane::Cutover, migration)),
    }
}

/// `p` on the Cutover step: asks the engine for the next plan.
pub fn request_plan(app: &mut App, options: CutoverOptions) -> Option<Command> {
    match next_plan(app) {
        Err(reason) => {
            app.status = Some(reason);
            None
        }
        Ok((Lane::Finalize, run_id)) => {
            app.traffic.finalize_plan = Planned { after: Some(run_id.clone()), plan: Loadable::Loading };
            Some(Command::PlanFinalize { run_id })
        }
        Ok((_, run_id)) => {
            app.traffic.cutover_plan = Planned { after: Some(run_id.clone()), plan: Loadable::Loading };
            Some(Command::PlanCutover { run_id, options: Box::new(options) })
        }
    }
}

/// The engine's answer to `request_plan`; one for a run the wizard has moved past is dropped.
pub fn on_planned(app: &mut App, lane: Lane, after: String, result: Result<Box<Plan>, String>) {
    let planned = match lane {
        Lane::Finalize => &mut app.traffic.finalize_plan,
        _ => &mut app.traffic.cutover_plan,
    };
    if planned.after.as_deref() != Some(after.as_str()) {
        return;
    }
    planned.plan = match result {
        Ok(plan) => Loadable::Ready(plan),
        Err(error) => Loadable::Failed(error),
    };
}

/// The old stack as the engine listed it, or why not; `note` says what a confirmation did.
pub fn on_checklist(app: &mut App, result: Result<Box<Checklist>, String>, note: Option<String>) {
    app.traffic.checklist = match result {
        Ok(checklist) => Loadable::Ready(checklist),
        Err(error) => Loadable::Failed(error),
    };
    if note.is_some() {
        app.status = note;
    }
}

/// The plan `a` approves on the Cutover step, and its lane: the one planned last and not yet
/// started.
pub fn plan_to_approve(app: &App) -> Result<(Lane, Plan), String> {
    let (lane, after) = next_plan(app)?;
    let planned = match lane {
        Lane::Finalize => &app.traffic.finalize_plan,
        _ => &app.traffic.cutover_plan,
    };
    match planned.for_run(&after) {
        Some(plan) => Ok((lane, plan.clone())),
        None if matches!(planned.plan, Loadable::Loading) => Err("the plan is still being made".into()),
        None => Err(format!("plan {} first ({} on this step)", lane.noun(), app.keymap.label(Action::PlanTraffic))),
    }
}

/// How a run's phase reads in a sentence.
pub fn phase_words(phase: &RunStatus) -> &'static str {
    match phase {
        RunStatus::Applying | RunStatus::InProgress => "running",
        RunStatus::Applied => "applied",
        RunStatus::Failed { .. } => "stopped by a failure",
        RunStatus::Cancelled { .. } => "stopped",
        RunStatus::Interrupted => "interrupted",
        RunStatus::RollingBack => "rolling back",
        RunStatus::RolledBack => "rolled back",
        RunStatus::RollbackIncomplete { .. } | RunStatus::RollbackInterrupted => "partly rolled back",
        RunStatus::Refused { .. } => "refused",
    }
}

/// Whether `run` stopped at a failed health gate. Its stage's traffic is back on the old stack
/// by then, so continuing would judge a stage nobody is on: the way on is to roll the cutover
/// back, fix the new service and plan again.
pub fn stopped_at_gate(run: &RunView) -> bool {
    match &run.phase {
        RunStatus::Failed { step, .. } => {
            run.plan.steps.get(*step).is_some_and(|s| matches!(s.action, crate::plan::Action::HealthGate { .. }))
        }
        _ => false,
    }
}
