//! Which container CLI to use, and the commands ferry gives it.
//!
//! Flags, checked against each tool's documentation:
//! - `-f FILE`, `-t IMAGE`, `--platform OS/ARCH`: all three (`docker build`, `podman build`,
//!   `nerdctl build`, which `finch build` is).
//! - The ignore file. Docker's BuildKit reads `<Dockerfile>.dockerignore` next to the file given
//!   with `-f`, ahead of the context's own `.dockerignore` (Docker docs, "Build context ›
//!   .dockerignore files › Filename and location"; BuildKit's dockerfile frontend reads
//!   `filename + ".dockerignore"` from the Dockerfile's folder). nerdctl (finch) hands BuildKit
//!   the `-f` folder as that same Dockerfile source (`--local=dockerfile=DIR`), so the same name
//!   works. Podman (buildah) does not look there; it takes `--ignorefile PATH` ("Path to an
//!   alternative .containerignore file"), which also replaces the context's own. So ferry
//!   writes `ferry.Dockerfile` and `ferry.Dockerfile.dockerignore` side by side and adds
//!   `--ignorefile` for Podman: whatever .dockerignore the application folder holds, the
//!   reviewed one applies.
//! - Docker's legacy builder ignores `<Dockerfile>.dockerignore`, so `DOCKER_BUILDKIT=1` is set:
//!   BuildKit or a clear error, never the wrong ignore file.
//! - `--pull` (docker), `--pull=always` (podman), `--pull=true` (nerdctl): base images are
//!   checked against their registry on every build. The Dockerfile names tags such as
//!   `python:3.12-slim`; a stale local copy would ship old security fixes and an image that
//!   differs from what another machine builds from the same plan. The cost is one manifest
//!   request per base image when nothing changed.
//! - `--progress=plain` (docker, nerdctl): one line per event instead of a redrawn terminal
//!   screen; Podman prints plain lines already and has no such flag.
//! - The private folder lives in the system temporary folder; Finch on macOS shares
//!   `/var/folders` (where `TMPDIR` points) with its VM (finch#525), Podman's remote client
//!   sends the files itself.

use std::ffi::{OsStr, OsString};
use std::path::{Path, PathBuf};
use std::time::Duration;

use super::run::{Invocation, run};
use super::{BUILD_TIMEOUT, BuildRequest, EcrLogin, ImageError, LOGIN_TIMEOUT, PUSH_TIMEOUT, Stage};

/// Names the container CLI to use (a path, or a name looked up on PATH), ahead of detection.
pub const FERRY_CONTAINER_CLI: &str = "FERRY_CONTAINER_CLI";

/// The file names in the private folder (see the module notes for why the ignore file is named
/// after the Dockerfile).
const DOCKERFILE_NAME: &str = "ferry.Dockerfile";
const DOCKERIGNORE_NAME: &str = "ferry.Dockerfile.dockerignore";

/// Looked for on PATH in this order.
const DETECTED: [&str; 3] = ["docker", "podman", "finch"];

/// The family of a container CLI: which flags it takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CliKind {
    /// Docker and anything docker-compatible that is not recognised by name.
    Docker,
    /// Podman, or a `docker` that is podman-docker's script running it.
    Podman,
    /// Finch, or nerdctl itself (finch is nerdctl in a VM).
    Finch,
}

/// How long each command may run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Timeouts {
    /// The longest a build may run; [`BUILD_TIMEOUT`] (30 minutes) by default.
    pub build: Duration,
    /// The longest a push may run; [`PUSH_TIMEOUT`] (15 minutes) by default.
    pub push: Duration,
    /// The longest a registry login may take; [`LOGIN_TIMEOUT`] (2 minutes) by default.
    pub login: Duration,
}

impl Default for Timeouts {
    fn default() -> Self {
        Timeouts { build: BUILD_TIMEOUT, push: PUSH_TIMEOUT, login: LOGIN_TIMEOUT }
    }
}

/// A container CLI on this machine.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContainerCli {
    program: PathBuf,
    kind: CliKind,
    name: String,
    timeouts: Timeouts,
}

impl ContainerCli {
    /// `FERRY_CONTAINER_CLI` (a path or a name) wins; else the first of docker, podman, finch
    /// found on PATH.
    pub fn detect() -> Result<ContainerCli, ImageError> {
        let path = std::env::var_os("PATH");
        let chosen = std::env::var_os(FERRY_CONTAINER_CLI);
        Self::detect_in(path.as_deref(), chosen.as_deref())
    }

