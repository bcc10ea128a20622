//! A run's life as the engine rules it, through the one call every front end makes
//! (`Operator::carry_out`): its outcome is returned, not fished from the event stream; a stop
//! that asks for a rollback is carried out by the engine in the same call; and the runs a
//! front end offers at start are listed by the engine.

use std::path::Path;
use std::sync::Arc;

use ferry::apply::{ApplyEvent, ApplyOptions, NextMove, RollbackOutcome, RunControl, RunOutcome, RunStatus, Target};
use ferry::cloud::sandbox::{FailAt, Sandbox, SandboxOptions};
use ferry::migration::Migration;
use ferry::operate::Operator;

async fn account(options: SandboxOptions) -> (Arc<Sandbox>, Migration) {
    let sandbox = Arc::new(Sandbox::load("node-shop", options).unwrap());
    let migration = ferry::migration::prepare(sandbox.as_ref(), sandbox.app_instance()).await.unwrap();
    (sandbox, migration)
}

fn operator(sandbox: Arc<Sandbox>, state: &Path, target: Target) -> Operator {
    Operator {
        cloud: sandbox,
        runs_dir: Some(state.join("runs")),
        audit: Some(state.join("audit.jsonl")),
        target,
        options: ApplyOptions::default(),
        anchor: None,
    }
}

#[tokio::test]
async fn carrying_a_run_out_returns_its_outcome_and_where_it_stands() {
    let state = tempfile::tempdir().unwrap();
    let (sandbox, migration) = account(SandboxOptions::instant()).await;
    let operator = operator(sandbox, state.path(), Target::InProcess);
    let approved = migration.plan.approve_overriding_all("accepted in this test on purpose").unwrap();
    let run = operator.start(&approved).await.unwrap();
    let report = operator.carry_out(&run, &RunControl::new(), &|_| {}).await.unwrap();
    assert_eq!(report.outcome, RunOutcome::Applied);
    assert_eq!(report.journal.entries.len(), migration.plan.steps.len());
    assert!(report.rollback.is_none(), "nobody asked for one");
    assert_eq!(report.status(), RunStatus::Applied);
    assert_eq!(report.status().next_moves(), &[NextMove::RollBack]);
    assert!(report.audit_errors.is_empty(), "{:?}", report.audit_errors);
}

#[tokio::test]
async fn stop_then_roll_back_is_one_call_the_engine_carries_out() {
    let state = tempfile::tempdir().unwrap();
    let (sandbox, migration) = account(SandboxOptions::default()).await;
    let operator = operator(sandbox, state.path(), Target::InProcess);
    let approved = migration.plan.approve_overriding_all("accepted in this test on purpose").unwrap();
    let run = operator.start(&approved).await.unwrap();
    let control = RunControl::new();
    let front_end = control.clone();
    let events = std::sync::Mutex::new(Vec::new());
    let emit = |event: ApplyEvent| {
        // The operator presses the key once the second step is done.
        if matches!(event, ApplyEvent::StepDone { step: 1, .. }) {
            front_end.stop_then_roll_back();
        }
        events.lock().unwrap().push(event);
    };
    let report = operator.carry_out(&run, &control, &emit).await.unwrap();
    assert_eq!(report.outcome, RunOutcome::Cancelled { step: 2 }, "stopped after the step under way");
    assert!(matches!(report.rollback, Some(Ok(RollbackOutcome::RolledBack))), "{:?}", report.rollback);
    assert_eq!(report.status(), RunStatus::RolledBack);
    assert!(!control.take_roll_back(), "the engine took the rollback up: the front end starts none");
    let events = events.into_inner().unwrap();
    let undone: Vec<usize> = events
        .iter()
        .filter_map(|e| if let ApplyEvent::UndoDone { step, .. } = e { Some(*step) } else { None })
        .collect();
    assert_eq!(undone, vec![0], "the repository is undone, and the image pushed into it goes with it");
    let journaled = ferry::apply::load_run(&state.path().join("runs").join(format!("{}.jsonl", run.run_id())));
    assert_eq!(journaled.unwrap().status, RunStatus::RolledBack, "the journal agrees");
}

#[tokio::test]
async fn the_runs_offered_at_start_are_the_ones_that_may_hold_resources_on_this_account() {
    let state = tempfile::tempdir().unwrap();
    let here = Target::Sandbox { scenario: "node-shop".into() };
    let elsewhere = Target::Sandbox { scenario: "other-shop".into() };
    let failing = SandboxOptions { fail_at: Some("3".parse::<FailAt>().unwrap()), ..SandboxOptions::instant() };

    let mut made = Vec::new();
    for (options, target, roll_back) in [
        (failing.clone(), here.clone(), false),
        (SandboxOptions::instant(), here.clone(), true),
        (failing, elsewhere, false),
    ] {
        let (sandbox, migration) = account(options).await;
        let operator = operator(sandbox, state.path(), target);
        let approved = migration.plan.approve_overriding_all("accepted in this test on purpose").unwrap();
        let run = operator.start(&approved).await.unwrap();
        let report = operator.carry_out(&run, &RunControl::new(), &|_| {}).await.unwrap();
        if roll_back {
            operator.rollback(&run, &|_| {}).await.unwrap();
        }
        made.push((run.run_id().to_string(), report.status()));
    }
    std::fs::write(state.path().join("runs").join("broken.jsonl"), "{not a journal").unwrap();

    let left = ferry::apply::left_runs(&state.path().join("runs"), &here);
    let ids: Vec<&str> = left.runs.iter().map(|r| r.run_id.as_str()).collect();
    assert_eq!(ids, vec![made[0].0.as_str()], "the failed run here; not the rolled back one, not another account's");
    assert!(matches!(made[0].1, RunStatus::Failed { step: 2, .. }), "{:?}", made[0].1);
    assert_eq!(left.runs[0].status.next_moves(), &[NextMove::Resume, NextMove::RollBack]);
    assert_eq!(left.unreadable.len(), 1, "a journal that cannot be read is said, not hidden");
}
