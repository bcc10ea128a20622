use serde::{Deserialize, Serialize};

/// A VPC, as shown to the operator.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Vpc {
    /// The VPC id (`vpc-...`).
    pub id: String,
    /// Its primary IPv4 block (`10.0.0.0/16`).
    pub cidr: String,
    /// The `Name` tag, if any.
    pub name: Option<String>,
}

/// A subnet, and whether it is public: the service's subnets are chosen from these.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Subnet {
    /// The subnet id (`subnet-...`).
    pub id: String,
    /// The VPC it belongs to.
    pub vpc_id: String,
    /// Its IPv4 block (`10.0.1.0/24`).
    pub cidr: String,
    /// The zone it is in (`eu-west-1a`).
    pub availability_zone: String,
    /// Whether the subnet routes to an internet gateway.
    pub public: bool,
    /// The `Name` tag, if any.
    pub name: Option<String>,
}

/// A security group with its inbound rules.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SecurityGroup {
    /// The group id (`sg-...`), which rules and resources name it by.
    pub id: String,
    /// The group's name (not its `Name` tag).
    pub name: String,
    /// The VPC it belongs to.
    pub vpc_id: String,
    /// The description it was created with.
    pub description: String,
    /// Its inbound rules, one per source.
    pub ingress: Vec<IngressRule>,
    /// Every tag on the group, by key.
    #[serde(default)]
    pub tags: std::collections::BTreeMap<String, String>,
}

impl SecurityGroup {
    /// Ingress rules that admit `group_id` on `port`.
    pub fn admits_group_on(&self, group_id: &str, port: u16) -> bool {
        self.ingress
            .iter()
            .any(|rule| rule.covers(port) && matches!(&rule.source, RuleSource::Group { group_id: g } if g == group_id))
    }
}

/// One inbound rule: a protocol and port range, open to one source.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IngressRule {
    /// `tcp`, `udp` or `-1` for all.
    pub protocol: String,
    /// The first port of the range; 0 when AWS gives none.
    pub from_port: u16,
    /// The last port of the range, inclusive; 65535 when AWS gives none.
    pub to_port: u16,
    /// Who the rule admits.
    pub source: RuleSource,
}

impl IngressRule {
    /// Whether `port` is in the rule's range, or the rule is for all traffic. The protocol is
    /// not compared: a UDP rule covers its ports too.
    pub fn covers(&self, port: u16) -> bool {
        self.protocol == "-1" || (self.from_port..=self.to_port).contains(&port)
    }

    /// `5432` or `8000-8080` or `all`.
    pub fn port_text(&self) -> String {
        match (self.protocol.as_str(), self.from_port == self.to_port) {
            ("-1", _) => "all".to_string(),
            (_, true) => self.from_port.to_string(),
            _ => format!("{}-{}", self.from_port, self.to_port),
        }
    }
}

/// Who an inbound rule admits.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum RuleSource {
    /// Anything with the given security group attached.
    Group {
        /// The source security group's id (`sg-...`).
        group_id: String,
    },
    /// Any address in an IPv4 or IPv6 block.
    Cidr {
        /// The block (`10.0.0.0/16`, `0.0.0.0/0`, `::/0`).
        cidr: String,
    },
}
