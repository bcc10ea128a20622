//! Moving traffic and retiring the old stack through the assistant interface: the cutover and
//! finalize plans (saved like any plan, applied only through `apply_plan`, which a person
//! approves) and the old stack's checklist, which changes nothing.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::changes::journal_path;
use super::plans::{plan_view, save};
use super::{ToolError, ToolResult, answer};
use crate::apply::{RunState, list_runs, load_run};
use crate::cutover::{CutoverOptions, Stages, plan_cutover_now, plan_finalize};
use crate::decommission::{OldStack, OldStackError, confirmations, old_stack};
use crate::gate::Window;
use crate::mcp::access::Access;
use crate::mcp::server::FerryServer;

/// `create_cutover_plan`'s arguments.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CutoverPlanInput {
    /// The applied migration run whose service takes the traffic; for `finalize`, the applied cutover run.
    pub run_id: String,
    /// Host names to move; every name found pointing at the old load balancer when empty.
    #[serde(default)]
    pub hostnames: Vec<String>,
    /// The new service's share of traffic at each stage, in percent, rising to 100 (default 10, 50, 100).
    #[serde(default)]
    pub stages: Vec<u8>,
    /// Minutes each stage bakes once resolvers have seen it (default 15).
    #[serde(default)]
    pub bake_minutes: Option<u32>,
    /// Minutes of load balancer figures each stage's health gate reads (default 5, at most 1440).
    #[serde(default)]
    pub gate_window_minutes: Option<u32>,
    /// The highest 5xx rate the new load balancer may show at a gate, in percent (default 1).
    #[serde(default)]
    pub max_5xx_percent: Option<f64>,
    /// The slowest p95 target response time the new side may show at a gate, in seconds (default 1.5).
    #[serde(default)]
    pub max_p95_seconds: Option<f64>,
    /// Requests the new side must have served in the window before a gate judges (default 50).
    #[serde(default)]
    pub min_requests: Option<u64>,
    /// Make the finalize plan of an applied cutover run instead: one plain record per host name.
    #[serde(default)]
    pub finalize: bool,
}

/// `decommission_checklist`'s arguments.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ChecklistInput {
    /// The migration run whose old stack to list (`list_runs` lists it).
    pub run_id: String,
}

/// `decommission_checklist`'s answer.
#[derive(Debug, Serialize, JsonSchema)]
pub struct ChecklistOutput {
    /// Each item: id, what it is, monthly cost, the command that removes it, a note, and
    /// whether a person confirmed removing it.
    pub items: Vec<Value>,
    /// What the items not yet removed cost a month, in USD.
    pub monthly_left: f64,
    /// The date of the prices.
    pub prices_as_of: String,
    /// Parts of the old stack discovery could not read (what, why, the permission it needs):
    /// the list may miss them.
    pub unseen: Vec<Value>,
}

fn run(server: &FerryServer<impl Access>, run_id: &str) -> Result<RunState, ToolError> {
    load_run(&journal_path(server, run_id)?).map_err(|e| {
        ToolError::new(format!("run {run_id} could not be read: {e}"), "call list_runs for the runs there are")
    })
}

/// `create_cutover_plan`: the plan is saved; nothing changes until a person approves it.
pub async fn create_cutover_plan<A: Access>(server: &FerryServer<A>, input: CutoverPlanInput) -> ToolResult {
    let run = run(server, &input.run_id)?;
    let next = "check the run with run_status; a cutover needs an applied migration, finalize an applied cutover";
    let plan = if input.finalize {
        plan_finalize(&run).map_err(|e| ToolError::new(e.to_string(), next))?
    } else {
        let mut options = CutoverOptions { hostnames: input.hostnames.clone(), ..Default::default() };
        if !input.stages.is_empty() {
            let text: Vec<String> = input.stages.iter().map(u8::to_string).collect();
            options.stages = Stages::parse(&text.join(","))
                .map_err(|e| ToolError::new(format!("stages: {e}"), "give rising percentages ending at 100"))?;
        }
        if let Some(minutes) = input.bake_minutes {
            options.bake_secs = u64::from(minutes) * 60;
        }
        gate_options(&input, &mut options)?;
        let cloud = server.setup.read.as_ref();
        plan_cutover_now(cloud, &run, &options).await.map_err(|e| ToolError::new(e.to_string(), next))?
    };
    let id = save(&plan)?;
    answer(&plan_view(&plan, &id))
}

/// The health gate's window and limits the assistant asked for, over the defaults; limits that
/// cannot be judged against are refused before any plan is made.
fn gate_options(input: &CutoverPlanInput, options: &mut CutoverOptions) -> Result<(), ToolError> {
    if let Some(minutes) = input.gate_window_minutes {
        options.window = Window::minutes(minutes);
    }
    let t = &mut options.thresholds;
    t.max_5xx_percent = input.max_5xx_percent.unwrap_or(t.max_5xx_percent);
    t.max_p95_seconds = input.max_p95_seconds.unwrap_or(t.max_p95_seconds);
    t.min_requests = input.min_requests.unwrap_or(t.min_requests);
    options.window.validate().and_then(|()| options.thresholds.validate()).map_err(|problem| {
        ToolError::new(format!("the health gate: {problem}"), "give limits that are numbers of 0 or more")
    })
}

/// `decommission_checklist`: refused until the cutover is finalized; lists, never deletes.
pub async fn decommission_checklist<A: Access>(server: &FerryServer<A>, input: ChecklistInput) -> ToolResult {
    let migration = run(server, &input.run_id)?;
    let dir = server.setup.runs_dir.as_ref().ok_or_else(|| {
        ToolError::new("this system has no state folder for runs", "set FERRY_STATE_DIR where ferry mcp runs")
    })?;
    let runs: Vec<RunState> = list_runs(dir).into_iter().filter_map(Result::ok).collect();
    let book = ferry_engine::cost::PriceBook::load(None)
        .map_err(|e| ToolError::new(e.to_string(), "fix the price book FERRY_PRICES names"))?;
    let cloud = server.setup.read.as_ref();
    let OldStack { items, unseen } =
        old_stack(cloud, &migration, &runs, book.region(&migration.plan.region)).await.map_err(|e| match e {
            OldStackError::NotFinalized(_) => ToolError::new(
                e.to_string(),
                "create_cutover_plan, apply it, then create_cutover_plan with finalize, and apply that",
            ),
            OldStackError::Discovery(_) => {
                ToolError::new(e.to_string(), "check the account can be read and call again")
            }
        })?;
    let confirmed = confirmations(dir, &input.run_id).unwrap_or_default();
    let done = |id: &str| confirmed.iter().find(|c| c.item == id);
    let left: u64 = items.iter().filter(|i| done(&i.id).is_none()).filter_map(|i| i.monthly).map(|m| m.cents()).sum();
    let listed = items
        .iter()
        .map(|i| serde_json::json!({ "item": i, "done": done(&i.id).is_some(), "confirmed": done(&i.id) }))
        .collect();
    let unseen = unseen.iter().map(|gap| serde_json::to_value(gap).unwrap_or_default()).collect();
    answer(&ChecklistOutput { items: listed, monthly_left: left as f64 / 100.0, prices_as_of: book.as_of, unseen })
}
