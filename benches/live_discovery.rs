//! Discovery speed on a large estate, measured against the tools people use today.
//!
//! Seeds moto with 1,000 instances, 50 load balancers (each with a listener and a target
//! group of 10 instances), 200 roles and 50 databases, then times `ferry discover --json` for
//! one instance and `ferry inventory --json` for everything, with the number of API calls,
//! beside two peers making the equivalent calls in sequence: the AWS CLI, one command after
//! another, and one boto3 process. Then again through a proxy that delays every request by
//! 50 ms, as real AWS answers in tens of milliseconds.
//!
//! Run with `cargo bench --bench live_discovery`. It installs the AWS CLI and boto3 into a
//! virtual environment under `target/` on first use.

#[path = "../tests/support/mod.rs"]
mod support;

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use aws_sdk_elasticloadbalancingv2::types as elb;
use serde_json::{Value, json};
use support::estate::{self, Estate, Size};
use support::moto::Moto;
use support::proxy::Proxy;

const RUNS: usize = 3;

fn main() {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    runtime.block_on(run());
}

async fn run() {
    let moto = Moto::start();
    let config = estate::sdk_config(&moto.endpoint()).await;
    let started = Instant::now();
    let estate = estate::seed(&config, Size { extra_instances: 0, extra_roles: 0 }).await;
    let app_lb = seed_large(&config, &estate).await;
    println!("seeded 1,000 instances, 50 load balancers, 200 roles, 50 databases in {:.1?}", started.elapsed());

    let proxy = Proxy::start(moto.port).await;
    let peers = peers_venv();
    let discover_calls = discover_calls(&config, &estate, &app_lb).await;
    let inventory_calls = inventory_calls();
    let workdir = tempfile::tempdir().unwrap();

    println!("\n{:<46} {:>10} {:>10}", "workload (no added latency)", "seconds", "requests");
    let discover_args = ["discover", "--instance", estate.app_instance.as_str(), "--json"];
    let (ferry_discover, ferry_discover_calls) = time_ferry(&proxy, &discover_args);
    row("ferry discover --json (one instance)", ferry_discover, ferry_discover_calls);
    let (ferry_inventory, ferry_inventory_calls) = time_ferry(&proxy, &["inventory", "--json"]);
    row("ferry inventory --json (whole account)", ferry_inventory, ferry_inventory_calls);

    let (boto_discover, boto_discover_calls) = time_boto3(&peers, &proxy, &discover_calls, workdir.path());
    row("boto3, one process, in sequence: discover", boto_discover, boto_discover_calls);
    let (boto_inventory, boto_inventory_calls) = time_boto3(&peers, &proxy, &inventory_calls, workdir.path());
    row("boto3, one process, in sequence: inventory", boto_inventory, boto_inventory_calls);
    let (cli_discover, cli_discover_calls) = time_cli(&peers, &proxy, &discover_calls);
    row("AWS CLI, one command after another: discover", cli_discover, cli_discover_calls);
    let (cli_inventory, cli_inventory_calls) = time_cli(&peers, &proxy, &inventory_calls);
    row("AWS CLI, one command after another: inventory", cli_inventory, cli_inventory_calls);

    proxy.set_delay(Duration::from_millis(50));
    println!("\n{:<46} {:>10} {:>10}", "workload (every request delayed 50 ms)", "seconds", "requests");
    let (slow_ferry, slow_ferry_calls) = time_ferry(&proxy, &discover_args);
    row("ferry discover --json (one instance)", slow_ferry, slow_ferry_calls);
    let (slow_inventory, slow_inventory_calls) = time_ferry(&proxy, &["inventory", "--json"]);
    row("ferry inventory --json (whole account)", slow_inventory, slow_inventory_calls);
    let (slow_boto, slow_boto_calls) = time_boto3(&peers, &proxy, &discover_calls, workdir.path());
    row("boto3, one process, in sequence: discover", slow_boto, slow_boto_calls);
    let (slow_boto_inventory, slow_boto_inventory_calls) = time_boto3(&peers, &proxy, &inventory_calls, workdir.path());
    row("boto3, one process, in sequence: inventory", slow_boto_inventory, slow_boto_inventory_calls);

    println!("\ntargets");
    verdict("ferry discover ≥ 20x faster than the AWS CLI", cli_discover / ferry_discover, 20.0);
    verdict("ferry discover no slower than boto3", boto_discover / ferry_discover, 1.0);
    verdict("ferry inventory no slower than boto3", boto_inventory / ferry_inventory, 1.0);
    verdict("50 ms latency: ferry discover ≥ 5x faster than boto3", slow_boto / slow_ferry, 5.0);
    verdict("50 ms latency: ferry inventory vs boto3", slow_boto_inventory / slow_inventory, 1.0);
}

