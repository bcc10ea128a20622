//! What analysis learned about the application, each fact with where it came from.

use serde::{Deserialize, Serialize};

/// The language runtime the image is built on, and the version its base image pins.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Runtime {
    /// `node`, `python`, `go` or `java`.
    pub name: String,
    /// The version the base image is pinned to: `20` (Node.js major), `3.12`, `1.22`, `21`.
    pub version: String,
    /// Where the version was read (`go.mod:5`, a user data line), or `default: ...` when none
    /// was stated and the current long-term release is used.
    pub source: String,
}

/// One environment variable the service sets.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EnvVar {
    /// The variable's name, as the app reads it (`DATABASE_URL`).
    pub name: String,
    /// The value, or `None` for a secret: secret values never leave the account in plain text.
    pub value: Option<String>,
    /// Whether the value goes to Secrets Manager rather than into the service's plain
    /// environment: judged from its name and value, or named by the operator with `--secret`.
    pub secret: bool,
    /// Where it was set: `user data line 12`, or `--secret NAME=env:VAR` for one the operator gave.
    pub source: String,
    /// Where the operator said a secret's value is, when it is not in the instance's user data.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub given: Option<GivenValue>,
}

impl EnvVar {
    /// A plain variable ferry sets on the service so the app runs in a task (`HOST=0.0.0.0`),
    /// with why, read by the operator as `ferry: {why}`.
    pub fn set_by_ferry(name: impl Into<String>, value: impl Into<String>, why: impl std::fmt::Display) -> Self {
        EnvVar {
            name: name.into(),
            value: Some(value.into()),
            secret: false,
            source: format!("ferry: {why}"),
            given: None,
        }
    }
}

/// A value the operator points ferry at (`--secret NAME=env:VAR`, `--secret NAME=file:PATH`):
/// read on the machine that applies the plan, straight into Secrets Manager.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "from", rename_all = "kebab-case")]
pub enum GivenValue {
    /// An environment variable of the process that applies the plan.
    Environment {
        /// The variable's name, without the `env:` prefix.
        variable: String,
    },
    /// The content of a file on the machine that applies the plan.
    File {
        /// The path as the operator wrote it, without the `file:` prefix.
        path: String,
    },
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
    /// Said for the operator's information: nothing needs doing.
    Info,
    /// Needs the operator's attention, but does not stop the migration.
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
    /// How much it matters: whether it stops the migration or is only said.
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
    /// A finding of any level, with no fix yet (add one with [`Finding::with_fix`]).
    pub fn new(level: FindingLevel, kind: &str, message: impl Into<String>, source: impl Into<String>) -> Self {
        Finding { kind: kind.to_string(), level, message: message.into(), fix: None, source: source.into() }
    }

    /// A finding that stops the migration until it is resolved.
    pub fn blocker(kind: &str, message: impl Into<String>, source: impl Into<String>) -> Self {
        Finding::new(FindingLevel::Blocker, kind, message, source)
    }

    /// A finding the operator should act on, which does not stop the migration.
    pub fn warning(kind: &str, message: impl Into<String>, source: impl Into<String>) -> Self {
        Finding::new(FindingLevel::Warning, kind, message, source)
    }

    /// A finding that is only said.
    pub fn info(kind: &str, message: impl Into<String>, source: impl Into<String>) -> Self {
        Finding::new(FindingLevel::Info, kind, message, source)
    }

    /// The same finding, saying what to change.
    pub fn with_fix(mut self, fix: impl Into<String>) -> Self {
        self.fix = Some(fix.into());
        self
    }
}

