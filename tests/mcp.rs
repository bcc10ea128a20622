//! `ferry mcp` driven by a real client: the official MCP Python SDK (PyPI `mcp`, installed by
//! the test into a venv under `target/`), over stdio, on the sandbox account in a temporary
//! state folder. The client scripts are in `tests/mcp_client/`; each prints a JSON transcript
//! that these tests judge.

mod support;

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

const READ_TOOLS: [&str; 11] = [
    "list_instances",
    "discover_instance",
    "analyze_app",
    "generate_artifacts",
    "create_plan",
    "show_plan",
    "diff_plan",
    "list_runs",
    "run_status",
    "inventory",
    "audit_log",
];

/// Every tool has a title, a description for a model, object input and output schemas, and
/// the annotations that say what it touches; a sandbox is no open world.
#[test]
fn tools_list_has_every_annotation_and_schema() {
    let state = tempfile::tempdir().unwrap();
    let listed = client("tools", state.path(), &["--sandbox", "node-shop"]);
    assert_eq!(listed["server"], "ferry");
    assert_eq!(listed["protocol"], "2025-11-25", "the SDK's handshake version is served");
    let instructions = listed["instructions"].as_str().unwrap();
    for step in ["discover_instance", "create_plan", "apply_plan", "run_status", "rollback_run", "ferry approve"] {
        assert!(instructions.contains(step), "the instructions lay out {step}: {instructions}");
    }
    let tools = listed["tools"].as_array().unwrap();
    assert_eq!(tools.len(), 14);
    for tool in tools {
        let name = tool["name"].as_str().unwrap();
        assert!(tool["description"].as_str().unwrap().len() > 80, "{name} is described for a model");
        assert_eq!(tool["inputSchema"]["type"], "object", "{name}");
        assert_eq!(tool["outputSchema"]["type"], "object", "{name}");
        let notes = &tool["annotations"];
        assert_eq!(notes["title"], tool["title"], "{name}");
        assert_eq!(notes["openWorldHint"], false, "{name}: the sandbox is no open world");
        let read = READ_TOOLS.contains(&name);
        assert_eq!(notes["readOnlyHint"], read, "{name}");
        assert_eq!(notes["destructiveHint"], name == "rollback_run", "{name}");
        assert_eq!(notes["idempotentHint"], read || name == "rollback_run", "{name}");
    }
    let apply = tool(tools, "apply_plan");
    assert_eq!(apply["inputSchema"]["required"], serde_json::json!(["plan_id"]));
    assert_eq!(apply["inputSchema"]["additionalProperties"], false, "no argument can sneak an approval in");
    let plan = tool(tools, "create_plan");
    for field in ["plan_id", "hash", "steps", "checks", "denies", "assumptions"] {
        assert!(plan["outputSchema"]["properties"][field].is_object(), "create_plan returns {field}");
    }
}

/// `--read-only` lists no change tool, and a client asking for one gets an error.
#[test]
fn read_only_lists_no_change_tool() {
    let state = tempfile::tempdir().unwrap();
    let out = client("read-only", state.path(), &["--sandbox", "node-shop", "--read-only"]);
    let names: Vec<&str> = out["tools"].as_array().unwrap().iter().map(|t| t.as_str().unwrap()).collect();
    assert_eq!(names, READ_TOOLS.to_vec());
    assert_eq!(out["apply"]["is_error"], true);
    assert!(out["apply"]["text"].as_str().unwrap().contains("read-only"), "{}", out["apply"]);
    assert_eq!(out["discover"]["is_error"], false, "reads work");
    assert!(out["instructions"].as_str().unwrap().contains("read-only"));
}

