//! The artifacts ferry writes: Dockerfile, .dockerignore and the Express Mode service config.

mod dockerfile;
mod names;
mod service_config;
mod sizing;

pub use dockerfile::{dockerfile, dockerignore};
pub use names::Names;
pub use service_config::{Scaling, scaling, service_config, service_subnets, wants_public};
pub use sizing::{TaskSize, fargate_accepts, fargate_cpus, fargate_memory_choices, task_size};

use serde::{Deserialize, Serialize};

use crate::model::{AccountInfo, AppProfile, ExpressServiceConfig, MigrationGraph};

/// Every generated artifact, ready to show, edit and write out.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Artifacts {
    /// The names of the service, repository, roles, security group and secrets.
    pub names: Names,
    /// The Dockerfile that builds the app's image.
    pub dockerfile: String,
    /// The .dockerignore that keeps secrets, local state and build litter out of the image.
    pub dockerignore: String,
    /// The Express Mode service to create.
    pub service_config: ExpressServiceConfig,
}

impl Artifacts {
    /// The service config as the pretty JSON `--cli-input-json` accepts.
    pub fn service_json(&self) -> String {
        serde_json::to_string_pretty(&self.service_config).unwrap_or_default()
    }
}

/// Every artifact for a discovered instance and its analysed app, the names derived from the
/// instance's.
pub fn generate(graph: &MigrationGraph, profile: &AppProfile, account: &AccountInfo) -> Artifacts {
    let names = Names::for_instance(&graph.instance);
    Artifacts {
        dockerfile: dockerfile(profile, &graph.instance),
        dockerignore: dockerignore(profile),
        service_config: service_config(graph, profile, account, &names),
        names,
    }
}
