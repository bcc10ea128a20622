//! Applying and rolling back a plan on the AWS backend over real HTTP against a real moto
//! server: every create, every inverse, `lookup` before and after, and that a rollback leaves
//! the account as it was. moto has no Express Mode operations, so the service step fails for
//! real (HTTP 500), as a failed step does on AWS.

mod support;

mod moto_apply;

use moto_apply::*;
use std::collections::BTreeSet;
use std::sync::Mutex;
use std::sync::atomic::AtomicBool;

use aws_config::SdkConfig;
use serde_json::json;

use ferry::apply::{
    ApplyEvent, ApplyOptions, Journal, RollbackOutcome, RunLog, RunOutcome, apply, new_run_id, rollback,
};
use ferry::cloud::aws::AwsCloud;
use ferry::cloud::{Cloud, ReadCloud};
use ferry::model::{
    ExpressServiceConfig, IngressRule, KeyValuePair, NetworkConfiguration, PrimaryContainer, RuleSource, ScalingTarget,
    SecretRef,
};
use ferry::plan::{
    Action, AssumedSubnet, Assumption, InlinePolicy, Outputs, Plan, PlanHeader, SecretSource, Step, resolve,
};
use support::estate;
use support::moto::Moto;
use support::proxy::{Fault, Proxy};

/// The migration's steps, written as the planner writes them: later steps name earlier
/// outputs with placeholders.
fn plan(estate: &Estate) -> Plan {
    let header = PlanHeader {
        service_name: "shop-api".into(),
        source_instance_id: "i-0app".into(),
        account_id: estate::ACCOUNT.into(),
        region: "us-east-1".into(),
    };
    Plan::new(header, steps(estate), assumptions(estate), context(estate))
}

fn step(id: &str, action: Action) -> Step {
    Step { id: id.into(), action }
}

fn steps(estate: &Estate) -> Vec<Step> {
    vec![
        step("ecr-repository", Action::CreateEcrRepository { name: "ferry-shop-api".into(), tags: tags() }),
        step(
            "execution-role",
            Action::CreateRole {
                name: "ferry-shop-api-execution".into(),
                trusted_service: "ecs-tasks.amazonaws.com".into(),
                managed_policy_arns: vec![TASK_EXECUTION_POLICY.into()],
                inline_policies: vec![InlinePolicy { name: "ferry-read-secrets".into(), document: read_secrets() }],
                tags: tags(),
            },
        ),
        step(
            "infrastructure-role",
            Action::CreateRole {
                name: "ferry-shop-api-infrastructure".into(),
                trusted_service: "ecs.amazonaws.com".into(),
                managed_policy_arns: vec![],
                inline_policies: vec![],
                tags: tags(),
            },
        ),
        step(
            "database-url",
            Action::CreateSecret {
                name: "ferry/shop-api/DATABASE_URL".into(),
                source: SecretSource::Environment { variable: SECRET_VARIABLE.into() },
                tags: tags(),
            },
        ),
        step(
            "service-security-group",
            Action::CreateSecurityGroup {
                name: "ferry-shop-api".into(),
                description: "shop-api tasks (ferry)".into(),
                vpc_id: estate.vpc.clone(),
                tags: tags(),
            },
        ),
        step(
            "database-ingress",
            Action::AuthorizeIngress {
                group_id: estate.database_group.clone(),
                port: 5432,
                source_group_id: "${ferry:service-security-group.groupId}".into(),
                description: "shop-api on Express Mode (ferry)".into(),
            },
        ),
        step("express-service", Action::CreateExpressService { config: Box::new(service_config(estate)) }),
        step(
            "wait-active",
            Action::WaitServiceActive {
                service_name: "shop-api".into(),
                service_arn: "${ferry:express-service.serviceArn}".into(),
                timeout_secs: 60,
            },
        ),
    ]
}

/// The execution role's inline policy.
fn read_secrets() -> serde_json::Value {
    json!({
        "Version": "2012-10-17",
        "Statement": [{
            "Effect": "Allow",
            "Action": "secretsmanager:GetSecretValue",
            "Resource": "arn:aws:secretsmanager:us-east-1:123456789012:secret:ferry/shop-api/*",
        }],
    })
}

