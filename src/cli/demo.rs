//! `ferry demo`: its arguments, and its choices before the wizard opens: which scenario (the
//! picker, when `--scenario` is not given), its sample app, and the pace.

use std::path::PathBuf;
use std::time::Duration;

use clap::Args;
use color_eyre::eyre::{Result, WrapErr};

use ferry::cloud::sandbox::Scenario;
use ferry::cloud::sandbox::catalogue::{catalogue, trainer_folder};
use ferry::cloud::sandbox::{FailAt, SandboxOptions};
use ferry::tui::{AppFolder, Engine, Mode};

use super::audit::AnchorArgs;
use super::backend::Backend;
use super::wizard::{UiArgs, wizard_folder};

/// How fast the sandbox answers: its calls' latency and how long a deployment takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Pace {
    /// Slow enough to talk over: three times the latency (at least 250 ms a call), twice the
    /// deployment polls.
    Slow,
    /// The scenario's own `[sandbox]` pace.
    Normal,
    /// As fast as it reads: no latency, a deployment in two polls.
    Fast,
}

/// The scenario given, or the one picked from the list; `None` when the picker was quit.
pub async fn choose(given: Option<String>) -> Result<Option<String>> {
    if given.is_some() {
        return Ok(given);
    }
    let entries = catalogue(trainer_folder().as_deref());
    ferry::tui::picker::pick_scenario(entries).await
}

/// The latency and deployment polls for `scenario` at `pace`; `--latency-ms` wins over the
/// pace's latency. Without a pace, only `--latency-ms` overrides the scenario.
pub fn pace(scenario: &str, pace: Option<Pace>, latency_ms: Option<u64>) -> Result<(Option<Duration>, Option<u32>)> {
    let given = latency_ms.map(Duration::from_millis);
    let Some(pace) = pace else { return Ok((given, None)) };
    let own = Scenario::load(scenario)?.sandbox;
    let (latency_ms, polls) = match pace {
        Pace::Slow => ((own.latency_ms * 3).max(250), own.deploy_polls.saturating_mul(2).max(6)),
        Pace::Normal => (own.latency_ms, own.deploy_polls),
        Pace::Fast => (0, own.deploy_polls.min(2)),
    };
    let max = ferry::cloud::sandbox::scenario::SandboxSection::MAX_LATENCY_MS;
    Ok((given.or(Some(Duration::from_millis(latency_ms.min(max)))), Some(polls)))
}

/// The source folder the scenario names in `[account] sample_app`, read as `--app` would be.
pub fn sample_app(scenario: &str) -> Result<Option<AppFolder>> {
    let loaded = Scenario::load(scenario)?;
    let Some(name) = loaded.account.sample_app.as_deref() else { return Ok(None) };
    let file = std::path::Path::new(scenario);
    let (path, files) = ferry::sample_apps::for_scenario(name, file.is_file().then_some(file))
        .wrap_err_with(|| format!("cannot read the sample app {name} that {scenario} names"))?;
    Ok(Some(AppFolder { path, files: std::sync::Arc::new(files), origin: "the scenario's sample app" }))
}

#[derive(Args)]
pub struct DemoArgs {
    /// A bundled scenario name or a scenario file (TOML); without it, a picker lists the
    /// bundled scenarios and the trainer's own (~/.config/ferry/scenarios/*.toml).
    #[arg(long, value_name = "NAME|FILE")]
    scenario: Option<String>,
    /// Make this step of each apply fail: a step number (1 = first) or an action type
    /// such as `create-express-service`, optionally `:after` (the change is made, then the
    /// call errors) or `:timeout` (the change is made and the call never answers).
    #[arg(long, value_name = "STEP[:KIND]")]
    fail_at: Option<FailAt>,
    #[arg(long, value_name = "MS", value_parser = super::latency_ms(), help = super::latency_help(", overriding the scenario's"))]
    latency_ms: Option<u64>,
    /// The application's source folder: its facts win over what user data suggests
    /// (choose or change it on the Container step with o).
    #[arg(long, value_name = "DIR")]
    app: Option<PathBuf>,
    /// Start from the scenario's account again, forgetting what earlier demos changed.
    #[arg(long)]
    reset: bool,
    /// The demo's pace: slow (for a class), normal (the scenario's), fast; --latency-ms wins
    /// over the pace's latency.
    #[arg(long, value_enum, value_name = "PACE")]
    pace: Option<Pace>,
    #[command(flatten)]
    ui: UiArgs,
}

/// `ferry demo`: the wizard on a sandbox account, on the scenario's application.
pub async fn open(anchor_args: &AnchorArgs, mut args: DemoArgs) -> Result<()> {
    // A bad folder is reported before the picker or the wizard takes the terminal over.
    let given = args.app.as_deref().map(wizard_folder).transpose()?;
    let Some(scenario) = choose(args.scenario.take()).await? else { return Ok(()) };
    let folder = match given {
        Some(folder) => Some(folder),
        None => sample_app(&scenario)?,
    };
    if args.reset
        && let Some(path) = ferry::state_dir::sandbox_account(&scenario)
    {
        match std::fs::remove_file(&path) {
            Err(error) if error.kind() != std::io::ErrorKind::NotFound => {
                return Err(error).wrap_err_with(|| format!("cannot reset {}", path.display()));
            }
            _ => {}
        }
    }
    let fault = args.fail_at.clone();
    let (latency, deploy_polls) = pace(&scenario, args.pace, args.latency_ms)?;
    let options = SandboxOptions { latency, deploy_polls, fail_at: args.fail_at, state_file: None };
    let backend = Backend::sandbox(&scenario, options)?;
    // The account starts again from its scenario: the runs of the old one are forgotten with
    // it, or the next start would offer to undo what no longer exists.
    if args.reset
        && let Some(dir) = ferry::state_dir::runs_dir()
    {
        ferry::apply::forget_runs(&dir, &backend.target())
            .wrap_err_with(|| format!("cannot forget the runs of {scenario} in {}", dir.display()))?;
    }
    // Only to refuse --audit-cloudwatch-group: a sandbox's runs stay in the local audit log.
    anchor_args.anchor(&backend)?;
    let Backend::Sandbox { sandbox, .. } = &backend else { unreachable!("a sandbox backend") };
    let instance = sandbox.app_instance().to_string();
    let label = backend.label().await;
    let mut operator = ferry::operate::Operator::in_state_dir(backend.write()?, backend.target());
    // A sandbox answers at once: a call that never does is given up on in seconds.
    operator.options = ferry::apply::ApplyOptions::sandbox(sandbox.latency());
    let engine = Engine::operated(backend.read(), operator);
    ferry::tui::run_wizard(engine, Mode::Sandbox, &label, Some(instance), folder, fault, args.ui.flags()).await
}
