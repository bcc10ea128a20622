//! Turns a run's events into audit records: every step applied or failed, every undo, and how
//! the run ended, with the action's parameters. Watching the events keeps the executor free of
//! audit concerns and audits the TUI and headless runs alike.
//!
//! After each record, the run's journal is told where the log stands (so a log cut short later
//! is caught), and the record is queued for the anchor outside the machine, when there is one.

use std::sync::Mutex;

use serde_json::{Value, json};

use super::anchor_queue::AnchorQueue;
use crate::apply::{ApplyEvent, Journal, Record, RunLog, now};
use crate::audit::{AnchorOpened, Anchored, AuditEntry, AuditLog};
use crate::plan::{Action, Override, Plan};

/// Writes a run's audit records as its events arrive.
pub struct Recorder<'r> {
    log: Mutex<AuditLog>,
    run_id: String,
    operator: String,
    /// The action of each plan step (apply) or the inverse of each journal step (rollback);
    /// a step decided at rollback adds its inverse when it arrives.
    actions: Mutex<Vec<(usize, Action)>>,
    /// Records that could not be written: the front end shows them.
    errors: Mutex<Vec<String>>,
    /// The run's journal, told where the log stands after each record.
    journal: Option<&'r RunLog>,
    /// Where each record is also sent.
    anchor: Option<&'r AnchorQueue>,
}

impl<'r> Recorder<'r> {
    /// Audits an apply of `plan` as run `run_id`.
    pub fn for_apply(log: AuditLog, run_id: &str, operator: &str, plan: &Plan) -> Recorder<'r> {
        let actions = plan.steps.iter().enumerate().map(|(index, step)| (index, step.action.clone())).collect();
        Recorder::new(log, run_id, operator, actions)
    }

    /// Audits the rollback of the run `journal` recorded.
    pub fn for_rollback(log: AuditLog, operator: &str, journal: &Journal) -> Recorder<'r> {
        let actions = journal.entries.iter().filter_map(|e| Some((e.step, e.inverse()?))).collect();
        Recorder::new(log, &journal.run_id, operator, actions)
    }

    /// Writes a checkpoint (`Record::Audited`) to the run's journal after each audit record.
    pub fn journaled(mut self, run: &'r RunLog) -> Recorder<'r> {
        self.journal = Some(run);
        self
    }

    /// Queues each audit record for the anchor as well.
    pub fn anchored(mut self, queue: Option<&'r AnchorQueue>) -> Recorder<'r> {
        self.anchor = queue;
        self
    }

    /// Records where this session's records also go, and what had to be created for them.
    pub fn anchor_opened(&self, anchor: &str, opened: &AnchorOpened) {
        let parameters = json!({ "anchor": anchor, "place": opened.place, "created": opened.created });
        self.write("anchor audit log".into(), parameters, "ok".into(), 0);
    }

    /// Records that the anchor stopped taking records, so the local log says so too.
    pub fn anchor_failed(&self, anchor: &str, error: &str) {
        self.write("anchor audit log".into(), json!({ "anchor": anchor }), format!("failed: {error}"), 0);
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

    fn new(log: AuditLog, run_id: &str, operator: &str, actions: Vec<(usize, Action)>) -> Recorder<'r> {
        Recorder {
            log: Mutex::new(log),
            run_id: run_id.to_string(),
            operator: operator.to_string(),
            actions: Mutex::new(actions),
            errors: Mutex::new(Vec::new()),
            journal: None,
            anchor: None,
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
            ApplyEvent::StepCompensated { action, error, elapsed_ms, .. } => (
                action.type_name(),
                serde_json::to_value(action).unwrap_or(Value::Null),
                error.as_ref().map_or_else(|| "ok".to_string(), |e| format!("failed: {e}")),
                *elapsed_ms,
            ),
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
        // The log's lock is held until the checkpoint and the queue have the record, so they
        // see this process's records in the order they were written.
        let mut log = self.log.lock().unwrap_or_else(|p| p.into_inner());
        let appended = match log.append_counted(entry) {
            Ok(appended) => appended,
            Err(error) => return self.error(format!("the audit log could not be written: {error}")),
        };
        if let Some(run) = self.journal {
            let checkpoint =
                Record::Audited { records: appended.line, hash: appended.record.hash.clone(), time: now() };
            if let Err(error) = run.append(checkpoint) {
                self.error(format!("the run journal could not record where the audit log stands: {error}"));
            }
        }
        if let Some(queue) = self.anchor {
            queue.push(Anchored { line: appended.line, record: appended.record });
        }
    }

    fn error(&self, error: String) {
        self.errors.lock().unwrap_or_else(|p| p.into_inner()).push(error);
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
