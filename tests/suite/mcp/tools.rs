//! What tools/list publishes, and a read-only server that has no change tool and sends only reads.

use super::*;

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
    assert_eq!(tools.len(), 17);
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

/// `verify` probes an applied run's old entry and new endpoint (the sandbox's local servers)
/// from a read-only server, and refuses what it cannot probe.
#[test]
fn verify_reports_both_sides_of_an_applied_run() {
    let state = tempfile::tempdir().unwrap();
    let run_id = support::run_state::applied_run(state.path());
    let env = [("FERRY_TEST_RUN", run_id.as_str())];
    let out = client_with("verify", state.path(), &["--sandbox", "node-shop", "--read-only"], &env);
    let verify = &out["verify"];
    assert_eq!(verify["is_error"], false, "{verify}");
    let answer = &verify["structured"];
    assert_eq!(answer["ready"], true, "{answer}");
    assert_eq!(answer["headline"], "ready to move traffic");
    let paths = &answer["report"]["paths"];
    assert_eq!(paths[0]["path"], "/healthz");
    assert_eq!(paths[1]["path"], "/api/products");
    assert_eq!(paths[1]["new"]["statuses"]["200"], 3);
    assert_eq!(paths[1]["bodies_match"], true);
    assert_eq!(answer["report"]["service"]["status"], "ACTIVE");
    assert_eq!(out["too_many"]["is_error"], true);
    assert!(out["too_many"]["text"].as_str().unwrap().contains("requests: 500"), "{}", out["too_many"]);
    assert_eq!(out["unknown"]["is_error"], true);
}
