//! Records on their way to the anchor. The recorder writes locally and queues; a pump sends
//! what is queued alongside the run, so a slow network never holds a step back, and the run's
//! end waits until everything is sent or the failure is known.
//!
//! Nothing is dropped: a batch that fails to send goes back to the front of the queue, the
//! pump stops trying (the run is told, and an apply stops before its next step), and a last
//! attempt at the end either sends it all or names the records still unsent.

use std::collections::VecDeque;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

use tokio::sync::Notify;

use crate::audit::{AnchorError, AnchorOpened, Anchored, AuditAnchor};

/// One run's records waiting for the anchor, in the order they were written.
pub struct AnchorQueue {
    anchor: Arc<dyn AuditAnchor>,
    run_id: String,
    pending: Mutex<VecDeque<Anchored>>,
    /// One send at a time, so batches arrive in order.
    sending: tokio::sync::Mutex<()>,
    wake: Notify,
    closed: AtomicBool,
    /// Why the last send failed, while records are still waiting.
    failure: Mutex<Option<String>>,
    /// Whether the pump gave up during the run.
    stalled: AtomicBool,
}

impl AnchorQueue {
    /// Readies the anchor for `run_id` (creating what is missing) and a queue to it.
    pub async fn open(anchor: Arc<dyn AuditAnchor>, run_id: &str) -> Result<(AnchorQueue, AnchorOpened), AnchorError> {
        let opened = anchor.open(run_id).await?;
        let queue = AnchorQueue {
            anchor,
            run_id: run_id.to_string(),
            pending: Mutex::default(),
            sending: tokio::sync::Mutex::new(()),
            wake: Notify::new(),
            closed: AtomicBool::new(false),
            failure: Mutex::default(),
            stalled: AtomicBool::new(false),
        };
        Ok((queue, opened))
    }

    /// The anchor as messages name it.
    pub fn describe(&self) -> String {
        self.anchor.describe()
    }

    /// Queues a record just written to the local log.
    pub fn push(&self, anchored: Anchored) {
        self.pending.lock().unwrap_or_else(|p| p.into_inner()).push_back(anchored);
        self.wake.notify_one();
    }

    /// Sends everything queued. On failure it all stays queued, in order, and the error is
    /// kept for `unsent`.
    pub async fn flush(&self) -> Result<(), AnchorError> {
        let _turn = self.sending.lock().await;
        let batch: Vec<Anchored> = self.pending.lock().unwrap_or_else(|p| p.into_inner()).drain(..).collect();
        if batch.is_empty() {
            return Ok(());
        }
        match self.anchor.send(&self.run_id, &batch).await {
            Ok(()) => {
                *self.failure.lock().unwrap_or_else(|p| p.into_inner()) = None;
                Ok(())
            }
            Err(error) => {
                let mut pending = self.pending.lock().unwrap_or_else(|p| p.into_inner());
                for anchored in batch.into_iter().rev() {
                    pending.push_front(anchored);
                }
                *self.failure.lock().unwrap_or_else(|p| p.into_inner()) = Some(error.to_string());
                Err(error)
            }
        }
    }

    /// Sends records as they are queued until `close`. After a failed send it stops trying
    /// (each try could wait out the network's timeouts) and calls `on_failure` once: the last
    /// attempt is `finish`'s.
    pub async fn pump(&self, on_failure: impl Fn()) {
        while !self.closed.load(Ordering::SeqCst) {
            self.wake.notified().await;
            if self.flush().await.is_err() {
                self.stalled.store(true, Ordering::SeqCst);
                on_failure();
                return;
            }
        }
    }

    /// Ends the pump once what it is sending is sent.
    pub fn close(&self) {
        self.closed.store(true, Ordering::SeqCst);
        self.wake.notify_one();
    }

    /// A last attempt to send what is queued. An error says what is still unsent, or that
    /// sending failed during the run even though everything got through at the end.
    pub async fn finish(&self) -> Result<(), String> {
        self.close();
        match self.flush().await {
            Err(_) => Err(self.unsent().unwrap_or_default()),
            Ok(()) if self.stalled.load(Ordering::SeqCst) => Err(format!(
                "sending the audit log to {} failed during the run; every record was sent at the end",
                self.anchor.describe()
            )),
            Ok(()) => Ok(()),
        }
    }

