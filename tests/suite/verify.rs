//! Verify after apply: the old entry and the new Express endpoint probed over real HTTP (the
//! sandbox's local servers, answering as the scenario says), the service's state read, and a
//! verdict that says ready to move traffic or every reason not. The AWS side of the service's
//! state is tested at the SDK boundary (aws-smithy-mocks).

use crate::common;
use crate::express_mocks;

use std::path::Path;
use std::process::Command;
use std::sync::Arc;
use std::time::Duration;

use aws_sdk_ecs::Client;
use aws_sdk_ecs::operation::describe_express_gateway_service::DescribeExpressGatewayServiceError;
use aws_sdk_ecs::operation::describe_services::DescribeServicesOutput;
use aws_sdk_ecs::types::error::ResourceNotFoundException;
use aws_sdk_ecs::types::{Deployment, DeploymentRolloutState, ExpressGatewayServiceStatusCode, Service};
use aws_smithy_mocks::mock;
use ratatui::crossterm::event::KeyCode;

use ferry::apply::{ApplyOptions, RunControl, RunOutcome, RunState, Target};
use ferry::cloud::ReadCloud;
use ferry::cloud::sandbox::{BUNDLED, Sandbox, SandboxOptions, Scenario};
use ferry::operate::Operator;
use ferry::plan::Plan;
use ferry_engine::verify::{ProbeOptions, VerifyReport, find_run, verify_run};

/// node-shop with its `[endpoints.new]` replaced: how a trainer makes the new side fail.
fn variant(new_side: &str) -> String {
    let bundled = BUNDLED.iter().find(|(name, _)| *name == "node-shop").unwrap().1;
    let cut = bundled.find("[endpoints.new]").expect("node-shop defines the new side last");
    format!("{}[endpoints.new]\n{new_side}\n", &bundled[..cut])
}

/// The scenario's account with the plan applied, and the run as its journal tells it.
async fn applied(scenario_text: &str, state: &Path) -> (Arc<Sandbox>, RunState) {
    let scenario = Scenario::parse(scenario_text, "variant.toml").expect("the variant loads");
    let sandbox = Arc::new(Sandbox::new(&scenario, SandboxOptions::instant()));
    let migration = ferry::migration::prepare(sandbox.as_ref(), sandbox.app_instance()).await.unwrap();
    let operator = Operator {
        cloud: sandbox.clone(),
        runs_dir: Some(state.join("runs")),
        audit: Some(state.join("audit.jsonl")),
        target: Target::InProcess,
        options: ApplyOptions::default(),
        anchor: None,
    };
    let approved = migration.plan.approve_overriding_all("accepted in this test on purpose").unwrap();
    let run = operator.start(&approved).await.unwrap();
    let report = operator.carry_out(&run, &RunControl::new(), &|_| {}).await.unwrap();
    assert_eq!(report.outcome, RunOutcome::Applied);
    let state = find_run(&state.join("runs"), run.run_id()).expect("the run is found by its id");
    (sandbox, state)
}

fn options(requests: u32, paths: &[&str]) -> ProbeOptions {
    ProbeOptions {
        requests,
        paths: paths.iter().map(|p| p.to_string()).collect(),
        request_timeout: Duration::from_secs(2),
        ..ProbeOptions::default()
    }
}

async fn verified(scenario_text: &str, options: &ProbeOptions) -> VerifyReport {
    let state = tempfile::tempdir().unwrap();
    let (sandbox, run) = applied(scenario_text, state.path()).await;
    verify_run(sandbox.as_ref(), &run, options).await.expect("verify starts")
}

