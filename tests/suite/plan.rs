//! The plan and the artifacts: order, inverses, hash, the plan file, and no secret anywhere.

use ferry::cloud::sandbox::{Sandbox, SandboxOptions};
use ferry::migration::{Migration, prepare};
use ferry::plan::{Action, ActionOutput, Plan, PlanError, SecretSource};

const PASSWORD: &str = "Tr0ub4dor-prod-2024";
const SESSION_SECRET: &str = "8f1c2e0b6a9d4c7e93b15a2f6d0e4c81";

async fn node_shop() -> Migration {
    let sandbox = Sandbox::load("node-shop", SandboxOptions::instant()).unwrap();
    prepare(&sandbox, sandbox.app_instance()).await.unwrap()
}

fn ids(plan: &Plan) -> Vec<&str> {
    plan.steps.iter().map(|s| s.id.as_str()).collect()
}

#[tokio::test]
async fn steps_come_in_dependency_order() {
    let plan = node_shop().await.plan;
    assert_eq!(
        ids(&plan),
        [
            "ecr-repository",
            "image",
            "task-role",
            "execution-role",
            "infrastructure-role",
            "secret-database-url",
            "secret-session-secret",
            "service-security-group",
            "ingress-shop-db-5432",
            "ingress-shop-cache-6379",
            "express-service",
            "wait-active",
        ]
    );
}

#[tokio::test]
async fn every_change_has_an_inverse_once_it_has_run() {
    let plan = node_shop().await.plan;
    let output = ActionOutput::new("done").with("groupId", "sg-1").with("serviceArn", "arn:svc");
    for step in &plan.steps {
        let inverse = step.action.inverse(&output);
        match step.action {
            // Nothing to undo: a wait changes nothing; the image goes with its repository.
            Action::WaitServiceActive { .. } | Action::BuildAndPushImage { .. } => assert_eq!(inverse, None),
            _ => assert!(inverse.is_some_and(|i| i.is_undo()), "{} has an undo", step.id),
        }
    }
}

#[tokio::test]
async fn roles_trust_the_right_services_and_carry_the_app_permissions() {
    let plan = node_shop().await.plan;
    let role = |id: &str| match &plan.steps.iter().find(|s| s.id == id).unwrap().action {
        Action::CreateRole { trusted_service, managed_policy_arns, inline_policies, .. } => {
            (trusted_service.clone(), managed_policy_arns.clone(), inline_policies.clone())
        }
        other => panic!("{id} is {other:?}"),
    };
    let (trust, managed, inline) = role("task-role");
    assert_eq!(trust, "ecs-tasks.amazonaws.com");
    assert_eq!(inline[0].name, "shop-s3-access", "the instance role's inline policy is copied");
    assert!(managed.iter().all(|m| !m.contains("AmazonSSMManagedInstanceCore")), "host-only policies stay behind");
    let (trust, managed, inline) = role("execution-role");
    assert_eq!(trust, "ecs-tasks.amazonaws.com");
    assert!(managed[0].ends_with("AmazonECSTaskExecutionRolePolicy"));
    assert!(inline[0].document.to_string().contains("secretsmanager:GetSecretValue"));
    let (trust, managed, _) = role("infrastructure-role");
    assert_eq!(trust, "ecs.amazonaws.com");
    assert!(managed[0].ends_with("AmazonECSInfrastructureRoleforExpressGatewayServices"));
}

#[tokio::test]
async fn secrets_are_references_never_values() {
    let migration = node_shop().await;
    let everything = [
        migration.plan.to_json(),
        migration.artifacts.service_json(),
        migration.artifacts.dockerfile.clone(),
        serde_json::to_string(&migration).unwrap(),
    ]
    .concat();
    assert!(!everything.contains(PASSWORD) && !everything.contains(SESSION_SECRET));

    let secrets = &migration.artifacts.service_config.primary_container.secrets;
    let names: Vec<_> = secrets.iter().map(|s| s.name.as_str()).collect();
    assert_eq!(names, ["DATABASE_URL", "SESSION_SECRET"]);
    assert!(secrets[0].value_from.starts_with("arn:aws:secretsmanager:us-east-1:111122223333:secret:ferry/shop-api/"));
    let sources: Vec<_> = migration
        .plan
        .steps
        .iter()
        .filter_map(|s| match &s.action {
            Action::CreateSecret { source: SecretSource::UserDataVariable { variable, .. }, .. } => {
                Some(variable.as_str())
            }
            _ => None,
        })
        .collect();
    assert_eq!(sources, ["DATABASE_URL", "SESSION_SECRET"], "the plan names where each value lives");
}

