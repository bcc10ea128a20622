//! What verify found: per path, both sides side by side; the service's state; the verdict.
//! Data only: each front end decides how it looks.

use serde::Serialize;

use super::stats::SideStats;
use super::target::Entry;
use crate::cloud::ServiceState;

/// The whole answer of one verify.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct VerifyReport {
    /// The run that made the service.
    pub run_id: String,
    /// The Express service's name.
    pub service_name: String,
    /// Its ARN.
    pub service_arn: String,
    /// The old entry; `None` when no load balancer sent the instance traffic.
    pub old: Option<Entry>,
    /// The Express endpoint.
    pub new: Entry,
    /// Requests per side and path.
    pub requests: u32,
    /// The health path first, then the paths the operator named.
    pub paths: Vec<PathReport>,
    /// The service as ECS reports it; `None` when it could not be read or is gone.
    pub service: Option<ServiceState>,
    /// Why the service's state is unknown, when it is.
    pub service_error: Option<String>,
    /// Ready to move traffic, or every reason not.
    pub verdict: Verdict,
    /// Where each host name sends clients now: a cutover's stage weights as Route 53 has them.
    pub traffic: Vec<super::traffic::HostTraffic>,
}

/// One path probed on both sides.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PathReport {
    /// The path, e.g. `/healthz`.
    pub path: String,
    /// Whether it is the service's health check path (else the operator named it).
    pub health: bool,
    /// The old side's figures; `None` without an old entry.
    pub old: Option<SideStats>,
    /// The new side's figures.
    pub new: SideStats,
    /// Whether both sides answered one same body; `None` when it cannot be told.
    pub bodies_match: Option<bool>,
}

/// Whether traffic may move, and why not.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Verdict {
    /// No blocker: ready to move traffic.
    pub ready: bool,
    /// What must be fixed before traffic moves, one sentence each.
    pub blockers: Vec<String>,
    /// What the operator should look at, but does not block.
    pub warnings: Vec<String>,
}

impl Verdict {
    /// `ready to move traffic`, or `not ready: N reasons`.
    pub fn headline(&self) -> String {
        match self.blockers.len() {
            _ if self.ready => "ready to move traffic".into(),
            1 => "not ready to move traffic: 1 reason".into(),
            n => format!("not ready to move traffic: {n} reasons"),
        }
    }
}
