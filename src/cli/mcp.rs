//! `ferry mcp`: the MCP server on the account the options reach, on stdio or a loopback port.

use std::sync::Arc;

use clap::Args;
use color_eyre::eyre::{Result, eyre};

use ferry::audit::AuditAnchor;
use ferry::mcp::{Access, FerryServer, Full, ReadOnly, Setup, loopback_only, serve_http, serve_stdio};
use ferry::operate::Operator;

use super::SandboxFaults;
use super::audit::AnchorArgs;
use super::backend::{AwsArgs, Backend};

/// `ferry mcp`'s own options; the AWS options are the global ones.
#[derive(Args)]
pub struct McpArgs {
    /// Serve a sandbox account (a bundled scenario name or a scenario file) instead of AWS.
    #[arg(long, value_name = "NAME|FILE")]
    sandbox: Option<String>,
    /// Serve the read tools only, over the account's read half: no apply, resume or rollback
    /// tool exists, whatever a client sends.
    #[arg(long)]
    read_only: bool,
    /// Serve Streamable HTTP on this loopback address instead of stdio (port 0 picks a free
    /// one; the address is printed on stderr).
    #[arg(long, value_name = "127.0.0.1:PORT")]
    listen: Option<String>,
    /// Never ask for approval through the client's form (elicitation): changes wait for
    /// `ferry approve` in a terminal, for clients not trusted to show a form to a person.
    #[arg(long)]
    terminal_approval_only: bool,
    #[command(flatten)]
    faults: SandboxFaults,
}

/// Serves until the client goes away (stdio) or the process is stopped (HTTP).
pub async fn serve(aws: &AwsArgs, anchor: &AnchorArgs, args: McpArgs) -> Result<()> {
    // A bad address is refused before any account is reached.
    let listen = args.listen.as_deref().map(loopback_only).transpose()?;
    let backend = match &args.sandbox {
        Some(name) => Backend::sandbox(name, args.faults.options())?,
        None => Backend::aws(aws).await?,
    };
    let default_instance = match &backend {
        Backend::Sandbox { sandbox, .. } => Some(sandbox.app_instance().to_string()),
        Backend::Aws { .. } => None,
    };
    let scenario = match &backend {
        Backend::Sandbox { scenario, .. } => Some(scenario.clone()),
        Backend::Aws { .. } => None,
    };
    let mut setup = Setup::in_state_dir(backend.read(), scenario, default_instance);
    setup.ask_in_client = !args.terminal_approval_only;
    if args.read_only {
        // Only the read half reaches the server: it holds nothing that can change the account.
        return run(FerryServer::new(setup, ReadOnly), listen).await;
    }
    let anchor = anchor.anchor(&backend)?.map(|a| a as Arc<dyn AuditAnchor>);
    let operator = Operator::in_state_dir(backend.write()?, backend.target()).with_anchor(anchor);
    let full = Full::new(operator).ok_or_else(|| eyre!("no state folder on this system: set FERRY_STATE_DIR"))?;
    run(FerryServer::new(setup, full), listen).await
}

async fn run<A: Access>(server: FerryServer<A>, listen: Option<std::net::SocketAddr>) -> Result<()> {
    match listen {
        Some(addr) => Ok(serve_http(server, addr).await?),
        None => serve_stdio(server).await.map_err(|e| eyre!("ferry mcp: {e}")),
    }
}
