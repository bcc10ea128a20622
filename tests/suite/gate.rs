//! Health gates end to end: load balancer metrics put into a real moto server with the SDK, read
//! back through ferry's AWS backend and judged; and the sandbox's scenario-defined metrics, one
//! healthy and one failing.
//!
//! moto computes no percentiles (a `p95` query makes it fail), so a small proxy in front of it
//! asks for `Maximum` wherever ferry asks for `p95`, and records that ferry asked for `p95`. The
//! latency points put here make the two agree: the p95 the test expects is their maximum.

use crate::support;

use ferry::cloud::ReadCloud;
use ferry::cloud::aws::{AwsCloud, AwsOptions, connect};
use ferry::cloud::sandbox::{Sandbox, SandboxOptions, Scenario};
use ferry_engine::gate::{Figure, LoadBalancerMetrics, Thresholds, Window, judge};
use support::cloudwatch::{Minute, minute, p95_proxy, put};
use support::estate;
use support::moto::Moto;

const ACCOUNT: &str = "123456789012";

fn alb(name: &str) -> String {
    format!("arn:aws:elasticloadbalancing:us-east-1:{ACCOUNT}:loadbalancer/app/{name}/50dc6c495c0c9188")
}

fn target_group(name: &str) -> String {
    format!("arn:aws:elasticloadbalancing:us-east-1:{ACCOUNT}:targetgroup/{name}/73e2d6bc24d8a067")
}

async fn ferry_client(endpoint: &str) -> AwsCloud {
    let config = estate::sdk_config(endpoint).await;
    let options = AwsOptions {
        region: Some("us-east-1".into()),
        endpoint_url: Some(endpoint.to_string()),
        credentials: config.credentials_provider(),
        max_attempts: Some(1),
        ..AwsOptions::default()
    };
    connect(&options).await.expect("connects")
}

