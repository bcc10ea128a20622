//! The Express Mode operations of the AWS backend, at the SDK boundary (aws-smithy-mocks):
//! no emulator serves them. Each test puts a mocked ECS client into a real `AwsCloud` whose
//! other clients point at a closed port, so any call the test did not expect fails.

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use aws_sdk_ecs::Client;
use aws_sdk_ecs::operation::create_express_gateway_service::{
    CreateExpressGatewayServiceError, CreateExpressGatewayServiceInput, CreateExpressGatewayServiceOutput,
};
use aws_sdk_ecs::operation::delete_express_gateway_service::{
    DeleteExpressGatewayServiceError, DeleteExpressGatewayServiceOutput,
};
use aws_sdk_ecs::operation::describe_express_gateway_service::{
    DescribeExpressGatewayServiceError, DescribeExpressGatewayServiceOutput,
};
use aws_sdk_ecs::operation::describe_service_deployments::DescribeServiceDeploymentsOutput;
use aws_sdk_ecs::operation::describe_service_revisions::DescribeServiceRevisionsOutput;
use aws_sdk_ecs::operation::describe_services::DescribeServicesOutput;
use aws_sdk_ecs::operation::list_service_deployments::ListServiceDeploymentsOutput;
use aws_sdk_ecs::types::error::{InvalidParameterException, ResourceNotFoundException, ServiceNotFoundException};
use aws_sdk_ecs::types::{
    AccessType, EcsExpressGatewayService, EcsManagedResources, ExpressGatewayServiceConfiguration,
    ExpressGatewayServiceInclude, ExpressGatewayServiceStatus, ExpressGatewayServiceStatusCode, IngressPathSummary,
    ManagedCertificate, ManagedIngressPath, ManagedLoadBalancer, ManagedResourceStatus, Service, ServiceDeployment,
    ServiceDeploymentBrief, ServiceDeploymentLifecycleStage, ServiceDeploymentStatus, ServiceEvent, ServiceRevision,
    ServiceRevisionSummary,
};
use aws_smithy_mocks::{Rule, RuleMode, mock, mock_client};
use aws_smithy_types::DateTime;
use aws_smithy_types::error::ErrorMetadata;

use ferry::cloud::aws::{AwsCloud, AwsOptions, connect};
use ferry::cloud::{Cloud, CloudError, ReadCloud};
use ferry::model::{
    ExpressServiceConfig, KeyValuePair, NetworkConfiguration, PrimaryContainer, ScalingTarget, SecretRef, Tag,
};
use ferry::plan::{Action, Plan, PlanHeader, SecretSource, Step};

const ACCOUNT: &str = "123456789012";
const ARN: &str = "arn:aws:ecs:us-east-1:123456789012:service/default/shop-api";
const REVISION: &str = "arn:aws:ecs:us-east-1:123456789012:service-revision/default/shop-api/1";
const DEPLOYMENT: &str = "arn:aws:ecs:us-east-1:123456789012:service-deployment/default/shop-api/d1";
const HOST: &str = "sh-0123456789abcdef.ecs.us-east-1.on.aws";

/// An `AwsCloud` whose ECS client answers from `rules`; every other client points at a
/// closed port. Polls are 5 ms apart.
async fn cloud(rules: &[&Rule]) -> AwsCloud {
    let credentials = aws_sdk_ecs::config::SharedCredentialsProvider::new(aws_sdk_ecs::config::Credentials::new(
        "testing", "testing", None, None, "tests",
    ));
    let options = AwsOptions {
        region: Some("us-east-1".into()),
        endpoint_url: Some("http://127.0.0.1:9".into()),
        max_attempts: Some(1),
        credentials: Some(credentials),
        poll_interval: Some(Duration::from_millis(5)),
        ..AwsOptions::default()
    };
    let ecs: Client = mock_client!(aws_sdk_ecs, RuleMode::MatchAny, rules.iter().copied());
    connect(&options).await.expect("connects without a call").with_ecs_client(ecs).with_account_id(ACCOUNT)
}

