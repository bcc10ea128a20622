//! SDK errors as `CloudError`s that say what the operator can do.

use std::error::Error;

use aws_smithy_runtime_api::client::result::SdkError;
use aws_smithy_types::error::metadata::ProvideErrorMetadata;

use crate::cloud::CloudError;

/// The SDK's standard retry strategy tries this many times before an error reaches us.
pub const ATTEMPTS: u32 = 3;

const DENIED: [&str; 6] = [
    "AccessDenied",
    "AccessDeniedException",
    "UnauthorizedOperation",
    "AuthorizationError",
    "UnauthorizedAccess",
    "Forbidden",
];

const THROTTLED: [&str; 6] = [
    "Throttling",
    "ThrottlingException",
    "RequestLimitExceeded",
    "TooManyRequestsException",
    "SlowDown",
    "RequestThrottled",
];

const NOT_FOUND: [&str; 8] = [
    "NoSuchEntity",
    "InvalidInstanceID.NotFound",
    "InvalidInstanceID.Malformed",
    "LoadBalancerNotFound",
    "TargetGroupNotFound",
    "DBInstanceNotFound",
    "CacheClusterNotFound",
    "ListenerNotFound",
];

/// Maps an SDK error for `action` (`ec2:DescribeInstances`) to a `CloudError`.
pub fn from_sdk<E, R>(action: &'static str) -> impl Fn(SdkError<E, R>) -> CloudError
where
    E: ProvideErrorMetadata + Error + Send + Sync + 'static,
    R: std::fmt::Debug,
{
    move |error| classify(action, &error)
}

fn classify<E, R>(action: &str, error: &SdkError<E, R>) -> CloudError
where
    E: ProvideErrorMetadata + Error + Send + Sync + 'static,
    R: std::fmt::Debug,
{
    let code = error.code().unwrap_or_default();
    let message = error.message().unwrap_or_default().to_string();
    match error {
        _ if DENIED.contains(&code) => CloudError::AccessDenied { action: action.to_string(), message },
        _ if THROTTLED.contains(&code) => CloudError::Throttled { action: action.to_string() },
        _ if NOT_FOUND.contains(&code) || code.ends_with(".NotFound") => {
            CloudError::NotFound { kind: action.to_string(), id: message }
        }
        SdkError::DispatchFailure(_) | SdkError::TimeoutError(_) => {
            CloudError::Network { action: action.to_string(), message: chain(error) }
        }
        _ if code.is_empty() => CloudError::Other(format!("{action} failed: {}", chain(error))),
        _ => CloudError::Other(format!("{action} failed: {code}: {message}")),
    }
}

/// The error and its causes on one line.
fn chain(error: &dyn Error) -> String {
    let mut text = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text
}
