//! Building and pushing the application's image with the container CLI on the operator's machine
//! (Docker, Podman or Finch).
//!
//! The plan carries the Dockerfile text and its digest, so what is built is exactly what was
//! reviewed: [`ContainerCli::build`] refuses a Dockerfile whose sha256 differs from the plan's,
//! writes it (and the .dockerignore) to a private temporary folder, never into the user's
//! source folder, and points the CLI at it. Every line the CLI prints reaches the caller's
//! progress callback as it comes, with control characters escaped and anything that looks like a
//! secret masked. Registry passwords travel on the CLI's stdin only: never argv, environment,
//! progress or an error message.
//!
//! Engine code: no screen is known here.

mod cli;
mod ecr;
mod redact;
mod run;

use std::path::PathBuf;
use std::time::Duration;

pub use cli::{CliKind, ContainerCli, FERRY_CONTAINER_CLI, Timeouts};
pub use ecr::{EcrLogin, ecr_login_from_token};
pub use redact::redact_output;

use crate::plan::Action;

/// What Fargate runs unless told otherwise (`X86_64`); an image built for another platform
/// (an arm64 laptop's default) would fail to start there.
pub const FARGATE_PLATFORM: &str = "linux/amd64";

/// How long a build may run before it is stopped.
pub const BUILD_TIMEOUT: Duration = Duration::from_secs(30 * 60);
/// How long a push may run before it is stopped.
pub const PUSH_TIMEOUT: Duration = Duration::from_secs(15 * 60);
/// How long a registry login may take.
pub const LOGIN_TIMEOUT: Duration = Duration::from_secs(2 * 60);

/// How many of the last output lines a failure quotes.
pub const TAIL_LINES: usize = 20;

/// One image to build: the plan's Dockerfile and .dockerignore, the application's folder as the
/// build context, and the tag to give the result.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BuildRequest {
    /// The build context: the application's source folder.
    pub context_dir: PathBuf,
    /// The Dockerfile text, byte for byte what the plan holds.
    pub dockerfile: String,
    /// The .dockerignore text.
    pub dockerignore: String,
    /// Lower-case hex sha256 of `dockerfile`, as reviewed in the plan.
    pub dockerfile_sha256: String,
    /// Repository URI and tag, e.g. `123456789012.dkr.ecr.eu-west-1.amazonaws.com/shop-api:latest`.
    pub image: String,
    /// Target platform, `linux/amd64` for Fargate.
    pub platform: String,
}

impl BuildRequest {
    /// The build a `BuildAndPushImage` step asks for, for Fargate's platform; `None` for any other
    /// action.
    pub fn from_action(action: &Action) -> Option<BuildRequest> {
        match action {
            Action::BuildAndPushImage { context_dir, dockerfile, dockerignore, dockerfile_sha256, image } => {
                Some(BuildRequest {
                    context_dir: PathBuf::from(context_dir),
                    dockerfile: dockerfile.clone(),
                    dockerignore: dockerignore.clone(),
                    dockerfile_sha256: dockerfile_sha256.clone(),
                    image: image.clone(),
                    platform: FARGATE_PLATFORM.to_string(),
                })
            }
            _ => None,
        }
    }
}

/// The container command a failure or timeout belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stage {
    /// Building the image from the plan's Dockerfile.
    Build,
    /// Logging in to the registry, ahead of the push.
    Login,
    /// Pushing the built image to its repository.
    Push,
}

impl Stage {
    /// The CLI's subcommand for this stage (`build`, `login`, `push`), as messages name it.
    pub fn verb(self) -> &'static str {
        match self {
            Stage::Build => "build",
            Stage::Login => "login",
            Stage::Push => "push",
        }
    }

    /// What the operator can do about a failure at this stage.
    fn hint(self) -> &'static str {
        match self {
            Stage::Build => {
                "Fix what the output names (the Dockerfile in the plan, or the application's sources), plan again and \
                 apply; or build the image yourself and pass --image URI"
            }
            Stage::Login => {
                "Check that the AWS credentials may call ecr:GetAuthorizationToken and that the container engine is \
                 running"
            }
            Stage::Push => {
                "Check that the repository exists, that the login to it succeeded and that the credentials may push \
                 (ecr:InitiateLayerUpload, ecr:PutImage); then apply again"
            }
        }
    }
}

impl std::fmt::Display for Stage {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.verb())
    }
}

