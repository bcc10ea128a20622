use serde::{Deserialize, Serialize};

/// Whether a load balancer is reachable from the internet; the service copies it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Scheme {
    /// Reachable from the internet, in public subnets.
    InternetFacing,
    /// Reachable only from inside the VPC and networks connected to it.
    Internal,
}

impl Scheme {
    /// The scheme as ELB writes it: `internet-facing` or `internal`.
    pub fn as_str(self) -> &'static str {
        match self {
            Scheme::InternetFacing => "internet-facing",
            Scheme::Internal => "internal",
        }
    }
}

/// An Elastic Load Balancing (v2) load balancer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LoadBalancer {
    /// The load balancer's ARN.
    pub arn: String,
    /// The load balancer's name, as the console shows it.
    pub name: String,
    /// `application` or `network`.
    pub kind: String,
    /// Whether it is reachable from the internet.
    pub scheme: Scheme,
    /// The DNS name AWS gives it, which clients or a DNS alias point at.
    pub dns_name: String,
    /// The VPC it runs in.
    pub vpc_id: String,
    /// One subnet per availability zone it is enabled in.
    pub subnet_ids: Vec<String>,
    /// The security groups attached to it; empty for a network load balancer without any.
    pub security_group_ids: Vec<String>,
}

/// A port a load balancer listens on, and the target groups it sends requests to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Listener {
    /// The listener's ARN.
    pub arn: String,
    /// The ARN of the load balancer it belongs to.
    pub load_balancer_arn: String,
    /// `HTTP`, `HTTPS`, `TCP`, `TLS`, `UDP` or `TCP_UDP`.
    pub protocol: String,
    /// The port clients connect to (`443`).
    pub port: u16,
    /// The ARN of its default TLS certificate (ACM or IAM), for an `HTTPS` or `TLS` listener.
    pub certificate_arn: Option<String>,
    /// Target groups the default action forwards to.
    pub forward_target_group_arns: Vec<String>,
}

/// How a target group checks its targets are healthy.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HealthCheck {
    /// `HTTP`, `HTTPS` or `TCP`.
    pub protocol: String,
    /// The path requested (`/health`); `None` for a TCP check.
    pub path: Option<String>,
    /// A port number, or `traffic-port` for the port each target receives traffic on.
    pub port: String,
    /// The HTTP codes counted as healthy (`200`, `200-299`), when the group sets them.
    pub matcher: Option<String>,
}

/// A target group: the targets a listener forwards to, and how their health is checked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TargetGroup {
    /// The target group's ARN.
    pub arn: String,
    /// The target group's name, unique in the account and region.
    pub name: String,
    /// The protocol targets receive traffic over: `HTTP`, `HTTPS`, `TCP`...
    pub protocol: String,
    /// The port targets receive traffic on, unless a target was registered with its own.
    pub port: u16,
    /// The VPC its targets are in.
    pub vpc_id: String,
    /// `instance`, `ip` or `lambda`.
    pub target_type: String,
    /// How the group checks its targets, which the service's health check copies.
    pub health_check: HealthCheck,
    /// The load balancers whose listeners forward to it, each once.
    pub load_balancer_arns: Vec<String>,
    /// The stickiness type (`lb_cookie`, `app_cookie`) when sticky sessions are on. Read by
    /// discovery for the groups that route to the instance; `None` elsewhere.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stickiness: Option<String>,
}

/// A registered target's health, as DescribeTargetHealth reports it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum TargetState {
    /// Passing its health checks and receiving traffic.
    Healthy,
    /// Failing its health checks.
    Unhealthy,
    /// Registering, or not yet through its first health checks.
    Initial,
    /// Deregistering: finishing its open connections.
    Draining,
    /// Not receiving traffic: no listener uses the group, the target is stopped, or its zone
    /// is not enabled.
    Unused,
    /// Health checks are off, or AWS reported a state ferry does not know.
    Unavailable,
}

impl TargetState {
    /// The state as ELB writes it (`healthy`, `draining`).
    pub fn as_str(self) -> &'static str {
        match self {
            TargetState::Healthy => "healthy",
            TargetState::Unhealthy => "unhealthy",
            TargetState::Initial => "initial",
            TargetState::Draining => "draining",
            TargetState::Unused => "unused",
            TargetState::Unavailable => "unavailable",
        }
    }
}

/// One registered target and its health, from DescribeTargetHealth.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TargetHealth {
    /// The target: an instance id for `instance` groups, an IP address for `ip` ones.
    pub target_id: String,
    /// The port the target receives traffic on.
    pub port: u16,
    /// Its health.
    pub state: TargetState,
    /// AWS's description of why it is in that state (`Health checks failed`), when it gives one.
    pub reason: Option<String>,
}
