//! Python tools the tests need (moto, hadolint, botocore), installed once into a virtual
//! environment under `target/`, so `cargo test` alone sets them up on a fresh machine.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

/// The path of `program` inside the virtual environment `name`, created with `packages`
/// (pinned requirement strings) if it is not there yet.
pub fn program(name: &str, packages: &[&str], program: &str) -> PathBuf {
    let target = Path::new(env!("CARGO_MANIFEST_DIR")).join("target");
    let venv = target.join(name);
    let path = venv.join("bin").join(program);
    // Written after pip succeeds: the venv's own python exists long before its packages do.
    let done = venv.join(".ferry-installed");
    if done.is_file() {
        return path;
    }
    // Another test binary may be installing right now: one installs, the others wait.
    let lock = target.join(format!("{name}.lock"));
    std::fs::create_dir_all(&target).expect("target/ exists");
    let deadline = Instant::now() + Duration::from_secs(600);
    loop {
        if done.is_file() {
            return path;
        }
        if std::fs::OpenOptions::new().write(true).create_new(true).open(&lock).is_ok() {
            break;
        }
        assert!(Instant::now() < deadline, "waited too long for another test to install {name} ({})", lock.display());
        std::thread::sleep(Duration::from_millis(500));
    }
    let result =
        install(&venv, packages).and_then(|()| std::fs::write(&done, packages.join("\n")).map_err(|e| e.to_string()));
    let _ = std::fs::remove_file(&lock);
    if let Err(message) = result {
        let _ = std::fs::remove_dir_all(&venv);
        panic!("{message}");
    }
    path
}

fn install(venv: &Path, packages: &[&str]) -> Result<(), String> {
    let python = ["python3", "python"]
        .into_iter()
        .find(|p| Command::new(p).arg("--version").output().is_ok_and(|o| o.status.success()))
        .ok_or(
            "these tests need Python 3: install python3 with venv and pip (Debian: apt install python3 python3-venv)",
        )?;
    let status = Command::new(python).args(["-m", "venv"]).arg(venv).status().map_err(|e| e.to_string())?;
    if !status.success() {
        return Err(format!("`{python} -m venv` failed: install the venv module (Debian: apt install python3-venv)"));
    }
    let status = Command::new(venv.join("bin").join("pip"))
        .args(["install", "--quiet"])
        .args(packages)
        .status()
        .map_err(|e| e.to_string())?;
    if !status.success() {
        return Err(format!("pip could not install {} into {}", packages.join(" "), venv.display()));
    }
    Ok(())
}
