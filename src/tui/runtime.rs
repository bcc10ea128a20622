//! The loop that joins the terminal, the engine and `update`, and the tasks commands start.

use std::sync::Arc;
use std::time::Duration;

use std::panic::AssertUnwindSafe;

use color_eyre::eyre::Result;
use futures::FutureExt;
use tokio::sync::mpsc::{UnboundedSender, unbounded_channel};
use tokio::task::JoinHandle;

use super::app::AppFolder;
use super::app::{App, Mode};
use super::folder_prompt::read_and_analyse;
use super::msg::{Command, Msg};
use super::{terminal, update, view};
use crate::apply::{ApplyEvent, apply, new_run_id, rollback};
use crate::audit::{AuditLog, Recorder};
use crate::cloud::{Cloud, ReadCloud};
use crate::migration::prepare_with;

/// How often spinners and running timers move.
const TICK: Duration = Duration::from_millis(100);

/// What commands run against: an account to read, and, where changes are possible, the
/// same account to change. Without a writer the wizard discovers and plans but cannot apply.
#[derive(Clone)]
pub struct Engine {
    pub read: Arc<dyn ReadCloud>,
    pub write: Option<Arc<dyn Cloud>>,
    /// The audit log every apply and rollback is recorded in; without one (tests) nothing is.
    pub audit: Option<std::path::PathBuf>,
}

impl Engine {
    /// A backend that can both read and change the account (the sandbox).
    pub fn read_write(cloud: Arc<dyn Cloud>) -> Engine {
        Engine { read: cloud.clone(), write: Some(cloud), audit: None }
    }

    /// Records every apply and rollback in the audit log at `path`.
    pub fn with_audit(mut self, path: Option<std::path::PathBuf>) -> Engine {
        self.audit = path;
        self
    }

    /// A backend that can only read.
    pub fn read_only(cloud: Arc<dyn ReadCloud>) -> Engine {
        Engine { read: cloud, write: None, audit: None }
    }
}

/// Starts the work a command asks for in a task; its results arrive on `tx` as messages.
pub fn spawn_command(command: Command, engine: &Engine, tx: UnboundedSender<Msg>) -> Option<JoinHandle<()>> {
    let cloud = engine.read.clone();
    let out = tx.clone();
    let task = match command {
        Command::Quit => return None,
        Command::LoadAccount => spawn_guarded("loading the account", tx, async move {
            let result = cloud.account().await.map_err(|e| e.to_string());
            let _ = out.send(Msg::AccountLoaded(result));
        }),
        Command::LoadInstances => spawn_guarded("listing instances", tx, async move {
            let result = cloud.instances().await.map_err(|e| e.to_string());
            let _ = out.send(Msg::InstancesLoaded(result));
        }),
        Command::Prepare { instance_id, app } => spawn_guarded("discovery", tx, async move {
            let result = prepare_with(cloud.as_ref(), &instance_id, app.as_deref())
                .await
                .map(Box::new)
                .map_err(|e| e.to_string());
            let _ = out.send(Msg::MigrationReady { instance_id, result });
        }),
        Command::ReadAppFolder { request, dir, migration } => {
            spawn_guarded("reading the source folder", tx, async move {
                // A big tree takes a moment to read: off the UI thread, and off the async workers.
                let work = tokio::task::spawn_blocking(move || read_and_analyse(&dir, *migration));
                let result = work.await.unwrap_or_else(|e| Err(format!("internal error reading the folder: {e}")));
                let _ = out.send(Msg::AppFolderRead { request, result });
            })
        }
        Command::Apply { plan, cancel } => {
            let cloud = engine.write.clone()?;
            let audit = engine.audit.clone();
            spawn_guarded("the apply", tx, async move {
                let run_id = new_run_id(&plan.service_name);
                // No change without a record of it: a log that cannot be opened stops the run.
                let recorder = match open_audit(audit, cloud.as_ref(), &out).await {
                    Ok(Some((log, operator))) => Some(Recorder::for_apply(log, &run_id, &operator, &plan)),
                    Ok(None) => None,
                    Err(()) => return,
                };
                let emit = |event: ApplyEvent| forward(recorder.as_ref(), &out, event);
                apply(cloud.as_ref(), &plan, &run_id, &cancel, &emit).await;
                report_audit_errors(recorder.as_ref(), &out);
            })
        }
        Command::Rollback { journal } => {
            let cloud = engine.write.clone()?;
            let audit = engine.audit.clone();
            spawn_guarded("the rollback", tx, async move {
                let recorder = match open_audit(audit, cloud.as_ref(), &out).await {
                    Ok(Some((log, operator))) => Some(Recorder::for_rollback(log, &operator, &journal)),
                    Ok(None) => None,
                    Err(()) => return,
                };
                let emit = |event: ApplyEvent| forward(recorder.as_ref(), &out, event);
                rollback(cloud.as_ref(), &journal, &emit).await;
                report_audit_errors(recorder.as_ref(), &out);
            })
        }
    };
    Some(task)
}

