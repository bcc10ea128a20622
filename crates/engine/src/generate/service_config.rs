//! The Express Mode service config, shaped exactly as
//! `aws ecs create-express-gateway-service --cli-input-json` takes it.

use super::{Names, task_size};
use crate::model::placeholders::{RUN_ID, SERVICE_SECURITY_GROUP};
use crate::model::{
    AccountInfo, AppProfile, ExpressServiceConfig, KeyValuePair, MigrationGraph, NetworkConfiguration,
    PrimaryContainer, ScalingTarget, Scheme, SecretRef, Subnet, Tag,
};

/// Builds the config from what discovery and analysis found.
pub fn service_config(
    graph: &MigrationGraph,
    profile: &AppProfile,
    account: &AccountInfo,
    names: &Names,
) -> ExpressServiceConfig {
    let partition = crate::model::partition(&account.region);
    let iam = |role: &str| format!("arn:{partition}:iam::{}:role/{role}", account.account_id);
    let size = task_size(&graph.instance.instance_type);
    let mut environment: Vec<KeyValuePair> = profile
        .env
        .iter()
        .filter_map(|var| Some(KeyValuePair { name: var.name.clone(), value: var.value.clone()? }))
        .collect();
    // Apps and servers that read PORT (`process.env.PORT || 3000`, gunicorn, Spring's
    // `${PORT:8080}`) then listen where the load balancer sends traffic.
    if !profile.env.iter().any(|var| var.name == "PORT") {
        environment.insert(0, KeyValuePair { name: "PORT".into(), value: profile.port.to_string() });
    }
    // Spring Boot never reads PORT: its own setting, through relaxed binding, moves it.
    if profile.framework.as_deref() == Some("Spring Boot") && !profile.env.iter().any(|var| var.name == "SERVER_PORT") {
        let after_port = environment.iter().position(|var| var.name == "PORT").map_or(0, |at| at + 1);
        environment.insert(after_port, KeyValuePair { name: "SERVER_PORT".into(), value: profile.port.to_string() });
    }
    let secrets = profile
        .secrets()
        .map(|var| SecretRef {
            name: var.name.clone(),
            value_from: format!(
                "arn:{partition}:secretsmanager:{}:{}:secret:{}",
                account.region,
                account.account_id,
                names.secret(&var.name)
            ),
        })
        .collect();

    ExpressServiceConfig {
        service_name: names.service.clone(),
        cluster: "default".into(),
        primary_container: PrimaryContainer {
            image: format!(
                "{}.dkr.ecr.{}.amazonaws.com/{}:latest",
                account.account_id, account.region, names.repository
            ),
            container_port: profile.port,
            command: Vec::new(),
            environment,
            secrets,
        },
        execution_role_arn: iam(&names.execution_role),
        infrastructure_role_arn: iam(&names.infrastructure_role),
        task_role_arn: graph.role.as_ref().map(|_| iam(&names.task_role)),
        health_check_path: profile.health_check_path.clone(),
        cpu: size.cpu.to_string(),
        memory: size.memory.to_string(),
        network_configuration: NetworkConfiguration {
            security_groups: vec![SERVICE_SECURITY_GROUP.into()],
            subnets: service_subnets(graph).into_iter().map(|s| s.id.clone()).collect(),
        },
        scaling_target: scaling(graph).target,
        tags: vec![Tag::new("ferry:run-id", RUN_ID), Tag::new("ferry:source-instance", &graph.instance.id)],
    }
}

/// The task counts the service scales between, and why.
#[derive(Debug, Clone, PartialEq)]
pub struct Scaling {
    /// The task counts and the metric, as the service config takes them.
    pub target: ScalingTarget,
    /// Why those counts, in a line for the operator (`Auto Scaling group web-asg (1–4), at least
    /// 2 for two zones`).
    pub reason: String,
}

/// As many tasks as the instance's Auto Scaling group allowed copies, and never a single task
/// where the app ran highly available (in a group, or behind a load balancer in several
/// zones): one task is one zone, and a deployment would take the app down.
pub fn scaling(graph: &MigrationGraph) -> Scaling {
    let zones = |subnet_ids: &[String]| {
        let mut zones: Vec<&str> = graph
            .vpc_subnets
            .iter()
            .filter(|s| subnet_ids.contains(&s.id))
            .map(|s| s.availability_zone.as_str())
            .collect();
        zones.sort_unstable();
        zones.dedup();
        zones.len()
    };
    let multi_az = graph.routes.iter().find(|r| zones(&r.load_balancer.subnet_ids) >= 2);
    // Express Mode spreads tasks over at least two zones, so fewer than two tasks leaves a
    // zone empty: every service starts with one task per zone at least.
    let (min, max, reason) = match (&graph.auto_scaling_group, multi_az) {
        (Some(group), _) => {
            let min = group.min_size.max(2);
            let max = group.max_size.max(min);
            let raised = if group.min_size < 2 { ", at least 2 for two zones" } else { "" };
            (min, max, format!("Auto Scaling group {} ({}–{}){raised}", group.name, group.min_size, group.max_size))
        }
        (None, Some(route)) => (
            2,
            4,
            format!(
                "{} spans {} zones: 2 tasks, one per zone",
                route.load_balancer.name,
                zones(&route.load_balancer.subnet_ids)
            ),
        ),
        (None, None) => {
            (2, 4, "a single instance; Express Mode runs across 2 zones: 2 tasks, one per zone".to_string())
        }
    };
    Scaling {
        target: ScalingTarget {
            min_task_count: min,
            max_task_count: max,
            auto_scaling_metric: "AVERAGE_CPU".into(),
            auto_scaling_target_value: 60,
        },
        reason,
    }
}

/// Whether the service should be reachable from the internet: it is when the old ALB was.
pub fn wants_public(graph: &MigrationGraph) -> bool {
    graph.routes.iter().any(|r| r.load_balancer.scheme == Scheme::InternetFacing)
}

/// One subnet per availability zone, public or private as the old load balancer was.
pub fn service_subnets(graph: &MigrationGraph) -> Vec<&Subnet> {
    let public = wants_public(graph);
    let mut chosen: Vec<&Subnet> = Vec::new();
    for subnet in graph.vpc_subnets.iter().filter(|s| s.public == public) {
        if !chosen.iter().any(|c| c.availability_zone == subnet.availability_zone) {
            chosen.push(subnet);
        }
    }
    chosen
}