#[tokio::test]
async fn gates_judge_cloudwatch_figures_read_through_moto() {
    let moto = Moto::start();
    let config = estate::sdk_config(&moto.endpoint()).await;
    let cloudwatch = aws_sdk_cloudwatch::Client::new(&config);
    let dim = |arn: &str| arn.split_once("loadbalancer/").unwrap().1.to_string();
    let group = |arn: &str| arn.split_once(":targetgroup/").map(|(_, g)| format!("targetgroup/{g}")).unwrap();
    let (old, healthy, failing, quiet) = (alb("old"), alb("healthy"), alb("failing"), alb("quiet"));
    let tg = |name| target_group(name);
    put(&cloudwatch, &dim(&old), &group(&tg("old-tg")), &[minute(500.0, 1.0, 0.2), minute(500.0, 1.0, 0.18)]).await;
    let new_side = [
        minute(400.0, 1.0, 0.12),
        Minute { elb_5xx: 1.0, ..minute(300.0, 1.0, 0.25) },
        Minute { healthy: 3.0, ..minute(300.0, 0.0, 0.1) },
    ];
    put(&cloudwatch, &dim(&healthy), &group(&tg("healthy-tg")), &new_side).await;
    let broken = [minute(500.0, 20.0, 0.2), Minute { elb_5xx: 12.0, ..minute(500.0, 10.0, 0.2) }];
    put(&cloudwatch, &dim(&failing), &group(&tg("failing-tg")), &broken).await;
    put(&cloudwatch, &dim(&quiet), &group(&tg("quiet-tg")), &[minute(7.0, 0.0, 0.1), minute(5.0, 0.0, 0.1)]).await;

    let (endpoint, seen) = p95_proxy(moto.port).await;
    let cloud = ferry_client(&endpoint).await;
    let window = Window::default();
    let read = |arn: String, group: String| {
        let cloud = cloud.clone();
        async move { cloud.load_balancer_metrics(&arn, Some(&group), window).await.expect("metrics read") }
    };
    let old_figures = read(old.clone(), tg("old-tg")).await;
    assert_eq!((old_figures.requests, old_figures.target_5xx), (1000, 2));

    // A passing window: 1000 requests, 3 of them 5xx, p95 0.25 s, never fewer than 2 healthy hosts.
    let new_figures = read(healthy, tg("healthy-tg")).await;
    let expected = LoadBalancerMetrics {
        window,
        requests: 1000,
        target_5xx: 2,
        elb_5xx: 1,
        p95_seconds: Some(0.25),
        healthy_hosts: Some(2),
        unhealthy_hosts: Some(0),
    };
    assert_eq!(new_figures, expected);
    let verdict = judge(&new_figures, &old_figures, &Thresholds::default());
    assert!(verdict.passed(), "{}", verdict.summary());

    // A window failing on 5xx: 42 of 1000.
    let figures = read(failing, tg("failing-tg")).await;
    let verdict = judge(&figures, &old_figures, &Thresholds::default());
    assert_eq!(verdict.failures.len(), 1, "{}", verdict.summary());
    assert_eq!(verdict.failures[0].figure, Figure::ErrorRate);
    assert_eq!(
        verdict.failures[0].message,
        "5xx rate 4.2% on the new load balancer is over the 1.0% limit by 3.2 points (old: 0.2%)"
    );

    // Too few requests to judge.
    let figures = read(quiet, tg("quiet-tg")).await;
    let verdict = judge(&figures, &old_figures, &Thresholds::default());
    assert_eq!(verdict.failures.len(), 1, "{}", verdict.summary());
    assert_eq!(verdict.failures[0].figure, Figure::Traffic);
    assert!(
        verdict.failures[0].message.starts_with("not enough traffic to judge: 12 requests"),
        "{}",
        verdict.summary()
    );

    // What ferry asked: the ALB namespace and dimensions, p95 over one period the window long.
    let bodies = seen.lock().unwrap().clone();
    let asked = bodies.iter().find(|b| b.contains("Action=GetMetricData")).expect("a GetMetricData call");
    for part in
        ["Stat=p95", "Period=300", "Value=app%2Fhealthy%2F", "Value=targetgroup%2Fhealthy-tg%2F", "HealthyHostCount"]
    {
        assert!(bodies.iter().any(|b| b.contains(part)), "{part} in {asked}");
    }
}

#[tokio::test]
async fn missing_data_points_are_no_traffic_not_an_error() {
    let moto = Moto::start();
    let (endpoint, _) = p95_proxy(moto.port).await;
    let cloud = ferry_client(&endpoint).await;
    let figures = cloud.load_balancer_metrics(&alb("idle"), Some(&target_group("idle-tg")), Window::default()).await;
    let figures = figures.expect("no data is no error");
    assert_eq!(figures, LoadBalancerMetrics { window: Window::default(), ..LoadBalancerMetrics::default() });
    let verdict = judge(&figures, &figures, &Thresholds::default());
    let failed: Vec<Figure> = verdict.failures.iter().map(|f| f.figure).collect();
    assert_eq!(failed, [Figure::Traffic, Figure::HealthyHosts], "{}", verdict.summary());
    // Without a target group there are no host figures to ask for.
    let figures = cloud.load_balancer_metrics(&alb("idle"), None, Window::minutes(1)).await.unwrap();
    assert_eq!((figures.healthy_hosts, figures.window), (None, Window::minutes(1)));

    let wrong = cloud.load_balancer_metrics(&target_group("x"), None, Window::default()).await.unwrap_err();
    assert!(wrong.to_string().contains("is not an application load balancer's ARN"), "{wrong}");
    let wrong = cloud.load_balancer_metrics(&alb("x"), Some("tg"), Window::default()).await.unwrap_err();
    assert!(wrong.to_string().contains("tg is not a target group's ARN"), "{wrong}");
    let wrong = cloud.load_balancer_metrics(&alb("x"), None, Window::minutes(0)).await.unwrap_err();
    assert!(wrong.to_string().contains("1 to 1440 minutes"), "{wrong}");
}

