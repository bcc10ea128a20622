//! The issue's edits are each refused, on their line; a valid text has nothing to say.

use super::*;

const ACCOUNT: &str = "111122223333";
const REGION: &str = "us-east-1";

/// A valid service.json, laid out as ferry writes it: `cpu` on line 18, the task counts on 25–26.
const VALID: &str = r#"{
  "serviceName": "shop-api",
  "cluster": "default",
  "primaryContainer": {
    "image": "111122223333.dkr.ecr.us-east-1.amazonaws.com/shop-api:latest",
    "containerPort": 3000,
    "environment": [
      {
        "name": "PORT",
        "value": "3000"
      }
    ],
    "secrets": []
  },
  "executionRoleArn": "arn:aws:iam::111122223333:role/ferry-shop-api-execution",
  "infrastructureRoleArn": "${ferry:infrastructure-role.arn}",
  "healthCheckPath": "/healthz",
  "cpu": "1024",
  "memory": "2048",
  "networkConfiguration": {
    "securityGroups": ["sg-0a1b2c3d"],
    "subnets": ["subnet-0a11pub1a", "subnet-0b22pub1b"]
  },
  "scalingTarget": {
    "minTaskCount": 2,
    "maxTaskCount": 4,
    "autoScalingMetric": "AVERAGE_CPU",
    "autoScalingTargetValue": 60
  },
  "tags": [
    { "key": "ferry:run-id", "value": "${ferry:run-id}" }
  ]
}"#;

fn check(text: &str) -> Vec<(usize, String, String)> {
    let (_, problems) = check_service_json(text, ACCOUNT, REGION);
    problems.into_iter().map(|p| (p.line, p.problem.field, p.problem.message)).collect()
}

#[test]
fn a_valid_text_reads_and_has_no_problem() {
    let (config, problems) = check_service_json(VALID, ACCOUNT, REGION);
    assert_eq!(problems, vec![]);
    assert_eq!(config.map(|c| c.cpu), Some("1024".to_string()));
}

#[test]
fn cpu_999_and_banana_are_refused_on_the_cpu_line() {
    for cpu in ["999", "banana"] {
        let found = check(&VALID.replace(r#""cpu": "1024""#, &format!(r#""cpu": "{cpu}""#)));
        assert_eq!(found.len(), 1, "{found:?}");
        let (line, field, message) = &found[0];
        assert_eq!((*line, field.as_str()), (18, "cpu"), "{found:?}");
        assert!(message.contains("not a Fargate cpu value"), "{message}");
    }
}

#[test]
fn more_tasks_at_least_than_at_most_is_refused_on_its_line() {
    let found = check(&VALID.replace(r#""minTaskCount": 2"#, r#""minTaskCount": 9"#));
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!((found[0].0, found[0].1.as_str()), (26, "scalingTarget.maxTaskCount"));
    assert!(found[0].2.contains("4 is less than minTaskCount 9"), "{found:?}");
}

#[test]
fn a_syntax_error_or_a_wrong_type_is_one_problem_on_its_line() {
    let found = check(&VALID.replace(r#""cpu": "1024","#, r#""cpu": "1024""#));
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].0, 19, "the missing comma shows where the next member starts: {found:?}");
    assert!(found[0].2.starts_with("does not read as a service config: expected `,`"), "{found:?}");
    assert!(!found[0].2.contains("at line"), "the line is the problem's, not the message's: {found:?}");

    let found = check(&VALID.replace(r#""cpu": "1024""#, r#""cpu": 1024"#));
    assert_eq!(found[0].0, 18, "{found:?}");
    assert!(found[0].2.contains("invalid type: integer `1024`, expected a string"), "{found:?}");
    assert_eq!(check("")[0].0, 1);
}

#[test]
fn fields_in_lists_find_their_element_or_the_nearest_written_parent() {
    let lines = field_lines(VALID);
    assert_eq!(line_of(&lines, "primaryContainer.environment[0].name"), 9);
    assert_eq!(line_of(&lines, "networkConfiguration.subnets[1]"), 22);
    assert_eq!(line_of(&lines, "tags[0].key"), 31);
    assert_eq!(line_of(&lines, "taskRoleArn"), 1, "absent: the first line");
    assert_eq!(line_of(&lines, "primaryContainer.command[0]"), 4, "no command: the container");
    let bad_tag = VALID.replace("ferry:run-id\", \"value\"", "aws:x\", \"value\"");
    assert!(check(&bad_tag).iter().any(|(line, field, _)| *line == 31 && field == "tags[0].key"));
}

#[test]
fn the_walk_survives_any_text() {
    for text in ["{", "[[[", "{\"a\": }", "}}}", "\"", "{\"a\":[1,}", &"[".repeat(10_000)] {
        let _ = field_lines(text);
    }
}

#[test]
fn dockerfile_problems_are_on_their_instruction_line() {
    let found = check_dockerfile("FROM node:20\nWORKDIR /app\nFOO bar\nCMD [\"node\", \"server.js\"]\n");
    let unknown = found.iter().find(|p| p.problem.message.contains("\"FOO\" is not a Dockerfile instruction"));
    assert_eq!(unknown.map(|p| p.line), Some(3), "{found:?}");
    assert_eq!(check_dockerfile("")[0].line, 1, "a whole-file problem is on the first line");
}
