//! What tests share: a real moto server, a proxy in front of it, and the Rust SDK clients that
//! seed it; Python tools in a venv; the real binary in a pseudo-terminal.

#![allow(dead_code)]

pub mod cloudwatch;
pub mod estate;
pub mod moto;
pub mod old_stack;
pub mod plans;
pub mod proxy;
pub mod pty;
pub mod run_state;
pub mod sandbox_cutover;
pub mod tamper;
pub mod venv;
pub mod watchers;
