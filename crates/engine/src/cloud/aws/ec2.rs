//! Instances, VPCs, subnets and security groups.

use std::collections::BTreeMap;

use aws_sdk_ec2::types::{self as ec2, InstanceAttributeName};
use base64::Engine as _;

use super::{AwsCloud, errors::from_sdk};
use crate::cloud::{CloudError, CloudResult};
use crate::model::{IngressRule, Instance, RuleSource, SecurityGroup, Subnet, Vpc};

/// Every instance, without user data (one more call each): `instance` adds it.
pub async fn instances(cloud: &AwsCloud) -> CloudResult<Vec<Instance>> {
    let mut request = cloud.ec2.describe_instances().into_paginator();
    if let Some(size) = cloud.page_size {
        request = request.page_size(size.max(5));
    }
    let pages = request.send().try_collect().await.map_err(from_sdk("ec2:DescribeInstances"))?;
    Ok(pages
        .iter()
        .flat_map(|page| page.reservations())
        .flat_map(|reservation| reservation.instances())
        .map(instance_from)
        .collect())
}

/// One instance, without user data (`user_data` reads it, with its own permission).
pub async fn instance(cloud: &AwsCloud, id: &str) -> CloudResult<Instance> {
    let described =
        cloud.ec2.describe_instances().instance_ids(id).send().await.map_err(from_sdk("ec2:DescribeInstances"))?;
    described
        .reservations()
        .iter()
        .flat_map(|r| r.instances())
        .find(|i| i.instance_id() == Some(id))
        .map(instance_from)
        .ok_or_else(|| CloudError::not_found("instance", id))
}

/// The instance's user data, decoded and masked.
pub async fn user_data(cloud: &AwsCloud, id: &str) -> CloudResult<Option<String>> {
    let attribute = cloud
        .ec2
        .describe_instance_attribute()
        .instance_id(id)
        .attribute(InstanceAttributeName::UserData)
        .send()
        .await
        .map_err(from_sdk("ec2:DescribeInstanceAttribute"))?;
    Ok(attribute.user_data().and_then(|v| v.value()).map(decode_user_data))
}

/// User data arrives base64-encoded; anything that is not UTF-8 is shown lossily, never fails.
fn decode_user_data(encoded: &str) -> String {
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(encoded.trim())
        .unwrap_or_else(|_| encoded.as_bytes().to_vec());
    let text = String::from_utf8_lossy(&bytes).into_owned();
    crate::userdata::redact(&text).text
}

fn instance_from(i: &ec2::Instance) -> Instance {
    let tags: BTreeMap<String, String> = i
        .tags()
        .iter()
        .filter_map(|t| Some((t.key()?.to_string(), t.value().unwrap_or_default().to_string())))
        .collect();
    Instance {
        id: i.instance_id().unwrap_or_default().to_string(),
        name: tags.get("Name").cloned(),
        instance_type: i.instance_type().map(|t| t.as_str().to_string()).unwrap_or_default(),
        state: i.state().and_then(|s| s.name()).map(|n| n.as_str().to_string()).unwrap_or_default(),
        availability_zone: i.placement().and_then(|p| p.availability_zone()).unwrap_or_default().to_string(),
        private_ip: i.private_ip_address().map(str::to_string),
        public_ip: i.public_ip_address().map(str::to_string),
        vpc_id: i.vpc_id().unwrap_or_default().to_string(),
        subnet_id: i.subnet_id().unwrap_or_default().to_string(),
        security_group_ids: i.security_groups().iter().filter_map(|g| g.group_id().map(str::to_string)).collect(),
        instance_profile_arn: i.iam_instance_profile().and_then(|p| p.arn()).map(str::to_string),
        tags,
        user_data: None,
    }
}

pub async fn vpcs(cloud: &AwsCloud) -> CloudResult<Vec<Vpc>> {
    let pages =
        cloud.ec2.describe_vpcs().into_paginator().send().try_collect().await.map_err(from_sdk("ec2:DescribeVpcs"))?;
    Ok(pages
        .iter()
        .flat_map(|p| p.vpcs())
        .map(|v| Vpc {
            id: v.vpc_id().unwrap_or_default().to_string(),
            cidr: v.cidr_block().unwrap_or_default().to_string(),
            name: name_tag(v.tags()),
        })
        .collect())
}