/// The whole migration from a client: refused without a person, applied once a person typed
/// the digits and reasons, rolled back (approved again) to the account as it was; every call
/// in the audit log with the client's name.
#[test]
fn a_client_migrates_the_sandbox_only_with_a_person_s_approval() {
    let state = tempfile::tempdir().unwrap();
    let app = Path::new(env!("CARGO_MANIFEST_DIR")).join("assets/apps/node-shop");
    let env = [("FERRY_TEST_APP", app.to_str().unwrap())];
    let out = client_with("migrate", state.path(), &["--sandbox", "node-shop"], &env);
    assert_eq!(out["discover"]["is_error"], false);
    reviewed(&out);
    let plan = &out["create_plan"]["structured"];
    let id = plan["plan_id"].as_str().unwrap();
    assert!(plan["hash"].as_str().unwrap().starts_with(id));
    assert!(!plan["denies"].as_array().unwrap().is_empty(), "node-shop's plan has a deny to override");
    assert_eq!(out["create_plan"]["text"], serde_json::to_string(plan).unwrap(), "the same JSON as text");

    let refused = &out["apply_without_approval"];
    assert_eq!(refused["is_error"], true);
    let text = refused["text"].as_str().unwrap();
    assert!(
        text.contains(&format!("approval pending: ask the operator to run `ferry approve {id} --sandbox node-shop`")),
        "{text}"
    );
    assert_eq!(out["runs_after_refusal"], serde_json::json!([]), "nothing ran");

    assert_eq!(out["apply"]["is_error"], false, "{}", out["apply"]);
    assert!(
        out["apply"]["structured"]["approved_by"].as_str().unwrap().contains("elicitation in ferry-test-person 9.8.7")
    );
    let form = &out["forms"][0];
    assert!(form["message"].as_str().unwrap().contains(plan["hash"].as_str().unwrap()), "the form shows the hash");
    assert_eq!(form["fields"], serde_json::json!(["hash_digits", "reason_1"]));
    assert!(!out["progress"].as_array().unwrap().is_empty(), "progress was sent to the token");
    assert_eq!(out["applied_status"]["structured"]["status"], "APPLIED", "{}", out["applied_status"]);
    assert_eq!(out["rollback"]["is_error"], false, "{}", out["rollback"]);
    rollback_form_asks_the_run_id(&out["forms"][1], out["apply"]["structured"]["run_id"].as_str().unwrap());
    assert_eq!(out["rolled_back_status"]["structured"]["status"], "ROLLED-BACK");
    assert_eq!(out["inventory_after"], out["inventory_before"], "the account is as it was before");
    let account = std::fs::read_to_string(state.path().join("sandbox/node-shop.json")).unwrap_or_default();
    assert!(!account.contains("ferry-shop-api"), "nothing the run made is left");

    let again = &out["apply_again_without_approval"];
    assert!(again["text"].as_str().unwrap().contains("approval pending"), "an approval is used once: {again}");
    audited(&out["audit"]);
}

/// The rollback's form asks what `ferry approve --rollback` asks: the run's id typed back, not
/// the plan hash's digits, so a person approves the same thing whichever way they approve.
fn rollback_form_asks_the_run_id(form: &Value, run_id: &str) {
    assert_eq!(form["fields"], serde_json::json!(["run_id"]), "{form}");
    let message = form["message"].as_str().unwrap();
    assert!(message.starts_with(&format!("Roll back run {run_id}?")), "{message}");
    assert!(message.contains("type the run's id") && !message.contains("digits"), "{message}");
}

/// The plan shown, compared with the account now and with a patched plan; the app analysed.
fn reviewed(out: &Value) {
    assert_eq!(out["show"]["structured"]["hash"], out["create_plan"]["structured"]["hash"]);
    assert_eq!(out["diff_now"]["structured"]["same"], true, "nothing moved since: {}", out["diff_now"]);
    let patched = &out["diff_patched"]["structured"];
    assert_eq!(patched["same"], false);
    assert!(!patched["steps_changed"].as_array().unwrap().is_empty(), "{patched}");
    let diff = patched["artifacts_diff"].as_str().unwrap();
    assert!(diff.contains("+    \"cpu\": \"2048\","), "{diff}");
    assert_eq!(out["analyze"]["structured"]["profile"]["runtime"]["name"], "node", "{}", out["analyze"]);
}

/// Every tool call is a record with its client, and the chain verifies.
fn audited(audit: &Value) {
    assert_eq!(audit["verified"], true, "{}", audit["problems"]);
    let records = audit["records"].as_array().unwrap();
    let calls: Vec<(&str, &str)> = records
        .iter()
        .filter(|r| r["action"].as_str().unwrap().starts_with("mcp "))
        .map(|r| (r["action"].as_str().unwrap(), r["parameters"]["client"]["name"].as_str().unwrap()))
        .collect();
    for expected in [
        ("mcp discover_instance", "ferry-test-plain"),
        ("mcp create_plan", "ferry-test-plain"),
        ("mcp apply_plan", "ferry-test-plain"),
        ("mcp apply_plan", "ferry-test-person"),
        ("mcp run_status", "ferry-test-person"),
        ("mcp rollback_run", "ferry-test-person"),
    ] {
        assert!(calls.contains(&expected), "{expected:?} is audited: {calls:?}");
    }
    let refusal = records.iter().find(|r| r["action"] == "mcp apply_plan").unwrap();
    assert!(refusal["outcome"].as_str().unwrap().starts_with("refused: approval pending"), "{refusal}");
    for action in ["record approval", "take approval", "refuse approval", "start run", "finish rollback"] {
        assert!(records.iter().any(|r| r["action"] == action), "{action} is audited");
    }
}

