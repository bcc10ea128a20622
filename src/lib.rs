//! ferry: move an application running on an EC2 instance onto Amazon ECS Express Mode.
//!
//! This crate holds the front ends: the wizard (`tui`) here, the headless commands in the
//! binary. The engine is the `ferry-engine` crate, re-exported under its module names so a
//! front end reads `crate::plan` or `ferry::plan` alike; the engine cannot reach back.

pub use ferry_engine::{
    analyze, apply, approvals, audit, cloud, config, cost, cutover, decommission, digest, discover, files, gate,
    generate, image, inventory, migration, model, operate, plan, sample_apps, state_dir, text, userdata, verify,
};

pub mod mcp;
pub mod tui;
