//! Apply refuses a plan the account has moved away from, says what changed, and changes
//! nothing: a plan reviewed yesterday is not applied to today's account blindly.

use std::sync::atomic::AtomicBool;

use ferry::apply::{ApplyOptions, RunLog, RunStatus, replay};
use ferry::cloud::sandbox::{Sandbox, SandboxOptions};
use ferry::model::{IngressRule, RuleSource};

async fn refused_for(change: impl FnOnce(&mut ferry::cloud::sandbox::AccountState)) -> Vec<String> {
    let sandbox = Sandbox::load("node-shop", SandboxOptions::instant()).unwrap();
    let plan = ferry::migration::prepare(&sandbox, sandbox.app_instance()).await.unwrap().plan;
    let approved = plan.approve_overriding_all("drift tests run the whole plan").unwrap();
    let mut account = sandbox.snapshot();
    change(&mut account);
    sandbox.restore(account.clone());
    let run = RunLog::in_memory_run("drifted", &approved);
    ferry::apply::apply(&sandbox, &run, &AtomicBool::new(false), &ApplyOptions::default(), &|_| {}).await;
    assert_eq!(sandbox.snapshot(), account, "a refused run changes nothing");
    match replay(&run.records()).status {
        RunStatus::Refused { reasons } => reasons,
        other => panic!("expected a refusal, got {other:?}"),
    }
}

#[tokio::test]
async fn changed_user_data_is_drift() {
    let reasons = refused_for(|account| {
        let instance = account.instances.iter_mut().find(|i| i.id == "i-0a1b2c3d4e5f60718").unwrap();
        instance.user_data = instance.user_data.as_ref().map(|u| u.replace("NODE_ENV=production", "NODE_ENV=staging"));
    })
    .await;
    assert_eq!(
        reasons,
        [
            "the user data of i-0a1b2c3d4e5f60718 changed since the plan was made (its environment and secrets may differ)"
        ]
    );
}

#[tokio::test]
async fn a_changed_rule_on_a_group_the_plan_changes_is_drift() {
    let reasons = refused_for(|account| {
        let group = account.security_groups.iter_mut().find(|g| g.id == "sg-0c3d4e5f6a7b8c9d0").unwrap();
        group.ingress.push(IngressRule {
            protocol: "tcp".into(),
            from_port: 5432,
            to_port: 5432,
            source: RuleSource::Cidr { cidr: "10.9.0.0/16".into() },
        });
    })
    .await;
    assert_eq!(
        reasons,
        ["the rules of security group sg-0c3d4e5f6a7b8c9d0 changed since the plan was made (1 then, 2 now)"]
    );
}

#[tokio::test]
async fn a_gone_subnet_or_instance_is_drift() {
    let reasons = refused_for(|account| {
        account.subnets.retain(|s| s.id != "subnet-0b22pub1b");
        account.instances.retain(|i| i.id != "i-0a1b2c3d4e5f60718");
    })
    .await;
    assert!(reasons.contains(&"instance i-0a1b2c3d4e5f60718 no longer exists".to_string()), "{reasons:?}");
    assert!(reasons.contains(&"subnet subnet-0b22pub1b no longer exists".to_string()), "{reasons:?}");
}