#[tokio::test]
async fn a_healthy_new_side_is_ready_with_its_figures_beside_the_old_ones() {
    let bundled = BUNDLED[0].1;
    let report = verified(bundled, &options(6, &["/api/products", "/missing"])).await;
    assert!(report.verdict.ready, "{:#?}", report.verdict);
    assert_eq!(report.verdict.headline(), "ready to move traffic");
    assert!(report.verdict.warnings.is_empty(), "{:?}", report.verdict.warnings);
    let old = report.old.as_ref().expect("node-shop has a hostname on its old load balancer");
    assert_eq!(old.base_url, "https://shop.example.com");
    assert_eq!(old.host, "shop.example.com");
    assert!(report.new.base_url.starts_with("https://shop-api-") && report.new.base_url.ends_with(".on.aws"));

    let paths: Vec<(&str, bool)> = report.paths.iter().map(|p| (p.path.as_str(), p.health)).collect();
    assert_eq!(paths, [("/healthz", true), ("/api/products", false), ("/missing", false)]);
    let health = &report.paths[0];
    let old = health.old.as_ref().unwrap();
    for side in [old, &health.new] {
        assert_eq!(side.requests, 6);
        assert_eq!(side.statuses.get(&200), Some(&6));
        assert_eq!(side.failed(), 0);
        assert_eq!(side.size, Some(2));
        assert_eq!(side.body_sha256.as_deref(), Some(ferry::digest::sha256_hex(b"ok").as_str()));
        // The scenario's servers wait 4 and 5 ms before they answer.
        assert!(side.p50_ms.unwrap() >= 4.0 && side.p95_ms.unwrap() >= side.p50_ms.unwrap(), "{side:?}");
    }
    assert_eq!(health.bodies_match, Some(true));
    let products = &report.paths[1];
    assert_eq!(products.new.size, Some(35));
    assert_eq!(products.bodies_match, Some(true));
    assert_eq!(report.paths[2].new.statuses.get(&404), Some(&6), "a path no answer lists gets the default");

    let service = report.service.as_ref().expect("the service's state is read");
    assert_eq!((service.status.as_str(), service.deployment.as_deref()), ("ACTIVE", Some("COMPLETED")));
    assert_eq!(service.running_tasks, service.desired_tasks);
}

#[tokio::test]
async fn a_failing_slow_new_side_is_not_ready_and_every_reason_is_said() {
    let failing = variant(
        r#"paths = [
  { path = "/healthz", status = 503, body = "database unreachable", latency_ms = 120 },
  { path = "/api/products", status = 200, body = "[]", latency_ms = 1 },
]"#,
    );
    let report = verified(&failing, &options(4, &["/api/products"])).await;
    assert!(!report.verdict.ready);
    let blockers = &report.verdict.blockers;
    assert_eq!(blockers.len(), 2, "{blockers:#?}");
    assert_eq!(blockers[0], "new endpoint: 4/4 answers on the health path /healthz were not 2xx (503 ×4)");
    assert!(blockers[1].starts_with("new endpoint is much slower on /healthz: p95 1"), "{}", blockers[1]);
    assert_eq!(report.verdict.headline(), "not ready to move traffic: 2 reasons");
    let health = &report.paths[0];
    assert_eq!(health.new.statuses.get(&503), Some(&4));
    assert_eq!(health.old.as_ref().unwrap().statuses.get(&200), Some(&4));
    assert_eq!(health.bodies_match, Some(false), "told, but not a warning on the health path");
    let warnings = &report.verdict.warnings;
    assert_eq!(warnings.len(), 1, "{warnings:?}");
    assert!(warnings[0].starts_with("/api/products: the bodies differ (old 35 bytes, new 2 bytes)"), "{warnings:?}");
}