/// Error metadata as the SDK reads it off the wire: the code and message ferry classifies by.
fn meta(code: &str, message: &str) -> ErrorMetadata {
    ErrorMetadata::builder().code(code).message(message).build()
}

fn config() -> ExpressServiceConfig {
    ExpressServiceConfig {
        service_name: "shop-api".into(),
        cluster: "default".into(),
        primary_container: PrimaryContainer {
            image: "123456789012.dkr.ecr.us-east-1.amazonaws.com/shop-api:latest".into(),
            container_port: 3000,
            command: vec!["node".into(), "server.js".into()],
            environment: vec![KeyValuePair { name: "NODE_ENV".into(), value: "production".into() }],
            secrets: vec![SecretRef {
                name: "DATABASE_URL".into(),
                value_from: "arn:aws:secretsmanager:us-east-1:123456789012:secret:ferry/shop-api/DATABASE_URL-AbCdEf"
                    .into(),
            }],
        },
        execution_role_arn: "arn:aws:iam::123456789012:role/ferry-shop-api-execution".into(),
        infrastructure_role_arn: "arn:aws:iam::123456789012:role/ferry-shop-api-infrastructure".into(),
        task_role_arn: Some("arn:aws:iam::123456789012:role/ferry-shop-api-task".into()),
        health_check_path: "/healthz".into(),
        cpu: "512".into(),
        memory: "1024".into(),
        network_configuration: NetworkConfiguration {
            security_groups: vec!["sg-0service".into()],
            subnets: vec!["subnet-a".into(), "subnet-b".into()],
        },
        scaling_target: ScalingTarget {
            min_task_count: 2,
            max_task_count: 6,
            auto_scaling_metric: "REQUEST_COUNT_PER_TARGET".into(),
            auto_scaling_target_value: 500,
        },
        tags: vec![Tag::new("ferry:run-id", "run-42"), Tag::new("ferry:service", "shop-api")],
    }
}

fn service(status: ExpressGatewayServiceStatusCode, reason: Option<&str>) -> EcsExpressGatewayService {
    let path = IngressPathSummary::builder().access_type(AccessType::Public).endpoint(HOST).build().unwrap();
    EcsExpressGatewayService::builder()
        .service_arn(ARN)
        .service_name("shop-api")
        .cluster("default")
        .status(
            ExpressGatewayServiceStatus::builder()
                .status_code(status)
                .set_status_reason(reason.map(Into::into))
                .build(),
        )
        .active_configurations(
            ExpressGatewayServiceConfiguration::builder().service_revision_arn(REVISION).ingress_paths(path).build(),
        )
        .tags(aws_sdk_ecs::types::Tag::builder().key("ferry:run-id").value("run-42").build())
        .build()
}

fn describe_rule(statuses: &[ExpressGatewayServiceStatusCode]) -> Rule {
    let mut sequence = mock!(Client::describe_express_gateway_service).sequence();
    for status in statuses {
        let status = status.clone();
        sequence = sequence.output(move || {
            DescribeExpressGatewayServiceOutput::builder().service(service(status.clone(), None)).build()
        });
    }
    sequence.repeatedly().build()
}

