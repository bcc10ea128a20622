//! A cutover on the sandbox: planned from an applied run, applied as any plan, stage weights
//! read back, and rolled back to the records exactly as they were.

use crate::support;

use std::path::Path;

use ferry::apply::{Record, RollbackOutcome, RunControl, RunOutcome, load_run};
use ferry::cloud::ReadCloud;
use ferry::cloud::sandbox::{SandboxOptions, Scenario};
use ferry::cutover::{CutoverError, CutoverOptions, Stages, plan_cutover};
use ferry::plan::{Action, Plan};
use support::sandbox_cutover::{apply, migrated, migrated_on, migrated_with, shop_records};

#[tokio::test]
async fn a_cutover_moves_traffic_in_stages_and_rolls_back_to_the_records_as_they_were() {
    let state = tempfile::tempdir().unwrap();
    let (sandbox, operator, run) = migrated(state.path()).await;
    let before = shop_records(&sandbox).await;
    let graph = ferry::discover::discover(sandbox.as_ref(), sandbox.app_instance()).await.unwrap();
    let options = CutoverOptions { stages: Stages::parse("10,50,100").unwrap(), bake_secs: 900, ..Default::default() };
    let plan = plan_cutover(sandbox.as_ref(), &run, &graph, &options).await.unwrap();

    let ids: Vec<&str> = plan.steps.iter().map(|s| s.id.as_str()).collect();
    assert_eq!(
        ids,
        [
            "rule-host-shop-example-com",
            "listener-certificate-1",
            "split-shop-example-com",
            "stage-10-weights-shop-example-com",
            "stage-10-ttl",
            "stage-10-bake",
            "stage-10-gate",
            "stage-50-weights-shop-example-com",
            "stage-50-ttl",
            "stage-50-bake",
            "stage-50-gate",
            "stage-100-weights-shop-example-com",
            "stage-100-ttl",
            "stage-100-bake",
            "stage-100-gate",
        ]
    );
    assert!(!plan.is_denied(), "{:?}", plan.denies());
    let read_back = Plan::from_json(&plan.to_json()).expect("a cutover plan is a plan: hashed and verified");
    assert_eq!(read_back, plan);

    let cutover = apply(&operator, &plan, state.path()).await;
    let after = shop_records(&sandbox).await;
    let weights: Vec<(String, &str, Option<i64>)> =
        after.iter().map(|r| (r.record_type.clone(), r.set_identifier.as_deref().unwrap_or("-"), r.weight)).collect();
    assert_eq!(
        weights,
        [
            ("A".to_string(), "ferry-old", Some(0)),
            ("A".to_string(), "ferry-new", Some(100)),
            ("AAAA".to_string(), "ferry-old", Some(0)),
            ("AAAA".to_string(), "ferry-new", Some(100)),
        ]
    );
    let service = ferry::cutover::service_arn(&run).unwrap();
    let ingress = sandbox.express_ingress(&service).await.unwrap();
    assert!(ingress.rule_hosts.contains(&"shop.example.com".to_string()), "{:?}", ingress.rule_hosts);
    let new_side = after.iter().find(|r| r.set_identifier.as_deref() == Some("ferry-new")).unwrap();
    assert_eq!(new_side.alias.as_ref().unwrap().dns_name, format!("dualstack.{}.", ingress.dns_name));

    let log = operator.open(&cutover.run_id).unwrap();
    let (outcome, errors) = operator.rollback(&log, &|_| {}).await.unwrap();
    assert_eq!(outcome, RollbackOutcome::RolledBack);
    assert!(errors.is_empty(), "{errors:?}");
    assert_eq!(shop_records(&sandbox).await, before, "the records are back exactly as they were");
    let ingress = sandbox.express_ingress(&service).await.unwrap();
    assert_eq!(ingress.rule_hosts, vec![ingress.endpoint_host.clone()], "the host is off the rule");
    assert_eq!(ingress.certificate_arns.len(), 1, "only the Express certificate is left");
}

