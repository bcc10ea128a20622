//! Retiring the old stack: once a cutover is finalized, the old stack's items with what each
//! costs a month and the command that removes it. ferry never deletes them: the operator
//! runs each command and confirms it, and each confirmation is journaled.

mod items;
mod journal;
mod old_stack;
mod watchers;

use thiserror::Error;

pub use items::{Item, checklist};
pub use journal::{Confirmation, JournalError, confirm, confirmations};
pub use old_stack::{OldStack, OldStackError, old_stack};

use crate::apply::{RunState, RunStatus};
use crate::plan::Action;

/// Why the old stack is not listed for removal yet.
#[derive(Debug, Error, PartialEq, Eq)]
pub enum DecommissionError {
    /// The traffic has not finished moving: the old stack still serves, or may need to again.
    #[error(
        "the cutover of {service} is not finalized: the old stack may still serve traffic. Move it with `ferry cutover`, then `ferry cutover finalize`, and apply both"
    )]
    NotFinalized {
        /// The migrated service.
        service: String,
    },
}

/// The applied finalize run of `migration`'s service and instance, among `runs`: what allows
/// the old stack to be listed. A finalize that was rolled back does not count.
pub fn finalized<'a>(migration: &RunState, runs: &'a [RunState]) -> Result<&'a RunState, DecommissionError> {
    runs.iter()
        .find(|run| {
            run.status == RunStatus::Applied
                && run.plan.service_name == migration.plan.service_name
                && run.plan.source_instance_id == migration.plan.source_instance_id
                && run.plan.account_id == migration.plan.account_id
                && run.plan.steps.iter().any(|s| matches!(s.action, Action::FinalizeRecords { .. }))
        })
        .ok_or_else(|| DecommissionError::NotFinalized { service: migration.plan.service_name.clone() })
}

/// The certificates a cutover run of the service attached to the Express listener: they
/// serve the host name there now, so the old stack's copy of them is kept.
pub fn certificates_in_use(migration: &RunState, runs: &[RunState]) -> Vec<String> {
    runs.iter()
        .filter(|run| run.status == RunStatus::Applied && run.plan.service_name == migration.plan.service_name)
        .flat_map(|run| &run.plan.steps)
        .filter_map(|s| match &s.action {
            Action::AddListenerCertificate { certificate_arn, .. } => Some(certificate_arn.clone()),
            _ => None,
        })
        .collect()
}
