//! `ferry mcp`: the Model Context Protocol front end. An assistant gets ferry's bounded tools
//! (discover, analyze, generate, plan, diff, apply, roll back) and nothing else: every change
//! is a plan a person approved by its hash outside the model, and every call is an audit
//! record in the engine's hash-chained log.
//!
//! The server is generic over what it holds ([`Access`]): [`ReadOnly`] holds the read half of
//! the cloud alone, so `ferry mcp --read-only` has no way to change the account and lists no
//! change tool; [`Full`] holds an `Operator` as well.

mod access;
mod approvals_link;
mod audit;
mod claims;
mod diff;
mod form;
mod gate;
mod http;
mod instructions;
mod live;
mod mrtr;
mod schemas;
mod server;
mod tools;

pub use access::{Access, Full, ReadOnly};
pub use http::{ListenError, loopback_only, serve_http};
pub use server::{FerryServer, Setup};

use rmcp::ServiceExt;

/// Serves `server` on standard input and output until the client closes them.
pub async fn serve_stdio<A: Access>(server: FerryServer<A>) -> Result<(), Box<dyn std::error::Error + Send + Sync>> {
    let running = server.serve(rmcp::transport::stdio()).await?;
    running.waiting().await?;
    Ok(())
}
