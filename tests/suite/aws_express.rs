//! The Express Mode operations of the AWS backend, at the SDK boundary (aws-smithy-mocks):
//! no emulator serves them. Each test puts a mocked ECS client into a real `AwsCloud` whose
//! other clients point at a closed port, so any call the test did not expect fails. Watching
//! a deployment is in `aws_express_monitor.rs`.

use crate::express_mocks;

use express_mocks::*;

use std::sync::{Arc, Mutex};

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
use aws_sdk_ecs::types::error::{InvalidParameterException, ResourceNotFoundException, ServiceNotFoundException};
use aws_sdk_ecs::types::{ExpressGatewayServiceInclude, ExpressGatewayServiceStatusCode};
use aws_smithy_mocks::mock;

use ferry::cloud::{Cloud, CloudError, ReadCloud};
use ferry::plan::{Action, Plan, PlanHeader, SecretSource, Step};

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
    let plan = Plan::new(
        header,
        vec![step("readable", &readable), step("missing", &dir.path().join("gone"))],
        vec![],
        Default::default(),
    );
    let problems = cloud(&[]).await.preflight(&plan).await;
    assert_eq!(problems.len(), 1, "{problems:?}");
    assert!(problems[0].contains("missing") && problems[0].contains("gone"), "{problems:?}");
    assert!(!problems.iter().any(|p| p.contains("hunter2")), "no value in a problem");
}
