//! The sandbox cutover tests' common ground: node-shop migrated and applied with journaled,
//! audited runs in a state folder, and the shop's records as Route 53 lists them.

use std::path::Path;
use std::sync::Arc;

use ferry::apply::{ApplyOptions, RunControl, RunOutcome, RunState, Target, load_run};
use ferry::cloud::ReadCloud;
use ferry::cloud::sandbox::{Sandbox, SandboxOptions, Scenario};
use ferry::model::DnsRecord;
use ferry::operate::Operator;
use ferry::plan::Plan;

pub fn operator(sandbox: Arc<Sandbox>, state: &Path) -> Operator {
    Operator {
        cloud: sandbox,
        runs_dir: Some(state.join("runs")),
        audit: Some(state.join("audit.jsonl")),
        target: Target::InProcess,
        options: ApplyOptions::default(),
        anchor: None,
    }
}

/// Applies `plan` to the end and returns the run as its journal tells it.
pub async fn apply(operator: &Operator, plan: &Plan, state: &Path) -> RunState {
    let approved = plan.approve_overriding_all("accepted in this test on purpose").unwrap();
    let run = operator.start(&approved).await.unwrap();
    let report = operator.carry_out(&run, &RunControl::new(), &|_| {}).await.unwrap();
    assert_eq!(report.outcome, RunOutcome::Applied, "{:?}", report.outcome);
    load_run(&state.join("runs").join(format!("{}.jsonl", run.run_id()))).unwrap()
}

/// The migration applied on node-shop: what a cutover starts from.
pub async fn migrated(state: &Path) -> (Arc<Sandbox>, Operator, RunState) {
    migrated_on(Scenario::load("node-shop").unwrap(), state).await
}

pub async fn migrated_on(scenario: Scenario, state: &Path) -> (Arc<Sandbox>, Operator, RunState) {
    migrated_with(scenario, SandboxOptions::instant(), state).await
}

pub async fn migrated_with(
    scenario: Scenario,
    options: SandboxOptions,
    state: &Path,
) -> (Arc<Sandbox>, Operator, RunState) {
    let sandbox = Arc::new(Sandbox::new(&scenario, options));
    let migration = ferry::migration::prepare(sandbox.as_ref(), sandbox.app_instance()).await.unwrap();
    let operator = operator(sandbox.clone(), state);
    let run = apply(&operator, &migration.plan, state).await;
    (sandbox, operator, run)
}

pub async fn shop_records(sandbox: &Sandbox) -> Vec<DnsRecord> {
    let zone = sandbox.hosted_zones().await.unwrap().remove(0);
    let mut records = sandbox.records(&zone.id).await.unwrap();
    records.retain(|r| r.name == "shop.example.com.");
    records
}
