//! What fits and what does not, judged on documents alone.

use serde_json::{Value, json};

use super::*;

const SECRET: &str = "arn:aws:secretsmanager:eu-west-1:111122223333:secret:ferry/shop/DATABASE_URL";

fn scope(secrets: &[&str]) -> RoleScope {
    RoleScope {
        account_id: "111122223333".into(),
        region: "eu-west-1".into(),
        secret_prefix_arn: "arn:aws:secretsmanager:eu-west-1:111122223333:secret:ferry/shop/*".into(),
        secrets: secrets.iter().map(|s| s.to_string()).collect(),
    }
}

fn trust(service: &str, condition: Option<Value>) -> Value {
    let mut statement = json!({"Effect": "Allow", "Principal": {"Service": service}, "Action": "sts:AssumeRole"});
    if let Some(condition) = condition {
        statement["Condition"] = condition;
    }
    json!({"Version": "2012-10-17", "Statement": [statement]})
}

fn managed(arn: &str) -> AssumedPolicy {
    AssumedPolicy { name: short_name(arn).into(), arn: Some(arn.into()), document: None }
}

fn grant(resources: Value, actions: Value) -> AssumedPolicy {
    let document = json!({"Statement": [{"Effect": "Allow", "Action": actions, "Resource": resources}]});
    AssumedPolicy { name: "read".into(), arn: None, document: Some(document) }
}

fn fits(purpose: RolePurpose, trust: &Value, policies: &[AssumedPolicy], scope: &RoleScope) -> bool {
    misfit(purpose, trust, policies, scope).is_none()
}

#[test]
fn trust_is_exactly_the_service_confined_at_most_to_the_account() {
    let execution = RolePurpose::Execution;
    let policies = [managed(TASK_EXECUTION_POLICY)];
    let s = scope(&[]);
    assert!(fits(execution, &trust("ecs-tasks.amazonaws.com", None), &policies, &s));
    let own_arn = json!({"ArnLike": {"aws:SourceArn": "arn:aws:ecs:eu-west-1:111122223333:*"}});
    assert!(fits(execution, &trust("ecs-tasks.amazonaws.com", Some(own_arn)), &policies, &s));
    let other = json!({"StringEquals": {"aws:SourceAccount": "444455556666"}});
    assert!(!fits(execution, &trust("ecs-tasks.amazonaws.com", Some(other)), &policies, &s));
    let mfa = json!({"Bool": {"aws:MultiFactorAuthPresent": "true"}});
    assert!(!fits(execution, &trust("ecs-tasks.amazonaws.com", Some(mfa)), &policies, &s));
    assert!(!fits(execution, &trust("ecs.amazonaws.com", None), &policies, &s));
    let two = json!({"Statement": [{"Effect": "Allow", "Principal": {"Service": ["ecs-tasks.amazonaws.com", "ec2.amazonaws.com"]}, "Action": "sts:AssumeRole"}]});
    assert!(!fits(execution, &two, &policies, &s));
    let deny = json!({"Statement": [
        {"Effect": "Allow", "Principal": {"Service": "ecs-tasks.amazonaws.com"}, "Action": "sts:AssumeRole"},
        {"Effect": "Deny", "Principal": {"Service": "ecs-tasks.amazonaws.com"}, "Action": "sts:AssumeRole"}
    ]});
    assert!(!fits(execution, &deny, &policies, &s));
    for odd in [Value::Null, json!({"Statement": []}), json!({"Statement": ["text"]}), json!("text")] {
        assert!(!fits(execution, &odd, &policies, &s), "{odd}");
    }
}

#[test]
fn secrets_are_read_exactly_or_the_role_does_not_fit() {
    let execution = RolePurpose::Execution;
    let t = trust("ecs-tasks.amazonaws.com", None);
    let s = scope(&[SECRET]);
    let action = json!("secretsmanager:GetSecretValue");
    let with = |grant: AssumedPolicy| [managed(TASK_EXECUTION_POLICY), grant];
    assert!(fits(execution, &t, &with(grant(json!(s.secret_prefix_arn), action.clone())), &s));
    assert!(fits(execution, &t, &with(grant(json!([format!("{SECRET}-??????")]), json!([action]))), &s));
    assert!(!fits(execution, &t, &with(grant(json!("*"), action.clone())), &s), "every secret");
    let two = json!([format!("{SECRET}-??????"), format!("{SECRET}X-??????")]);
    assert!(!fits(execution, &t, &with(grant(two, action.clone())), &s), "one more secret");
    let more = json!(["secretsmanager:GetSecretValue", "kms:Decrypt"]);
    assert!(!fits(execution, &t, &with(grant(json!(s.secret_prefix_arn), more)), &s));
    let unread = AssumedPolicy { name: "read".into(), arn: None, document: None };
    assert!(!fits(execution, &t, &with(unread), &s));
    assert!(!fits(execution, &t, &[managed(TASK_EXECUTION_POLICY)], &s), "no grant at all");
    let no_secrets = scope(&[]);
    assert!(!fits(execution, &t, &with(grant(json!(s.secret_prefix_arn), action)), &no_secrets), "a grant not needed");
}

#[test]
fn the_infrastructure_role_has_exactly_its_one_policy() {
    let infrastructure = RolePurpose::Infrastructure;
    let t = trust("ecs.amazonaws.com", None);
    let s = scope(&[]);
    assert!(fits(infrastructure, &t, &[managed(INFRASTRUCTURE_POLICY)], &s));
    assert!(!fits(infrastructure, &t, &[], &s));
    let admin = managed("arn:aws:iam::aws:policy/AdministratorAccess");
    assert!(!fits(infrastructure, &t, &[managed(INFRASTRUCTURE_POLICY), admin], &s));
    let inline = grant(json!("*"), json!("s3:GetObject"));
    assert!(!fits(infrastructure, &t, &[managed(INFRASTRUCTURE_POLICY), inline], &s));
}

fn listed(name: &str, account: &str, service: &str) -> Role {
    Role {
        arn: format!("arn:aws:iam::{account}:role/{name}"),
        name: name.into(),
        trust_policy: trust(service, None),
        policies: Vec::new(),
    }
}

#[test]
fn candidates_are_few_well_known_first_and_never_another_runs() {
    let mut roles: Vec<Role> =
        (0..30).map(|n| listed(&format!("r{n:02}"), "111122223333", "ecs.amazonaws.com")).collect();
    roles.push(listed("ecsTaskExecutionRole", "111122223333", "ecs-tasks.amazonaws.com"));
    roles.push(listed("ferry-shop-execution", "111122223333", "ecs-tasks.amazonaws.com"));
    roles.push(listed("web", "111122223333", "ec2.amazonaws.com"));
    roles.push(listed("aaa", "444455556666", "ecs.amazonaws.com"));
    let names = candidates(&roles, &RoleScope::account("111122223333", "eu-west-1"), 4);
    assert_eq!(names, ["ecsTaskExecutionRole", "r00", "r01", "r02"]);
}
