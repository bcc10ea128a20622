use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Vpc {
    pub id: String,
    pub cidr: String,
    pub name: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Subnet {
    pub id: String,
    pub vpc_id: String,
    pub cidr: String,
    pub availability_zone: String,
    /// Whether the subnet routes to an internet gateway.
    pub public: bool,
    pub name: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SecurityGroup {
    pub id: String,
    pub name: String,
    pub vpc_id: String,
    pub description: String,
    pub ingress: Vec<IngressRule>,
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

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IngressRule {
    /// `tcp`, `udp` or `-1` for all.
    pub protocol: String,
    pub from_port: u16,
    pub to_port: u16,
    pub source: RuleSource,
}

impl IngressRule {
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

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum RuleSource {
    Group { group_id: String },
    Cidr { cidr: String },
}
