//! Turns a run's events into audit records: every step applied or failed, every undo, and how
//! the run ended, with the action's parameters. Watching the events keeps the executor free of
//! audit concerns and audits the TUI and headless runs alike.

use std::sync::Mutex;

use serde_json::{Value, json};

use super::{AuditEntry, AuditLog};
use crate::apply::{ApplyEvent, Journal};
use crate::plan::{Action, Plan};

pub struct Recorder {
    log: Mutex<AuditLog>,
    run_id: String,
    operator: String,
    /// The action of each plan step (apply) or the inverse of each journal step (rollback).
    actions: Vec<(usize, Action)>,
    /// Records that could not be written: the front end shows them.
    errors: Mutex<Vec<String>>,
}

impl Recorder {
    /// Audits an apply of `plan` as run `run_id`.
    pub fn for_apply(log: AuditLog, run_id: &str, operator: &str, plan: &Plan) -> Recorder {
        let actions = plan.steps.iter().enumerate().map(|(index, step)| (index, step.action.clone())).collect();
        Recorder::new(log, run_id, operator, actions)
    }

    /// Audits the rollback of the run `journal` recorded.
    pub fn for_rollback(log: AuditLog, operator: &str, journal: &Journal) -> Recorder {
        let actions = journal.entries.iter().filter_map(|e| Some((e.step, e.inverse()?))).collect();
        Recorder::new(log, &journal.run_id, operator, actions)
    }

    fn new(log: AuditLog, run_id: &str, operator: &str, actions: Vec<(usize, Action)>) -> Recorder {
        Recorder {
            log: Mutex::new(log),
            run_id: run_id.to_string(),
            operator: operator.to_string(),
            actions,
            errors: Mutex::new(Vec::new()),
        }
    }

    /// Records what `event` says happened; progress and start events need no record.
    pub fn observe(&self, event: &ApplyEvent) {
        let (action, parameters, outcome, duration_ms) = match event {
            ApplyEvent::RunStarted { plan_hash, steps, .. } => {
                ("start run".to_string(), json!({ "plan_hash": plan_hash, "steps": steps }), "ok".to_string(), 0)
            }
            ApplyEvent::StepDone { step, elapsed_ms, .. } => self.step(*step, "ok".into(), *elapsed_ms),
            ApplyEvent::StepFailed { step, elapsed_ms, error } => {
                self.step(*step, format!("failed: {error}"), *elapsed_ms)
            }
            ApplyEvent::RunFinished { outcome, .. } => {
                ("finish run".to_string(), Value::Null, serde_json::to_string(outcome).unwrap_or_default(), 0)
            }
            ApplyEvent::UndoDone { step, elapsed_ms } => self.step(*step, "ok".into(), *elapsed_ms),
            ApplyEvent::UndoFailed { step, error } => self.step(*step, format!("failed: {error}"), 0),
            ApplyEvent::RollbackFinished { outcome } => {
                ("finish rollback".to_string(), Value::Null, serde_json::to_string(outcome).unwrap_or_default(), 0)
            }
            ApplyEvent::StepStarted { .. }
            | ApplyEvent::StepProgress { .. }
            | ApplyEvent::RollbackStarted { .. }
            | ApplyEvent::UndoStarted { .. } => return,
        };
        let entry = AuditEntry {
            run_id: self.run_id.clone(),
            operator: self.operator.clone(),
            action,
            parameters,
            outcome,
            duration_ms,
        };
        let written = self
            .log
            .lock()
            .map_err(|_| "the audit log lock was poisoned".to_string())
            .and_then(|mut log| log.append(entry).map(|_| ()).map_err(|e| e.to_string()));
        if let Err(error) = written
            && let Ok(mut errors) = self.errors.lock()
        {
            errors.push(error);
        }
    }

    /// Records that could not be written, in order.
    pub fn errors(&self) -> Vec<String> {
        self.errors.lock().map(|e| e.clone()).unwrap_or_default()
    }

    fn step(&self, step: usize, outcome: String, elapsed_ms: u64) -> (String, Value, String, u64) {
        match self.actions.iter().find(|(index, _)| *index == step) {
            Some((_, action)) => {
                (action.type_name(), serde_json::to_value(action).unwrap_or(Value::Null), outcome, elapsed_ms)
            }
            None => (format!("step {}", step + 1), Value::Null, outcome, elapsed_ms),
        }
    }
}
