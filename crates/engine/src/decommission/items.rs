//! The old stack, item by item: what each costs a month and the exact AWS CLI command that
//! removes it. ferry lists; the operator removes, one confirmed item at a time.

use serde::Serialize;

use crate::cost::money::micros;
use crate::cost::{HOURS_PER_MONTH, Money, RegionPrices};
use crate::model::MigrationGraph;

/// One thing the old stack holds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Item {
    /// Stable within the list, what `--done` names: `instance`, `volume:vol-0abc`...
    pub id: String,
    /// What it is, in words.
    pub what: String,
    /// What it costs a month; `None` when the price book has no price for it.
    pub monthly: Option<Money>,
    /// The command that removes it.
    pub command: String,
    /// What to know before running it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

pub(super) fn item(id: String, what: String, monthly: Option<Money>, command: String, note: Option<&str>) -> Item {
    Item { id, what, monthly, command, note: note.map(str::to_string) }
}

/// `hourly` × 730 hours, divided by `share`, to the cent.
fn month(hourly: f64, share: u32) -> Money {
    Money::from_micros(micros(hourly) * u128::from(HOURS_PER_MONTH), u128::from(share.max(1)))
}

/// Every item of the old stack discovery found, in the order to retire them: the alarms that
/// watch it, traffic, then compute, storage, addresses, the logs it wrote, and identity.
/// `kept_certificates` are in use elsewhere (the Express listener serves them now) and are
/// listed as kept.
pub fn checklist(graph: &MigrationGraph, prices: Option<&RegionPrices>, kept_certificates: &[String]) -> Vec<Item> {
    let mut items = super::watchers::alarm_items(graph, prices);
    items.extend(balancer_items(graph, prices));
    items.extend(instance_items(graph, prices));
    items.extend(super::watchers::log_group_items(graph, prices));
    items.extend(identity_items(graph));
    for certificate in &graph.certificates {
        let kept = kept_certificates.contains(&certificate.arn);
        let note = if kept {
            "the Express listener serves it now: keep it"
        } else {
            "only once nothing else uses it (ACM lists what does under InUseBy)"
        };
        let command = if kept {
            "keep".into()
        } else {
            format!("aws acm delete-certificate --certificate-arn {}", certificate.arn)
        };
        items.push(item(
            format!("certificate:{}", tail(&certificate.arn)),
            format!("certificate {}", certificate.arn),
            Some(Money(0)),
            command,
            Some(note),
        ));
    }
    items
}

fn tail(arn: &str) -> &str {
    arn.rsplit(['/', ':']).next().unwrap_or(arn)
}

/// The load balancer (when the app was its only user), its listeners and the target group.
fn balancer_items(graph: &MigrationGraph, prices: Option<&RegionPrices>) -> Vec<Item> {
    let mut items = Vec::new();
    for route in &graph.routes {
        let lb = &route.load_balancer;
        let share = route.balancer_target_groups.max(1);
        let price = prices.and_then(|p| p.load_balancer_hourly.get(&lb.kind));
        let monthly = price.map(|p| month(p.hour + p.lcu, share));
        if share == 1 {
            items.push(item(
                format!("load-balancer:{}", lb.name),
                format!("{} load balancer {} and its listeners", lb.kind, lb.name),
                monthly,
                format!("aws elbv2 delete-load-balancer --load-balancer-arn {}", lb.arn),
                Some("its listeners go with it; its security groups are listed below"),
            ));
            for group in &lb.security_group_ids {
                items.push(item(
                    format!("security-group:{group}"),
                    format!("security group {group} of {}", lb.name),
                    Some(Money(0)),
                    format!("aws ec2 delete-security-group --group-id {group}"),
                    Some("once the load balancer is gone, and only if nothing else uses it"),
                ));
            }
        }
        let note =
            (share > 1).then_some("the load balancer serves other target groups: it stays, only this group goes");
        items.push(item(
            format!("target-group:{}", route.target_group.name),
            format!("target group {}", route.target_group.name),
            Some(Money(0)),
            format!("aws elbv2 delete-target-group --target-group-arn {}", route.target_group.arn),
            note.or(Some("after the load balancer, which uses it")),
        ));
    }
    items
}

