//! Single resources on the AWS backend over real HTTP against moto: deleting a role with what
//! holds it, a secret read from user data, and creating what already exists.

mod moto_apply;
mod support;

use moto_apply::*;
use std::sync::Mutex;

use serde_json::json;

use ferry::cloud::{Cloud, CloudError, ReadCloud};
use ferry::model::Tag;
use ferry::plan::{Action, InlinePolicy, SecretSource};
use support::estate;
use support::moto::Moto;

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
