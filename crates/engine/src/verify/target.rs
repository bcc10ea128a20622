//! What verify compares: the old entry (the app's hostname, or the old load balancer with the
//! app's Host header) and the new Express endpoint, with the service and its health path, all
//! read from a finished run and the migration graph.

use serde::Serialize;

use crate::apply::{Journal, RunState, RunStatus};
use crate::model::{Listener, MigrationGraph, RouteEdge};
use crate::plan::{Action, Plan};

/// One side's address: where its requests go and the Host header they carry.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Entry {
    /// In words: `shop.example.com (Route 53 alias to shop-alb)`.
    pub label: String,
    /// Scheme, host and port, no path: `https://shop.example.com`.
    pub base_url: String,
    /// The Host header every request carries.
    pub host: String,
    /// The host whose addresses the connection goes to, when not the URL's own: the old load
    /// balancer probed under the app's name (TLS checks that name, as clients do).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub connect_to: Option<String>,
}

/// Everything verify needs to know before it sends a request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct VerifyTarget {
    /// The run that made the service.
    pub run_id: String,
    /// The Express service's name.
    pub service_name: String,
    /// Its ARN, as the run recorded it.
    pub service_arn: String,
    /// The health check path the service was created with.
    pub health_path: String,
    /// The old stack's entry; `None` when no load balancer sends the instance traffic.
    pub old: Option<Entry>,
    /// The Express endpoint.
    pub new: Entry,
    /// The host names that sent clients to the old load balancer, read again on each verify.
    pub names: Vec<super::traffic::TrafficName>,
}

impl VerifyTarget {
    /// The target of an applied run; `old_host` (`--host`) probes the old load balancer under
    /// that name instead of the app's hostname.
    pub fn of_run(run: &RunState, graph: &MigrationGraph, old_host: Option<&str>) -> Result<VerifyTarget, String> {
        if run.status != RunStatus::Applied {
            return Err(format!(
                "run {} is {}: verify needs a run whose every step is done",
                run.run_id,
                run.status.label()
            ));
        }
        VerifyTarget::of_journal(&run.run_id, &run.plan, &run.journal, graph, old_host)
    }

    /// The target of a run whose every step is done, from its plan and journal: how a front
    /// end that holds the run in memory (the wizard) builds it.
    pub fn of_journal(
        run_id: &str,
        plan: &Plan,
        journal: &Journal,
        graph: &MigrationGraph,
        old_host: Option<&str>,
    ) -> Result<VerifyTarget, String> {
        let output = |key: &str| {
            journal.entries.iter().rev().find_map(|e| e.output.get(key).filter(|v| !v.is_empty())).map(str::to_string)
        };
        let service_arn = output("serviceArn").ok_or_else(|| format!("run {run_id} made no Express service"))?;
        let endpoint = output("endpoint")
            .ok_or_else(|| format!("run {run_id}: the service has no endpoint recorded (is it private?)"))?;
        let health_path = plan
            .steps
            .iter()
            .find_map(|s| match &s.action {
                Action::CreateExpressService { config } => Some(config.health_check_path.clone()),
                _ => None,
            })
            .unwrap_or_else(|| "/".into());
        Ok(VerifyTarget {
            run_id: run_id.to_string(),
            service_name: plan.service_name.clone(),
            service_arn,
            health_path,
            old: old_entry(graph, old_host),
            new: new_entry(&endpoint),
            names: super::traffic::names_of(graph),
        })
    }
}

/// The Express endpoint, always HTTPS as Express Mode serves it.
pub fn new_entry(endpoint: &str) -> Entry {
    let base = if endpoint.contains("://") { endpoint.to_string() } else { format!("https://{endpoint}") };
    let base = base.trim_end_matches('/').to_string();
    Entry { label: "Express endpoint".into(), host: host_of(&base).to_string(), base_url: base, connect_to: None }
}