/// Subnets, each marked public when its route table (its own, or its VPC's main table)
/// sends traffic to an internet gateway.
pub async fn subnets(cloud: &AwsCloud) -> CloudResult<Vec<Subnet>> {
    let subnets = cloud.ec2.describe_subnets().into_paginator().send().try_collect();
    let tables = cloud.ec2.describe_route_tables().into_paginator().send().try_collect();
    let (subnets, tables) = tokio::join!(subnets, tables);
    let subnets = subnets.map_err(from_sdk("ec2:DescribeSubnets"))?;
    let tables = tables.map_err(from_sdk("ec2:DescribeRouteTables"))?;
    let tables: Vec<&ec2::RouteTable> = tables.iter().flat_map(|p| p.route_tables()).collect();
    let to_internet =
        |table: &ec2::RouteTable| table.routes().iter().any(|r| r.gateway_id().is_some_and(|g| g.starts_with("igw-")));
    Ok(subnets
        .iter()
        .flat_map(|p| p.subnets())
        .map(|s| {
            let id = s.subnet_id().unwrap_or_default();
            let vpc = s.vpc_id().unwrap_or_default();
            let own = tables.iter().find(|t| t.associations().iter().any(|a| a.subnet_id() == Some(id)));
            let main = || {
                tables
                    .iter()
                    .find(|t| t.vpc_id() == Some(vpc) && t.associations().iter().any(|a| a.main() == Some(true)))
            };
            Subnet {
                id: id.to_string(),
                vpc_id: vpc.to_string(),
                cidr: s.cidr_block().unwrap_or_default().to_string(),
                availability_zone: s.availability_zone().unwrap_or_default().to_string(),
                public: own.or_else(main).is_some_and(|t| to_internet(t)),
                name: name_tag(s.tags()),
            }
        })
        .collect())
}

pub async fn security_groups(cloud: &AwsCloud) -> CloudResult<Vec<SecurityGroup>> {
    let mut request = cloud.ec2.describe_security_groups().into_paginator();
    if let Some(size) = cloud.page_size {
        request = request.page_size(size.max(5));
    }
    let pages = request.send().try_collect().await.map_err(from_sdk("ec2:DescribeSecurityGroups"))?;
    Ok(pages
        .iter()
        .flat_map(|p| p.security_groups())
        .map(|g| SecurityGroup {
            id: g.group_id().unwrap_or_default().to_string(),
            name: g.group_name().unwrap_or_default().to_string(),
            vpc_id: g.vpc_id().unwrap_or_default().to_string(),
            description: g.description().unwrap_or_default().to_string(),
            ingress: g.ip_permissions().iter().flat_map(rules_from).collect(),
            tags: g.tags().iter().filter_map(|t| Some((t.key()?.to_string(), t.value()?.to_string()))).collect(),
        })
        .collect())
}

/// One permission can name several sources; each becomes its own rule.
pub(super) fn rules_from(permission: &ec2::IpPermission) -> Vec<IngressRule> {
    let protocol = permission.ip_protocol().unwrap_or("-1").to_string();
    let port = |p: Option<i32>, default: u16| p.and_then(|p| u16::try_from(p).ok()).unwrap_or(default);
    let (from_port, to_port) = (port(permission.from_port(), 0), port(permission.to_port(), 65535));
    let rule = |source| IngressRule { protocol: protocol.clone(), from_port, to_port, source };
    let groups = permission
        .user_id_group_pairs()
        .iter()
        .filter_map(|pair| pair.group_id())
        .map(|id| rule(RuleSource::Group { group_id: id.to_string() }));
    let cidrs = permission
        .ip_ranges()
        .iter()
        .filter_map(|r| r.cidr_ip())
        .map(|c| rule(RuleSource::Cidr { cidr: c.to_string() }));
    let v6 = permission
        .ipv6_ranges()
        .iter()
        .filter_map(|r| r.cidr_ipv6())
        .map(|c| rule(RuleSource::Cidr { cidr: c.to_string() }));
    groups.chain(cidrs).chain(v6).collect()
}

fn name_tag(tags: &[ec2::Tag]) -> Option<String> {
    tags.iter().find(|t| t.key() == Some("Name")).and_then(|t| t.value()).map(str::to_string)
}
