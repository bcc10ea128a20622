//! What analysis learned about the application, each fact with where it came from.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Runtime {
    /// `node`; later issues add others.
    pub name: String,
    /// Major version, e.g. `20`.
    pub version: String,
    pub source: String,
}

/// One environment variable the application reads.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EnvVar {
    pub name: String,
    /// The value, or `None` for a secret: secret values never leave the account in plain text.
    pub value: Option<String>,
    pub secret: bool,
    pub source: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FindingLevel {
    Info,
    Warning,
    /// Stops the migration until the operator resolves it.
    Blocker,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Finding {
    pub level: FindingLevel,
    pub message: String,
    pub source: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AppProfile {
    pub runtime: Option<Runtime>,
    pub package_manager: PackageManager,
    pub package_manager_source: String,
    /// The build step, when the app has one (TypeScript, Next.js...).
    pub build_command: Option<Vec<String>>,
    pub build_source: String,
    /// The web framework, when one was recognised.
    pub framework: Option<String>,
    /// The command the container runs, as exec-form words.
    pub start_command: Vec<String>,
    pub start_source: String,
    pub port: u16,
    pub port_source: String,
    pub health_check_path: String,
    pub health_source: String,
    pub env: Vec<EnvVar>,
    pub findings: Vec<Finding>,
}

impl AppProfile {
    pub fn secrets(&self) -> impl Iterator<Item = &EnvVar> {
        self.env.iter().filter(|e| e.secret)
    }
}

/// The Node.js package managers ferry builds images with.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum PackageManager {
    Npm,
    /// Yarn 1 (classic).
    Yarn,
    /// Yarn 2 and later.
    YarnBerry,
    Pnpm,
    Bun,
}

impl PackageManager {
    /// The program to run.
    pub fn command(self) -> &'static str {
        match self {
            PackageManager::Npm => "npm",
            PackageManager::Yarn | PackageManager::YarnBerry => "yarn",
            PackageManager::Pnpm => "pnpm",
            PackageManager::Bun => "bun",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            PackageManager::Npm => "npm",
            PackageManager::Yarn => "yarn 1",
            PackageManager::YarnBerry => "yarn berry",
            PackageManager::Pnpm => "pnpm",
            PackageManager::Bun => "bun",
        }
    }
}