    /// The records still unsent and why, or `None` when every record was sent.
    pub fn unsent(&self) -> Option<String> {
        let pending = self.pending.lock().unwrap_or_else(|p| p.into_inner());
        let (first, last) = (pending.front()?.line, pending.back()?.line);
        let error = self.failure.lock().unwrap_or_else(|p| p.into_inner()).clone().unwrap_or_default();
        let lines = if first == last { format!("record {first}") } else { format!("records {first}-{last}") };
        Some(format!(
            "{lines} of the audit log could not be sent to {} ({error}); they are in the local log, and `ferry audit verify --against-cloudwatch` names them",
            self.anchor.describe()
        ))
    }
}

/// Runs `work` with the queue's pump beside it (when there is a queue), then makes the last
/// attempt to send. Returns the work's result and what could not be sent.
pub async fn pumped<T>(
    queue: Option<&AnchorQueue>,
    work: impl Future<Output = T>,
    on_failure: impl Fn(),
) -> (T, Option<String>) {
    let Some(queue) = queue else { return (work.await, None) };
    let work = async {
        let output = work.await;
        queue.close();
        output
    };
    let (output, ()) = tokio::join!(work, queue.pump(on_failure));
    (output, queue.finish().await.err())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::audit::{AnchoredEvent, AuditRecord};
    use async_trait::async_trait;

    /// Takes records until `fail` is set, keeping what it took.
    #[derive(Default)]
    struct Memory {
        sent: Mutex<Vec<u64>>,
        fail: AtomicBool,
    }

    #[async_trait]
    impl AuditAnchor for Memory {
        fn describe(&self) -> String {
            "memory".into()
        }
        async fn open(&self, run_id: &str) -> Result<AnchorOpened, AnchorError> {
            Ok(AnchorOpened { created: Vec::new(), place: run_id.into() })
        }
        async fn send(&self, _: &str, records: &[Anchored]) -> Result<(), AnchorError> {
            if self.fail.load(Ordering::SeqCst) {
                return Err(AnchorError("unreachable".into()));
            }
            self.sent.lock().unwrap().extend(records.iter().map(|r| r.line));
            Ok(())
        }
        async fn read(&self) -> Result<Vec<AnchoredEvent>, AnchorError> {
            Ok(Vec::new())
        }
    }

    fn record(line: u64) -> Anchored {
        let record = AuditRecord {
            time: String::new(),
            run_id: "r".into(),
            operator: String::new(),
            action: String::new(),
            parameters: serde_json::Value::Null,
            outcome: String::new(),
            duration_ms: 0,
            prev_hash: String::new(),
            hash: String::new(),
        };
        Anchored { line, record }
    }

    #[tokio::test]
    async fn records_arrive_in_order_and_a_failure_keeps_them() {
        let memory = Arc::new(Memory::default());
        let (queue, _) = AnchorQueue::open(memory.clone(), "r").await.unwrap();
        let failed = AtomicBool::new(false);
        let ((), unsent) = pumped(
            Some(&queue),
            async {
                for line in 1..=3 {
                    queue.push(record(line));
                    tokio::task::yield_now().await;
                }
            },
            || failed.store(true, Ordering::SeqCst),
        )
        .await;
        assert_eq!((unsent, failed.load(Ordering::SeqCst)), (None, false));
        assert_eq!(*memory.sent.lock().unwrap(), vec![1, 2, 3]);

        memory.fail.store(true, Ordering::SeqCst);
        let (queue, _) = AnchorQueue::open(memory.clone(), "r").await.unwrap();
        let ((), unsent) = pumped(
            Some(&queue),
            async {
                queue.push(record(4));
                tokio::task::yield_now().await;
                queue.push(record(5));
            },
            || failed.store(true, Ordering::SeqCst),
        )
        .await;
        let unsent = unsent.expect("the failure is reported");
        assert!(
            unsent.starts_with("records 4-5 of the audit log could not be sent to memory (unreachable)"),
            "{unsent}"
        );
        assert!(failed.load(Ordering::SeqCst), "the run is told");
        memory.fail.store(false, Ordering::SeqCst);
        queue.flush().await.unwrap();
        assert_eq!(*memory.sent.lock().unwrap(), vec![1, 2, 3, 4, 5], "nothing was dropped");
    }
}
