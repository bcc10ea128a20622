//! EC2 security groups: the service's own group, and the rule that lets it reach a data store
//! (added to the store's existing group, so its undo removes exactly that rule).

use aws_sdk_ec2::types::{Filter, IpPermission, ResourceType, Tag, TagSpecification, UserIdGroupPair};

use super::{nonempty, pairs, run_of};
use crate::cloud::aws::AwsCloud;
use crate::cloud::aws::ec2::rules_from;
use crate::cloud::aws::errors::{about, from_sdk};
use crate::cloud::{CloudError, CloudResult, Found};
use crate::model::RuleSource;
use crate::plan::ActionOutput;

pub async fn create(
    cloud: &AwsCloud,
    name: &str,
    description: &str,
    vpc_id: &str,
    tags: &[crate::model::Tag],
) -> CloudResult<ActionOutput> {
    // Tagged in the same call, so no group ever exists without the run's tag. EC2 refuses a
    // tag specification without tags.
    let tags = nonempty(pairs(tags).map(|(k, v)| Tag::builder().key(k).value(v).build()).collect()).map(|tags| {
        vec![TagSpecification::builder().resource_type(ResourceType::SecurityGroup).set_tags(Some(tags)).build()]
    });
    let created = cloud
        .ec2
        .create_security_group()
        .group_name(name)
        .description(description)
        .vpc_id(vpc_id)
        .set_tag_specifications(tags)
        .send()
        .await
        .map_err(about("ec2:CreateSecurityGroup", "security group", name))?;
    Ok(group_output(created.group_id().unwrap_or_default()))
}

/// How long a group still in use is given to come free: right after an Express service is
/// deleted, its tasks' network interfaces and load balancer rules take minutes to go.
const IN_USE_PATIENCE: std::time::Duration = std::time::Duration::from_secs(10 * 60);

/// Deletes the group, waiting while it is still in use (DependencyViolation) for at most
/// `IN_USE_PATIENCE`; a group already gone is done.
pub async fn delete(
    cloud: &AwsCloud,
    group_id: &str,
    progress: crate::cloud::ProgressSink<'_>,
) -> CloudResult<ActionOutput> {
    let started = std::time::Instant::now();
    loop {
        let deleted = cloud.ec2.delete_security_group().group_id(group_id).send().await;
        match deleted.map_err(from_sdk("ec2:DeleteSecurityGroup")) {
            Ok(_) => return Ok(ActionOutput::new(format!("{group_id} deleted"))),
            Err(error) if error.is_not_found() => return Ok(ActionOutput::new(format!("{group_id} already gone"))),
            Err(error) if error.to_string().contains("DependencyViolation") && started.elapsed() < IN_USE_PATIENCE => {
                progress(format!("{group_id} is still in use (network interfaces draining): trying again"));
                tokio::time::sleep(cloud.poll_interval).await;
            }
            Err(error) if error.to_string().contains("DependencyViolation") => {
                return Err(crate::cloud::CloudError::Other(format!(
                    "{group_id} is still in use after {} minutes: run the rollback again once what uses it is gone",
                    IN_USE_PATIENCE.as_secs() / 60
                )));
            }
            Err(error) => return Err(error),
        }
    }
}

/// The rule `tcp port` from `source_group_id`.
fn from_group(port: u16, source_group_id: &str, description: &str) -> IpPermission {
    let pair = UserIdGroupPair::builder().group_id(source_group_id).description(description);
    IpPermission::builder()
        .ip_protocol("tcp")
        .from_port(i32::from(port))
        .to_port(i32::from(port))
        .user_id_group_pairs(pair.build())
        .build()
}

pub async fn authorize(
    cloud: &AwsCloud,
    group_id: &str,
    port: u16,
    source_group_id: &str,
    description: &str,
) -> CloudResult<ActionOutput> {
    cloud
        .ec2
        .authorize_security_group_ingress()
        .group_id(group_id)
        .ip_permissions(from_group(port, source_group_id, description))
        .send()
        .await
        .map_err(|error| match from_sdk("ec2:AuthorizeSecurityGroupIngress")(error) {
            // The duplicate is the rule, not the group: say which rule.
            CloudError::AlreadyExists { .. } => {
                CloudError::AlreadyExists { kind: "rule".into(), id: format!("{port} from {source_group_id}") }
            }
            other => other,
        })?;
    Ok(rule_output(group_id, port, source_group_id))
}

