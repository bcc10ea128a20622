//! What the Express Mode tests share: an `AwsCloud` whose ECS client answers from mocked
//! rules, and the service, deployment and revision answers they are made of.

#![allow(dead_code)]

use std::time::Duration;

use aws_sdk_ecs::Client;
use aws_sdk_ecs::operation::describe_express_gateway_service::DescribeExpressGatewayServiceOutput;
use aws_sdk_ecs::operation::describe_service_deployments::DescribeServiceDeploymentsOutput;
use aws_sdk_ecs::operation::describe_service_revisions::DescribeServiceRevisionsOutput;
use aws_sdk_ecs::operation::describe_services::DescribeServicesOutput;
use aws_sdk_ecs::operation::list_service_deployments::ListServiceDeploymentsOutput;
use aws_sdk_ecs::types::{
    AccessType, EcsExpressGatewayService, EcsManagedResources, ExpressGatewayServiceConfiguration,
    ExpressGatewayServiceStatus, ExpressGatewayServiceStatusCode, IngressPathSummary, ManagedCertificate,
    ManagedIngressPath, ManagedLoadBalancer, ManagedResourceStatus, Service, ServiceDeployment, ServiceDeploymentBrief,
    ServiceDeploymentLifecycleStage, ServiceDeploymentStatus, ServiceEvent, ServiceRevision, ServiceRevisionSummary,
};
use aws_smithy_mocks::{MockResponseInterceptor, Rule, RuleMode, create_mock_http_client, mock};
use aws_smithy_types::DateTime;
use aws_smithy_types::error::ErrorMetadata;

use ferry::cloud::aws::{AwsCloud, AwsOptions, connect};
use ferry::model::{
    ExpressServiceConfig, KeyValuePair, NetworkConfiguration, PrimaryContainer, ScalingTarget, SecretRef, Tag,
};
use ferry::plan::Action;

pub const ACCOUNT: &str = "123456789012";
pub const ARN: &str = "arn:aws:ecs:us-east-1:123456789012:service/default/shop-api";
pub const REVISION: &str = "arn:aws:ecs:us-east-1:123456789012:service-revision/default/shop-api/1";
pub const DEPLOYMENT: &str = "arn:aws:ecs:us-east-1:123456789012:service-deployment/default/shop-api/d1";
pub const HOST: &str = "sh-0123456789abcdef.ecs.us-east-1.on.aws";

/// An `AwsCloud` whose ECS client answers from `rules`; every other client points at a
/// closed port. Polls are 5 ms apart.
pub async fn cloud(rules: &[&Rule]) -> AwsCloud {
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
    let ecs = mocked_ecs(rules);
    connect(&options).await.expect("connects without a call").with_ecs_client(ecs).with_account_id(ACCOUNT)
}

/// An ECS client that answers from `rules`, in any order, and never opens a connection.
///
/// Built by hand rather than with `mock_client!`, whose test defaults need the SDK crate's
/// `test-util` feature: that feature would give the tests a second build of every SDK crate
/// (with a legacy HTTP stack), where the binary and the tests now share one.
pub fn mocked_ecs(rules: &[&Rule]) -> Client {
    let interceptor = rules
        .iter()
        .fold(MockResponseInterceptor::new().rule_mode(RuleMode::MatchAny), |mock, rule| mock.with_rule(rule));
    let config = aws_sdk_ecs::Config::builder()
        .behavior_version(aws_sdk_ecs::config::BehaviorVersion::latest())
        .region(aws_sdk_ecs::config::Region::new("us-east-1"))
        .credentials_provider(aws_sdk_ecs::config::Credentials::new("testing", "testing", None, None, "tests"))
        .http_client(create_mock_http_client())
        .interceptor(interceptor)
        .build();
    Client::from_conf(config)
}

/// Error metadata as the SDK reads it off the wire: the code and message ferry classifies by.
pub fn meta(code: &str, message: &str) -> ErrorMetadata {
    ErrorMetadata::builder().code(code).message(message).build()
}

pub fn config() -> ExpressServiceConfig {
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

pub fn service(status: ExpressGatewayServiceStatusCode, reason: Option<&str>) -> EcsExpressGatewayService {
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

pub fn describe_rule(statuses: &[ExpressGatewayServiceStatusCode]) -> Rule {
    let mut sequence = mock!(Client::describe_express_gateway_service).sequence();
    for status in statuses {
        let status = status.clone();
        sequence = sequence.output(move || {
            DescribeExpressGatewayServiceOutput::builder().service(service(status.clone(), None)).build()
        });
    }
    sequence.repeatedly().build()
}

pub fn deployment(
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

pub fn deployments_rule(steps: Vec<ServiceDeployment>) -> Rule {
    let mut sequence = mock!(Client::describe_service_deployments).sequence();
    for step in steps {
        sequence = sequence
            .output(move || DescribeServiceDeploymentsOutput::builder().service_deployments(step.clone()).build());
    }
    sequence.repeatedly().build()
}

pub fn list_rule() -> Rule {
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

pub fn revisions_rule(certificate: Vec<ManagedResourceStatus>) -> Rule {
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

pub fn events_rule(message: &'static str) -> Rule {
    mock!(Client::describe_services).then_output(move || {
        DescribeServicesOutput::builder()
            .services(Service::builder().events(ServiceEvent::builder().message(message).build()).build())
            .build()
    })
}

pub fn wait(timeout_secs: u64) -> Action {
    Action::WaitServiceActive { service_name: "shop-api".into(), service_arn: ARN.into(), timeout_secs }
}