/// A client without elicitation is told approval is pending and the command; a person runs
/// `ferry approve` in a terminal, answers it, and the same call then applies the plan.
#[test]
fn a_client_without_forms_waits_for_ferry_approve_in_a_terminal() {
    let state = tempfile::tempdir().unwrap();
    let sandbox = ["--sandbox", "node-shop"];
    let asked = client("pending", state.path(), &sandbox);
    let id = asked["plan_id"].as_str().unwrap();
    let command = format!("ferry approve {id} --sandbox node-shop");
    assert!(asked["apply"]["text"].as_str().unwrap().contains(&command), "{}", asked["apply"]);

    // A hand-made approval file in the approvals folder approves nothing.
    forge_approval(state.path(), asked["hash"].as_str().unwrap());
    let forged = client_with("apply-approved", state.path(), &sandbox, &[("FERRY_TEST_PLAN_ID", id)]);
    assert_eq!(forged["apply"]["is_error"], true);
    assert!(forged["apply"]["text"].as_str().unwrap().contains("not one ferry recorded"), "{}", forged["apply"]);

    let mut terminal = Terminal::start(&["approve", id, "--sandbox", "node-shop"], state.path());
    terminal.answer("type the first 12 hex digits", &asked["hash"].as_str().unwrap()[..12]);
    for _ in asked["denies"].as_array().unwrap() {
        terminal.answer("Why is it acceptable?", "narrowed after the move, ticket OPS-1234");
    }
    terminal.finish("approved: plan");

    // A pace the run can be watched at: run_status sends its lines as progress while it waits.
    let paced = ["--sandbox", "node-shop", "--latency-ms", "40"];
    let applied = client_with("apply-approved", state.path(), &paced, &[("FERRY_TEST_PLAN_ID", id)]);
    assert_eq!(applied["apply"]["is_error"], false, "{}", applied["apply"]);
    assert!(applied["apply"]["structured"]["approved_by"].as_str().unwrap().contains("ferry approve on a terminal"));
    assert_eq!(applied["status"]["structured"]["status"], "APPLIED");
    let progress = applied["progress"].as_array().unwrap();
    assert!(progress.iter().any(|line| line.as_str().unwrap().contains("done in")), "{progress:?}");
}

/// Writes an approval of the plan `hash` where ferry keeps it, as someone without the key
/// would: well formed, sealed with a made-up MAC.
fn forge_approval(state: &Path, hash: &str) {
    let subject = serde_json::json!({"kind": "plan", "hash": hash});
    let digest = ferry::digest::sha256_hex(ferry::digest::canonical_json(&subject).as_bytes());
    let approval = serde_json::json!({
        "approval": {
            "subject": subject, "overrides": [], "operator": "arn:aws:iam::111122223333:user/demo-operator",
            "approved_at": "2026-01-01T00:00:00Z", "expires_at": "2099-01-01T00:00:00Z", "via": "ferry approve on a terminal",
        },
        "nonce": "00112233445566778899aabbccddeeff",
        "mac": "0".repeat(64),
    });
    let dir = state.join("approvals");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join(format!("plan-{}.json", &digest[..32])), approval.to_string()).unwrap();
}

/// `ferry approve` in a pseudo-terminal, its output read as plain text.
struct Terminal {
    output: std::sync::Arc<std::sync::Mutex<String>>,
    writer: Box<dyn std::io::Write + Send>,
    child: Box<dyn portable_pty::Child + Send + Sync>,
}

impl Terminal {
    fn start(args: &[&str], state: &Path) -> Terminal {
        use portable_pty::{CommandBuilder, PtySize, native_pty_system};
        let pty =
            native_pty_system().openpty(PtySize { rows: 50, cols: 200, pixel_width: 0, pixel_height: 0 }).unwrap();
        let mut command = CommandBuilder::new(env!("CARGO_BIN_EXE_ferry"));
        command.args(args);
        command.env("FERRY_STATE_DIR", state);
        let child = pty.slave.spawn_command(command).unwrap();
        let mut reader = pty.master.try_clone_reader().unwrap();
        let writer = pty.master.take_writer().unwrap();
        let output = std::sync::Arc::new(std::sync::Mutex::new(String::new()));
        let feed = output.clone();
        std::thread::spawn(move || {
            let mut buf = [0u8; 4096];
            while let Ok(n) = std::io::Read::read(&mut reader, &mut buf) {
                if n == 0 {
                    break;
                }
                feed.lock().unwrap().push_str(&String::from_utf8_lossy(&buf[..n]));
            }
        });
        // The master stays open for the child's life: closing it hangs up the terminal.
        std::mem::forget(pty.master);
        Terminal { output, writer, child }
    }

