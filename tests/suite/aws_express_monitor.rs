//! Waiting for an Express service the way `aws ecs monitor-express-gateway-service` watches
//! it, at the SDK boundary (aws-smithy-mocks): status, deployment, managed resources and the
//! latest event, one line per change, and every way the wait ends.

use crate::express_mocks;

use express_mocks::*;

use std::sync::Mutex;
use std::time::{Duration, Instant};

use aws_sdk_ecs::Client;
use aws_sdk_ecs::operation::describe_express_gateway_service::{
    DescribeExpressGatewayServiceError, DescribeExpressGatewayServiceOutput,
};
use aws_sdk_ecs::operation::list_service_deployments::ListServiceDeploymentsOutput;
use aws_sdk_ecs::types::error::ResourceNotFoundException;
use aws_sdk_ecs::types::{
    ExpressGatewayServiceStatusCode, ManagedResourceStatus, ServiceDeploymentLifecycleStage, ServiceDeploymentStatus,
};
use aws_smithy_mocks::mock;

use ferry::cloud::Cloud;

#[tokio::test]
async fn the_monitor_reports_each_change_once_and_succeeds_when_the_deployment_does() {
    use ServiceDeploymentLifecycleStage::{BakeTime, CleanUp, PreScaleUp, ScaleUp};
    use ServiceDeploymentStatus::{InProgress, Pending, Successful};
    let describe = describe_rule(&[ExpressGatewayServiceStatusCode::Active]);
    let deployments = deployments_rule(vec![
        deployment(Pending, PreScaleUp, 0),
        deployment(InProgress, ScaleUp, 0),
        deployment(InProgress, ScaleUp, 0),
        deployment(InProgress, BakeTime, 1),
        deployment(Successful, CleanUp, 1),
    ]);
    let list = list_rule();
    let revisions = revisions_rule(vec![
        ManagedResourceStatus::Provisioning,
        ManagedResourceStatus::Provisioning,
        ManagedResourceStatus::Provisioning,
        ManagedResourceStatus::Active,
    ]);
    let events = events_rule("(service shop-api) has started 1 tasks: (task 0f1e).");
    let aws = cloud(&[&describe, &list, &deployments, &revisions, &events]).await;

    let lines = Mutex::new(Vec::new());
    let output = aws.execute(&wait(60), &|line| lines.lock().unwrap().push(line)).await.expect("ACTIVE");
    assert_eq!(output.get("status"), Some("ACTIVE"));
    assert_eq!(output.get("endpoint"), Some(format!("https://{HOST}").as_str()));
    assert_eq!(deployments.num_calls(), 5, "polled until the deployment succeeded");

    let event = " · event: (service shop-api) has started 1 tasks: (task 0f1e).";
    let provisioning = "resources 1/2 ACTIVE, certificate PROVISIONING";
    assert_eq!(
        lines.into_inner().unwrap(),
        [
            format!(
                "ACTIVE · deployment PENDING (PRE_SCALE_UP) · tasks 0/1 running, 1 pending · traffic 0 % · {provisioning}{event}"
            ),
            format!(
                "ACTIVE · deployment IN_PROGRESS (SCALE_UP) · tasks 0/1 running, 1 pending · traffic 0 % · {provisioning}{event}"
            ),
            format!(
                "ACTIVE · deployment IN_PROGRESS (BAKE_TIME) · tasks 1/1 running, 0 pending · traffic 100 % · resources 2/2 ACTIVE{event}"
            ),
            format!(
                "ACTIVE · deployment SUCCESSFUL (CLEAN_UP) · tasks 1/1 running, 0 pending · traffic 100 % · resources 2/2 ACTIVE{event}"
            ),
        ],
        "one line per change; the repeated IN_PROGRESS poll is not reported twice"
    );
}