#[tokio::test]
async fn the_service_config_is_the_cli_input_document() {
    let json: serde_json::Value = serde_json::from_str(&node_shop().await.artifacts.service_json()).unwrap();
    let mut keys: Vec<_> = json.as_object().unwrap().keys().cloned().collect();
    keys.sort();
    assert_eq!(
        keys,
        [
            "cluster",
            "cpu",
            "executionRoleArn",
            "healthCheckPath",
            "infrastructureRoleArn",
            "memory",
            "networkConfiguration",
            "primaryContainer",
            "scalingTarget",
            "serviceName",
            "tags",
            "taskRoleArn",
        ]
    );
    assert_eq!(json["primaryContainer"]["containerPort"], 3000);
    assert_eq!(json["healthCheckPath"], "/healthz");
    assert_eq!((json["cpu"].as_str(), json["memory"].as_str()), (Some("1024"), Some("2048")));
    assert_eq!(json["networkConfiguration"]["subnets"], serde_json::json!(["subnet-0a11pub1a", "subnet-0b22pub1b"]));
}

#[tokio::test]
async fn the_hash_is_stable_and_follows_every_change() {
    let first = node_shop().await;
    let second = node_shop().await;
    assert_eq!(first.plan.hash, second.plan.hash, "the same account gives the same plan");
    assert_eq!(first.plan.hash.len(), 64);

    let mut artifacts = first.artifacts.clone();
    artifacts.service_config.scaling_target.max_task_count = 8;
    let edited = first.clone().with_artifacts(artifacts);
    assert_ne!(edited.plan.hash, first.plan.hash, "an edited config is a different plan");
}

#[tokio::test]
async fn a_plan_file_round_trips_and_refuses_tampering() {
    let plan = node_shop().await.plan;
    let text = plan.to_json();
    assert_eq!(Plan::from_json(&text).unwrap(), plan);

    let tampered = text.replacen("ferry-shop-api-task", "admin", 1);
    match Plan::from_json(&tampered) {
        Err(PlanError::HashMismatch { stated, actual }) => {
            assert!(stated == plan.hash && actual != plan.hash)
        }
        other => panic!("tampering must be refused: {other:?}"),
    }

    let error = Plan::from_json("{ not json").unwrap_err().to_string();
    assert!(error.starts_with("plan file is not valid: "), "{error}");
    let future = text.replacen("\"format\": 3", "\"format\": 99", 1);
    assert!(Plan::from_json(&future).unwrap_err().to_string().contains("format 99 is not supported"));
    // A plan from an earlier ferry is named as such, not reported as garbage.
    let older = r#"{"format": 1, "service_name": "s", "steps": [], "checks": [], "hash": "x"}"#;
    assert!(Plan::from_json(older).unwrap_err().to_string().contains("format 1 is not supported"));
}

const SCENARIO: &str = include_str!("../../assets/scenarios/node-shop.toml");

async fn prepared(scenario_text: &str) -> (Sandbox, Migration) {
    let scenario = ferry::cloud::sandbox::Scenario::parse(scenario_text, "variant.toml").unwrap();
    let sandbox = Sandbox::new(&scenario, SandboxOptions::instant());
    let migration = prepare(&sandbox, sandbox.app_instance()).await.unwrap();
    (sandbox, migration)
}

