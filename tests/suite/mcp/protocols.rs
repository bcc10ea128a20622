//! Transports and protocol eras: loopback HTTP, the conformance suite, 2025-06-18 and
//! 2026-07-28 (stateless) clients.

use super::*;

/// `--listen` takes a loopback address only, and says so before reaching any account.
#[test]
fn listen_refuses_a_non_loopback_address() {
    let state = tempfile::tempdir().unwrap();
    let output = Command::new(env!("CARGO_BIN_EXE_ferry"))
        .args(["mcp", "--sandbox", "node-shop", "--listen", "0.0.0.0:8931"])
        .env("FERRY_STATE_DIR", state.path())
        .output()
        .unwrap();
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("not a loopback address"), "{stderr}");
}

/// The MCP conformance suite (npm `@modelcontextprotocol/conformance`, 0.1.8: later releases
/// need Node.js 22) passes its server-initialize and tools-list scenarios against `--listen`.
#[test]
fn the_conformance_suite_passes_against_listen() {
    let suite = conformance_suite();
    let state = tempfile::tempdir().unwrap();
    let mut server = std::process::Command::new(env!("CARGO_BIN_EXE_ferry"))
        .args(["mcp", "--sandbox", "node-shop", "--listen", "127.0.0.1:0"])
        .env("FERRY_STATE_DIR", state.path())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut first = String::new();
    std::io::BufRead::read_line(&mut std::io::BufReader::new(server.stderr.take().unwrap()), &mut first).unwrap();
    let url = first.trim().rsplit(' ').next().unwrap().to_string();
    assert!(url.starts_with("http://127.0.0.1:"), "{first}");
    for scenario in ["server-initialize", "tools-list"] {
        // The suite writes its results into `results/` where it runs: the temporary folder.
        let output = Command::new(&suite)
            .args(["server", "--url", &url, "--scenario", scenario])
            .current_dir(state.path())
            .output()
            .unwrap();
        let text = String::from_utf8_lossy(&output.stdout).to_string() + &String::from_utf8_lossy(&output.stderr);
        assert!(text.contains("Passed: 1/1, 0 failed"), "{scenario}:\n{text}");
    }
    server.kill().unwrap();
    server.wait().unwrap();
}

/// The suite's command, installed once under `target/` with npm.
fn conformance_suite() -> std::path::PathBuf {
    let prefix = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/conformance-0.1.8");
    let program = prefix.join("node_modules/.bin/conformance");
    if !program.is_file() {
        let status = Command::new("npm")
            .args(["install", "--no-audit", "--no-fund", "--prefix"])
            .arg(&prefix)
            .arg("@modelcontextprotocol/conformance@0.1.8")
            .status()
            .expect("npm runs (this test needs Node.js 20 with npm)");
        assert!(status.success(), "npm could not install the conformance suite");
    }
    program
}

/// `ferry mcp` on the sandbox spoken to raw over stdio, a JSON-RPC message a line.
struct Raw {
    server: std::process::Child,
    input: std::process::ChildStdin,
    output: std::io::BufReader<std::process::ChildStdout>,
}

impl Raw {
    fn start(state: &Path) -> Raw {
        let mut server = Command::new(env!("CARGO_BIN_EXE_ferry"))
            .args(["mcp", "--sandbox", "node-shop"])
            .env("FERRY_STATE_DIR", state)
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        let input = server.stdin.take().unwrap();
        let output = std::io::BufReader::new(server.stdout.take().unwrap());
        Raw { server, input, output }
    }

    /// Sends `message`; its answer, or null for a notification.
    fn send(&mut self, message: Value) -> Value {
        use std::io::{BufRead, Write};
        writeln!(self.input, "{message}").unwrap();
        self.input.flush().unwrap();
        if message.get("id").is_none() {
            return Value::Null;
        }
        let mut line = String::new();
        self.output.read_line(&mut line).unwrap();
        serde_json::from_str(&line).unwrap()
    }

    /// A `tools/call`, with `meta` as the request's `_meta`.
    fn call(&mut self, id: u64, name: &str, arguments: Value, meta: &Value) -> Value {
        let params = serde_json::json!({"name": name, "arguments": arguments, "_meta": meta});
        self.send(serde_json::json!({"jsonrpc": "2.0", "id": id, "method": "tools/call", "params": params}))
    }

