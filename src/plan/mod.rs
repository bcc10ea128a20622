//! The plan: ordered steps, each an `Action` with its inverse, the checks, and the hash the
//! operator approves.

mod action;
mod approval;
mod assumptions;
mod build;
mod checks;
mod document;
mod resolve;
mod validate;

pub use action::{Action, ActionOutput, InlinePolicy, SecretSource};
pub use approval::{ApprovalError, Approved, MIN_PREFIX, MIN_REASON, Override};
pub use assumptions::Assumption;
pub use build::build_plan;
pub use checks::{Check, CheckLevel, HOST_ONLY_POLICIES};
pub use document::{PLAN_FORMAT, Plan, PlanError, PlanHeader, Step};
pub use resolve::{Outputs, ResolveError, resolve};
pub use validate::{Invalid, validate_dockerfile, validate_service_config};
