//! An in-memory account loaded from a scenario file: the demo, training and test backend.
//!
//! It implements the same traits as the AWS backend, so every screen and the whole apply
//! path run on it unchanged. Calls take a simulated, deterministic latency, and a fault can
//! be injected at a chosen step (`--fail-at`).

mod build;
mod build_old_stack;
mod build_watchers;
pub mod catalogue;
mod cutover;
mod digest_key;
mod endpoints;
mod execute;
mod lookup;
mod metrics;
mod persist;
mod read;
pub mod scenario;
mod state;
mod weather;

pub use weather::THROTTLING_ABSORBED;

use std::path::PathBuf;
use std::str::FromStr;
use std::sync::Mutex;
use std::time::Duration;

pub use persist::PersistError;
pub use scenario::{BUNDLED, FaultsSection, Scenario, ScenarioError};
pub use state::AccountState;

use crate::model::AccountInfo;

/// Which calls of an apply get a fault.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FaultTarget {
    /// The N-th step of each apply (1-based).
    Step(usize),
    /// Every step whose action has this type, e.g. `create-express-service`.
    Action(String),
}

/// When the fault strikes, relative to the call's effect.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum FaultKind {
    /// The call fails before it changes anything.
    #[default]
    Before,
    /// The change is made, then the call answers with an error: the caller cannot tell.
    After,
    /// The change is made and the call never answers: the caller's timeout has to end it.
    Timeout,
}

impl FaultKind {
    const NAMES: [(&'static str, FaultKind); 3] =
        [("before", FaultKind::Before), ("after", FaultKind::After), ("timeout", FaultKind::Timeout)];
}

/// Where and how to inject a fault during apply: `3`, `3:after`, `create-role:timeout`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FailAt {
    /// Which steps fail: a step number or an action type.
    pub target: FaultTarget,
    /// When it strikes, relative to the change: the part after `:`, `before` when none is given.
    pub kind: FaultKind,
}

/// The cutover's actions a trainer can make fail by name, besides the migration's: the
/// weights, the gate, and a failed gate's return of the traffic.
const CUTOVER_TYPES: [&str; 7] = [
    "add-rule-host",
    "add-listener-certificate",
    "split-records",
    "set-weights",
    "health-gate",
    "return-weights",
    "finalize-records",
];

/// Every action type `--fail-at` can name.
pub(crate) fn faultable_types() -> impl Iterator<Item = &'static str> {
    crate::plan::Action::FORWARD_TYPES.into_iter().chain(CUTOVER_TYPES)
}

impl FailAt {
    /// A fault at the `n`-th step of each apply (1-based), as `--fail-at N:KIND` gives.
    pub fn step(n: usize, kind: FaultKind) -> FailAt {
        FailAt { target: FaultTarget::Step(n), kind }
    }
}

impl FromStr for FailAt {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let (where_, kind) = match text.rsplit_once(':') {
            Some((where_, kind)) => {
                let kind =
                    FaultKind::NAMES.iter().find(|(name, _)| *name == kind).map(|(_, k)| *k).ok_or_else(|| {
                        format!("{kind:?} is not a fault kind: use before (default), after or timeout")
                    })?;
                (where_, kind)
            }
            None => (text, FaultKind::Before),
        };
        let target = match where_.parse::<usize>() {
            Ok(0) => return Err("steps are numbered from 1".into()),
            Ok(n) => FaultTarget::Step(n),
            Err(_) if faultable_types().any(|t| t == where_) => FaultTarget::Action(where_.to_string()),
            Err(_) => {
                return Err(format!(
                    "{where_:?} is neither a step number nor one of the action types {}",
                    faultable_types().collect::<Vec<_>>().join(", ")
                ));
            }
        };
        Ok(FailAt { target, kind })
    }
}

impl std::fmt::Display for FailAt {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.target {
            FaultTarget::Step(n) => write!(f, "{n}")?,
            FaultTarget::Action(kind) => f.write_str(kind)?,
        }
        match self.kind {
            FaultKind::Before => Ok(()),
            FaultKind::After => f.write_str(":after"),
            FaultKind::Timeout => f.write_str(":timeout"),
        }
    }
}

/// How one session's sandbox behaves, beyond what its scenario says.
#[derive(Debug, Clone, Default)]
pub struct SandboxOptions {
    /// Overrides the scenario's `latency_ms`.
    pub latency: Option<Duration>,
    /// Overrides the scenario's `deploy_polls` (`ferry demo --pace`).
    pub deploy_polls: Option<u32>,
    /// The fault to inject during apply (`--fail-at`); `None` injects none.
    pub fail_at: Option<FailAt>,
    /// Keep the account in this file: loaded from it when it exists, written after every
    /// change, so separate processes (and a process killed mid-run) share one account.
    pub state_file: Option<PathBuf>,
}

