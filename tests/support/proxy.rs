//! A loopback HTTP proxy in front of moto: it records the operation of every request,
//! delays each by a set time (to stand in for real AWS latency), and can answer chosen
//! operations with AccessDenied or throttling errors, exactly as AWS words them.

use std::collections::BTreeMap;
use std::convert::Infallible;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use http_body_util::{BodyExt, Full};
use hyper::body::{Bytes, Incoming};
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper::{Request, Response, StatusCode};
use hyper_util::client::legacy::Client;
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::rt::{TokioExecutor, TokioIo};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fault {
    AccessDenied,
    /// Throttled on every attempt.
    Throttled,
    /// A JSON-protocol service's `ResourceNotFoundException`: how AWS answers a describe of
    /// something that does not exist, for operations moto does not serve.
    NotFound,
}

#[derive(Default)]
struct Shared {
    log: Vec<String>,
    faults: BTreeMap<String, Fault>,
    delay: Duration,
}

#[derive(Clone)]
pub struct Proxy {
    pub port: u16,
    shared: Arc<Mutex<Shared>>,
}

impl Proxy {
    /// Listens on a free loopback port and forwards to `upstream_port`.
    pub async fn start(upstream_port: u16) -> Proxy {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("proxy port");
        let port = listener.local_addr().unwrap().port();
        let shared = Arc::new(Mutex::new(Shared::default()));
        let client: Client<HttpConnector, Full<Bytes>> = Client::builder(TokioExecutor::new()).build_http();
        let state = shared.clone();
        tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                let (state, client) = (state.clone(), client.clone());
                tokio::spawn(async move {
                    let service =
                        service_fn(move |request| handle(request, state.clone(), client.clone(), upstream_port));
                    let _ = http1::Builder::new().serve_connection(TokioIo::new(stream), service).await;
                });
            }
        });
        Proxy { port, shared }
    }

    pub fn endpoint(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    pub fn set_delay(&self, delay: Duration) {
        self.shared.lock().unwrap().delay = delay;
    }

    /// Answer `operation` (e.g. `DescribeDBInstances`) with `fault` from now on.
    pub fn fail(&self, operation: &str, fault: Fault) {
        self.shared.lock().unwrap().faults.insert(operation.to_string(), fault);
    }

    /// Every operation seen so far, in order (`DescribeInstances`, `s3:GET /`).
    pub fn operations(&self) -> Vec<String> {
        self.shared.lock().unwrap().log.clone()
    }

    pub fn clear(&self) {
        self.shared.lock().unwrap().log.clear();
    }
}

async fn handle(
    request: Request<Incoming>,
    shared: Arc<Mutex<Shared>>,
    client: Client<HttpConnector, Full<Bytes>>,
    upstream_port: u16,
) -> Result<Response<Full<Bytes>>, Infallible> {
    let (mut parts, body) = request.into_parts();
    let body = body.collect().await.map(|b| b.to_bytes()).unwrap_or_default();
    let operation = operation(&parts, &body);
    let ec2 = String::from_utf8_lossy(&body).contains("Version=2016-11-15");
    // JSON-protocol services (CloudWatch Logs, ECR, ECS...) name their operation in this header
    // and read their errors as JSON.
    let json = parts.headers.contains_key("x-amz-target");
    let (delay, fault) = {
        let mut shared = shared.lock().unwrap();
        shared.log.push(operation.clone());
        (shared.delay, shared.faults.get(&operation).copied())
    };
    if !delay.is_zero() {
        tokio::time::sleep(delay).await;
    }
    if let Some(fault) = fault {
        return Ok(if json { json_fault_response(fault, &operation) } else { fault_response(fault, &operation, ec2) });
    }
    let path = parts.uri.path_and_query().map_or("/", |p| p.as_str()).to_string();
    parts.uri = format!("http://127.0.0.1:{upstream_port}{path}").parse().expect("upstream uri");
    match client.request(Request::from_parts(parts, Full::new(body))).await {
        Ok(response) => {
            let (parts, body) = response.into_parts();
            let body = body.collect().await.map(|b| b.to_bytes()).unwrap_or_default();
            Ok(Response::from_parts(parts, Full::new(body)))
        }
        Err(error) => Ok(Response::builder()
            .status(StatusCode::BAD_GATEWAY)
            .body(Full::new(Bytes::from(format!("proxy: {error}"))))
            .unwrap()),
    }
}

/// The query-protocol `Action`, the JSON-protocol target, or the S3 method and path.
fn operation(parts: &hyper::http::request::Parts, body: &[u8]) -> String {
    let form = String::from_utf8_lossy(body);
    let query = parts.uri.query().unwrap_or("");
    for pair in form.split('&').chain(query.split('&')) {
        if let Some(action) = pair.strip_prefix("Action=") {
            return action.to_string();
        }
    }
    if let Some(target) = parts.headers.get("x-amz-target").and_then(|v| v.to_str().ok()) {
        return target.rsplit('.').next().unwrap_or(target).to_string();
    }
    format!("s3:{} {}", parts.method, parts.uri.path())
}

/// A fault as a JSON-protocol service words it.
fn json_fault_response(fault: Fault, operation: &str) -> Response<Full<Bytes>> {
    let (code, message) = match fault {
        Fault::AccessDenied => (
            "AccessDeniedException",
            format!("User: arn:aws:iam::123456789012:user/auditor is not authorized to perform: {operation}"),
        ),
        Fault::Throttled => ("ThrottlingException", "Rate exceeded".to_string()),
        Fault::NotFound => ("ResourceNotFoundException", format!("{operation}: no such resource")),
    };
    let body = serde_json::json!({ "__type": code, "message": message }).to_string();
    Response::builder()
        .status(400)
        .header("content-type", "application/x-amz-json-1.1")
        .body(Full::new(Bytes::from(body)))
        .unwrap()
}

fn fault_response(fault: Fault, operation: &str, ec2: bool) -> Response<Full<Bytes>> {
    if let Fault::NotFound = fault {
        let body = format!(r#"{{"__type":"ResourceNotFoundException","message":"{operation}: no such resource"}}"#);
        return Response::builder()
            .status(400)
            .header("content-type", "application/x-amz-json-1.1")
            .body(Full::new(Bytes::from(body)))
            .unwrap();
    }
    let (status, code, message) = match (fault, ec2) {
        (Fault::AccessDenied, true) => {
            (403, "UnauthorizedOperation", "You are not authorized to perform this operation.".to_string())
        }
        (Fault::AccessDenied, false) => (
            403,
            "AccessDenied",
            format!("User: arn:aws:iam::123456789012:user/auditor is not authorized to perform: {operation}"),
        ),
        (Fault::Throttled, true) => (503, "RequestLimitExceeded", "Request limit exceeded.".to_string()),
        (Fault::Throttled, false) => (400, "Throttling", "Rate exceeded".to_string()),
        (Fault::NotFound, _) => unreachable!("answered above"),
    };
    let body = if ec2 {
        format!(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Response><Errors><Error><Code>{code}</Code>\
             <Message>{message}</Message></Error></Errors><RequestID>ferry-test</RequestID></Response>"
        )
    } else {
        format!(
            "<ErrorResponse><Error><Type>Sender</Type><Code>{code}</Code><Message>{message}</Message></Error>\
             <RequestId>ferry-test</RequestId></ErrorResponse>"
        )
    };
    Response::builder().status(status).header("content-type", "text/xml").body(Full::new(Bytes::from(body))).unwrap()
}