    /// Waits for `needle` after what was already answered, then types `line`.
    fn answer(&mut self, needle: &str, line: &str) {
        self.wait_for(needle);
        self.output.lock().unwrap().clear();
        self.writer.write_all(format!("{line}\r").as_bytes()).unwrap();
        self.writer.flush().unwrap();
    }

    fn wait_for(&self, needle: &str) {
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
        while !self.output.lock().unwrap().contains(needle) {
            let seen = self.output.lock().unwrap().clone();
            assert!(std::time::Instant::now() < deadline, "never saw {needle:?}:\n{seen}");
            std::thread::sleep(std::time::Duration::from_millis(50));
        }
    }

    /// Waits for `needle` and for the command to end well.
    fn finish(&mut self, needle: &str) {
        self.wait_for(needle);
        let status = self.child.wait().unwrap();
        assert!(status.success(), "{}", self.output.lock().unwrap());
    }
}

/// `--read-only` on a live (moto) account: the tools read the account and make a plan, and a
/// recording proxy in front of moto sees only Describe, List and Get calls.
#[tokio::test]
async fn read_only_on_a_live_account_sends_only_reads() {
    let moto = support::moto::Moto::start();
    let config = support::estate::sdk_config(&moto.endpoint()).await;
    let size = support::estate::Size { extra_instances: 1, extra_roles: 1 };
    let estate = support::estate::seed(&config, size).await;
    let proxy = support::proxy::Proxy::start(moto.port).await;
    let (endpoint, instance) = (proxy.endpoint(), estate.app_instance.clone());
    let out = tokio::task::spawn_blocking(move || {
        let state = tempfile::tempdir().unwrap();
        let args = ["--read-only", "--endpoint-url", &endpoint, "--region", "us-east-1"];
        let env = [
            ("FERRY_TEST_INSTANCE", instance.as_str()),
            ("AWS_ACCESS_KEY_ID", "testing"),
            ("AWS_SECRET_ACCESS_KEY", "testing"),
            ("AWS_CONFIG_FILE", "/nonexistent"),
            ("AWS_SHARED_CREDENTIALS_FILE", "/nonexistent"),
            ("AWS_EC2_METADATA_DISABLED", "true"),
        ];
        client_with("read-live", state.path(), &args, &env)
    })
    .await
    .unwrap();
    assert_eq!(out["tools"].as_array().unwrap().len(), READ_TOOLS.len());
    for tool in ["list_instances", "discover_instance", "generate_artifacts", "create_plan", "inventory"] {
        assert_eq!(out[tool]["is_error"], false, "{tool}: {}", out[tool]["text"]);
    }
    assert!(!out["discover_instance"]["text"].as_str().unwrap().contains("Tr0ub4dor"), "secrets stay masked");
    let operations = proxy.operations();
    let reads = ["Describe", "List", "Get", "s3:GET"];
    assert!(!operations.is_empty());
    assert!(operations.iter().all(|op| reads.iter().any(|r| op.starts_with(r))), "{operations:?}");
}

/// A run that failed at a step (a sandbox fault) is continued by `resume_run` from a server
/// without the fault, approved again, and then rolled back.
#[test]
fn a_failed_run_is_resumed_then_rolled_back() {
    let state = tempfile::tempdir().unwrap();
    let failing = client("apply-failing", state.path(), &["--sandbox", "node-shop", "--fail-at", "6"]);
    assert_eq!(failing["status"]["structured"]["status"], "FAILED", "{}", failing["status"]);
    assert!(failing["status"]["structured"]["next"].as_array().unwrap().contains(&serde_json::json!("resume")));
    let (run_id, hash) = (failing["run_id"].as_str().unwrap(), failing["hash"].as_str().unwrap());
    let env = [("FERRY_TEST_RUN_ID", run_id), ("FERRY_TEST_HASH", hash)];
    let out = client_with("resume", state.path(), &["--sandbox", "node-shop"], &env);
    assert_eq!(out["resume"]["is_error"], false, "{}", out["resume"]);
    assert!(out["forms"][0]["message"].as_str().unwrap().starts_with("Resume plan"), "{}", out["forms"]);
    assert_eq!(out["status"]["structured"]["status"], "APPLIED", "{}", out["status"]);
    assert_eq!(out["after"]["structured"]["status"], "ROLLED-BACK", "{}", out["after"]);
}