#[tokio::test]
async fn shell_and_host_variables_stay_out_of_the_container() {
    let text = SCENARIO.replacen(
        "NODE_ENV=production\n",
        "NODE_ENV=production\nPATH=/opt/node/bin:$PATH\nLOG_DIR=${HOME}/logs\nDEBIAN_FRONTEND=noninteractive\n",
        1,
    );
    let (_, migration) = prepared(&text).await;
    let env: Vec<_> =
        migration.artifacts.service_config.primary_container.environment.iter().map(|kv| kv.name.as_str()).collect();
    assert_eq!(env, ["PORT", "NODE_ENV", "REDIS_URL", "UPLOADS_BUCKET"]);
    assert!(migration.profile.findings.iter().any(|f| f.message.starts_with("LOG_DIR is computed by the shell")));
}

#[tokio::test]
async fn policy_variables_survive_the_apply_untouched() {
    let text = SCENARIO.replacen(
        "\"Resource\": \"arn:aws:s3:::shop-uploads-111122223333/*\"",
        "\"Resource\": \"arn:aws:s3:::shop-uploads-111122223333/${aws:username}/*\"",
        1,
    );
    let (sandbox, migration) = prepared(&text).await;
    let cancel = std::sync::atomic::AtomicBool::new(false);
    let approved = migration.plan.approve_overriding_all("accepted in this test on purpose").unwrap();
    let run = ferry::apply::RunLog::in_memory_run("run-1", &approved);
    let options = ferry::apply::ApplyOptions::default();
    let journal = ferry::apply::apply(&sandbox, &run, &cancel, &options, &|_| {}).await;
    assert_eq!(journal.entries.len(), migration.plan.steps.len(), "every step ran");
    let role = &sandbox.snapshot().roles["ferry-shop-api-task"];
    assert!(role.inline_policies["shop-s3-access"].to_string().contains("${aws:username}"));
    assert!(role.tags.iter().any(|t| t.key == "ferry:run-id" && t.value == "run-1"));
}

#[tokio::test]
async fn stores_sharing_a_group_get_one_ingress_rule_on_the_admitting_group() {
    let reader = "[[databases]]\nidentifier = \"shop-db-reader\"\nengine = \"aurora-postgresql\"\nengine_version = \"15.4\"\n\
                  endpoint = \"shop-db-reader.c9akciq32xyz.us-east-1.rds.amazonaws.com\"\nport = 5432\n\
                  vpc_id = \"vpc-0c4f1a2b3d5e6f708\"\nsecurity_group_ids = [\"sg-0e5f6a7b8c9d0e1f2\", \"sg-0c3d4e5f6a7b8c9d0\"]\n\n[[caches]]";
    let (sandbox, migration) = prepared(&SCENARIO.replacen("[[caches]]", reader, 1)).await;
    let rules: Vec<_> = migration
        .plan
        .steps
        .iter()
        .filter_map(|s| match &s.action {
            Action::AuthorizeIngress { group_id, port, .. } => Some((group_id.as_str(), *port)),
            _ => None,
        })
        .collect();
    assert_eq!(
        rules,
        [("sg-0c3d4e5f6a7b8c9d0", 5432), ("sg-0d4e5f6a7b8c9d0e1", 6379)],
        "the reader's first group is not the admitting one"
    );
    let cancel = std::sync::atomic::AtomicBool::new(false);
    let approved = migration.plan.approve_overriding_all("accepted in this test on purpose").unwrap();
    let run = ferry::apply::RunLog::in_memory_run("run-2", &approved);
    let options = ferry::apply::ApplyOptions::default();
    let journal = ferry::apply::apply(&sandbox, &run, &cancel, &options, &|_| {}).await;
    assert_eq!(journal.entries.len(), migration.plan.steps.len(), "no duplicate rule fails the apply");
}

#[tokio::test]
async fn what_discovery_could_not_see_is_a_deny_naming_the_permission() {
    let mut migration = node_shop().await;
    migration.graph.unseen.push(ferry::model::Unseen {
        what: "RDS instances".into(),
        reason: "access denied".into(),
        missing_action: Some("rds:DescribeDBInstances".into()),
    });
    let source = ferry::plan::ImageSource::Build { source_dir: None };
    let plan =
        ferry::plan::build_plan(&migration.graph, &migration.profile, &migration.artifacts, &migration.account, source);
    let unseen = check(&plan, "unseen:RDS instances").expect("what was not seen is judged");
    assert_eq!(unseen.level, ferry::plan::CheckLevel::Deny);
    assert!(
        unseen.message.contains("could not see RDS instances (needs rds:DescribeDBInstances)"),
        "{}",
        unseen.message
    );
}

