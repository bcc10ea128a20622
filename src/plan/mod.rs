//! The plan: ordered steps, each an `Action` with its inverse, the checks, and the hash the
//! operator approves.

mod action;
mod build;
mod checks;
mod document;
mod resolve;

pub use action::{Action, ActionOutput, InlinePolicy, SecretSource};
pub use build::build_plan;
pub use checks::{Check, CheckLevel, HOST_ONLY_POLICIES};
pub use document::{Plan, PlanError, Step};
pub use resolve::{Outputs, ResolveError, resolve};
