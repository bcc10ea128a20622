//! The real binary on a live (moto) account: `ferry discover` and `ferry inventory --json`
//! reach it with the AWS CLI's options and credentials from the environment.

mod support;

use std::process::{Command, Output};

use support::estate::{self, Size};
use support::moto::Moto;
use support::proxy::Proxy;

fn ferry(endpoint: &str, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_ferry"))
        .args(args)
        .args(["--endpoint-url", endpoint, "--region", "us-east-1"])
        .env("AWS_ACCESS_KEY_ID", "testing")
        .env("AWS_SECRET_ACCESS_KEY", "testing")
        .env_remove("AWS_PROFILE")
        .env("AWS_CONFIG_FILE", "/nonexistent")
        .env("AWS_SHARED_CREDENTIALS_FILE", "/nonexistent")
        .env("AWS_EC2_METADATA_DISABLED", "true")
        .output()
        .expect("ferry runs")
}

#[tokio::test]
async fn discover_and_inventory_work_live_and_only_read() {
    let moto = Moto::start();
    let config = estate::sdk_config(&moto.endpoint()).await;
    let estate = estate::seed(&config, Size { extra_instances: 2, extra_roles: 2 }).await;
    let proxy = Proxy::start(moto.port).await;
    let endpoint = proxy.endpoint();

    let output = tokio::task::spawn_blocking({
        let (endpoint, id) = (endpoint.clone(), estate.app_instance.clone());
        move || ferry(&endpoint, &["discover", "--instance", &id, "--json"])
    })
    .await
    .unwrap();
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let graph: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(graph["routes"][0]["load_balancer"]["name"], "shop-alb");
    assert_eq!(graph["role"]["role"]["name"], "shop-ec2-role");
    assert!(!String::from_utf8_lossy(&output.stdout).contains("Tr0ub4dor"));

    proxy.clear();
    let output = tokio::task::spawn_blocking({
        let endpoint = endpoint.clone();
        move || ferry(&endpoint, &["inventory", "--json"])
    })
    .await
    .unwrap();
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let inventory: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(inventory["account"]["account_id"], estate::ACCOUNT);
    assert_eq!(inventory["instances"]["seen"].as_array().map(Vec::len), Some(3));
    let operations = proxy.operations();
    let reads = ["Describe", "List", "Get", "s3:GET"];
    assert!(!operations.is_empty());
    assert!(operations.iter().all(|op| reads.iter().any(|r| op.starts_with(r))), "{operations:?}");
}

#[test]
fn a_live_discover_without_an_instance_says_what_to_give() {
    let output = Command::new(env!("CARGO_BIN_EXE_ferry"))
        .args(["discover", "--endpoint-url", "http://127.0.0.1:9", "--region", "us-east-1"])
        .env("AWS_ACCESS_KEY_ID", "testing")
        .env("AWS_SECRET_ACCESS_KEY", "testing")
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&output.stderr).contains("--instance ID is required on a live account"));
}

#[test]
fn an_unreachable_endpoint_is_reported_clearly() {
    let output = Command::new(env!("CARGO_BIN_EXE_ferry"))
        .args(["discover", "--instance", "i-1", "--endpoint-url", "http://127.0.0.1:9", "--region", "us-east-1"])
        .env("AWS_ACCESS_KEY_ID", "testing")
        .env("AWS_SECRET_ACCESS_KEY", "testing")
        .env("AWS_EC2_METADATA_DISABLED", "true")
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&output.stderr);
    assert!(!output.status.success());
    assert!(err.contains("cannot reach AWS for"), "{err}");
    assert!(!err.contains("panicked"));
}
