//! Where an application's hostname points today: Route 53 records and the certificates the
//! old load balancer serves. A cutover changes exactly these, so they are kept whole, as Route
//! 53 returned them, to be restored byte for byte.

use serde::{Deserialize, Serialize};

/// A Route 53 hosted zone the account owns.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HostedZone {
    /// The zone id without the `/hostedzone/` prefix (`Z0123456789ABC`).
    pub id: String,
    /// The zone's domain with its trailing dot (`example.com.`).
    pub name: String,
    /// A private zone answers only inside its VPCs.
    pub private: bool,
}

/// Where an alias record sends its answers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AliasTarget {
    /// The target's DNS name as written in the record (`dualstack.old-alb-1.us-east-1.elb.amazonaws.com.`).
    pub dns_name: String,
    /// The hosted zone of the target (the load balancer's canonical zone).
    pub hosted_zone_id: String,
    /// Whether Route 53 stops answering with the target while it is unhealthy.
    pub evaluate_target_health: bool,
}

/// One resource record set, as Route 53 lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DnsRecord {
    /// The record's name with its trailing dot (`shop.example.com.`).
    pub name: String,
    /// `A`, `AAAA`, `CNAME`, ...
    pub record_type: String,
    /// Seconds resolvers may cache it; `None` for an alias (which uses its target's TTL).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ttl: Option<i64>,
    /// The alias target, for an alias record.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub alias: Option<AliasTarget>,
    /// The values of a plain record (a CNAME's host name, A addresses).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub values: Vec<String>,
    /// A weighted, latency or failover record's identifier.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub set_identifier: Option<String>,
    /// A weighted record's weight, 0-255.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub weight: Option<i64>,
}

impl DnsRecord {
    /// The host name this record sends clients to: the alias target, or a CNAME's value.
    pub fn target_host(&self) -> Option<&str> {
        match &self.alias {
            Some(alias) => Some(&alias.dns_name),
            None if self.record_type == "CNAME" => self.values.first().map(String::as_str),
            None => None,
        }
    }

    /// Whether this record sends clients to a load balancer with DNS name `dns_name`: the
    /// `dualstack.` prefix, letter case and trailing dots do not matter.
    pub fn points_at(&self, dns_name: &str) -> bool {
        self.target_host().is_some_and(|host| same_host(host, dns_name))
    }
}

/// Two host names name the same load balancer: case, trailing dot and `dualstack.` aside.
pub fn same_host(a: &str, b: &str) -> bool {
    fn plain(host: &str) -> String {
        let host = host.trim_end_matches('.').to_ascii_lowercase();
        host.strip_prefix("dualstack.").map(str::to_string).unwrap_or(host)
    }
    plain(a) == plain(b)
}

/// A hostname clients use to reach the old load balancer, found in a hosted zone the account owns.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HostnameEdge {
    /// The zone holding the record.
    pub zone: HostedZone,
    /// The record, exactly as Route 53 listed it.
    pub record: DnsRecord,
    /// The ARN of the load balancer it points at.
    pub load_balancer_arn: String,
    /// The record and what it points at, in words an operator can check.
    pub evidence: Vec<super::Evidence>,
}

/// A certificate the old load balancer's listener serves.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CertificateEdge {
    /// The certificate's ARN (ACM or IAM).
    pub arn: String,
    /// The listener that serves it.
    pub listener_arn: String,
    /// Whether it is the listener's default certificate (else one of its SNI certificates).
    pub is_default: bool,
    /// The host names it covers (its domain name and subject alternative names), which a
    /// cutover matches the moved names against; `None` when they could not be read (an IAM
    /// server certificate, a refused permission, or a graph written before ferry read them).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub domains: Option<Vec<String>>,
    /// The listener and how it holds the certificate.
    pub evidence: Vec<super::Evidence>,
}

impl CertificateEdge {
    /// Whether one of a certificate's names serves `host`: the same name (letter case and
    /// a trailing dot aside), or a wildcard `*.rest` standing for exactly one label before
    /// `rest`, as TLS clients match it (RFC 6125): `*.example.com` serves `shop.example.com`,
    /// not `example.com` nor `a.shop.example.com`.
    pub fn name_covers(name: &str, host: &str) -> bool {
        let name = name.trim_end_matches('.').to_ascii_lowercase();
        let host = host.trim_end_matches('.').to_ascii_lowercase();
        if name.is_empty() || host.is_empty() {
            return false;
        }
        match name.strip_prefix("*.") {
            Some(rest) => host
                .split_once('.')
                .is_some_and(|(label, parent)| !label.is_empty() && !label.contains('*') && parent == rest),
            None => name == host,
        }
    }

    /// Whether any of `names` serves `host`.
    pub fn names_cover(names: &[String], host: &str) -> bool {
        names.iter().any(|name| Self::name_covers(name, host))
    }
}