#[tokio::test]
async fn what_only_the_cutover_or_the_retirement_needs_warns_instead_of_denying() {
    let mut migration = node_shop().await;
    let gap = |what: &str, action: &str| ferry::model::Unseen {
        what: what.into(),
        reason: "access denied".into(),
        missing_action: Some(action.into()),
    };
    migration.graph.unseen.push(gap("CloudWatch alarms", "cloudwatch:DescribeAlarms"));
    migration.graph.unseen.push(gap("EBS volumes", "ec2:DescribeVolumes"));
    migration
        .graph
        .unseen
        .push(gap("names of certificate arn:aws:acm:us-east-1:1:certificate/x", "acm:DescribeCertificate"));
    let source = ferry::plan::ImageSource::Build { source_dir: None };
    let plan =
        ferry::plan::build_plan(&migration.graph, &migration.profile, &migration.artifacts, &migration.account, source);
    for (id, says) in [
        ("unseen:CloudWatch alarms", "checklist and today's cost will miss them"),
        ("unseen:EBS volumes", "checklist and today's cost will miss them"),
        ("unseen:names of certificate arn:aws:acm:us-east-1:1:certificate/x", "cannot confirm the certificate covers"),
    ] {
        let judged = check(&plan, id).expect("what was not seen is judged");
        assert_eq!(judged.level, ferry::plan::CheckLevel::Warning, "{id}");
        assert!(judged.message.contains(says), "{}", judged.message);
    }
}

#[tokio::test]
async fn a_secret_edited_into_the_environment_denies_the_plan() {
    let migration = node_shop().await;
    let mut artifacts = migration.artifacts.clone();
    artifacts
        .service_config
        .primary_container
        .environment
        .push(ferry::model::KeyValuePair { name: "API_TOKEN".into(), value: "plain".into() });
    let edited = migration.with_artifacts(artifacts);
    assert!(edited.plan.is_denied());
    assert!(edited.plan.checks().iter().any(|c| c.message == "secrets in plain environment: API_TOKEN"));
}

#[tokio::test]
async fn a_start_line_with_redirections_gives_a_clean_command() {
    let text = SCENARIO
        .replacen("pm2 start server.js --name shop-api\n", "nohup node server.js >> /var/log/app.log 2>&1 &\n", 1)
        .replacen("nohup node", "node", 1);
    let (_, migration) = prepared(&text).await;
    assert_eq!(migration.profile.start_command, ["node", "server.js"]);
    assert!(migration.artifacts.dockerfile.contains("CMD [\"node\", \"server.js\"]"));
}

fn check(plan: &Plan, id: &str) -> Option<ferry::plan::Check> {
    plan.checks().into_iter().find(|c| c.id == id)
}

