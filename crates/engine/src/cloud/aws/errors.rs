//! SDK errors as `CloudError`s that say what the operator can do.

use std::error::Error;

use aws_smithy_runtime_api::client::result::SdkError;
use aws_smithy_types::error::metadata::ProvideErrorMetadata;

use super::connect::{ATTEMPT_TIMEOUT, OPERATION_TIMEOUT};
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

const NOT_FOUND: [&str; 12] = [
    "NoSuchEntity",
    "InvalidInstanceID.NotFound",
    "InvalidInstanceID.Malformed",
    "LoadBalancerNotFound",
    "TargetGroupNotFound",
    "DBInstanceNotFound",
    "CacheClusterNotFound",
    "ListenerNotFound",
    "RepositoryNotFoundException",
    // Secrets Manager, and ECS describing an Express service.
    "ResourceNotFoundException",
    "ServiceNotFoundException",
    "ClusterNotFoundException",
];

/// Creating what is already there: the engine may then look it up and adopt or report it.
const ALREADY_EXISTS: [&str; 6] = [
    "EntityAlreadyExists",
    // CloudWatch Logs: the audit anchor's group or stream.
    "ResourceAlreadyExistsException",
    "RepositoryAlreadyExistsException",
    "ResourceExistsException",
    "InvalidGroup.Duplicate",
    "InvalidPermission.Duplicate",
];

/// The request itself is wrong: retrying the same call cannot help, the plan must change.
const INVALID: [&str; 12] = [
    "InvalidParameterException",
    "InvalidParameterValue",
    "InvalidParameterValueException",
    "InvalidParameterCombination",
    "InvalidRequestException",
    "ValidationError",
    "ValidationException",
    "MalformedPolicyDocument",
    "MalformedPolicyDocumentException",
    "UnsupportedFeatureException",
    "DependencyViolation",
    // ACM, given something that is not a certificate ARN.
    "InvalidArnException",
];

/// Maps an SDK error for `action` (`ec2:DescribeInstances`) to a `CloudError`.
pub fn from_sdk<E, R>(action: &'static str) -> impl Fn(SdkError<E, R>) -> CloudError
where
    E: ProvideErrorMetadata + Error + Send + Sync + 'static,
    R: std::fmt::Debug,
{
    move |error| classify(action, &error)
}

/// As `from_sdk`, naming what the call was about, so a "not found" or "already exists" says
/// which resource (`role ferry-shop-task already exists`) rather than which call.
pub fn about<E, R>(action: &'static str, kind: &str, id: &str) -> impl Fn(SdkError<E, R>) -> CloudError
where
    E: ProvideErrorMetadata + Error + Send + Sync + 'static,
    R: std::fmt::Debug,
{
    let (kind, id) = (kind.to_string(), id.to_string());
    move |error| match classify(action, &error) {
        CloudError::NotFound { .. } => CloudError::NotFound { kind: kind.clone(), id: id.clone() },
        CloudError::AlreadyExists { .. } => CloudError::AlreadyExists { kind: kind.clone(), id: id.clone() },
        other => other,
    }
}

fn classify<E, R>(action: &str, error: &SdkError<E, R>) -> CloudError
where
    E: ProvideErrorMetadata + Error + Send + Sync + 'static,
    R: std::fmt::Debug,
{
    let code = error.code().unwrap_or_default();
    let message = match error.message() {
        Some(message) => message.to_string(),
        // A modeled error built without metadata still carries its text in its Display.
        None => error.as_service_error().map(ToString::to_string).unwrap_or_default(),
    };
    match error {
        _ if DENIED.contains(&code) => CloudError::AccessDenied { action: action.to_string(), message },
        _ if THROTTLED.contains(&code) => CloudError::Throttled { action: action.to_string() },
        _ if NOT_FOUND.contains(&code) || code.ends_with(".NotFound") => {
            CloudError::NotFound { kind: action.to_string(), id: message }
        }
        _ if ALREADY_EXISTS.contains(&code) => CloudError::AlreadyExists { kind: action.to_string(), id: message },
        _ if INVALID.contains(&code) => CloudError::Invalid(format!("{action}: {code}: {message}")),
        // A change that timed out may have been made: say so, so the engine looks before retrying.
        SdkError::TimeoutError(_) if !is_read(action) => {
            let operation = chain(error).contains("all attempts");
            let after = if operation { OPERATION_TIMEOUT } else { ATTEMPT_TIMEOUT };
            CloudError::Timeout { action: action.to_string(), after_secs: after.as_secs() }
        }
        SdkError::DispatchFailure(_) | SdkError::TimeoutError(_) => {
            CloudError::Network { action: action.to_string(), message: chain(error) }
        }
        _ if code.is_empty() => CloudError::Other(format!("{action} failed: {}", chain(error))),
        _ => CloudError::Other(format!("{action} failed: {code}: {message}")),
    }
}

/// Whether `service:Operation` only reads.
fn is_read(action: &str) -> bool {
    let operation = action.split_once(':').map_or(action, |(_, op)| op);
    ["Describe", "List", "Get"].iter().any(|verb| operation.starts_with(verb))
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
