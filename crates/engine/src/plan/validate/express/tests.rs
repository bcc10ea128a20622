//! Each rule with a valid baseline and one edit that breaks it, naming its field.

use super::*;
use crate::model::{KeyValuePair, SecretRef};

const ACCOUNT: &str = "111122223333";
const REGION: &str = "us-east-1";

fn baseline() -> ExpressServiceConfig {
    ExpressServiceConfig {
        service_name: "shop-api".into(),
        cluster: "default".into(),
        primary_container: PrimaryContainer {
            image: "111122223333.dkr.ecr.us-east-1.amazonaws.com/shop-api:latest".into(),
            container_port: 3000,
            command: vec!["node".into(), "server.js".into()],
            environment: vec![
                KeyValuePair { name: "PORT".into(), value: "3000".into() },
                KeyValuePair { name: "NODE_ENV".into(), value: "production".into() },
            ],
            secrets: vec![
                SecretRef {
                    name: "DB_PASSWORD".into(),
                    value_from: "arn:aws:secretsmanager:us-east-1:111122223333:secret:ferry/shop-api/DB_PASSWORD"
                        .into(),
                },
                SecretRef { name: "API_KEY".into(), value_from: "${ferry:secret-api-key.arn}".into() },
            ],
        },
        execution_role_arn: "arn:aws:iam::111122223333:role/ferry-shop-api-execution".into(),
        infrastructure_role_arn: "${ferry:infrastructure-role.arn}".into(),
        task_role_arn: Some("arn:aws:iam::111122223333:role/service-role/ferry-shop-api-task".into()),
        health_check_path: "/healthz?deep=1".into(),
        cpu: "1024".into(),
        memory: "2048".into(),
        network_configuration: NetworkConfiguration {
            security_groups: vec!["${ferry:service-security-group.groupId}".into(), "sg-0a1b2c3d".into()],
            subnets: vec!["subnet-0a11pub1a".into(), "subnet-0b22pub1b".into()],
        },
        scaling_target: ScalingTarget {
            min_task_count: 2,
            max_task_count: 4,
            auto_scaling_metric: "AVERAGE_CPU".into(),
            auto_scaling_target_value: 60,
        },
        tags: vec![Tag::new("ferry:run-id", "${ferry:run-id}"), Tag::new("ferry:source-instance", "i-0a1b2c3d")],
    }
}

fn problems(edit: impl FnOnce(&mut ExpressServiceConfig)) -> Vec<Invalid> {
    let mut config = baseline();
    edit(&mut config);
    validate_service_config(&config, ACCOUNT, REGION)
}

/// Exactly one problem, on `field`, whose message holds `words`.
#[track_caller]
fn rejects(field: &str, words: &str, edit: impl FnOnce(&mut ExpressServiceConfig)) {
    let found = problems(edit);
    assert!(
        found.len() == 1 && found[0].field == field && found[0].message.contains(words),
        "expected one problem on {field} saying {words:?}, found {found:#?}"
    );
}

#[test]
fn the_baseline_is_valid() {
    assert_eq!(problems(|_| {}), vec![]);
}

#[test]
fn service_and_cluster_names() {
    rejects("serviceName", "is empty", |c| c.service_name.clear());
    rejects("serviceName", "letters, digits, underscores and hyphens", |c| c.service_name = "shop api".into());
    rejects("serviceName", "ECS allows 255", |c| c.service_name = "a".repeat(256));
    rejects("cluster", "letters, digits", |c| c.cluster = "prod/cluster".into());
    let arn = |account: &str| format!("arn:aws:ecs:us-east-1:{account}:cluster/shop");
    assert_eq!(problems(|c| c.cluster = arn(ACCOUNT)), vec![]);
    rejects("cluster", "names account \"999988887777\"", |c| c.cluster = arn("999988887777"));
    rejects("cluster", "names region \"eu-west-1\"", |c| {
        c.cluster = "arn:aws:ecs:eu-west-1:111122223333:cluster/shop".into()
    });
    rejects("cluster", "not a cluster ARN", |c| c.cluster = "arn:aws:ecs:us-east-1:111122223333:service/x".into());
}

