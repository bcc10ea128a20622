//! A real moto server on a free loopback port, provisioned by the tests themselves: the
//! `moto_server` on PATH, or else a virtual environment under `target/` with a pinned
//! `moto[server]`, so `cargo test` alone sets it up on a fresh machine.

use std::net::{TcpListener, TcpStream};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

/// The moto release these tests are written against.
pub const MOTO_VERSION: &str = "5.2.1";

pub struct Moto {
    child: Child,
    pub port: u16,
}

impl Moto {
    pub fn start() -> Moto {
        let program = moto_server();
        let port = free_port();
        let child = Command::new(&program)
            .args(["-H", "127.0.0.1", "-p", &port.to_string()])
            // Without this, attaching any AWS managed policy fails with NoSuchEntity.
            .env("MOTO_IAM_LOAD_MANAGED_POLICIES", "true")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start {}: {e}", program.display()));
        let moto = Moto { child, port };
        let deadline = Instant::now() + Duration::from_secs(30);
        while TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(Instant::now() < deadline, "moto_server did not start listening on port {port}");
            std::thread::sleep(Duration::from_millis(50));
        }
        moto
    }

    pub fn endpoint(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }
}

impl Drop for Moto {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0").and_then(|l| l.local_addr()).map(|a| a.port()).expect("a free port")
}

/// `moto_server` from PATH, or from the project's own virtual environment (created once).
/// `FERRY_TEST_MOTO_VENV=1` skips PATH, to test the provisioning itself.
fn moto_server() -> PathBuf {
    static PROGRAM: OnceLock<PathBuf> = OnceLock::new();
    PROGRAM
        .get_or_init(|| {
            if std::env::var_os("FERRY_TEST_MOTO_VENV").is_none()
                && let Some(found) = on_path("moto_server")
            {
                return found;
            }
            provision_venv()
        })
        .clone()
}

fn on_path(name: &str) -> Option<PathBuf> {
    let paths = std::env::var_os("PATH")?;
    std::env::split_paths(&paths).map(|dir| dir.join(name)).find(|p| p.is_file())
}

fn provision_venv() -> PathBuf {
    super::venv::program(&format!("moto-{MOTO_VERSION}"), &[&format!("moto[server]=={MOTO_VERSION}")], "moto_server")
}
