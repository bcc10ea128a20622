//! Roles the account already has that fit: the plan uses them instead of making its own, says
//! so, assumes they stay as they are, and never touches them. Anything short of an exact fit
//! (another policy, another principal, no grant to the app's secrets) gets ferry's own role.

mod support;

mod moto_apply;

use std::sync::atomic::AtomicBool;

use serde_json::json;

use ferry::apply::{ApplyOptions, RollbackOutcome, RunLog, RunStatus, apply, check_drift, replay, rollback};
use ferry::cloud::sandbox::{BUNDLED, Sandbox, SandboxOptions, Scenario};
use ferry::migration::{Migration, prepare};
use ferry::plan::{Action, Assumption, CheckLevel, Plan, PlanError};

const ACCOUNT: &str = "111122223333";
const EXECUTION: &str = "arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy";
const INFRASTRUCTURE: &str =
    "arn:aws:iam::aws:policy/service-role/AmazonECSInfrastructureRoleforExpressGatewayServices";
/// What ferry's own execution role for shop-api grants: every secret under its prefix.
const SECRET_GRANT: &str = r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "secretsmanager:GetSecretValue", "Resource": "arn:aws:secretsmanager:us-east-1:111122223333:secret:ferry/shop-api/*"}]}"#;

/// A `[[roles]]` table for the scenario, with `[[managed_policies]]` for what it attaches.
fn role(name: &str, service: &str, managed: &[&str], inline: Option<&str>) -> String {
    let mut toml = format!(
        "\n[[roles]]\nname = \"{name}\"\ntrusted_service = \"{service}\"\nmanaged_policies = {}\n",
        serde_json::to_string(managed).unwrap()
    );
    if let Some(document) = inline {
        toml.push_str(&format!(
            "\n[[roles.inline_policies]]\nname = \"shop-read-secrets\"\ndocument = '''{document}'''\n"
        ));
    }
    for arn in managed {
        toml.push_str(&format!(
            "\n[[managed_policies]]\narn = \"{arn}\"\ndocument = '''{{\"Version\": \"2012-10-17\", \"Statement\": []}}'''\n"
        ));
    }
    toml
}

/// node-shop with more roles; `no_secrets` drops the app's two secrets from its user data.
fn sandbox_with(roles: &[String], no_secrets: bool) -> Sandbox {
    let (_, text) = BUNDLED.iter().find(|(name, _)| *name == "node-shop").unwrap();
    let mut text = text.to_string();
    if no_secrets {
        text = text
            .lines()
            .filter(|l| !l.starts_with("DATABASE_URL=") && !l.starts_with("SESSION_SECRET="))
            .collect::<Vec<_>>()
            .join("\n");
    }
    // Several roles may attach the same managed policy; the scenario wants each listed once.
    let mut seen = std::collections::BTreeSet::new();
    for role in roles {
        let mut kept = String::new();
        for table in role.split("\n[[").filter(|t| !t.trim().is_empty()) {
            let table = format!("\n[[{table}");
            if !table.starts_with("\n[[managed_policies]]") || seen.insert(table.clone()) {
                kept.push_str(&table);
            }
        }
        text.push_str(&kept);
    }
    let scenario = Scenario::parse(&text, "node-shop with roles (test)").expect("the variant loads");
    Sandbox::new(&scenario, SandboxOptions::instant())
}

async fn planned(sandbox: &Sandbox) -> Migration {
    prepare(sandbox, sandbox.app_instance()).await.unwrap()
}

fn has_step(plan: &Plan, id: &str) -> bool {
    plan.steps.iter().any(|s| s.id == id)
}

fn config(plan: &Plan) -> &ferry::model::ExpressServiceConfig {
    plan.steps
        .iter()
        .find_map(|s| match &s.action {
            Action::CreateExpressService { config } => Some(config.as_ref()),
            _ => None,
        })
        .unwrap()
}

fn arn(name: &str) -> String {
    format!("arn:aws:iam::{ACCOUNT}:role/{name}")
}