fn service_config(estate: &Estate) -> ExpressServiceConfig {
    ExpressServiceConfig {
        service_name: "shop-api".into(),
        cluster: "default".into(),
        primary_container: PrimaryContainer {
            image: "${ferry:ecr-repository.repositoryUri}:latest".into(),
            container_port: 3000,
            command: vec![],
            environment: vec![KeyValuePair { name: "NODE_ENV".into(), value: "production".into() }],
            secrets: vec![SecretRef { name: "DATABASE_URL".into(), value_from: "${ferry:database-url.arn}".into() }],
        },
        execution_role_arn: "${ferry:execution-role.arn}".into(),
        infrastructure_role_arn: "${ferry:infrastructure-role.arn}".into(),
        task_role_arn: None,
        health_check_path: "/healthz".into(),
        cpu: "512".into(),
        memory: "1024".into(),
        network_configuration: NetworkConfiguration {
            security_groups: vec!["${ferry:service-security-group.groupId}".into()],
            subnets: estate.subnets.clone(),
        },
        scaling_target: ScalingTarget {
            min_task_count: 2,
            max_task_count: 4,
            auto_scaling_metric: "AVERAGE_CPU".into(),
            auto_scaling_target_value: 60,
        },
        tags: tags(),
    }
}

/// What the run checks before its first step, against the account as it is then.
fn assumptions(estate: &Estate) -> Vec<Assumption> {
    let database_rules = vec![
        IngressRule {
            protocol: "tcp".into(),
            from_port: 5432,
            to_port: 5432,
            source: RuleSource::Group { group_id: estate.app_group.clone() },
        },
        IngressRule {
            protocol: "tcp".into(),
            from_port: 5432,
            to_port: 5432,
            source: RuleSource::Cidr { cidr: "10.30.0.0/16".into() },
        },
    ];
    let mut assumptions = vec![
        Assumption::Network {
            vpc_id: estate.vpc.clone(),
            // moto's VPCs have no internet gateway unless one is made: private subnets.
            subnets: estate
                .subnets
                .iter()
                .zip(["us-east-1a", "us-east-1b"])
                .map(|(id, zone)| AssumedSubnet { id: id.clone(), availability_zone: zone.into(), public: false })
                .collect(),
        },
        Assumption::SecurityGroupRules { group_id: estate.database_group.clone(), rules: database_rules },
    ];
    let creates = [
        "ecr-repository",
        "execution-role",
        "infrastructure-role",
        "database-url",
        "service-security-group",
        "express-service",
    ];
    for id in creates {
        assumptions.push(Assumption::NameFree { step_id: id.into() });
    }
    assumptions
}

/// The database the app reaches, guarded by the group the plan adds a rule to.
fn context(estate: &Estate) -> ferry::plan::PlanContext {
    ferry::plan::PlanContext {
        data_stores: vec![ferry::plan::DataStoreReach {
            kind: ferry::model::DataStoreKind::Rds,
            name: "shop-db".into(),
            port: Some(5432),
            security_group_ids: vec![estate.database_group.clone()],
        }],
        ..Default::default()
    }
}

/// A journal for the run of the approved plan, kept in memory.
fn run_log(plan: &Plan, run_id: &str) -> RunLog {
    RunLog::in_memory_run(run_id, &plan.approve(&plan.hash, vec![]).expect("the test plan has no deny"))
}

/// What the run left in the account, by ferry's names.
async fn leftovers(config: &SdkConfig) -> Vec<String> {
    let mut left = Vec::new();
    let ecr = aws_sdk_ecr::Client::new(config);
    for repository in ecr.describe_repositories().send().await.unwrap().repositories() {
        left.push(format!("repository {}", repository.repository_name().unwrap_or_default()));
    }
    let iam = aws_sdk_iam::Client::new(config);
    let roles = iam.list_roles().into_paginator().send().try_collect().await.unwrap();
    for role in roles.iter().flat_map(|p| p.roles()).filter(|r| r.role_name().starts_with("ferry-")) {
        left.push(format!("role {}", role.role_name()));
    }
    let secrets = aws_sdk_secretsmanager::Client::new(config);
    let listed = secrets.list_secrets().include_planned_deletion(true).send().await.unwrap();
    for secret in listed.secret_list() {
        left.push(format!("secret {} (deleted {:?})", secret.name().unwrap_or_default(), secret.deleted_date()));
    }
    let ec2 = aws_sdk_ec2::Client::new(config);
    let groups = ec2.describe_security_groups().send().await.unwrap();
    for group in groups.security_groups().iter().filter(|g| g.group_name().is_some_and(|n| n.starts_with("ferry"))) {
        left.push(format!("security group {}", group.group_name().unwrap_or_default()));
    }
    left
}

