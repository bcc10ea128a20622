//! Every tool call as a record in the engine's hash-chained audit log: the client's name and
//! version from the handshake, the tool, its arguments and the outcome. The log masks secrets
//! in parameters and outcomes as it writes them (the same masking as user data), so an
//! argument holding a password never reaches the file.
//!
//! Calls are recorded under the run id `mcp`, never a run's own id: a run's records are
//! checked against its journal and its anchor, and an assistant's reads are not part of it.

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Instant;

use rmcp::RoleServer;
use rmcp::service::RequestContext;
use serde_json::{Value, json};
use tokio::sync::{Mutex, OnceCell};

use super::tools::ToolError;
use crate::audit::{AuditEntry, AuditLog};
use crate::cloud::ReadCloud;

/// The run id every tool call is recorded under.
pub const MCP_RUN: &str = "mcp";

/// The client as its `initialize` named itself.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClientLabel {
    /// `clientInfo.name`.
    pub name: String,
    /// `clientInfo.version`.
    pub version: String,
    /// The protocol version it negotiated.
    pub protocol: String,
}

impl ClientLabel {
    /// The client of `request`: from its `initialize`, or from the request's own `_meta` on
    /// the stateless 2026-07-28 protocol; `unknown` when it said neither.
    pub fn of(request: &RequestContext<RoleServer>) -> ClientLabel {
        let unknown = || "unknown".to_string();
        let info = request.client_info();
        ClientLabel {
            name: info.as_ref().map_or_else(unknown, |i| i.name.clone()),
            version: info.as_ref().map_or_else(unknown, |i| i.version.clone()),
            protocol: request.protocol_version().map_or_else(unknown, |v| v.to_string()),
        }
    }

    /// `claude-code 1.2.3`, as approvals name where they were given.
    pub fn describe(&self) -> String {
        format!("{} {}", self.name, self.version)
    }
}

/// One call, for its record.
pub struct CallRecord<'a> {
    /// Who called.
    pub client: &'a ClientLabel,
    /// The tool called.
    pub tool: &'a str,
    /// Its arguments, as sent (masked when written).
    pub arguments: &'a Value,
    /// When the call began.
    pub started: Instant,
}

/// The audit log, shared by every session of a server.
pub struct McpAudit {
    path: Option<PathBuf>,
    log: Mutex<Option<AuditLog>>,
    read: Arc<dyn ReadCloud>,
    caller: OnceCell<String>,
}

impl McpAudit {
    /// Records into the log at `path`; `read` says who the account's caller is.
    pub fn new(path: Option<PathBuf>, read: Arc<dyn ReadCloud>) -> McpAudit {
        McpAudit { path, log: Mutex::new(None), read, caller: OnceCell::new() }
    }

    /// Who acts on the account, as AWS sees them (the STS caller ARN), asked once.
    pub async fn caller(&self) -> String {
        self.caller
            .get_or_init(|| async {
                self.read.account().await.map_or_else(|e| format!("unknown ({e})"), |a| a.caller_arn)
            })
            .await
            .clone()
    }

    /// Writes the call's record and syncs it. An error says why it could not be written.
    pub async fn record(&self, call: &CallRecord<'_>, result: &Result<Value, ToolError>) -> Result<(), String> {
        let Some(path) = &self.path else { return Err("no state folder on this system: set FERRY_STATE_DIR".into()) };
        let outcome = match result {
            Ok(_) => "ok".to_string(),
            Err(error) => format!("{}: {}", error.kind.label(), error.message),
        };
        let parameters = json!({
            "client": { "name": call.client.name, "version": call.client.version, "protocol": call.client.protocol },
            "tool": call.tool,
            "arguments": call.arguments,
        });
        let entry = AuditEntry {
            run_id: MCP_RUN.into(),
            operator: self.caller().await,
            action: format!("mcp {}", call.tool),
            parameters,
            outcome,
            duration_ms: u64::try_from(call.started.elapsed().as_millis()).unwrap_or(u64::MAX),
        };
        let mut log = self.log.lock().await;
        if log.is_none() {
            *log = Some(AuditLog::open(path).map_err(|e| e.to_string())?);
        }
        let open = log.as_mut().expect("opened above");
        open.append(entry).map(|_| ()).map_err(|e| e.to_string())
    }
}
