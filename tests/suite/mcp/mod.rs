//! `ferry mcp` driven by a real client: the official MCP Python SDK (PyPI `mcp`, installed by
//! the test into a venv under `target/`), over stdio, on the sandbox account in a temporary
//! state folder. The client scripts are in `tests/mcp_client/`; each prints a JSON transcript
//! that these tests judge.
//!
//! By job: `tools` (what tools/list publishes, and read-only), `approval` (the human gate on
//! every change), `protocols` (transports and protocol eras).

use crate::support;

mod approval;
mod protocols;
mod tools;
mod traffic;

use std::path::Path;
use std::process::Command;

use serde_json::Value;

const MCP: &str = "mcp==2.3.0";

/// Runs the client `scenario` against `ferry mcp ARGS` with the state folder `state`.
fn client(scenario: &str, state: &Path, args: &[&str]) -> Value {
    client_with(scenario, state, args, &[])
}

/// As `client`, with more environment variables for the client.
fn client_with(scenario: &str, state: &Path, args: &[&str], env: &[(&str, &str)]) -> Value {
    let python = support::venv::program("mcp-2.3.0", &[MCP], "python");
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/mcp_client/ferry_client.py");
    let output = Command::new(python)
        .arg(script)
        .arg(scenario)
        .arg(env!("CARGO_BIN_EXE_ferry"))
        .args(["mcp"])
        .args(args)
        .env("FERRY_STATE_DIR", state)
        .env("FERRY_CONFIG", state.join("no-config.toml"))
        .envs(env.iter().copied())
        .output()
        .expect("python runs");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "the client failed:\n{stderr}");
    serde_json::from_slice(&output.stdout).unwrap_or_else(|e| panic!("not JSON ({e}):\n{stderr}"))
}

fn tool<'a>(tools: &'a [Value], name: &str) -> &'a Value {
    tools.iter().find(|t| t["name"] == name).unwrap_or_else(|| panic!("{name} is listed"))
}

const READ_TOOLS: [&str; 14] = [
    "list_instances",
    "discover_instance",
    "analyze_app",
    "generate_artifacts",
    "create_plan",
    "show_plan",
    "diff_plan",
    "list_runs",
    "run_status",
    "verify",
    "create_cutover_plan",
    "decommission_checklist",
    "inventory",
    "audit_log",
];