#[test]
fn role_arns_are_this_accounts_or_the_plans() {
    rejects("executionRoleArn", "names account \"999988887777\"", |c| {
        c.execution_role_arn = "arn:aws:iam::999988887777:role/x".into()
    });
    rejects("infrastructureRoleArn", "not an IAM role ARN", |c| c.infrastructure_role_arn = "ferry-infra".into());
    rejects("infrastructureRoleArn", "not an IAM role ARN", |c| {
        c.infrastructure_role_arn = "${ferry:infrastructure-role.groupId}".into()
    });
    rejects("taskRoleArn", "not an IAM role ARN", |c| {
        c.task_role_arn = Some("arn:aws:iam::111122223333:user/alice".into())
    });
    rejects("taskRoleArn", "has a region", |c| {
        c.task_role_arn = Some("arn:aws:iam:us-east-1:111122223333:role/x".into())
    });
    rejects("taskRoleArn", "role name", |c| c.task_role_arn = Some("arn:aws:iam::111122223333:role/".into()));
    rejects("taskRoleArn", "role name", |c| {
        c.task_role_arn = Some(format!("arn:aws:iam::111122223333:role/{}", "r".repeat(65)))
    });
    rejects("taskRoleArn", "path", |c| c.task_role_arn = Some("arn:aws:iam::111122223333:role/a b/x".into()));
    rejects("taskRoleArn", "not an IAM role ARN", |c| c.task_role_arn = Some(String::new()));
    assert_eq!(problems(|c| c.task_role_arn = None), vec![]);
}

#[test]
fn partitions_follow_the_region() {
    assert_eq!(partition("cn-north-1"), "aws-cn");
    assert_eq!(partition("us-gov-west-1"), "aws-us-gov");
    assert_eq!(partition("us-isob-east-1"), "aws-iso-b");
    assert_eq!(partition("eu-west-1"), "aws");
    let mut china = baseline();
    china.execution_role_arn = "arn:aws-cn:iam::111122223333:role/x".into();
    let found = validate_service_config(&china, ACCOUNT, "cn-north-1");
    let fields: Vec<&str> = found.iter().map(|i| i.field.as_str()).collect();
    assert!(!fields.contains(&"executionRoleArn"), "{found:#?}");
    assert!(fields.contains(&"taskRoleArn") && fields.contains(&"primaryContainer.secrets[0].valueFrom"), "{found:#?}");
    assert!(found.iter().any(|i| i.message.contains("partition \"aws\"")), "{found:#?}");
}

#[test]
fn health_check_path() {
    rejects("healthCheckPath", "must start with /", |c| c.health_check_path = "health".into());
    rejects("healthCheckPath", "must start with /", |c| c.health_check_path.clear());
    rejects("healthCheckPath", "printable ASCII", |c| c.health_check_path = "/a b".into());
    rejects("healthCheckPath", "at most 1024", |c| c.health_check_path = format!("/{}", "a".repeat(1024)));
}

#[test]
fn cpu_and_memory_are_a_fargate_pair() {
    rejects("cpu", "256, 512, 1024, 2048, 4096, 8192, 16384", |c| c.cpu = "banana".into());
    rejects("cpu", "not a Fargate cpu value", |c| c.cpu = "999".into());
    rejects("cpu", "not a Fargate cpu value", |c| c.cpu = "01024".into());
    rejects("cpu", "not a Fargate cpu value", |c| c.cpu = "99999999999999999999999".into());
    rejects("memory", "2048 to 8192 MiB in steps of 1024", |c| c.memory = "999".into());
    rejects("memory", "does not go with cpu 256: Fargate accepts 512, 1024 or 2048 MiB", |c| {
        c.cpu = "256".into();
        c.memory = "4096".into();
    });
    rejects("memory", "not a whole number of MiB", |c| c.memory = "2 GB".into());
    let both = problems(|c| {
        c.cpu = "-1".into();
        c.memory = "".into();
    });
    assert_eq!(both.iter().map(|i| i.field.as_str()).collect::<Vec<_>>(), ["cpu", "memory"]);
    assert_eq!(problems(|c| (c.cpu, c.memory) = ("16384".into(), "122880".into())), vec![]);
}

