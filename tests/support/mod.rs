//! What tests of the AWS backend share: a real moto server, a proxy in front of it, and the
//! Rust SDK clients that seed it.

#![allow(dead_code)]

pub mod estate;
pub mod moto;
pub mod proxy;
pub mod run_state;
pub mod tamper;
pub mod venv;