fn row(name: &str, seconds: f64, requests: usize) {
    println!("{name:<46} {seconds:>10.3} {requests:>10}");
}

fn verdict(name: &str, ratio: f64, needed: f64) {
    let mark = if ratio >= needed { "met" } else { "MISSED" };
    println!("  {name}: {ratio:.1}x ({mark})");
}

/// Median wall time of the real binary over a few runs, and the requests one run sends.
fn time_ferry(proxy: &Proxy, args: &[&str]) -> (f64, usize) {
    let mut times = Vec::new();
    let mut requests = 0;
    for _ in 0..RUNS {
        proxy.clear();
        let started = Instant::now();
        let output = Command::new(env!("CARGO_BIN_EXE_ferry"))
            .args(args)
            .args(["--endpoint-url", &proxy.endpoint(), "--region", "us-east-1"])
            .envs(test_credentials())
            .stdout(Stdio::null())
            .output()
            .expect("ferry runs");
        times.push(started.elapsed().as_secs_f64());
        assert!(output.status.success(), "ferry {args:?}: {}", String::from_utf8_lossy(&output.stderr));
        requests = proxy.operations().len();
    }
    (median(times), requests)
}

fn time_boto3(peers: &Path, proxy: &Proxy, calls: &[Value], dir: &Path) -> (f64, usize) {
    let file = dir.join("calls.json");
    std::fs::write(&file, serde_json::to_vec(calls).unwrap()).unwrap();
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("benches/peers/peer_calls.py");
    let mut times = Vec::new();
    let mut requests = 0;
    for _ in 0..RUNS {
        proxy.clear();
        let started = Instant::now();
        let output = Command::new(peers.join("bin/python"))
            .arg(&script)
            .arg(proxy.endpoint())
            .arg(&file)
            .output()
            .expect("python runs");
        // Process start and imports count, as they do for ferry.
        times.push(started.elapsed().as_secs_f64());
        assert!(output.status.success(), "boto3 peer: {}", String::from_utf8_lossy(&output.stderr));
        requests = proxy.operations().len();
    }
    (median(times), requests)
}

/// The AWS CLI as a person or a shell script uses it: one command per call, pages followed.
fn time_cli(peers: &Path, proxy: &Proxy, calls: &[Value]) -> (f64, usize) {
    proxy.clear();
    let started = Instant::now();
    for call in calls {
        let service = match call["service"].as_str().unwrap() {
            "s3" => "s3api",
            other => other,
        };
        let operation = call["operation"].as_str().unwrap().replace('_', "-");
        let output = Command::new(peers.join("bin/aws"))
            .args([service, &operation, "--cli-input-json", &call["params"].to_string()])
            .args(["--endpoint-url", &proxy.endpoint(), "--region", "us-east-1", "--output", "json"])
            .envs(test_credentials())
            .stdout(Stdio::null())
            .output()
            .expect("aws runs");
        assert!(output.status.success(), "aws {service} {operation}: {}", String::from_utf8_lossy(&output.stderr));
    }
    (started.elapsed().as_secs_f64(), proxy.operations().len())
}

fn median(mut values: Vec<f64>) -> f64 {
    values.sort_by(|a, b| a.total_cmp(b));
    values[values.len() / 2]
}

fn test_credentials() -> Vec<(&'static str, &'static str)> {
    vec![
        ("AWS_ACCESS_KEY_ID", "testing"),
        ("AWS_SECRET_ACCESS_KEY", "testing"),
        ("AWS_DEFAULT_REGION", "us-east-1"),
        ("AWS_EC2_METADATA_DISABLED", "true"),
        ("AWS_CONFIG_FILE", "/nonexistent"),
        ("AWS_SHARED_CREDENTIALS_FILE", "/nonexistent"),
        ("AWS_MAX_ATTEMPTS", "1"),
    ]
}

/// The AWS CLI (v1, from PyPI) and boto3 in a virtual environment of their own.
fn peers_venv() -> PathBuf {
    let venv = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/bench-peers");
    if !venv.join("bin/aws").is_file() {
        let status = Command::new("python3").args(["-m", "venv"]).arg(&venv).status().expect("python3 runs");
        assert!(status.success(), "python3 -m venv failed");
        let status =
            Command::new(venv.join("bin/pip")).args(["install", "--quiet", "awscli", "boto3"]).status().unwrap();
        assert!(status.success(), "pip could not install awscli and boto3");
    }
    venv
}

