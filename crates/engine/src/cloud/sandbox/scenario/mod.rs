//! The scenario file format (TOML): a whole sandbox account in one readable file.
//! Documented for authors in `assets/scenarios/README.md`.

use std::collections::BTreeSet;

use serde::Deserialize;
use thiserror::Error;

mod endpoint_specs;
mod fault_specs;
mod metric_specs;
mod specs;
mod stack_specs;
mod watcher_specs;

pub use endpoint_specs::*;
pub use fault_specs::FaultsSection;
pub use metric_specs::*;
pub use specs::*;
pub use stack_specs::*;
pub use watcher_specs::{AlarmSpec, LogGroupSpec};

/// A scenario that failed to load, naming the file and the field at fault.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[error("scenario {file}: {message}")]
pub struct ScenarioError {
    /// The file as it was given on the command line, or `NAME (bundled)`.
    pub file: String,
    /// The first problem found: a TOML error with its line and column, or the field at fault by
    /// its position (`instances[0].subnet_id: ...`).
    pub message: String,
}

/// A whole scenario file. Only `[account]` is required; every `[[...]]` table may appear any
/// number of times, or not at all.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Scenario {
    /// `[account]`: whose account it is, where, and which instance the scenario is about.
    pub account: AccountSection,
    /// `[sandbox]`: the pace of the simulation; the defaults when the table is left out.
    #[serde(default)]
    pub sandbox: SandboxSection,
    /// `[faults]`: throttling and failing steps the account makes on its own; none by default.
    #[serde(default)]
    pub faults: FaultsSection,
    /// `[[vpcs]]`: the networks that subnets, security groups and target groups belong to.
    #[serde(default)]
    pub vpcs: Vec<VpcSpec>,
    /// `[[subnets]]`. A plan needs at least two, in two availability zones of the app's VPC.
    #[serde(default)]
    pub subnets: Vec<SubnetSpec>,
    /// `[[security_groups]]`, with their inbound rules: one way discovery finds the app's stores.
    #[serde(default)]
    pub security_groups: Vec<SecurityGroupSpec>,
    /// `[[instances]]`: the app's instance (`account.app_instance`) and any others.
    #[serde(default)]
    pub instances: Vec<InstanceSpec>,
    /// `[[load_balancers]]`: application load balancers, with their listeners.
    #[serde(default)]
    pub load_balancers: Vec<LoadBalancerSpec>,
    /// `[[target_groups]]`, with their registered targets: how a listener reaches the app.
    #[serde(default)]
    pub target_groups: Vec<TargetGroupSpec>,
    /// `[[instance_profiles]]`: how an instance reaches its role.
    #[serde(default)]
    pub instance_profiles: Vec<InstanceProfileSpec>,
    /// `[[roles]]`: IAM roles, with their inline policies.
    #[serde(default)]
    pub roles: Vec<RoleSpec>,
    /// `[[managed_policies]]`: the document of every managed policy a role attaches.
    #[serde(default)]
    pub managed_policies: Vec<ManagedPolicySpec>,
    /// `[[databases]]`: RDS instances.
    #[serde(default)]
    pub databases: Vec<DatabaseSpec>,
    /// `[[caches]]`: ElastiCache clusters.
    #[serde(default)]
    pub caches: Vec<CacheSpec>,
    /// `[[buckets]]`: S3 buckets.
    #[serde(default)]
    pub buckets: Vec<BucketSpec>,
    /// `[[auto_scaling_groups]]`: EC2 Auto Scaling groups and their member instances.
    #[serde(default)]
    pub auto_scaling_groups: Vec<AutoScalingGroupSpec>,
    /// `[[hosted_zones]]`: Route 53 zones and their records: where the app's traffic comes from.
    #[serde(default)]
    pub hosted_zones: Vec<HostedZoneSpec>,
    /// `[[certificates]]`: the names ACM certificates cover, which a cutover matches the
    /// moved host names against.
    #[serde(default)]
    pub certificates: Vec<CertificateSpec>,
    /// `[[alarms]]`: CloudWatch metric alarms, on the app's instance, load balancer or others.
    #[serde(default)]
    pub alarms: Vec<AlarmSpec>,
    /// `[[log_groups]]`: CloudWatch Logs log groups, the app's and others.
    #[serde(default)]
    pub log_groups: Vec<LogGroupSpec>,
    /// `[endpoints]`: how the old and the new side answer `ferry verify`'s probes.
    #[serde(default)]
    pub endpoints: EndpointsSection,
    /// `[metrics]`: what the old and the new load balancer report to the cutover's health gates.
    #[serde(default)]
    pub metrics: MetricsSection,
}

