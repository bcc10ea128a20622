//! Connecting as the AWS CLI does: the default credential chain (environment, profiles, SSO,
//! credential processes, IMDS), `--profile`, `--region`, `--endpoint-url` and `AWS_ENDPOINT_URL`.

use std::time::Duration;

use aws_config::retry::RetryConfig;
use aws_config::timeout::TimeoutConfig;
use aws_config::{BehaviorVersion, Region};

use super::{AwsCloud, CallLog, errors};
use crate::cloud::CloudError;

/// How long one attempt of a call may take before it is abandoned (and retried).
pub const ATTEMPT_TIMEOUT: Duration = Duration::from_secs(30);
/// How long a call may take, retries and backoff included: no call hangs an apply.
pub const OPERATION_TIMEOUT: Duration = Duration::from_secs(120);
/// How often waits poll, as `aws ecs monitor-express-gateway-service` does.
pub const POLL_INTERVAL: Duration = Duration::from_secs(10);

/// How to reach the account; empty fields fall back to the environment and profiles.
#[derive(Debug, Clone, Default)]
pub struct AwsOptions {
    /// The named profile in the AWS config and credentials files (`--profile`).
    pub profile: Option<String>,
    /// The region to work in (`--region`), e.g. `eu-west-1`.
    pub region: Option<String>,
    /// Where to send every call instead of AWS (`--endpoint-url`): an emulator such as moto.
    pub endpoint_url: Option<String>,
    /// Items per page for list calls (tests use small pages to prove pagination).
    pub page_size: Option<i32>,
    /// Attempts per call, retries included; defaults to the SDK's standard 3.
    pub max_attempts: Option<u32>,
    /// Credentials to use instead of the default chain (for embedding ferry, and tests).
    pub credentials: Option<aws_sdk_sts::config::SharedCredentialsProvider>,
    /// Time between polls while waiting for a service (deployment, deletion); default 10 s.
    pub poll_interval: Option<Duration>,
}

/// Finds credentials and a region as the AWS CLI does and makes one client per service, all
/// recording into one `CallLog`. Fails only when no region is found: credentials are first
/// used, and so checked, by the first call.
pub async fn connect(options: &AwsOptions) -> Result<AwsCloud, CloudError> {
    let attempts = options.max_attempts.unwrap_or(errors::ATTEMPTS);
    let mut loader = aws_config::defaults(BehaviorVersion::latest())
        .retry_config(RetryConfig::standard().with_max_attempts(attempts))
        .timeout_config(
            TimeoutConfig::builder()
                .connect_timeout(Duration::from_secs(5))
                .operation_attempt_timeout(ATTEMPT_TIMEOUT)
                .operation_timeout(OPERATION_TIMEOUT)
                .build(),
        );
    if let Some(profile) = &options.profile {
        loader = loader.profile_name(profile);
    }
    if let Some(region) = &options.region {
        loader = loader.region(Region::new(region.clone()));
    }
    if let Some(url) = &options.endpoint_url {
        loader = loader.endpoint_url(url);
    }
    if let Some(credentials) = &options.credentials {
        loader = loader.credentials_provider(credentials.clone());
    }
    let config = loader.load().await;
    let region = config.region().map(|r| r.to_string()).ok_or_else(|| {
        CloudError::Invalid("no AWS region: pass --region, set AWS_REGION, or give the profile a region".into())
    })?;
    let calls = CallLog::default();
    let custom_endpoint = options.endpoint_url.is_some() || config.endpoint_url().is_some();

    macro_rules! client {
        ($krate:ident) => {
            $krate::Client::from_conf($krate::config::Builder::from(&config).interceptor(calls.clone()).build())
        };
    }
    let s3_config = aws_sdk_s3::config::Builder::from(&config)
        .interceptor(calls.clone())
        // Emulators such as moto serve buckets by path, not by virtual host.
        .force_path_style(custom_endpoint)
        .build();
    Ok(AwsCloud {
        ec2: client!(aws_sdk_ec2),
        elb: client!(aws_sdk_elasticloadbalancingv2),
        iam: client!(aws_sdk_iam),
        rds: client!(aws_sdk_rds),
        elasticache: client!(aws_sdk_elasticache),
        sts: client!(aws_sdk_sts),
        s3: aws_sdk_s3::Client::from_conf(s3_config),
        autoscaling: client!(aws_sdk_autoscaling),
        ecr: client!(aws_sdk_ecr),
        ecs: client!(aws_sdk_ecs),
        secrets: client!(aws_sdk_secretsmanager),
        logs: client!(aws_sdk_cloudwatchlogs),
        route53: client!(aws_sdk_route53),
        acm: client!(aws_sdk_acm),
        cloudwatch: client!(aws_sdk_cloudwatch),
        label: options
            .profile
            .clone()
            .unwrap_or_else(|| std::env::var("AWS_PROFILE").unwrap_or_else(|_| "default".into())),
        region,
        page_size: options.page_size,
        poll_interval: options.poll_interval.unwrap_or(POLL_INTERVAL),
        account_id: Default::default(),
        calls,
    })
}
