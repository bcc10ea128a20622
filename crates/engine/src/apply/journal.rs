use serde::{Deserialize, Serialize};

use crate::plan::{Action, ActionOutput};

/// One step carried out: the action as executed (placeholders filled) and what it returned.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct JournalEntry {
    pub step: usize,
    pub step_id: String,
    pub action: Action,
    pub output: ActionOutput,
}

impl JournalEntry {
    pub fn inverse(&self) -> Option<Action> {
        self.action.inverse(&self.output)
    }
}

/// What a run changed, in order: the input to rollback.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Journal {
    pub run_id: String,
    pub plan_hash: String,
    pub entries: Vec<JournalEntry>,
}
