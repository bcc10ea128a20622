//! The real binary on a live (moto) account: `ferry discover` and `ferry inventory --json`
//! reach it with the AWS CLI's options and credentials from the environment.

use crate::support;

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

/// A read the account refuses: what was read is printed and the command succeeds, with a note
/// on stderr naming what was not and the permission it needs; when no kind of resource can be
/// read, the command fails instead of printing an empty inventory.
#[tokio::test]
async fn reads_the_account_refuses_are_named_and_nothing_read_fails() {
    use support::proxy::Fault;
    let moto = Moto::start();
    let config = estate::sdk_config(&moto.endpoint()).await;
    let estate = estate::seed(&config, Size { extra_instances: 0, extra_roles: 0 }).await;
    let proxy = Proxy::start(moto.port).await;
    let endpoint = proxy.endpoint();
    let run = |args: Vec<String>| {
        let endpoint = endpoint.clone();
        tokio::task::spawn_blocking(move || ferry(&endpoint, &args.iter().map(String::as_str).collect::<Vec<_>>()))
    };
    let text = |bytes: &[u8]| String::from_utf8_lossy(bytes).into_owned();

    proxy.fail("DescribeDBInstances", Fault::AccessDenied);
    let note = "note: part of the account could not be read:\n  databases: access denied: rds:DescribeDBInstances is not allowed";
    let output = run(vec!["inventory".into(), "--json".into()]).await.unwrap();
    assert!(output.status.success(), "{}", text(&output.stderr));
    assert!(text(&output.stderr).starts_with(note), "{}", text(&output.stderr));
    let inventory: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(inventory["databases"]["unseen"]["missing_action"], "rds:DescribeDBInstances");
    assert_eq!(inventory["instances"]["seen"].as_array().map(Vec::len), Some(1));

    let discover = vec!["discover".into(), "--instance".into(), estate.app_instance.clone(), "--json".into()];
    let output = run(discover.clone()).await.unwrap();
    assert!(output.status.success(), "{}", text(&output.stderr));
    let err = text(&output.stderr);
    assert!(err.starts_with("note: part of the account could not be read:\n"), "{err}");
    assert!(err.contains("RDS instances: access denied: rds:DescribeDBInstances is not allowed"), "{err}");

    // Without the instance itself there is nothing to discover.
    proxy.fail("DescribeInstances", Fault::AccessDenied);
    let output = run(discover).await.unwrap();
    assert_eq!(output.status.code(), Some(1));
    assert!(text(&output.stderr).starts_with("ferry: cannot read instance"), "{}", text(&output.stderr));
    assert!(output.stdout.is_empty());

    for operation in [
        "DescribeLoadBalancers",
        "DescribeTargetGroups",
        "DescribeSecurityGroups",
        "ListRoles",
        "DescribeDBClusters",
        "DescribeCacheClusters",
        "DescribeReplicationGroups",
        "s3:GET /",
        "DescribeVpcs",
        "DescribeSubnets",
    ] {
        proxy.fail(operation, Fault::AccessDenied);
    }
    let output = run(vec!["inventory".into(), "--json".into()]).await.unwrap();
    let err = text(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{err}");
    assert!(output.stdout.is_empty(), "no inventory of nothing on stdout");
    assert!(err.starts_with("ferry: nothing in the account could be read:\n"), "{err}");
    assert!(err.contains("\n  instances: access denied: ec2:DescribeInstances is not allowed"), "{err}");
    assert!(err.contains("\n  subnets: access denied: ec2:DescribeSubnets is not allowed"), "{err}");
    assert_eq!(err.lines().count(), 11, "one line per kind: {err}");
}

#[test]
fn an_unreachable_account_reads_nothing_and_fails() {
    let output = ferry("http://127.0.0.1:9", &["inventory", "--json"]);
    let err = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{err}");
    assert!(output.stdout.is_empty());
    assert!(
        err.starts_with("ferry: nothing in the account could be read:\n  the account's identity: cannot reach AWS"),
        "{err}"
    );
    assert!(!err.contains("\\n"), "lines, not escaped line breaks: {err}");
}

/// The credentials `ferry` reads from the environment for moto.
const MOTO_ENV: [(&str, &str); 5] = [
    ("AWS_ACCESS_KEY_ID", "testing"),
    ("AWS_SECRET_ACCESS_KEY", "testing"),
    ("AWS_CONFIG_FILE", "/nonexistent"),
    ("AWS_SHARED_CREDENTIALS_FILE", "/nonexistent"),
    ("AWS_EC2_METADATA_DISABLED", "true"),
];

// Several threads: the pseudo-terminal is read by blocking waits while the proxy serves.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_live_source_list_says_what_each_instance_runs_and_when_it_cannot_be_read() {
    let moto = Moto::start();
    let config = estate::sdk_config(&moto.endpoint()).await;
    let estate = estate::seed(&config, Size { extra_instances: 2, extra_roles: 0 }).await;
    let listed = aws_sdk_ec2::Client::new(&config).describe_instances().send().await.unwrap();
    let listed: usize = listed.reservations().iter().map(|r| r.instances().len()).sum();
    let proxy = Proxy::start(moto.port).await;
    let endpoint = proxy.endpoint();
    let state = tempfile::tempdir().unwrap();

    let args = ["--endpoint-url", endpoint.as_str(), "--region", "us-east-1"];
    let session = support::pty::Session::start_with(&args, state.path(), &MOTO_ENV);
    session.wait_for(&estate.app_instance);
    // The list is drawn first; the user data of each instance is read after it, one call each.
    session.wait_for("node 20");
    session.wait_for("runs     node 20 · node server.js");
    let reads = proxy.operations().iter().filter(|op| op.starts_with("DescribeInstanceAttribute")).count();
    assert_eq!(reads, listed, "one read per listed instance: {:?}", proxy.operations());
    drop(session);

    // Refused: the column says so, and the details name the permission.
    proxy.clear();
    proxy.fail("DescribeInstanceAttribute", support::proxy::Fault::AccessDenied);
    let session = support::pty::Session::start_with(&args, state.path(), &MOTO_ENV);
    session.wait_for("refused");
    session.wait_for("ec2:DescribeInstanceAttribute)");
    let reads = proxy.operations().iter().filter(|op| op.starts_with("DescribeInstanceAttribute")).count();
    assert!(reads <= listed, "never more than one read an instance: {reads} reads of {listed}");
}
