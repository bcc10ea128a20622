//! The one call a front end makes to carry a run out: apply or resume it, and when the front
//! end asked (`RunControl::stop_then_roll_back`), stop it and roll it back, in the same call.

use super::{OperateError, Operator};
use crate::apply::{ApplyEvent, Journal, RollbackOutcome, RunControl, RunLog, RunOutcome, RunStatus};

/// How a run carried out by [`Operator::carry_out`] ended.
#[derive(Debug)]
pub struct RunReport {
    /// How the apply (or the resume) ended.
    pub outcome: RunOutcome,
    /// Every change the run held when the apply ended.
    pub journal: Journal,
    /// The rollback the front end asked for while the run was under way, when one started:
    /// how it ended, or why it could not start.
    pub rollback: Option<Result<RollbackOutcome, OperateError>>,
    /// Audit records that could not be written (or sent to the anchor), one message each.
    pub audit_errors: Vec<String>,
}

impl RunReport {
    /// Where the run stands now.
    pub fn status(&self) -> RunStatus {
        match &self.rollback {
            Some(Ok(outcome)) => RunStatus::after_rollback(outcome),
            // `after_apply` needs the step a refused resume stopped at only for its message.
            _ => RunStatus::after_apply(&self.outcome, self.journal.entries.len()),
        }
    }
}

impl Operator {
    /// Applies the run, or resumes it from where its journal says it stands, every event
    /// audited; `emit` sees them too. `control` stops it between steps; when it asked for a
    /// rollback as well, what the run made is undone before this returns.
    pub async fn carry_out(
        &self,
        run: &RunLog,
        control: &RunControl,
        emit: &(dyn Fn(ApplyEvent) + Send + Sync),
    ) -> Result<RunReport, OperateError> {
        let (end, mut audit_errors) = self.apply_run(run, control.stop_flag(), emit).await?;
        let stopped_here = RunStatus::after_apply(&end.outcome, 0);
        let rollback = if stopped_here.can_roll_back() && control.take_roll_back() {
            let rolled = self.rollback(run, emit).await;
            Some(rolled.map(|(outcome, errors)| {
                audit_errors.extend(errors);
                outcome
            }))
        } else {
            None
        };
        Ok(RunReport { outcome: end.outcome, journal: end.journal, rollback, audit_errors })
    }
}