#[tokio::test]
async fn a_fitting_execution_role_is_used_said_and_left_by_rollback() {
    let sandbox = sandbox_with(&[role("ecsTaskExecutionRole", "ecs-tasks.amazonaws.com", &[EXECUTION], None)], true);
    let migration = planned(&sandbox).await;
    let plan = &migration.plan;
    assert!(!has_step(plan, "execution-role"), "no role is made where one fits");
    assert!(has_step(plan, "infrastructure-role"), "none fits the infrastructure role");
    assert_eq!(config(plan).execution_role_arn, arn("ecsTaskExecutionRole"));
    assert_eq!(migration.artifacts.service_config.execution_role_arn, arn("ecsTaskExecutionRole"));
    let check = plan.checks().into_iter().find(|c| c.id == "reused-role:ecsTaskExecutionRole").expect("it is said");
    assert_eq!(check.level, CheckLevel::Pass);
    assert_eq!(
        check.message,
        "reuses the existing role ecsTaskExecutionRole: it already trusts ecs-tasks.amazonaws.com and has exactly AmazonECSTaskExecutionRolePolicy"
    );
    let assumed = plan.assumptions.iter().find(|a| matches!(a, Assumption::ExistingRole { .. })).unwrap();
    assert_eq!(
        assumed.describe(),
        "role ecsTaskExecutionRole keeps its trust and exactly AmazonECSTaskExecutionRolePolicy"
    );
    Plan::from_json(&plan.to_json()).expect("the plan reads back as ferry made it");
    assert_eq!(migration.generated_artifacts(), migration.artifacts, "naming the role is not an edit");
    let again = migration.clone().with_app(None);
    assert!(!has_step(&again.plan, "execution-role"), "analysing again keeps what the account had");
    assert!(migration.artifact_files().iter().all(|f| f.path != "iam/ecsTaskExecutionRole.json"), "no IAM file for it");

    let before = sandbox.snapshot().roles["ecsTaskExecutionRole"].clone();
    let approved = plan.approve_overriding_all("the test runs the whole plan").unwrap();
    let run = RunLog::in_memory_run("reuse", &approved);
    let options = ApplyOptions::default();
    apply(&sandbox, &run, &AtomicBool::new(false), &options, &|_| {}).await;
    assert_eq!(replay(&run.records()).status, RunStatus::Applied);
    let service = &sandbox.snapshot().express_services;
    assert!(
        service.values().any(|s| s.config.execution_role_arn == arn("ecsTaskExecutionRole")),
        "the service uses it"
    );
    assert_eq!(rollback(&sandbox, &run, &options, &|_| {}).await, RollbackOutcome::RolledBack);
    let after = sandbox.snapshot();
    assert!(after.express_services.values().all(|s| s.status == "INACTIVE") || after.express_services.is_empty());
    assert_eq!(after.roles.get("ecsTaskExecutionRole"), Some(&before), "rollback never touches it");
    assert!(!after.roles.contains_key("ferry-shop-api-infrastructure"), "the plan's own role is gone");
}

#[tokio::test]
async fn an_execution_role_that_reads_exactly_the_apps_secrets_is_used() {
    let fits = role("ecsTaskExecutionRole", "ecs-tasks.amazonaws.com", &[EXECUTION], Some(SECRET_GRANT));
    let infrastructure = role("ecsInfrastructureRoleForExpressServices", "ecs.amazonaws.com", &[INFRASTRUCTURE], None);
    let plan = planned(&sandbox_with(&[fits, infrastructure], false)).await.plan;
    assert!(!has_step(&plan, "execution-role") && !has_step(&plan, "infrastructure-role"));
    let messages: Vec<String> =
        plan.checks().into_iter().filter(|c| c.id.starts_with("reused-role:")).map(|c| c.message).collect();
    assert_eq!(
        messages,
        [
            "reuses the existing role ecsTaskExecutionRole: it already trusts ecs-tasks.amazonaws.com and has exactly AmazonECSTaskExecutionRolePolicy and shop-read-secrets, which reads only the service's secrets",
            "reuses the existing role ecsInfrastructureRoleForExpressServices: it already trusts ecs.amazonaws.com and has exactly AmazonECSInfrastructureRoleforExpressGatewayServices",
        ]
    );
    Plan::from_json(&plan.to_json()).expect("the plan reads back");
}