/// One certificate on a listener, as DescribeListenerCertificates lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ListenerCertificate {
    /// The certificate's ARN.
    pub arn: String,
    /// Whether it is the listener's default certificate.
    pub is_default: bool,
}

/// How an Express service is reached: the load balancer Express Mode made for it (shared by
/// up to 25 services), its HTTPS listener, and the rule that sends the service's host to it.
/// A cutover adds the app's host name to the rule and its certificate to the listener.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExpressIngress {
    /// The service's own host name (`shop-api-1a2b3c4d.ecs.us-east-1.on.aws`).
    pub endpoint_host: String,
    /// The Express load balancer's ARN.
    pub load_balancer_arn: String,
    /// Its DNS name, what an alias or CNAME to it names.
    pub dns_name: String,
    /// Its canonical hosted zone, what an alias to it names.
    pub canonical_zone_id: String,
    /// The HTTPS:443 listener.
    pub listener_arn: String,
    /// The listener rule matching the service's host.
    pub rule_arn: String,
    /// The host names the rule matches now.
    pub rule_hosts: Vec<String>,
    /// The certificates the listener serves now.
    pub certificate_arns: Vec<String>,
    /// The service's target groups, whose hosts a health gate counts.
    #[serde(default)]
    pub target_group_arns: Vec<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dualstack_case_and_trailing_dot_do_not_matter() {
        assert!(same_host("dualstack.Old-ALB-1.us-east-1.elb.amazonaws.com.", "old-alb-1.us-east-1.elb.amazonaws.com"));
        assert!(!same_host("old-alb-2.us-east-1.elb.amazonaws.com", "old-alb-1.us-east-1.elb.amazonaws.com"));
    }

    #[test]
    fn a_certificate_name_covers_the_same_host_whatever_the_case_and_trailing_dot() {
        assert!(CertificateEdge::name_covers("shop.example.com", "shop.example.com"));
        assert!(CertificateEdge::name_covers("Shop.Example.COM.", "shop.example.com"));
        assert!(CertificateEdge::name_covers("shop.example.com", "SHOP.example.com."));
        assert!(!CertificateEdge::name_covers("shop.example.com", "www.example.com"));
        assert!(!CertificateEdge::name_covers("example.com", "shop.example.com"));
        assert!(!CertificateEdge::name_covers("", ""));
    }

    #[test]
    fn a_wildcard_covers_exactly_one_label() {
        assert!(CertificateEdge::name_covers("*.example.com", "shop.example.com"));
        assert!(CertificateEdge::name_covers("*.Example.com.", "WWW.example.com"));
        assert!(!CertificateEdge::name_covers("*.example.com", "example.com"));
        assert!(!CertificateEdge::name_covers("*.example.com", "a.b.example.com"));
        assert!(!CertificateEdge::name_covers("*.example.com", ".example.com"));
        assert!(!CertificateEdge::name_covers("*.example.com", "shop.example.org"));
        // Only a whole leftmost label is a wildcard; a host is never one.
        assert!(!CertificateEdge::name_covers("shop*.example.com", "shop1.example.com"));
        assert!(!CertificateEdge::name_covers("*.example.com", "*.example.com"));
    }

    #[test]
    fn any_name_of_a_certificate_may_cover_a_host() {
        let names = vec!["example.com".to_string(), "*.example.com".to_string()];
        assert!(CertificateEdge::names_cover(&names, "example.com"));
        assert!(CertificateEdge::names_cover(&names, "shop.example.com"));
        assert!(!CertificateEdge::names_cover(&names, "shop.example.org"));
        assert!(!CertificateEdge::names_cover(&[], "shop.example.com"));
    }

    #[test]
    fn a_graph_written_before_certificate_names_reads_as_unknown_names() {
        let old =
            r#"{"arn":"arn:aws:acm:us-east-1:1:certificate/x","listener_arn":"l","is_default":true,"evidence":[]}"#;
        let edge: CertificateEdge = serde_json::from_str(old).unwrap();
        assert_eq!(edge.domains, None);
        assert_eq!(serde_json::to_string(&edge).unwrap(), old, "unknown names write as before");
    }

    #[test]
    fn a_cname_points_by_value_and_an_a_record_without_alias_points_nowhere() {
        let cname = DnsRecord {
            name: "www.example.com.".into(),
            record_type: "CNAME".into(),
            ttl: Some(300),
            alias: None,
            values: vec!["old-alb-1.us-east-1.elb.amazonaws.com".into()],
            set_identifier: None,
            weight: None,
        };
        assert!(cname.points_at("old-alb-1.us-east-1.elb.amazonaws.com."));
        let plain = DnsRecord { record_type: "A".into(), values: vec!["10.0.0.1".into()], ..cname };
        assert!(!plain.points_at("10.0.0.1"));
    }
}
