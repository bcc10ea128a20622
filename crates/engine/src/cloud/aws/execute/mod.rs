//! Carrying out plan actions on AWS (`Cloud::execute`), one module per service.
//!
//! Each change is one SDK call or a short fixed sequence of them; the SDK retries throttling
//! and transient errors and bounds every call (see `connect`). Deletes are idempotent: what is
//! already gone counts as done, so a rollback can run twice. Secret values are read here, at
//! apply time, and go only into the Secrets Manager request: never into an output, a progress
//! line or an error.

mod cutover;
pub(super) mod ecr;
pub(super) mod express;
pub(super) mod iam;
mod image;
mod monitor;
pub(super) mod secrets;
pub(super) mod security_groups;

use async_trait::async_trait;

use super::AwsCloud;
use crate::cloud::{Cloud, CloudError, CloudResult, ProgressSink};
use crate::model::Tag;
use crate::plan::{Action, ActionOutput, Plan};

/// The tag every resource ferry creates carries: which run made it.
pub(super) const RUN_TAG: &str = "ferry:run-id";

/// The run id among a resource's tags.
pub(super) fn run_of<'a>(tags: impl IntoIterator<Item = (&'a str, &'a str)>) -> Option<String> {
    tags.into_iter().find(|(key, _)| *key == RUN_TAG).map(|(_, value)| value.to_string())
}

/// A request that could not be built (a required field missing): a bug in the plan, not AWS.
pub(super) fn unbuildable(error: aws_smithy_types::error::operation::BuildError) -> CloudError {
    CloudError::Invalid(format!("request could not be built: {error}"))
}

/// A list to send, or nothing when it is empty: some services refuse an empty list where
/// they accept its absence (EC2 tag specifications).
pub(super) fn nonempty<T>(items: Vec<T>) -> Option<Vec<T>> {
    (!items.is_empty()).then_some(items)
}

/// Tags as `(key, value)` pairs, for the builders of each service's own `Tag` type.
pub(super) fn pairs(tags: &[Tag]) -> impl Iterator<Item = (&str, &str)> {
    tags.iter().map(|t| (t.key.as_str(), t.value.as_str()))
}

#[async_trait]
impl Cloud for AwsCloud {
    async fn execute(&self, action: &Action, progress: ProgressSink<'_>) -> CloudResult<ActionOutput> {
        match action {
            Action::CreateEcrRepository { name, tags } => ecr::create(self, name, tags).await,
            Action::DeleteEcrRepository { name } => ecr::delete(self, name).await,
            Action::CreateRole { name, trusted_service, managed_policy_arns, inline_policies, tags } => {
                iam::create(self, name, trusted_service, managed_policy_arns, inline_policies, tags).await
            }
            Action::DeleteRole { name } => iam::delete(self, name).await,
            Action::CreateSecret { name, source, tags } => secrets::create(self, name, source, tags).await,
            Action::DeleteSecret { name } => secrets::delete(self, name).await,
            Action::CreateSecurityGroup { name, description, vpc_id, tags } => {
                security_groups::create(self, name, description, vpc_id, tags).await
            }
            Action::DeleteSecurityGroup { group_id } => security_groups::delete(self, group_id, progress).await,
            Action::AuthorizeIngress { group_id, port, source_group_id, description } => {
                security_groups::authorize(self, group_id, *port, source_group_id, description).await
            }
            Action::RevokeIngress { group_id, port, source_group_id } => {
                security_groups::revoke(self, group_id, *port, source_group_id).await
            }
            Action::CreateExpressService { config } => express::create(self, config).await,
            Action::DeleteExpressService { service_arn } => express::delete(self, service_arn, progress).await,
            Action::WaitServiceActive { service_name, service_arn, timeout_secs } => {
                monitor::wait_active(self, service_name, service_arn, *timeout_secs, progress).await
            }
            Action::BuildAndPushImage { .. } => image::build_and_push(self, action, progress).await,
            Action::AddRuleHost { rule_arn, host } => cutover::set_rule_host(self, rule_arn, host, true).await,
            Action::RemoveRuleHost { rule_arn, host } => cutover::set_rule_host(self, rule_arn, host, false).await,
            Action::AddListenerCertificate { listener_arn, certificate_arn } => {
                cutover::set_listener_certificate(self, listener_arn, certificate_arn, true).await
            }
            Action::RemoveListenerCertificate { listener_arn, certificate_arn } => {
                cutover::set_listener_certificate(self, listener_arn, certificate_arn, false).await
            }
            Action::SplitRecords { pair } => cutover::split(self, pair, progress).await,
            Action::JoinRecords { pair } => cutover::join(self, pair, progress).await,
            Action::SetWeights { pair, old_weight, new_weight } => {
                cutover::weigh(self, pair, *old_weight, *new_weight, progress).await
            }
            Action::ReturnWeights { pair } => cutover::weigh(self, pair, 100, 0, progress).await,
            Action::FinalizeRecords { pair } => cutover::finalize(self, pair, true, progress).await,
            Action::UnfinalizeRecords { pair } => cutover::finalize(self, pair, false, progress).await,
            Action::Bake { seconds, why } => cutover::bake(*seconds, why, progress).await,
            Action::HealthGate { .. } => crate::cutover::carry_out_gate(self, action, progress).await,
        }
    }

    /// Secrets read from this machine must be readable, and the image buildable here, before
    /// the first step runs; a problem names the source, never a value.
    async fn preflight(&self, plan: &Plan) -> Vec<String> {
        plan.steps
            .iter()
            .filter_map(|step| match &step.action {
                Action::CreateSecret { name, source, .. } => match source.read_local() {
                    Some(Err(problem)) => Some(format!("step {}: secret {name}: {problem}", step.id)),
                    _ => None,
                },
                Action::BuildAndPushImage { .. } => {
                    image::preflight(&step.action).map(|problem| format!("step {}: {problem}", step.id))
                }
                _ => None,
            })
            .collect()
    }
}
