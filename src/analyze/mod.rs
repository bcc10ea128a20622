//! What the application is: runtime, start command, port, environment and secrets.
//!
//! Works on the discovered model only (user data, target groups), never on a cloud.

mod app_files;
mod node;
mod profile;

pub use app_files::AppFiles;
pub use node::{Fact, Framework, NodeFacts, analyze_node};
pub use profile::{analyze, analyze_app, analyze_folder};