#[tokio::test]
async fn a_role_that_cannot_read_the_apps_secrets_is_not_used() {
    let plain = role("ecsTaskExecutionRole", "ecs-tasks.amazonaws.com", &[EXECUTION], None);
    let plan = planned(&sandbox_with(&[plain], false)).await.plan;
    assert!(has_step(&plan, "execution-role"), "ferry never adds the grant to a role it did not make");
    assert_eq!(config(&plan).execution_role_arn, arn("ferry-shop-api-execution"));
    assert!(!plan.assumptions.iter().any(|a| matches!(a, Assumption::ExistingRole { .. })));
}

#[tokio::test]
async fn an_extra_policy_or_another_trust_is_not_a_fit() {
    let roles = [
        role(
            "ecsTaskExecutionRole",
            "ecs-tasks.amazonaws.com",
            &[EXECUTION, "arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess"],
            None,
        ),
        role("ecsInfrastructureRoleForExpressServices", "ecs-tasks.amazonaws.com", &[INFRASTRUCTURE], None),
        role("express-infra", "ec2.amazonaws.com", &[INFRASTRUCTURE], None),
    ];
    let plan = planned(&sandbox_with(&roles, true)).await.plan;
    assert!(has_step(&plan, "execution-role") && has_step(&plan, "infrastructure-role"));
    assert!(plan.checks().iter().all(|c| !c.id.starts_with("reused-role:")));
}

#[tokio::test]
async fn a_trust_with_another_principal_is_not_a_fit_and_one_confined_to_the_account_is() {
    let sandbox = sandbox_with(
        &[
            role("ecsInfrastructureRoleForExpressServices", "ecs.amazonaws.com", &[INFRASTRUCTURE], None),
            role("ecsTaskExecutionRole", "ecs-tasks.amazonaws.com", &[EXECUTION], None),
        ],
        true,
    );
    let mut account = sandbox.snapshot();
    let statement = |principal: serde_json::Value, condition: Option<serde_json::Value>| {
        let mut statement = json!({"Effect": "Allow", "Principal": principal, "Action": "sts:AssumeRole"});
        if let Some(condition) = condition {
            statement["Condition"] = condition;
        }
        json!({"Version": "2012-10-17", "Statement": [statement]})
    };
    account.roles.get_mut("ecsInfrastructureRoleForExpressServices").unwrap().trust_policy =
        statement(json!({"Service": "ecs.amazonaws.com", "AWS": "arn:aws:iam::444455556666:root"}), None);
    account.roles.get_mut("ecsTaskExecutionRole").unwrap().trust_policy = statement(
        json!({"Service": ["ecs-tasks.amazonaws.com"]}),
        Some(json!({"StringEquals": {"aws:SourceAccount": ACCOUNT}})),
    );
    sandbox.restore(account);
    let plan = planned(&sandbox).await.plan;
    assert!(has_step(&plan, "infrastructure-role"), "another account may assume that one");
    assert!(!has_step(&plan, "execution-role"), "a condition naming the plan's own account keeps ECS in");
}

#[tokio::test]
async fn the_well_known_name_is_preferred_then_the_first_by_name() {
    let infra = |name: &str| role(name, "ecs.amazonaws.com", &[INFRASTRUCTURE], None);
    let plan =
        planned(&sandbox_with(&[infra("a-infra"), infra("ecsInfrastructureRoleForExpressServices")], true)).await.plan;
    assert_eq!(config(&plan).infrastructure_role_arn, arn("ecsInfrastructureRoleForExpressServices"));
    let plan = planned(&sandbox_with(&[infra("b-infra"), infra("a-infra")], true)).await.plan;
    assert_eq!(config(&plan).infrastructure_role_arn, arn("a-infra"));
    let plan = planned(&sandbox_with(&[infra("ferry-other-infrastructure")], true)).await.plan;
    assert!(has_step(&plan, "infrastructure-role"), "another run's role goes with that run's rollback");
}

fn derived(plan: &Plan) -> (String, String) {
    match Plan::from_json(&plan.to_json()) {
        Err(PlanError::Derived { field, message }) => (field, message),
        other => panic!("expected the forged plan to be refused, got {other:?}"),
    }
}