impl CodeVariable {
    /// A runtime variable read at `source` with nothing else said of it: optional, no default,
    /// not secret.
    pub fn read_at(name: &str, source: &str) -> CodeVariable {
        CodeVariable {
            name: name.into(),
            required: false,
            default: None,
            secret: false,
            why: None,
            scope: VariableScope::Runtime,
            build_time: false,
            generated_when_unset: false,
            needed_at_build: false,
            source: source.into(),
        }
    }

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
        if self.build_time {
            parts.push("inlined at build".into());
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
    /// The variable's name, as the code reads it.
    pub name: String,
    /// The app fails to start, or cannot work, without a value for it.
    pub required: bool,
    /// The value the code falls back to; never shown for a secret.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default: Option<String>,
    /// Whether its value is judged a secret, so it goes to Secrets Manager and its default is
    /// never shown.
    pub secret: bool,
    /// Why it is judged secret: its name, or what the code passes it to.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub why: Option<String>,
    /// Whether the running app reads it or only its tooling does.
    pub scope: VariableScope,
    /// The framework inlines its value into the bundle when the image builds (Next.js
    /// `NEXT_PUBLIC_*`): it must be set for the build as well as on the service.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub build_time: bool,
    /// Without a value the app makes one up at start (a random signing key): it starts, but
    /// each task has its own, so it is required for what breaks between tasks.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub generated_when_unset: bool,
    /// The image's build fails without a value though it keeps none (a Prisma config's
    /// `env('DATABASE_URL')`, read by `prisma generate`): the build stage gets a placeholder,
    /// never the service's value.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub needed_at_build: bool,
    /// `path:line` of the read that shows it best (a default or a requirement over a bare read).
    pub source: String,
}

/// Requirement files for production that pip installs beside requirements.txt: the server the
/// maintainers' image adds (`requirements-server.txt` with granian or gunicorn). Analysis lists
/// the ones a source folder has among the install files; the Dockerfile installs each.
pub const PRODUCTION_REQUIREMENTS: [&str; 8] = [
    "requirements-server.txt",
    "requirements-prod.txt",
    "requirements-production.txt",
    "requirements-deploy.txt",
    "requirements/server.txt",
    "requirements/prod.txt",
    "requirements/production.txt",
    "requirements/deploy.txt",
];

/// Everything analysis learned about the application that the image and the service are
/// built from, each value beside the `..._source` that says where it came from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AppProfile {
    /// The runtime and its version, or `None` when neither the user data nor the source shows
    /// one (a `no-runtime` blocker is among the findings then).
    pub runtime: Option<Runtime>,
    /// The tool that installs the dependencies and builds the app in the image.
    pub package_manager: PackageManager,
    /// Where the package manager was read (`poetry.lock`, `go.mod`), or `default for RUNTIME`
    /// when no source was read.
    pub package_manager_source: String,
    /// The package manager's major release the image installs (`9` for pnpm), when the
    /// project says which and no `packageManager` field pins it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub package_manager_release: Option<String>,
    /// The files installing the dependencies reads, as found in the source (manifests,
    /// lockfiles, the Yarn release `yarnPath` names, included requirement files); empty when
    /// no source was read, and the Dockerfile copies the runtime's usual ones.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub install_files: Vec<String>,
    /// Lifecycle scripts (`prepare`) the production install must not run: they need
    /// development tools it does not install.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub skipped_install_scripts: Vec<String>,
    /// Lifecycle scripts the image keeps only the steps of that need no database, as (script,
    /// steps kept): `postinstall: prisma migrate deploy && prisma generate` keeps `prisma
    /// generate`, since a build has no database to migrate. Empty steps drop the script.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub trimmed_install_scripts: Vec<(String, String)>,
    /// The commands of the app's own install lifecycle scripts the install still runs
    /// (`postinstall: node scripts/setup.js`): they read the project's files, so the image
    /// copies the source before installing.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub install_scripts: Vec<String>,
    /// Debian packages the image installs before the dependencies: compilers and headers for
    /// packages built from source (psycopg2, uWSGI), and the libraries they link to.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub system_packages: Vec<String>,
    /// Where the system packages were read: the dependencies that need them.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub system_packages_source: String,
    /// Optional dependency groups the production install includes (`pip install .[docker]`):
    /// the one that brings the server.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub install_extras: Vec<String>,
    /// Dependency groups (`[dependency-groups]`) the production install includes, the same way.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub install_groups: Vec<String>,
    /// The production install includes the project itself (Poetry without `--no-root`): the
    /// start command is a console script the project declares.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub install_project: bool,
    /// Packages the image installs beside the dependencies (`gunicorn<24`): the production
    /// server the start command runs when the dependencies name none.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub added_packages: Vec<String>,
    /// Files the built program reads at run time by a path relative to its working folder
    /// (`conf/app.ini`): an image that keeps only the binary must copy them beside it.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub runtime_files: Vec<String>,
    /// Configuration the repository commits only as a template and copies into place
    /// (`config.js.template` → `config.js`): the image places it the same way.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub placed_files: Vec<PlacedFile>,
    /// A front end the server serves that a bundler builds from its own package.json and
    /// the repository does not hold: the image builds it in a Node.js stage.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub frontend: Option<FrontendBuild>,
    /// The build step, when the app has one (TypeScript, Next.js...).
    pub build_command: Option<Vec<String>>,
    /// Where the build step was read (`path:line`); empty when there is none.
    pub build_source: String,
    /// What the image is built around, where the runtime needs it named: the Go main package
    /// (`./cmd/api`), the Java jar the build writes, the Python WSGI/ASGI application.
    pub entry: Option<String>,
    /// Where the entry was read (`path:line`); empty when there is none.
    pub entry_source: String,
    /// The folder the image builds from, relative to the source folder; empty for the folder
    /// itself. `..` for a module its Maven reactor builds (`mvn -pl MODULE -am`).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub build_context: String,
    /// The web framework, when one was recognised.
    pub framework: Option<String>,
    /// The command the container runs, as exec-form words.
    pub start_command: Vec<String>,
    /// Where the start command was read: a file and line of the source, a user data line, or
    /// how it was derived when neither states one.
    pub start_source: String,
    /// The port the app listens on in the container.
    pub port: u16,
    /// Where the port was read: `target group NAME`, `PORT ← user data line 4`, a `path:line` in
    /// the source, the framework's default, or `assumed: no port found`.
    pub port_source: String,
    /// The path the service's health check requests (`/health`); `/` when nothing better was
    /// found.
    pub health_check_path: String,
    /// Where the health check path was read: `target group NAME`, a route's `path:line`, or
    /// `default: ...`.
    pub health_source: String,
    /// The values the service sets: from the instance, or secrets the operator sourced.
    pub env: Vec<EnvVar>,
    /// Every variable the code reads, set or not.
    #[serde(default)]
    pub variables: Vec<CodeVariable>,
    /// What the operator must know before migrating, blockers first, then warnings, then infos.
    pub findings: Vec<Finding>,
}