#[tokio::test]
async fn create_maps_every_field_and_returns_the_arn_and_endpoint() {
    let seen: Arc<Mutex<Option<CreateExpressGatewayServiceInput>>> = Arc::default();
    let store = seen.clone();
    let create = mock!(Client::create_express_gateway_service).then_compute_output(move |input| {
        *store.lock().unwrap() = Some(input.clone());
        CreateExpressGatewayServiceOutput::builder()
            .service(service(ExpressGatewayServiceStatusCode::Active, None))
            .build()
    });
    let aws = cloud(&[&create]).await;

    let output =
        aws.execute(&Action::CreateExpressService { config: Box::new(config()) }, &|_| {}).await.expect("created");
    assert_eq!(output.get("serviceArn"), Some(ARN));
    assert_eq!(output.get("endpoint"), Some(format!("https://{HOST}").as_str()), "a host name becomes a URL");
    assert_eq!(create.num_calls(), 1);

    let input = seen.lock().unwrap().take().expect("the request was sent");
    assert_eq!(input.service_name(), Some("shop-api"));
    assert_eq!(input.cluster(), Some("default"));
    assert_eq!(input.execution_role_arn(), Some("arn:aws:iam::123456789012:role/ferry-shop-api-execution"));
    assert_eq!(input.infrastructure_role_arn(), Some("arn:aws:iam::123456789012:role/ferry-shop-api-infrastructure"));
    assert_eq!(input.task_role_arn(), Some("arn:aws:iam::123456789012:role/ferry-shop-api-task"));
    assert_eq!(input.health_check_path(), Some("/healthz"));
    assert_eq!((input.cpu(), input.memory()), (Some("512"), Some("1024")));
    let container = input.primary_container().expect("primary container");
    assert_eq!(container.image(), "123456789012.dkr.ecr.us-east-1.amazonaws.com/shop-api:latest");
    assert_eq!(container.container_port(), Some(3000));
    assert_eq!(container.command(), ["node", "server.js"]);
    let environment: Vec<_> = container.environment().iter().map(|e| (e.name(), e.value())).collect();
    assert_eq!(environment, [(Some("NODE_ENV"), Some("production"))]);
    let secrets: Vec<_> = container.secrets().iter().map(|s| (s.name(), s.value_from())).collect();
    assert_eq!(
        secrets,
        [("DATABASE_URL", "arn:aws:secretsmanager:us-east-1:123456789012:secret:ferry/shop-api/DATABASE_URL-AbCdEf")]
    );
    let network = input.network_configuration().expect("network");
    assert_eq!(network.security_groups(), ["sg-0service"]);
    assert_eq!(network.subnets(), ["subnet-a", "subnet-b"]);
    let scaling = input.scaling_target().expect("scaling");
    assert_eq!((scaling.min_task_count(), scaling.max_task_count()), (Some(2), Some(6)));
    assert_eq!(scaling.auto_scaling_metric().map(|m| m.as_str()), Some("REQUEST_COUNT_PER_TARGET"));
    assert_eq!(scaling.auto_scaling_target_value(), Some(500));
    let tags: Vec<_> = input.tags().iter().map(|t| (t.key().unwrap(), t.value().unwrap())).collect();
    assert_eq!(tags, [("ferry:run-id", "run-42"), ("ferry:service", "shop-api")]);
}

#[tokio::test]
async fn an_invalid_parameter_is_reported_as_invalid_with_its_message() {
    let message = "subnets must have at least 8 free IP addresses";
    let create = mock!(Client::create_express_gateway_service).then_error(move || {
        CreateExpressGatewayServiceError::InvalidParameterException(
            InvalidParameterException::builder()
                .message(message)
                .meta(meta("InvalidParameterException", message))
                .build(),
        )
    });
    let aws = cloud(&[&create]).await;
    let error = aws.execute(&Action::CreateExpressService { config: Box::new(config()) }, &|_| {}).await.unwrap_err();
    let CloudError::Invalid(text) = &error else { panic!("not Invalid: {error:?}") };
    assert!(text.contains("ecs:CreateExpressGatewayService") && text.contains(message), "{text}");
}