    /// [`ContainerCli::detect`] over a given PATH value and override, so it can be tested
    /// without touching the process environment. An empty override counts as unset.
    pub fn detect_in(path_var: Option<&OsStr>, chosen: Option<&OsStr>) -> Result<ContainerCli, ImageError> {
        if let Some(chosen) = chosen.filter(|c| !c.is_empty()) {
            let as_path = Path::new(chosen);
            let found = if as_path.components().count() > 1 || as_path.is_absolute() {
                is_executable(as_path).then(|| as_path.to_path_buf())
            } else {
                find_on_path(path_var, chosen)
            };
            return found
                .map(ContainerCli::at)
                .ok_or_else(|| ImageError::ContainerCliOverrideNotFound { value: chosen.to_string_lossy().into() });
        }
        DETECTED
            .iter()
            .find_map(|name| find_on_path(path_var, OsStr::new(name)))
            .map(ContainerCli::at)
            .ok_or(ImageError::NoContainerCli)
    }

    /// The CLI at this path; its kind guessed from the file name (`podman`, `finch` or
    /// `nerdctl` in it) or, for a script, from the program it runs (podman-docker installs
    /// `docker` as a script that runs podman); docker-compatible otherwise.
    pub fn at(program: PathBuf) -> ContainerCli {
        let name = program.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        let stem = program.file_stem().map(|n| n.to_string_lossy().to_lowercase()).unwrap_or_default();
        let kind = if stem.contains("podman") {
            CliKind::Podman
        } else if stem.contains("finch") || stem.contains("nerdctl") {
            CliKind::Finch
        } else if is_podman_shim(&program) {
            CliKind::Podman
        } else {
            CliKind::Docker
        };
        ContainerCli { program, kind, name, timeouts: Timeouts::default() }
    }

    /// The same CLI with other time limits.
    pub fn with_timeouts(mut self, timeouts: Timeouts) -> ContainerCli {
        self.timeouts = timeouts;
        self
    }

    /// The program's file name, as the operator would type it (`docker`).
    pub fn name(&self) -> &str {
        &self.name
    }

    /// Its family, which decides the flags it is given.
    pub fn kind(&self) -> CliKind {
        self.kind
    }

    /// The path of the program that runs, as found on PATH or as given.
    pub fn program(&self) -> &Path {
        &self.program
    }

    /// The time limits its commands run under.
    pub fn timeouts(&self) -> Timeouts {
        self.timeouts
    }

    /// Builds `request.image` from the request's Dockerfile text, streaming every output line
    /// (stdout and stderr, masked and escaped) to `progress` as it comes. Refused before the CLI
    /// runs when the Dockerfile does not match its digest or the context is not a folder.
    pub async fn build(
        &self,
        request: &BuildRequest,
        progress: &(dyn Fn(String) + Send + Sync),
    ) -> Result<(), ImageError> {
        check_reference("image", &request.image)?;
        check_reference("platform", &request.platform)?;
        let actual = crate::digest::sha256_hex(request.dockerfile.as_bytes());
        if !actual.eq_ignore_ascii_case(request.dockerfile_sha256.trim()) {
            return Err(ImageError::DockerfileDigestMismatch { expected: request.dockerfile_sha256.clone(), actual });
        }
        let context = checked_context(&request.context_dir)?;

        // Private (0700, whatever the umask), outside the application's folder, removed when
        // this returns.
        let mut scratch = tempfile::Builder::new();
        scratch.prefix("ferry-build-");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            scratch.permissions(std::fs::Permissions::from_mode(0o700));
        }
        let scratch = scratch.tempdir().map_err(|source| ImageError::Scratch { source })?;
        let dockerfile = scratch.path().join(DOCKERFILE_NAME);
        let dockerignore = scratch.path().join(DOCKERIGNORE_NAME);
        std::fs::write(&dockerfile, &request.dockerfile).map_err(|source| ImageError::Scratch { source })?;
        std::fs::write(&dockerignore, &request.dockerignore).map_err(|source| ImageError::Scratch { source })?;