/// A person who declines the form changes nothing, and the refusal is recorded.
#[test]
fn a_declined_approval_changes_nothing() {
    let state = tempfile::tempdir().unwrap();
    let out = client("decline", state.path(), &["--sandbox", "node-shop"]);
    assert_eq!(out["apply"]["is_error"], true);
    let text = out["apply"]["text"].as_str().unwrap();
    assert!(text.contains("declined") && text.contains("nothing changed"), "{text}");
    assert_eq!(out["runs"], serde_json::json!([]));
    assert_eq!(out["forms"].as_array().unwrap().len(), 1, "the person was asked once");
    let log = std::fs::read_to_string(state.path().join("audit.jsonl")).unwrap();
    assert!(log.contains("refuse approval") && log.contains("ferry-test-decliner"), "{log}");
    assert!(!log.contains("\"start run\""), "no run started");
}

/// `--terminal-approval-only` never shows the client's form: a client that could answer one is
/// told approval is pending, as one without forms is.
#[test]
fn terminal_approval_only_never_asks_the_client() {
    let state = tempfile::tempdir().unwrap();
    let out = client("decline", state.path(), &["--sandbox", "node-shop", "--terminal-approval-only"]);
    assert_eq!(out["forms"], serde_json::json!([]), "no form was shown");
    assert!(out["apply"]["text"].as_str().unwrap().contains("approval pending"), "{}", out["apply"]);
    assert_eq!(out["runs"], serde_json::json!([]));
}

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
    assert_eq!(listed["result"]["tools"].as_array().unwrap().len(), 14, "{listed}");
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

/// Two `apply_plan` calls for one plan at once ask the person once and start one run; the
/// other call is told an approval is already being asked for. The same for two `rollback_run`
/// calls for one run.
#[test]
fn two_calls_at_once_ask_the_person_once_and_start_one_run() {
    let state = tempfile::tempdir().unwrap();
    let out = client("twice", state.path(), &["--sandbox", "node-shop"]);
    assert_eq!(out["apply_forms"], 1, "the person was asked once to apply: {}", out["forms"]);
    assert_eq!(out["runs"].as_array().unwrap().len(), 1, "one run started: {}", out["runs"]);
    one_went_ahead(&out["applies"]);
    assert_eq!(out["applied"]["structured"]["status"], "APPLIED", "{}", out["applied"]);
    one_went_ahead(&out["rollbacks"]);
    assert_eq!(out["forms"].as_array().unwrap().len(), 2, "the person was asked once to roll back: {}", out["forms"]);
    assert_eq!(out["rolled_back"]["structured"]["status"], "ROLLED-BACK", "{}", out["rolled_back"]);
    let log = std::fs::read_to_string(state.path().join("audit.jsonl")).unwrap();
    assert_eq!(log.matches("\"record approval\"").count(), 2, "one approval each: {log}");
}

/// Of two answers, one went ahead and the other says another call is asking.
fn one_went_ahead(answers: &Value) {
    let answers = answers.as_array().unwrap();
    let refused: Vec<&Value> = answers.iter().filter(|a| a["is_error"] == true).collect();
    assert_eq!(refused.len(), 1, "{answers:?}");
    let text = refused[0]["text"].as_str().unwrap();
    assert!(text.contains("is already being asked for by another call"), "{text}");
}

/// A run whose journal cannot be written does not start; the approval it took is used up, and
/// the answer says plainly that a person must approve again, and how.
#[test]
fn an_approval_taken_by_a_run_that_could_not_start_must_be_given_again() {
    let state = tempfile::tempdir().unwrap();
    // A file where the runs folder goes: no journal can be made there.
    std::fs::write(state.path().join("runs"), "not a folder").unwrap();
    let out = client("apply-once", state.path(), &["--sandbox", "node-shop"]);
    assert_eq!(out["forms"].as_array().unwrap().len(), 1, "the person approved");
    assert_eq!(out["apply"]["is_error"], true, "{}", out["apply"]);
    let text = out["apply"]["text"].as_str().unwrap();
    assert!(text.contains("the run did not start, nothing changed in the account"), "{text}");
    assert!(text.contains("was used up by this attempt: a person must approve again"), "{text}");
    assert!(text.contains("ferry approve") && text.contains("--sandbox node-shop"), "{text}");
}