#[tokio::test]
async fn delete_polls_until_the_service_is_inactive() {
    use ExpressGatewayServiceStatusCode::{Draining, Inactive};
    let delete = mock!(Client::delete_express_gateway_service)
        .match_requests(|input| input.service_arn() == Some(ARN))
        .then_output(|| DeleteExpressGatewayServiceOutput::builder().build());
    let describe = describe_rule(&[Draining, Draining, Draining, Inactive]);
    let aws = cloud(&[&delete, &describe]).await;

    let lines = Mutex::new(Vec::new());
    let output = aws
        .execute(&Action::DeleteExpressService { service_arn: ARN.into() }, &|line| lines.lock().unwrap().push(line))
        .await
        .expect("deleted");
    assert!(output.summary.contains("INACTIVE"), "{}", output.summary);
    assert_eq!(delete.num_calls(), 1);
    assert_eq!(describe.num_calls(), 4, "polled until INACTIVE, then stopped");
    let lines = lines.into_inner().unwrap();
    assert_eq!(lines.len(), 1, "the same state is reported once: {lines:?}");
    assert!(lines[0].contains("shop-api DRAINING"), "{lines:?}");
}

#[tokio::test]
async fn deleting_a_service_that_is_gone_succeeds() {
    let delete = mock!(Client::delete_express_gateway_service).then_error(|| {
        DeleteExpressGatewayServiceError::ServiceNotFoundException(
            ServiceNotFoundException::builder().meta(meta("ServiceNotFoundException", "Service not found.")).build(),
        )
    });
    let aws = cloud(&[&delete]).await;
    let action = Action::DeleteExpressService { service_arn: ARN.into() };
    aws.execute(&action, &|_| {}).await.expect("a service already gone is deleted");
    aws.execute(&action, &|_| {}).await.expect("and again");

    // Deleted by someone else while the deletion drained: describe says it no longer exists.
    let delete = mock!(Client::delete_express_gateway_service)
        .then_output(|| DeleteExpressGatewayServiceOutput::builder().build());
    let describe = mock!(Client::describe_express_gateway_service).then_error(|| {
        DescribeExpressGatewayServiceError::ResourceNotFoundException(
            ResourceNotFoundException::builder().meta(meta("ResourceNotFoundException", "not found")).build(),
        )
    });
    let aws = cloud(&[&delete, &describe]).await;
    aws.execute(&action, &|_| {}).await.expect("gone while draining is deleted");
}

fn deployment(
    status: ServiceDeploymentStatus,
    stage: ServiceDeploymentLifecycleStage,
    running: i32,
) -> ServiceDeployment {
    ServiceDeployment::builder()
        .service_deployment_arn(DEPLOYMENT)
        .service_arn(ARN)
        .status(status)
        .lifecycle_stage(stage)
        .target_service_revision(
            ServiceRevisionSummary::builder()
                .arn(REVISION)
                .requested_task_count(1)
                .running_task_count(running)
                .pending_task_count(1 - running)
                .requested_production_traffic_weight(if running == 1 { 100.0 } else { 0.0 })
                .build(),
        )
        .build()
}

fn deployments_rule(steps: Vec<ServiceDeployment>) -> Rule {
    let mut sequence = mock!(Client::describe_service_deployments).sequence();
    for step in steps {
        sequence = sequence
            .output(move || DescribeServiceDeploymentsOutput::builder().service_deployments(step.clone()).build());
    }
    sequence.repeatedly().build()
}

fn list_rule() -> Rule {
    mock!(Client::list_service_deployments)
        .match_requests(|input| {
            input.service() == Some(ARN) && input.cluster() == Some("default") && input.max_results() == Some(1)
        })
        .then_output(|| {
            ListServiceDeploymentsOutput::builder()
                .service_deployments(ServiceDeploymentBrief::builder().service_deployment_arn(DEPLOYMENT).build())
                .build()
        })
}