/// The audit log and the operator's identity, or `Err` after telling the app why the log
/// cannot be written.
async fn open_audit(
    path: Option<std::path::PathBuf>,
    cloud: &dyn Cloud,
    out: &UnboundedSender<Msg>,
) -> Result<Option<(AuditLog, String)>, ()> {
    let Some(path) = path else { return Ok(None) };
    let log = AuditLog::open(&path).map_err(|error| {
        let _ = out.send(Msg::EngineFailed { what: "opening the audit log".into(), error: error.to_string() });
    })?;
    let operator = cloud.account().await.map_or_else(|e| format!("unknown ({e})"), |account| account.caller_arn);
    Ok(Some((log, operator)))
}

/// A run's event, recorded in the audit log (when there is one) and passed to the app.
fn forward(recorder: Option<&Recorder>, out: &UnboundedSender<Msg>, event: ApplyEvent) {
    if let Some(recorder) = recorder {
        recorder.observe(&event);
    }
    let _ = out.send(Msg::Apply(event));
}

fn report_audit_errors(recorder: Option<&Recorder>, out: &UnboundedSender<Msg>) {
    if let Some(error) = recorder.map(Recorder::errors).and_then(|errors| errors.into_iter().next()) {
        let _ = out.send(Msg::EngineFailed { what: "writing the audit log".into(), error });
    }
}

/// Runs engine work in a task; if it panics, the app hears of it instead of waiting forever.
fn spawn_guarded(
    what: &'static str,
    tx: UnboundedSender<Msg>,
    work: impl Future<Output = ()> + Send + 'static,
) -> JoinHandle<()> {
    tokio::spawn(async move {
        if let Err(panic) = AssertUnwindSafe(work).catch_unwind().await {
            let error = panic
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| panic.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "unknown panic".into());
            let _ = tx.send(Msg::EngineFailed { what: what.to_string(), error });
        }
    })
}

/// Runs the wizard on `cloud` until the operator quits. The terminal is restored on every
/// way out: normal exit, error and panic.
/// `folder` is the application's source folder from `--app`, already read.
pub async fn run_wizard(
    engine: Engine,
    mode: Mode,
    label: &str,
    preferred_instance: Option<String>,
    folder: Option<AppFolder>,
) -> Result<()> {
    let mut app = App::new(mode, label, preferred_instance);
    app.app_folder = folder;
    app.apply_available = engine.write.is_some();
    let (tx, mut rx) = unbounded_channel();
    for command in App::init() {
        spawn_command(command, &engine, tx.clone());
    }
    let mut term = terminal::enter()?;
    let input = terminal::spawn_input_thread(tx.clone(), TICK);
    let handle = |app: &mut App, msg| {
        if let Some(command) = update(app, msg) {
            spawn_command(command, &engine, tx.clone());
        }
    };
    let result = terminal::event_loop(&mut term, &mut rx, &mut app, view, handle, |app| app.should_quit).await;
    input.stop();
    terminal::leave();
    result
}
