//! The MCP server: the handshake, `tools/list` and `tools/call`. Every call, read or change,
//! goes through one place here so that each one becomes an audit record with the client's
//! name and version, the tool, its arguments (masked) and the outcome.

use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::Instant;

use rmcp::model::{
    CallToolRequestParams, CallToolResponse, CallToolResult, ContentBlock, Implementation, InputRequiredResult,
    ListToolsResult, PaginatedRequestParams, ServerCapabilities, ServerConfig, Tool,
};
use rmcp::service::RequestContext;
use rmcp::{ErrorData, RoleServer, ServerHandler};
use serde_json::Value;

use super::access::Access;
use super::audit::{CallRecord, ClientLabel, McpAudit};
use super::claims::Claims;
use super::live::LiveRuns;
use super::mrtr::{Retry, Rounds};
use super::tools::{self, ToolError};
use crate::cloud::ReadCloud;

/// What every session of a server shares: the account to read and where state is kept.
pub struct Setup {
    /// The account, read half: every read tool uses only this.
    pub read: Arc<dyn ReadCloud>,
    /// The sandbox scenario when the account is one (tools then say `openWorldHint: false`).
    pub sandbox: Option<String>,
    /// The instance tools use when none is named: the sandbox's application instance.
    pub default_instance: Option<String>,
    /// The audit log every call is recorded in; `None` only on a system without a state folder.
    pub audit_log: Option<PathBuf>,
    /// The run journals.
    pub runs_dir: Option<PathBuf>,
    /// Whether a person may approve through the client's form (elicitation); when false,
    /// only `ferry approve` in a terminal approves (the client is not trusted to show forms to
    /// a person rather than answer them itself).
    pub ask_in_client: bool,
}

impl Setup {
    /// The state folder's audit log and runs, as every front end uses them.
    pub fn in_state_dir(read: Arc<dyn ReadCloud>, sandbox: Option<String>, default_instance: Option<String>) -> Setup {
        Setup {
            read,
            sandbox,
            default_instance,
            audit_log: crate::state_dir::audit_log(),
            runs_dir: crate::state_dir::runs_dir(),
            ask_in_client: true,
        }
    }
}

/// One `tools/call` as the tools see it.
pub struct Call {
    /// The tool's name.
    pub name: String,
    /// Its arguments, as sent.
    pub args: Value,
    /// The request: the client (peer), its progress token, its cancellation.
    pub ctx: RequestContext<RoleServer>,
    /// The person's answer and the sealed state, when a stateless client calls again after an
    /// input-required result.
    pub retry: Option<Retry>,
    /// The input-required result the call ends with, when the gate asks a stateless client:
    /// the tool's answer is then this rather than its error.
    asked: Mutex<Option<InputRequiredResult>>,
}

impl Call {
    /// Ends the call with `result` instead of its tool answer.
    pub fn ask(&self, result: InputRequiredResult) {
        *self.asked.lock().unwrap_or_else(|e| e.into_inner()) = Some(result);
    }

    fn asked(&self) -> Option<InputRequiredResult> {
        self.asked.lock().unwrap_or_else(|e| e.into_inner()).take()
    }
}

/// ferry's MCP server, able to do what `A` holds.
pub struct FerryServer<A: Access> {
    pub(crate) setup: Arc<Setup>,
    pub(crate) access: Arc<A>,
    pub(crate) live: Arc<LiveRuns>,
    pub(crate) audit: Arc<McpAudit>,
    /// The subjects change calls are asking about or starting runs for: one call each.
    pub(crate) claims: Arc<Claims>,
    /// The seal of stateless clients' request states, and the ones redeemed.
    pub(crate) rounds: Arc<Rounds>,
    tools: Arc<Vec<Tool>>,
}

impl<A: Access> Clone for FerryServer<A> {
    fn clone(&self) -> Self {
        FerryServer {
            setup: self.setup.clone(),
            access: self.access.clone(),
            live: self.live.clone(),
            audit: self.audit.clone(),
            claims: self.claims.clone(),
            rounds: self.rounds.clone(),
            tools: self.tools.clone(),
        }
    }
}