const NODE_SHOP: &str = include_str!("../../assets/scenarios/node-shop.toml");
const EXPRESS_ALB: &str =
    "arn:aws:elasticloadbalancing:us-east-1:111122223333:loadbalancer/app/ecs-express-default/0123456789abcdef";
const EXPRESS_TG: &str =
    "arn:aws:elasticloadbalancing:us-east-1:111122223333:targetgroup/ecs-express-tg/0123456789abcdef";

async fn sandbox_gate(text: &str) -> ferry_engine::gate::GateVerdict {
    let scenario = Scenario::parse(text, "variant.toml").expect("the scenario loads");
    let sandbox = Sandbox::new(&scenario, SandboxOptions::instant());
    let old = sandbox.load_balancers().await.unwrap().into_iter().find(|lb| lb.name == "shop-alb").unwrap();
    let window = Window::default();
    let old = sandbox.load_balancer_metrics(&old.arn, None, window).await.unwrap();
    let new = sandbox.load_balancer_metrics(EXPRESS_ALB, Some(EXPRESS_TG), window).await.unwrap();
    judge(&new, &old, &Thresholds::default())
}

#[tokio::test]
async fn the_bundled_sandbox_passes_its_gates() {
    let verdict = sandbox_gate(NODE_SHOP).await;
    assert!(verdict.passed(), "{}", verdict.summary());
    assert_eq!(
        verdict.summary(),
        "gate passed: 1200 requests, 5xx 0.083%, p95 0.15 s, 2 healthy hosts on the new load balancer"
    );
    assert_eq!((verdict.old.requests, verdict.old.target_5xx, verdict.old.p95_seconds), (1200, 2, Some(0.18)));
}

#[tokio::test]
async fn a_trainer_can_make_the_sandbox_gate_fail() {
    let failing = NODE_SHOP.replacen(
        "[metrics.new]\nrequests_per_minute = 240\nerror_rate = 0.001",
        "[metrics.new]\nrequests_per_minute = 240\nerror_rate = 0.05",
        1,
    );
    assert_ne!(failing, NODE_SHOP, "the bundled scenario gives the new side's error rate");
    let verdict = sandbox_gate(&failing).await;
    assert_eq!(verdict.failures.len(), 1, "{}", verdict.summary());
    assert_eq!(
        verdict.failures[0].message,
        "5xx rate 5.0% on the new load balancer is over the 1.0% limit by 4.0 points (old: 0.167%)"
    );
    let unhealthy = failing.replacen(
        "error_rate = 0.05\np95_ms = 150\nhealthy_hosts = 2",
        "error_rate = 0.0\np95_ms = 150\nhealthy_hosts = 0",
        1,
    );
    let verdict = sandbox_gate(&unhealthy).await;
    assert_eq!(verdict.failures.iter().map(|f| f.figure).collect::<Vec<_>>(), [Figure::HealthyHosts]);
    let quiet =
        NODE_SHOP.replacen("[metrics.new]\nrequests_per_minute = 240", "[metrics.new]\nrequests_per_minute = 0", 1);
    assert_eq!(sandbox_gate(&quiet).await.failures[0].figure, Figure::Traffic);
}

#[tokio::test]
async fn the_sandbox_refuses_what_aws_would() {
    let sandbox = Sandbox::load("node-shop", SandboxOptions::instant()).unwrap();
    let window = Window::default();
    let elsewhere = EXPRESS_ALB.replace("111122223333", "999988887777");
    let error = sandbox.load_balancer_metrics(&elsewhere, None, window).await.unwrap_err();
    assert!(error.is_not_found(), "{error}");
    let network = EXPRESS_ALB.replace("/app/", "/net/");
    assert!(sandbox.load_balancer_metrics(&network, None, window).await.is_err());
    let bad = Scenario::parse(&NODE_SHOP.replacen("error_rate = 0.001", "error_rate = 5", 1), "bad.toml").unwrap_err();
    assert!(bad.to_string().contains("metrics.new.error_rate: 5 is not a fraction from 0 to 1"), "{bad}");
}
