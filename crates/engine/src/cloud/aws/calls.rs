//! A record of every call sent: for the header's call count, benchmarks, and the proof that
//! read-only use never sends a mutating operation.

use std::sync::{Arc, Mutex};

use aws_smithy_runtime_api::box_error::BoxError;
use aws_smithy_runtime_api::client::interceptors::Intercept;
use aws_smithy_runtime_api::client::interceptors::context::BeforeTransmitInterceptorContextRef;
use aws_smithy_runtime_api::client::orchestrator::Metadata;
use aws_smithy_runtime_api::client::runtime_components::RuntimeComponents;
use aws_smithy_types::config_bag::ConfigBag;

/// One request as it left: `service` and `operation` as the SDK names them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecordedCall {
    /// The service as the SDK names it, e.g. `EC2` or `Elastic Load Balancing v2`.
    pub service: String,
    /// The API operation, e.g. `DescribeInstances`.
    pub operation: String,
}

/// Shared by every client of one `AwsCloud`; each attempt (retries too) is one entry.
#[derive(Debug, Clone, Default)]
pub struct CallLog {
    calls: Arc<Mutex<Vec<RecordedCall>>>,
}

impl CallLog {
    /// A copy of every call recorded so far, in the order they were sent.
    pub fn snapshot(&self) -> Vec<RecordedCall> {
        self.calls.lock().map(|c| c.clone()).unwrap_or_default()
    }

    /// How many calls were sent so far, retries included.
    pub fn count(&self) -> usize {
        self.calls.lock().map(|c| c.len()).unwrap_or_default()
    }
}

impl Intercept for CallLog {
    fn name(&self) -> &'static str {
        "ferry::CallLog"
    }

    fn read_before_transmit(
        &self,
        _context: &BeforeTransmitInterceptorContextRef<'_>,
        _runtime_components: &RuntimeComponents,
        cfg: &mut ConfigBag,
    ) -> Result<(), BoxError> {
        if let (Some(metadata), Ok(mut calls)) = (cfg.load::<Metadata>(), self.calls.lock()) {
            calls
                .push(RecordedCall { service: metadata.service().to_string(), operation: metadata.name().to_string() });
        }
        Ok(())
    }
}
