//! One HTTP(S) GET, timed, its body hashed: hyper's client over rustls with the system's
//! roots, the stack the AWS SDK already builds.

use std::time::{Duration, Instant};

use http_body_util::{BodyExt, Empty, Limited};
use hyper::body::Bytes;
use hyper_rustls::HttpsConnector;
use hyper_util::client::legacy::Client;
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::rt::TokioExecutor;

use super::resolve::Resolver;

/// The most of a body verify reads: enough for any health or page check.
const MAX_BODY: usize = 8 << 20;

/// What one request gave.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sample {
    /// From sending the request to the body's last byte (or the failure).
    pub latency: Duration,
    /// The answer, or why there was none.
    pub result: Result<Answer, String>,
}

/// An answer: its status, its body's size and sha256.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Answer {
    /// The HTTP status code.
    pub status: u16,
    /// Body bytes.
    pub size: u64,
    /// sha256 of the body, hex.
    pub sha256: String,
}

/// A client for every probe of one verify.
#[derive(Clone)]
pub struct Prober {
    client: Client<HttpsConnector<HttpConnector<Resolver>>, Empty<Bytes>>,
    request_timeout: Duration,
}

impl Prober {
    /// HTTP and HTTPS, connections bounded by `connect_timeout`, requests by `request_timeout`;
    /// a connection to a host of `resolver`'s goes to the addresses of the host it names instead.
    pub fn new(connect_timeout: Duration, request_timeout: Duration, resolver: Resolver) -> Prober {
        let mut http = HttpConnector::new_with_resolver(resolver);
        http.enforce_http(false);
        http.set_connect_timeout(Some(connect_timeout));
        let provider = rustls::crypto::aws_lc_rs::default_provider();
        let builder = hyper_rustls::HttpsConnectorBuilder::new();
        // Without system roots HTTPS cannot be trusted, but plain HTTP (the sandbox's local
        // servers) still works; an HTTPS probe then fails with the certificate error.
        let https = match builder.with_provider_and_native_roots(provider.clone()) {
            Ok(builder) => builder.https_or_http().enable_http1().wrap_connector(http),
            Err(_) => hyper_rustls::HttpsConnectorBuilder::new()
                .with_tls_config(no_roots(provider))
                .https_or_http()
                .enable_http1()
                .wrap_connector(http),
        };
        Prober { client: Client::builder(TokioExecutor::new()).build(https), request_timeout }
    }

    /// GET `url` with `host` as its Host header.
    pub async fn get(&self, url: &str, host: &str) -> Sample {
        let started = Instant::now();
        let result = match tokio::time::timeout(self.request_timeout, self.fetch(url, host)).await {
            Ok(result) => result,
            Err(_) => Err(format!("no answer within {} s", self.request_timeout.as_secs_f64())),
        };
        Sample { latency: started.elapsed(), result }
    }

    async fn fetch(&self, url: &str, host: &str) -> Result<Answer, String> {
        let request = hyper::Request::get(url)
            .header(hyper::header::HOST, host)
            .header(hyper::header::USER_AGENT, concat!("ferry-verify/", env!("CARGO_PKG_VERSION")))
            .body(Empty::new())
            .map_err(|e| format!("not a URL ({url}): {e}"))?;
        let response = self.client.request(request).await.map_err(|e| describe(&e))?;
        let status = response.status().as_u16();
        let body = Limited::new(response.into_body(), MAX_BODY)
            .collect()
            .await
            .map_err(|e| format!("the body could not be read: {e}"))?
            .to_bytes();
        Ok(Answer { status, size: body.len() as u64, sha256: crate::digest::sha256_hex(&body) })
    }
}

fn no_roots(provider: rustls::crypto::CryptoProvider) -> rustls::ClientConfig {
    rustls::ClientConfig::builder_with_provider(provider.into())
        .with_safe_default_protocol_versions()
        .expect("aws-lc-rs supports TLS 1.2 and 1.3")
        .with_root_certificates(rustls::RootCertStore::empty())
        .with_no_client_auth()
}

/// The client's error in the operator's words: what failed and the deepest cause.
fn describe(error: &hyper_util::client::legacy::Error) -> String {
    let mut cause: &dyn std::error::Error = error;
    while let Some(source) = cause.source() {
        cause = source;
    }
    let what = if error.is_connect() { "cannot connect" } else { "the request failed" };
    let cause = cause.to_string();
    if cause.is_empty() || cause == error.to_string() { format!("{what}: {error}") } else { format!("{what}: {cause}") }
}
