//! Carrying out an approved plan, step by step, and undoing it.
//!
//! Progress streams out as `ApplyEvent`s; the front end (TUI, headless) decides how it looks.

mod drift;
mod events;
mod executor;
mod journal;
mod reconcile;
mod rollback;
mod run_log;
mod runs;

pub use drift::check_drift;
pub use events::{ApplyEvent, RollbackOutcome, RunOutcome};
pub use executor::{ApplyOptions, CancelFlag, apply, new_run_id};
pub use journal::{Journal, JournalEntry};
pub use reconcile::is_ours;
pub use rollback::rollback;
pub use run_log::{Record, RunLog, RunLogError, StepResult, Target, now, read_records};
pub use runs::{InDoubt, RunState, RunStatus, list_runs, load_run, replay};
