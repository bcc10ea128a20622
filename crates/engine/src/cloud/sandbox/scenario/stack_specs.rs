//! Scenario tables for what the old stack holds besides its instances and load balancers:
//! hosted zones and their records (where the traffic is), and each instance's volumes.

use serde::Deserialize;

/// `[[hosted_zones]]`: a Route 53 zone the account owns, with its records.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HostedZoneSpec {
    /// The zone's domain, e.g. `example.com` (a trailing dot is added).
    pub name: String,
    /// A private zone answers only inside its VPCs; public by default.
    #[serde(default)]
    pub private: bool,
    /// Its records.
    #[serde(default)]
    pub records: Vec<RecordSpec>,
}

/// One record of a hosted zone. Give `alias_to` (an alias to a `[[load_balancers]]` name) or
/// `values` (e.g. a CNAME's host name), not both.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RecordSpec {
    /// The full record name, e.g. `shop.example.com`, inside the zone.
    pub name: String,
    /// `A`, `AAAA`, `CNAME`, `TXT`, ...
    #[serde(rename = "type")]
    pub record_type: String,
    /// A load balancer name: the record is an alias to it (A and AAAA only).
    pub alias_to: Option<String>,
    /// The values of a plain record.
    #[serde(default)]
    pub values: Vec<String>,
    /// Seconds to cache a plain record; 300 by default, none for an alias.
    pub ttl: Option<i64>,
    /// Whether an alias stops answering with an unhealthy target; false by default.
    #[serde(default)]
    pub evaluate_target_health: bool,
}

/// One EBS volume of an instance: `volumes = [{ size_gib = 30 }]`. Its id derives from the
/// instance id and its position.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct VolumeSpec {
    /// Size in GiB.
    pub size_gib: u32,
    /// `gp3` by default.
    #[serde(default = "gp3")]
    pub volume_type: String,
    /// Provisioned IOPS (gp3 above 3000, io1, io2).
    pub iops: Option<u32>,
    /// Provisioned throughput in MiB/s (gp3 above 125).
    pub throughput: Option<u32>,
    /// Deleted with the instance; true by default, as for a root volume.
    #[serde(default = "yes")]
    pub delete_on_termination: bool,
    /// Dates of snapshots taken of it, e.g. `["2026-11-01"]`; none by default.
    #[serde(default)]
    pub snapshots: Vec<String>,
}

fn gp3() -> String {
    "gp3".into()
}

fn yes() -> bool {
    true
}

/// Record types whose alias may point at a load balancer.
const ALIAS_TYPES: [&str; 2] = ["A", "AAAA"];

/// Checks a zone's records: inside the zone, one form each, aliases to defined load balancers.
pub(super) fn validate_zones(zones: &[HostedZoneSpec], balancers: &[&str]) -> Result<(), String> {
    for (i, zone) in zones.iter().enumerate() {
        let domain = zone.name.trim_end_matches('.');
        if domain.is_empty() {
            return Err(format!("hosted_zones[{i}].name is empty"));
        }
        for (j, record) in zone.records.iter().enumerate() {
            let at = format!("hosted_zones[{i}].records[{j}]");
            let name = record.name.trim_end_matches('.');
            if name != domain && !name.ends_with(&format!(".{domain}")) {
                return Err(format!("{at}.name: {:?} is not inside the zone {domain:?}", record.name));
            }
            match (&record.alias_to, record.values.is_empty()) {
                (Some(_), false) => return Err(format!("{at}: give alias_to or values, not both")),
                (None, true) => return Err(format!("{at}: give alias_to or values")),
                (Some(lb), true) => {
                    if !balancers.contains(&lb.as_str()) {
                        return Err(format!("{at}.alias_to: {lb:?} is not a load balancer in this scenario"));
                    }
                    if !ALIAS_TYPES.contains(&record.record_type.as_str()) {
                        return Err(format!("{at}.type: an alias to a load balancer is A or AAAA"));
                    }
                }
                (None, false) => {}
            }
        }
    }
    Ok(())
}
