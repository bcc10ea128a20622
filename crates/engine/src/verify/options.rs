//! How hard verify probes: how many requests, which paths, how long it waits.

use std::time::Duration;

/// What the operator asked verify to probe, and its bounds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProbeOptions {
    /// Requests per side and path.
    pub requests: u32,
    /// Paths to probe besides the health path, each starting with `/`.
    pub paths: Vec<String>,
    /// The longest a connection may take to open.
    pub connect_timeout: Duration,
    /// The longest one request may take, from sending it to the last byte of the body.
    pub request_timeout: Duration,
    /// Probe the old load balancer as this name (`--host`): requests for it go to the load
    /// balancer's addresses, TLS checking the name. `None`: the Route 53 hostname when one is
    /// known, else the load balancer's own DNS name.
    pub old_host: Option<String>,
}

/// The default number of requests per side and path.
pub const DEFAULT_REQUESTS: u32 = 10;
/// The most requests per side and path: verify is a check, not a load test.
pub const MAX_REQUESTS: u32 = 1_000;

impl Default for ProbeOptions {
    fn default() -> Self {
        ProbeOptions {
            requests: DEFAULT_REQUESTS,
            paths: Vec::new(),
            connect_timeout: Duration::from_secs(3),
            request_timeout: Duration::from_secs(10),
            old_host: None,
        }
    }
}

impl ProbeOptions {
    /// Refuses what cannot be probed: no requests, too many, a path that is no path.
    pub fn check(&self) -> Result<(), String> {
        if self.requests == 0 || self.requests > MAX_REQUESTS {
            return Err(format!("requests: give 1 to {MAX_REQUESTS} per side and path, not {}", self.requests));
        }
        for path in &self.paths {
            check_path(path)?;
        }
        Ok(())
    }
}

/// A path is `/` followed by printable characters, no spaces, no fragment.
pub fn check_path(path: &str) -> Result<(), String> {
    let printable = path.chars().all(|c| c.is_ascii_graphic());
    if !path.starts_with('/') || !printable || path.contains('#') {
        return Err(format!(
            "{:?} is not a path: start it with / and use no spaces or #",
            crate::text::escape_controls(path)
        ));
    }
    Ok(())
}
