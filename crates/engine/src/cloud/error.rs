use thiserror::Error;

pub type CloudResult<T> = Result<T, CloudError>;

/// A failed cloud call, worded so the operator knows what to do next.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum CloudError {
    #[error("access denied: {action} is not allowed ({message})")]
    AccessDenied { action: String, message: String },
    #[error("{kind} {id} not found")]
    NotFound { kind: String, id: String },
    #[error("{kind} {id} already exists")]
    AlreadyExists { kind: String, id: String },
    #[error("throttled: {action} was still throttled after retrying with backoff; try again in a minute")]
    Throttled { action: String },
    #[error("cannot reach AWS for {action}: {message}")]
    Network { action: String, message: String },
    #[error("invalid request: {0}")]
    Invalid(String),
    #[error("{action} did not answer within {after_secs} s: it may or may not have taken effect")]
    Timeout { action: String, after_secs: u64 },
    #[error("{message} (fault injected by --fail-at {at})")]
    InjectedFault { at: String, message: String },
    #[error("{0}")]
    Other(String),
}

impl CloudError {
    pub fn not_found(kind: &str, id: &str) -> Self {
        CloudError::NotFound { kind: kind.to_string(), id: id.to_string() }
    }

    pub fn is_not_found(&self) -> bool {
        matches!(self, CloudError::NotFound { .. })
    }
}