#[tokio::test]
async fn a_cutover_needs_an_applied_run_and_a_name_ferry_can_see() {
    let state = tempfile::tempdir().unwrap();
    let (sandbox, _operator, run) = migrated(state.path()).await;
    let mut graph = ferry::discover::discover(sandbox.as_ref(), sandbox.app_instance()).await.unwrap();

    let options = CutoverOptions { hostnames: vec!["www.example.org".into()], ..Default::default() };
    let error = plan_cutover(sandbox.as_ref(), &run, &graph, &options).await.unwrap_err();
    assert_eq!(
        error.to_string(),
        "www.example.org does not point at the old load balancer in this account's zones (found: shop.example.com)"
    );

    let options =
        CutoverOptions { certificate_arn: Some("arn:aws:acm:eu-west-1:1:certificate/x".into()), ..Default::default() };
    let error = plan_cutover(sandbox.as_ref(), &run, &graph, &options).await.unwrap_err();
    assert!(matches!(error, CutoverError::CertificateRegion { .. }), "{error}");

    let mut unfinished = run.clone();
    unfinished.status = ferry::apply::RunStatus::Interrupted;
    let error = plan_cutover(sandbox.as_ref(), &unfinished, &graph, &CutoverOptions::default()).await.unwrap_err();
    assert!(error.to_string().contains("not applied"), "{error}");

    graph.hostnames.clear();
    let error = plan_cutover(sandbox.as_ref(), &run, &graph, &CutoverOptions::default()).await.unwrap_err();
    assert!(error.to_string().contains("another DNS provider or behind a CDN"), "{error}");
}

#[tokio::test]
async fn a_plan_whose_bake_is_longer_than_a_day_is_refused() {
    let state = tempfile::tempdir().unwrap();
    let (sandbox, _operator, run) = migrated(state.path()).await;
    let graph = ferry::discover::discover(sandbox.as_ref(), sandbox.app_instance()).await.unwrap();
    let mut plan = plan_cutover(sandbox.as_ref(), &run, &graph, &CutoverOptions::default()).await.unwrap();
    let bake = plan.steps.iter_mut().find(|s| matches!(s.action, Action::Bake { .. })).unwrap();
    bake.action = Action::Bake { seconds: 3 * 24 * 3600, why: "forever".into() };
    plan.seal();
    let error = Plan::from_json(&plan.to_json()).unwrap_err();
    assert!(error.to_string().contains("more than a day"), "{error}");
}