#[test]
fn network_ids() {
    rejects("networkConfiguration.subnets[1]", "subnet-", |c| c.network_configuration.subnets[1] = "sg-1".into());
    rejects("networkConfiguration.subnets[1]", "listed twice", |c| {
        c.network_configuration.subnets[1] = "subnet-0a11pub1a".into()
    });
    rejects("networkConfiguration.subnets", "at most 16", |c| {
        c.network_configuration.subnets = (0..17).map(|i| format!("subnet-{i}")).collect()
    });
    rejects("networkConfiguration.securityGroups", "at most 5", |c| {
        c.network_configuration.security_groups = (0..6).map(|i| format!("sg-{i}")).collect()
    });
    rejects("networkConfiguration.securityGroups[0]", "sg-", |c| {
        c.network_configuration.security_groups[0] = "${ferry:service-security-group.arn}".into()
    });
    assert_eq!(
        problems(|c| c.network_configuration = NetworkConfiguration { security_groups: vec![], subnets: vec![] }),
        vec![]
    );
}

#[test]
fn scaling_target() {
    let target = "scalingTarget.";
    rejects(&format!("{target}minTaskCount"), "at least 1", |c| c.scaling_target.min_task_count = 0);
    rejects(&format!("{target}maxTaskCount"), "less than minTaskCount 2", |c| c.scaling_target.max_task_count = 1);
    rejects(&format!("{target}maxTaskCount"), "Tasks per service", |c| c.scaling_target.max_task_count = u32::MAX);
    rejects(&format!("{target}autoScalingMetric"), "AVERAGE_CPU, AVERAGE_MEMORY, REQUEST_COUNT_PER_TARGET", |c| {
        c.scaling_target.auto_scaling_metric = "average_cpu".into()
    });
    rejects(&format!("{target}autoScalingTargetValue"), "at least 1", |c| {
        c.scaling_target.auto_scaling_target_value = 0
    });
    rejects(&format!("{target}autoScalingTargetValue"), "1 to 100", |c| {
        c.scaling_target.auto_scaling_target_value = 101
    });
    assert_eq!(
        problems(|c| {
            c.scaling_target.auto_scaling_metric = "REQUEST_COUNT_PER_TARGET".into();
            c.scaling_target.auto_scaling_target_value = 1000;
            (c.scaling_target.min_task_count, c.scaling_target.max_task_count) = (1, 5000);
        }),
        vec![]
    );
}

#[test]
fn container_image_port_and_command() {
    let image = "primaryContainer.image";
    rejects(image, "is empty", |c| c.primary_container.image.clear());
    rejects(image, "whitespace", |c| c.primary_container.image = "nginx latest".into());
    rejects(image, "letters, digits", |c| c.primary_container.image = "nginx:ümlaut".into());
    rejects(image, "ECS allows 255", |c| c.primary_container.image = "a".repeat(256));
    rejects(image, "64 hexadecimal digits", |c| c.primary_container.image = "nginx@sha256:abc".into());
    let digest = format!("public.ecr.aws/nginx/nginx@sha256:{}", "a".repeat(64));
    assert_eq!(problems(|c| c.primary_container.image = digest), vec![]);
    rejects("primaryContainer.containerPort", "1 to 65535", |c| c.primary_container.container_port = 0);
    rejects("primaryContainer.command[1]", "NUL", |c| c.primary_container.command[1] = "a\0b".into());
}

#[test]
fn environment_and_secret_names() {
    let env = |i: usize| format!("primaryContainer.environment[{i}].name");
    rejects(&env(1), "is empty", |c| c.primary_container.environment[1].name.clear());
    rejects(&env(1), "holds =", |c| c.primary_container.environment[1].name = "A=B".into());
    rejects(&env(1), "whitespace", |c| c.primary_container.environment[1].name = "A B".into());
    rejects(&env(1), "control", |c| c.primary_container.environment[1].name = "A\u{1b}[2J".into());
    rejects(&env(1), "also primaryContainer.environment[0].name", |c| {
        c.primary_container.environment[1].name = "PORT".into()
    });
    rejects("primaryContainer.secrets[1].name", "also primaryContainer.environment[1].name", |c| {
        c.primary_container.secrets[1].name = "NODE_ENV".into()
    });
    rejects("primaryContainer.environment[0].value", "NUL", |c| c.primary_container.environment[0].value = "\0".into());
}

