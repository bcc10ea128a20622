//! Sending the probes: N requests per side and path, one after another on each side (so the
//! latencies are the server's, not a queue's), both sides at once.

use std::time::Duration;

use super::client::{Prober, Sample};
use super::stats::SideStats;
use super::target::{Entry, host_of};
use crate::cloud::ReadCloud;

/// Where one side's requests really go: its own URL, or the local server the sandbox routes
/// its host to; or why it cannot be reached at all.
#[derive(Debug, Clone)]
pub(super) struct Route {
    base_url: Result<String, String>,
    host: String,
}

impl Route {
    /// The route of `entry`, as the cloud says (a sandbox answers from local servers).
    pub(super) async fn of(cloud: &dyn ReadCloud, entry: &Entry) -> Route {
        // The sandbox routes by the host really connected to.
        let host = entry.connect_to.as_deref().unwrap_or(host_of(&entry.base_url));
        let base_url = match cloud.probe_route(host).await {
            Ok(Some(local)) => Ok(local),
            Ok(None) => Ok(entry.base_url.clone()),
            Err(error) => Err(format!("cannot be reached: {error}")),
        };
        Route { base_url, host: entry.host.clone() }
    }
}

/// `requests` GETs of `path` along `route`, summed up.
pub(super) async fn probe(prober: &Prober, route: &Route, path: &str, requests: u32) -> SideStats {
    let mut samples = Vec::with_capacity(requests as usize);
    for _ in 0..requests {
        let sample = match &route.base_url {
            Ok(base) => prober.get(&format!("{base}{path}"), &route.host).await,
            Err(reason) => Sample { latency: Duration::ZERO, result: Err(reason.clone()) },
        };
        samples.push(sample);
    }
    SideStats::of(&samples)
}
