//! The tools, one file per group: what they look at (`look`), plans (`plans`), runs and the
//! audit log (`records`), and changes (`changes`); `catalogue` lists them with their
//! descriptions, schemas and annotations.

pub mod catalogue;
pub mod changes;
mod look;
mod plans;
mod records;
mod traffic;
mod verify;

use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;

use super::access::Access;
use super::server::{Call, FerryServer};

/// What a tool answers: the structured result, or why not and what to do next.
pub type ToolResult = Result<Value, ToolError>;

/// How a call that did not succeed ended, for the model and the audit log.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorKind {
    /// The call could not be carried out (bad arguments, unreadable account...).
    Error,
    /// A change was not made because no person approved it, or a person declined.
    Refused,
}

impl ErrorKind {
    /// As the audit log's outcome starts.
    pub fn label(self) -> &'static str {
        match self {
            ErrorKind::Error => "error",
            ErrorKind::Refused => "refused",
        }
    }
}

/// A tool error: what went wrong, and what the model should do next.
#[derive(Debug, Clone)]
pub struct ToolError {
    /// Error or refusal.
    pub kind: ErrorKind,
    /// What went wrong, in a sentence.
    pub message: String,
    /// What to do about it.
    pub next: String,
}

impl ToolError {
    /// An error with the step that gets past it.
    pub fn new(message: impl Into<String>, next: impl Into<String>) -> ToolError {
        ToolError { kind: ErrorKind::Error, message: message.into(), next: next.into() }
    }

    /// A change refused for want of a person's approval.
    pub fn refused(message: impl Into<String>, next: impl Into<String>) -> ToolError {
        ToolError { kind: ErrorKind::Refused, message: message.into(), next: next.into() }
    }

    /// A tool this server does not have.
    pub fn unknown_tool(name: &str, read_only: bool) -> ToolError {
        let why = if read_only { " (this server is read-only: it has no change tools)" } else { "" };
        ToolError::new(format!("there is no tool {name}{why}"), "call tools/list for the tools there are")
    }

    /// The text the model reads.
    pub fn text(&self) -> String {
        format!("{}\nnext: {}", self.message, self.next)
    }
}

/// The arguments as `T`, or an error naming what is wrong with them.
pub fn parse<T: DeserializeOwned>(call: &Call) -> Result<T, ToolError> {
    serde_json::from_value(call.args.clone()).map_err(|e| {
        ToolError::new(
            format!("the arguments of {} do not fit its input schema: {e}", call.name),
            "fix them and call again",
        )
    })
}

/// `output` as the structured result.
pub fn answer<T: Serialize>(output: &T) -> ToolResult {
    serde_json::to_value(output)
        .map_err(|e| ToolError::new(format!("the result could not be written: {e}"), "report this"))
}

/// Runs a read tool; `None` when `call` names none.
pub async fn call_read<A: Access>(server: &FerryServer<A>, call: &Call) -> Option<ToolResult> {
    if !catalogue::READ_TOOLS.contains(&call.name.as_str()) {
        return None;
    }
    Some(run_read(server, call).await)
}

async fn run_read<A: Access>(server: &FerryServer<A>, call: &Call) -> ToolResult {
    match call.name.as_str() {
        "list_instances" => look::list_instances(server, parse(call)?).await,
        "discover_instance" => look::discover_instance(server, parse(call)?).await,
        "analyze_app" => look::analyze_app(parse(call)?),
        "generate_artifacts" => look::generate_artifacts(server, parse(call)?).await,
        "inventory" => look::inventory(server, parse(call)?).await,
        "create_plan" => plans::create_plan(server, parse(call)?).await,
        "show_plan" => plans::show_plan(parse(call)?),
        "diff_plan" => plans::diff_plan(server, parse(call)?).await,
        "list_runs" => records::list_runs(server),
        "run_status" => records::run_status(server, call, parse(call)?).await,
        "verify" => verify::verify(server, parse(call)?).await,
        "create_cutover_plan" => traffic::create_cutover_plan(server, parse(call)?).await,
        "decommission_checklist" => traffic::decommission_checklist(server, parse(call)?).await,
        "audit_log" => records::audit_log(server, parse(call)?),
        other => Err(ToolError::unknown_tool(other, false)),
    }
}
