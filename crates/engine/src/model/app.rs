//! What analysis learned about the application, each fact with where it came from.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Runtime {
    /// `node`, `python`, `go` or `java`.
    pub name: String,
    /// The version the base image is pinned to: `20` (Node.js major), `3.12`, `1.22`, `21`.
    pub version: String,
    pub source: String,
}

/// One environment variable the service sets.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EnvVar {
    pub name: String,
    /// The value, or `None` for a secret: secret values never leave the account in plain text.
    pub value: Option<String>,
    pub secret: bool,
    pub source: String,
    /// Where the operator said a secret's value is, when it is not in the instance's user data.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub given: Option<GivenValue>,
}

/// A value the operator points ferry at (`--secret NAME=env:VAR`, `--secret NAME=file:PATH`):
/// read on the machine that applies the plan, straight into Secrets Manager.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "from", rename_all = "kebab-case")]
pub enum GivenValue {
    /// An environment variable of the process that applies the plan.
    Environment { variable: String },
    /// The content of a file on the machine that applies the plan.
    File { path: String },
}

impl GivenValue {
    /// `env:VAR` or `file:PATH`, as the operator writes it after `NAME=`.
    pub fn parse(text: &str) -> Result<GivenValue, String> {
        match text.split_once(':') {
            Some(("env", variable)) if is_variable_name(variable) => {
                Ok(GivenValue::Environment { variable: variable.to_string() })
            }
            Some(("env", variable)) => Err(format!("`{variable}` is not an environment variable name")),
            Some(("file", path)) if !path.is_empty() => Ok(GivenValue::File { path: path.to_string() }),
            _ => Err(format!("`{text}` is neither env:VAR nor file:PATH")),
        }
    }

    /// As the operator wrote it: `env:DB_PASSWORD`, `file:/run/secrets/db`.
    pub fn describe(&self) -> String {
        match self {
            GivenValue::Environment { variable } => format!("env:{variable}"),
            GivenValue::File { path } => format!("file:{path}"),
        }
    }
}

/// A name a shell can export: letters, digits and `_`, not starting with a digit.
pub fn is_variable_name(name: &str) -> bool {
    !name.is_empty()
        && !name.starts_with(|c: char| c.is_ascii_digit())
        && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// Ordered by weight: a blocker is greater than a warning, a warning than an info.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FindingLevel {
    Info,
    Warning,
    /// Stops the migration until the operator resolves it.
    Blocker,
}

/// Something analysis found that the operator must know: what it is, how much it matters,
/// what to do about it and the file and line that shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Finding {
    /// A stable id of the class of finding (`loopback-bind`, `sqlite`, ...): scripts and
    /// overrides match on it, never on the message.
    #[serde(default)]
    pub kind: String,
    pub level: FindingLevel,
    /// What was found and why it matters in a container.
    pub message: String,
    /// What to change, when there is something to change.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fix: Option<String>,
    /// `path:line`, or the file, setting or user data line it was read from.
    pub source: String,
}

impl Finding {
    pub fn new(level: FindingLevel, kind: &str, message: impl Into<String>, source: impl Into<String>) -> Self {
        Finding { kind: kind.to_string(), level, message: message.into(), fix: None, source: source.into() }
    }

    pub fn blocker(kind: &str, message: impl Into<String>, source: impl Into<String>) -> Self {
        Finding::new(FindingLevel::Blocker, kind, message, source)
    }

    pub fn warning(kind: &str, message: impl Into<String>, source: impl Into<String>) -> Self {
        Finding::new(FindingLevel::Warning, kind, message, source)
    }

    pub fn info(kind: &str, message: impl Into<String>, source: impl Into<String>) -> Self {
        Finding::new(FindingLevel::Info, kind, message, source)
    }

    pub fn with_fix(mut self, fix: impl Into<String>) -> Self {
        self.fix = Some(fix.into());
        self
    }
}

impl CodeVariable {
    /// `required · secret (its name says so) · default 3000`: what the code says of it, in a line.
    pub fn summary(&self) -> String {
        let mut parts: Vec<String> = Vec::new();
        if self.required {
            parts.push("required".into());
        }
        if self.secret {
            parts.push(match &self.why {
                Some(why) => format!("secret ({why})"),
                None => "secret".into(),
            });
        }
        if let Some(default) = &self.default {
            parts.push(format!("default {default}"));
        }
        if self.scope == VariableScope::Tooling {
            parts.push("tooling only".into());
        }
        if parts.is_empty() {
            parts.push("optional".into());
        }
        parts.join(" · ")
    }
}