/// `[account]`: describes the account and names the instance the scenario is about.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AccountSection {
    /// Label of the account, shown as its name.
    pub name: String,
    /// One line about what the account contains; empty by default.
    #[serde(default)]
    pub description: String,
    /// The 12-digit account id, used in every derived ARN and ECR URI.
    pub account_id: String,
    /// The region, e.g. `us-east-1`, used in derived ARNs and DNS names.
    pub region: String,
    /// The identity ferry reports it acts as, e.g. `arn:aws:iam::111122223333:user/demo-operator`.
    pub caller_arn: String,
    /// The instance the wizard starts on and headless commands use without `--instance`.
    pub app_instance: String,
    /// What the scenario teaches, in one line, for the demo's scenario picker; empty by default.
    #[serde(default)]
    pub teaches: String,
    /// The application's source folder the demo analyses when no `--app` is given: a bundled
    /// sample app's name (`python-shop`), or a folder relative to the scenario file.
    #[serde(default)]
    pub sample_app: Option<String>,
}

/// `[sandbox]`: how the simulated account behaves. Optional, and so is each field.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct SandboxSection {
    /// Simulated latency of every call, in milliseconds (the demo's pace).
    pub latency_ms: u64,
    /// How many status polls the first deployment of a new Express service takes to finish.
    pub deploy_polls: u32,
}

impl Default for SandboxSection {
    fn default() -> Self {
        SandboxSection { latency_ms: 0, deploy_polls: 6 }
    }
}

impl SandboxSection {
    /// The most simulated latency of one call: 5 s is slower than any AWS call a demo shows,
    /// and keeps the slowest wait step (every poll takes four calls) within half an hour.
    pub const MAX_LATENCY_MS: u64 = 5_000;
    /// The most status polls of a deployment: every poll prints a progress line, and 100 is
    /// eight times the bundled scenario's 12.
    pub const MAX_DEPLOY_POLLS: u32 = 100;

    fn validate(&self) -> Result<(), String> {
        if self.latency_ms > Self::MAX_LATENCY_MS {
            return Err(format!(
                "sandbox.latency_ms: {} is more than the {} ms a simulated call may take",
                self.latency_ms,
                Self::MAX_LATENCY_MS
            ));
        }
        if self.deploy_polls > Self::MAX_DEPLOY_POLLS {
            return Err(format!(
                "sandbox.deploy_polls: {} is more than the {} polls a simulated deployment may take",
                self.deploy_polls,
                Self::MAX_DEPLOY_POLLS
            ));
        }
        Ok(())
    }
}

/// Bundled scenarios, embedded so `ferry demo` works from any directory.
pub const BUNDLED: [(&str, &str); 5] = [
    ("node-shop", include_str!("../../../../../../assets/scenarios/node-shop.toml")),
    ("legacy-monolith", include_str!("../../../../../../assets/scenarios/legacy-monolith.toml")),
    ("flaky-network", include_str!("../../../../../../assets/scenarios/flaky-network.toml")),
    ("python-shop", include_str!("../../../../../../assets/scenarios/python-shop.toml")),
    ("java-shop", include_str!("../../../../../../assets/scenarios/java-shop.toml")),
];

impl Scenario {
    /// A bundled scenario by name, or a scenario file by path.
    pub fn load(name_or_path: &str) -> Result<Scenario, ScenarioError> {
        if let Some((name, text)) = BUNDLED.iter().find(|(name, _)| *name == name_or_path) {
            return Scenario::parse(text, &format!("{name} (bundled)"));
        }
        let path = std::path::Path::new(name_or_path);
        let text = crate::files::read_bounded_text(path, crate::files::SCENARIO_MAX_BYTES, "scenario file").map_err(
            |error| ScenarioError {
                file: name_or_path.to_string(),
                message: match error {
                    // A name that is no file may be a misspelt bundled one.
                    crate::files::FileError::Read { .. } => {
                        format!("{}; bundled scenarios are: {}", error.reason(), BUNDLED.map(|(n, _)| n).join(", "))
                    }
                    _ => error.reason(),
                },
            },
        )?;
        Scenario::parse(&text, name_or_path)
    }

    /// Parses and checks a scenario; `file` names it in errors.
    pub fn parse(text: &str, file: &str) -> Result<Scenario, ScenarioError> {
        let error = |message: String| ScenarioError { file: file.to_string(), message };
        let scenario: Scenario = toml::from_str(text).map_err(|e| error(e.to_string().trim_end().to_string()))?;
        scenario.validate().map_err(error)?;
        Ok(scenario)
    }

