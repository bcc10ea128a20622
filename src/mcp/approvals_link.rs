//! The one place the MCP front end reaches the engine's approvals (the human gate) and its
//! store of plans by id: every other file names these through here.

pub use crate::approvals::{Approval, ApprovalError, Approvals, PlanStore, Subject};
