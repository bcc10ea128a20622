//! The Express Mode service: created from the plan's config (shaped like the CLI's input
//! JSON, mapped field by field), deleted by draining it until it is INACTIVE.

use std::time::{Duration, Instant};

use aws_sdk_ecs::types::{
    EcsExpressGatewayService, ExpressGatewayContainer, ExpressGatewayScalingTarget, ExpressGatewayServiceInclude,
    ExpressGatewayServiceNetworkConfiguration, ExpressGatewayServiceScalingMetric, KeyValuePair, Secret, Tag,
};

use super::{nonempty, run_of, unbuildable};
use crate::cloud::aws::AwsCloud;
use crate::cloud::aws::errors::{about, from_sdk};
use crate::cloud::{CloudError, CloudResult, Found, ProgressSink};
use crate::model::ExpressServiceConfig;
use crate::plan::ActionOutput;

/// How long a deletion may drain: the service's load balancer rules, target groups and
/// tasks go first, which takes minutes.
const DELETE_TIMEOUT: Duration = Duration::from_secs(30 * 60);

pub async fn create(cloud: &AwsCloud, config: &ExpressServiceConfig) -> CloudResult<ActionOutput> {
    let created = request(cloud, config)?.send().await.map_err(about(
        "ecs:CreateExpressGatewayService",
        "Express service",
        &config.service_name,
    ))?;
    let service = created.service();
    let arn = match service.and_then(|s| s.service_arn()) {
        Some(arn) => arn.to_string(),
        None => service_arn(cloud, &config.cluster, &config.service_name).await?,
    };
    // The endpoint is normally in the answer; if not, one describe finds it (best effort:
    // the wait step reports it again once the service is ACTIVE).
    let endpoint = match service.and_then(endpoint_of) {
        Some(endpoint) => endpoint,
        None => describe(cloud, &arn, false).await.ok().flatten().as_ref().and_then(endpoint_of).unwrap_or_default(),
    };
    Ok(output(&arn, &endpoint))
}

/// The CreateExpressGatewayService request for `config`, every field mapped.
fn request(
    cloud: &AwsCloud,
    config: &ExpressServiceConfig,
) -> CloudResult<
    aws_sdk_ecs::operation::create_express_gateway_service::builders::CreateExpressGatewayServiceFluentBuilder,
> {
    let container = &config.primary_container;
    let environment: Vec<KeyValuePair> = container
        .environment
        .iter()
        .map(|pair| KeyValuePair::builder().name(&pair.name).value(&pair.value).build())
        .collect();
    let secrets = container
        .secrets
        .iter()
        .map(|secret| Secret::builder().name(&secret.name).value_from(&secret.value_from).build())
        .collect::<Result<Vec<_>, _>>()
        .map_err(unbuildable)?;
    let primary = ExpressGatewayContainer::builder()
        .image(&container.image)
        .container_port(i32::from(container.container_port))
        .set_command((!container.command.is_empty()).then(|| container.command.clone()))
        .set_environment(nonempty(environment))
        .set_secrets(nonempty(secrets))
        .build()
        .map_err(unbuildable)?;
    let scaling = &config.scaling_target;
    let count = |n: u32| i32::try_from(n).unwrap_or(i32::MAX);
    let scaling = ExpressGatewayScalingTarget::builder()
        .min_task_count(count(scaling.min_task_count))
        .max_task_count(count(scaling.max_task_count))
        .auto_scaling_metric(ExpressGatewayServiceScalingMetric::from(scaling.auto_scaling_metric.as_str()))
        .auto_scaling_target_value(count(scaling.auto_scaling_target_value))
        .build();
    let network = ExpressGatewayServiceNetworkConfiguration::builder()
        .set_security_groups(Some(config.network_configuration.security_groups.clone()))
        .set_subnets(Some(config.network_configuration.subnets.clone()))
        .build();
    let tags = config.tags.iter().map(|t| Tag::builder().key(&t.key).value(&t.value).build()).collect();
    Ok(cloud
        .ecs
        .create_express_gateway_service()
        .service_name(&config.service_name)
        .cluster(&config.cluster)
        .execution_role_arn(&config.execution_role_arn)
        .infrastructure_role_arn(&config.infrastructure_role_arn)
        .set_task_role_arn(config.task_role_arn.clone())
        .health_check_path(&config.health_check_path)
        .cpu(&config.cpu)
        .memory(&config.memory)
        .primary_container(primary)
        .network_configuration(network)
        .scaling_target(scaling)
        .set_tags(nonempty(tags)))
}