#[tokio::test]
async fn a_plan_naming_an_existing_role_it_does_not_assume_is_refused() {
    let sandbox = sandbox_with(&[role("ecsTaskExecutionRole", "ecs-tasks.amazonaws.com", &[EXECUTION], None)], true);
    let plan = planned(&sandbox).await.plan;

    let mut forged = plan.clone();
    forged.assumptions.retain(|a| !matches!(a, Assumption::ExistingRole { .. }));
    forged.seal();
    let (field, message) = derived(&forged);
    assert!(field.ends_with("action.config.executionRoleArn"), "{field}");
    assert!(message.contains("nor an existing role it assumes"), "{message}");

    let mut forged = plan.clone();
    for step in &mut forged.steps {
        if let Action::CreateExpressService { config } = &mut step.action {
            config.infrastructure_role_arn = arn("shop-ec2-role");
        }
    }
    forged.steps.retain(|s| s.id != "infrastructure-role");
    forged.assumptions.retain(|a| !matches!(a, Assumption::NameFree { step_id } if step_id == "infrastructure-role"));
    forged.seal();
    let (field, _) = derived(&forged);
    assert!(field.ends_with("action.config.infrastructureRoleArn"), "{field}");
}

#[tokio::test]
async fn an_assumed_role_that_does_not_fit_is_refused() {
    let sandbox = sandbox_with(&[role("ecsTaskExecutionRole", "ecs-tasks.amazonaws.com", &[EXECUTION], None)], true);
    let mut forged = planned(&sandbox).await.plan;
    for assumption in &mut forged.assumptions {
        if let Assumption::ExistingRole { policies, .. } = assumption {
            policies.push(ferry::plan::AssumedPolicy {
                name: "AdministratorAccess".into(),
                arn: Some("arn:aws:iam::aws:policy/AdministratorAccess".into()),
                document: None,
            });
        }
    }
    forged.seal();
    let (_, message) = derived(&forged);
    assert!(message.contains("AdministratorAccess"), "{message}");

    let mut forged = planned(&sandbox).await.plan;
    forged.assumptions.push(Assumption::ExistingRole {
        role_name: "shop-ec2-role".into(),
        role_arn: arn("shop-ec2-role"),
        trust_policy: json!({}),
        policies: Vec::new(),
    });
    forged.seal();
    let (field, message) = derived(&forged);
    assert_eq!(field, "assumptions");
    assert!(message.contains("shop-ec2-role"), "{message}");
}

#[tokio::test]
async fn a_role_changed_after_planning_refuses_the_apply() {
    let sandbox = sandbox_with(&[role("ecsTaskExecutionRole", "ecs-tasks.amazonaws.com", &[EXECUTION], None)], true);
    let plan = planned(&sandbox).await.plan;
    assert_eq!(
        check_drift(&sandbox, &plan, &std::collections::BTreeSet::new(), "r").await.unwrap(),
        Vec::<String>::new()
    );
    let mut account = sandbox.snapshot();
    let changed = account.roles.get_mut("ecsTaskExecutionRole").unwrap();
    changed.managed_policy_arns.push("arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess".into());
    sandbox.restore(account.clone());

    let approved = plan.approve_overriding_all("the test runs the whole plan").unwrap();
    let run = RunLog::in_memory_run("drifted", &approved);
    apply(&sandbox, &run, &AtomicBool::new(false), &ApplyOptions::default(), &|_| {}).await;
    assert_eq!(sandbox.snapshot(), account, "a refused run changes nothing");
    match replay(&run.records()).status {
        RunStatus::Refused { reasons } => assert_eq!(
            reasons,
            [
                "the policies of role ecsTaskExecutionRole changed since the plan was made (now AmazonECSTaskExecutionRolePolicy, AmazonS3ReadOnlyAccess): the service would use it as it was judged"
            ]
        ),
        other => panic!("expected a refusal, got {other:?}"),
    }
}

#[tokio::test]
async fn the_bundled_demo_has_nothing_to_reuse() {
    let sandbox = Sandbox::load("node-shop", SandboxOptions::instant()).unwrap();
    let migration = planned(&sandbox).await;
    assert!(migration.existing_roles.is_empty());
    assert!(has_step(&migration.plan, "execution-role") && has_step(&migration.plan, "infrastructure-role"));
}

