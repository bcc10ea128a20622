//! An in-memory account loaded from a scenario file: the demo, training and test backend.
//!
//! It implements the same traits as the AWS backend, so every screen and the whole apply
//! path run on it unchanged. Calls take a simulated, deterministic latency, and a fault can
//! be injected at a chosen step (`--fail-at`).

mod build;
mod execute;
mod read;
pub mod scenario;
mod state;

use std::str::FromStr;
use std::sync::Mutex;
use std::time::Duration;

pub use scenario::{BUNDLED, Scenario, ScenarioError};
pub use state::AccountState;

use crate::model::AccountInfo;

/// Where to inject a fault during apply.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FailAt {
    /// The N-th step of each apply (1-based).
    Step(usize),
    /// Every step whose action has this type, e.g. `create-express-service`.
    Action(String),
}

impl FromStr for FailAt {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        match text.parse::<usize>() {
            Ok(0) => Err("steps are numbered from 1".into()),
            Ok(n) => Ok(FailAt::Step(n)),
            Err(_) if crate::plan::Action::FORWARD_TYPES.contains(&text) => Ok(FailAt::Action(text.to_string())),
            Err(_) => Err(format!(
                "{text:?} is neither a step number nor one of the action types {}",
                crate::plan::Action::FORWARD_TYPES.join(", ")
            )),
        }
    }
}

impl std::fmt::Display for FailAt {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            FailAt::Step(n) => write!(f, "{n}"),
            FailAt::Action(kind) => f.write_str(kind),
        }
    }
}

#[derive(Debug, Clone, Default)]
pub struct SandboxOptions {
    /// Overrides the scenario's `latency_ms`.
    pub latency: Option<Duration>,
    pub fail_at: Option<FailAt>,
}

impl SandboxOptions {
    /// No latency and no faults: what tests use.
    pub fn instant() -> Self {
        SandboxOptions { latency: Some(Duration::ZERO), fail_at: None }
    }
}

/// Counters that make generated ids unique; not part of the account's contents.
#[derive(Debug, Default)]
struct Counters {
    next_id: u64,
    /// The run the last forward action belonged to, from its `ferry:run-id` tag.
    run_id: Option<String>,
    /// Forward (non-undo) actions of that run so far: the current apply's step number.
    forward_steps: usize,
}

pub struct Sandbox {
    account: AccountInfo,
    app_instance: String,
    description: String,
    latency: Duration,
    deploy_polls: u32,
    fail_at: Option<FailAt>,
    state: Mutex<AccountState>,
    counters: Mutex<Counters>,
}

impl Sandbox {
    pub fn new(scenario: &Scenario, options: SandboxOptions) -> Sandbox {
        Sandbox {
            account: build::account_info(scenario),
            app_instance: scenario.account.app_instance.clone(),
            description: scenario.account.description.clone(),
            latency: options.latency.unwrap_or(Duration::from_millis(scenario.sandbox.latency_ms)),
            deploy_polls: scenario.sandbox.deploy_polls,
            fail_at: options.fail_at,
            state: Mutex::new(AccountState::from_scenario(scenario)),
            counters: Mutex::new(Counters::default()),
        }
    }

    /// Loads a bundled scenario by name or a scenario file by path.
    pub fn load(name_or_path: &str, options: SandboxOptions) -> Result<Sandbox, ScenarioError> {
        Ok(Sandbox::new(&Scenario::load(name_or_path)?, options))
    }

    /// The instance the scenario is about.
    pub fn app_instance(&self) -> &str {
        &self.app_instance
    }

    pub fn description(&self) -> &str {
        &self.description
    }

    /// A copy of everything in the account, to compare before and after.
    pub fn snapshot(&self) -> AccountState {
        self.lock().clone()
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, AccountState> {
        // A panic while holding the lock leaves consistent data (every change is one
        // assignment), so a poisoned lock is still safe to use.
        self.state.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    fn next_id(&self) -> u64 {
        let mut counters = self.counters.lock().unwrap_or_else(|p| p.into_inner());
        counters.next_id += 1;
        counters.next_id
    }

    async fn pause(&self, calls: u32) {
        if !self.latency.is_zero() {
            tokio::time::sleep(self.latency * calls).await;
        }
    }
}