#[tokio::test]
async fn a_failed_run_is_rolled_back_and_leaves_the_account_as_it_was() {
    secret_in_environment();
    let moto = Moto::start();
    let config = estate::sdk_config(&moto.endpoint()).await;
    let estate = seed(&config).await;
    let database_rules = rules(&config, &estate.database_group).await;
    assert_eq!(database_rules.len(), 2, "{database_rules:?}");
    // moto serves no Express operation. CreateExpressGatewayService still reaches it and fails
    // there (HTTP 500); a describe is answered as AWS answers for a service that does not
    // exist, so the run can look the service up before it starts and after the step fails.
    let proxy = Proxy::start(moto.port).await;
    proxy.fail("DescribeExpressGatewayService", Fault::NotFound);
    let aws = ferry_cloud(proxy.endpoint(), &config).await;
    let plan = plan(&estate);
    let run_id = new_run_id("shop-api");

    nothing_the_plan_creates_exists(&aws, &plan, &run_id).await;
    assert!(aws.preflight(&plan).await.is_empty(), "the secret's variable is set");
    rules_are_found_by_port_and_source(&aws, &estate).await;

    let events = Mutex::new(Vec::new());
    let cancel = AtomicBool::new(false);
    let options = ApplyOptions::default();
    let run = run_log(&plan, &run_id);
    let journal = apply(&aws, &run, &cancel, &options, &|event| events.lock().unwrap().push(event)).await;

    the_service_step_failed_after_one_attempt(&journal, &events, &proxy);
    what_the_run_made_is_found_by_reads(&aws, &proxy, &journal, &run_id).await;
    the_outputs_name_what_was_made(&config, &estate, &journal).await;
    the_resources_are_made_as_planned(&config).await;

    let outcome = rollback(&aws, &run, &options, &|event| events.lock().unwrap().push(event)).await;
    assert_eq!(outcome, RollbackOutcome::RolledBack);

    nothing_the_run_made_remains(&config, &aws, &estate, &database_rules, &journal).await;
    inverses_are_idempotent(&config, &aws, &journal).await;
    no_secret_value_leaked(&events, &journal);
}

/// Before the run, nothing the plan creates exists.
async fn nothing_the_plan_creates_exists(aws: &AwsCloud, plan: &Plan, run_id: &str) {
    for step in plan.steps.iter().take(5).chain(plan.steps.get(6)) {
        // The service's config names outputs of earlier steps; its name and cluster are enough.
        let action = resolve(&step.action, run_id, &Outputs::new()).unwrap_or_else(|_| step.action.clone());
        assert_eq!(aws.lookup(&action).await.unwrap(), None, "{} exists before the run", step.id);
    }
}

/// A rule is found by its port and source; one ferry did not add has no run.
async fn rules_are_found_by_port_and_source(aws: &AwsCloud, estate: &Estate) {
    let rule = |port: u16| Action::AuthorizeIngress {
        group_id: estate.database_group.clone(),
        port,
        source_group_id: estate.app_group.clone(),
        description: String::new(),
    };
    let existing = aws.lookup(&rule(5432)).await.unwrap().expect("the app's rule is there");
    assert_eq!(existing.run_id, None);
    assert_eq!(aws.lookup(&rule(6379)).await.unwrap(), None, "no rule for that port");
}

/// Six steps done; the Express service step failed for real (moto has no such operation).
fn the_service_step_failed_after_one_attempt(journal: &Journal, events: &Mutex<Vec<ApplyEvent>>, proxy: &Proxy) {
    assert_eq!(journal.entries.len(), 6, "{journal:#?}");
    let outcome = events.lock().unwrap().iter().find_map(|e| match e {
        ApplyEvent::RunFinished { outcome, .. } => Some(outcome.clone()),
        _ => None,
    });
    let Some(RunOutcome::Failed { step: 6, reason }) = outcome else { panic!("{outcome:?}") };
    assert!(reason.contains("ecs:CreateExpressGatewayService"), "{reason}");

    let creates = proxy.operations().iter().filter(|op| *op == "CreateExpressGatewayService").count();
    assert_eq!(creates, 1, "one attempt, as configured");
}

/// What the run made is there, tagged with the run, and found again by lookup with the
/// values execute returned, by reads alone.
async fn what_the_run_made_is_found_by_reads(aws: &AwsCloud, proxy: &Proxy, journal: &Journal, run_id: &str) {
    proxy.clear();
    for entry in &journal.entries {
        let found = aws.lookup(&entry.action).await.unwrap().unwrap_or_else(|| panic!("{} not found", entry.step_id));
        assert_eq!(found.output.values, entry.output.values, "{}", entry.step_id);
        let expected = (entry.step_id != "database-ingress").then(|| run_id.to_string());
        assert_eq!(found.run_id, expected, "{}", entry.step_id);
    }
    let reads = ["Describe", "List", "Get"];
    let operations = proxy.operations();
    assert!(
        operations.iter().all(|op| reads.iter().any(|r| op.starts_with(r))),
        "lookup changed something: {operations:?}"
    );
}

/// The journaled outputs name what is in the account: the repository, and the new group the
/// database now admits.
async fn the_outputs_name_what_was_made(config: &SdkConfig, estate: &Estate, journal: &Journal) {
    let output = |id: &str| journal.entries.iter().find(|e| e.step_id == id).unwrap().output.clone();
    assert!(output("ecr-repository").get("repositoryUri").unwrap().ends_with("/ferry-shop-api"));
    let group_id = output("service-security-group").get("groupId").unwrap().to_string();
    assert!(group_id.starts_with("sg-"));
    let with_rule = rules(config, &estate.database_group).await;
    assert!(with_rule.contains(&format!("tcp 5432-5432 from {group_id}")), "{with_rule:?}");
}

