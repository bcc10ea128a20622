//! ferry: move an application running on an EC2 instance onto Amazon ECS Express Mode.
//!
//! The engine (everything but `tui`) never knows a screen exists: data flows
//! cloud › discover › analyze › generate › plan › apply, and front ends watch it.

pub mod analyze;
pub mod apply;
pub mod audit;
pub mod cloud;
pub mod config;
pub mod digest;
pub mod discover;
pub mod files;
pub mod generate;
pub mod image;
pub mod inventory;
pub mod migration;
pub mod model;
pub mod operate;
pub mod plan;
pub mod state_dir;
pub mod text;
pub mod tui;
pub mod userdata;
