use thiserror::Error;

/// What every cloud call returns.
pub type CloudResult<T> = Result<T, CloudError>;

/// A failed cloud call, worded so the operator knows what to do next.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum CloudError {
    /// The credentials may not make this call: the operator needs the permission `action` names.
    #[error("access denied: {action} is not allowed ({message})")]
    AccessDenied {
        /// The refused call as IAM names it, e.g. `ec2:DescribeInstances`.
        action: String,
        /// AWS's own explanation, as it sent it.
        message: String,
    },
    /// The resource is not there (deleted, misspelt, or in another account or region).
    #[error("{kind} {id} not found")]
    NotFound {
        /// What was looked for (`instance`, `role`); the call, when the error names no kind.
        kind: String,
        /// Its id, name or ARN; AWS's message, when the error names no resource.
        id: String,
    },
    /// A create found the name taken: the engine may look the resource up and adopt or report it.
    #[error("{kind} {id} already exists")]
    AlreadyExists {
        /// What was to be made (`role`, `repository`); the call, when the error names no kind.
        kind: String,
        /// The name that is taken; AWS's message, when the error names no resource.
        id: String,
    },
    /// AWS kept refusing the call for its rate after every retry.
    #[error("throttled: {action} was still throttled after retrying with backoff; try again in a minute")]
    Throttled {
        /// The throttled call, e.g. `iam:GetRole`.
        action: String,
    },
    /// The call got no answer from AWS: no connection could be made, or a read timed out.
    #[error("cannot reach AWS for {action}: {message}")]
    Network {
        /// The call that got no answer, e.g. `sts:GetCallerIdentity`.
        action: String,
        /// The transport error and its causes, on one line.
        message: String,
    },
    /// The request itself is wrong (a bad parameter, a missing region): retrying cannot help,
    /// the plan or the options must change.
    #[error("invalid request: {0}")]
    Invalid(String),
    /// A change that got no answer in time: it may have taken effect, so the engine looks
    /// before it retries or undoes it.
    #[error("{action} did not answer within {after_secs} s: it may or may not have taken effect")]
    Timeout {
        /// The call that timed out (`ecs:CreateExpressGatewayService`), or the step, by verb and
        /// target.
        action: String,
        /// How long it was given, in seconds.
        after_secs: u64,
    },
    /// A failure the sandbox made on purpose (`--fail-at`), to practise rollback.
    #[error("{message} (fault injected by --fail-at {at})")]
    InjectedFault {
        /// The `--fail-at` value that chose this step, e.g. `3:after`.
        at: String,
        /// The error AWS would plausibly give at this step.
        message: String,
    },
    /// Anything else, worded in full by whoever raised it.
    #[error("{0}")]
    Other(String),
}

impl CloudError {
    /// A `NotFound` for the `kind` of resource (`instance`) with this id.
    pub fn not_found(kind: &str, id: &str) -> Self {
        CloudError::NotFound { kind: kind.to_string(), id: id.to_string() }
    }

    /// Whether the resource is not there: done, for a delete; nothing found, for a lookup.
    pub fn is_not_found(&self) -> bool {
        matches!(self, CloudError::NotFound { .. })
    }
}