/// The hostname clients use when Route 53 has one for the old load balancer (over HTTPS when
/// it listens so). With `old_host`, that name connected to the load balancer's addresses (as
/// `curl --connect-to`), so its certificate is checked against the app's name. Else the load
/// balancer's own DNS name (over HTTP when it listens so: its certificate names the app).
pub fn old_entry(graph: &MigrationGraph, old_host: Option<&str>) -> Option<Entry> {
    let route = graph.routes.first()?;
    let balancer = &route.load_balancer;
    let hostname = graph.hostnames.iter().find(|h| h.load_balancer_arn == balancer.arn).map(|h| {
        let kind = if h.record.alias.is_some() { "alias" } else { "CNAME" };
        (h.record.name.trim_end_matches('.').to_string(), kind)
    });
    match (hostname, old_host) {
        (Some((name, kind)), None) => {
            let (scheme, port) = scheme(route, true);
            Some(Entry {
                label: format!("{name} (Route 53 {kind} to {})", balancer.name),
                base_url: url(scheme, &name, port),
                host: name,
                connect_to: None,
            })
        }
        (_, Some(host)) => {
            let (scheme, port) = scheme(route, true);
            Some(Entry {
                label: format!("{} (load balancer) as {host}", balancer.name),
                base_url: url(scheme, host, port),
                host: host.to_string(),
                connect_to: Some(balancer.dns_name.trim_end_matches('.').to_string()),
            })
        }
        (None, None) => {
            let (scheme, port) = scheme(route, false);
            let dns = balancer.dns_name.trim_end_matches('.');
            Some(Entry {
                label: format!("{} (load balancer)", balancer.name),
                base_url: url(scheme, dns, port),
                host: dns.to_string(),
                connect_to: None,
            })
        }
    }
}

/// The listener to probe through: HTTPS first when a hostname is used, HTTP first otherwise.
fn scheme(route: &RouteEdge, prefer_https: bool) -> (&'static str, u16) {
    let of = |protocol: &str| route.listeners.iter().find(|l: &&Listener| l.protocol.eq_ignore_ascii_case(protocol));
    let (first, second) = if prefer_https { ("HTTPS", "HTTP") } else { ("HTTP", "HTTPS") };
    match of(first).or_else(|| of(second)) {
        Some(listener) if listener.protocol.eq_ignore_ascii_case("HTTPS") => ("https", listener.port),
        Some(listener) => ("http", listener.port),
        None => ("https", 443),
    }
}

fn url(scheme: &str, host: &str, port: u16) -> String {
    let default = (scheme == "https" && port == 443) || (scheme == "http" && port == 80);
    if default { format!("{scheme}://{host}") } else { format!("{scheme}://{host}:{port}") }
}

/// `shop.example.com` of `https://shop.example.com:8443/x`.
pub fn host_of(url: &str) -> &str {
    let rest = url.split_once("://").map_or(url, |(_, rest)| rest);
    let authority = rest.split('/').next().unwrap_or(rest);
    match authority.rsplit_once(':') {
        Some((host, port)) if port.chars().all(|c| c.is_ascii_digit()) => host,
        _ => authority,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_new_entry_is_https_and_its_host_is_the_endpoints() {
        let entry = new_entry("shop-api-1a2b.ecs.us-east-1.on.aws");
        assert_eq!(entry.base_url, "https://shop-api-1a2b.ecs.us-east-1.on.aws");
        assert_eq!(entry.host, "shop-api-1a2b.ecs.us-east-1.on.aws");
        assert_eq!(new_entry("https://x.on.aws/").base_url, "https://x.on.aws");
    }

    #[test]
    fn urls_leave_out_default_ports() {
        assert_eq!(url("https", "a.example", 443), "https://a.example");
        assert_eq!(url("http", "a.example", 8080), "http://a.example:8080");
        assert_eq!(host_of("http://127.0.0.1:8080/healthz"), "127.0.0.1");
    }
}
