//! An Express service's state as `verify` judges it: DescribeExpressGatewayService for its
//! status, DescribeServices for its task counts and its primary deployment's rollout. Both are
//! read together; the second is the ECS service Express Mode runs the app with, same ARN.

use aws_sdk_ecs::types::{Deployment, Service};

use super::AwsCloud;
use super::errors::from_sdk;
use crate::cloud::{CloudResult, ServiceState};

/// The service's state; `None` when there is no such Express service.
pub async fn express_service_state(cloud: &AwsCloud, service_arn: &str) -> CloudResult<Option<ServiceState>> {
    let cluster = cluster_of(service_arn);
    let (described, services) = tokio::join!(
        cloud.ecs.describe_express_gateway_service().service_arn(service_arn).send(),
        cloud.ecs.describe_services().cluster(cluster).services(service_arn).send(),
    );
    let service = match described.map_err(from_sdk("ecs:DescribeExpressGatewayService")) {
        Ok(described) => described.service().cloned(),
        Err(error) if error.is_not_found() => None,
        Err(error) => return Err(error),
    };
    let Some(service) = service else { return Ok(None) };
    let status = service.status();
    let ecs = services.map_err(from_sdk("ecs:DescribeServices"))?;
    let mut state = ServiceState {
        status: status.and_then(|s| s.status_code()).map_or("UNKNOWN", |c| c.as_str()).to_string(),
        status_reason: status.and_then(|s| s.status_reason()).map(str::to_string),
        running_tasks: 0,
        desired_tasks: 0,
        pending_tasks: 0,
        deployment: None,
        deployment_reason: None,
    };
    if let Some(ecs) = ecs.services().first() {
        add_tasks(&mut state, ecs);
    }
    Ok(Some(state))
}

/// Task counts and the primary deployment's rollout, from the ECS service.
fn add_tasks(state: &mut ServiceState, service: &Service) {
    let count = |n: i32| u32::try_from(n).unwrap_or(0);
    state.running_tasks = count(service.running_count());
    state.desired_tasks = count(service.desired_count());
    state.pending_tasks = count(service.pending_count());
    let primary = service.deployments().iter().find(|d| d.status() == Some("PRIMARY"));
    if let Some(deployment) = primary.or_else(|| service.deployments().first()) {
        state.deployment = rollout(deployment);
        state.deployment_reason = deployment.rollout_state_reason().map(str::to_string);
    }
}

fn rollout(deployment: &Deployment) -> Option<String> {
    deployment.rollout_state().map(|r| r.as_str().to_string())
}

/// The cluster in `arn:aws:ecs:region:account:service/cluster/name`; `default` otherwise.
fn cluster_of(service_arn: &str) -> &str {
    service_arn
        .split_once(":service/")
        .and_then(|(_, path)| path.split_once('/'))
        .map_or("default", |(cluster, _)| cluster)
}
