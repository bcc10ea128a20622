//! Verify, after a run is applied: probe the old entry and the new Express endpoint over
//! HTTP(S), read the service's state, and say whether traffic may move, or every reason not.
//!
//! On a sandbox the probes go over real HTTP to local servers the sandbox starts for each
//! side (`ReadCloud::probe_route`), answering as its scenario says.

mod client;
mod options;
mod probe;
mod report;
mod resolve;
mod stats;
mod target;
mod traffic;
mod verdict;

use std::path::Path;

use thiserror::Error;

pub use client::{Answer, Prober, Sample};
pub use options::{DEFAULT_REQUESTS, MAX_REQUESTS, ProbeOptions, check_path};
pub use report::{PathReport, Verdict, VerifyReport};
pub use resolve::Resolver;
pub use stats::{SideStats, bodies_match};
pub use target::{Entry, VerifyTarget, host_of, new_entry, old_entry};
pub use traffic::{HostTraffic, TrafficName};
pub use verdict::judge;

use crate::apply::{RunState, list_runs};
use crate::cloud::ReadCloud;

/// Why verify could not start.
#[derive(Debug, Error)]
pub enum VerifyError {
    /// The options ask for what cannot be probed.
    #[error("{0}")]
    Options(String),
    /// The run cannot be verified (unknown, not applied, no service).
    #[error("{0}")]
    Run(String),
    /// The instance could not be discovered again, so the old entry is unknown.
    #[error("{0}")]
    Discover(#[from] crate::discover::DiscoverError),
}

/// The run `run_id` in `dir`, read without taking its lock: verify changes nothing.
pub fn find_run(dir: &Path, run_id: &str) -> Result<RunState, VerifyError> {
    let found = list_runs(dir).into_iter().filter_map(Result::ok).find(|run| run.run_id == run_id);
    found.ok_or_else(|| {
        VerifyError::Run(format!(
            "no run {} in {} (`ferry runs` lists them)",
            crate::text::escape_controls(run_id),
            dir.display()
        ))
    })
}

/// Verifies an applied run: discovers its instance again for the old entry (its hostnames and
/// load balancer), then probes both sides.
pub async fn verify_run(
    cloud: &dyn ReadCloud,
    run: &RunState,
    options: &ProbeOptions,
) -> Result<VerifyReport, VerifyError> {
    options.check().map_err(VerifyError::Options)?;
    let graph = crate::discover::discover(cloud, &run.plan.source_instance_id).await?;
    let target = VerifyTarget::of_run(run, &graph, options.old_host.as_deref()).map_err(VerifyError::Run)?;
    Ok(verify(cloud, &target, options).await)
}

/// Probes both sides of `target` on the health path and the options' paths, reads the
/// service's state, and judges. Never fails: what cannot be reached is a reason in the verdict.
pub async fn verify(cloud: &dyn ReadCloud, target: &VerifyTarget, options: &ProbeOptions) -> VerifyReport {
    let instead =
        target.old.iter().filter_map(|old| Some((host_of(&old.base_url).to_string(), old.connect_to.clone()?)));
    let prober = Prober::new(options.connect_timeout, options.request_timeout, Resolver::new(instead.collect()));
    let new_route = probe::Route::of(cloud, &target.new).await;
    let old_route = match &target.old {
        Some(old) => Some(probe::Route::of(cloud, old).await),
        None => None,
    };
    let probes = async {
        let mut paths = Vec::new();
        for (path, health) in paths_of(target, options) {
            let (new, old) = tokio::join!(probe::probe(&prober, &new_route, &path, options.requests), async {
                match &old_route {
                    Some(route) => Some(probe::probe(&prober, route, &path, options.requests).await),
                    None => None,
                }
            });
            let matched = old.as_ref().and_then(|old| bodies_match(old, &new));
            paths.push(PathReport { path, health, old, new, bodies_match: matched });
        }
        paths
    };
    let (paths, state, traffic) =
        tokio::join!(probes, cloud.express_service_state(&target.service_arn), traffic::read(cloud, &target.names));
    let (service, service_error) = match state {
        Ok(service) => (service, None),
        Err(error) => (None, Some(error.to_string())),
    };
    let verdict = judge(&paths, service.as_ref(), service_error.as_deref());
    VerifyReport {
        run_id: target.run_id.clone(),
        service_name: target.service_name.clone(),
        service_arn: target.service_arn.clone(),
        old: target.old.clone(),
        new: target.new.clone(),
        requests: options.requests,
        paths,
        service,
        service_error,
        verdict,
        traffic,
    }
}

/// The health path, then each path the operator named, each once.
fn paths_of(target: &VerifyTarget, options: &ProbeOptions) -> Vec<(String, bool)> {
    let mut paths = vec![(target.health_path.clone(), true)];
    for path in &options.paths {
        if !paths.iter().any(|(p, _)| p == path) {
            paths.push((path.clone(), false));
        }
    }
    paths
}