#[tokio::test]
async fn a_failed_gate_sends_all_traffic_back_at_once_and_stops_the_run() {
    let state = tempfile::tempdir().unwrap();
    let text = include_str!("../../assets/scenarios/node-shop.toml");
    let failing = text.replacen("error_rate = 0.001", "error_rate = 0.05", 1);
    assert_ne!(failing, text, "the new side's error rate is in the bundled scenario");
    let scenario = Scenario::parse(&failing, "failing-new-side.toml").unwrap();
    let (sandbox, operator, run) = migrated_on(scenario, state.path()).await;
    let graph = ferry::discover::discover(sandbox.as_ref(), sandbox.app_instance()).await.unwrap();
    let plan = plan_cutover(sandbox.as_ref(), &run, &graph, &CutoverOptions::default()).await.unwrap();

    let approved = plan.approve_overriding_all("accepted in this test on purpose").unwrap();
    let cutover = operator.start(&approved).await.unwrap();
    let report = operator.carry_out(&cutover, &RunControl::new(), &|_| {}).await.unwrap();
    let gate = plan.steps.iter().position(|s| s.id == "stage-10-gate").unwrap();
    let RunOutcome::Failed { step, reason: error } = &report.outcome else { panic!("{:?}", report.outcome) };
    assert_eq!(*step, gate, "the first gate stops the run");
    assert!(error.contains("5xx rate 5.0% on the new load balancer is over the 1.0% limit by 4.0 points"), "{error}");
    assert!(error.contains("all traffic is back on the old stack"), "{error}");
    let weights: Vec<(Option<&str>, Option<i64>)> = Vec::new();
    let records = shop_records(&sandbox).await;
    let weights = records.iter().fold(weights, |mut all, r| {
        all.push((r.set_identifier.as_deref(), r.weight));
        all
    });
    assert_eq!(
        weights,
        [
            (Some("ferry-old"), Some(100)),
            (Some("ferry-new"), Some(0)),
            (Some("ferry-old"), Some(100)),
            (Some("ferry-new"), Some(0))
        ],
        "old 100 / new 0 at once"
    );
    let path = state.path().join("runs").join(format!("{}.jsonl", cutover.run_id()));
    let journaled = load_run(&path).unwrap();
    assert!(matches!(journaled.status, ferry::apply::RunStatus::Failed { .. }), "{:?}", journaled.status);

    // A failed gate is not continued: its stage's traffic is gone.
    let again = operator.carry_out(&cutover, &RunControl::new(), &|_| {}).await.unwrap();
    let RunOutcome::ResumeRefused { reasons } = &again.outcome else { panic!("{:?}", again.outcome) };
    assert!(reasons.iter().any(|r| r.contains("continuing would judge a stage nobody is on")), "{reasons:?}");

    // The return is a step of its own: journaled after the gate's failure, and audited.
    let records = ferry::apply::read_records(&path).unwrap();
    let failed_at = records.iter().position(|r| matches!(r, Record::Outcome { step, .. } if *step == gate)).unwrap();
    let returned: Vec<usize> = records
        .iter()
        .enumerate()
        .filter(|(_, r)| matches!(r, Record::Compensated { step, action: Action::ReturnWeights { .. }, error: None, .. } if *step == gate))
        .map(|(i, _)| i)
        .collect();
    assert_eq!(returned.len(), 1, "one host name, one return: {records:?}");
    assert!(returned[0] > failed_at, "after the gate's own outcome");
    let audit = std::fs::read_to_string(state.path().join("audit.jsonl")).unwrap();
    let line = audit.lines().find(|l| l.contains("\"action\":\"return-weights\"")).expect("the return is audited");
    assert!(line.contains("\"outcome\":\"ok\"") && line.contains("shop.example.com"), "{line}");
    assert!(ferry::audit::verify(&state.path().join("audit.jsonl")).unwrap().is_ok(), "the chain is whole");
}

#[tokio::test]
async fn a_failed_gate_whose_traffic_cannot_be_returned_says_so_and_journals_the_failure() {
    let state = tempfile::tempdir().unwrap();
    let text = include_str!("../../assets/scenarios/node-shop.toml");
    let failing = text.replacen("error_rate = 0.001", "error_rate = 0.05", 1);
    let scenario = Scenario::parse(&failing, "failing-new-side.toml").unwrap();
    let options = SandboxOptions { fail_at: Some("return-weights".parse().unwrap()), ..SandboxOptions::instant() };
    let (sandbox, operator, run) = migrated_with(scenario, options, state.path()).await;
    let graph = ferry::discover::discover(sandbox.as_ref(), sandbox.app_instance()).await.unwrap();
    let plan = plan_cutover(sandbox.as_ref(), &run, &graph, &CutoverOptions::default()).await.unwrap();
    let approved = plan.approve_overriding_all("accepted in this test on purpose").unwrap();
    let cutover = operator.start(&approved).await.unwrap();
    let report = operator.carry_out(&cutover, &RunControl::new(), &|_| {}).await.unwrap();
    let RunOutcome::Failed { reason, .. } = &report.outcome else { panic!("{:?}", report.outcome) };
    assert!(reason.contains("putting it back failed too") && reason.contains("roll the run back now"), "{reason}");
    assert!(!reason.contains("all traffic is back"), "{reason}");
    let path = state.path().join("runs").join(format!("{}.jsonl", cutover.run_id()));
    let records = ferry::apply::read_records(&path).unwrap();
    assert!(
        records.iter().any(|r| matches!(r, Record::Compensated { error: Some(_), .. })),
        "the failed return is journaled: {records:?}"
    );
    let audit = std::fs::read_to_string(state.path().join("audit.jsonl")).unwrap();
    assert!(
        audit.lines().any(|l| l.contains("\"action\":\"return-weights\"") && l.contains("\"outcome\":\"failed")),
        "{audit}"
    );
    // While the fault lasts, a rollback says which return it could not make.
    let (outcome, _) = operator.rollback(&cutover, &|_| {}).await.unwrap();
    let RollbackOutcome::Incomplete { failures } = outcome else { panic!("{outcome:?}") };
    assert!(failures.iter().any(|f| f.contains("shop.example.com")), "{failures:?}");
}

