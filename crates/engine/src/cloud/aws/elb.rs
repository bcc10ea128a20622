//! Load balancers, listeners, target groups and their targets' health.

use aws_sdk_elasticloadbalancingv2::types as elb;

use super::{AwsCloud, errors::from_sdk};
use crate::cloud::CloudResult;
use crate::model::{HealthCheck, Listener, LoadBalancer, Scheme, TargetGroup, TargetHealth, TargetState};

pub async fn load_balancers(cloud: &AwsCloud) -> CloudResult<Vec<LoadBalancer>> {
    // ELBv2 paginators take the page size on the request (PageSize), not on the paginator.
    let request = cloud.elb.describe_load_balancers().set_page_size(cloud.page_size).into_paginator();
    let pages = request.send().try_collect().await.map_err(from_sdk("elasticloadbalancing:DescribeLoadBalancers"))?;
    Ok(pages
        .iter()
        .flat_map(|p| p.load_balancers())
        .map(|lb| LoadBalancer {
            arn: lb.load_balancer_arn().unwrap_or_default().to_string(),
            name: lb.load_balancer_name().unwrap_or_default().to_string(),
            kind: lb.r#type().map(|t| t.as_str().to_string()).unwrap_or_default(),
            scheme: match lb.scheme() {
                Some(elb::LoadBalancerSchemeEnum::Internal) => Scheme::Internal,
                _ => Scheme::InternetFacing,
            },
            dns_name: lb.dns_name().unwrap_or_default().to_string(),
            vpc_id: lb.vpc_id().unwrap_or_default().to_string(),
            subnet_ids: lb.availability_zones().iter().filter_map(|z| z.subnet_id().map(str::to_string)).collect(),
            security_group_ids: lb.security_groups().to_vec(),
        })
        .collect())
}

/// The listeners of one load balancer; a listener forwards to the target groups of its
/// default action and of its rules.
pub async fn listeners(cloud: &AwsCloud, load_balancer_arn: &str) -> CloudResult<Vec<Listener>> {
    let pages = cloud
        .elb
        .describe_listeners()
        .load_balancer_arn(load_balancer_arn)
        .into_paginator()
        .send()
        .try_collect()
        .await
        .map_err(from_sdk("elasticloadbalancing:DescribeListeners"))?;
    let listeners: Vec<&elb::Listener> = pages.iter().flat_map(|p| p.listeners()).collect();
    let rules = futures::future::join_all(listeners.iter().map(|l| {
        cloud
            .elb
            .describe_rules()
            .listener_arn(l.listener_arn().unwrap_or_default())
            .into_paginator()
            .send()
            .try_collect()
    }))
    .await;
    let mut out = Vec::new();
    for (listener, rules) in listeners.into_iter().zip(rules) {
        let rules = rules.map_err(from_sdk("elasticloadbalancing:DescribeRules"))?;
        let mut forwards = forward_targets(listener.default_actions());
        for rule in rules.iter().flat_map(|page| page.rules()) {
            for arn in forward_targets(rule.actions()) {
                if !forwards.contains(&arn) {
                    forwards.push(arn);
                }
            }
        }
        out.push(Listener {
            arn: listener.listener_arn().unwrap_or_default().to_string(),
            load_balancer_arn: load_balancer_arn.to_string(),
            protocol: listener.protocol().map(|p| p.as_str().to_string()).unwrap_or_default(),
            port: listener.port().and_then(|p| u16::try_from(p).ok()).unwrap_or_default(),
            certificate_arn: listener.certificates().iter().find_map(|c| c.certificate_arn()).map(str::to_string),
            forward_target_group_arns: forwards,
        });
    }
    Ok(out)
}

fn forward_targets(actions: &[elb::Action]) -> Vec<String> {
    let mut arns = Vec::new();
    for action in actions {
        arns.extend(action.target_group_arn().map(str::to_string));
        if let Some(config) = action.forward_config() {
            arns.extend(config.target_groups().iter().filter_map(|t| t.target_group_arn().map(str::to_string)));
        }
    }
    arns.dedup();
    arns
}

pub async fn target_groups(cloud: &AwsCloud) -> CloudResult<Vec<TargetGroup>> {
    let request = cloud.elb.describe_target_groups().set_page_size(cloud.page_size).into_paginator();
    let pages = request.send().try_collect().await.map_err(from_sdk("elasticloadbalancing:DescribeTargetGroups"))?;
    Ok(pages
        .iter()
        .flat_map(|p| p.target_groups())
        .map(|tg| TargetGroup {
            arn: tg.target_group_arn().unwrap_or_default().to_string(),
            name: tg.target_group_name().unwrap_or_default().to_string(),
            protocol: tg.protocol().map(|p| p.as_str().to_string()).unwrap_or_default(),
            port: tg.port().and_then(|p| u16::try_from(p).ok()).unwrap_or_default(),
            vpc_id: tg.vpc_id().unwrap_or_default().to_string(),
            target_type: tg.target_type().map(|t| t.as_str().to_string()).unwrap_or_else(|| "instance".into()),
            health_check: HealthCheck {
                protocol: tg.health_check_protocol().map(|p| p.as_str().to_string()).unwrap_or_default(),
                path: tg.health_check_path().map(str::to_string),
                port: tg.health_check_port().unwrap_or("traffic-port").to_string(),
                matcher: tg.matcher().and_then(|m| m.http_code()).map(str::to_string),
            },
            load_balancer_arns: unique(tg.load_balancer_arns()),
            stickiness: None,
        })
        .collect())
}

pub async fn stickiness(cloud: &AwsCloud, target_group_arn: &str) -> CloudResult<Option<String>> {
    let out = cloud
        .elb
        .describe_target_group_attributes()
        .target_group_arn(target_group_arn)
        .send()
        .await
        .map_err(from_sdk("elasticloadbalancing:DescribeTargetGroupAttributes"))?;
    let attribute = |key: &str| out.attributes().iter().find(|a| a.key() == Some(key)).and_then(|a| a.value());
    Ok((attribute("stickiness.enabled") == Some("true"))
        .then(|| attribute("stickiness.type").unwrap_or("lb_cookie").to_string()))
}

pub async fn target_health(cloud: &AwsCloud, target_group_arn: &str) -> CloudResult<Vec<TargetHealth>> {
    let out = cloud
        .elb
        .describe_target_health()
        .target_group_arn(target_group_arn)
        .send()
        .await
        .map_err(from_sdk("elasticloadbalancing:DescribeTargetHealth"))?;
    Ok(out
        .target_health_descriptions()
        .iter()
        .map(|d| TargetHealth {
            target_id: d.target().and_then(|t| t.id()).unwrap_or_default().to_string(),
            port: d.target().and_then(|t| t.port()).and_then(|p| u16::try_from(p).ok()).unwrap_or_default(),
            state: match d.target_health().and_then(|h| h.state()).map(|s| s.as_str()) {
                Some("healthy") => TargetState::Healthy,
                Some("unhealthy") => TargetState::Unhealthy,
                Some("initial") => TargetState::Initial,
                Some("draining") => TargetState::Draining,
                Some("unused") => TargetState::Unused,
                _ => TargetState::Unavailable,
            },
            reason: d.target_health().and_then(|h| h.description()).map(str::to_string),
        })
        .collect())
}

/// Each load balancer once, in order (some emulators repeat one per listener).
fn unique(arns: &[String]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for arn in arns {
        if !out.contains(arn) {
            out.push(arn.clone());
        }
    }
    out
}