/// Removes the rule; a rule (or group) already gone is done. The rule is found by its id,
/// not revoked by its description of ports and source: EC2 answers a revoke that matches
/// nothing with success (listing it as unknown), and some emulators match descriptions too,
/// so only the id says for certain that this rule, and only it, went.
pub async fn revoke(cloud: &AwsCloud, group_id: &str, port: u16, source_group_id: &str) -> CloudResult<ActionOutput> {
    let gone = || Ok(ActionOutput::new(format!("rule {port} from {source_group_id} already gone")));
    let rule_ids = match rule_ids(cloud, group_id, port, source_group_id).await {
        Ok(ids) if ids.is_empty() => return gone(),
        Ok(ids) => ids,
        Err(error) if error.is_not_found() => return gone(),
        Err(error) => return Err(error),
    };
    let revoked = cloud
        .ec2
        .revoke_security_group_ingress()
        .group_id(group_id)
        .set_security_group_rule_ids(Some(rule_ids))
        .send()
        .await;
    match revoked.map_err(from_sdk("ec2:RevokeSecurityGroupIngress")) {
        Ok(_) => Ok(ActionOutput::new(format!("rule {port} from {source_group_id} revoked"))),
        Err(error) if error.is_not_found() => gone(),
        Err(error) => Err(error),
    }
}

/// The ids of the group's ingress rules admitting `tcp port` from the source group.
async fn rule_ids(cloud: &AwsCloud, group_id: &str, port: u16, source_group_id: &str) -> CloudResult<Vec<String>> {
    let pages = cloud
        .ec2
        .describe_security_group_rules()
        .filters(Filter::builder().name("group-id").values(group_id).build())
        .into_paginator()
        .send()
        .try_collect()
        .await
        .map_err(from_sdk("ec2:DescribeSecurityGroupRules"))?;
    let port = i32::from(port);
    Ok(pages
        .iter()
        .flat_map(|page| page.security_group_rules())
        .filter(|rule| {
            rule.group_id() == Some(group_id)
                && rule.is_egress() == Some(false)
                && rule.ip_protocol() == Some("tcp")
                && rule.from_port() == Some(port)
                && rule.to_port() == Some(port)
                && rule.referenced_group_info().and_then(|r| r.group_id()) == Some(source_group_id)
        })
        .filter_map(|rule| rule.security_group_rule_id().map(str::to_string))
        .collect())
}

/// The group by name in its VPC (names are unique per VPC, not per account).
pub async fn find_group(cloud: &AwsCloud, name: &str, vpc_id: &str) -> CloudResult<Option<Found>> {
    let filter = |name: &str, value: &str| Filter::builder().name(name).values(value).build();
    let described = cloud
        .ec2
        .describe_security_groups()
        .filters(filter("group-name", name))
        .filters(filter("vpc-id", vpc_id))
        .send()
        .await
        .map_err(from_sdk("ec2:DescribeSecurityGroups"))?;
    let group = described.security_groups().iter().find(|g| g.group_name() == Some(name) && g.vpc_id() == Some(vpc_id));
    Ok(group.map(|group| Found {
        output: group_output(group.group_id().unwrap_or_default()),
        run_id: run_of(group.tags().iter().filter_map(|t| Some((t.key()?, t.value()?)))),
    }))
}

/// The rule, if the group admits `tcp port` from the source group. Rules carry no tags:
/// the source group says whose it is, so `run_id` is `None`.
pub async fn find_rule(
    cloud: &AwsCloud,
    group_id: &str,
    port: u16,
    source_group_id: &str,
) -> CloudResult<Option<Found>> {
    let described = cloud.ec2.describe_security_groups().group_ids(group_id).send().await;
    let described = match described.map_err(from_sdk("ec2:DescribeSecurityGroups")) {
        Ok(described) => described,
        Err(error) if error.is_not_found() => return Ok(None),
        Err(error) => return Err(error),
    };
    let admits = described
        .security_groups()
        .iter()
        .filter(|g| g.group_id() == Some(group_id))
        .flat_map(|g| g.ip_permissions().iter().flat_map(rules_from))
        .any(|rule| {
            rule.protocol == "tcp"
                && rule.from_port == port
                && rule.to_port == port
                && matches!(&rule.source, RuleSource::Group { group_id } if group_id == source_group_id)
        });
    Ok(admits.then(|| Found { output: rule_output(group_id, port, source_group_id), run_id: None }))
}

fn group_output(group_id: &str) -> ActionOutput {
    ActionOutput::new(format!("{group_id} created")).with("groupId", group_id)
}

fn rule_output(group_id: &str, port: u16, source_group_id: &str) -> ActionOutput {
    ActionOutput::new(format!("{group_id} admits {source_group_id} on {port}"))
}
