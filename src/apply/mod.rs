//! Carrying out an approved plan, step by step, and undoing it.
//!
//! Progress streams out as `ApplyEvent`s; the front end (TUI, headless) decides how it looks.

mod events;
mod executor;
mod journal;
mod rollback;

pub use events::{ApplyEvent, RollbackOutcome, RunOutcome};
pub use executor::{CancelFlag, apply, new_run_id};
pub use journal::{Journal, JournalEntry};
pub use rollback::rollback;
