//! The parts of a scenario's old stack that a cutover and a decommission look at: hosted
//! zones and their records, listener certificates, volumes, snapshots and Elastic IPs, with
//! ids derived the way AWS would present them.

use std::collections::BTreeMap;

use super::scenario::{HostedZoneSpec, RecordSpec, Scenario};
use super::state::{AccountState, stable_suffix};
use crate::model::{
    AliasTarget, DnsRecord, ElasticIp, HostedZone, Listener, ListenerCertificate, LoadBalancer, Snapshot, Volume,
};

/// The canonical hosted zone of application load balancers in `region`: what an alias to
/// one names. Real ids for the main regions; a stable stand-in elsewhere.
pub fn load_balancer_zone(region: &str) -> String {
    match region {
        "us-east-1" => "Z35SXDOTRQ7X7K".into(),
        "us-east-2" => "Z3AADJGX6KTTL2".into(),
        "us-west-2" => "Z1H1FL5HABSF5".into(),
        "eu-west-1" => "Z32O12XQLNTSW2".into(),
        "eu-central-1" => "Z215JYRZR1TBD5".into(),
        _ => format!("Z{}", stable_suffix(region)[..12].to_ascii_uppercase()),
    }
}

impl AccountState {
    /// Fills the old stack's zones, records, certificates, volumes, snapshots and addresses.
    pub(super) fn add_old_stack(&mut self, s: &Scenario) {
        let region = s.account.region.as_str();
        for zone in &s.hosted_zones {
            let built = hosted_zone(zone);
            let records = zone.records.iter().map(|r| record(r, &self.load_balancers, region)).collect();
            self.records.insert(built.id.clone(), records);
            self.hosted_zones.push(built);
        }
        self.listener_certificates = listener_certificates(s, &self.listeners);
        self.certificate_domains = s.certificates.iter().map(|c| (c.arn.clone(), c.domains.clone())).collect();
        for spec in &s.instances {
            let volumes: Vec<Volume> = spec
                .volumes
                .iter()
                .enumerate()
                .map(|(i, v)| Volume {
                    id: format!("vol-0{}", stable_suffix(&format!("{}:{i}", spec.id))),
                    size_gib: v.size_gib,
                    volume_type: v.volume_type.clone(),
                    iops: v.iops,
                    throughput: v.throughput,
                    delete_on_termination: v.delete_on_termination,
                })
                .collect();
            for (volume, v) in volumes.iter().zip(&spec.volumes) {
                self.snapshots.extend(v.snapshots.iter().map(|date| Snapshot {
                    id: format!("snap-0{}", stable_suffix(&format!("{}:{date}", volume.id))),
                    volume_id: volume.id.clone(),
                    size_gib: volume.size_gib,
                    started: Some(date.clone()),
                }));
            }
            if !volumes.is_empty() {
                self.volumes.insert(spec.id.clone(), volumes);
            }
            if let (true, Some(ip)) = (spec.elastic_ip, &spec.public_ip) {
                let address = ElasticIp {
                    allocation_id: format!("eipalloc-{}", &stable_suffix(ip)[..16]),
                    public_ip: ip.clone(),
                };
                self.elastic_ips.insert(spec.id.clone(), vec![address]);
            }
        }
    }
}

fn hosted_zone(zone: &HostedZoneSpec) -> HostedZone {
    let name = format!("{}.", zone.name.trim_end_matches('.'));
    HostedZone { id: format!("Z{}", stable_suffix(&name)[..13].to_ascii_uppercase()), name, private: zone.private }
}

/// A record as Route 53 lists it: names end in a dot; an alias names the load balancer's
/// DNS name (`dualstack.` for AAAA, as the console writes it) and canonical zone.
fn record(spec: &RecordSpec, balancers: &[LoadBalancer], region: &str) -> DnsRecord {
    let alias =
        spec.alias_to.as_ref().and_then(|name| balancers.iter().find(|b| &b.name == name)).map(|lb| AliasTarget {
            dns_name: format!("dualstack.{}.", lb.dns_name),
            hosted_zone_id: load_balancer_zone(region),
            evaluate_target_health: spec.evaluate_target_health,
        });
    DnsRecord {
        name: format!("{}.", spec.name.trim_end_matches('.')),
        record_type: spec.record_type.clone(),
        ttl: if alias.is_some() { None } else { Some(spec.ttl.unwrap_or(300)) },
        alias,
        values: spec.values.clone(),
        set_identifier: None,
        weight: None,
    }
}

/// Each HTTPS listener's default certificate, then its SNI certificates.
fn listener_certificates(s: &Scenario, listeners: &[Listener]) -> BTreeMap<String, Vec<ListenerCertificate>> {
    let mut out = BTreeMap::new();
    for (lb, listener) in s.load_balancers.iter().flat_map(|lb| lb.listeners.iter().map(move |l| (lb, l))) {
        let Some(built) =
            listeners.iter().find(|l| l.port == listener.port && l.arn.contains(&format!("/{}/", lb.name)))
        else {
            continue;
        };
        let default =
            listener.certificate_arn.iter().map(|arn| ListenerCertificate { arn: arn.clone(), is_default: true });
        let sni =
            listener.sni_certificate_arns.iter().map(|arn| ListenerCertificate { arn: arn.clone(), is_default: false });
        let certificates: Vec<_> = default.chain(sni).collect();
        if !certificates.is_empty() {
            out.insert(built.arn.clone(), certificates);
        }
    }
    out
}
