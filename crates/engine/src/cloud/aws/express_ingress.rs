//! How an Express service is reached: the load balancer, HTTPS listener and rule that Express
//! Mode made for it, read through the service's revision (`ecsManagedResources`), then the
//! rule's host names and the listener's certificates as ELB reports them now.

use super::{AwsCloud, errors::from_sdk};
use crate::cloud::{CloudError, CloudResult};
use crate::model::ExpressIngress;

pub async fn express_ingress(cloud: &AwsCloud, service_arn: &str) -> CloudResult<ExpressIngress> {
    let described = cloud
        .ecs
        .describe_express_gateway_service()
        .service_arn(service_arn)
        .send()
        .await
        .map_err(from_sdk("ecs:DescribeExpressGatewayService"))?;
    let service = described.service().ok_or_else(|| CloudError::not_found("Express service", service_arn))?;
    let revision = service
        .active_configurations()
        .iter()
        .find_map(|c| c.service_revision_arn())
        .ok_or_else(|| CloudError::Other(format!("{service_arn} has no active revision yet")))?;
    let revisions = cloud
        .ecs
        .describe_service_revisions()
        .service_revision_arns(revision)
        .send()
        .await
        .map_err(from_sdk("ecs:DescribeServiceRevisions"))?;
    let path = revisions
        .service_revisions()
        .iter()
        .filter_map(|r| r.ecs_managed_resources())
        .flat_map(|m| m.ingress_paths())
        .next()
        .ok_or_else(|| CloudError::Other(format!("{service_arn} has no load balancer (yet)")))?;
    let missing = |what: &str| CloudError::Other(format!("{service_arn}: its {what} is not provisioned yet"));
    let load_balancer_arn = path.load_balancer().and_then(|r| r.arn()).ok_or_else(|| missing("load balancer"))?;
    let listener_arn = path.listener().and_then(|r| r.arn()).ok_or_else(|| missing("listener"))?;
    let rule_arn = path.rule().and_then(|r| r.arn()).ok_or_else(|| missing("listener rule"))?;
    let (dns_name, canonical_zone_id) = balancer_names(cloud, load_balancer_arn).await?;
    let rule_hosts = rule_hosts(cloud, rule_arn).await?;
    let certificates = super::old_stack::listener_certificates(cloud, listener_arn).await?;
    Ok(ExpressIngress {
        endpoint_host: path.endpoint().trim_start_matches("https://").to_string(),
        load_balancer_arn: load_balancer_arn.to_string(),
        dns_name,
        canonical_zone_id,
        listener_arn: listener_arn.to_string(),
        rule_arn: rule_arn.to_string(),
        rule_hosts,
        certificate_arns: certificates.into_iter().map(|c| c.arn).collect(),
        target_group_arns: path.target_groups().iter().filter_map(|t| t.arn()).map(str::to_string).collect(),
    })
}

/// The load balancer's DNS name and canonical hosted zone: what an alias to it names.
async fn balancer_names(cloud: &AwsCloud, arn: &str) -> CloudResult<(String, String)> {
    let described = cloud
        .elb
        .describe_load_balancers()
        .load_balancer_arns(arn)
        .send()
        .await
        .map_err(from_sdk("elasticloadbalancing:DescribeLoadBalancers"))?;
    let balancer = described.load_balancers().first().ok_or_else(|| CloudError::not_found("load balancer", arn))?;
    Ok((
        balancer.dns_name().unwrap_or_default().to_string(),
        balancer.canonical_hosted_zone_id().unwrap_or_default().to_string(),
    ))
}

/// The host names a rule's host-header condition matches.
pub(super) async fn rule_hosts(cloud: &AwsCloud, rule_arn: &str) -> CloudResult<Vec<String>> {
    let described = cloud
        .elb
        .describe_rules()
        .rule_arns(rule_arn)
        .send()
        .await
        .map_err(from_sdk("elasticloadbalancing:DescribeRules"))?;
    Ok(described.rules().iter().flat_map(|r| hosts_of(r.conditions())).collect())
}

/// The host names of a rule's host-header conditions, in either form ELB writes them.
pub(super) fn hosts_of(conditions: &[aws_sdk_elasticloadbalancingv2::types::RuleCondition]) -> Vec<String> {
    let mut hosts: Vec<String> = Vec::new();
    for condition in conditions.iter().filter(|c| c.field() == Some("host-header")) {
        let configured = condition.host_header_config().map(|c| c.values()).unwrap_or_default();
        for host in configured.iter().chain(condition.values()) {
            if !hosts.contains(host) {
                hosts.push(host.clone());
            }
        }
    }
    hosts
}
