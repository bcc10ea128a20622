//! Where the traffic comes from: the records in the account's hosted zones that send clients
//! to the old load balancers, and the certificates those load balancers serve. A hostname in
//! another DNS provider or behind a CDN cannot be seen from the account, and is not guessed.

use futures::stream::{self, StreamExt};

use super::seen;
use crate::cloud::{CloudResult, ReadCloud};
use crate::model::{
    CertificateEdge, DnsRecord, Evidence, EvidenceKind, HostedZone, HostnameEdge, LoadBalancer, RouteEdge, Unseen,
};

/// How many zones are read at once: enough to keep discovery quick in an account with many
/// zones, few enough to stay under Route 53's five requests a second.
const ZONES_AT_ONCE: usize = 4;

/// Every hosted zone with its records; a zone whose records cannot be read is noted and skipped.
pub(super) async fn fetch_zones(cloud: &dyn ReadCloud) -> (Vec<(HostedZone, Vec<DnsRecord>)>, Vec<Unseen>) {
    let mut unseen = Vec::new();
    let Some(zones) = seen(cloud.hosted_zones().await, "Route 53 hosted zones", &mut unseen) else {
        return (Vec::new(), unseen);
    };
    let read: Vec<(HostedZone, CloudResult<Vec<DnsRecord>>)> = stream::iter(zones)
        .map(|zone| async move {
            let records = cloud.records(&zone.id).await;
            (zone, records)
        })
        .buffered(ZONES_AT_ONCE)
        .collect()
        .await;
    let mut out = Vec::new();
    for (zone, records) in read {
        let what = format!("records of hosted zone {}", zone.name);
        if let Some(records) = seen(records, &what, &mut unseen) {
            out.push((zone, records));
        }
    }
    (out, unseen)
}

/// The records that point at one of the load balancers traffic reaches the instance through.
pub(super) fn hostnames(zones: &[(HostedZone, Vec<DnsRecord>)], routes: &[RouteEdge]) -> Vec<HostnameEdge> {
    let mut balancers: Vec<&LoadBalancer> = Vec::new();
    for route in routes {
        if !balancers.iter().any(|b| b.arn == route.load_balancer.arn) {
            balancers.push(&route.load_balancer);
        }
    }
    let mut out = Vec::new();
    for (zone, records) in zones {
        for record in records {
            let Some(balancer) = balancers.iter().find(|b| record.points_at(&b.dns_name)) else {
                continue;
            };
            let how = if record.alias.is_some() { "alias" } else { "CNAME" };
            let visibility = if zone.private { "private zone" } else { "zone" };
            out.push(HostnameEdge {
                zone: zone.clone(),
                record: record.clone(),
                load_balancer_arn: balancer.arn.clone(),
                evidence: vec![Evidence::new(
                    EvidenceKind::DnsRecord,
                    format!(
                        "{} {} is an {how} to {} in {visibility} {} ({})",
                        record.name, record.record_type, balancer.name, zone.name, zone.id
                    ),
                )],
            });
        }
    }
    out
}

/// The certificates of the HTTPS and TLS listeners that forward to the instance's groups.
pub(super) async fn certificates(cloud: &dyn ReadCloud, routes: &[RouteEdge]) -> (Vec<CertificateEdge>, Vec<Unseen>) {
    let mut unseen = Vec::new();
    let mut listeners: Vec<_> = routes
        .iter()
        .flat_map(|r| r.listeners.iter().map(move |l| (l, &r.load_balancer)))
        .filter(|(l, _)| l.protocol == "HTTPS" || l.protocol == "TLS")
        .collect();
    listeners.sort_by(|a, b| a.0.arn.cmp(&b.0.arn));
    listeners.dedup_by(|a, b| a.0.arn == b.0.arn);
    let read = futures::future::join_all(listeners.iter().map(|(l, _)| cloud.listener_certificates(&l.arn))).await;
    let mut out = Vec::new();
    for ((listener, balancer), certificates) in listeners.into_iter().zip(read) {
        let what = format!("certificates of listener {}:{} on {}", listener.protocol, listener.port, balancer.name);
        for certificate in seen(certificates, &what, &mut unseen).unwrap_or_default() {
            let role = if certificate.is_default { "default certificate" } else { "SNI certificate" };
            out.push(CertificateEdge {
                arn: certificate.arn.clone(),
                listener_arn: listener.arn.clone(),
                is_default: certificate.is_default,
                domains: None,
                evidence: vec![Evidence::new(
                    EvidenceKind::ListenerCertificate,
                    format!(
                        "listener {}:{} on {} serves it as its {role}",
                        listener.protocol, listener.port, balancer.name
                    ),
                )],
            });
        }
    }
    unseen.extend(read_domains(cloud, &mut out).await);
    (out, unseen)
}

/// The names each certificate covers, read once per certificate however many listeners
/// serve it. A certificate whose names could not be read keeps `None`, and the cutover
/// reuses it only with a warning.
async fn read_domains(cloud: &dyn ReadCloud, edges: &mut [CertificateEdge]) -> Vec<Unseen> {
    let mut arns: Vec<String> = edges.iter().map(|e| e.arn.clone()).collect();
    arns.sort();
    arns.dedup();
    let read = futures::future::join_all(arns.iter().map(|arn| cloud.certificate_domains(arn))).await;
    let mut unseen = Vec::new();
    for (arn, domains) in arns.iter().zip(read) {
        let domains = seen(domains, &format!("{} {arn}", Unseen::CERTIFICATE_NAMES), &mut unseen).flatten();
        for edge in edges.iter_mut().filter(|e| &e.arn == arn) {
            edge.domains = domains.clone();
        }
    }
    unseen
}
