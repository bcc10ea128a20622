//! Turns a run's events into audit records: every step applied or failed, every undo, and how
//! the run ended, with the action's parameters. Watching the events keeps the executor free of
//! audit concerns and audits the TUI and headless runs alike.

use std::sync::Mutex;

use serde_json::{Value, json};

use crate::apply::{ApplyEvent, Journal};
use crate::audit::{AuditEntry, AuditLog};
use crate::plan::{Action, Override, Plan};

pub struct Recorder {
    log: Mutex<AuditLog>,
    run_id: String,
    operator: String,
    /// The action of each plan step (apply) or the inverse of each journal step (rollback);
    /// a step decided at rollback adds its inverse when it arrives.
    actions: Mutex<Vec<(usize, Action)>>,
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

    /// Records each deny the operator overrode, with the written reason, before the run starts.
    pub fn overrides(&self, plan: &Plan, overrides: &[Override]) {
        for given in overrides {
            let message = plan.checks().into_iter().find(|c| c.id == given.check_id).map(|c| c.message.clone());
            self.write(
                "override deny".into(),
                json!({ "check": given.check_id, "message": message, "reason": given.reason }),
                "accepted".into(),
                0,
            );
        }
    }

    fn new(log: AuditLog, run_id: &str, operator: &str, actions: Vec<(usize, Action)>) -> Recorder {
        Recorder {
            log: Mutex::new(log),
            run_id: run_id.to_string(),
            operator: operator.to_string(),
            actions: Mutex::new(actions),
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
            ApplyEvent::StepReconciled { step, made, note, undo } => {
                if let Some(undo) = undo {
                    self.actions.lock().unwrap_or_else(|p| p.into_inner()).push((*step, undo.clone()));
                }
                let outcome = if *made { format!("made: {note}") } else { format!("not made: {note}") };
                (format!("reconcile step {}", step + 1), Value::Null, outcome, 0)
            }
            ApplyEvent::StepStarted { .. }
            | ApplyEvent::StepAlreadyDone { .. }
            | ApplyEvent::StepProgress { .. }
            | ApplyEvent::RollbackStarted { .. }
            | ApplyEvent::UndoStarted { .. } => return,
        };
        self.write(action, parameters, outcome, duration_ms);
    }

    fn write(&self, action: String, parameters: Value, outcome: String, duration_ms: u64) {
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
        let actions = self.actions.lock().unwrap_or_else(|p| p.into_inner());
        match actions.iter().rev().find(|(index, _)| *index == step) {
            Some((_, action)) => {
                (action.type_name(), serde_json::to_value(action).unwrap_or(Value::Null), outcome, elapsed_ms)
            }
            None => (format!("step {}", step + 1), Value::Null, outcome, elapsed_ms),
        }
    }
}