#[test]
fn secrets_come_from_this_account_and_region() {
    let field = "primaryContainer.secrets[0].valueFrom";
    let set = |value: &str| {
        let value = value.to_string();
        move |c: &mut ExpressServiceConfig| c.primary_container.secrets[0].value_from = value
    };
    rejects(field, "names region \"eu-west-1\"", set("arn:aws:secretsmanager:eu-west-1:111122223333:secret:x"));
    rejects(field, "names account \"999988887777\"", set("arn:aws:secretsmanager:us-east-1:999988887777:secret:x"));
    rejects(field, "not an ARN", set("ferry/shop-api/DB_PASSWORD"));
    rejects(field, "not a secret or parameter ARN", set("arn:aws:s3:::bucket/key"));
    rejects(field, "not a secret or parameter ARN", set("arn:aws:secretsmanager:us-east-1:111122223333:secret:"));
    rejects(field, "not an ARN", set("${ferry:secret-db.groupId}"));
    for good in [
        "arn:aws:ssm:us-east-1:111122223333:parameter/shop/db-password",
        "arn:aws:secretsmanager:us-east-1:111122223333:secret:shop-AbCdEf:password::",
    ] {
        assert_eq!(problems(set(good)), vec![], "{good}");
    }
}

#[test]
fn tags() {
    rejects("tags[1].key", "is empty", |c| c.tags[1].key.clear());
    rejects("tags[1].key", "at most 128", |c| c.tags[1].key = "k".repeat(129));
    rejects("tags[1].value", "at most 256", |c| c.tags[1].value = "v".repeat(257));
    rejects("tags[1].key", "starts with aws:", |c| c.tags[1].key = "AWS:cloudformation:stack-name".into());
    rejects("tags[1].value", "starts with aws:", |c| c.tags[1].value = "aws:x".into());
    rejects("tags[1].key", "used twice", |c| c.tags[1].key = "ferry:run-id".into());
    rejects("tags[1].value", "holds \"$\"", |c| c.tags[1].value = "${HOME}".into());
    rejects("tags[1].value", "holds \"\\u{7}\"", |c| c.tags[1].value = "bell\u{7}".into());
    rejects("tags", "at most 50", |c| c.tags = (0..51).map(|i| Tag::new(&format!("k{i}"), "v")).collect());
    assert_eq!(problems(|c| c.tags = vec![Tag::new("Team Name", "Zahlungsverkehr Süd @1 +2 ü_.:/=")]), vec![]);
}

#[test]
fn placeholders_fill_the_whole_value() {
    assert_eq!(placeholder("${ferry:task-role.arn}"), Some(("task-role", "arn")));
    assert_eq!(placeholder("${ferry:run-id}"), None, "no step output");
    assert_eq!(placeholder("x${ferry:a.arn}"), None);
    assert_eq!(placeholder("${ferry:a.arn}}"), None);
    assert_eq!(without_placeholders("a${ferry:run-id}b${ferry:x"), "ab${ferry:x");
}

#[test]
fn hostile_text_never_panics_and_is_escaped() {
    let nasty = "\u{0}\u{1b}[31m\u{202e}é🦀".repeat(5_000);
    let found = problems(|c| {
        c.service_name = nasty.clone();
        c.cluster = format!("arn:{nasty}");
        c.execution_role_arn = format!("arn:aws:iam::{ACCOUNT}:role/{nasty}");
        c.health_check_path = format!("/{nasty}");
        c.cpu = nasty.clone();
        c.memory = nasty.clone();
        c.primary_container.image = nasty.clone();
        c.primary_container.environment[0].name = nasty.clone();
        c.primary_container.secrets[0].value_from = format!("arn:aws:secretsmanager:{nasty}");
        c.tags[0].value = nasty.clone();
        c.tags[1].key = "é".into();
    });
    assert!(found.len() >= 10, "{found:#?}");
    for invalid in &found {
        let text = invalid.to_string();
        assert!(!text.chars().any(|c| c.is_control() || c == '\u{202e}'), "{text:?}");
        assert!(text.len() < 1_000, "{text}");
    }
}
