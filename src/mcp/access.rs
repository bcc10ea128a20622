//! What a server holds decides what it can do. [`ReadOnly`] holds nothing that can change an
//! account: the read half of the cloud lives in the server's `Setup`, and this type has no
//! `Cloud` to call `execute` on, so `ferry mcp --read-only` cannot change anything whatever a
//! client sends, and its `tools/list` has no change tool. [`Full`] holds the `Operator` that
//! journals and audits every run, and the store of approvals a person gave.

use std::sync::Arc;

use futures::future::BoxFuture;
use rmcp::model::Tool;

use super::approvals_link::{Approvals, PlanStore};
use super::server::{Call, FerryServer};
use super::tools::{self, ToolResult};
use crate::operate::Operator;

/// What a server can do beyond reading: the change tools it lists and carries out.
pub trait Access: Send + Sync + Sized + 'static {
    /// The change tools this server lists; `open_world` is false on a sandbox account.
    fn change_tools(open_world: bool) -> Vec<Tool>;

    /// Carries out a change tool; `None` when `call` names none this server has.
    fn call_change<'a>(server: &'a FerryServer<Self>, call: &'a Call) -> BoxFuture<'a, Option<ToolResult>>;

    /// Whether the server can change nothing (for its instructions).
    fn read_only() -> bool;
}

/// Read tools only: built over `ReadCloud` alone.
#[derive(Debug, Clone, Copy, Default)]
pub struct ReadOnly;

impl Access for ReadOnly {
    fn change_tools(_open_world: bool) -> Vec<Tool> {
        Vec::new()
    }

    fn call_change<'a>(_server: &'a FerryServer<Self>, _call: &'a Call) -> BoxFuture<'a, Option<ToolResult>> {
        Box::pin(async { None })
    }

    fn read_only() -> bool {
        true
    }
}

/// Read and change tools: runs go through the `Operator` (journal, audit log, anchor), and
/// only after a person approved them.
pub struct Full {
    /// Applies and rolls back with a journal and an audit record for every change.
    pub operator: Operator,
    /// The single-use approvals people gave (`ferry approve`, or elicitation).
    pub approvals: Arc<Approvals>,
}

impl Full {
    /// Changes through `operator`, with the approvals kept in the state folder.
    pub fn new(operator: Operator) -> Option<Full> {
        Some(Full { operator, approvals: Arc::new(Approvals::in_state_dir()?) })
    }
}

impl Access for Full {
    fn change_tools(open_world: bool) -> Vec<Tool> {
        tools::catalogue::change_tools(open_world)
    }

    fn call_change<'a>(server: &'a FerryServer<Self>, call: &'a Call) -> BoxFuture<'a, Option<ToolResult>> {
        Box::pin(tools::changes::call(server, call))
    }

    fn read_only() -> bool {
        false
    }
}

/// Where plans made by `create_plan` are kept, for `show_plan`, `diff_plan` and `apply_plan`
/// and for `ferry approve` in a terminal.
pub fn plan_store() -> Option<PlanStore> {
    PlanStore::in_state_dir()
}
