//! The fault matrix: for every step of the node-shop plan and every kind of fault (fails
//! before any effect; makes its change, then errors; makes its change and never answers),
//! apply then rollback leaves the whole account exactly as it was.

use crate::support;

use std::sync::atomic::AtomicBool;
use std::time::Duration;

use ferry::apply::{ApplyEvent, ApplyOptions, RollbackOutcome, RunLog, RunOutcome, RunStatus, replay};
use ferry::cloud::sandbox::{FailAt, FaultKind, Sandbox, SandboxOptions};
use ferry::plan::Plan;
use support::plans::with_short_waits;

/// The node-shop plan, its waits short enough for a test.
async fn quick_plan() -> Plan {
    let sandbox = Sandbox::load("node-shop", SandboxOptions::instant()).unwrap();
    let plan = ferry::migration::prepare(&sandbox, sandbox.app_instance()).await.unwrap().plan;
    with_short_waits(&plan)
}

fn options() -> ApplyOptions {
    ApplyOptions {
        call_timeout: Duration::from_millis(300),
        build_timeout: Duration::from_millis(300),
        wait_margin: Duration::from_millis(300),
    }
}

#[tokio::test]
async fn every_fault_at_every_step_rolls_back_to_the_account_as_it_was() {
    let plan = quick_plan().await;
    let approved = plan.approve_overriding_all("the fault matrix runs the whole plan").unwrap();
    let mut cases = 0;
    for step in 1..=plan.steps.len() {
        for kind in [FaultKind::Before, FaultKind::After, FaultKind::Timeout] {
            let fail_at = FailAt::step(step, kind);
            let faulty = SandboxOptions { fail_at: Some(fail_at.clone()), ..SandboxOptions::instant() };
            let sandbox = Sandbox::load("node-shop", faulty).unwrap();
            let before = sandbox.snapshot();
            let run_id = format!("matrix-{step}-{fail_at}").replace(':', "-");
            let run = RunLog::in_memory_run(&run_id, &approved);
            let cancel = AtomicBool::new(false);
            let events = std::sync::Mutex::new(Vec::new());
            let at_fault = std::sync::Mutex::new(None);
            let emit = |event: ApplyEvent| {
                if matches!(event, ApplyEvent::StepStarted { step: s } if s == step - 1) {
                    *at_fault.lock().unwrap() = Some(sandbox.snapshot());
                }
                events.lock().unwrap().push(event);
            };
            let journal = ferry::apply::apply(&sandbox, &run, &cancel, &options(), &emit).await;

            let state = replay(&run.records());
            assert_eq!(
                state.status,
                RunStatus::Failed { step: step - 1, reason: failure_reason(&events.lock().unwrap(), step - 1) },
                "{fail_at}: the run fails at the faulty step"
            );
            assert!(state.in_doubt.is_none(), "{fail_at}: the failed call was looked up at once");
            let made = journal.entries.iter().any(|e| e.step == step - 1);
            let has_effect = kind != FaultKind::Before && plan.steps[step - 1].action.has_inverse();
            assert_eq!(made, has_effect, "{fail_at}: a change made despite the error is in the journal, to undo");
            let just_before = at_fault.into_inner().unwrap().expect("the faulty step started");
            if has_effect {
                assert_ne!(sandbox.snapshot(), just_before, "{fail_at}: the faulty call made its change");
            } else if kind == FaultKind::Before {
                assert_eq!(sandbox.snapshot(), just_before, "{fail_at}: a fault before the call changes nothing");
            }

            let outcome = ferry::apply::rollback(&sandbox, &run, &options(), &|_| {}).await;
            assert_eq!(outcome, RollbackOutcome::RolledBack, "{fail_at}");
            assert_eq!(sandbox.snapshot(), before, "{fail_at}: rollback leaves the account exactly as it was");
            assert_eq!(replay(&run.records()).status, RunStatus::RolledBack);
            cases += 1;
        }
    }
    assert_eq!(cases, plan.steps.len() * 3);
}

fn failure_reason(events: &[ApplyEvent], step: usize) -> String {
    events
        .iter()
        .find_map(|e| match e {
            ApplyEvent::RunFinished { outcome: RunOutcome::Failed { step: s, reason }, .. } if *s == step => {
                Some(reason.clone())
            }
            _ => None,
        })
        .expect("the run finished failed")
}

/// A run that failed because of a passing fault is resumed once the fault is gone: the step
/// that took effect is not made twice, and the run completes.
#[tokio::test]
async fn a_run_that_failed_after_its_change_resumes_without_repeating_it() {
    let plan = quick_plan().await;
    let approved = plan.approve_overriding_all("the fault matrix runs the whole plan").unwrap();
    let role_step = plan.steps.iter().position(|s| s.id == "execution-role").unwrap();
    let faulty =
        SandboxOptions { fail_at: Some(FailAt::step(role_step + 1, FaultKind::After)), ..SandboxOptions::instant() };
    let sandbox = Sandbox::load("node-shop", faulty).unwrap();
    let before = sandbox.snapshot();
    let run = RunLog::in_memory_run("resume-1", &approved);
    let cancel = AtomicBool::new(false);
    ferry::apply::apply(&sandbox, &run, &cancel, &options(), &|_| {}).await;
    assert!(matches!(replay(&run.records()).status, RunStatus::Failed { .. }));

    // The same account, now without the fault: the sandbox's state carries over.
    let healthy = Sandbox::load("node-shop", SandboxOptions::instant()).unwrap();
    healthy.restore(sandbox.snapshot());
    let events = std::sync::Mutex::new(Vec::new());
    let journal = ferry::apply::apply(&healthy, &run, &cancel, &options(), &|e| events.lock().unwrap().push(e)).await;
    assert_eq!(replay(&run.records()).status, RunStatus::Applied);
    assert_eq!(journal.entries.iter().filter(|e| e.step == role_step).count(), 1, "made once");
    let events = events.into_inner().unwrap();
    assert!(
        events.iter().any(|e| matches!(e, ApplyEvent::StepAlreadyDone { step, .. } if *step == role_step)),
        "the role made before the error counts as done"
    );
    ferry::apply::rollback(&healthy, &run, &options(), &|_| {}).await;
    assert_eq!(healthy.snapshot(), before);
}