/// The instance (stopped first), its volumes, snapshots, Elastic IPs and Auto Scaling group.
fn instance_items(graph: &MigrationGraph, prices: Option<&RegionPrices>) -> Vec<Item> {
    let instance = &graph.instance;
    let mut items = Vec::new();
    if let Some(group) = &graph.auto_scaling_group {
        items.push(item(format!("auto-scaling-group:{}", group.name), format!("Auto Scaling group {}", group.name), Some(Money(0)), format!("aws autoscaling delete-auto-scaling-group --auto-scaling-group-name {} --force-delete", group.name), Some("first, or it replaces the instance; then its launch template (aws autoscaling describe-auto-scaling-groups names it)")));
    }
    let hourly = prices.and_then(|p| p.ec2_hourly.get(&instance.instance_type));
    items.push(item(
        "instance".into(),
        format!("EC2 instance {} ({}, {})", instance.display_name(), instance.id, instance.instance_type),
        hourly.map(|h| month(*h, 1)),
        format!("aws ec2 stop-instances --instance-ids {id}   # 24-48 h later: aws ec2 terminate-instances --instance-ids {id}", id = instance.id),
        Some("stop it first and watch for 24-48 hours; terminating it cannot be undone"),
    ));
    for volume in &graph.volumes {
        let price = prices.and_then(|p| p.ebs_monthly.get(&volume.volume_type));
        let monthly = price.map(|p| Money::from_micros(micros(p.gb) * u128::from(volume.size_gib), 1));
        let (command, note) = if volume.delete_on_termination {
            ("goes with the instance".to_string(), Some("deleted when the instance is terminated"))
        } else {
            (
                format!("aws ec2 delete-volume --volume-id {}", volume.id),
                Some("kept when the instance is terminated: delete it after"),
            )
        };
        items.push(item(
            format!("volume:{}", volume.id),
            format!("EBS volume {} ({} GiB {})", volume.id, volume.size_gib, volume.volume_type),
            monthly,
            command,
            note,
        ));
    }
    for snapshot in &graph.snapshots {
        items.push(item(
            format!("snapshot:{}", snapshot.id),
            format!("EBS snapshot {} of {} (up to {} GiB)", snapshot.id, snapshot.volume_id, snapshot.size_gib),
            None,
            format!("aws ec2 delete-snapshot --snapshot-id {}", snapshot.id),
            Some("keep the newest until you are sure: it is the old stack's last backup"),
        ));
    }
    let ipv4 = prices.and_then(|p| p.public_ipv4_hourly);
    for address in &graph.elastic_ips {
        items.push(item(
            format!("elastic-ip:{}", address.allocation_id),
            format!("Elastic IP {}", address.public_ip),
            ipv4.map(|h| month(h, 1)),
            format!("aws ec2 release-address --allocation-id {}", address.allocation_id),
            Some("after the instance: check that nothing else (DNS, allow-lists) names the address"),
        ));
    }
    for group in &graph.security_groups {
        items.push(item(
            format!("security-group:{}", group.id),
            format!("security group {} ({}) of the instance", group.id, group.name),
            Some(Money(0)),
            format!("aws ec2 delete-security-group --group-id {}", group.id),
            Some(
                "after the instance, and only if nothing else uses it (data stores may admit it: their rules go first)",
            ),
        ));
    }
    items
}

/// The instance profile and its role.
fn identity_items(graph: &MigrationGraph) -> Vec<Item> {
    let Some(edge) = &graph.role else { return Vec::new() };
    let (profile, role) = (&edge.instance_profile.name, &edge.role.name);
    let mut steps = Vec::new();
    for policy in &edge.role.policies {
        match &policy.arn {
            Some(arn) => steps.push(format!("aws iam detach-role-policy --role-name {role} --policy-arn {arn}")),
            None => steps.push(format!("aws iam delete-role-policy --role-name {role} --policy-name {}", policy.name)),
        }
    }
    steps.push(format!("aws iam delete-role --role-name {role}"));
    vec![
        item(
            format!("instance-profile:{profile}"),
            format!("instance profile {profile}"),
            Some(Money(0)),
            format!(
                "aws iam remove-role-from-instance-profile --instance-profile-name {profile} --role-name {role} && aws iam delete-instance-profile --instance-profile-name {profile}"
            ),
            Some("after the instance"),
        ),
        item(
            format!("role:{role}"),
            format!("IAM role {role}"),
            Some(Money(0)),
            steps.join(" && "),
            Some("after its instance profile; the service's task role is a copy, so nothing else needs it"),
        ),
    ]
}