/// Whether a runtime file can be copied into an image as it is named: a plain relative path
/// inside the app (`conf/app.ini`), never absolute, never climbing out with `..`, and free of
/// characters a Dockerfile line would read as something else.
pub fn is_copyable_path(path: &str) -> bool {
    !path.starts_with('/')
        && !path.split('/').any(|part| part.is_empty() || part == "..")
        && path.chars().all(|c| c.is_ascii_alphanumeric() || "/._-".contains(c))
}

/// A committed template the image copies to the name the app loads, and where the
/// repository says so (`Dockerfile:11`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlacedFile {
    /// The committed template (`config.js.template`).
    pub from: String,
    /// The name the app loads it by (`config.js`).
    pub to: String,
    /// Where the repository copies it (`Dockerfile:11`).
    pub source: String,
}

/// How the image builds the front end the server serves (`client/` → `public/`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FrontendBuild {
    /// The folder of the front end's package.json, relative to the source folder; empty for
    /// the source folder itself (a Python app with its assets' package.json beside it).
    pub folder: String,
    /// The files its install reads (package.json and its lockfile), relative to `folder`.
    pub manifests: Vec<String>,
    /// Installs its dependencies, all of them: bundlers are development dependencies.
    pub install: String,
    /// Builds it (`npm run build`).
    pub build: String,
    /// Where the build writes, relative to the source folder (`client/build`).
    pub output: String,
    /// Where the server serves it from, relative to the source folder (`public`).
    pub destination: String,
    /// The Node.js major version of the stage that builds it.
    pub node_version: String,
    /// Where the server was seen to serve it (`path:line`).
    pub source: String,
}

impl AppProfile {
    /// The environment variables whose values go to Secrets Manager, in the order they are set.
    pub fn secrets(&self) -> impl Iterator<Item = &EnvVar> {
        self.env.iter().filter(|e| e.secret)
    }

    /// The package manager as shown to people, with the release the image installs (`pnpm 9`).
    pub fn package_manager_shown(&self) -> String {
        match &self.package_manager_release {
            Some(release) => format!("{} {release}", self.package_manager.label()),
            None => self.package_manager.label().to_string(),
        }
    }
}

/// The package managers and build tools ferry builds images with.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum PackageManager {
    /// npm (`package-lock.json`), also the default for Node.js when there is no lockfile.
    Npm,
    /// Yarn 1 (classic).
    Yarn,
    /// Yarn 2 and later, installing into node_modules.
    YarnBerry,
    /// Yarn 2 and later with Plug'n'Play: no node_modules; the app starts through `yarn node`.
    YarnPnp,
    /// pnpm (`pnpm-lock.yaml`, or `packageManager` in package.json).
    Pnpm,
    /// Bun (`bun.lockb` or `bun.lock`, or `packageManager` in package.json).
    Bun,
    /// pip with requirements.txt (or a pyproject without a lockfile).
    Pip,
    /// Poetry (`poetry.lock`, or `[tool.poetry]` in pyproject.toml).
    Poetry,
    /// uv (`uv.lock`).
    Uv,
    /// Pipenv (`Pipfile.lock`, or a `Pipfile`).
    Pipenv,
    /// Go modules (`go.mod`).
    Go,
    /// Maven (`pom.xml`), also the default for Java when no source was read.
    Maven,
    /// Gradle (`build.gradle` or `build.gradle.kts`).
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
            PackageManager::Pipenv => "pipenv",
            PackageManager::Go => "go",
            PackageManager::Maven => "mvn",
            PackageManager::Gradle => "gradle",
        }
    }

    /// The name shown to the operator, telling the Yarn generations apart (`yarn 1`,
    /// `yarn berry (Plug'n'Play)`).
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
            PackageManager::Pipenv => "pipenv",
            PackageManager::Go => "go modules",
            PackageManager::Maven => "maven",
            PackageManager::Gradle => "gradle",
        }
    }
}