/// Whether a variable matters to the running app or only to its tooling.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum VariableScope {
    /// Read by the server the container runs.
    Runtime,
    /// Read only by scripts, tests, migrations, build configuration or dev-only files: the
    /// service does not need it.
    Tooling,
}

/// One environment variable the code reads, as a reading of the code gives it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CodeVariable {
    pub name: String,
    /// The app fails to start, or cannot work, without a value for it.
    pub required: bool,
    /// The value the code falls back to; never shown for a secret.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default: Option<String>,
    pub secret: bool,
    /// Why it is judged secret: its name, or what the code passes it to.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub why: Option<String>,
    pub scope: VariableScope,
    /// `path:line` of the read that shows it best (a default or a requirement over a bare read).
    pub source: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AppProfile {
    pub runtime: Option<Runtime>,
    pub package_manager: PackageManager,
    pub package_manager_source: String,
    /// The files installing the dependencies reads, as found in the source (manifests,
    /// lockfiles, the Yarn release `yarnPath` names, included requirement files); empty when
    /// no source was read, and the Dockerfile copies the runtime's usual ones.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub install_files: Vec<String>,
    /// Lifecycle scripts (`prepare`) the production install must not run: they need
    /// development tools it does not install.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub skipped_install_scripts: Vec<String>,
    /// Optional dependency groups the production install includes (`pip install .[docker]`):
    /// the one that brings the server.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub install_extras: Vec<String>,
    /// Dependency groups (`[dependency-groups]`) the production install includes, the same way.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub install_groups: Vec<String>,
    /// The build step, when the app has one (TypeScript, Next.js...).
    pub build_command: Option<Vec<String>>,
    pub build_source: String,
    /// What the image is built around, where the runtime needs it named: the Go main package
    /// (`./cmd/api`), the Java jar the build writes, the Python WSGI/ASGI application.
    pub entry: Option<String>,
    pub entry_source: String,
    /// The web framework, when one was recognised.
    pub framework: Option<String>,
    /// The command the container runs, as exec-form words.
    pub start_command: Vec<String>,
    pub start_source: String,
    pub port: u16,
    pub port_source: String,
    pub health_check_path: String,
    pub health_source: String,
    /// The values the service sets: from the instance, or secrets the operator sourced.
    pub env: Vec<EnvVar>,
    /// Every variable the code reads, set or not.
    #[serde(default)]
    pub variables: Vec<CodeVariable>,
    pub findings: Vec<Finding>,
}

impl AppProfile {
    pub fn secrets(&self) -> impl Iterator<Item = &EnvVar> {
        self.env.iter().filter(|e| e.secret)
    }
}

/// The package managers and build tools ferry builds images with.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum PackageManager {
    Npm,
    /// Yarn 1 (classic).
    Yarn,
    /// Yarn 2 and later, installing into node_modules.
    YarnBerry,
    /// Yarn 2 and later with Plug'n'Play: no node_modules; the app starts through `yarn node`.
    YarnPnp,
    Pnpm,
    Bun,
    /// pip with requirements.txt (or a pyproject without a lockfile).
    Pip,
    Poetry,
    Uv,
    /// Go modules (`go.mod`).
    Go,
    Maven,
    Gradle,
}

impl PackageManager {
    /// The program to run.
    pub fn command(self) -> &'static str {
        match self {
            PackageManager::Npm => "npm",
            PackageManager::Yarn | PackageManager::YarnBerry | PackageManager::YarnPnp => "yarn",
            PackageManager::Pnpm => "pnpm",
            PackageManager::Bun => "bun",
            PackageManager::Pip => "pip",
            PackageManager::Poetry => "poetry",
            PackageManager::Uv => "uv",
            PackageManager::Go => "go",
            PackageManager::Maven => "mvn",
            PackageManager::Gradle => "gradle",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            PackageManager::Npm => "npm",
            PackageManager::Yarn => "yarn 1",
            PackageManager::YarnBerry => "yarn berry",
            PackageManager::YarnPnp => "yarn berry (Plug'n'Play)",
            PackageManager::Pnpm => "pnpm",
            PackageManager::Bun => "bun",
            PackageManager::Pip => "pip",
            PackageManager::Poetry => "poetry",
            PackageManager::Uv => "uv",
            PackageManager::Go => "go modules",
            PackageManager::Maven => "maven",
            PackageManager::Gradle => "gradle",
        }
    }
}
