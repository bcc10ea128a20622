//! The loop that joins the terminal, the engine and `update`, and the tasks commands start.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};
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
use super::run_view::Lane;
use super::{terminal, update, view};
use crate::apply::{
    ApplyEvent, ApplyOptions, LeftRuns, RunControl, RunLog, RunState, Target, left_runs, list_runs, replay,
};
use crate::cloud::{Cloud, ReadCloud};
use crate::migration::prepare_given;
use crate::operate::{OperateError, Operator, RunReport};
use crate::plan::{Approved, Plan};

/// How often spinners and running timers move.
const TICK: Duration = Duration::from_millis(100);

/// What commands run against: an account to read, and, where changes are possible, an
/// `Operator` that applies and rolls back with a journal and an audit log. Without one the
/// wizard discovers and plans but cannot apply.
#[derive(Clone)]
pub struct Engine {
    pub read: Arc<dyn ReadCloud>,
    pub operator: Option<Operator>,
    /// Runs this process has open, by id: a rollback reuses the journal the apply wrote.
    runs: Arc<Mutex<BTreeMap<String, Arc<RunLog>>>>,
}

impl Engine {
    /// A backend that can both read and change the account; runs are kept in memory and not
    /// audited (tests). Front ends use `operated`.
    pub fn read_write(cloud: Arc<dyn Cloud>) -> Engine {
        let operator = Operator {
            cloud: cloud.clone(),
            runs_dir: None,
            audit: None,
            target: Target::InProcess,
            options: ApplyOptions::default(),
            anchor: None,
        };
        Engine::operated(cloud, operator)
    }

    /// Applies through `operator`: its journals and audit log.
    pub fn operated(read: Arc<dyn ReadCloud>, operator: Operator) -> Engine {
        Engine { read, operator: Some(operator), runs: Arc::default() }
    }

    /// The runs this process has open, and those journaled in the state folder, as their
    /// journals have them now: what tells whether a migration's cutover is finalized.
    fn run_states(&self) -> Vec<RunState> {
        let open: Vec<Arc<RunLog>> = self.runs.lock().unwrap_or_else(|p| p.into_inner()).values().cloned().collect();
        let mut states: Vec<RunState> = open.iter().map(|run| replay(&run.records())).collect();
        if let Some(dir) = self.runs_dir() {
            for state in list_runs(&dir).into_iter().flatten() {
                if !states.iter().any(|s| s.run_id == state.run_id) {
                    states.push(state);
                }
            }
        }
        states
    }

    /// Where runs are journaled, when they are.
    fn runs_dir(&self) -> Option<std::path::PathBuf> {
        self.operator.as_ref().and_then(|o| o.runs_dir.clone())
    }

    /// A backend that can only read.
    pub fn read_only(cloud: Arc<dyn ReadCloud>) -> Engine {
        Engine { read: cloud, operator: None, runs: Arc::default() }
    }

