//! The sandbox's endpoints: two local HTTP servers, the old side (its hostnames and load
//! balancers) and the new side (its Express endpoints), answering as the scenario's
//! `[endpoints]` says. They start the first time a probe asks where a host is, on loopback
//! ports the system picks, and stop with the sandbox.
//!
//! They run on a thread of their own with its own runtime: a sandbox outlives the runtime of
//! any one caller (a test, a wizard task), and its servers must not die with it.

use std::net::{SocketAddr, TcpListener};
use std::sync::{Arc, OnceLock};

use http_body_util::Full;
use hyper::body::{Bytes, Incoming};
use hyper::{Request, Response};
use hyper_util::rt::TokioIo;

use super::Sandbox;
use super::scenario::{EndpointsSection, SideSpec};
use crate::cloud::{CloudError, CloudResult};
use crate::model::same_host;

/// Which side of the migration a host belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Side {
    Old,
    New,
}

/// The scenario's answers and, once started, where each side listens.
pub(super) struct Endpoints {
    spec: EndpointsSection,
    started: OnceLock<Result<Servers, String>>,
}

struct Servers {
    old: SocketAddr,
    new: SocketAddr,
    /// Dropped with the sandbox: the servers' thread then ends.
    _stop: tokio::sync::oneshot::Sender<()>,
}

impl Endpoints {
    pub(super) fn new(spec: EndpointsSection) -> Endpoints {
        Endpoints { spec, started: OnceLock::new() }
    }

    /// `http://127.0.0.1:PORT` of a side, starting both servers the first time.
    fn base_url(&self, side: Side) -> Result<String, String> {
        let servers = self.started.get_or_init(|| start(&self.spec)).as_ref().map_err(Clone::clone)?;
        let addr = match side {
            Side::Old => servers.old,
            Side::New => servers.new,
        };
        Ok(format!("http://{addr}"))
    }
}

impl Sandbox {
    /// Where a probe of `host` goes: the old side's server for a load balancer's DNS name or
    /// a record pointing at one, the new side's for an Express endpoint.
    pub(super) fn probe_route_of(&self, host: &str) -> CloudResult<Option<String>> {
        let side = {
            let state = self.lock();
            let is_balancer = |name: &str| state.load_balancers.iter().any(|lb| same_host(&lb.dns_name, name));
            let points_at_balancer = |name: &str| {
                state.records.values().flatten().any(|r| {
                    same_host(&r.name, name) && state.load_balancers.iter().any(|lb| r.points_at(&lb.dns_name))
                })
            };
            if state.express_services.values().any(|s| same_host(host_of(&s.endpoint), host)) {
                Side::New
            } else if is_balancer(host) || points_at_balancer(host) {
                Side::Old
            } else {
                return Err(CloudError::not_found("endpoint", host));
            }
        };
        self.endpoints.base_url(side).map(Some).map_err(|e| CloudError::Other(format!("sandbox endpoints: {e}")))
    }
}

/// `shop.example.com` of `https://shop.example.com:443/path`.
fn host_of(url: &str) -> &str {
    let rest = url.split_once("://").map_or(url, |(_, rest)| rest);
    let authority = rest.split('/').next().unwrap_or(rest);
    authority.rsplit_once(':').map_or(authority, |(host, _)| host)
}

/// Binds both sides and serves them from a thread of their own.
fn start(spec: &EndpointsSection) -> Result<Servers, String> {
    let bind = || TcpListener::bind("127.0.0.1:0").map_err(|e| format!("cannot listen on loopback: {e}"));
    let (old, new) = (bind()?, bind()?);
    let (old_addr, new_addr) = (addr(&old)?, addr(&new)?);
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| format!("cannot start the endpoints' runtime: {e}"))?;
    // A side that is down has had its port closed again: probes meet a refused connection.
    let old = spec.old.up.then_some(old);
    let new = spec.new.up.then_some(new);
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let (old_spec, new_spec) = (Arc::new(spec.old.clone()), Arc::new(spec.new.clone()));
    std::thread::Builder::new()
        .name("sandbox-endpoints".into())
        .spawn(move || {
            runtime.block_on(async move {
                tokio::select! {
                    _ = stopped => {}
                    _ = serve(old, old_spec) => {}
                    _ = serve(new, new_spec) => {}
                }
            })
        })
        .map_err(|e| format!("cannot start the endpoints' thread: {e}"))?;
    Ok(Servers { old: old_addr, new: new_addr, _stop: stop })
}

fn addr(listener: &TcpListener) -> Result<SocketAddr, String> {
    listener.local_addr().map_err(|e| format!("cannot read the local address: {e}"))
}

/// Accepts connections until the thread stops; a side that is down serves nothing.
async fn serve(listener: Option<TcpListener>, spec: Arc<SideSpec>) {
    let Some(listener) = listener else { return std::future::pending().await };
    let listener = match listener.set_nonblocking(true).and_then(|()| tokio::net::TcpListener::from_std(listener)) {
        Ok(listener) => listener,
        Err(_) => return std::future::pending().await,
    };
    loop {
        let Ok((stream, _)) = listener.accept().await else { continue };
        let spec = spec.clone();
        tokio::spawn(async move {
            let service = hyper::service::service_fn(move |request| answer(spec.clone(), request));
            // A client that hangs up mid-answer is no concern of the server's.
            let _ = hyper::server::conn::http1::Builder::new().serve_connection(TokioIo::new(stream), service).await;
        });
    }
}

/// The scenario's answer to the request's path, after its latency.
async fn answer(spec: Arc<SideSpec>, request: Request<Incoming>) -> Result<Response<Full<Bytes>>, hyper::Error> {
    let answer = spec.answer(request.uri().path());
    if answer.latency_ms > 0 {
        tokio::time::sleep(std::time::Duration::from_millis(answer.latency_ms)).await;
    }
    let mut response = Response::new(Full::new(Bytes::from(answer.body)));
    *response.status_mut() = hyper::StatusCode::from_u16(answer.status).unwrap_or(hyper::StatusCode::OK);
    Ok(response)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_host_of_a_url_drops_scheme_port_and_path() {
        assert_eq!(host_of("https://shop-api-1a2b.ecs.us-east-1.on.aws"), "shop-api-1a2b.ecs.us-east-1.on.aws");
        assert_eq!(host_of("http://127.0.0.1:8080/healthz"), "127.0.0.1");
        assert_eq!(host_of("shop.example.com"), "shop.example.com");
    }
}