    /// Every reference resolves, ids are unique, documents are JSON, the pace is bounded.
    fn validate(&self) -> Result<(), String> {
        self.sandbox.validate()?;
        self.faults.validate()?;
        self.endpoints.validate()?;
        self.metrics.validate()?;
        let ids = Ids {
            vpcs: unique("vpcs", "id", self.vpcs.iter().map(|v| v.id.as_str()))?,
            subnets: unique("subnets", "id", self.subnets.iter().map(|s| s.id.as_str()))?,
            groups: unique("security_groups", "id", self.security_groups.iter().map(|g| g.id.as_str()))?,
            instances: unique("instances", "id", self.instances.iter().map(|i| i.id.as_str()))?,
            profiles: unique("instance_profiles", "name", self.instance_profiles.iter().map(|p| p.name.as_str()))?,
            roles: unique("roles", "name", self.roles.iter().map(|r| r.name.as_str()))?,
            target_groups: unique("target_groups", "name", self.target_groups.iter().map(|t| t.name.as_str()))?,
        };
        let balancers = unique("load_balancers", "name", self.load_balancers.iter().map(|l| l.name.as_str()))?;
        unique("hosted_zones", "name", self.hosted_zones.iter().map(|z| z.name.trim_end_matches('.')))?;
        stack_specs::validate_zones(&self.hosted_zones, &balancers.iter().copied().collect::<Vec<_>>())?;
        stack_specs::validate_certificates(&self.certificates)?;
        watcher_specs::validate_watchers(&self.alarms, &self.log_groups, &balancers, &ids.target_groups)?;

        check("account.app_instance", &self.account.app_instance, &ids.instances, "instance")?;
        self.validate_auto_scaling_groups(&ids)?;
        for (i, s) in self.subnets.iter().enumerate() {
            check(&format!("subnets[{i}].vpc_id"), &s.vpc_id, &ids.vpcs, "VPC")?;
        }
        self.validate_security_groups(&ids)?;
        self.validate_instances(&ids)?;
        self.validate_load_balancers(&ids)?;
        self.validate_target_groups(&ids)?;
        for (i, p) in self.instance_profiles.iter().enumerate() {
            check(&format!("instance_profiles[{i}].role"), &p.role, &ids.roles, "role")?;
        }
        self.validate_policies()?;
        self.validate_stores(&ids)
    }

    /// Names are unique, sizes ordered, members defined.
    fn validate_auto_scaling_groups(&self, ids: &Ids) -> Result<(), String> {
        unique("auto_scaling_groups", "name", self.auto_scaling_groups.iter().map(|g| g.name.as_str()))?;
        for (i, group) in self.auto_scaling_groups.iter().enumerate() {
            if group.min_size > group.max_size {
                return Err(format!(
                    "auto_scaling_groups[{i}]: min_size {} is larger than max_size {}",
                    group.min_size, group.max_size
                ));
            }
            for (j, id) in group.instance_ids.iter().enumerate() {
                check(&format!("auto_scaling_groups[{i}].instance_ids[{j}]"), id, &ids.instances, "instance")?;
            }
        }
        Ok(())
    }

    /// Each group is in a defined VPC, and each rule admits exactly one source over a port range.
    fn validate_security_groups(&self, ids: &Ids) -> Result<(), String> {
        for (i, g) in self.security_groups.iter().enumerate() {
            check(&format!("security_groups[{i}].vpc_id"), &g.vpc_id, &ids.vpcs, "VPC")?;
            for (j, rule) in g.ingress.iter().enumerate() {
                let at = format!("security_groups[{i}].ingress[{j}]");
                if let Some(source) = &rule.source_group {
                    check(&format!("{at}.source_group"), source, &ids.groups, "security group")?;
                }
                if rule.source_group.is_some() == rule.cidr.is_some() {
                    return Err(format!("{at}: give exactly one of source_group and cidr"));
                }
                if rule.port.is_none() && (rule.from_port.is_none() || rule.to_port.is_none()) && rule.protocol != "-1"
                {
                    return Err(format!("{at}: give port, or from_port and to_port"));
                }
            }
        }
        Ok(())
    }

    fn validate_instances(&self, ids: &Ids) -> Result<(), String> {
        for (i, inst) in self.instances.iter().enumerate() {
            check(&format!("instances[{i}].subnet_id"), &inst.subnet_id, &ids.subnets, "subnet")?;
            for g in &inst.security_group_ids {
                check(&format!("instances[{i}].security_group_ids"), g, &ids.groups, "security group")?;
            }
            if let Some(p) = &inst.instance_profile {
                check(&format!("instances[{i}].instance_profile"), p, &ids.profiles, "instance profile")?;
            }
            if inst.elastic_ip && inst.public_ip.is_none() {
                return Err(format!("instances[{i}].elastic_ip: give the address in public_ip"));
            }
        }
        Ok(())
    }