#[tokio::test]
async fn a_cutover_plan_pointing_a_step_elsewhere_is_refused() {
    let state = tempfile::tempdir().unwrap();
    let (sandbox, _operator, run) = migrated(state.path()).await;
    let graph = ferry::discover::discover(sandbox.as_ref(), sandbox.app_instance()).await.unwrap();
    let plan = plan_cutover(sandbox.as_ref(), &run, &graph, &CutoverOptions::default()).await.unwrap();
    let refused = |edit: &dyn Fn(&mut Plan)| {
        let mut forged = plan.clone();
        edit(&mut forged);
        forged.seal();
        Plan::from_json(&forged.to_json()).expect_err("a forged cutover is refused").to_string()
    };

    let error = refused(&|p| {
        for step in &mut p.steps {
            if let Action::SplitRecords { pair } = &mut step.action {
                pair.new_target.dns_name = "dualstack.attacker-alb-1.us-east-1.elb.amazonaws.com.".into();
            }
        }
    });
    assert!(error.contains("is not the service's load balancer"), "{error}");
    let error = refused(&|p| {
        if let Action::AddRuleHost { rule_arn, .. } = &mut p.steps[0].action {
            *rule_arn = "arn:aws:elasticloadbalancing:us-east-1:111122223333:listener-rule/app/other/1/2/3".into();
        }
    });
    assert!(error.contains("is not the service's rule"), "{error}");
    let error = refused(&|p| p.assumptions.clear());
    assert!(error.contains("does not say whose"), "{error}");
}

#[tokio::test]
async fn records_changed_since_the_plan_stop_the_cutover_before_any_step() {
    let state = tempfile::tempdir().unwrap();
    let (sandbox, operator, run) = migrated(state.path()).await;
    let graph = ferry::discover::discover(sandbox.as_ref(), sandbox.app_instance()).await.unwrap();
    let first = plan_cutover(sandbox.as_ref(), &run, &graph, &CutoverOptions::default()).await.unwrap();
    let options = CutoverOptions { stages: Stages::parse("100").unwrap(), ..Default::default() };
    let second = plan_cutover(sandbox.as_ref(), &run, &graph, &options).await.unwrap();
    apply(&operator, &first, state.path()).await;

    let approved = second.approve_overriding_all("accepted in this test on purpose").unwrap();
    let started = operator.start(&approved).await.unwrap();
    let report = operator.carry_out(&started, &RunControl::new(), &|_| {}).await.unwrap();
    let RunOutcome::Refused { reasons } = &report.outcome else { panic!("{:?}", report.outcome) };
    assert!(reasons.iter().any(|r| r.contains("the records of shop.example.com. changed")), "{reasons:?}");
}