#[tokio::test]
async fn an_unreachable_new_side_or_a_timeout_is_a_clear_reason_not_a_panic() {
    let report = verified(&variant("up = false"), &options(3, &[])).await;
    assert!(!report.verdict.ready);
    let new = &report.paths[0].new;
    assert_eq!((new.failed(), new.answered()), (3, 0));
    let reason = new.errors.keys().next().unwrap();
    assert!(reason.starts_with("cannot connect: "), "{reason}");
    assert!(
        report.verdict.blockers[0].starts_with("new endpoint: 3/3 requests to /healthz got no answer (cannot connect")
    );

    let slow = variant(r#"default = { status = 200, body = "ok", latency_ms = 3000 }"#);
    let options = ProbeOptions { request_timeout: Duration::from_millis(300), ..options(1, &[]) };
    let report = verified(&slow, &options).await;
    let reason = report.paths[0].new.errors.keys().next().unwrap();
    assert_eq!(reason, "no answer within 0.3 s");
}

#[tokio::test]
async fn with_a_host_the_old_load_balancer_is_probed_by_its_own_name() {
    let options = ProbeOptions { old_host: Some("shop.example.com".into()), ..options(2, &[]) };
    let report = verified(BUNDLED[0].1, &options).await;
    let old = report.old.as_ref().unwrap();
    assert_eq!((old.base_url.as_str(), old.host.as_str()), ("https://shop.example.com", "shop.example.com"));
    assert_eq!(old.label, "shop-alb (load balancer) as shop.example.com");
    let balancer = old.connect_to.as_deref().expect("connected to the load balancer's addresses");
    assert!(balancer.starts_with("shop-alb-") && balancer.ends_with(".elb.amazonaws.com"), "{balancer}");
    assert_eq!(report.paths[0].old.as_ref().unwrap().statuses.get(&200), Some(&2));
    assert!(report.verdict.ready, "{:?}", report.verdict);
}

/// The connection goes where the resolver says while the URL (and TLS) keep the app's name.
#[tokio::test]
async fn a_name_can_be_connected_to_another_hosts_addresses() {
    let state = tempfile::tempdir().unwrap();
    let (sandbox, _run) = applied(BUNDLED[0].1, state.path()).await;
    let local = sandbox.probe_route("shop.example.com").await.unwrap().unwrap();
    let port = local.rsplit(':').next().unwrap();
    let instead = [("shop.invalid".to_string(), "localhost".to_string())].into_iter().collect();
    let resolver = ferry_engine::verify::Resolver::new(instead);
    let prober = ferry_engine::verify::Prober::new(Duration::from_secs(3), Duration::from_secs(3), resolver);
    let sample = prober.get(&format!("http://shop.invalid:{port}/healthz"), "shop.invalid").await;
    assert_eq!(sample.result.expect("answered").status, 200);
    let unresolved =
        ferry_engine::verify::Prober::new(Duration::from_secs(3), Duration::from_secs(3), Default::default());
    let error =
        unresolved.get(&format!("http://shop.invalid:{port}/healthz"), "shop.invalid").await.result.unwrap_err();
    assert!(error.starts_with("cannot connect: "), "{error}");
}

#[tokio::test]
async fn the_sandbox_routes_only_the_names_it_knows() {
    let state = tempfile::tempdir().unwrap();
    let (sandbox, run) = applied(BUNDLED[0].1, state.path()).await;
    let local = sandbox.probe_route("shop.example.com").await.unwrap().expect("a local server");
    assert!(local.starts_with("http://127.0.0.1:"), "{local}");
    let endpoint = run.journal.entries.iter().rev().find_map(|e| e.output.get("endpoint")).unwrap();
    let new = sandbox.probe_route(ferry_engine::verify::host_of(endpoint)).await.unwrap().unwrap();
    assert_ne!(new, local, "each side has its own server");
    let error = sandbox.probe_route("elsewhere.example.org").await.unwrap_err();
    assert!(error.to_string().contains("elsewhere.example.org"), "{error}");
}

#[test]
fn a_bad_endpoints_table_is_refused_with_the_field_at_fault() {
    let bad = |side: &str| Scenario::parse(&variant(side), "bad.toml").unwrap_err().message;
    assert_eq!(
        bad(r#"paths = [{ path = "/healthz", status = 700 }]"#),
        "endpoints.new.paths[0].status: 700 is not an HTTP status (100-599)"
    );
    assert!(
        bad(r#"paths = [{ path = "healthz" }]"#).starts_with("endpoints.new.paths[0].path: \"healthz\" is not a path")
    );
    assert!(bad("colour = \"red\"").contains("unknown field `colour`"), "{}", bad("colour = \"red\""));
}

fn ferry(state: &Path, args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_ferry")).args(args).env("FERRY_STATE_DIR", state).output().expect("ferry runs")
}

/// Plans and applies `scenario` (a file) with the real binary; the run's id.
fn apply_with_binary(state: &Path, scenario: &Path) -> String {
    let file = state.join("plan.json");
    let (scenario, out) = (scenario.to_str().unwrap(), file.to_str().unwrap());
    let planned = ferry(state, &["plan", "--sandbox", scenario, "--out", out]);
    assert!(planned.status.success(), "{}", String::from_utf8_lossy(&planned.stderr));
    let plan = Plan::from_json(&std::fs::read_to_string(&file).unwrap()).unwrap();
    let mut args = vec!["apply".to_string(), out.into(), "--approve".into(), plan.hash[..12].into()];
    args.extend(["--sandbox".into(), scenario.into()]);
    for deny in plan.denies() {
        args.extend(["--override".into(), format!("{}=accepted in this test on purpose", deny.id)]);
    }
    let applied = Command::new(env!("CARGO_BIN_EXE_ferry")).args(&args).env("FERRY_STATE_DIR", state).output().unwrap();
    assert!(applied.status.success(), "{}", String::from_utf8_lossy(&applied.stderr));
    let runs = std::fs::read_dir(state.join("runs")).unwrap();
    let ids: Vec<String> =
        runs.filter_map(|e| Some(e.ok()?.path().file_stem()?.to_string_lossy().into_owned())).collect();
    ids.into_iter().next().expect("one run")
}

#[test]
fn json_exits_non_zero_exactly_when_not_ready() {
    for (side, ready) in [("", true), (r#"default = { status = 500, body = "boom" }"#, false)] {
        let state = tempfile::tempdir().unwrap();
        let scenario = state.path().join("shop.toml");
        std::fs::write(&scenario, variant(side)).unwrap();
        let run_id = apply_with_binary(state.path(), &scenario);
        let output = ferry(state.path(), &["verify", &run_id, "--json", "--requests", "3"]);
        let report: serde_json::Value = serde_json::from_slice(&output.stdout).expect("a JSON report either way");
        assert_eq!(report["verdict"]["ready"], ready);
        assert_eq!(output.status.success(), ready, "{}", String::from_utf8_lossy(&output.stderr));
        let text = ferry(state.path(), &["verify", &run_id, "--requests", "2", "--path", "/api/products"]);
        let stdout = String::from_utf8_lossy(&text.stdout);
        assert!(stdout.lines().all(|l| l.chars().count() <= 80), "fits 80 columns:\n{stdout}");
        assert!(stdout.contains("/healthz (health check)") && stdout.contains("/api/products"), "{stdout}");
        if !ready {
            let stderr = String::from_utf8_lossy(&output.stderr);
            assert!(stderr.contains("not ready to move traffic"), "{stderr}");
        }
    }
}

#[test]
fn an_unknown_run_is_said_plainly() {
    let state = tempfile::tempdir().unwrap();
    let output = ferry(state.path(), &["verify", "no-such-run"]);
    assert_eq!(output.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&output.stderr).contains("no run no-such-run"));
}

fn services_rule(running: i32, rollout: DeploymentRolloutState) -> aws_smithy_mocks::Rule {
    mock!(Client::describe_services)
        .match_requests(|input| input.cluster() == Some("default") && input.services() == [express_mocks::ARN])
        .then_output(move || {
            let deployment = Deployment::builder()
                .status("PRIMARY")
                .rollout_state(rollout.clone())
                .rollout_state_reason("ECS deployment circuit breaker: tasks failed to start.")
                .build();
            let service = Service::builder().running_count(running).desired_count(2).pending_count(2 - running);
            DescribeServicesOutput::builder().services(service.deployments(deployment).build()).build()
        })
}

#[tokio::test]
async fn the_express_service_state_is_read_from_ecs() {
    let describe = express_mocks::describe_rule(&[ExpressGatewayServiceStatusCode::Active]);
    let services = services_rule(2, DeploymentRolloutState::Completed);
    let aws = express_mocks::cloud(&[&describe, &services]).await;
    let state = aws.express_service_state(express_mocks::ARN).await.unwrap().expect("the service exists");
    assert_eq!((state.status.as_str(), state.running_tasks, state.desired_tasks), ("ACTIVE", 2, 2));
    assert_eq!(state.deployment.as_deref(), Some("COMPLETED"));
    assert!(ferry_engine::verify::judge(&[], Some(&state), None).ready);

    let describe = express_mocks::describe_rule(&[ExpressGatewayServiceStatusCode::Active]);
    let services = services_rule(1, DeploymentRolloutState::Failed);
    let aws = express_mocks::cloud(&[&describe, &services]).await;
    let state = aws.express_service_state(express_mocks::ARN).await.unwrap().unwrap();
    let verdict = ferry_engine::verify::judge(&[], Some(&state), None);
    assert_eq!(
        verdict.blockers,
        [
            "1 of 2 tasks are running",
            "the deployment is FAILED: ECS deployment circuit breaker: tasks failed to start., not COMPLETED"
        ]
    );
}

#[tokio::test]
async fn a_deleted_express_service_has_no_state() {
    let gone = mock!(Client::describe_express_gateway_service).then_error(|| {
        DescribeExpressGatewayServiceError::ResourceNotFoundException(
            ResourceNotFoundException::builder()
                .meta(express_mocks::meta("ResourceNotFoundException", "not found"))
                .build(),
        )
    });
    let services = mock!(Client::describe_services).then_output(|| DescribeServicesOutput::builder().build());
    let aws = express_mocks::cloud(&[&gone, &services]).await;
    assert_eq!(aws.express_service_state(express_mocks::ARN).await.unwrap(), None);
    let verdict = ferry_engine::verify::judge(&[], None, None);
    assert_eq!(verdict.blockers, ["the Express service no longer exists"]);
}

#[tokio::test]
async fn the_wizard_shows_both_sides_and_why_the_new_one_is_not_ready() {
    let failing = variant(r#"paths = [{ path = "/healthz", status = 503, body = "database unreachable" }]"#);
    let scenario = Scenario::parse(&failing, "variant.toml").unwrap();
    let mut h = common::Harness::on(Sandbox::new(&scenario, SandboxOptions::instant())).await;
    common::walk_to_plan(&mut h).await;
    common::approve_and_apply(&mut h).await;
    h.press(KeyCode::Enter).await;
    assert_eq!(h.app.step, ferry::tui::Step::Verify);
    insta::with_settings!({
        filters => vec![
            (r"\d{8}T\d{6}Z-shop-api-[0-9a-f]{12}", "[run-id]"),
            (r"\b\d+(\.\d)? / \d+(\.\d)? ms *", "[p50] / [p95] ms "),
        ],
        prepend_module_to_snapshot => false,
    }, {
        insta::assert_snapshot!("09_verify_not_ready", h.screen());
    });

    // Colour says it at a glance: the old side's 200s green, the new side's 503s red.
    let mut terminal = ratatui::Terminal::new(ratatui::backend::TestBackend::new(120, 40)).unwrap();
    terminal.draw(|frame| ferry::tui::view(&h.app, frame)).unwrap();
    let buffer = terminal.backend().buffer().clone();
    let colour_of = |text: &str| {
        let row = (0..40u16).find(|y| (0..120u16).map(|x| buffer[(x, *y)].symbol()).collect::<String>().contains(text));
        let y = row.unwrap_or_else(|| panic!("{text} is drawn"));
        let line: Vec<&str> = (0..120u16).map(|x| buffer[(x, y)].symbol()).collect();
        let x = (0..line.len()).find(|x| line[*x..].concat().starts_with(text)).unwrap();
        buffer[(x as u16, y)].fg
    };
    assert_eq!(colour_of("503 ×10"), ratatui::style::Color::Red);
    assert_eq!(colour_of("200 ×10"), ratatui::style::Color::Green);

    // Shown for 30 s more, the step probes again; the answer replaces the report.
    for _ in 0..300 {
        h.send(ferry::tui::Msg::Tick);
    }
    assert!(h.screen().contains("probing the old entry and the new endpoint on /healthz"), "{}", h.screen());
    h.settle().await;
    assert!(h.screen().contains("not ready to move traffic: 1 reason"), "{}", h.screen());
}
