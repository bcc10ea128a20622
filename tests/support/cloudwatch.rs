//! CloudWatch figures for load balancers on moto: putting a side's minutes, and a proxy that
//! asks moto for `Maximum` where ferry asks for `p95` (moto computes no percentiles), keeping
//! every request body it forwards so a test can check what ferry really asked.

use std::convert::Infallible;
use std::sync::{Arc, Mutex};
use std::time::SystemTime;

use aws_sdk_cloudwatch::primitives::DateTime;
use aws_sdk_cloudwatch::types::{Dimension, MetricDatum};
use http_body_util::{BodyExt, Full};
use hyper::body::{Bytes, Incoming};
use hyper::{Request, Response};
use hyper_util::client::legacy::Client;
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::rt::{TokioExecutor, TokioIo};

/// In front of moto: every request body seen, and `Stat=p95` asked of moto as `Stat=Maximum`.
pub async fn p95_proxy(upstream: u16) -> (String, Arc<Mutex<Vec<String>>>) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let seen = Arc::new(Mutex::new(Vec::new()));
    let client: Client<HttpConnector, Full<Bytes>> = Client::builder(TokioExecutor::new()).build_http();
    let log = seen.clone();
    tokio::spawn(async move {
        while let Ok((stream, _)) = listener.accept().await {
            let (log, client) = (log.clone(), client.clone());
            tokio::spawn(async move {
                let service = hyper::service::service_fn(move |request: Request<Incoming>| {
                    forward(request, log.clone(), client.clone(), upstream)
                });
                let _ =
                    hyper::server::conn::http1::Builder::new().serve_connection(TokioIo::new(stream), service).await;
            });
        }
    });
    (format!("http://127.0.0.1:{port}"), seen)
}

async fn forward(
    request: Request<Incoming>,
    log: Arc<Mutex<Vec<String>>>,
    client: Client<HttpConnector, Full<Bytes>>,
    upstream: u16,
) -> Result<Response<Full<Bytes>>, Infallible> {
    let (mut parts, body) = request.into_parts();
    let body = String::from_utf8_lossy(&body.collect().await.unwrap().to_bytes()).into_owned();
    log.lock().unwrap().push(body.clone());
    let body = body.replace(".Stat=p95", ".Stat=Maximum");
    // The body's length changed: hyper sets the new one.
    parts.headers.remove(hyper::header::CONTENT_LENGTH);
    let path = parts.uri.path_and_query().map_or("/", |p| p.as_str()).to_string();
    parts.uri = format!("http://127.0.0.1:{upstream}{path}").parse().unwrap();
    let response = client.request(Request::from_parts(parts, Full::new(Bytes::from(body)))).await.unwrap();
    let (parts, body) = response.into_parts();
    Ok(Response::from_parts(parts, Full::new(body.collect().await.unwrap().to_bytes())))
}

/// A side's minute: requests, target and ELB 5xx, the slowest response, healthy and unhealthy hosts.
pub struct Minute {
    pub requests: f64,
    pub target_5xx: f64,
    pub elb_5xx: f64,
    pub latency: f64,
    pub healthy: f64,
    pub unhealthy: f64,
}

/// Puts `minutes` for one load balancer and its target group, inside the last 5-minute window.
pub async fn put(cloudwatch: &aws_sdk_cloudwatch::Client, load_balancer: &str, group: &str, minutes: &[Minute]) {
    let lb = Dimension::builder().name("LoadBalancer").value(load_balancer).build();
    let tg = Dimension::builder().name("TargetGroup").value(group).build();
    let now = SystemTime::now().duration_since(SystemTime::UNIX_EPOCH).unwrap().as_secs() as i64;
    let mut data = Vec::new();
    for (i, m) in minutes.iter().enumerate() {
        // Whole minutes before the last whole one, so a minute turning over mid-test keeps them in.
        let at = DateTime::from_secs(now - now % 60 - 60 * (i as i64 + 2) + 30);
        let datum = |name: &str, value: f64, per_group: bool| {
            let mut d = MetricDatum::builder().metric_name(name).value(value).timestamp(at).dimensions(lb.clone());
            if per_group {
                d = d.dimensions(tg.clone());
            }
            d.build()
        };
        data.push(datum("RequestCount", m.requests, false));
        data.push(datum("HTTPCode_Target_5XX_Count", m.target_5xx, false));
        data.push(datum("HTTPCode_ELB_5XX_Count", m.elb_5xx, false));
        data.push(datum("TargetResponseTime", m.latency, false));
        data.push(datum("HealthyHostCount", m.healthy, true));
        data.push(datum("UnHealthyHostCount", m.unhealthy, true));
    }
    cloudwatch
        .put_metric_data()
        .namespace("AWS/ApplicationELB")
        .set_metric_data(Some(data))
        .send()
        .await
        .expect("moto takes the metrics");
}

pub fn minute(requests: f64, target_5xx: f64, latency: f64) -> Minute {
    Minute { requests, target_5xx, elb_5xx: 0.0, latency, healthy: 2.0, unhealthy: 0.0 }
}