/// Resources another run made are never undone by this one, even with the same names.
#[tokio::test]
async fn a_lookup_never_claims_what_another_run_made() {
    let plan = quick_plan().await;
    let approved = plan.approve_overriding_all("the fault matrix runs the whole plan").unwrap();
    let sandbox = Sandbox::load("node-shop", SandboxOptions::instant()).unwrap();
    let cancel = AtomicBool::new(false);
    let first = RunLog::in_memory_run("first", &approved);
    ferry::apply::apply(&sandbox, &first, &cancel, &options(), &|_| {}).await;
    assert_eq!(replay(&first.records()).status, RunStatus::Applied);
    let applied = sandbox.snapshot();

    // The same plan again: refused before any step, naming the run that holds the names.
    let second = RunLog::in_memory_run("second", &approved);
    ferry::apply::apply(&sandbox, &second, &cancel, &options(), &|_| {}).await;
    let RunStatus::Refused { reasons } = replay(&second.records()).status else { panic!("refused") };
    assert!(reasons.iter().any(|r| r.contains("already exists (made by run first")), "{reasons:?}");
    ferry::apply::rollback(&sandbox, &second, &options(), &|_| {}).await;
    assert_eq!(sandbox.snapshot(), applied, "rolling back the refused run touches nothing of the first");
}

fn retag(account: &mut ferry::cloud::sandbox::AccountState, role: &str, run_id: &str) {
    let tags = &mut account.roles.get_mut(role).expect("the role exists").tags;
    tags.iter_mut().filter(|t| t.key == "ferry:run-id").for_each(|t| t.value = run_id.to_string());
}

/// A name this run freed may be taken by another run's resource by the time it is rolled
/// back (again): that resource is looked up before every undo and left alone.
#[tokio::test]
async fn rollback_leaves_alone_what_now_carries_another_runs_tag() {
    let plan = quick_plan().await;
    let approved = plan.approve_overriding_all("the fault matrix runs the whole plan").unwrap();
    let sandbox = Sandbox::load("node-shop", SandboxOptions::instant()).unwrap();
    let before = sandbox.snapshot();
    let run = RunLog::in_memory_run("mine", &approved);
    ferry::apply::apply(&sandbox, &run, &AtomicBool::new(false), &options(), &|_| {}).await;
    let mut account = sandbox.snapshot();
    retag(&mut account, "ferry-shop-api-task", "theirs");
    sandbox.restore(account);

    ferry::apply::rollback(&sandbox, &run, &options(), &|_| {}).await;
    let after = sandbox.snapshot();
    assert!(after.roles.contains_key("ferry-shop-api-task"), "the role now carries another run's tag: kept");
    let mut expected = before.clone();
    expected.roles.insert("ferry-shop-api-task".into(), after.roles["ferry-shop-api-task"].clone());
    assert_eq!(after, expected, "everything else the run made is gone");
}

/// A step in doubt whose name is taken by another run's resource is not this run's change.
#[tokio::test]
async fn a_step_in_doubt_never_claims_another_runs_resource() {
    let plan = quick_plan().await;
    let approved = plan.approve_overriding_all("the fault matrix runs the whole plan").unwrap();
    let sandbox = Sandbox::load("node-shop", SandboxOptions::instant()).unwrap();
    let theirs = RunLog::in_memory_run("theirs", &approved);
    ferry::apply::apply(&sandbox, &theirs, &AtomicBool::new(false), &options(), &|_| {}).await;
    let applied = sandbox.snapshot();

    // This run sent its first create and crashed: the repository it names exists, but as theirs.
    let mine = RunLog::in_memory_run("mine", &approved);
    let first = &plan.steps[0];
    let action = ferry::plan::resolve(&first.action, "mine", &Default::default()).unwrap();
    mine.append(ferry::apply::Record::Intent { step: 0, step_id: first.id.clone(), action, time: ferry::apply::now() })
        .unwrap();
    let outcome = ferry::apply::rollback(&sandbox, &mine, &options(), &|_| {}).await;
    assert_eq!(outcome, RollbackOutcome::RolledBack);
    assert_eq!(sandbox.snapshot(), applied, "nothing of the other run was touched");
    let records = mine.records();
    assert!(
        records.iter().any(|r| matches!(r, ferry::apply::Record::Reconciled { output: None, note, .. }
        if note.contains("made by run theirs"))),
        "{records:?}"
    );
}
