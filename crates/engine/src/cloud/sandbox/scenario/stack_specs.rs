//! Scenario tables for what the old stack holds besides its instances and load balancers:
//! hosted zones and their records (where the traffic is), the names of the certificates its
//! listeners serve, and each instance's volumes.

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

/// `[[certificates]]`: the host names an ACM certificate covers, as DescribeCertificate
/// reports them. A certificate a listener serves without an entry here has names ferry
/// cannot read, like an IAM server certificate's: a cutover reuses it with a warning.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CertificateSpec {
    /// The certificate's ACM ARN, e.g. `arn:aws:acm:us-east-1:111122223333:certificate/ID`.
    pub arn: String,
    /// Its domain name, then its other subject alternative names, e.g.
    /// `["shop.example.com", "www.example.com"]`; a wildcard is `*.example.com`.
    pub domains: Vec<String>,
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

/// Each certificate is an ACM one (IAM keeps no names ferry reads), named once, with at least
/// one well-formed name: a host name, or a wildcard standing for its leftmost label.
pub(super) fn validate_certificates(certificates: &[CertificateSpec]) -> Result<(), String> {
    for (i, certificate) in certificates.iter().enumerate() {
        let at = format!("certificates[{i}]");
        let parts: Vec<&str> = certificate.arn.splitn(6, ':').collect();
        let acm = parts.len() == 6
            && parts[..3] == ["arn", "aws", "acm"]
            && !parts[3].is_empty()
            && parts[4].len() == 12
            && parts[4].bytes().all(|b| b.is_ascii_digit())
            && parts[5].strip_prefix("certificate/").is_some_and(|id| !id.is_empty());
        if !acm {
            return Err(format!(
                "{at}.arn: {:?} is not an ACM certificate ARN (arn:aws:acm:REGION:ACCOUNT:certificate/ID)",
                certificate.arn
            ));
        }
        if certificates[..i].iter().any(|c| c.arn == certificate.arn) {
            return Err(format!("{at}.arn: {:?} is defined twice", certificate.arn));
        }
        if certificate.domains.is_empty() {
            return Err(format!("{at}.domains: a certificate covers at least one name"));
        }
        for (j, domain) in certificate.domains.iter().enumerate() {
            let name = domain.strip_prefix("*.").unwrap_or(domain);
            let labels_ok = name.split('.').count() >= 2
                && name
                    .split('.')
                    .all(|label| !label.is_empty() && label.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-'));
            if !labels_ok {
                return Err(format!(
                    "{at}.domains[{j}]: {domain:?} is not a host name (shop.example.com) or a wildcard (*.example.com)"
                ));
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn certificate(arn: &str, domains: &[&str]) -> CertificateSpec {
        CertificateSpec { arn: arn.into(), domains: domains.iter().map(|d| d.to_string()).collect() }
    }

    const ARN: &str = "arn:aws:acm:us-east-1:111122223333:certificate/5e1d7c3a";

    #[test]
    fn an_acm_certificate_with_host_names_and_wildcards_is_accepted() {
        validate_certificates(&[certificate(ARN, &["shop.example.com", "*.example.com"])]).unwrap();
    }

    #[test]
    fn a_certificate_is_refused_by_the_field_at_fault() {
        let iam = "arn:aws:iam::111122223333:server-certificate/shop";
        let error = validate_certificates(&[certificate(iam, &["shop.example.com"])]).unwrap_err();
        assert!(error.starts_with("certificates[0].arn: ") && error.contains("not an ACM certificate ARN"), "{error}");
        let error = validate_certificates(&[certificate("arn:aws:acm:us-east-1:1:certificate/x", &["a.b"])]);
        assert!(error.unwrap_err().contains("not an ACM certificate ARN"), "the account is 12 digits");
        let twice = [certificate(ARN, &["a.example.com"]), certificate(ARN, &["b.example.com"])];
        assert!(validate_certificates(&twice).unwrap_err().starts_with("certificates[1].arn: "));
        let error = validate_certificates(&[certificate(ARN, &[])]).unwrap_err();
        assert_eq!(error, "certificates[0].domains: a certificate covers at least one name");
        for bad in ["shop", "shop..example.com", "a.*.example.com", "shop example.com", "*"] {
            let error = validate_certificates(&[certificate(ARN, &["ok.example.com", bad])]).unwrap_err();
            assert!(error.starts_with("certificates[0].domains[1]: "), "{bad}: {error}");
        }
    }
}
