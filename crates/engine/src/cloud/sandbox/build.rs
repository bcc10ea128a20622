//! Building the sandbox account a validated scenario describes: ARNs, DNS names and the
//! instances' VPCs and zones are derived the way AWS would present them.

use std::collections::BTreeMap;

use serde_json::Value;

use super::scenario::{IngressSpec, ListenerSpec, Scenario, parse_health};
use super::state::{AccountState, SandboxRole, stable_suffix};
use crate::model::service_trust_policy as trust_policy;
use crate::model::{
    AccountInfo, AutoScalingGroup, Bucket, CacheCluster, DbInstance, HealthCheck, IngressRule, Instance,
    InstanceProfile, Listener, LoadBalancer, ManagedPolicy, RuleSource, Scheme, SecurityGroup, Subnet, TargetGroup,
    TargetHealth, Vpc,
};

pub fn account_info(scenario: &Scenario) -> AccountInfo {
    AccountInfo {
        account_id: scenario.account.account_id.clone(),
        region: scenario.account.region.clone(),
        caller_arn: scenario.account.caller_arn.clone(),
        label: scenario.account.name.clone(),
    }
}

impl AccountState {
    /// Builds the account a validated scenario describes.
    pub fn from_scenario(s: &Scenario) -> AccountState {
        let arns = Arns { acct: &s.account.account_id, region: &s.account.region };
        let subnets = build_subnets(s);
        let instances = build_instances(s, &subnets, &arns);
        let (load_balancers, listeners) = build_load_balancers(s, &subnets, &arns);
        let (target_groups, target_health) = build_target_groups(s, &arns);
        let roles = build_roles(s, &arns);
        let auto_scaling_groups = build_auto_scaling_groups(s, &instances);

        let mut account = AccountState {
            vpcs: s.vpcs.iter().map(|v| Vpc { id: v.id.clone(), cidr: v.cidr.clone(), name: v.name.clone() }).collect(),
            subnets,
            security_groups: build_security_groups(s),
            instances,
            load_balancers,
            listeners,
            target_groups,
            target_health,
            instance_profiles: build_instance_profiles(s, &arns),
            roles,
            managed_policies: build_managed_policies(s),
            db_instances: build_db_instances(s, &arns),
            cache_clusters: build_cache_clusters(s, &arns),
            buckets: s
                .buckets
                .iter()
                .map(|b| Bucket { name: b.name.clone(), region: arns.region.to_string() })
                .collect(),
            auto_scaling_groups,
            repositories: BTreeMap::new(),
            secrets: BTreeMap::new(),
            express_services: BTreeMap::new(),
            hosted_zones: Vec::new(),
            records: BTreeMap::new(),
            listener_certificates: BTreeMap::new(),
            certificate_domains: BTreeMap::new(),
            volumes: BTreeMap::new(),
            snapshots: Vec::new(),
            elastic_ips: BTreeMap::new(),
            alarms: Vec::new(),
            log_groups: Vec::new(),
        };
        account.add_old_stack(s);
        account.add_watchers(s);
        account
    }
}

/// The scenario's account and region, from which every derived ARN is formatted.
struct Arns<'a> {
    acct: &'a str,
    region: &'a str,
}

impl Arns<'_> {
    fn elb(&self, kind: &str, path: &str) -> String {
        let Arns { acct, region } = self;
        format!("arn:aws:elasticloadbalancing:{region}:{acct}:{kind}/{path}")
    }

    fn load_balancer(&self, name: &str) -> String {
        self.elb("loadbalancer", &format!("app/{name}/{}", stable_suffix(name)))
    }

    fn target_group(&self, name: &str) -> String {
        self.elb("targetgroup", &format!("{name}/{}", stable_suffix(name)))
    }

    /// A listener's ARN derives from its load balancer's name and its port.
    fn listener(&self, lb_name: &str, port: u16) -> String {
        self.elb(
            "listener",
            &format!("app/{lb_name}/{}/{}", stable_suffix(lb_name), stable_suffix(&format!("{lb_name}:{port}"))),
        )
    }

    fn instance_profile(&self, name: &str) -> String {
        format!("arn:aws:iam::{}:instance-profile/{name}", self.acct)
    }
}

fn build_subnets(s: &Scenario) -> Vec<Subnet> {
    s.subnets
        .iter()
        .map(|x| Subnet {
            id: x.id.clone(),
            vpc_id: x.vpc_id.clone(),
            cidr: x.cidr.clone(),
            availability_zone: x.availability_zone.clone(),
            public: x.public,
            name: x.name.clone(),
        })
        .collect()
}

