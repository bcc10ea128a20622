//! The ferry engine: everything that moves an application from an EC2 instance onto Amazon ECS
//! Express Mode, with no front end in it. Data flows cloud › discover › analyze › generate ›
//! plan › apply › operate; the wizard, the headless commands and later the MCP server watch it
//! and ask it, and this crate depends on none of their crates (no terminal, protocol or
//! command-line library), so the compiler keeps it that way.

// Every public item says what it is: the engine is the part the front ends read.
#![warn(missing_docs)]

pub mod analyze;
pub mod apply;
pub mod approvals;
pub mod audit;
pub mod cloud;
pub mod config;
pub mod cost;
pub mod cutover;
pub mod decommission;
pub mod digest;
pub mod discover;
pub mod files;
pub mod gate;
pub mod generate;
pub mod image;
pub mod inventory;
mod key_file;
pub mod migration;
pub mod model;
pub mod operate;
pub mod plan;
pub mod sample_apps;
pub mod state_dir;
pub mod text;
pub mod userdata;
pub mod verify;
