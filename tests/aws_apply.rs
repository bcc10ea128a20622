//! Applying and rolling back a plan on the AWS backend over real HTTP against a real moto
//! server: every create, every inverse, `lookup` before and after, and that a rollback leaves
//! the account as it was. moto has no Express Mode operations, so the service step fails for
//! real (HTTP 500), as a failed step does on AWS.

mod support;

use std::collections::BTreeSet;
use std::sync::Mutex;
use std::sync::Once;
use std::sync::atomic::AtomicBool;

use aws_config::SdkConfig;
use aws_sdk_ec2::types::{IpPermission, IpRange, UserIdGroupPair};
use serde_json::json;

use ferry::apply::{ApplyEvent, ApplyOptions, RollbackOutcome, RunLog, RunOutcome, apply, new_run_id, rollback};
use ferry::cloud::aws::{AwsCloud, AwsOptions, connect};
use ferry::cloud::{Cloud, CloudError, ReadCloud};
use ferry::model::placeholders::RUN_ID;
use ferry::model::{
    ExpressServiceConfig, IngressRule, KeyValuePair, NetworkConfiguration, PrimaryContainer, RuleSource, ScalingTarget,
    SecretRef, Tag,
};
use ferry::plan::{Action, Assumption, InlinePolicy, Outputs, Plan, PlanHeader, SecretSource, Step, resolve};
use support::estate;
use support::moto::Moto;
use support::proxy::{Fault, Proxy};

const TASK_EXECUTION_POLICY: &str = "arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy";
const SECRET_VARIABLE: &str = "FERRY_AWS_APPLY_TEST_DATABASE_URL";
const SECRET_VALUE: &str = "postgres://shop:Xy7-only-in-the-secret-Q2@db.internal:5432/shop";

/// Puts the secret the plan reads into this process's environment. Every test here calls it
/// before anything else, so it runs before any thread of this binary reads the environment
/// (aws-config does), which is what makes `set_var` sound.
fn secret_in_environment() {
    static SET: Once = Once::new();
    // SAFETY: see above: no other thread of this test binary is reading the environment yet.
    SET.call_once(|| unsafe { std::env::set_var(SECRET_VARIABLE, SECRET_VALUE) });
}

/// ferry's own connection to moto (or a proxy in front of it): one attempt per call (moto's
/// HTTP 500s are retryable).
async fn ferry_cloud(endpoint: String, config: &SdkConfig) -> AwsCloud {
    let options = AwsOptions {
        region: Some("us-east-1".into()),
        endpoint_url: Some(endpoint),
        max_attempts: Some(1),
        credentials: config.credentials_provider(),
        ..AwsOptions::default()
    };
    connect(&options).await.expect("connects")
}

/// A VPC with two subnets, the app's group, and the database's group admitting the app and
/// the VPC's range on 5432: the rules a rollback must leave exactly as they were.
struct Estate {
    vpc: String,
    subnets: Vec<String>,
    app_group: String,
    database_group: String,
}

async fn seed(config: &SdkConfig) -> Estate {
    let ec2 = aws_sdk_ec2::Client::new(config);
    let vpc = ec2.create_vpc().cidr_block("10.30.0.0/16").send().await.unwrap();
    let vpc = vpc.vpc().and_then(|v| v.vpc_id()).unwrap().to_string();
    let mut subnets = Vec::new();
    for (cidr, az) in [("10.30.0.0/24", "us-east-1a"), ("10.30.1.0/24", "us-east-1b")] {
        let subnet = ec2.create_subnet().vpc_id(&vpc).cidr_block(cidr).availability_zone(az).send().await.unwrap();
        subnets.push(subnet.subnet().and_then(|s| s.subnet_id()).unwrap().to_string());
    }
    let group = |name: &'static str| {
        let (ec2, vpc) = (ec2.clone(), vpc.clone());
        async move {
            let out = ec2.create_security_group().group_name(name).description(name).vpc_id(vpc).send().await.unwrap();
            out.group_id().unwrap().to_string()
        }
    };
    let app = group("shop-app").await;
    let database = group("shop-db").await;
    let from_app = IpPermission::builder()
        .ip_protocol("tcp")
        .from_port(5432)
        .to_port(5432)
        .user_id_group_pairs(UserIdGroupPair::builder().group_id(&app).build())
        .ip_ranges(IpRange::builder().cidr_ip("10.30.0.0/16").build())
        .build();
    ec2.authorize_security_group_ingress().group_id(&database).ip_permissions(from_app).send().await.unwrap();
    Estate { vpc, subnets, app_group: app, database_group: database }
}