/// The secret, the roles and the repository are made with what their steps ask for.
async fn the_resources_are_made_as_planned(config: &SdkConfig) {
    let secrets = aws_sdk_secretsmanager::Client::new(config);
    let stored = secrets.get_secret_value().secret_id("ferry/shop-api/DATABASE_URL").send().await.unwrap();
    assert_eq!(stored.secret_string(), Some(SECRET_VALUE), "the value came from the environment");
    let iam = aws_sdk_iam::Client::new(config);
    let attached = iam.list_attached_role_policies().role_name("ferry-shop-api-execution").send().await.unwrap();
    let attached: Vec<_> = attached.attached_policies().iter().filter_map(|p| p.policy_arn()).collect();
    assert_eq!(attached, [TASK_EXECUTION_POLICY]);
    let inline = iam.list_role_policies().role_name("ferry-shop-api-execution").send().await.unwrap();
    assert_eq!(inline.policy_names(), ["ferry-read-secrets"]);
    let role = iam.get_role().role_name("ferry-shop-api-infrastructure").send().await.unwrap();
    let trust = role.role().and_then(|r| r.assume_role_policy_document()).unwrap();
    let trust = percent_encoding::percent_decode_str(trust).decode_utf8_lossy();
    assert!(trust.contains("ecs.amazonaws.com") && trust.contains("sts:AssumeRole"), "{trust}");
    let ecr = aws_sdk_ecr::Client::new(config);
    let repository = ecr.describe_repositories().repository_names("ferry-shop-api").send().await.unwrap();
    let scanning = repository.repositories()[0].image_scanning_configuration().map(|c| c.scan_on_push());
    assert_eq!(scanning, Some(true));
}

/// Nothing the run made remains, and the database's rules are the originals.
async fn nothing_the_run_made_remains(
    config: &SdkConfig,
    aws: &AwsCloud,
    estate: &Estate,
    database_rules: &BTreeSet<String>,
    journal: &Journal,
) {
    assert_eq!(leftovers(config).await, Vec::<String>::new());
    assert_eq!(&rules(config, &estate.database_group).await, database_rules);
    for entry in &journal.entries {
        assert_eq!(aws.lookup(&entry.action).await.unwrap(), None, "{} still found", entry.step_id);
    }
}

/// Inverses are idempotent: running them all again finds nothing to do and succeeds.
async fn inverses_are_idempotent(config: &SdkConfig, aws: &AwsCloud, journal: &Journal) {
    for entry in journal.entries.iter().rev() {
        let inverse = entry.inverse().unwrap();
        aws.execute(&inverse, &|_| {}).await.unwrap_or_else(|e| panic!("{inverse:?} again: {e}"));
    }
    assert_eq!(leftovers(config).await, Vec::<String>::new());
}

/// The secret's value went only to Secrets Manager.
fn no_secret_value_leaked(events: &Mutex<Vec<ApplyEvent>>, journal: &Journal) {
    let said = serde_json::to_string(&*events.lock().unwrap()).unwrap() + &serde_json::to_string(journal).unwrap();
    assert!(!said.contains(SECRET_VALUE) && !said.contains("Xy7-only"), "a secret value leaked into events");
}

#[tokio::test]
async fn a_step_for_a_rule_that_already_exists_is_never_run_nor_claimed() {
    secret_in_environment();
    let moto = Moto::start();
    let config = estate::sdk_config(&moto.endpoint()).await;
    let estate = seed(&config).await;
    let before = rules(&config, &estate.database_group).await;
    let mut plan = plan(&estate);
    // The database already admits the app's group on 5432: "authorizing" it would make the
    // run claim it, and a rollback would cut the app off from its database.
    plan.steps.insert(
        6,
        Step {
            id: "existing-rule".into(),
            action: Action::AuthorizeIngress {
                group_id: estate.database_group.clone(),
                port: 5432,
                source_group_id: estate.app_group.clone(),
                description: "ferry".into(),
            },
        },
    );
    plan.seal();
    let refused = plan.approve(&plan.hash, vec![]).unwrap_err().to_string();
    assert!(refused.contains("steps[6].action.source_group_id"), "{refused}");

    // The rule found by a lookup is not the run's: no group of the run is its source.
    let aws = ferry_cloud(moto.endpoint(), &config).await;
    let found = aws.lookup(&plan.steps[6].action).await.unwrap().expect("the rule is there");
    assert!(!ferry::apply::is_ours(&plan.steps[6].action, found.run_id.as_deref(), "run-1", &[]));
    assert_eq!(rules(&config, &estate.database_group).await, before, "nothing was changed");
}
