//! `ferry demo`'s choices before the wizard opens: which scenario (the picker, when
//! `--scenario` is not given), its sample app, and the pace.

use std::time::Duration;

use color_eyre::eyre::{Result, WrapErr};

use ferry::cloud::sandbox::Scenario;
use ferry::cloud::sandbox::catalogue::{catalogue, trainer_folder};
use ferry::tui::AppFolder;

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