        let args = self.build_args(request, &dockerfile, &dockerignore, &context);
        let envs = match self.kind {
            CliKind::Docker => vec![("DOCKER_BUILDKIT", "1"), ("DOCKER_CLI_HINTS", "false")],
            CliKind::Podman | CliKind::Finch => vec![],
        };
        progress(super::redact_output(&self.command_line(&args), &[]));
        let result = run(
            Invocation {
                stage: Stage::Build,
                program: &self.program,
                name: &self.name,
                args,
                envs,
                stdin: None,
                secrets: &[],
                limit: self.timeouts.build,
            },
            progress,
        )
        .await;
        drop(scratch);
        result
    }

    /// Logs in to a registry. The password goes through stdin (`--password-stdin`): never argv,
    /// the environment, progress or any message.
    pub async fn login(&self, registry: &str, username: &str, password: &str) -> Result<(), ImageError> {
        check_reference("registry", registry)?;
        check_reference("user name", username)?;
        if registry.contains('/') {
            return Err(ImageError::InvalidReference {
                what: "registry",
                value: registry.to_string(),
                reason: "a registry is a host name (and port), without a scheme or path",
            });
        }
        let args = ["login", "--username", username, "--password-stdin", registry].map(OsString::from).to_vec();
        run(
            Invocation {
                stage: Stage::Login,
                program: &self.program,
                name: &self.name,
                args,
                envs: vec![],
                stdin: Some(password.as_bytes()),
                secrets: &[password],
                limit: self.timeouts.login,
            },
            &|_line| {},
        )
        .await
    }

    /// Logs in with what [`super::ecr_login_from_token`] decoded.
    pub async fn login_ecr(&self, login: &EcrLogin) -> Result<(), ImageError> {
        self.login(&login.registry, &login.username, &login.password).await
    }

    /// Pushes the image, streaming every output line to `progress`.
    pub async fn push(&self, image: &str, progress: &(dyn Fn(String) + Send + Sync)) -> Result<(), ImageError> {
        check_reference("image", image)?;
        let args = vec![OsString::from("push"), OsString::from(image)];
        progress(super::redact_output(&self.command_line(&args), &[]));
        run(
            Invocation {
                stage: Stage::Push,
                program: &self.program,
                name: &self.name,
                args,
                envs: vec![],
                stdin: None,
                secrets: &[],
                limit: self.timeouts.push,
            },
            progress,
        )
        .await
    }

    /// The build's arguments: flags first, the context folder last.
    fn build_args(&self, request: &BuildRequest, dockerfile: &Path, ignore: &Path, context: &Path) -> Vec<OsString> {
        let mut args: Vec<OsString> = vec!["build".into(), "-f".into(), dockerfile.into()];
        if self.kind == CliKind::Podman {
            args.extend(["--ignorefile".into(), ignore.into()]);
        }
        args.extend(["-t".into(), (&request.image).into(), "--platform".into(), (&request.platform).into()]);
        match self.kind {
            CliKind::Docker => args.extend(["--pull".into(), "--progress=plain".into()]),
            CliKind::Podman => args.push("--pull=always".into()),
            CliKind::Finch => args.extend(["--pull=true".into(), "--progress=plain".into()]),
        }
        args.push(context.into());
        args
    }

    /// The command as one shell line, for the progress log.
    fn command_line(&self, args: &[OsString]) -> String {
        let words: Vec<String> =
            std::iter::once(self.name.clone()).chain(args.iter().map(|a| a.to_string_lossy().into_owned())).collect();
        format!("$ {}", crate::text::command_line(&words))
    }
}

/// An image, platform, registry or user name handed to the CLI as an argument: it must not be
/// read as an option, nor hide characters.
fn check_reference(what: &'static str, value: &str) -> Result<(), ImageError> {
    let reason = if value.is_empty() {
        "it is empty"
    } else if value.starts_with('-') {
        "it starts with '-', so the container CLI would read it as an option"
    } else if value.chars().any(|c| c.is_whitespace() || c.is_control()) {
        "it holds spaces or control characters"
    } else {
        return Ok(());
    };
    Err(ImageError::InvalidReference { what, value: crate::text::escape_controls(value), reason })
}

/// The context folder as an absolute path, or why it cannot be built from.
fn checked_context(dir: &Path) -> Result<PathBuf, ImageError> {
    match std::fs::metadata(dir) {
        Ok(meta) if meta.is_dir() => {}
        Ok(_) => return Err(ImageError::ContextNotDirectory { path: dir.to_path_buf() }),
        Err(_) => return Err(ImageError::ContextMissing { path: dir.to_path_buf() }),
    }
    // Absolute, so a relative folder named like an option can never be read as one.
    std::path::absolute(dir).map_err(|_| ImageError::ContextMissing { path: dir.to_path_buf() })
}

/// Whether a `docker` program is the podman-docker package's script (`exec podman "$@"`):
/// it must be given Podman's flags.
fn is_podman_shim(program: &Path) -> bool {
    use std::io::Read;
    let Ok(file) = std::fs::File::open(program) else { return false };
    let mut head = Vec::new();
    if file.take(4096).read_to_end(&mut head).is_err() {
        return false;
    }
    head.starts_with(b"#!")
        && String::from_utf8_lossy(&head).lines().any(|l| l.contains("exec") && l.contains("podman"))
}