/// The rest of the large estate, made concurrently: 999 instances, 49 more load balancers
/// each with a listener and a target group of 10 instances, 199 roles, 49 databases.
/// Returns the app's load balancer ARN.
async fn seed_large(config: &aws_config::SdkConfig, estate: &Estate) -> String {
    let ec2c = aws_sdk_ec2::Client::new(config);
    let elbc = aws_sdk_elasticloadbalancingv2::Client::new(config);
    let iam = aws_sdk_iam::Client::new(config);
    let rds = aws_sdk_rds::Client::new(config);

    let (private, public) = estate_subnets(&ec2c, &estate.vpc).await;
    let instances = launch_instances(&ec2c, &private).await;
    tokio::join!(seed_balancers(&elbc, &estate.vpc, &public, &instances), seed_roles(&iam), seed_databases(&rds));

    let lbs = elbc.describe_load_balancers().names("shop-alb").send().await.unwrap();
    lbs.load_balancers()[0].load_balancer_arn().unwrap().to_string()
}

/// The estate VPC's subnet ids: the private ones (`/20`), then the public ones (`/24`).
async fn estate_subnets(ec2c: &aws_sdk_ec2::Client, vpc: &str) -> (Vec<String>, Vec<String>) {
    let subnets = ec2c.describe_subnets().send().await.unwrap();
    let in_vpc: Vec<(String, String)> = subnets
        .subnets()
        .iter()
        .filter(|s| s.vpc_id() == Some(vpc))
        .map(|s| (s.subnet_id().unwrap().to_string(), s.cidr_block().unwrap().to_string()))
        .collect();
    let private = in_vpc.iter().filter(|(_, c)| c.ends_with("/20")).map(|(id, _)| id.clone()).collect();
    let public = in_vpc.iter().filter(|(_, c)| c.ends_with("/24")).map(|(id, _)| id.clone()).collect();
    (private, public)
}

/// 999 instances in ten launches, spread over the private subnets; their ids.
async fn launch_instances(ec2c: &aws_sdk_ec2::Client, private: &[String]) -> Vec<String> {
    use aws_sdk_ec2::types as ec2;
    let mut instances = Vec::new();
    for batch in 0..10 {
        let count = if batch == 9 { 99 } else { 100 };
        let out = ec2c
            .run_instances()
            .image_id("ami-760aaa0f")
            .instance_type(ec2::InstanceType::T3Micro)
            .min_count(count)
            .max_count(count)
            .subnet_id(&private[batch % private.len()])
            .send()
            .await
            .unwrap();
        instances.extend(out.instances().iter().filter_map(|i| i.instance_id().map(str::to_string)));
    }
    instances
}

/// 49 load balancers, concurrently, each forwarding HTTP:80 to a target group of the
/// next 10 instances.
async fn seed_balancers(
    elbc: &aws_sdk_elasticloadbalancingv2::Client,
    vpc: &str,
    public: &[String],
    instances: &[String],
) {
    futures::future::join_all((1..50).map(|n| {
        let (elbc, vpc, public, members) =
            (elbc.clone(), vpc.to_string(), public.to_vec(), instances[n * 10..n * 10 + 10].to_vec());
        async move {
            let lb = elbc
                .create_load_balancer()
                .name(format!("lb-{n:02}"))
                .set_subnets(Some(public.iter().map(|s| s.to_string()).collect()))
                .send()
                .await
                .unwrap();
            let lb_arn = lb.load_balancers()[0].load_balancer_arn().unwrap().to_string();
            let tg = elbc
                .create_target_group()
                .name(format!("tg-{n:02}"))
                .protocol(elb::ProtocolEnum::Http)
                .port(8080)
                .vpc_id(vpc)
                .target_type(elb::TargetTypeEnum::Instance)
                .send()
                .await
                .unwrap();
            let tg_arn = tg.target_groups()[0].target_group_arn().unwrap().to_string();
            let targets =
                members.iter().map(|id| elb::TargetDescription::builder().id(id).port(8080).build()).collect();
            elbc.register_targets().target_group_arn(&tg_arn).set_targets(Some(targets)).send().await.unwrap();
            elbc.create_listener()
                .load_balancer_arn(&lb_arn)
                .protocol(elb::ProtocolEnum::Http)
                .port(80)
                .default_actions(
                    elb::Action::builder().r#type(elb::ActionTypeEnum::Forward).target_group_arn(&tg_arn).build(),
                )
                .send()
                .await
                .unwrap();
        }
    }))
    .await;
}

/// 199 roles EC2 may assume, concurrently.
async fn seed_roles(iam: &aws_sdk_iam::Client) {
    let trust = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}]}"#;
    futures::future::join_all((1..200).map(|n| {
        let iam = iam.clone();
        async move {
            iam.create_role()
                .role_name(format!("team-role-{n:03}"))
                .assume_role_policy_document(trust)
                .send()
                .await
                .unwrap();
        }
    }))
    .await;
}

