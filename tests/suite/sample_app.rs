//! The generated Dockerfile builds the bundled sample app. No Docker engine runs here, so the
//! Dockerfile's own instructions are carried out natively, in a copy of the build context
//! filtered by the generated .dockerignore, and the app must answer its health check.

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use ferry::cloud::sandbox::{Sandbox, SandboxOptions};
use ferry::migration::prepare;

const APP: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/assets/apps/node-shop");

/// Kills the app when the test ends, however it ends.
struct Running(Child);

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn copy_context(from: &Path, to: &Path, ignored: &[&str]) {
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let name = entry.file_name().to_string_lossy().into_owned();
        if ignored.iter().any(|pattern| *pattern == name) {
            continue;
        }
        let target = to.join(&name);
        if entry.file_type().unwrap().is_dir() {
            std::fs::create_dir_all(&target).unwrap();
            copy_context(&entry.path(), &target, ignored);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

fn get(port: u16, path: &str) -> Option<String> {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).ok()?;
    stream.set_read_timeout(Some(Duration::from_secs(2))).ok()?;
    write!(stream, "GET {path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n").ok()?;
    let mut response = String::new();
    stream.read_to_string(&mut response).ok()?;
    Some(response)
}

fn shell(command: &str, dir: &Path, env: &[(String, String)]) {
    let status = Command::new("sh")
        .args(["-c", command])
        .current_dir(dir)
        .envs(env.iter().cloned())
        .status()
        .unwrap_or_else(|e| panic!("cannot run `{command}` ({e}): install Node.js 20 and npm"));
    assert!(status.success(), "RUN {command} failed");
}

#[tokio::test]
async fn the_generated_dockerfile_builds_and_runs_the_sample_app() {
    let sandbox = Sandbox::load("node-shop", SandboxOptions::instant()).unwrap();
    let artifacts = prepare(&sandbox, sandbox.app_instance()).await.unwrap().artifacts;

    let context = tempfile::tempdir().unwrap();
    let ignored: Vec<&str> = artifacts.dockerignore.lines().filter(|l| !l.contains('*') && !l.is_empty()).collect();
    let app_dir: PathBuf = context.path().join("app");
    std::fs::create_dir_all(&app_dir).unwrap();
    copy_context(Path::new(APP), &app_dir, &ignored);

    let mut env: Vec<(String, String)> = Vec::new();
    let mut command: Vec<String> = Vec::new();
    let mut exposed = None;
    for line in artifacts.dockerfile.lines().filter(|l| !l.starts_with('#') && !l.trim().is_empty()) {
        let (instruction, args) = line.split_once(' ').expect("INSTRUCTION args");
        match instruction {
            "FROM" => assert!(args.contains("node:20"), "the base image is Node.js 20: {args}"),
            "ENV" => {
                let (k, v) = args.split_once('=').expect("ENV k=v");
                env.push((k.to_string(), v.to_string()));
            }
            "COPY" => {
                // `--chown=1000:1000` says who owns the files, not which.
                let parts: Vec<&str> = args.split_whitespace().filter(|word| !word.starts_with("--")).collect();
                for source in &parts[..parts.len() - 1] {
                    assert!(app_dir.join(source).exists(), "COPY {source}: the build context has it");
                }
            }
            // Handing the image's folder to its user changes nothing for a run in place.
            "RUN" if args.starts_with("chown ") => {}
            "RUN" => shell(args, &app_dir, &env),
            "EXPOSE" => exposed = Some(args.trim().parse::<u16>().expect("EXPOSE port")),
            "CMD" => command = serde_json::from_str(args).expect("CMD in exec form"),
            "WORKDIR" | "USER" => {}
            other => panic!("the test does not know the instruction {other}"),
        }
    }
    assert_eq!(exposed, Some(3000), "EXPOSE matches the target group port");

    // The container would listen on 3000; a free port keeps parallel test runs apart.
    let port = free_port();
    let child = Command::new(&command[0])
        .args(&command[1..])
        .current_dir(&app_dir)
        .envs(env.iter().cloned())
        .env("PORT", port.to_string())
        .stdout(Stdio::null())
        .spawn()
        .expect("the CMD starts");
    let _app = Running(child);

    let deadline = Instant::now() + Duration::from_secs(15);
    let response = loop {
        if let Some(response) = get(port, &artifacts.service_config.health_check_path) {
            break response;
        }
        assert!(Instant::now() < deadline, "the app never answered on port {port}");
        std::thread::sleep(Duration::from_millis(100));
    };
    assert!(response.starts_with("HTTP/1.1 200"), "health check answers 200: {response}");
}