#[tokio::test]
async fn denies_name_what_an_operator_must_accept_in_writing() {
    use ferry::plan::CheckLevel::{Deny, Pass};
    let plan = node_shop().await.plan;
    let wildcard = check(&plan, "wildcard-iam:AmazonSESFullAccess:ses:*").expect("the SES grant is named");
    assert_eq!(wildcard.level, Deny);
    assert_eq!(check(&plan, "single-task").map(|c| c.level), Some(Pass), "2 tasks across 2 zones");
    assert_eq!(check(&plan, "health-check").map(|c| c.level), Some(Pass));
    assert!(check(&plan, "open-data-store:shop-db").is_none());

    // The database open to the internet on its port.
    let open = SCENARIO.replacen(
        "ingress = [{ port = 5432, source_group = \"sg-0b2c3d4e5f6a7b8c9\" }]",
        "ingress = [{ port = 5432, source_group = \"sg-0b2c3d4e5f6a7b8c9\" }, { port = 5432, cidr = \"0.0.0.0/0\" }]",
        1,
    );
    let (_, migration) = prepared(&open).await;
    let deny = check(&migration.plan, "open-data-store:shop-db").expect("0.0.0.0/0 to the database is denied");
    assert_eq!(deny.level, Deny);
    assert!(deny.message.contains("admits the whole internet on 5432 through sg-0c3d4e5f6a7b8c9"), "{}", deny.message);

    // A service edited down to one task, and without a health check path.
    let mut artifacts = node_shop().await.artifacts;
    artifacts.service_config.scaling_target.min_task_count = 1;
    artifacts.service_config.health_check_path = String::new();
    let edited = node_shop().await.with_artifacts(artifacts).plan;
    assert_eq!(check(&edited, "single-task").map(|c| c.level), Some(Deny));
    assert_eq!(check(&edited, "health-check").map(|c| c.level), Some(Deny));
    let denies = edited.denies();
    let ids: Vec<&str> = denies.iter().map(|c| c.id.as_str()).collect();
    assert_eq!(ids, ["single-task", "health-check", "wildcard-iam:AmazonSESFullAccess:ses:*"]);
}

#[tokio::test]
async fn a_prebuilt_image_needs_no_repository_and_no_build() {
    let migration = node_shop().await.with_image("public.ecr.aws/acme/shop:1.4.2");
    let plan = &migration.plan;
    assert!(!ids(plan).contains(&"ecr-repository") && !ids(plan).contains(&"image"), "{:?}", ids(plan));
    assert!(check(plan, "prebuilt-image").is_some_and(|c| c.message.contains("public.ecr.aws/acme/shop:1.4.2")));
    let built = node_shop().await.plan;
    let Action::BuildAndPushImage { dockerfile, dockerfile_sha256, .. } =
        &built.steps.iter().find(|s| s.id == "image").unwrap().action
    else {
        panic!("the image step builds")
    };
    assert_eq!(dockerfile_sha256, &ferry::digest::sha256_hex(dockerfile.as_bytes()));
    // Another Dockerfile is another plan: the hash covers what is built.
    let mut artifacts = node_shop().await.artifacts;
    artifacts.dockerfile.push_str("RUN echo changed\n");
    assert_ne!(node_shop().await.with_artifacts(artifacts).plan.hash, built.hash);
}

#[tokio::test]
async fn an_image_named_with_ferrys_own_repository_is_still_run_as_it_is() {
    // `--image URI` means "run this image", even when the URI is the repository ferry would
    // have created: no repository to make, nothing to build.
    let own = "111122223333.dkr.ecr.us-east-1.amazonaws.com/shop-api:1.4.2";
    let migration = node_shop().await.with_image(own);
    let plan = &migration.plan;
    assert!(!ids(plan).contains(&"ecr-repository") && !ids(plan).contains(&"image"), "{:?}", ids(plan));
    assert!(check(plan, "prebuilt-image").is_some_and(|c| c.message.contains(own)));
    // And it stays so when the source folder is read again.
    let again = migration.with_app(None);
    assert!(!ids(&again.plan).contains(&"image"), "{:?}", ids(&again.plan));
    assert_eq!(again.artifacts.service_config.primary_container.image, own);
}

#[tokio::test]
async fn a_plan_in_another_partition_names_its_roles_and_secrets_there() {
    let china = SCENARIO.replacen("region = \"us-east-1\"", "region = \"cn-north-1\"", 1);
    let (_, migration) = prepared(&china).await;
    let config = &migration.artifacts.service_config;
    assert!(config.execution_role_arn.starts_with("arn:aws-cn:iam::"), "{}", config.execution_role_arn);
    assert!(config.primary_container.secrets.iter().all(|s| s.value_from.starts_with("arn:aws-cn:secretsmanager:")));
    let invalid: Vec<String> = migration.plan.invalid().iter().map(ToString::to_string).collect();
    assert!(invalid.is_empty(), "{invalid:#?}");
    assert!(migration.plan.verify().is_ok());
}