    /// A `tools/call` coming back with the person's `answer` to the form and the `state` of
    /// an input-required result.
    fn retry(&mut self, id: u64, name: &str, arguments: &Value, meta: &Value, state: &str, answer: Value) -> Value {
        let params = serde_json::json!({
            "name": name, "arguments": arguments, "_meta": meta,
            "inputResponses": {"approval": answer}, "requestState": state,
        });
        self.send(serde_json::json!({"jsonrpc": "2.0", "id": id, "method": "tools/call", "params": params}))
    }

    fn end(self) {
        drop(self.input);
        let mut server = self.server;
        server.wait().unwrap();
    }
}

/// A client of the 2025-06-18 protocol: the handshake answers in its version, and
/// `tools/list` and a read tool work.
#[test]
fn a_2025_06_18_client_is_served() {
    let state = tempfile::tempdir().unwrap();
    let mut raw = Raw::start(state.path());
    let client = serde_json::json!({"name": "raw-2025-06-18", "version": "1.0"});
    let init = serde_json::json!({"protocolVersion": "2025-06-18", "capabilities": {}, "clientInfo": client});
    let answer = raw.send(serde_json::json!({"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": init}));
    assert_eq!(answer["result"]["protocolVersion"], "2025-06-18", "{answer}");
    raw.send(serde_json::json!({"jsonrpc": "2.0", "method": "notifications/initialized"}));
    let listed = raw.send(serde_json::json!({"jsonrpc": "2.0", "id": 2, "method": "tools/list"}));
    assert_eq!(listed["result"]["tools"].as_array().unwrap().len(), 17, "{listed}");
    let called = raw.call(3, "list_instances", serde_json::json!({"runtime": "node"}), &serde_json::json!({}));
    let instances = &called["result"]["structuredContent"]["instances"];
    assert_eq!(instances.as_array().unwrap().len(), 1, "node-shop runs one node instance: {called}");
    raw.end();
    let log = std::fs::read_to_string(state.path().join("audit.jsonl")).unwrap();
    assert!(log.contains("raw-2025-06-18") && log.contains("\"protocol\":\"2025-06-18\""), "{log}");
}

/// The `_meta` a stateless client of the 2026-07-28 protocol sends with each request.
fn stateless_meta(capabilities: Value) -> Value {
    serde_json::json!({
        "io.modelcontextprotocol/protocolVersion": "2026-07-28",
        "io.modelcontextprotocol/clientCapabilities": capabilities,
        "io.modelcontextprotocol/clientInfo": {"name": "raw-2026", "version": "2.0"},
    })
}

/// A stateless client of the 2026-07-28 protocol (no `initialize`, its version and identity
/// in each request's `_meta`) that cannot answer a form: reads work, and a change fails
/// closed (approval pending).
#[test]
fn a_2026_07_28_stateless_client_reads_and_is_refused_changes() {
    let state = tempfile::tempdir().unwrap();
    let mut raw = Raw::start(state.path());
    let meta = stateless_meta(serde_json::json!({}));
    let created = raw.call(1, "create_plan", serde_json::json!({}), &meta);
    let id = created["result"]["structuredContent"]["plan_id"].as_str().unwrap().to_string();
    let applied = raw.call(2, "apply_plan", serde_json::json!({"plan_id": id}), &meta);
    assert_eq!(applied["result"]["isError"], true, "{applied}");
    let text = applied["result"]["content"][0]["text"].as_str().unwrap();
    assert!(text.contains("approval pending"), "{text}");
    raw.end();
    let log = std::fs::read_to_string(state.path().join("audit.jsonl")).unwrap();
    assert!(log.contains("raw-2026") && log.contains("\"protocol\":\"2026-07-28\""), "{log}");
    assert!(!log.contains("\"start run\""), "nothing ran");
}

