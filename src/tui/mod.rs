//! The full-screen wizard: one front end over the engine.
//!
//! Elm shape: terminal and engine events become one `Msg`; `update` changes the `App` and
//! may return a `Command` (long work the runtime starts in a task); `view` draws.

pub mod actions;
mod app;
mod approval;
mod folder_prompt;
mod glances;
mod help_box;
mod highlight;
pub mod inventory;
mod keymap;
mod log_events;
mod log_pane;
mod mouse;
mod msg;
pub mod picker;
mod run_keys;
mod run_view;
mod runtime;
mod screens;
mod secret_prompt;
pub mod session_log;
mod steps;
mod terminal;
mod theme;
mod traffic;
mod traffic_work;
pub mod training;
mod ui_options;
mod unfinished;
mod update;
mod view;
mod widgets;

/// Where a run stands, under the name the wizard first gave it.
pub use crate::apply::RunStatus as RunPhase;
pub use app::{App, AppFolder, Loadable, Mode, Overlay};
pub use approval::{Approval, reason_length};
pub use folder_prompt::{Completion, FolderPrompt, Stage as FolderStage, complete};
pub use glances::Glimpse;
pub use inventory::run_inventory;
pub use keymap::{Hint, hints};
pub use msg::{Command, Msg};
pub use run_view::{Lane, RunView, StepStatus};
pub use runtime::{Engine, run_wizard, spawn_command};
pub use screens::apply::banner_text;
pub use secret_prompt::{Entry as SecretEntry, SecretPrompt, Stage as SecretStage, parse_entry, unsourced};
pub use steps::Step;
pub use traffic::{Checklist, Traffic};
pub use ui_options::{UiFlags, UiOptions};
pub use update::update;
pub use view::view;
