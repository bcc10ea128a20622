//! Name resolution with overrides: a request to `https://shop.example.com` can connect to the
//! old load balancer's addresses while TLS still checks the certificate against the app's own
//! name, as `curl --connect-to` does. That is how the old load balancer is probed with the
//! app's Host header over HTTPS, whatever the app's name resolves to from here.

use std::collections::BTreeMap;
use std::future::Future;
use std::net::SocketAddr;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};

use hyper_util::client::legacy::connect::dns::Name;

/// Resolves each name through the system, except those given another name to resolve instead.
#[derive(Clone, Default)]
pub struct Resolver {
    /// Host name → the host name whose addresses to connect to.
    instead: Arc<BTreeMap<String, String>>,
}

impl Resolver {
    /// A resolver that looks `to` up for each `from`.
    pub fn new(instead: BTreeMap<String, String>) -> Resolver {
        Resolver { instead: Arc::new(instead) }
    }
}

type Lookup = Pin<Box<dyn Future<Output = std::io::Result<std::vec::IntoIter<SocketAddr>>> + Send>>;

impl tower_service::Service<Name> for Resolver {
    type Response = std::vec::IntoIter<SocketAddr>;
    type Error = std::io::Error;
    type Future = Lookup;

    fn poll_ready(&mut self, _cx: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
        Poll::Ready(Ok(()))
    }

    fn call(&mut self, name: Name) -> Self::Future {
        let host = self.instead.get(name.as_str()).cloned().unwrap_or_else(|| name.as_str().to_string());
        Box::pin(async move {
            // The port is the connector's to set; 0 is only there for the lookup.
            let addresses: Vec<SocketAddr> = tokio::net::lookup_host((host.as_str(), 0)).await?.collect();
            Ok(addresses.into_iter())
        })
    }
}
