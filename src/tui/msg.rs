use std::path::PathBuf;
use std::sync::Arc;

use ratatui::crossterm::event::KeyEvent;

use super::app::AppFolder;
use super::run_view::Lane;
use super::traffic::Checklist;
use crate::analyze::AppFiles;
use crate::apply::{ApplyEvent, LeftRuns, RunControl};
use crate::cutover::CutoverOptions;
use crate::migration::Migration;
use crate::model::{AccountInfo, Instance};
use crate::plan::{Approved, Plan};

/// Everything that can happen to the app: keys, time, and results of engine work.
#[derive(Debug, Clone)]
pub enum Msg {
    Key(KeyEvent),
    /// A click or the wheel, when the mouse is on.
    Mouse(ratatui::crossterm::event::MouseEvent),
    /// The terminal changed size: the next frame is drawn afresh at the new size.
    Resize(u16, u16),
    /// A few times a second: spinners and running timers move.
    Tick,
    AccountLoaded(Result<AccountInfo, String>),
    InstancesLoaded(Result<Vec<Instance>, String>),
    MigrationReady {
        instance_id: String,
        result: Result<Box<Migration>, String>,
    },
    /// A source folder read and the application analysed again with it, or why not.
    AppFolderRead {
        request: u64,
        result: Result<(AppFolder, Box<Migration>), String>,
    },
    /// An event of the run in `Lane`.
    Apply(Lane, ApplyEvent),
    /// The engine work carrying a run out has returned (after any rollback it was asked for).
    RunEnded(Lane),
    /// The plan that moves the traffic of run `after`: the cutover, or its finalize, or why
    /// none can be made.
    TrafficPlanned {
        lane: Lane,
        after: String,
        result: Result<Box<Plan>, String>,
    },
    /// The old stack of a migration, item by item, or why it cannot be listed yet; with a
    /// line for the status bar when an item was confirmed (or could not be).
    ChecklistRead {
        result: Result<Box<Checklist>, String>,
        note: Option<String>,
    },
    /// What would stop this machine from running the plan `plan_hash`.
    PreflightDone {
        plan_hash: String,
        problems: Vec<String>,
    },
    /// The runs an earlier process left holding resources, and journals that could not be read.
    RunsLoaded(LeftRuns),
    /// What fronts the listed instances.
    FrontsRead(Box<crate::discover::Fronts>),
    /// One listed instance's user data, or why it could not be read.
    Glanced {
        id: String,
        result: Result<Option<String>, String>,
    },
    /// What the Verify step's probes found.
    Verified(Box<ferry_engine::verify::VerifyReport>),
    /// Engine work panicked: a bug, reported instead of leaving the screen waiting.
    EngineFailed {
        what: String,
        error: String,
    },
}

/// Long work `update` asks the runtime to start; results come back as `Msg`s.
#[derive(Debug, Clone)]
pub enum Command {
    LoadAccount,
    LoadInstances,
    /// Discover the instance and analyse it, with the source folder when there is one and the
    /// secret sources the operator gave for it.
    Prepare {
        instance_id: String,
        app: Option<Arc<AppFiles>>,
        given: crate::analyze::Given,
    },
    /// Read a source folder and analyse the migration's application again with it.
    ReadAppFolder {
        request: u64,
        dir: PathBuf,
        migration: Box<Migration>,
    },
    Apply {
        approved: Box<Approved>,
        control: RunControl,
        lane: Lane,
    },
    /// Continue a failed, stopped or interrupted run from where its journal says it stands.
    Resume {
        run_id: String,
        control: RunControl,
        lane: Lane,
    },
    Rollback {
        run_id: String,
        lane: Lane,
    },
    /// Discover the migration's instance again (where its traffic is now) and plan the
    /// cutover of the applied run `run_id`.
    PlanCutover {
        run_id: String,
        options: Box<CutoverOptions>,
    },
    /// Plan the finalize of the applied cutover run `run_id`.
    PlanFinalize {
        run_id: String,
    },
    /// List the old stack of the migration run `run_id`, once its cutover is finalized.
    ReadChecklist {
        run_id: String,
    },
    /// Journal that the operator removed `item` of the old stack, then list it again.
    ConfirmRemoved {
        run_id: String,
        item: String,
    },
    /// Look over the listed instances: what fronts each one, and the user data of these (the
    /// ones the list did not carry it for), a few at a time.
    LookOver {
        user_data_of: Vec<String>,
    },
    /// Read the state folder's runs (only with an operator that keeps them).
    LoadRuns,
    /// Ask the account's writer what would stop this machine from running the plan.
    Preflight {
        plan: Box<crate::plan::Plan>,
    },
    /// Probe a run's old entry and new endpoint, and read its service's state.
    Verify {
        target: Box<ferry_engine::verify::VerifyTarget>,
    },
    Quit,
}
