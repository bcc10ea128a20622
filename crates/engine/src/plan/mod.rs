//! The plan: ordered steps, each an `Action` with its inverse, the checks, and the hash the
//! operator approves.

mod action;
mod action_text;
mod approval;
mod assumptions;
mod build;
mod checks;
mod context;
mod cutover_checks;
mod cutover_integrity;
mod document;
mod integrity;
mod references;
mod resolve;
pub mod reuse;
mod reuse_judge;
mod review;
mod review_cutover;
mod validate;
mod weighted;

pub use action::{Action, ActionOutput, InlinePolicy, SecretSource};
pub use approval::{ApprovalError, Approved, MIN_PREFIX, MIN_REASON, Override};
pub use assumptions::{AssumedPolicy, AssumedSubnet, Assumption};
pub use build::{ImageSource, build_plan, build_plan_reusing};
pub use checks::{Check, CheckLevel, HOST_ONLY_POLICIES, INFRASTRUCTURE_POLICY, TASK_EXECUTION_POLICY};
pub use context::{AppPort, DataStoreReach, OldBalancer, OldStack, PlanContext};
pub use document::{PLAN_FORMAT, Plan, PlanError, PlanHeader, Step};
pub use integrity::Problem;
pub use resolve::{Outputs, ResolveError, resolve};
pub use reuse::{ExistingRoles, RolePurpose, RoleScope};
pub use validate::{
    DOCKERFILE_INSTRUCTIONS, Invalid, LineProblem, check_dockerfile, check_service_json, validate_dockerfile,
    validate_service_config,
};
pub use weighted::{GateSides, WeightedPair, split_pairs};
