//! The app's whole state. Only `update` changes it; `view` reads it.

use std::path::PathBuf;
use std::sync::Arc;

use super::approval::{Approval, Reasons};
use super::folder_prompt::FolderPrompt;
use super::run_view::{Lane, RunView};
use super::screens::{Context, Screen};
use super::secret_prompt::SecretPrompt;
use super::steps::{Screens, Step};
use super::traffic::Traffic;
use super::unfinished;
use crate::analyze::AppFiles;
use crate::migration::Migration;
use crate::model::{AccountInfo, Instance};

/// Which account ferry is pointed at: shown as a badge nobody can miss.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    Sandbox,
    Live,
    ReadOnly,
}

impl Mode {
    pub fn badge(self) -> &'static str {
        match self {
            Mode::Sandbox => " SANDBOX ",
            Mode::Live => " LIVE ",
            Mode::ReadOnly => " READ-ONLY ",
        }
    }
}

/// Something loaded in the background.
#[derive(Debug, Clone, Default)]
pub enum Loadable<T> {
    #[default]
    Idle,
    Loading,
    Ready(T),
    Failed(String),
}

impl<T> Loadable<T> {
    pub fn ready(&self) -> Option<&T> {
        match self {
            Loadable::Ready(value) => Some(value),
            _ => None,
        }
    }
}

/// A box drawn over the screen that takes every key until closed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Overlay {
    Help,
    /// A reason for overriding one of the plan's denies; the approval is `App::approval`.
    OverrideDeny,
    ConfirmApply,
    ConfirmRollback,
    /// A run just failed: roll back now, or stop and keep what it made.
    FailureChoice,
    /// Runs an earlier process left holding resources; the list is `App::unfinished`.
    UnfinishedRuns,
    ConfirmQuit,
    /// The source-folder prompt; its state is `App::folder_prompt`.
    SourceFolder,
    /// The secret-source prompt; its state is `App::secret_prompt`.
    SecretSource,
}

/// The application's source folder, read once, and how the operator gave it.
#[derive(Debug, Clone)]
pub struct AppFolder {
    pub path: PathBuf,
    pub files: Arc<AppFiles>,
    /// `--app` on the command line, or chosen in the wizard.
    pub origin: &'static str,
}

impl AppFolder {
    /// A folder given with `--app`.
    pub fn from_flag(path: PathBuf, files: AppFiles) -> AppFolder {
        AppFolder { path, files: Arc::new(files), origin: "--app" }
    }

    /// A folder chosen in the wizard with `o`.
    pub fn chosen(path: PathBuf, files: AppFiles) -> AppFolder {
        AppFolder { path, files: Arc::new(files), origin: "chosen here" }
    }
}

/// The screens' context, borrowed field by field from an `App`, so that a screen can be
/// borrowed mutably beside it.
macro_rules! context_of {
    ($app:expr) => {
        Context {
            keymap: &$app.keymap,
            ticks: $app.ticks,
            instances: &$app.instances,
            glances: &$app.glances,
            fronts: &$app.fronts,
            preferred_instance: $app.preferred_instance.as_deref(),
            migration_for: $app.migration_for.as_deref(),
            migration: &$app.migration,
            run: $app.run.as_ref(),
            app_folder: $app.app_folder.as_ref(),
            reasons: &$app.reasons,
            apply_available: $app.apply_available,
            traffic: &$app.traffic,
        }
    };
}