/// Each instance takes its VPC and zone from its subnet, and its `Name` and Auto Scaling
/// group tags from the scenario.
fn build_instances(s: &Scenario, subnets: &[Subnet], arns: &Arns) -> Vec<Instance> {
    s.instances
        .iter()
        .map(|x| {
            let subnet = subnets.iter().find(|sn| sn.id == x.subnet_id);
            let mut tags = x.tags.clone();
            if let Some(name) = &x.name {
                tags.insert("Name".into(), name.clone());
            }
            if let Some(group) = s.auto_scaling_groups.iter().find(|g| g.instance_ids.contains(&x.id)) {
                tags.insert("aws:autoscaling:groupName".into(), group.name.clone());
            }
            Instance {
                id: x.id.clone(),
                name: x.name.clone(),
                instance_type: x.instance_type.clone(),
                state: x.state.clone(),
                availability_zone: subnet.map(|sn| sn.availability_zone.clone()).unwrap_or_default(),
                private_ip: x.private_ip.clone(),
                public_ip: x.public_ip.clone(),
                vpc_id: subnet.map(|sn| sn.vpc_id.clone()).unwrap_or_default(),
                subnet_id: x.subnet_id.clone(),
                security_group_ids: x.security_group_ids.clone(),
                instance_profile_arn: x.instance_profile.as_deref().map(|name| arns.instance_profile(name)),
                tags,
                user_data: x.user_data.clone(),
            }
        })
        .collect()
}

/// The load balancers, and the listeners of all of them in load balancer order.
fn build_load_balancers(s: &Scenario, subnets: &[Subnet], arns: &Arns) -> (Vec<LoadBalancer>, Vec<Listener>) {
    let mut listeners = Vec::new();
    let load_balancers = s
        .load_balancers
        .iter()
        .map(|x| {
            let arn = arns.load_balancer(&x.name);
            for l in &x.listeners {
                listeners.push(build_listener(&x.name, l, &arn, arns));
            }
            LoadBalancer {
                arn,
                name: x.name.clone(),
                kind: "application".into(),
                scheme: if x.scheme == "internal" { Scheme::Internal } else { Scheme::InternetFacing },
                dns_name: format!("{}-{}.{}.elb.amazonaws.com", x.name, &stable_suffix(&x.name)[..10], arns.region),
                vpc_id: subnets
                    .iter()
                    .find(|sn| Some(&sn.id) == x.subnet_ids.first())
                    .map(|sn| sn.vpc_id.clone())
                    .unwrap_or_default(),
                subnet_ids: x.subnet_ids.clone(),
                security_group_ids: x.security_group_ids.clone(),
            }
        })
        .collect();
    (load_balancers, listeners)
}

fn build_listener(lb_name: &str, l: &ListenerSpec, lb_arn: &str, arns: &Arns) -> Listener {
    Listener {
        arn: arns.listener(lb_name, l.port),
        load_balancer_arn: lb_arn.to_string(),
        protocol: l.protocol.clone(),
        port: l.port,
        certificate_arn: l.certificate_arn.clone(),
        forward_target_group_arns: l.forward_to.iter().map(|t| arns.target_group(t)).collect(),
    }
}

/// The target groups, and their registered targets' health by target group ARN.
fn build_target_groups(s: &Scenario, arns: &Arns) -> (Vec<TargetGroup>, BTreeMap<String, Vec<TargetHealth>>) {
    let mut target_health = BTreeMap::new();
    let target_groups = s
        .target_groups
        .iter()
        .map(|x| {
            let arn = arns.target_group(&x.name);
            let health = x
                .targets
                .iter()
                .map(|t| TargetHealth {
                    target_id: t.id.clone(),
                    port: t.port.unwrap_or(x.port),
                    state: parse_health(&t.health).unwrap_or(crate::model::TargetState::Unavailable),
                    reason: None,
                })
                .collect();
            target_health.insert(arn.clone(), health);
            TargetGroup {
                arn,
                name: x.name.clone(),
                protocol: x.protocol.clone(),
                port: x.port,
                vpc_id: x.vpc_id.clone(),
                target_type: x.target_type.clone(),
                health_check: HealthCheck {
                    protocol: x.protocol.clone(),
                    path: x.health_check_path.clone(),
                    port: "traffic-port".into(),
                    matcher: Some("200".into()),
                },
                load_balancer_arns: s
                    .load_balancers
                    .iter()
                    .filter(|lb| lb.listeners.iter().any(|l| l.forward_to.as_deref() == Some(&x.name)))
                    .map(|lb| arns.load_balancer(&lb.name))
                    .collect(),
                stickiness: x.stickiness.clone(),
            }
        })
        .collect();
    (target_groups, target_health)
}

