//! What the application is: runtime, start command, port, environment and secrets.
//!
//! Works on the discovered model only (user data, target groups), never on a cloud.

mod profile;

pub use profile::analyze;