#[tokio::test]
async fn finalize_leaves_one_plain_record_and_waits_for_the_last_stage() {
    let state = tempfile::tempdir().unwrap();
    let (sandbox, operator, run) = migrated(state.path()).await;
    let graph = ferry::discover::discover(sandbox.as_ref(), sandbox.app_instance()).await.unwrap();
    let plan = plan_cutover(sandbox.as_ref(), &run, &graph, &CutoverOptions::default()).await.unwrap();
    let error = ferry::cutover::plan_finalize(&run).unwrap_err();
    assert!(error.to_string().contains("is not a cutover"), "{error}");

    let cutover = apply(&operator, &plan, state.path()).await;
    let mut unfinished = cutover.clone();
    unfinished.status = ferry::apply::RunStatus::Interrupted;
    let error = ferry::cutover::plan_finalize(&unfinished).unwrap_err();
    assert!(error.to_string().contains("finalize only once every stage has moved and baked"), "{error}");

    let finalize = ferry::cutover::plan_finalize(&cutover).unwrap();
    assert_eq!(Plan::from_json(&finalize.to_json()).unwrap(), finalize, "a finalize plan verifies");
    let weighted = shop_records(&sandbox).await;
    let done = apply(&operator, &finalize, state.path()).await;
    let records = shop_records(&sandbox).await;
    let service = ferry::cutover::service_arn(&run).unwrap();
    let ingress = sandbox.express_ingress(&service).await.unwrap();
    assert_eq!(records.len(), 2, "one A and one AAAA: {records:?}");
    for record in &records {
        assert_eq!((record.set_identifier.as_deref(), record.weight), (None, None));
        assert_eq!(record.alias.as_ref().unwrap().dns_name, format!("dualstack.{}.", ingress.dns_name));
    }

    let log = operator.open(&done.run_id).unwrap();
    let (outcome, _) = operator.rollback(&log, &|_| {}).await.unwrap();
    assert_eq!(outcome, RollbackOutcome::RolledBack);
    assert_eq!(shop_records(&sandbox).await, weighted, "the weighted pair is back, old 0 / new 100");
}

#[tokio::test]
async fn the_old_stack_is_listed_for_retirement_only_once_the_cutover_is_finalized() {
    use ferry::decommission::{Confirmation, certificates_in_use, checklist, confirm, confirmations, finalized};
    let state = tempfile::tempdir().unwrap();
    let (sandbox, operator, run) = migrated(state.path()).await;
    let graph = ferry::discover::discover(sandbox.as_ref(), sandbox.app_instance()).await.unwrap();
    let plan = plan_cutover(sandbox.as_ref(), &run, &graph, &CutoverOptions::default()).await.unwrap();
    let cutover = apply(&operator, &plan, state.path()).await;
    let runs =
        |dir: &Path| ferry::apply::list_runs(&dir.join("runs")).into_iter().filter_map(Result::ok).collect::<Vec<_>>();
    let error = finalized(&run, &runs(state.path())).unwrap_err();
    assert!(error.to_string().contains("is not finalized"), "{error}");

    apply(&operator, &ferry::cutover::plan_finalize(&cutover).unwrap(), state.path()).await;
    let all = runs(state.path());
    finalized(&run, &all).expect("finalized now");
    let book = ferry_engine::cost::PriceBook::bundled().unwrap();
    let items = checklist(&graph, book.region("us-east-1"), &certificates_in_use(&run, &all));
    let cost = |id: &str| items.iter().find(|i| i.id.starts_with(id)).and_then(|i| i.monthly).map(|m| m.to_string());
    assert_eq!(cost("instance").as_deref(), Some("$15.18"), "t3.small × 730 h");
    assert_eq!(cost("volume:").as_deref(), Some("$2.40"), "30 GiB gp3");
    assert_eq!(cost("elastic-ip:").as_deref(), Some("$3.65"));
    assert_eq!(cost("load-balancer:shop-alb").as_deref(), Some("$22.27"), "the ALB serves the app alone");
    let instance = items.iter().find(|i| i.id == "instance").unwrap();
    assert!(
        instance.command.starts_with("aws ec2 stop-instances --instance-ids i-0a1b2c3d4e5f60718"),
        "{}",
        instance.command
    );
    let certificate = items.iter().find(|i| i.id.starts_with("certificate:")).unwrap();
    assert_eq!(certificate.command, "keep", "the Express listener serves it now");

    let journal = state.path().join("runs");
    let done = Confirmation { item: "elastic-ip:x".into(), at: "2026-12-05T10:00:00Z".into(), operator: "me".into() };
    confirm(&journal, &run.run_id, &done).unwrap();
    assert_eq!(confirmations(&journal, &run.run_id).unwrap(), [done]);
    std::fs::write(journal.join(format!("{}.decommission.jsonl", run.run_id)), "{not json\n").unwrap();
    let error = confirmations(&journal, &run.run_id).unwrap_err();
    assert!(error.to_string().contains("line 1"), "{error}");
}