/// A stateless client that can answer forms is asked through an input-required result: the
/// same form as elicitation and a sealed state. An altered state is refused, a declined form
/// changes nothing, the right digits and reasons start a run, and a state used once is
/// refused when sent again.
#[test]
fn a_2026_07_28_stateless_client_approves_through_an_input_required_round_trip() {
    let state = tempfile::tempdir().unwrap();
    let mut raw = Raw::start(state.path());
    let meta = stateless_meta(serde_json::json!({"elicitation": {"form": {}}}));
    let created = raw.call(1, "create_plan", serde_json::json!({}), &meta);
    let plan = &created["result"]["structuredContent"];
    let (id, hash) = (plan["plan_id"].as_str().unwrap(), plan["hash"].as_str().unwrap());
    let apply = serde_json::json!({"plan_id": id});
    let (form, first) = asked(raw.call(2, "apply_plan", apply.clone(), &meta), hash);

    let mut altered = first.clone().into_bytes();
    let middle = altered.len() / 2;
    altered[middle] = if altered[middle] == b'A' { b'B' } else { b'A' };
    let altered = String::from_utf8(altered).unwrap();
    let refused = raw.retry(3, "apply_plan", &apply, &meta, &altered, accept(&form, hash));
    refusal(&refused, "the request state was refused");
    let declined = raw.retry(4, "apply_plan", &apply, &meta, &first, serde_json::json!({"action": "decline"}));
    refusal(&declined, "declined");
    let log = std::fs::read_to_string(state.path().join("audit.jsonl")).unwrap();
    assert!(!log.contains("\"start run\""), "nothing ran: {log}");

    let (form, second) = asked(raw.call(5, "apply_plan", apply.clone(), &meta), hash);
    let applied = raw.retry(6, "apply_plan", &apply, &meta, &second, accept(&form, hash));
    let started = &applied["result"]["structuredContent"];
    assert!(
        started["approved_by"].as_str().unwrap().contains("input-required round trip in raw-2026 2.0"),
        "{applied}"
    );
    let run_id = started["run_id"].as_str().unwrap().to_string();
    let mut status = Value::Null;
    for id in 7..12 {
        status = raw.call(id, "run_status", serde_json::json!({"run_id": run_id, "wait_seconds": 60}), &meta);
        if status["result"]["structuredContent"]["finished"] == true {
            break;
        }
    }
    assert_eq!(status["result"]["structuredContent"]["status"], "APPLIED", "{status}");
    let replayed = raw.retry(12, "apply_plan", &apply, &meta, &second, accept(&form, hash));
    refusal(&replayed, "already used once");
    // A state asked for the plan does not approve the run's rollback.
    let (form, third) = asked(raw.call(13, "apply_plan", apply.clone(), &meta), hash);
    let rollback = serde_json::json!({"run_id": run_id});
    let elsewhere = raw.retry(14, "rollback_run", &rollback, &meta, &third, accept(&form, hash));
    refusal(&elsewhere, "it was issued for");
    raw.end();
    let log = std::fs::read_to_string(state.path().join("audit.jsonl")).unwrap();
    assert_eq!(log.matches("\"start run\"").count(), 1, "one run: {log}");
}

/// The input-required result's form (which shows the plan's hash) and its sealed state.
fn asked(answer: Value, hash: &str) -> (Value, String) {
    let result = &answer["result"];
    assert_eq!(result["resultType"], "input_required", "{answer}");
    let form = &result["inputRequests"]["approval"];
    assert_eq!(form["method"], "elicitation/create", "{answer}");
    assert!(form["params"]["message"].as_str().unwrap().contains(hash), "the form shows the hash: {form}");
    (form["params"].clone(), result["requestState"].as_str().unwrap().to_string())
}

/// A person's acceptance of `form`: the hash's first 12 digits, and a reason for each deny.
fn accept(form: &Value, hash: &str) -> Value {
    let mut content = serde_json::Map::new();
    for key in form["requestedSchema"]["properties"].as_object().unwrap().keys() {
        let value = if key == "hash_digits" { hash[..12].to_string() } else { "reviewed by the team, accepted".into() };
        content.insert(key.clone(), Value::from(value));
    }
    serde_json::json!({"action": "accept", "content": content})
}

/// A change tool's refusal that says `why` and that nothing changed.
fn refusal(answer: &Value, why: &str) {
    assert_eq!(answer["result"]["isError"], true, "{answer}");
    let text = answer["result"]["content"][0]["text"].as_str().unwrap();
    assert!(text.contains(why) && text.contains("nothing changed"), "{text}");
}