fn revisions_rule(certificate: Vec<ManagedResourceStatus>) -> Rule {
    let mut sequence = mock!(Client::describe_service_revisions).sequence();
    for status in certificate {
        sequence = sequence.output(move || {
            let at = DateTime::from_secs(1_700_000_000);
            let balancer = ManagedLoadBalancer::builder()
                .status(ManagedResourceStatus::Active)
                .updated_at(at)
                .scheme("internet-facing")
                .build()
                .unwrap();
            let certificate =
                ManagedCertificate::builder().status(status.clone()).updated_at(at).domain_name(HOST).build().unwrap();
            let path = ManagedIngressPath::builder()
                .access_type(AccessType::Public)
                .endpoint(HOST)
                .load_balancer(balancer)
                .certificate(certificate)
                .build()
                .unwrap();
            DescribeServiceRevisionsOutput::builder()
                .service_revisions(
                    ServiceRevision::builder()
                        .service_revision_arn(REVISION)
                        .ecs_managed_resources(EcsManagedResources::builder().ingress_paths(path).build())
                        .build(),
                )
                .build()
        });
    }
    sequence.repeatedly().build()
}

fn events_rule(message: &'static str) -> Rule {
    mock!(Client::describe_services).then_output(move || {
        DescribeServicesOutput::builder()
            .services(Service::builder().events(ServiceEvent::builder().message(message).build()).build())
            .build()
    })
}

fn wait(timeout_secs: u64) -> Action {
    Action::WaitServiceActive { service_name: "shop-api".into(), service_arn: ARN.into(), timeout_secs }
}

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

#[tokio::test]
async fn lookup_finds_the_service_by_its_arn_with_its_run_tag() {
    let action = Action::CreateExpressService { config: Box::new(config()) };
    let active = mock!(Client::describe_express_gateway_service)
        .match_requests(|input| {
            input.service_arn() == Some(ARN) && input.include() == [ExpressGatewayServiceInclude::Tags]
        })
        .then_output(|| {
            DescribeExpressGatewayServiceOutput::builder()
                .service(service(ExpressGatewayServiceStatusCode::Active, None))
                .build()
        });
    let aws = cloud(&[&active]).await;
    let found = aws.lookup(&action).await.unwrap().expect("found");
    assert_eq!(found.run_id.as_deref(), Some("run-42"));
    assert_eq!(found.output.get("serviceArn"), Some(ARN));
    assert_eq!(found.output.get("endpoint"), Some(format!("https://{HOST}").as_str()));

    let inactive = describe_rule(&[ExpressGatewayServiceStatusCode::Inactive]);
    assert_eq!(cloud(&[&inactive]).await.lookup(&action).await.unwrap(), None, "INACTIVE is gone");

    let missing = mock!(Client::describe_express_gateway_service).then_error(|| {
        DescribeExpressGatewayServiceError::ResourceNotFoundException(
            ResourceNotFoundException::builder().meta(meta("ResourceNotFoundException", "not found")).build(),
        )
    });
    assert_eq!(cloud(&[&missing]).await.lookup(&action).await.unwrap(), None);
}

#[tokio::test]
async fn preflight_names_an_unreadable_secret_source_and_nothing_else() {
    let dir = tempfile::tempdir().unwrap();
    let readable = dir.path().join("token");
    std::fs::write(&readable, "hunter2-Secret-Value\n").unwrap();
    let step = |id: &str, path: &std::path::Path| Step {
        id: id.into(),
        action: Action::CreateSecret {
            name: format!("ferry/shop-api/{id}"),
            source: SecretSource::File { path: path.display().to_string() },
            tags: vec![],
        },
    };
    let header = PlanHeader {
        service_name: "shop-api".into(),
        source_instance_id: "i-1".into(),
        account_id: ACCOUNT.into(),
        region: "us-east-1".into(),
    };
    let plan =
        Plan::new(header, vec![step("readable", &readable), step("missing", &dir.path().join("gone"))], vec![], vec![]);
    let problems = cloud(&[]).await.preflight(&plan).await;
    assert_eq!(problems.len(), 1, "{problems:?}");
    assert!(problems[0].contains("missing") && problems[0].contains("gone"), "{problems:?}");
    assert!(!problems.iter().any(|p| p.contains("hunter2")), "no value in a problem");
}
