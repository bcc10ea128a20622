use std::path::PathBuf;
use std::sync::Arc;

use ratatui::crossterm::event::KeyEvent;

use super::app::AppFolder;
use crate::analyze::AppFiles;
use crate::apply::{ApplyEvent, LeftRuns, RunControl};
use crate::migration::Migration;
use crate::model::{AccountInfo, Instance};
use crate::plan::Approved;

/// Everything that can happen to the app: keys, time, and results of engine work.
#[derive(Debug, Clone)]
pub enum Msg {
    Key(KeyEvent),
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
    Apply(ApplyEvent),
    /// The engine work carrying a run out has returned (after any rollback it was asked for).
    RunEnded,
    /// What would stop this machine from running the plan `plan_hash`.
    PreflightDone {
        plan_hash: String,
        problems: Vec<String>,
    },
    /// The runs an earlier process left holding resources, and journals that could not be read.
    RunsLoaded(LeftRuns),
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
    },
    /// Continue a failed, stopped or interrupted run from where its journal says it stands.
    Resume {
        run_id: String,
        control: RunControl,
    },
    Rollback {
        run_id: String,
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