/// Why an image could not be built, logged in for or pushed. Messages say what to do; none holds
/// a password.
#[derive(Debug, thiserror::Error)]
pub enum ImageError {
    /// None of docker, podman and finch is on PATH, and `FERRY_CONTAINER_CLI` is not set.
    #[error(
        "no container CLI found: install Docker, Podman or Finch (or set {FERRY_CONTAINER_CLI} to the one to use), \
         or build and push the image yourself and pass --image URI"
    )]
    NoContainerCli,

    /// `FERRY_CONTAINER_CLI` names no executable file, as a path or on PATH.
    #[error(
        "{FERRY_CONTAINER_CLI}={value} names no executable program: set it to the path or name of docker, podman or \
         finch, or unset it to use the first one on PATH"
    )]
    ContainerCliOverrideNotFound {
        /// The variable's value, as set.
        value: String,
    },

    /// The Dockerfile is not the one reviewed: the plan was edited after review.
    #[error(
        "the plan's Dockerfile does not match its reviewed digest (plan says sha256 {expected}, the text hashes to \
         {actual}): the plan was changed after review, so nothing was built; run ferry plan again and review it"
    )]
    DockerfileDigestMismatch {
        /// The sha256 the plan records for it, in hex.
        expected: String,
        /// The sha256 of the Dockerfile text the plan now holds, in lower-case hex.
        actual: String,
    },

    /// The build context does not exist on this machine.
    #[error(
        "the build context {path} does not exist: the plan was made on a machine where the application's folder is \
         elsewhere; plan again here, or pass --image URI to deploy an image built elsewhere"
    )]
    ContextMissing {
        /// The application's folder, as the plan names it.
        path: PathBuf,
    },

    /// The build context is there but is not a folder.
    #[error("the build context {path} is not a folder: plan again with the application's source folder")]
    ContextNotDirectory {
        /// The application's folder, as the plan names it.
        path: PathBuf,
    },

    /// An argument the CLI would misread: empty, starting with `-`, or holding spaces or
    /// control characters.
    #[error("the {what} {value:?} is not usable: {reason}")]
    InvalidReference {
        /// Which argument: `image`, `platform`, `registry` or `user name`.
        what: &'static str,
        /// The value given, control characters escaped.
        value: String,
        /// What is wrong with it.
        reason: &'static str,
    },

    /// The private temporary folder, or the Dockerfile and .dockerignore in it, could not be
    /// written.
    #[error(
        "could not write the Dockerfile to a private temporary folder ({source}); check that the temporary folder \
         (TMPDIR) exists and is writable"
    )]
    Scratch {
        /// Why the system refused.
        #[source]
        source: std::io::Error,
    },

    /// The container CLI could not be started.
    #[error(
        "could not start {program} ({source}); check that it is installed and executable, or set \
         {FERRY_CONTAINER_CLI} to another container CLI"
    )]
    Spawn {
        /// The program's path.
        program: String,
        /// Why the system refused.
        #[source]
        source: std::io::Error,
    },

    /// The command ran and did not succeed.
    #[error("{} {stage} {}{}. {}", .program, exit_description(*.code), tail_text(.tail), .stage.hint())]
    Failed {
        /// The command that failed.
        stage: Stage,
        /// The CLI as the operator would type it (`docker`).
        program: String,
        /// Its exit code; `None` when a signal stopped it or ferry could not wait for it.
        code: Option<i32>,
        /// Its last output lines (at most [`TAIL_LINES`]), masked and escaped.
        tail: Vec<String>,
    },

    /// The command ran past its time limit and was stopped, with whatever it had started.
    #[error(
        "{} {stage} did not finish within {} and was stopped{}. {}",
        .program, humantime::format_duration(*.limit), tail_text(.tail), .stage.hint()
    )]
    TimedOut {
        /// The command that was stopped.
        stage: Stage,
        /// The CLI as the operator would type it (`docker`).
        program: String,
        /// The time limit it ran past.
        limit: Duration,
        /// Its last output lines (at most [`TAIL_LINES`]), masked and escaped.
        tail: Vec<String>,
    },

    /// ECR's authorization token or proxy endpoint is not in the form ECR gives them.
    #[error(
        "the ECR authorization token could not be read ({reason}); ask for a new one \
         (ecr:GetAuthorizationToken) and apply again"
    )]
    BadEcrToken {
        /// What is wrong, never quoting the token.
        reason: String,
    },
}

fn exit_description(code: Option<i32>) -> String {
    match code {
        Some(code) => format!("failed with exit code {code}"),
        None => "was stopped by a signal".to_string(),
    }
}

fn tail_text(tail: &[String]) -> String {
    if tail.is_empty() {
        return " (it printed nothing)".to_string();
    }
    let mut text = format!("; its last {} lines:", tail.len());
    for line in tail {
        text.push_str("\n  ");
        text.push_str(line);
    }
    text.push('\n');
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_build_step_becomes_a_request_for_fargates_platform() {
        let action = Action::BuildAndPushImage {
            context_dir: "/srv/app".into(),
            dockerfile: "FROM scratch\n".into(),
            dockerignore: ".git\n".into(),
            dockerfile_sha256: "ab".into(),
            image: "1.dkr.ecr.eu-west-1.amazonaws.com/app:latest".into(),
        };
        let request = BuildRequest::from_action(&action).unwrap();
        assert_eq!(request.context_dir, PathBuf::from("/srv/app"));
        assert_eq!(request.platform, "linux/amd64");
        assert_eq!(request.image, "1.dkr.ecr.eu-west-1.amazonaws.com/app:latest");
        assert!(BuildRequest::from_action(&Action::DeleteExpressService { service_arn: "x".into() }).is_none());
    }

    #[test]
    fn failure_messages_name_the_code_the_output_and_what_to_do() {
        let error = ImageError::Failed {
            stage: Stage::Build,
            program: "docker".into(),
            code: Some(1),
            tail: vec!["step 3/5".into(), "ERROR: no such file".into()],
        };
        let text = error.to_string();
        assert!(
            text.starts_with("docker build failed with exit code 1; its last 2 lines:\n  step 3/5\n  ERROR"),
            "{text}"
        );
        assert!(text.contains("--image URI"), "{text}");
        let stopped =
            ImageError::TimedOut { stage: Stage::Push, program: "podman".into(), limit: PUSH_TIMEOUT, tail: vec![] };
        assert_eq!(
            stopped.to_string().split(". ").next().unwrap(),
            "podman push did not finish within 15m and was stopped (it printed nothing)"
        );
        assert!(ImageError::NoContainerCli.to_string().contains("Docker, Podman or Finch"));
    }
}