pub struct App {
    pub mode: Mode,
    /// Shown before the account is known (the scenario name, the profile).
    pub label: String,
    pub account: Loadable<AccountInfo>,
    pub step: Step,
    /// The instance to select once the list arrives (the scenario's app instance).
    pub preferred_instance: Option<String>,
    pub instances: Loadable<Vec<Instance>>,
    /// What each listed instance runs, read from its user data once when the list arrives.
    pub glances: std::collections::BTreeMap<String, super::glances::Glimpse>,
    /// What fronts each listed instance (its load balancer, its host names), read once for the
    /// account when the list arrives.
    pub fronts: Loadable<crate::discover::Fronts>,
    /// Which instance the migration is for, and the migration.
    pub migration_for: Option<String>,
    pub migration: Loadable<Box<Migration>>,
    /// The application's source folder, when one was given: analysis reads it.
    pub app_folder: Option<AppFolder>,
    /// The demo's training panel (`t`).
    pub training: super::training::Training,
    /// The open source-folder prompt.
    pub folder_prompt: Option<FolderPrompt>,
    /// Counts folder reads, so a late answer to an abandoned one is dropped.
    pub folder_requests: u64,
    /// The open secret-source prompt.
    pub secret_prompt: Option<SecretPrompt>,
    /// Each step's screen and its own state.
    pub screens: Screens,
    pub run: Option<RunView>,
    /// The plans and runs that move the migration's traffic, and the old stack's checklist.
    pub traffic: Traffic,
    /// The run the open run box (roll back?, the run failed) is about.
    pub lane: Lane,
    /// The approval being written (reasons for the denies), until applied or cancelled.
    pub approval: Option<Approval>,
    /// Reasons written this session for the current plan's denies.
    pub reasons: Reasons,
    /// Runs an earlier process left holding resources.
    pub unfinished: unfinished::State,
    pub overlay: Option<Overlay>,
    /// One line of news for the operator, cleared by the next key.
    pub status: Option<String>,
    pub ticks: u64,
    pub should_quit: bool,
    /// Whether this backend can change the account; without it the wizard stops at Plan.
    pub apply_available: bool,
    /// Whether runs are journaled on disk, so an unfinished one is offered at the next start.
    pub runs_kept: bool,
    /// The keys of the wizard's actions: the defaults, with the config file's `[keys]` over them.
    pub keymap: Arc<super::actions::Keymap>,
    /// The sandbox fault armed with `--fail-at`, shown in the header while it is.
    pub fault: Option<crate::cloud::sandbox::FailAt>,
    /// The mouse and the theme, from `[ui]` and the command line.
    pub ui: super::ui_options::UiOptions,
    /// The log pane (`l`) and the session's log it shows.
    pub log: super::log_pane::LogPane,
    /// How far the `?` box is scrolled, on a terminal too small for it.
    pub help_scroll: super::widgets::Scroll,
    /// Where the last frame put things, for the mouse.
    pub drawn: std::sync::Mutex<super::mouse::Drawn>,
}

impl App {
    pub fn new(mode: Mode, label: &str, preferred_instance: Option<String>) -> App {
        App {
            mode,
            label: label.to_string(),
            account: Loadable::Loading,
            step: Step::Source,
            preferred_instance,
            instances: Loadable::Loading,
            glances: Default::default(),
            fronts: Loadable::Idle,
            migration_for: None,
            migration: Loadable::Idle,
            app_folder: None,
            training: super::training::Training::default(),
            folder_prompt: None,
            folder_requests: 0,
            secret_prompt: None,
            screens: Screens::default(),
            run: None,
            traffic: Traffic::default(),
            lane: Lane::Migration,
            approval: None,
            reasons: Reasons::default(),
            unfinished: unfinished::State::default(),
            overlay: None,
            status: Some(format!("{label}: pick the instance to move. Nothing changes until you approve a plan.")),
            ticks: 0,
            should_quit: false,
            apply_available: true,
            runs_kept: false,
            keymap: Arc::default(),
            fault: None,
            ui: Default::default(),
            log: Default::default(),
            help_scroll: Default::default(),
            drawn: Default::default(),
        }
    }

    /// What the runtime starts with: the account, the instance list, and the runs an earlier
    /// process left unfinished.
    pub fn init() -> Vec<super::Command> {
        vec![super::Command::LoadAccount, super::Command::LoadInstances, super::Command::LoadRuns]
    }

    pub fn migration(&self) -> Option<&Migration> {
        self.migration.ready().map(|m| m.as_ref())
    }

    /// Whether quitting now would walk away from running engine work.
    pub fn is_busy(&self) -> bool {
        self.run.as_ref().is_some_and(|r| r.phase.is_busy()) || self.traffic.is_busy()
    }

    /// Whether a run changed the account and has not been rolled back.
    pub fn has_open_run(&self) -> bool {
        self.run.as_ref().is_some_and(|r| r.holds_resources()) || self.traffic.holds_traffic()
    }

    /// Whether quitting now would lose an unsaved edit.
    pub fn has_unsaved_edit(&self) -> bool {
        self.screens.service.editor.as_ref().is_some_and(|e| e.is_modified())
    }

    /// What the screens share, for drawing.
    pub fn context(&self) -> Context<'_> {
        context_of!(self)
    }

    /// The current step's screen.
    pub fn screen(&self) -> &dyn Screen {
        self.screens.get(self.step)
    }

    /// The current step's screen, to take a key, and what the screens share: borrowed apart,
    /// so the screen can change its own state while it reads the rest.
    pub fn screen_mut_and_context(&mut self) -> (&mut dyn Screen, Context<'_>) {
        (self.screens.get_mut(self.step), context_of!(self))
    }
}