    /// The run `run_id`: open in this process, or reopened from the state folder.
    fn run(&self, run_id: &str) -> Result<Arc<RunLog>, String> {
        if let Some(run) = self.runs.lock().unwrap_or_else(|p| p.into_inner()).get(run_id) {
            return Ok(run.clone());
        }
        let operator = self.operator.as_ref().ok_or("this backend only reads")?;
        let run = Arc::new(operator.open(run_id).map_err(|e| e.to_string())?);
        self.runs.lock().unwrap_or_else(|p| p.into_inner()).insert(run_id.to_string(), run.clone());
        Ok(run)
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
        Command::Prepare { instance_id, app, given } => spawn_guarded("discovery", tx, async move {
            let result = prepare_given(cloud.as_ref(), &instance_id, app.as_deref(), given)
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
        Command::LookOver { user_data_of } => spawn_guarded("looking over the instances", tx, async move {
            let fronts = async {
                let fronts = crate::discover::what_fronts(cloud.as_ref()).await;
                let _ = out.send(Msg::FrontsRead(Box::new(fronts)));
            };
            tokio::join!(fronts, read_glances(cloud.clone(), user_data_of, out.clone()));
        }),
        Command::Verify { target } => spawn_guarded("verify", tx, async move {
            let options = ferry_engine::verify::ProbeOptions::default();
            let report = ferry_engine::verify::verify(cloud.as_ref(), &target, &options).await;
            let _ = out.send(Msg::Verified(Box::new(report)));
        }),
        Command::Apply { approved, control, lane } => spawn_apply(engine, approved, control, lane, tx)?,
        Command::Resume { run_id, control, lane } => spawn_resume(engine, run_id, control, lane, tx)?,
        Command::Preflight { plan } => spawn_preflight(engine, plan, tx)?,
        Command::LoadRuns => spawn_load_runs(engine, tx)?,
        Command::Rollback { run_id, lane } => spawn_rollback(engine, run_id, lane, tx)?,
        Command::PlanCutover { .. }
        | Command::PlanFinalize { .. }
        | Command::ReadChecklist { .. }
        | Command::ConfirmRemoved { .. } => spawn_traffic(command, engine, tx)?,
    };
    Some(task)
}

/// Reads each instance's user data, a few at a time, sending each answer as it comes. Once one
/// read is refused, the rest would be too: they are said refused without asking again.
async fn read_glances(cloud: Arc<dyn ReadCloud>, ids: Vec<String>, out: UnboundedSender<Msg>) {
    use futures::StreamExt;
    let refused: Arc<Mutex<Option<String>>> = Arc::default();
    let reads = futures::stream::iter(ids).map(|id| {
        let (cloud, refused) = (cloud.clone(), refused.clone());
        async move {
            if let Some(why) = refused.lock().unwrap_or_else(|p| p.into_inner()).clone() {
                return (id, Err(why));
            }
            let result = cloud.user_data(&id).await.map_err(|error| match error {
                crate::cloud::CloudError::AccessDenied { action, .. } => {
                    let why = format!("refused: {action}");
                    *refused.lock().unwrap_or_else(|p| p.into_inner()) = Some(why.clone());
                    why
                }
                _ => "unread".to_string(),
            });
            (id, result)
        }
    });
    let mut answers = reads.buffer_unordered(super::glances::AT_ONCE);
    while let Some((id, result)) = answers.next().await {
        if out.send(Msg::Glanced { id, result }).is_err() {
            return;
        }
    }
}

/// The Cutover and Retire steps' work: plans made from the runs' journals as they stand now,
/// and the old stack listed and its removals journaled.
fn spawn_traffic(command: Command, engine: &Engine, tx: UnboundedSender<Msg>) -> Option<JoinHandle<()>> {
    let cloud = engine.read.clone();
    let out = tx.clone();
    match command {
        Command::PlanCutover { run_id, options } => {
            let run = engine.run(&run_id);
            Some(spawn_guarded("planning the cutover", tx, async move {
                let result = match run {
                    Ok(run) => super::traffic_work::plan_cutover(cloud.as_ref(), &run, &options).await,
                    Err(error) => Err(error),
                };
                let _ = out.send(Msg::TrafficPlanned { lane: Lane::Cutover, after: run_id, result });
            }))
        }
        Command::PlanFinalize { run_id } => {
            let result = engine.run(&run_id).and_then(|run| super::traffic_work::plan_finalize(&run));
            Some(spawn_guarded("planning the finalize", tx, async move {
                let _ = out.send(Msg::TrafficPlanned { lane: Lane::Finalize, after: run_id, result });
            }))
        }
        Command::ReadChecklist { run_id } => {
            let (runs, dir) = (engine.run_states(), engine.runs_dir());
            let migration = engine.run(&run_id);
            Some(spawn_guarded("listing the old stack", tx, async move {
                let result = match migration {
                    Ok(migration) => super::traffic_work::checklist(cloud.as_ref(), &migration, runs, dir).await,
                    Err(error) => Err(error),
                };
                let _ = out.send(Msg::ChecklistRead { result, note: None });
            }))
        }
        Command::ConfirmRemoved { run_id, item } => {
            let (runs, dir) = (engine.run_states(), engine.runs_dir());
            let migration = engine.run(&run_id);
            Some(spawn_guarded("journaling a removal", tx, async move {
                let (result, note) = match migration {
                    Ok(migration) => {
                        super::traffic_work::confirm_removed(cloud.as_ref(), &migration, &item, runs, dir).await
                    }
                    Err(error) => (Err(error), None),
                };
                let _ = out.send(Msg::ChecklistRead { result, note });
            }))
        }
        // Every other command is started by `spawn_command` itself.
        _ => None,
    }
}

// The commands below need the engine's operator: without one they start nothing (`None`).

/// Starts a run of the approved plan and applies it, keeping the run for a later rollback.
fn spawn_apply(
    engine: &Engine,
    approved: Box<Approved>,
    control: RunControl,
    lane: Lane,
    tx: UnboundedSender<Msg>,
) -> Option<JoinHandle<()>> {
    let operator = engine.operator.clone()?;
    let runs = engine.runs.clone();
    let out = tx.clone();
    Some(spawn_guarded("the apply", tx, async move {
        // No change without a journal and an audit record: if either cannot be opened,
        // the run does not start.
        let run = match operator.start(&approved).await {
            Ok(run) => Arc::new(run),
            Err(error) => {
                let _ = out.send(Msg::EngineFailed { what: "starting the run".into(), error: error.to_string() });
                return;
            }
        };
        runs.lock().unwrap_or_else(|p| p.into_inner()).insert(run.run_id().to_string(), run.clone());
        report(operator.carry_out(&run, &control, &forward(&out, lane)).await, lane, &out);
    }))
}

/// Continues a failed, stopped or interrupted run from where its journal says it stands.
fn spawn_resume(
    engine: &Engine,
    run_id: String,
    control: RunControl,
    lane: Lane,
    tx: UnboundedSender<Msg>,
) -> Option<JoinHandle<()>> {
    let operator = engine.operator.clone()?;
    let run = engine.run(&run_id);
    let out = tx.clone();
    Some(spawn_guarded("resuming the run", tx, async move {
        let Some(run) = opened(run, &run_id, &out) else { return };
        report(operator.carry_out(&run, &control, &forward(&out, lane)).await, lane, &out);
    }))
}

/// Asks the account's writer what would stop this machine from running the plan.
fn spawn_preflight(engine: &Engine, plan: Box<Plan>, tx: UnboundedSender<Msg>) -> Option<JoinHandle<()>> {
    let operator = engine.operator.clone()?;
    let out = tx.clone();
    Some(spawn_guarded("checking this machine against the plan", tx, async move {
        let problems = operator.cloud.preflight(&plan).await;
        let _ = out.send(Msg::PreflightDone { plan_hash: plan.hash.clone(), problems });
    }))
}

/// Reads the state folder's runs; nothing starts unless the operator keeps runs there.
fn spawn_load_runs(engine: &Engine, tx: UnboundedSender<Msg>) -> Option<JoinHandle<()>> {
    let operator = engine.operator.as_ref()?;
    let (dir, target) = (operator.runs_dir.clone()?, operator.target.clone());
    let out = tx.clone();
    Some(spawn_guarded("reading earlier runs", tx, async move {
        let work = tokio::task::spawn_blocking(move || left_runs(&dir, &target));
        let left = work.await.unwrap_or_else(|e| LeftRuns {
            runs: Vec::new(),
            unreadable: vec![format!("internal error reading the runs: {e}")],
        });
        let _ = out.send(Msg::RunsLoaded(left));
    }))
}

/// Undoes what a run made, newest first.
fn spawn_rollback(engine: &Engine, run_id: String, lane: Lane, tx: UnboundedSender<Msg>) -> Option<JoinHandle<()>> {
    let operator = engine.operator.clone()?;
    let run = engine.run(&run_id);
    let out = tx.clone();
    Some(spawn_guarded("the rollback", tx, async move {
        let Some(run) = opened(run, &run_id, &out) else { return };
        report_errors(operator.rollback(&run, &forward(&out, lane)).await.map(|(_, errors)| errors), &out);
    }))
}

/// A run's events, passed on to the app as the events of `lane`.
fn forward(out: &UnboundedSender<Msg>, lane: Lane) -> impl Fn(ApplyEvent) + Send + Sync + '_ {
    move |event| {
        let _ = out.send(Msg::Apply(lane, event));
    }
}

/// The run, or `None` after telling the app why it could not be opened.
fn opened(run: Result<Arc<RunLog>, String>, run_id: &str, out: &UnboundedSender<Msg>) -> Option<Arc<RunLog>> {
    run.map_err(|error| {
        let _ = out.send(Msg::EngineFailed { what: format!("opening run {run_id}"), error });
    })
    .ok()
}

/// Tells the app the run's work has returned, and what could not be audited or journaled.
fn report(result: Result<RunReport, OperateError>, lane: Lane, out: &UnboundedSender<Msg>) {
    let result = result.map(|report| {
        let mut errors = report.audit_errors;
        if let Some(Err(error)) = report.rollback {
            errors.insert(0, format!("the rollback asked for did not start: {error}"));
        }
        errors
    });
    report_errors(result, out);
    let _ = out.send(Msg::RunEnded(lane));
}

/// Tells the app when the work could not be audited or journaled.
fn report_errors(result: Result<Vec<String>, OperateError>, out: &UnboundedSender<Msg>) {
    let error = match result {
        Ok(errors) => errors.into_iter().next().map(|e| ("writing the audit log", e)),
        Err(error) => Some(("the run", error.to_string())),
    };
    if let Some((what, error)) = error {
        let _ = out.send(Msg::EngineFailed { what: what.into(), error });
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
    fault: Option<crate::cloud::sandbox::FailAt>,
    ui: super::UiFlags,
) -> Result<()> {
    let mut app = App::new(mode, label, preferred_instance);
    app.fault = fault;
    if mode == Mode::Sandbox {
        app.training = super::training::Training::for_demo(label);
    }
    // A `[ui]` section ferry cannot use is said before the terminal is taken over, too.
    app.ui = super::UiOptions::resolve(ui)?;
    let state = crate::state_dir::state_dir();
    super::session_log::install(&app.log.session, state.as_deref())?;
    // A `[keys]` section ferry cannot use is said before the terminal is taken over.
    app.keymap = std::sync::Arc::new(super::actions::load()?);
    app.app_folder = folder;
    app.apply_available = engine.operator.is_some();
    app.runs_kept = engine.operator.as_ref().is_some_and(|o| o.runs_dir.is_some());
    let (tx, mut rx) = unbounded_channel();
    for command in App::init() {
        spawn_command(command, &engine, tx.clone());
    }
    let mut term = terminal::enter()?;
    if app.ui.mouse {
        terminal::capture_mouse()?;
    }
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
