//! The old stack's CloudWatch alarms and log groups, item by item. Their names are chosen by
//! people, not AWS, so each command quotes them for the shell.

use super::items::{Item, item};
use crate::cost::money::micros;
use crate::cost::{Money, RegionPrices};
use crate::model::{AlarmEdge, LogGroupEdge, MigrationGraph, arn_region};

/// Bytes in the GB CloudWatch Logs bills storage by.
const GIB: u64 = 1 << 30;

/// Target tracking scaling policies make these alarms and delete them with the policy.
const TARGET_TRACKING: &str = "TargetTracking-";

/// One item per alarm: deleted first, since once traffic has moved it watches only what is
/// being retired, and would fire as each part goes.
pub(super) fn alarm_items(graph: &MigrationGraph, prices: Option<&RegionPrices>) -> Vec<Item> {
    let price = prices.and_then(|p| p.alarm_metric_monthly);
    graph.alarms.iter().map(|edge| alarm_item(edge, price, graph.auto_scaling_group.is_some())).collect()
}

fn alarm_item(edge: &AlarmEdge, price: Option<f64>, group_listed: bool) -> Item {
    let alarm = &edge.alarm;
    let metrics = alarm.metrics.len().max(1) as u128;
    // A high-resolution alarm costs more than the book's standard rate: no figure beats a wrong one.
    let high_resolution = alarm.metrics.iter().any(|m| m.period_seconds < 60);
    let monthly = price.filter(|_| !high_resolution).map(|p| Money::from_micros(micros(p) * metrics, 1));
    let watches = match alarm.metrics.as_slice() {
        [one] => format!("{} {}", one.namespace, one.name),
        many => format!("{} metrics", many.len()),
    };
    let (command, note) = if group_listed && alarm.name.starts_with(TARGET_TRACKING) {
        (
            "goes with the Auto Scaling group".to_string(),
            "made by a target tracking scaling policy, which deletes it with the group",
        )
    } else {
        (
            format!("aws cloudwatch delete-alarms --alarm-names {}{}", quote(&alarm.name), region(&alarm.arn)),
            "first: it watches only what is being retired; its actions (SNS topics, scaling policies) stay",
        )
    };
    item(
        format!("alarm:{}", alarm.name),
        format!("CloudWatch alarm {} on {watches}", alarm.name),
        monthly,
        command,
        Some(note),
    )
}

/// One item per log group: after the instance, which writes to it.
pub(super) fn log_group_items(graph: &MigrationGraph, prices: Option<&RegionPrices>) -> Vec<Item> {
    let price = prices.and_then(|p| p.log_storage_gb_monthly);
    graph.log_groups.iter().map(|edge| log_group_item(edge, price)).collect()
}

fn log_group_item(edge: &LogGroupEdge, price: Option<f64>) -> Item {
    let group = &edge.log_group;
    let monthly = price.map(|p| Money::from_micros(micros(p) * u128::from(group.stored_bytes), u128::from(GIB)));
    let kept = group.retention_days.map_or("kept forever".to_string(), |d| format!("kept {d} days"));
    item(
        format!("log-group:{}", group.name),
        format!("CloudWatch log group {} ({} stored, {kept})", group.name, size(group.stored_bytes)),
        monthly,
        format!("aws logs delete-log-group --log-group-name {}{}", quote(&group.name), region(&group.arn)),
        Some("after the instance, which writes to it; export what you must keep first (aws logs create-export-task)"),
    )
}

/// ` --region R` from the resource's own ARN, so the command reaches it whatever the shell's
/// default region is.
fn region(arn: &str) -> String {
    arn_region(arn).map(|r| format!(" --region {}", quote(r))).unwrap_or_default()
}

/// `text` as one shell word: quoted when it holds anything a shell reads specially.
fn quote(text: &str) -> String {
    // A NUL byte cannot be passed in an argument at all; no AWS name holds one.
    let text = text.replace('\0', "");
    shlex::try_quote(&text).map(|q| q.into_owned()).unwrap_or_default()
}

/// `1.5 GiB`, `320 MiB`, `12 KiB`, `0 B`.
fn size(bytes: u64) -> String {
    const UNITS: [(&str, u64); 3] = [("GiB", GIB), ("MiB", 1 << 20), ("KiB", 1 << 10)];
    for (unit, scale) in UNITS {
        if bytes >= scale {
            let tenths = (u128::from(bytes) * 10 + u128::from(scale) / 2) / u128::from(scale);
            return match tenths % 10 {
                0 => format!("{} {unit}", tenths / 10),
                d => format!("{}.{d} {unit}", tenths / 10),
            };
        }
    }
    format!("{bytes} B")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_quoted_for_the_shell_and_plain_ones_left_alone() {
        assert_eq!(quote("shop-api-cpu"), "shop-api-cpu");
        for name in ["#shop", "cpu high; rm -rf ~", "it's $(x) `y`", "a\nb"] {
            let quoted = quote(name);
            assert_ne!(quoted, name);
            assert_eq!(shlex::split(&format!("delete {quoted}")), Some(vec!["delete".to_string(), name.to_string()]));
        }
    }

    fn edge(name: &str, periods: &[u32]) -> AlarmEdge {
        let metric = |period_seconds: u32| crate::model::AlarmMetric {
            namespace: "AWS/EC2".into(),
            name: "CPUUtilization".into(),
            dimensions: Vec::new(),
            period_seconds,
        };
        AlarmEdge {
            alarm: crate::model::Alarm {
                name: name.into(),
                arn: format!("arn:aws:cloudwatch:us-east-1:111122223333:alarm:{name}"),
                metrics: periods.iter().map(|p| metric(*p)).collect(),
            },
            evidence: Vec::new(),
        }
    }

    #[test]
    fn an_alarm_costs_its_metrics_at_standard_resolution_and_no_figure_at_high() {
        let cost = |e: &AlarmEdge| alarm_item(e, Some(0.1), false).monthly.map(|m| m.to_string());
        assert_eq!(cost(&edge("one", &[300])).as_deref(), Some("$0.10"));
        assert_eq!(cost(&edge("math", &[60, 60, 300])).as_deref(), Some("$0.30"), "three queried metrics");
        assert_eq!(cost(&edge("fast", &[10])), None);
        let math = alarm_item(&edge("math", &[60, 60]), None, false);
        assert_eq!(math.what, "CloudWatch alarm math on 2 metrics");
    }

    #[test]
    fn a_target_tracking_alarm_goes_with_its_auto_scaling_group() {
        let tracking = edge("TargetTracking-shop-asg-AlarmHigh-1a2b", &[60]);
        assert_eq!(alarm_item(&tracking, None, true).command, "goes with the Auto Scaling group");
        let alone = alarm_item(&tracking, None, false).command;
        assert!(alone.starts_with("aws cloudwatch delete-alarms --alarm-names TargetTracking-"), "{alone}");
    }

    #[test]
    fn sizes_read_as_people_write_them() {
        assert_eq!(size(0), "0 B");
        assert_eq!(size(5 * GIB), "5 GiB");
        assert_eq!(size(3 * GIB / 2), "1.5 GiB");
        assert_eq!(size(320 << 20), "320 MiB");
    }

    #[test]
    fn the_region_comes_from_the_arn() {
        assert_eq!(region("arn:aws:cloudwatch:eu-west-1:111122223333:alarm:x"), " --region eu-west-1");
        assert_eq!(region(""), "");
    }
}