mod on_moto {
    use super::moto_apply::ferry_cloud;
    use super::support::estate::{self, Size};
    use super::support::moto::Moto;
    use super::support::proxy::{Fault, Proxy};
    use super::*;

    const TRUST: &str = r#"{"Version":"2012-10-17","Statement":[{"Sid":"","Effect":"Allow","Principal":{"Service":"ecs.amazonaws.com"},"Action":"sts:AssumeRole"}]}"#;

    /// The Express infrastructure role as the ECS console makes it.
    async fn infrastructure_role(config: &aws_config::SdkConfig) {
        let iam = aws_sdk_iam::Client::new(config);
        let name = "ecsInfrastructureRoleForExpressServices";
        iam.create_role().role_name(name).assume_role_policy_document(TRUST).send().await.unwrap();
        iam.attach_role_policy().role_name(name).policy_arn(INFRASTRUCTURE).send().await.unwrap();
    }

    #[tokio::test]
    async fn a_fitting_role_on_aws_is_used_until_it_changes() {
        let moto = Moto::start();
        let config = estate::sdk_config(&moto.endpoint()).await;
        let estate = estate::seed(&config, Size { extra_instances: 0, extra_roles: 3 }).await;
        infrastructure_role(&config).await;
        // moto serves no Express operation: the service is answered as AWS answers for one
        // that does not exist, so apply's look for names already taken gets through.
        let proxy = Proxy::start(moto.port).await;
        proxy.fail("DescribeExpressGatewayService", Fault::NotFound);
        let aws = ferry_cloud(proxy.endpoint(), &config).await;

        let migration = prepare(&aws, &estate.app_instance).await.expect("prepares");
        let plan = &migration.plan;
        assert!(!has_step(plan, "infrastructure-role"), "{:?}", migration.existing_roles);
        assert!(config_of(plan).infrastructure_role_arn.ends_with(":role/ecsInfrastructureRoleForExpressServices"));
        assert!(has_step(plan, "execution-role"), "no role there reads the app's secrets");
        Plan::from_json(&plan.to_json()).expect("reads back");
        assert_eq!(
            check_drift(&aws, plan, &std::collections::BTreeSet::new(), "r").await.unwrap(),
            Vec::<String>::new()
        );

        let iam = aws_sdk_iam::Client::new(&config);
        let extra = "arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess";
        iam.attach_role_policy()
            .role_name("ecsInfrastructureRoleForExpressServices")
            .policy_arn(extra)
            .send()
            .await
            .unwrap();
        let changes = check_drift(&aws, plan, &std::collections::BTreeSet::new(), "r").await.unwrap();
        assert_eq!(changes.len(), 1, "{changes:?}");
        assert!(changes[0].starts_with("the policies of role ecsInfrastructureRoleForExpressServices changed"));
    }

    #[tokio::test]
    async fn a_refused_listing_leaves_the_plan_making_its_own_roles() {
        let moto = Moto::start();
        let config = estate::sdk_config(&moto.endpoint()).await;
        let estate = estate::seed(&config, Size { extra_instances: 0, extra_roles: 0 }).await;
        infrastructure_role(&config).await;
        let proxy = Proxy::start(moto.port).await;
        proxy.fail("ListRoles", Fault::AccessDenied);
        let aws = ferry_cloud(proxy.endpoint(), &config).await;

        let migration = prepare(&aws, &estate.app_instance).await.expect("a refused listing stops nothing");
        assert!(has_step(&migration.plan, "infrastructure-role"));
        let unseen = &migration.existing_roles.unseen;
        assert_eq!(unseen.len(), 1, "{unseen:?}");
        assert_eq!(unseen[0].missing_action.as_deref(), Some("iam:ListRoles"), "{unseen:?}");
        assert!(
            migration.plan.checks().iter().all(|c| !c.id.contains("roles to reuse")),
            "not a deny: the plan is whole"
        );
    }

    fn config_of(plan: &Plan) -> &ferry::model::ExpressServiceConfig {
        config(plan)
    }
}
