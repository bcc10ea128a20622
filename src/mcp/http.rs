//! `ferry mcp --listen 127.0.0.1:PORT`: the same server over Streamable HTTP, on a loopback
//! address only. A non-loopback address is refused: the server would then change an account
//! for anyone who can reach the port. rmcp also checks each request's `Host` against the
//! loopback names, against DNS rebinding from a browser.

use std::net::SocketAddr;
use std::sync::Arc;

use hyper_util::rt::TokioIo;
use hyper_util::service::TowerToHyperService;
use rmcp::transport::streamable_http_server::session::local::LocalSessionManager;
use rmcp::transport::streamable_http_server::{StreamableHttpServerConfig, StreamableHttpService};
use tokio::net::TcpListener;

use super::access::Access;
use super::server::FerryServer;

/// Why the server did not listen.
#[derive(Debug, thiserror::Error)]
pub enum ListenError {
    /// The address is not a loopback one.
    #[error(
        "--listen {0} is not a loopback address: ferry mcp listens on 127.0.0.1 or [::1] only (use stdio, or a tunnel you control, to reach it from elsewhere)"
    )]
    NotLoopback(String),
    /// The port could not be bound or accepted on.
    #[error("cannot listen on {addr}: {source}")]
    Io {
        /// The address asked for.
        addr: String,
        /// What the system said.
        source: std::io::Error,
    },
}

/// `text` as a loopback socket address, or why not.
pub fn loopback_only(text: &str) -> Result<SocketAddr, ListenError> {
    match text.parse::<SocketAddr>() {
        Ok(addr) if addr.ip().is_loopback() => Ok(addr),
        _ => Err(ListenError::NotLoopback(text.to_string())),
    }
}

/// Serves `server` at `addr` until the process ends; says on stderr where (the port the
/// system chose, for port 0).
pub async fn serve_http<A: Access>(server: FerryServer<A>, addr: SocketAddr) -> Result<(), ListenError> {
    let io = |source| ListenError::Io { addr: addr.to_string(), source };
    let listener = TcpListener::bind(addr).await.map_err(io)?;
    let bound = listener.local_addr().map_err(io)?;
    eprintln!("ferry mcp: listening on http://{bound}/mcp");
    let config = StreamableHttpServerConfig::default();
    let service =
        StreamableHttpService::new(move || Ok(server.clone()), Arc::new(LocalSessionManager::default()), config);
    loop {
        let (stream, _) = listener.accept().await.map_err(io)?;
        let service = TowerToHyperService::new(service.clone());
        tokio::spawn(async move {
            // A connection that fails ends alone; the listener goes on.
            let _ = hyper::server::conn::http1::Builder::new().serve_connection(TokioIo::new(stream), service).await;
        });
    }
}
