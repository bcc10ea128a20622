//! The CloudWatch alarms that watch the old stack: those with a metric whose dimensions name
//! the instance, its Auto Scaling group, a target group it is registered in, or a load
//! balancer that serves it alone. They go when the old stack does.

use crate::gate::{load_balancer_dimension, target_group_dimension};
use crate::model::{Alarm, AlarmEdge, Evidence, EvidenceKind, Instance, RouteEdge};

/// One part of the old stack as CloudWatch names it in a metric's dimensions.
struct Watched {
    dimension: &'static str,
    value: String,
    what: String,
}

/// What an alarm may name: the instance, its group (from the tag AWS puts on members, so the
/// group counts even when it could not be read), its target groups, and each load balancer
/// that serves no other target group. A shared load balancer stays after the decommission, so
/// an alarm on it alone is not the old stack's.
fn watched(instance: &Instance, routes: &[RouteEdge]) -> Vec<Watched> {
    let mut parts = vec![Watched { dimension: "InstanceId", value: instance.id.clone(), what: "the instance".into() }];
    if let Some(group) = instance.auto_scaling_group() {
        parts.push(Watched {
            dimension: "AutoScalingGroupName",
            value: group.to_string(),
            what: "its Auto Scaling group".into(),
        });
    }
    for route in routes {
        if let Some(value) = target_group_dimension(&route.target_group.arn) {
            let what = format!("target group {}", route.target_group.name);
            parts.push(Watched { dimension: "TargetGroup", value, what });
        }
        if route.balancer_target_groups <= 1
            && let Some(value) = load_balancer_dimension(&route.load_balancer.arn)
        {
            let what = format!("load balancer {}", route.load_balancer.name);
            parts.push(Watched { dimension: "LoadBalancer", value, what });
        }
    }
    parts
}