/// Deletes the service and waits until it is INACTIVE, so what it held (its security group
/// membership, the roles it runs with) can be removed next. A service already gone is done.
pub async fn delete(cloud: &AwsCloud, service_arn: &str, progress: ProgressSink<'_>) -> CloudResult<ActionOutput> {
    let name = name_of(service_arn);
    let deleted = cloud.ecs.delete_express_gateway_service().service_arn(service_arn).send().await;
    if let Err(error) = deleted {
        // Not active any more: it is already draining; wait for the end like any deletion.
        let draining = error.as_service_error().is_some_and(|e| e.is_service_not_active_exception());
        match from_sdk("ecs:DeleteExpressGatewayService")(error) {
            _ if draining => {}
            error if error.is_not_found() => return Ok(ActionOutput::new(format!("service {name} already gone"))),
            error => return Err(error),
        }
    }
    let deadline = Instant::now() + DELETE_TIMEOUT;
    let mut last = String::new();
    loop {
        let status = match describe(cloud, service_arn, false).await? {
            None => "INACTIVE".to_string(),
            Some(service) => status_of(&service).unwrap_or("UNKNOWN").to_string(),
        };
        if status == "INACTIVE" {
            return Ok(ActionOutput::new(format!("service {name} deleted (INACTIVE)")));
        }
        let line = format!("service {name} {status}: removing its load balancer rules, target groups and tasks");
        if line != last {
            progress(line.clone());
            last = line;
        }
        if Instant::now() >= deadline {
            return Err(CloudError::Other(format!(
                "service {name} is still {status} after {} min; it is being deleted, check it later",
                DELETE_TIMEOUT.as_secs() / 60
            )));
        }
        tokio::time::sleep(cloud.poll_interval.min(deadline.saturating_duration_since(Instant::now()))).await;
    }
}

/// The service, if it exists and is not INACTIVE, with its `ferry:run-id` tag.
pub async fn find(cloud: &AwsCloud, config: &ExpressServiceConfig) -> CloudResult<Option<Found>> {
    let arn = service_arn(cloud, &config.cluster, &config.service_name).await?;
    let Some(service) = describe(cloud, &arn, true).await? else { return Ok(None) };
    if status_of(&service) == Some("INACTIVE") {
        return Ok(None);
    }
    let run_id = run_of(service.tags().iter().filter_map(|t| Some((t.key()?, t.value()?))));
    let endpoint = endpoint_of(&service).unwrap_or_default();
    Ok(Some(Found { output: output(service.service_arn().unwrap_or(&arn), &endpoint), run_id }))
}

/// DescribeExpressGatewayService; `None` when there is no such service.
pub(super) async fn describe(
    cloud: &AwsCloud,
    service_arn: &str,
    with_tags: bool,
) -> CloudResult<Option<EcsExpressGatewayService>> {
    let mut request = cloud.ecs.describe_express_gateway_service().service_arn(service_arn);
    if with_tags {
        request = request.include(ExpressGatewayServiceInclude::Tags);
    }
    match request.send().await.map_err(from_sdk("ecs:DescribeExpressGatewayService")) {
        Ok(described) => Ok(described.service().cloned()),
        Err(error) if error.is_not_found() => Ok(None),
        Err(error) => Err(error),
    }
}

/// `arn:aws:ecs:{region}:{account}:service/{cluster}/{name}`, as ECS names the service.
async fn service_arn(cloud: &AwsCloud, cluster: &str, name: &str) -> CloudResult<String> {
    let account = cloud.account_id().await?;
    Ok(format!("arn:aws:ecs:{}:{account}:service/{cluster}/{name}", cloud.region))
}

/// `ACTIVE`, `DRAINING` or `INACTIVE`.
pub(super) fn status_of(service: &EcsExpressGatewayService) -> Option<&str> {
    service.status().and_then(|s| s.status_code()).map(|code| code.as_str())
}

/// The service's public (or private) URL: the first ingress path of its configurations.
/// AWS gives a host name; it is served over HTTPS only, so it is written as an https URL,
/// as the sandbox does.
pub(super) fn endpoint_of(service: &EcsExpressGatewayService) -> Option<String> {
    let endpoint = service
        .active_configurations()
        .iter()
        .flat_map(|c| c.ingress_paths())
        .map(|path| path.endpoint())
        .find(|endpoint| !endpoint.is_empty())?;
    Some(if endpoint.contains("://") { endpoint.to_string() } else { format!("https://{endpoint}") })
}

/// The cluster in `arn:aws:ecs:region:account:service/cluster/name`.
pub(super) fn cluster_of(service_arn: &str) -> Option<&str> {
    let path = service_arn.split_once(":service/")?.1;
    path.split_once('/').map(|(cluster, _)| cluster)
}

/// The service name: the ARN's last segment.
pub(super) fn name_of(service_arn: &str) -> &str {
    service_arn.rsplit('/').next().unwrap_or(service_arn)
}

fn output(arn: &str, endpoint: &str) -> ActionOutput {
    ActionOutput::new("service created, first deployment started").with("serviceArn", arn).with("endpoint", endpoint)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_cluster_and_name_come_from_the_service_arn() {
        let arn = "arn:aws:ecs:eu-west-1:123456789012:service/default/shop-api";
        assert_eq!(cluster_of(arn), Some("default"));
        assert_eq!(name_of(arn), "shop-api");
        assert_eq!(cluster_of("arn:aws:ecs:eu-west-1:123456789012:service/shop-api"), None);
    }
}