    /// A known scheme, at least one subnet, and defined subnets, groups and forward targets.
    fn validate_load_balancers(&self, ids: &Ids) -> Result<(), String> {
        for (i, lb) in self.load_balancers.iter().enumerate() {
            if lb.scheme != "internet-facing" && lb.scheme != "internal" {
                return Err(format!(
                    "load_balancers[{i}].scheme: {:?} is neither \"internet-facing\" nor \"internal\"",
                    lb.scheme
                ));
            }
            if lb.subnet_ids.is_empty() {
                return Err(format!("load_balancers[{i}].subnet_ids: a load balancer needs subnets"));
            }
            for s in &lb.subnet_ids {
                check(&format!("load_balancers[{i}].subnet_ids"), s, &ids.subnets, "subnet")?;
            }
            for g in &lb.security_group_ids {
                check(&format!("load_balancers[{i}].security_group_ids"), g, &ids.groups, "security group")?;
            }
            for (j, l) in lb.listeners.iter().enumerate() {
                if let Some(tg) = &l.forward_to {
                    check(
                        &format!("load_balancers[{i}].listeners[{j}].forward_to"),
                        tg,
                        &ids.target_groups,
                        "target group",
                    )?;
                }
            }
        }
        Ok(())
    }

    /// Each group is in a defined VPC; instance targets are defined, every target's health is a state.
    fn validate_target_groups(&self, ids: &Ids) -> Result<(), String> {
        for (i, tg) in self.target_groups.iter().enumerate() {
            check(&format!("target_groups[{i}].vpc_id"), &tg.vpc_id, &ids.vpcs, "VPC")?;
            for (j, t) in tg.targets.iter().enumerate() {
                if tg.target_type == "instance" {
                    check(&format!("target_groups[{i}].targets[{j}].id"), &t.id, &ids.instances, "instance")?;
                }
                parse_health(&t.health).ok_or_else(|| {
                    format!("target_groups[{i}].targets[{j}].health: {:?} is not a target state (healthy, unhealthy, initial, draining, unused, unavailable)", t.health)
                })?;
            }
        }
        Ok(())
    }

    /// Policy documents are JSON, and every managed policy a role attaches has its document here.
    fn validate_policies(&self) -> Result<(), String> {
        for (i, r) in self.roles.iter().enumerate() {
            for (j, p) in r.inline_policies.iter().enumerate() {
                json(&format!("roles[{i}].inline_policies[{j}].document"), &p.document)?;
            }
            for arn in &r.managed_policies {
                if !self.managed_policies.iter().any(|m| &m.arn == arn) {
                    return Err(format!(
                        "roles[{i}].managed_policies: {arn} has no [[managed_policies]] entry with its document"
                    ));
                }
            }
        }
        for (i, m) in self.managed_policies.iter().enumerate() {
            json(&format!("managed_policies[{i}].document"), &m.document)?;
        }
        Ok(())
    }

    /// Databases and caches name defined VPCs and security groups.
    fn validate_stores(&self, ids: &Ids) -> Result<(), String> {
        for (i, d) in self.databases.iter().enumerate() {
            check(&format!("databases[{i}].vpc_id"), &d.vpc_id, &ids.vpcs, "VPC")?;
            for g in &d.security_group_ids {
                check(&format!("databases[{i}].security_group_ids"), g, &ids.groups, "security group")?;
            }
        }
        for (i, c) in self.caches.iter().enumerate() {
            for g in &c.security_group_ids {
                check(&format!("caches[{i}].security_group_ids"), g, &ids.groups, "security group")?;
            }
        }
        Ok(())
    }
}

/// The ids (or names) each table defines, which references elsewhere must be among.
struct Ids<'a> {
    vpcs: BTreeSet<&'a str>,
    subnets: BTreeSet<&'a str>,
    groups: BTreeSet<&'a str>,
    instances: BTreeSet<&'a str>,
    profiles: BTreeSet<&'a str>,
    roles: BTreeSet<&'a str>,
    target_groups: BTreeSet<&'a str>,
}

pub(super) fn parse_health(text: &str) -> Option<crate::model::TargetState> {
    serde_json::from_value(serde_json::Value::String(text.to_string())).ok()
}

fn unique<'a>(table: &str, field: &str, ids: impl Iterator<Item = &'a str>) -> Result<BTreeSet<&'a str>, String> {
    let mut seen = BTreeSet::new();
    for (i, id) in ids.enumerate() {
        if !seen.insert(id) {
            return Err(format!("{table}[{i}].{field}: {id:?} is defined twice"));
        }
    }
    Ok(seen)
}

fn check(field: &str, id: &str, known: &BTreeSet<&str>, kind: &str) -> Result<(), String> {
    if known.contains(id) { Ok(()) } else { Err(format!("{field}: no {kind} {id:?} is defined in this scenario")) }
}

fn json(field: &str, text: &str) -> Result<(), String> {
    serde_json::from_str::<serde_json::Value>(text)
        .map(|_| ())
        .map_err(|e| format!("{field}: not a JSON document ({e})"))
}
