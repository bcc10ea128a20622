//! Carrying out an approved plan, step by step, and undoing it.
//!
//! Progress streams out as `ApplyEvent`s; the front end (TUI, headless) decides how it looks.

mod control;
mod drift;
mod drift_cutover;
mod drift_roles;
mod events;
mod executor;
mod journal;
mod life;
mod reconcile;
mod rollback;
mod run_log;
mod runs;

pub use control::RunControl;
pub use drift::check_drift;
pub use events::{ApplyEvent, RollbackOutcome, RunOutcome};
pub use executor::{ApplyOptions, RunEnd, apply, apply_run, new_run_id};
pub use journal::{Journal, JournalEntry};
pub use life::{NextMove, RunStatus};
pub use reconcile::is_ours;
pub use rollback::rollback;
pub use run_log::{Record, RunLog, RunLogError, StepResult, Target, now, read_records};
pub use runs::{InDoubt, LeftRuns, RunState, forget_runs, left_runs, list_runs, load_run, replay};