/// The group's ingress rules, one string per source, sorted.
async fn rules(config: &SdkConfig, group_id: &str) -> BTreeSet<String> {
    let ec2 = aws_sdk_ec2::Client::new(config);
    let described = ec2.describe_security_groups().group_ids(group_id).send().await.unwrap();
    let mut rules = BTreeSet::new();
    for permission in described.security_groups().iter().flat_map(|g| g.ip_permissions()) {
        let ports = format!(
            "{} {}-{}",
            permission.ip_protocol().unwrap_or_default(),
            permission.from_port().unwrap_or_default(),
            permission.to_port().unwrap_or_default()
        );
        for pair in permission.user_id_group_pairs() {
            rules.insert(format!("{ports} from {}", pair.group_id().unwrap_or_default()));
        }
        for range in permission.ip_ranges() {
            rules.insert(format!("{ports} from {}", range.cidr_ip().unwrap_or_default()));
        }
    }
    rules
}

fn tags() -> Vec<Tag> {
    vec![Tag::new("ferry:run-id", RUN_ID), Tag::new("ferry:service", "shop-api")]
}

/// The migration's steps, written as the planner writes them: later steps name earlier
/// outputs with placeholders.
fn plan(estate: &Estate) -> Plan {
    let step = |id: &str, action: Action| Step { id: id.into(), action };
    let read_secrets = json!({
        "Version": "2012-10-17",
        "Statement": [{
            "Effect": "Allow",
            "Action": "secretsmanager:GetSecretValue",
            "Resource": "arn:aws:secretsmanager:us-east-1:123456789012:secret:ferry/shop-api/*",
        }],
    });
    let config = ExpressServiceConfig {
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
            min_task_count: 1,
            max_task_count: 4,
            auto_scaling_metric: "AVERAGE_CPU".into(),
            auto_scaling_target_value: 60,
        },
        tags: tags(),
    };
    let steps = vec![
        step("ecr-repository", Action::CreateEcrRepository { name: "ferry-shop-api".into(), tags: tags() }),
        step(
            "execution-role",
            Action::CreateRole {
                name: "ferry-shop-api-execution".into(),
                trusted_service: "ecs-tasks.amazonaws.com".into(),
                managed_policy_arns: vec![TASK_EXECUTION_POLICY.into()],
                inline_policies: vec![InlinePolicy { name: "ferry-read-secrets".into(), document: read_secrets }],
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
        step("express-service", Action::CreateExpressService { config: Box::new(config) }),
        step(
            "wait-active",
            Action::WaitServiceActive {
                service_name: "shop-api".into(),
                service_arn: "${ferry:express-service.serviceArn}".into(),
                timeout_secs: 60,
            },
        ),
    ];
    // What the run checks before its first step, against the account as it is then.
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
        Assumption::Network { vpc_id: estate.vpc.clone(), subnet_ids: estate.subnets.clone() },
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
    let header = PlanHeader {
        service_name: "shop-api".into(),
        source_instance_id: "i-0app".into(),
        account_id: estate::ACCOUNT.into(),
        region: "us-east-1".into(),
    };
    Plan::new(header, steps, assumptions, vec![])
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

    // Before the run, nothing the plan creates exists.
    for step in plan.steps.iter().take(5).chain(plan.steps.get(6)) {
        // The service's config names outputs of earlier steps; its name and cluster are enough.
        let action = resolve(&step.action, &run_id, &Outputs::new()).unwrap_or_else(|_| step.action.clone());
        assert_eq!(aws.lookup(&action).await.unwrap(), None, "{} exists before the run", step.id);
    }
    assert!(aws.preflight(&plan).await.is_empty(), "the secret's variable is set");
    // A rule is found by its port and source; one ferry did not add has no run.
    let rule = |port: u16| Action::AuthorizeIngress {
        group_id: estate.database_group.clone(),
        port,
        source_group_id: estate.app_group.clone(),
        description: String::new(),
    };
    let existing = aws.lookup(&rule(5432)).await.unwrap().expect("the app's rule is there");
    assert_eq!(existing.run_id, None);
    assert_eq!(aws.lookup(&rule(6379)).await.unwrap(), None, "no rule for that port");

    let events = Mutex::new(Vec::new());
    let cancel = AtomicBool::new(false);
    let options = ApplyOptions::default();
    let run = run_log(&plan, &run_id);
    let journal = apply(&aws, &run, &cancel, &options, &|event| events.lock().unwrap().push(event)).await;

    // Six steps done; the Express service step failed for real (moto has no such operation).
    assert_eq!(journal.entries.len(), 6, "{journal:#?}");
    let outcome = events.lock().unwrap().iter().find_map(|e| match e {
        ApplyEvent::RunFinished { outcome, .. } => Some(outcome.clone()),
        _ => None,
    });
    let Some(RunOutcome::Failed { step: 6, reason }) = outcome else { panic!("{outcome:?}") };
    assert!(reason.contains("ecs:CreateExpressGatewayService"), "{reason}");

    let creates = proxy.operations().iter().filter(|op| *op == "CreateExpressGatewayService").count();
    assert_eq!(creates, 1, "one attempt, as configured");

    // What the run made is there, tagged with the run, and found again by lookup with the
    // values execute returned, by reads alone.
    proxy.clear();
    for entry in &journal.entries {
        let found = aws.lookup(&entry.action).await.unwrap().unwrap_or_else(|| panic!("{} not found", entry.step_id));
        assert_eq!(found.output.values, entry.output.values, "{}", entry.step_id);
        let expected = (entry.step_id != "database-ingress").then(|| run_id.clone());
        assert_eq!(found.run_id, expected, "{}", entry.step_id);
    }
    let reads = ["Describe", "List", "Get"];
    let operations = proxy.operations();
    assert!(
        operations.iter().all(|op| reads.iter().any(|r| op.starts_with(r))),
        "lookup changed something: {operations:?}"
    );
    let output = |id: &str| journal.entries.iter().find(|e| e.step_id == id).unwrap().output.clone();
    assert!(output("ecr-repository").get("repositoryUri").unwrap().ends_with("/ferry-shop-api"));
    let group_id = output("service-security-group").get("groupId").unwrap().to_string();
    assert!(group_id.starts_with("sg-"));
    let with_rule = rules(&config, &estate.database_group).await;
    assert!(with_rule.contains(&format!("tcp 5432-5432 from {group_id}")), "{with_rule:?}");

    let secrets = aws_sdk_secretsmanager::Client::new(&config);
    let stored = secrets.get_secret_value().secret_id("ferry/shop-api/DATABASE_URL").send().await.unwrap();
    assert_eq!(stored.secret_string(), Some(SECRET_VALUE), "the value came from the environment");
    let iam = aws_sdk_iam::Client::new(&config);
    let attached = iam.list_attached_role_policies().role_name("ferry-shop-api-execution").send().await.unwrap();
    let attached: Vec<_> = attached.attached_policies().iter().filter_map(|p| p.policy_arn()).collect();
    assert_eq!(attached, [TASK_EXECUTION_POLICY]);
    let inline = iam.list_role_policies().role_name("ferry-shop-api-execution").send().await.unwrap();
    assert_eq!(inline.policy_names(), ["ferry-read-secrets"]);
    let role = iam.get_role().role_name("ferry-shop-api-infrastructure").send().await.unwrap();
    let trust = role.role().and_then(|r| r.assume_role_policy_document()).unwrap();
    let trust = percent_encoding::percent_decode_str(trust).decode_utf8_lossy();
    assert!(trust.contains("ecs.amazonaws.com") && trust.contains("sts:AssumeRole"), "{trust}");
    let ecr = aws_sdk_ecr::Client::new(&config);
    let repository = ecr.describe_repositories().repository_names("ferry-shop-api").send().await.unwrap();
    let scanning = repository.repositories()[0].image_scanning_configuration().map(|c| c.scan_on_push());
    assert_eq!(scanning, Some(true));

    let outcome = rollback(&aws, &run, &options, &|event| events.lock().unwrap().push(event)).await;
    assert_eq!(outcome, RollbackOutcome::RolledBack);

    // Nothing the run made remains, and the database's rules are the originals.
    assert_eq!(leftovers(&config).await, Vec::<String>::new());
    assert_eq!(rules(&config, &estate.database_group).await, database_rules);
    for entry in &journal.entries {
        assert_eq!(aws.lookup(&entry.action).await.unwrap(), None, "{} still found", entry.step_id);
    }

    // Inverses are idempotent: running them all again finds nothing to do and succeeds.
    for entry in journal.entries.iter().rev() {
        let inverse = entry.inverse().unwrap();
        aws.execute(&inverse, &|_| {}).await.unwrap_or_else(|e| panic!("{inverse:?} again: {e}"));
    }
    assert_eq!(leftovers(&config).await, Vec::<String>::new());

    // The secret's value went only to Secrets Manager.
    let said = serde_json::to_string(&*events.lock().unwrap()).unwrap() + &serde_json::to_string(&journal).unwrap();
    assert!(!said.contains(SECRET_VALUE) && !said.contains("Xy7-only"), "a secret value leaked into events");
}

#[tokio::test]
async fn deleting_a_role_removes_what_holds_it_and_can_run_twice() {
    secret_in_environment();
    let moto = Moto::start();
    let config = estate::sdk_config(&moto.endpoint()).await;
    let aws = ferry_cloud(moto.endpoint(), &config).await;
    let create = Action::CreateRole {
        name: "ferry-held".into(),
        trusted_service: "ecs-tasks.amazonaws.com".into(),
        managed_policy_arns: vec![TASK_EXECUTION_POLICY.into()],
        inline_policies: vec![InlinePolicy {
            name: "inline".into(),
            document: json!({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:ListBucket", "Resource": "*"}]}),
        }],
        tags: vec![Tag::new("ferry:run-id", "run-7")],
    };
    let output = aws.execute(&create, &|_| {}).await.unwrap();
    assert_eq!(output.get("arn"), Some("arn:aws:iam::123456789012:role/ferry-held"));
    // Someone else attached more to it meanwhile: another policy and an instance profile.
    let iam = aws_sdk_iam::Client::new(&config);
    iam.attach_role_policy()
        .role_name("ferry-held")
        .policy_arn("arn:aws:iam::aws:policy/ReadOnlyAccess")
        .send()
        .await
        .unwrap();
    iam.create_instance_profile().instance_profile_name("held-profile").send().await.unwrap();
    iam.add_role_to_instance_profile()
        .instance_profile_name("held-profile")
        .role_name("ferry-held")
        .send()
        .await
        .unwrap();

    let delete = create.inverse(&output).unwrap();
    assert_eq!(delete, Action::DeleteRole { name: "ferry-held".into() });
    aws.execute(&delete, &|_| {}).await.expect("deleted with what held it");
    let gone = iam.get_role().role_name("ferry-held").send().await.unwrap_err();
    assert!(gone.into_service_error().is_no_such_entity_exception(), "the role is gone");
    let profile = iam.get_instance_profile().instance_profile_name("held-profile").send().await.unwrap();
    assert!(profile.instance_profile().unwrap().roles().is_empty(), "the profile itself is not ferry's");
    aws.execute(&delete, &|_| {}).await.expect("a role already gone is deleted");
    assert_eq!(aws.lookup(&create).await.unwrap(), None);

    // A policy that cannot be attached fails the action after the role was made: the half-made
    // role is deleted again, so no lookup can take it for a finished step.
    let missing_policy = "arn:aws:iam::123456789012:policy/not-there";
    let Action::CreateRole { name, trusted_service, inline_policies, tags, .. } = create.clone() else {
        unreachable!()
    };
    let half = Action::CreateRole {
        name,
        trusted_service,
        managed_policy_arns: vec![missing_policy.into()],
        inline_policies,
        tags,
    };
    let error = aws.execute(&half, &|_| {}).await.unwrap_err();
    assert_eq!(error, CloudError::NotFound { kind: "policy".into(), id: missing_policy.into() });
    assert_eq!(aws.lookup(&half).await.unwrap(), None, "no role without its permissions is left");
    let gone = iam.get_role().role_name("ferry-held").send().await.unwrap_err();
    assert!(gone.into_service_error().is_no_such_entity_exception());
}

#[tokio::test]
async fn a_secret_from_user_data_is_the_last_assignment_and_is_never_shown() {
    secret_in_environment();
    let moto = Moto::start();
    let config = estate::sdk_config(&moto.endpoint()).await;
    let aws = ferry_cloud(moto.endpoint(), &config).await;
    let user_data =
        "#!/bin/bash\nAPI_TOKEN=first-Tok3n-value\ncd /srv/app\nexport API_TOKEN=second-Tok3n-value\nnode server.js\n";
    let instance = estate::instance_with_user_data(&config, user_data).await;

    let create = |variable: &str| Action::CreateSecret {
        name: format!("ferry/shop-api/{variable}"),
        source: SecretSource::UserDataVariable { instance_id: instance.clone(), variable: variable.into() },
        tags: vec![Tag::new("ferry:run-id", "run-9")],
    };
    let lines = Mutex::new(Vec::new());
    let output = aws.execute(&create("API_TOKEN"), &|line| lines.lock().unwrap().push(line)).await.unwrap();
    let secrets = aws_sdk_secretsmanager::Client::new(&config);
    let stored = secrets.get_secret_value().secret_id("ferry/shop-api/API_TOKEN").send().await.unwrap();
    assert_eq!(stored.secret_string(), Some("second-Tok3n-value"), "the script's last assignment wins");

    let missing = aws.execute(&create("DB_PASSWORD"), &|line| lines.lock().unwrap().push(line)).await.unwrap_err();
    assert!(matches!(missing, CloudError::Invalid(_)) && missing.to_string().contains("DB_PASSWORD"), "{missing}");
    let again = aws.execute(&create("API_TOKEN"), &|line| lines.lock().unwrap().push(line)).await.unwrap_err();
    assert!(matches!(&again, CloudError::AlreadyExists { kind, .. } if kind == "secret"), "{again:?}");

    let found = aws.lookup(&create("API_TOKEN")).await.unwrap().expect("found");
    assert_eq!(found.run_id.as_deref(), Some("run-9"));
    let said = format!("{output:?} {found:?} {missing} {again} {:?}", lines.lock().unwrap());
    assert!(!said.contains("Tok3n-value"), "a secret value was shown: {said}");

    // A secret scheduled for deletion (with a recovery window) is not what a run owns.
    secrets.delete_secret().secret_id("ferry/shop-api/API_TOKEN").recovery_window_in_days(7).send().await.unwrap();
    assert_eq!(aws.lookup(&create("API_TOKEN")).await.unwrap(), None);
    let delete = Action::DeleteSecret { name: "ferry/shop-api/API_TOKEN".into() };
    aws.execute(&delete, &|_| {}).await.expect("force-deletes a scheduled secret");
    aws.execute(&delete, &|_| {}).await.expect("a secret already gone is deleted");
}

#[tokio::test]
async fn creating_what_exists_says_already_exists() {
    secret_in_environment();
    let moto = Moto::start();
    let config = estate::sdk_config(&moto.endpoint()).await;
    let estate = seed(&config).await;
    let aws = ferry_cloud(moto.endpoint(), &config).await;
    let group = Action::CreateSecurityGroup {
        name: "ferry-twice".into(),
        description: "twice".into(),
        vpc_id: estate.vpc.clone(),
        tags: vec![],
    };
    let created = aws.execute(&group, &|_| {}).await.unwrap();
    let group_id = created.get("groupId").unwrap().to_string();
    let rule = Action::AuthorizeIngress {
        group_id: estate.database_group.clone(),
        port: 5432,
        source_group_id: group_id.clone(),
        description: "twice".into(),
    };
    let actions = [
        Action::CreateEcrRepository { name: "ferry-twice".into(), tags: vec![] },
        Action::CreateRole {
            name: "ferry-twice".into(),
            trusted_service: "ecs.amazonaws.com".into(),
            managed_policy_arns: vec![],
            inline_policies: vec![],
            tags: vec![],
        },
        Action::CreateSecret {
            name: "ferry/twice".into(),
            source: SecretSource::Environment { variable: SECRET_VARIABLE.into() },
            tags: vec![],
        },
        rule.clone(),
    ];
    for action in &actions {
        aws.execute(action, &|_| {}).await.unwrap_or_else(|e| panic!("{action:?}: {e}"));
    }
    for action in actions.iter().chain([&group]) {
        let error = aws.execute(action, &|_| {}).await.unwrap_err();
        let CloudError::AlreadyExists { kind, id } = &error else { panic!("{action:?}: {error:?}") };
        let expected = match action {
            Action::AuthorizeIngress { .. } => ("rule".to_string(), format!("5432 from {group_id}")),
            _ => (action.verb().trim_start_matches("create ").replace("ECR ", ""), action.target()),
        };
        assert_eq!((kind.clone(), id.clone()), expected, "{error}");
        assert!(!error.to_string().contains(SECRET_VALUE));
    }

    // Revoking a rule twice, and deleting a group twice, succeed.
    let revoke = rule.inverse(&Default::default()).unwrap();
    aws.execute(&revoke, &|_| {}).await.unwrap();
    aws.execute(&revoke, &|_| {}).await.expect("a rule already gone is revoked");
    let delete = group.inverse(&created).unwrap();
    aws.execute(&delete, &|_| {}).await.unwrap();
    aws.execute(&delete, &|_| {}).await.expect("a group already gone is deleted");
}