/// The roles by name; an inline policy that is no JSON document becomes `null`.
fn build_roles(s: &Scenario, arns: &Arns) -> BTreeMap<String, SandboxRole> {
    s.roles
        .iter()
        .map(|r| {
            let role = SandboxRole {
                arn: format!("arn:aws:iam::{}:role/{}", arns.acct, r.name),
                name: r.name.clone(),
                trust_policy: trust_policy(&r.trusted_service),
                managed_policy_arns: r.managed_policies.clone(),
                inline_policies: r
                    .inline_policies
                    .iter()
                    .map(|p| (p.name.clone(), serde_json::from_str(&p.document).unwrap_or(Value::Null)))
                    .collect(),
                tags: Vec::new(),
            };
            (r.name.clone(), role)
        })
        .collect()
}

/// Each group spans the zones of its member instances, sorted and without repeats.
fn build_auto_scaling_groups(s: &Scenario, instances: &[Instance]) -> Vec<AutoScalingGroup> {
    s.auto_scaling_groups
        .iter()
        .map(|g| {
            let mut zones: Vec<String> = g
                .instance_ids
                .iter()
                .filter_map(|id| instances.iter().find(|i| &i.id == id))
                .map(|i| i.availability_zone.clone())
                .collect();
            zones.sort();
            zones.dedup();
            AutoScalingGroup {
                name: g.name.clone(),
                min_size: g.min_size,
                max_size: g.max_size,
                desired_capacity: g.desired_capacity.unwrap_or(g.instance_ids.len() as u32),
                availability_zones: zones,
            }
        })
        .collect()
}

fn build_security_groups(s: &Scenario) -> Vec<SecurityGroup> {
    s.security_groups
        .iter()
        .map(|g| SecurityGroup {
            id: g.id.clone(),
            name: g.name.clone(),
            vpc_id: g.vpc_id.clone(),
            description: g.description.clone(),
            ingress: g.ingress.iter().map(ingress_rule).collect(),
            tags: BTreeMap::new(),
        })
        .collect()
}

fn build_instance_profiles(s: &Scenario, arns: &Arns) -> Vec<InstanceProfile> {
    s.instance_profiles
        .iter()
        .map(|p| InstanceProfile {
            arn: arns.instance_profile(&p.name),
            name: p.name.clone(),
            role_names: vec![p.role.clone()],
        })
        .collect()
}

/// The managed policies by ARN, each named by the ARN's last segment.
fn build_managed_policies(s: &Scenario) -> BTreeMap<String, ManagedPolicy> {
    s.managed_policies
        .iter()
        .map(|m| {
            let name = m.arn.rsplit('/').next().unwrap_or(&m.arn).to_string();
            let document = serde_json::from_str(&m.document).unwrap_or(Value::Null);
            (m.arn.clone(), ManagedPolicy { arn: m.arn.clone(), name, document })
        })
        .collect()
}

fn build_db_instances(s: &Scenario, arns: &Arns) -> Vec<DbInstance> {
    let Arns { acct, region } = arns;
    s.databases
        .iter()
        .map(|d| DbInstance {
            identifier: d.identifier.clone(),
            arn: format!("arn:aws:rds:{region}:{acct}:db:{}", d.identifier),
            engine: d.engine.clone(),
            engine_version: d.engine_version.clone(),
            endpoint: d.endpoint.clone(),
            port: d.port,
            vpc_id: d.vpc_id.clone(),
            security_group_ids: d.security_group_ids.clone(),
        })
        .collect()
}

fn build_cache_clusters(s: &Scenario, arns: &Arns) -> Vec<CacheCluster> {
    let Arns { acct, region } = arns;
    s.caches
        .iter()
        .map(|c| CacheCluster {
            id: c.id.clone(),
            arn: format!("arn:aws:elasticache:{region}:{acct}:cluster:{}", c.id),
            engine: c.engine.clone(),
            engine_version: c.engine_version.clone(),
            endpoint: c.endpoint.clone(),
            port: c.port,
            security_group_ids: c.security_group_ids.clone(),
        })
        .collect()
}

fn ingress_rule(spec: &IngressSpec) -> IngressRule {
    let from = spec.port.or(spec.from_port).unwrap_or(0);
    let to = spec.port.or(spec.to_port).unwrap_or(65535);
    IngressRule {
        protocol: spec.protocol.clone(),
        from_port: from,
        to_port: to,
        source: match (&spec.source_group, &spec.cidr) {
            (Some(group_id), _) => RuleSource::Group { group_id: group_id.clone() },
            (None, cidr) => RuleSource::Cidr { cidr: cidr.clone().unwrap_or_default() },
        },
    }
}