impl<A: Access> FerryServer<A> {
    /// A server over `setup` that can do what `access` holds. The tool list is built once:
    /// `tools/list` answers from it.
    pub fn new(setup: Setup, access: A) -> FerryServer<A> {
        let open_world = setup.sandbox.is_none();
        let mut tools = tools::catalogue::read_tools(open_world);
        tools.extend(A::change_tools(open_world));
        let audit = McpAudit::new(setup.audit_log.clone(), setup.read.clone());
        FerryServer {
            setup: Arc::new(setup),
            access: Arc::new(access),
            live: Arc::new(LiveRuns::default()),
            audit: Arc::new(audit),
            claims: Arc::new(Claims::default()),
            rounds: Arc::new(Rounds::default()),
            tools: Arc::new(tools),
        }
    }

    /// Every tool this server lists.
    pub fn tools(&self) -> &[Tool] {
        &self.tools
    }

    /// Runs the tool `call` names: a read tool, else a change tool `A` has.
    async fn dispatch(&self, call: &Call) -> Option<Result<Value, ToolError>> {
        if let Some(result) = tools::call_read(self, call).await {
            return Some(result);
        }
        A::call_change(self, call).await
    }
}

impl<A: Access> ServerHandler for FerryServer<A> {
    fn get_info(&self) -> ServerConfig {
        let capabilities = ServerCapabilities::builder().enable_tools().build();
        let mut server = Implementation::new("ferry", env!("CARGO_PKG_VERSION"));
        server.title = Some("ferry: EC2 to ECS Express Mode, plan-approved".into());
        ServerConfig::new(capabilities)
            .with_server_info(server)
            .with_instructions(super::instructions::text(A::read_only(), self.setup.sandbox.as_deref()))
    }

    async fn list_tools(
        &self,
        _request: Option<PaginatedRequestParams>,
        _context: RequestContext<RoleServer>,
    ) -> Result<ListToolsResult, ErrorData> {
        Ok(ListToolsResult::with_all_items(self.tools.to_vec()))
    }

    fn get_tool(&self, name: &str) -> Option<Tool> {
        self.tools.iter().find(|tool| tool.name == name).cloned()
    }

    async fn call_tool(
        &self,
        request: CallToolRequestParams,
        context: RequestContext<RoleServer>,
    ) -> Result<CallToolResponse, ErrorData> {
        let started = Instant::now();
        let client = ClientLabel::of(&context);
        let args = Value::Object(request.arguments.unwrap_or_default());
        let retry =
            request.request_state.map(|state| Retry { state, responses: request.input_responses.unwrap_or_default() });
        let call = Call { name: request.name.to_string(), args, ctx: context, retry, asked: Mutex::new(None) };
        let outcome = self.dispatch(&call).await;
        let record = CallRecord { client: &client, tool: &call.name, arguments: &call.args, started };
        let Some(result) = outcome else {
            let error = ToolError::unknown_tool(&call.name, A::read_only());
            let _ = self.audit.record(&record, &Err(error.clone())).await;
            return Err(ErrorData::invalid_params(error.text(), None));
        };
        let asked = call.asked();
        let result = match self.audit.record(&record, &result).await {
            // The audit has the call as refused ("input required"); the client is sent the
            // form and the sealed state to come back with. A call that could not be recorded
            // asks nothing.
            Ok(()) => match asked {
                Some(asked) => return Ok(asked.into()),
                None => result,
            },
            Err(problem) => Err(ToolError::new(
                format!("the audit log could not record this call ({problem})"),
                "fix the state folder (ferry audit verify), then call again",
            )),
        };
        Ok(match result {
            Ok(value) => CallToolResult::structured(value),
            Err(error) => CallToolResult::error(vec![ContentBlock::text(error.text())]),
        }
        .into())
    }
}