impl SandboxOptions {
    /// No latency and no faults: what tests use.
    pub fn instant() -> Self {
        SandboxOptions { latency: Some(Duration::ZERO), deploy_polls: None, fail_at: None, state_file: None }
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
    /// Change calls so far, for the scenario's `throttle_every`.
    calls: u64,
    /// The action types whose one `fail_once` failure has struck.
    failed_once: std::collections::BTreeSet<String>,
}

/// A sandbox account: a scenario's resources in memory, read and changed through `ReadCloud`
/// and `Cloud` as a real account is.
pub struct Sandbox {
    account: AccountInfo,
    app_instance: String,
    description: String,
    latency: Duration,
    deploy_polls: u32,
    fail_at: Option<FailAt>,
    /// The scenario's own faults (`[faults]`).
    faults: scenario::FaultsSection,
    state_file: Option<PathBuf>,
    /// The scenario's user data by instance: the saved account holds it masked, and secrets
    /// are read from it.
    raw_user_data: std::collections::BTreeMap<String, String>,
    /// Held from this process's first change on: one writer per saved account at a time.
    writer_lock: Mutex<Option<std::fs::File>>,
    state: Mutex<AccountState>,
    counters: Mutex<Counters>,
    /// Keys the fingerprints of stored secrets: the state folder's key, or this process's own
    /// without a state folder. Read (or made) when the first secret is stored, so commands
    /// that only read the account write nothing into the state folder.
    digest_key: Mutex<Option<digest_key::DigestKey>>,
    /// What the load balancers report to health gates: the scenario's `[metrics]`.
    metrics: metrics::ScenarioMetrics,
    /// The local servers `verify` probes, started on its first probe.
    endpoints: endpoints::Endpoints,
}

impl Sandbox {
    /// The scenario's account, fresh; `options.state_file` is where changes will be kept.
    pub fn new(scenario: &Scenario, options: SandboxOptions) -> Sandbox {
        Sandbox {
            account: build::account_info(scenario),
            app_instance: scenario.account.app_instance.clone(),
            description: scenario.account.description.clone(),
            latency: options.latency.unwrap_or(Duration::from_millis(scenario.sandbox.latency_ms)),
            deploy_polls: options
                .deploy_polls
                .map_or(scenario.sandbox.deploy_polls, |p| p.min(scenario::SandboxSection::MAX_DEPLOY_POLLS)),
            fail_at: options.fail_at,
            faults: scenario.faults.clone(),
            state_file: options.state_file,
            writer_lock: Mutex::new(None),
            raw_user_data: scenario
                .instances
                .iter()
                .filter_map(|i| Some((i.id.clone(), i.user_data.clone()?)))
                .collect(),
            state: Mutex::new(AccountState::from_scenario(scenario)),
            counters: Mutex::new(Counters::default()),
            digest_key: Mutex::new(None),
            metrics: metrics::ScenarioMetrics::from_scenario(scenario),
            endpoints: endpoints::Endpoints::new(scenario.endpoints.clone()),
        }
    }

    /// Loads a bundled scenario by name or a scenario file by path.
    pub fn load(name_or_path: &str, options: SandboxOptions) -> Result<Sandbox, ScenarioError> {
        Ok(Sandbox::new(&Scenario::load(name_or_path)?, options))
    }

    /// The scenario's account as a previous process left it in `options.state_file`, or fresh
    /// when that file does not exist yet.
    pub fn resume(scenario: &Scenario, options: SandboxOptions) -> Result<Sandbox, PersistError> {
        let sandbox = Sandbox::new(scenario, options);
        if let Some(path) = &sandbox.state_file
            && let Some(saved) = persist::load(path)?
        {
            *sandbox.lock() = sandbox.with_scenario_user_data(saved.account);
            sandbox.counters.lock().unwrap_or_else(|p| p.into_inner()).next_id = saved.next_id;
        }
        Ok(sandbox)
    }

    /// The fingerprint this sandbox keeps of a stored secret's value: an HMAC under its digest
    /// key, never a plain digest. Every process sharing a state folder fingerprints a value
    /// alike; tests compare it with a stored secret's `value_hmac`.
    pub fn secret_digest(&self, value: &str) -> Result<String, PersistError> {
        let mut key = self.digest_key.lock().unwrap_or_else(|p| p.into_inner());
        let key = match *key {
            Some(key) => key,
            None => *key.insert(match &self.state_file {
                Some(path) => digest_key::load_or_create(&digest_key::folder_of(path))?,
                None => digest_key::process_key(),
            }),
        };
        Ok(crate::digest::keyed_sha256_hex(&key, value.as_bytes()))
    }

    /// A saved account with the scenario's user data back in place of the masked copy.
    fn with_scenario_user_data(&self, mut account: AccountState) -> AccountState {
        for instance in &mut account.instances {
            if let Some(raw) = self.raw_user_data.get(&instance.id) {
                instance.user_data = Some(raw.clone());
            }
        }
        account
    }

    /// The simulated latency of one call.
    pub fn latency(&self) -> Duration {
        self.latency
    }

    /// The instance the scenario is about.
    pub fn app_instance(&self) -> &str {
        &self.app_instance
    }

    /// The scenario's one line about what the account contains; empty when it gives none.
    pub fn description(&self) -> &str {
        &self.description
    }

    /// A copy of everything in the account, to compare before and after.
    pub fn snapshot(&self) -> AccountState {
        self.lock().clone()
    }

    /// Puts the account back to a snapshot: the same account behind another sandbox (with
    /// other faults), as a resumed run meets it.
    pub fn restore(&self, state: AccountState) {
        *self.lock() = state;
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
            // Saturating: a latency given in code (options) is not bounded as a scenario's is.
            tokio::time::sleep(self.latency.saturating_mul(calls)).await;
        }
    }
}