#[tokio::test]
async fn a_migration_is_not_rolled_back_while_its_cutover_holds_the_traffic() {
    let state = tempfile::tempdir().unwrap();
    let (sandbox, operator, run) = migrated(state.path()).await;
    let graph = ferry::discover::discover(sandbox.as_ref(), sandbox.app_instance()).await.unwrap();
    let plan = plan_cutover(sandbox.as_ref(), &run, &graph, &CutoverOptions::default()).await.unwrap();
    let cutover = apply(&operator, &plan, state.path()).await;

    let migration = operator.open(&run.run_id).unwrap();
    let error = operator.rollback(&migration, &|_| {}).await.unwrap_err();
    assert!(
        error.to_string().contains(&format!("roll the cutover back first (ferry rollback {})", cutover.run_id)),
        "{error}"
    );
    drop(migration);

    let log = operator.open(&cutover.run_id).unwrap();
    operator.rollback(&log, &|_| {}).await.unwrap();
    drop(log);
    let migration = operator.open(&run.run_id).unwrap();
    let (outcome, _) = operator.rollback(&migration, &|_| {}).await.unwrap();
    assert_eq!(outcome, RollbackOutcome::RolledBack, "with the cutover undone, the migration goes");
}

#[tokio::test]
async fn a_stage_without_its_wait_or_gate_is_warned_about() {
    let state = tempfile::tempdir().unwrap();
    let (sandbox, _operator, run) = migrated(state.path()).await;
    let graph = ferry::discover::discover(sandbox.as_ref(), sandbox.app_instance()).await.unwrap();
    let mut plan = plan_cutover(sandbox.as_ref(), &run, &graph, &CutoverOptions::default()).await.unwrap();
    let ids = |plan: &Plan| plan.checks().into_iter().map(|c| format!("{:?} {}", c.level, c.id)).collect::<Vec<_>>();
    assert_eq!(
        ids(&plan),
        ["Pass cutover-certificate:shop.example.com", "Pass cutover-moves:shop.example.com"],
        "the name is covered, and every stage waits and is gated"
    );
    plan.steps.retain(|s| s.id != "stage-50-gate" && s.id != "stage-50-ttl" && s.id != "stage-50-bake");
    plan.seal();
    let checks = ids(&Plan::from_json(&plan.to_json()).unwrap());
    assert!(checks.contains(&"Warning cutover-ungated:50".to_string()), "{checks:?}");
    assert!(checks.contains(&"Warning cutover-wait:50".to_string()), "{checks:?}");
}

#[tokio::test]
async fn verify_reads_the_stage_weights_as_route_53_has_them() {
    let state = tempfile::tempdir().unwrap();
    let (sandbox, operator, run) = migrated(state.path()).await;
    let graph = ferry::discover::discover(sandbox.as_ref(), sandbox.app_instance()).await.unwrap();
    let options = ferry_engine::verify::ProbeOptions::default();
    let before = ferry_engine::verify::verify_run(sandbox.as_ref(), &run, &options).await.unwrap();
    assert_eq!(before.traffic[0].new_share, Some(0), "{:?}", before.traffic);

    let halfway = CutoverOptions { stages: Stages::parse("50,100").unwrap(), ..Default::default() };
    let mut plan = plan_cutover(sandbox.as_ref(), &run, &graph, &halfway).await.unwrap();
    let stage = plan.steps.iter().position(|s| s.id == "stage-100-weights-shop-example-com").unwrap();
    plan.steps.truncate(stage);
    plan.seal();
    apply(&operator, &plan, state.path()).await;
    let during = ferry_engine::verify::verify_run(sandbox.as_ref(), &run, &options).await.unwrap();
    assert_eq!(during.traffic[0].host, "shop.example.com");
    assert_eq!(during.traffic[0].new_share, Some(50));
    assert_eq!(during.traffic[0].summary, "old 50 / new 50 (weighted: 50 % to the new service)");
}