fn find_on_path(path_var: Option<&OsStr>, name: &OsStr) -> Option<PathBuf> {
    let path_var = path_var?;
    std::env::split_paths(path_var).filter(|dir| !dir.as_os_str().is_empty()).find_map(|dir| {
        let candidate = dir.join(name);
        if is_executable(&candidate) {
            return Some(candidate);
        }
        #[cfg(windows)]
        {
            let exe = dir.join(Path::new(name).with_extension("exe"));
            if is_executable(&exe) {
                return Some(exe);
            }
        }
        None
    })
}

fn is_executable(path: &Path) -> bool {
    let Ok(meta) = std::fs::metadata(path) else { return false };
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        meta.is_file() && meta.permissions().mode() & 0o111 != 0
    }
    #[cfg(not(unix))]
    {
        meta.is_file()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request() -> BuildRequest {
        BuildRequest {
            context_dir: PathBuf::from("/srv/app"),
            dockerfile: "FROM scratch\n".into(),
            dockerignore: ".git\n".into(),
            dockerfile_sha256: crate::digest::sha256_hex(b"FROM scratch\n"),
            image: "1.dkr.ecr.eu-west-1.amazonaws.com/app:v1".into(),
            platform: "linux/amd64".into(),
        }
    }

    fn args(cli: &ContainerCli) -> Vec<String> {
        cli.build_args(&request(), Path::new("/t/ferry.Dockerfile"), Path::new("/t/ignore"), Path::new("/srv/app"))
            .into_iter()
            .map(|a| a.into_string().unwrap())
            .collect()
    }

    #[test]
    fn each_kind_gets_its_own_flags_and_the_context_last() {
        let image = "1.dkr.ecr.eu-west-1.amazonaws.com/app:v1";
        fn common<'a>(extra: &[&'a str]) -> Vec<&'a str> {
            let mut words = vec!["build", "-f", "/t/ferry.Dockerfile"];
            words.extend_from_slice(extra);
            words
        }
        let mut docker = common(&["-t", image, "--platform", "linux/amd64", "--pull", "--progress=plain"]);
        docker.push("/srv/app");
        assert_eq!(args(&ContainerCli::at("/usr/bin/docker".into())), docker);
        let mut podman = common(&["--ignorefile", "/t/ignore", "-t", image, "--platform", "linux/amd64"]);
        podman.extend(["--pull=always", "/srv/app"]);
        assert_eq!(args(&ContainerCli::at("/usr/bin/podman".into())), podman);
        let mut finch = common(&["-t", image, "--platform", "linux/amd64", "--pull=true", "--progress=plain"]);
        finch.push("/srv/app");
        assert_eq!(args(&ContainerCli::at("/usr/local/bin/finch".into())), finch);
    }

    #[test]
    fn the_commands_can_run_on_any_runtime_thread() {
        fn send<T: Send>(_: T) {}
        let cli = ContainerCli::at("/usr/bin/docker".into());
        let request = request();
        send(cli.build(&request, &|_| {}));
        send(cli.push("repo/app:v1", &|_| {}));
        send(cli.login("r.example.com", "AWS", "pw"));
    }

    #[test]
    fn kind_and_name_come_from_the_file_name() {
        let kinds = [
            ("/usr/bin/docker", CliKind::Docker, "docker"),
            ("/opt/podman-remote", CliKind::Podman, "podman-remote"),
            ("/usr/local/bin/nerdctl", CliKind::Finch, "nerdctl"),
            ("/Applications/Finch/bin/finch", CliKind::Finch, "finch"),
            ("/usr/bin/some-wrapper", CliKind::Docker, "some-wrapper"),
        ];
        for (path, kind, name) in kinds {
            let cli = ContainerCli::at(path.into());
            assert_eq!((cli.kind(), cli.name()), (kind, name), "{path}");
        }
    }

    #[test]
    fn references_that_read_as_options_or_hide_text_are_refused() {
        assert!(check_reference("image", "repo/app:v1").is_ok());
        for bad in ["", "--push", "app v1", "app\u{1b}[2J"] {
            let error = check_reference("image", bad).unwrap_err();
            assert!(matches!(error, ImageError::InvalidReference { .. }), "{bad:?}");
            assert!(!error.to_string().contains('\u{1b}'));
        }
    }
}
