//! How a front end steers a run that is under way: stop it between steps, or stop it and roll
//! back what it made. The front end holds one clone, the engine's work the other.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

/// A run's cancel token. Stopping ends the run after the current step (a wait or an image
/// build ends at once: resuming redoes it); the run can then be continued or rolled back.
#[derive(Debug, Clone, Default)]
pub struct RunControl {
    stop: Arc<AtomicBool>,
    roll_back: Arc<AtomicBool>,
    roll_back_taken: Arc<AtomicBool>,
}

impl RunControl {
    /// A token for a new apply or resume.
    pub fn new() -> RunControl {
        RunControl::default()
    }

    /// Stops the run after its current step.
    pub fn stop(&self) {
        self.stop.store(true, Ordering::SeqCst);
    }

    /// Stops the run after its current step, then undoes everything it made. The engine work
    /// that carries the run out does the rollback itself (`Operator::carry_out`); if that work
    /// has already ended, `take_roll_back` tells the front end to start the rollback.
    pub fn stop_then_roll_back(&self) {
        self.roll_back.store(true, Ordering::SeqCst);
        self.stop();
    }

    /// Whether the run has been asked to stop.
    pub fn is_stopped(&self) -> bool {
        self.stop.load(Ordering::SeqCst)
    }

    /// Whether a rollback was asked for (taken up or not).
    pub fn wants_roll_back(&self) -> bool {
        self.roll_back.load(Ordering::SeqCst)
    }

    /// Whether a rollback was asked for and not yet taken up; it is taken up once, so the
    /// engine and the front end never both start one.
    pub fn take_roll_back(&self) -> bool {
        self.wants_roll_back() && !self.roll_back_taken.swap(true, Ordering::SeqCst)
    }

    /// The flag the executor watches between steps.
    pub fn stop_flag(&self) -> &AtomicBool {
        &self.stop
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_rollback_asked_for_is_taken_up_once() {
        let front = RunControl::new();
        let engine = front.clone();
        assert!(!engine.is_stopped() && !engine.take_roll_back());
        front.stop_then_roll_back();
        assert!(engine.is_stopped());
        assert!(engine.take_roll_back());
        assert!(!front.take_roll_back(), "the engine took it: the front end does not start a second one");
        assert!(front.wants_roll_back(), "what was asked is still known");
    }
}
