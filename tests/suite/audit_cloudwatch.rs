//! The audit log anchored in CloudWatch Logs, over real HTTP against moto: the real binary
//! applies and rolls back a plan on a live (moto) account with the group named in the config
//! file; every record lands in the group exactly as written locally; `ferry audit verify
//! --against-cloudwatch` then catches a recomputed local chain and a cut tail that nothing on
//! the machine can see once the journals are gone; and a group that refuses records stops a run
//! before it changes anything.

use crate::support;

use std::path::Path;
use std::process::{Command, Output};

use ferry::audit::{Anchored, AuditAnchor, AuditRecord};
use ferry::cloud::aws::{AwsOptions, connect};
use ferry::model::Tag;
use ferry::model::placeholders::RUN_ID;
use ferry::plan::{Action, Plan, PlanHeader, Step};
use support::estate;
use support::moto::Moto;
use support::proxy::{Fault, Proxy};
use support::run_state::run_ids;
use support::tamper::recomputed;

const GROUP: &str = "ferry-audit";

/// The binary on the live account behind `endpoint`, with this test's state folder and config.
async fn ferry(state: &Path, endpoint: &str, args: &[&str]) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_ferry"));
    command
        .args(args)
        .args(["--endpoint-url", endpoint, "--region", "us-east-1"])
        .env("FERRY_STATE_DIR", state)
        .env("FERRY_CONFIG", state.join("config.toml"))
        .env("AWS_ACCESS_KEY_ID", "testing")
        .env("AWS_SECRET_ACCESS_KEY", "testing")
        .env_remove("AWS_PROFILE")
        .env("AWS_CONFIG_FILE", "/nonexistent")
        .env("AWS_SHARED_CREDENTIALS_FILE", "/nonexistent")
        .env("AWS_EC2_METADATA_DISABLED", "true");
    tokio::task::spawn_blocking(move || command.output().expect("ferry runs")).await.unwrap()
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// A small plan for moto's account: a repository and a role, both undone by rollback.
fn plan() -> Plan {
    let tags = vec![Tag::new("ferry:run-id", RUN_ID), Tag::new("ferry:service", "audit-test")];
    let header = PlanHeader {
        service_name: "audit-test".into(),
        source_instance_id: "i-0123456789abcdef0".into(),
        account_id: estate::ACCOUNT.into(),
        region: "us-east-1".into(),
    };
    let steps = vec![
        Step {
            id: "ecr-repository".into(),
            action: Action::CreateEcrRepository { name: "ferry-audit-test".into(), tags: tags.clone() },
        },
        Step {
            id: "task-role".into(),
            action: Action::CreateRole {
                name: "ferry-audit-test-task".into(),
                trusted_service: "ecs-tasks.amazonaws.com".into(),
                managed_policy_arns: Vec::new(),
                inline_policies: Vec::new(),
                tags,
            },
        },
    ];
    // Apply looks every name up first, so what it creates is never something already there.
    let assumptions = steps.iter().map(|s| ferry::plan::Assumption::NameFree { step_id: s.id.clone() }).collect();
    Plan::new(header, steps, assumptions, Default::default())
}

/// `ferry apply PLAN --approve HASH` with a reason for every deny.
async fn apply(state: &Path, endpoint: &str, plan_file: &Path, plan: &Plan) -> Output {
    let mut args =
        vec!["apply".to_string(), plan_file.display().to_string(), "--approve".into(), plan.hash[..12].into()];
    args.extend(
        plan.denies().into_iter().flat_map(|d| ["--override".to_string(), format!("{}=accepted in this test", d.id)]),
    );
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    ferry(state, endpoint, &args).await
}

fn local_records(path: &Path) -> Vec<AuditRecord> {
    std::fs::read_to_string(path).unwrap().lines().map(|l| serde_json::from_str(l).unwrap()).collect()
}

/// What the group holds, read with the SDK rather than ferry, every page.
async fn anchored(config: &aws_config::SdkConfig) -> Vec<(String, Anchored)> {
    let logs = aws_sdk_cloudwatchlogs::Client::new(config);
    let (mut found, mut token): (Vec<(String, Anchored)>, _) = (Vec::new(), None);
    loop {
        let page = logs.filter_log_events().log_group_name(GROUP).set_next_token(token).send().await.unwrap();
        for event in page.events() {
            let stream = event.log_stream_name().unwrap_or_default().to_string();
            found.push((stream, serde_json::from_str(event.message().unwrap()).expect("each event is one record")));
        }
        token = page.next_token().map(str::to_string);
        if token.is_none() || page.events().is_empty() {
            break;
        }
    }
    found.sort_by_key(|(_, a)| a.line);
    found
}

#[tokio::test]
async fn every_record_is_anchored_as_written_and_a_rewritten_log_is_caught() {
    let moto = Moto::start();
    let proxy = Proxy::start(moto.port).await;
    let endpoint = proxy.endpoint();
    let config = estate::sdk_config(&moto.endpoint()).await;
    let state = tempfile::tempdir().unwrap();
    std::fs::write(state.path().join("config.toml"), format!("[audit]\ncloudwatch_log_group = \"{GROUP}\"\n")).unwrap();
    let plan = plan();
    let plan_file = state.path().join("plan.json");
    std::fs::write(&plan_file, plan.to_json()).unwrap();

    let run_id = apply_and_roll_back(state.path(), &endpoint, &plan_file, &plan).await;
    let log = state.path().join("audit.jsonl");
    let local = the_group_holds_every_record(&config, &log, &run_id).await;
    verify_finds_every_record_anchored(state.path(), &endpoint, local.len()).await;
    ferry_reads_the_group_page_by_page(&config, &proxy, &endpoint, local.len()).await;

    let original = std::fs::read_to_string(&log).unwrap();
    a_rewritten_log_is_caught(state.path(), &endpoint, &log, &original, local.len()).await;
    a_cut_tail_is_caught(state.path(), &endpoint, &log, &original, local.len()).await;

    std::fs::write(&log, &original).unwrap();
    a_group_that_refuses_records_stops_the_run(state.path(), &endpoint, &proxy, &config, &plan_file, &plan).await;
}

