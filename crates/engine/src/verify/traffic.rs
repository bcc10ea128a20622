//! Where the app's host names send clients right now: read from Route 53 each time verify
//! runs, so the Verify step shows a cutover's stage weights as they are, not as planned.

use serde::Serialize;

use crate::cloud::ReadCloud;
use crate::model::{DnsRecord, MigrationGraph};

/// A host name the old load balancer was reached by, and the zone that holds it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TrafficName {
    /// The hosted zone.
    pub zone_id: String,
    /// The name, with its trailing dot (`shop.example.com.`).
    pub name: String,
}

/// One host name's records as Route 53 answers now.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct HostTraffic {
    /// The host name, without its trailing dot.
    pub host: String,
    /// The new service's share while a cutover's weighted pair is in place.
    pub new_share: Option<u8>,
    /// In words: `old 90 / new 10 (weighted)`, `all to the old load balancer`, ...
    pub summary: String,
}

/// The host names discovery found pointing at the old load balancer, once each.
pub fn names_of(graph: &MigrationGraph) -> Vec<TrafficName> {
    let mut names: Vec<TrafficName> = Vec::new();
    for edge in &graph.hostnames {
        let name = TrafficName { zone_id: edge.zone.id.clone(), name: edge.record.name.clone() };
        if !names.contains(&name) {
            names.push(name);
        }
    }
    names
}

/// Each name's records read again; a zone that cannot be read says so.
pub async fn read(cloud: &dyn ReadCloud, names: &[TrafficName]) -> Vec<HostTraffic> {
    let mut out = Vec::new();
    for name in names {
        let host = name.name.trim_end_matches('.').to_string();
        let summary = match cloud.records(&name.zone_id).await {
            Ok(records) => describe(records.iter().filter(|r| r.name == name.name).collect()),
            Err(error) => (None, format!("cannot read its records: {error}")),
        };
        out.push(HostTraffic { host, new_share: summary.0, summary: summary.1 });
    }
    out
}

/// The share and words for one name's records: the first record type's weights stand for
/// the name (A and AAAA move together).
fn describe(records: Vec<&DnsRecord>) -> (Option<u8>, String) {
    let weight = |id: &str| records.iter().find(|r| r.set_identifier.as_deref() == Some(id)).and_then(|r| r.weight);
    match (weight("ferry-old"), weight("ferry-new")) {
        (Some(old), Some(new)) => {
            let total = (old + new).max(1);
            let share = u8::try_from(new * 100 / total).unwrap_or(0);
            (Some(share), format!("old {old} / new {new} (weighted: {share} % to the new service)"))
        }
        _ if records.is_empty() => (None, "no record left pointing at the old load balancer".into()),
        _ => (Some(0), "all to the old load balancer (no cutover yet)".into()),
    }
}
