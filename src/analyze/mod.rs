//! What the application is: runtime, start command, port, environment and secrets.
//!
//! Works on the discovered model only (user data, target groups), never on a cloud.

mod profile;
pub mod secrets;
pub mod user_data;

pub use profile::{AppProfile, EnvVar, Finding, FindingLevel, Runtime, analyze};