/// The alarms among `all` that name a part of the old stack, by name, each with every
/// dimension that does.
pub(super) fn watching(all: Vec<Alarm>, instance: &Instance, routes: &[RouteEdge]) -> Vec<AlarmEdge> {
    let parts = watched(instance, routes);
    let mut edges: Vec<AlarmEdge> = all
        .into_iter()
        .filter_map(|alarm| {
            let mut evidence: Vec<Evidence> = Vec::new();
            for metric in &alarm.metrics {
                for dimension in &metric.dimensions {
                    let Some(part) = parts.iter().find(|p| p.dimension == dimension.name && p.value == dimension.value)
                    else {
                        continue;
                    };
                    let text = format!(
                        "metric {} {} has {} = {} ({})",
                        metric.namespace, metric.name, dimension.name, dimension.value, part.what
                    );
                    if !evidence.iter().any(|e| e.text == text) {
                        evidence.push(Evidence::new(EvidenceKind::AlarmDimension, text));
                    }
                }
            }
            (!evidence.is_empty()).then_some(AlarmEdge { alarm, evidence })
        })
        .collect();
    edges.sort_by(|a, b| a.alarm.name.cmp(&b.alarm.name));
    edges
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::*;
    use crate::model::{AlarmMetric, MetricDimension};

    const LB: &str = "arn:aws:elasticloadbalancing:us-east-1:111122223333:loadbalancer/app/shop-alb/50dc6c495c0c9188";
    const TG: &str = "arn:aws:elasticloadbalancing:us-east-1:111122223333:targetgroup/shop-tg/73e2d6bc24d8a067";

    fn instance(id: &str, group: Option<&str>) -> Instance {
        let tags: BTreeMap<String, String> =
            group.map(|g| ("aws:autoscaling:groupName".to_string(), g.to_string())).into_iter().collect();
        Instance {
            id: id.into(),
            name: None,
            instance_type: "t3.small".into(),
            state: "running".into(),
            availability_zone: "us-east-1a".into(),
            private_ip: None,
            public_ip: None,
            vpc_id: "vpc-1".into(),
            subnet_id: "subnet-1".into(),
            security_group_ids: Vec::new(),
            instance_profile_arn: None,
            tags,
            user_data: None,
        }
    }

    fn route(shared_by: u32) -> RouteEdge {
        serde_json::from_value(serde_json::json!({
            "load_balancer": {
                "arn": LB, "name": "shop-alb", "dns_name": "shop.elb", "scheme": "internet-facing",
                "kind": "application", "vpc_id": "vpc-1", "subnet_ids": [], "security_group_ids": []
            },
            "listeners": [],
            "target_group": {
                "arn": TG, "name": "shop-tg", "protocol": "HTTP", "port": 3000, "vpc_id": "vpc-1",
                "target_type": "instance",
                "health_check": { "protocol": "HTTP", "path": "/healthz", "port": "traffic-port", "matcher": null },
                "load_balancer_arns": [LB]
            },
            "target": { "target_id": "i-0a1b2c3d4e5f60718", "port": 3000, "state": "healthy", "reason": null },
            "evidence": [],
            "balancer_target_groups": shared_by
        }))
        .expect("a route")
    }

    fn alarm(name: &str, dimensions: &[(&str, &str)]) -> Alarm {
        Alarm {
            name: name.into(),
            arn: format!("arn:aws:cloudwatch:us-east-1:111122223333:alarm:{name}"),
            metrics: vec![AlarmMetric {
                namespace: "AWS/EC2".into(),
                name: "CPUUtilization".into(),
                dimensions: dimensions
                    .iter()
                    .map(|(n, v)| MetricDimension { name: n.to_string(), value: v.to_string() })
                    .collect(),
                period_seconds: 300,
            }],
        }
    }

    fn names(edges: &[AlarmEdge]) -> Vec<&str> {
        edges.iter().map(|e| e.alarm.name.as_str()).collect()
    }

    #[test]
    fn an_alarm_on_the_instance_is_listed_and_one_on_another_instance_is_not() {
        let all = vec![
            alarm("other-cpu", &[("InstanceId", "i-0ee55ff66aa77bb88")]),
            alarm("shop-cpu", &[("InstanceId", "i-0a1b2c3d4e5f60718")]),
            alarm("prefix-only", &[("InstanceId", "i-0a1b2c3d4e5f6071")]),
            alarm("no-dimensions", &[]),
        ];
        let edges = watching(all, &instance("i-0a1b2c3d4e5f60718", None), &[]);
        assert_eq!(names(&edges), ["shop-cpu"]);
        assert_eq!(edges[0].evidence[0].kind, EvidenceKind::AlarmDimension);
        assert!(edges[0].evidence[0].text.contains("InstanceId = i-0a1b2c3d4e5f60718 (the instance)"));
    }

    #[test]
    fn load_balancer_target_group_and_auto_scaling_group_dimensions_count() {
        let all = vec![
            alarm("alb-5xx", &[("LoadBalancer", "app/shop-alb/50dc6c495c0c9188")]),
            alarm("tg-unhealthy", &[("TargetGroup", "targetgroup/shop-tg/73e2d6bc24d8a067"), ("LoadBalancer", "x")]),
            alarm("asg-cpu", &[("AutoScalingGroupName", "shop-asg")]),
            alarm("other-alb", &[("LoadBalancer", "app/other/1")]),
            alarm("other-asg", &[("AutoScalingGroupName", "other-asg")]),
            // The same value under another dimension names something else.
            alarm("wrong-dimension", &[("InstanceId", "shop-asg")]),
        ];
        let edges = watching(all, &instance("i-0a1b2c3d4e5f60718", Some("shop-asg")), &[route(1)]);
        assert_eq!(names(&edges), ["alb-5xx", "asg-cpu", "tg-unhealthy"]);
    }

    #[test]
    fn an_alarm_only_on_a_shared_load_balancer_is_not_the_old_stacks() {
        let all = vec![
            alarm("alb-5xx", &[("LoadBalancer", "app/shop-alb/50dc6c495c0c9188")]),
            alarm("tg-unhealthy", &[("TargetGroup", "targetgroup/shop-tg/73e2d6bc24d8a067")]),
        ];
        let edges = watching(all, &instance("i-0a1b2c3d4e5f60718", None), &[route(3)]);
        assert_eq!(names(&edges), ["tg-unhealthy"]);
    }
}
