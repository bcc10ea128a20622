//! `verify`: probe an applied run's old entry and new Express endpoint side by side, read the
//! service's state, and say whether traffic may move. Reads only: GET requests and describes.

use std::time::Duration;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::changes::journal_path;
use super::{ToolError, ToolResult, answer};
use crate::apply::load_run;
use crate::mcp::access::Access;
use crate::mcp::server::FerryServer;
use ferry_engine::verify::{DEFAULT_REQUESTS, MAX_REQUESTS, ProbeOptions, VerifyError, check_path, verify_run};

/// The most requests per side and path through the assistant interface: a check, not a test.
const MAX_TOOL_REQUESTS: u32 = 50;

/// `verify`'s arguments.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct VerifyInput {
    /// The applied run whose service to verify (`list_runs` lists them).
    pub run_id: String,
    /// Paths to probe besides the health check path, each starting with `/`, e.g. `/api/products`.
    #[serde(default)]
    pub paths: Vec<String>,
    /// Requests per side and path (10 by default, at most 50).
    #[serde(default)]
    #[schemars(range(min = 1, max = 50))]
    pub requests: Option<u32>,
    /// Probe the old load balancer as this name (the name the app expects): requests for it go
    /// to the load balancer's addresses. By default the app's Route 53 hostname.
    #[serde(default)]
    pub host: Option<String>,
}

/// `verify`'s answer.
#[derive(Debug, Serialize, JsonSchema)]
pub struct VerifyOutput {
    /// Whether traffic may move to the new service.
    pub ready: bool,
    /// `ready to move traffic`, or `not ready to move traffic: N reasons`.
    pub headline: String,
    /// What must be fixed before traffic moves, one sentence each.
    pub blockers: Vec<String>,
    /// What to look at, which does not block.
    pub warnings: Vec<String>,
    /// Every figure: per path, each side's status counts, p50/p95 latency (ms), body size and
    /// sha256, whether the bodies match; the service's status, tasks and deployment.
    pub report: Value,
}

/// `verify`.
pub async fn verify<A: Access>(server: &FerryServer<A>, input: VerifyInput) -> ToolResult {
    let options = options(&input)?;
    let path = journal_path(server, &input.run_id)?;
    let run = load_run(&path).map_err(|e| {
        ToolError::new(format!("run {} could not be read: {e}", input.run_id), "call list_runs for the runs there are")
    })?;
    let cloud = server.setup.read.as_ref();
    let account = cloud.account().await.map_err(|e| {
        ToolError::new(format!("the account could not be read: {e}"), "check the credentials, region and permissions")
    })?;
    if account.account_id != run.plan.account_id || account.region != run.plan.region {
        return Err(ToolError::new(
            format!(
                "run {} was applied to account {} in {}; this server reaches account {} in {}",
                run.run_id, run.plan.account_id, run.plan.region, account.account_id, account.region
            ),
            "start ferry mcp on the run's account (--profile/--region) and call again",
        ));
    }
    let report = verify_run(cloud, &run, &options).await.map_err(|e| match e {
        VerifyError::Run(message) => ToolError::new(message, "verify a run whose status is applied (list_runs)"),
        other => ToolError::new(other.to_string(), "check the account can be read and call again"),
    })?;
    answer(&VerifyOutput {
        ready: report.verdict.ready,
        headline: report.verdict.headline(),
        blockers: report.verdict.blockers.clone(),
        warnings: report.verdict.warnings.clone(),
        report: serde_json::to_value(&report).unwrap_or(Value::Null),
    })
}

fn options(input: &VerifyInput) -> Result<ProbeOptions, ToolError> {
    let requests = input.requests.unwrap_or(DEFAULT_REQUESTS);
    if requests == 0 || requests > MAX_TOOL_REQUESTS.min(MAX_REQUESTS) {
        return Err(ToolError::new(
            format!("requests: {requests} is not 1 to {MAX_TOOL_REQUESTS}"),
            "fix it and call again",
        ));
    }
    for path in &input.paths {
        check_path(path).map_err(|e| ToolError::new(e, "give paths that start with /"))?;
    }
    Ok(ProbeOptions {
        requests,
        paths: input.paths.clone(),
        connect_timeout: Duration::from_secs(3),
        request_timeout: Duration::from_secs(10),
        old_host: input.host.clone(),
    })
}