/// 49 PostgreSQL instances, concurrently.
async fn seed_databases(rds: &aws_sdk_rds::Client) {
    futures::future::join_all((1..50).map(|n| {
        let rds = rds.clone();
        async move {
            rds.create_db_instance()
                .db_instance_identifier(format!("db-{n:02}"))
                .engine("postgres")
                .db_instance_class("db.t3.micro")
                .allocated_storage(20)
                .master_username("admin")
                .master_user_password("not-a-secret-0")
                .send()
                .await
                .unwrap();
        }
    }))
    .await;
}

/// What `ferry discover` reads for one instance, as separate calls.
async fn discover_calls(config: &aws_config::SdkConfig, estate: &Estate, app_lb: &str) -> Vec<Value> {
    let elbc = aws_sdk_elasticloadbalancingv2::Client::new(config);
    let groups = elbc.describe_target_groups().into_paginator().items().send().try_collect().await.unwrap();
    let listeners = elbc.describe_listeners().load_balancer_arn(app_lb).send().await.unwrap();
    let listener = listeners.listeners()[0].listener_arn().unwrap().to_string();
    let managed = "arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore";
    let mut calls = vec![
        json!({"service": "sts", "operation": "get_caller_identity", "params": {}}),
        json!({"service": "ec2", "operation": "describe_instances", "params": {"InstanceIds": [estate.app_instance]}}),
        json!({"service": "ec2", "operation": "describe_instance_attribute", "params": {"InstanceId": estate.app_instance, "Attribute": "userData"}}),
        json!({"service": "ec2", "operation": "describe_vpcs", "params": {}}),
        json!({"service": "ec2", "operation": "describe_subnets", "params": {}}),
        json!({"service": "ec2", "operation": "describe_route_tables", "params": {}}),
        json!({"service": "ec2", "operation": "describe_security_groups", "params": {}}),
        json!({"service": "elbv2", "operation": "describe_target_groups", "params": {}}),
        json!({"service": "elbv2", "operation": "describe_load_balancers", "params": {}}),
    ];
    for group in groups.iter().filter(|g| g.vpc_id() == Some(&estate.vpc)) {
        calls.push(json!({"service": "elbv2", "operation": "describe_target_health", "params": {"TargetGroupArn": group.target_group_arn()}}));
    }
    calls.extend([
        json!({"service": "elbv2", "operation": "describe_listeners", "params": {"LoadBalancerArn": app_lb}}),
        json!({"service": "elbv2", "operation": "describe_rules", "params": {"ListenerArn": listener}}),
        json!({"service": "iam", "operation": "get_instance_profile", "params": {"InstanceProfileName": "shop-ec2-profile"}}),
        json!({"service": "iam", "operation": "get_role", "params": {"RoleName": "shop-ec2-role"}}),
        json!({"service": "iam", "operation": "list_attached_role_policies", "params": {"RoleName": "shop-ec2-role"}}),
        json!({"service": "iam", "operation": "list_role_policies", "params": {"RoleName": "shop-ec2-role"}}),
        json!({"service": "iam", "operation": "get_role_policy", "params": {"RoleName": "shop-ec2-role", "PolicyName": "shop-s3-access"}}),
        json!({"service": "iam", "operation": "get_policy", "params": {"PolicyArn": managed}}),
        json!({"service": "iam", "operation": "get_policy_version", "params": {"PolicyArn": managed, "VersionId": "v2"}}),
        json!({"service": "rds", "operation": "describe_db_instances", "params": {}}),
        json!({"service": "rds", "operation": "describe_db_clusters", "params": {}}),
        json!({"service": "elasticache", "operation": "describe_cache_clusters", "params": {"ShowCacheNodeInfo": true}}),
        json!({"service": "elasticache", "operation": "describe_replication_groups", "params": {}}),
        json!({"service": "s3", "operation": "list_buckets", "params": {}}),
    ]);
    calls
}

/// What `ferry inventory --json` reads, as separate calls.
fn inventory_calls() -> Vec<Value> {
    [
        ("sts", "get_caller_identity"),
        ("ec2", "describe_instances"),
        ("elbv2", "describe_load_balancers"),
        ("elbv2", "describe_target_groups"),
        ("ec2", "describe_security_groups"),
        ("iam", "list_roles"),
        ("rds", "describe_db_instances"),
        ("rds", "describe_db_clusters"),
        ("elasticache", "describe_cache_clusters"),
        ("elasticache", "describe_replication_groups"),
        ("s3", "list_buckets"),
        ("ec2", "describe_vpcs"),
        ("ec2", "describe_subnets"),
        ("ec2", "describe_route_tables"),
    ]
    .into_iter()
    .map(|(service, operation)| json!({"service": service, "operation": operation, "params": {}}))
    .collect()
}