/// Applies the plan and rolls its run back, so the log holds a whole run; returns the run's id.
async fn apply_and_roll_back(state: &Path, endpoint: &str, plan_file: &Path, plan: &Plan) -> String {
    let applied = apply(state, endpoint, plan_file, plan).await;
    assert!(applied.status.success(), "{}", text(&applied.stderr));
    let said = text(&applied.stderr);
    assert!(said.contains("audit records also go to CloudWatch Logs group ferry-audit (created now)"), "{said}");
    let run_id = run_ids(state).pop().expect("one run");
    let rolled = ferry(state, endpoint, &["rollback", &run_id]).await;
    assert!(rolled.status.success(), "{}", text(&rolled.stderr));
    run_id
}

/// The group holds every local record, equal field by field, in the run's stream; returns the
/// local records.
async fn the_group_holds_every_record(config: &aws_config::SdkConfig, log: &Path, run_id: &str) -> Vec<AuditRecord> {
    let local = local_records(log);
    let copy = anchored(config).await;
    assert_eq!(copy.len(), local.len(), "one event per record");
    for (index, (stream, anchored)) in copy.iter().enumerate() {
        assert_eq!((anchored.line, &anchored.record), (index as u64 + 1, &local[index]));
        assert_eq!(stream, run_id);
    }
    assert!(local.iter().any(|r| r.action == "finish rollback"));
    local
}

async fn verify_finds_every_record_anchored(state: &Path, endpoint: &str, records: usize) {
    let verified = ferry(state, endpoint, &["audit", "verify", "--against-cloudwatch"]).await;
    assert!(verified.status.success(), "{}", text(&verified.stderr));
    let expected =
        format!("CloudWatch Logs group ferry-audit: {records} records anchored, {records} equal to the local ones");
    assert!(text(&verified.stdout).contains(&expected), "{}", text(&verified.stdout));
}

/// ferry reads the group back page by page.
async fn ferry_reads_the_group_page_by_page(
    config: &aws_config::SdkConfig,
    proxy: &Proxy,
    endpoint: &str,
    records: usize,
) {
    let small_pages = AwsOptions {
        region: Some("us-east-1".into()),
        endpoint_url: Some(endpoint.to_string()),
        page_size: Some(3),
        credentials: config.credentials_provider(),
        ..AwsOptions::default()
    };
    proxy.clear();
    let read = connect(&small_pages).await.unwrap().audit_anchor(GROUP).unwrap().read().await.unwrap();
    assert_eq!(read.len(), records);
    let pages = proxy.operations().iter().filter(|op| *op == "FilterLogEvents").count();
    assert!(pages >= records.div_ceil(3), "{pages} pages for {records} records");
}

/// Whoever rewrites the log and its journals on this machine is still caught by the group.
async fn a_rewritten_log_is_caught(state: &Path, endpoint: &str, log: &Path, original: &str, records: usize) {
    std::fs::remove_dir_all(state.join("runs")).unwrap();
    std::fs::write(log, recomputed(original, 3, |r| r.outcome = "failed: never made".into())).unwrap();
    let rewritten = ferry(state, endpoint, &["audit", "verify", "--against-cloudwatch", GROUP]).await;
    assert!(!rewritten.status.success());
    let said = text(&rewritten.stderr);
    assert!(said.contains("record 3 was changed after it was anchored"), "{said}");
    assert!(said.contains("its outcome differs"), "{said}");
    assert!(said.contains(&format!("records 4-{records} are as anchored except for the hashes")), "{said}");
}

/// A log cut short of its last records, journals gone, is caught by the group as well.
async fn a_cut_tail_is_caught(state: &Path, endpoint: &str, log: &Path, original: &str, records: usize) {
    let kept: Vec<&str> = original.lines().take(records - 2).collect();
    std::fs::write(log, kept.join("\n") + "\n").unwrap();
    let cut = ferry(state, endpoint, &["audit", "verify", "--against-cloudwatch"]).await;
    assert!(!cut.status.success());
    let expected = format!(
        "records {}-{} are anchored but not in the local file, which has {}",
        records - 1,
        records,
        records - 2
    );
    assert!(text(&cut.stderr).contains(&expected), "{}", text(&cut.stderr));
}

/// A group that refuses records: the run does not start, and nothing is made.
async fn a_group_that_refuses_records_stops_the_run(
    state: &Path,
    endpoint: &str,
    proxy: &Proxy,
    config: &aws_config::SdkConfig,
    plan_file: &Path,
    plan: &Plan,
) {
    proxy.fail("PutLogEvents", Fault::AccessDenied);
    let refused = apply(state, endpoint, plan_file, plan).await;
    assert!(!refused.status.success());
    let said = text(&refused.stderr);
    assert!(
        said.contains(
            "no change without a record of it: the audit log cannot be sent to CloudWatch Logs group ferry-audit"
        ),
        "{said}"
    );
    assert!(said.contains("access denied: logs:PutLogEvents is not allowed"), "{said}");
    assert!(run_ids(state).is_empty(), "no run was journaled");
    let ecr = aws_sdk_ecr::Client::new(config);
    assert!(ecr.describe_repositories().repository_names("ferry-audit-test").send().await.is_err(), "nothing was made");
}