#[tokio::test]
async fn a_service_not_yet_visible_after_create_is_looked_for_again() {
    use ServiceDeploymentLifecycleStage::CleanUp;
    use ServiceDeploymentStatus::Successful;
    let not_yet = || {
        DescribeExpressGatewayServiceError::ResourceNotFoundException(
            ResourceNotFoundException::builder().meta(meta("ResourceNotFoundException", "not found")).build(),
        )
    };
    let describe = mock!(Client::describe_express_gateway_service)
        .sequence()
        .error(not_yet)
        .times(2)
        .output(|| {
            DescribeExpressGatewayServiceOutput::builder()
                .service(service(ExpressGatewayServiceStatusCode::Active, None))
                .build()
        })
        .repeatedly()
        .build();
    let deployments = deployments_rule(vec![deployment(Successful, CleanUp, 1)]);
    let list = list_rule();
    let revisions = revisions_rule(vec![ManagedResourceStatus::Active]);
    let events = events_rule("(service shop-api) has reached a steady state.");
    let aws = cloud(&[&describe, &list, &deployments, &revisions, &events]).await;
    let lines = Mutex::new(Vec::new());
    let output = aws.execute(&wait(60), &|line| lines.lock().unwrap().push(line)).await.expect("found, then ACTIVE");
    assert_eq!(output.get("status"), Some("ACTIVE"));
    assert_eq!(describe.num_calls(), 3);
    assert!(lines.into_inner().unwrap()[0].contains("not visible yet"));

    // A service that never shows up is reported as gone after a few polls.
    let never = mock!(Client::describe_express_gateway_service).then_error(not_yet);
    let aws = cloud(&[&never, &list, &deployments, &revisions, &events]).await;
    let error = aws.execute(&wait(60), &|_| {}).await.unwrap_err();
    assert!(error.is_not_found(), "{error}");
}

#[tokio::test]
async fn a_rolled_back_deployment_fails_the_wait_with_its_reason() {
    use ServiceDeploymentLifecycleStage::{PreScaleUp, ScaleUp};
    use ServiceDeploymentStatus::{InProgress, RollbackFailed, RollbackSuccessful};
    let reason = "Service deployment rolled back because the circuit breaker threshold was exceeded.";
    for outcome in [RollbackSuccessful, RollbackFailed] {
        let describe = describe_rule(&[ExpressGatewayServiceStatusCode::Active]);
        let list = list_rule();
        let mut failed = deployment(outcome.clone(), ScaleUp, 0);
        failed.status_reason = Some(reason.into());
        let deployments = deployments_rule(vec![deployment(InProgress, PreScaleUp, 0), failed]);
        let revisions = revisions_rule(vec![ManagedResourceStatus::Active]);
        let events = events_rule("(service shop-api) task failed container health checks.");
        let aws = cloud(&[&describe, &list, &deployments, &revisions, &events]).await;

        let error = aws.execute(&wait(60), &|_| {}).await.unwrap_err();
        let text = error.to_string();
        assert!(text.contains(outcome.as_str()) && text.contains(reason), "{text}");
        assert_eq!(deployments.num_calls(), 2, "no polling after the rollback");
    }
}

#[tokio::test]
async fn the_wait_gives_up_at_its_timeout_with_what_it_last_saw() {
    let describe = describe_rule(&[ExpressGatewayServiceStatusCode::Active]);
    let list = list_rule();
    let deployments = deployments_rule(vec![deployment(
        ServiceDeploymentStatus::InProgress,
        ServiceDeploymentLifecycleStage::ScaleUp,
        0,
    )]);
    let revisions = revisions_rule(vec![ManagedResourceStatus::Provisioning]);
    let events = events_rule("(service shop-api) was unable to place a task.");
    let aws = cloud(&[&describe, &list, &deployments, &revisions, &events]).await;

    let started = Instant::now();
    let lines = Mutex::new(Vec::new());
    let error = aws.execute(&wait(1), &|line| lines.lock().unwrap().push(line)).await.unwrap_err();
    let elapsed = started.elapsed();
    assert!(elapsed >= Duration::from_secs(1) && elapsed < Duration::from_secs(3), "bounded by 1 s: {elapsed:?}");
    let text = error.to_string();
    assert!(text.contains("not ACTIVE after 1 s") && text.contains("IN_PROGRESS (SCALE_UP)"), "{text}");
    assert!(deployments.num_calls() > 10, "kept polling every 5 ms: {}", deployments.num_calls());
    assert_eq!(lines.into_inner().unwrap().len(), 1, "nothing changed after the first poll");
}

#[tokio::test]
async fn a_draining_service_fails_the_wait() {
    let describe = mock!(Client::describe_express_gateway_service).then_output(|| {
        DescribeExpressGatewayServiceOutput::builder()
            .service(service(ExpressGatewayServiceStatusCode::Draining, Some("deleted by the operator")))
            .build()
    });
    let list = mock!(Client::list_service_deployments).then_output(|| ListServiceDeploymentsOutput::builder().build());
    let revisions = revisions_rule(vec![ManagedResourceStatus::Deprovisioning]);
    let events = events_rule("(service shop-api) has stopped 1 running tasks.");
    let aws = cloud(&[&describe, &list, &revisions, &events]).await;
    let error = aws.execute(&wait(60), &|_| {}).await.unwrap_err();
    assert!(error.to_string().contains("DRAINING: deleted by the operator"), "{error}");
}
