use serde::{Deserialize, Serialize};

use crate::plan::{Action, ActionOutput};

/// One step carried out: the action as executed (placeholders filled) and what it returned.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct JournalEntry {
    /// 0-based index of the step in the plan.
    pub step: usize,
    /// The step's id in the plan: what later steps' placeholders name.
    pub step_id: String,
    /// The action as sent: placeholders filled with the run's id and earlier outputs.
    pub action: Action,
    /// What the call returned, or what a lookup found: the ids and ARNs the undo needs.
    pub output: ActionOutput,
}

impl JournalEntry {
    /// The action that undoes this step, built from its output; `None` when there is nothing
    /// to undo or the output lacks the id the undo needs.
    pub fn inverse(&self) -> Option<Action> {
        self.action.inverse(&self.output)
    }
}

/// What a run changed, in order: the input to rollback.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Journal {
    /// The run that made the changes: the `ferry:run-id` tag they carry.
    pub run_id: String,
    /// The hash of the plan the run carries out.
    pub plan_hash: String,
    /// One per step whose change is made, in the order they were recorded.
    pub entries: Vec<JournalEntry>,
}
