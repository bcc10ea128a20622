//! The Express service config against what `CreateExpressGatewayService` and the resources it
//! creates (a Fargate task definition, an ALB target group, an Application Auto Scaling
//! target) accept.
//!
//! botocore's model of the operation (ECS 2014-11-13, botocore 1.43) states little: the
//! required members, enum values, tags ≤ 50, tag keys 1–128 and values ≤ 256. Everything else
//! is enforced by the service only, so each rule says where its limit is documented. Where the
//! service accepts more than ferry would ever write (an SSM parameter by bare name, a secret of
//! another account), the rule keeps to what a reviewer can check against this account.

use std::collections::HashMap;

mod arns;

use super::{Invalid, quoted};
use crate::generate::{TaskSize, fargate_accepts, fargate_cpus, fargate_memory_choices};
use crate::model::partition;
use crate::model::{ExpressServiceConfig, NetworkConfiguration, PrimaryContainer, ScalingTarget, Tag};
use arns::{placeholder, without_placeholders};

/// ECS's quota "Tasks per service" (developer guide, Amazon ECS service quotas): the most tasks
/// one service runs, so the most a scaling target can ask for.
const MAX_TASKS: u32 = 5_000;
/// The values of `ExpressGatewayServiceScalingMetric` in botocore's model.
const METRICS: [&str; 3] = ["AVERAGE_CPU", "AVERAGE_MEMORY", "REQUEST_COUNT_PER_TARGET"];
/// `AwsVpcConfiguration` in botocore's model: "a limit of 16 subnets", "a limit of 5 security
/// groups"; the Express service passes its network configuration to the service it creates.
const MAX_SUBNETS: usize = 16;
const MAX_SECURITY_GROUPS: usize = 5;
/// `Tags` (max 50), `TagKey` (1–128) and `TagValue` (≤ 256) in botocore's model.
const MAX_TAGS: usize = 50;
const MAX_TAG_KEY: usize = 128;
const MAX_TAG_VALUE: usize = 256;
/// serviceName and cluster: "up to 255 letters (uppercase and lowercase), numbers,
/// underscores, and hyphens" (botocore's documentation of CreateExpressGatewayService and
/// CreateCluster). The image before any digest has the same length limit (ContainerDefinition).
const MAX_NAME: usize = 255;
/// The ELBv2 `Path` shape of a target group's health check: 1–1024 characters.
const MAX_HEALTH_CHECK_PATH: usize = 1024;
/// IAM's `arnType` (≤ 2048), `roleNameType` (1–64) and `pathType` (≤ 512) in botocore's model.
const MAX_ARN: usize = 2048;
const MAX_ROLE_NAME: usize = 64;
const MAX_ROLE_PATH: usize = 512;

/// Every rule `config` breaks, in the order of service.json. `account_id` and `region` are the
/// account the plan deploys to: role, secret and cluster ARNs must be of that account, in the
/// partition (and, where ARNs carry one, the region) of `region`.
pub fn validate_service_config(config: &ExpressServiceConfig, account_id: &str, region: &str) -> Vec<Invalid> {
    let mut rules = Rules { account: account_id, region, partition: partition(region), found: Vec::new() };
    rules.ecs_name("serviceName", &config.service_name, "service");
    rules.cluster(&config.cluster);
    rules.container(&config.primary_container);
    rules.role("executionRoleArn", &config.execution_role_arn);
    rules.role("infrastructureRoleArn", &config.infrastructure_role_arn);
    if let Some(arn) = &config.task_role_arn {
        rules.role("taskRoleArn", arn);
    }
    rules.health_check_path(&config.health_check_path);
    rules.task_size(&config.cpu, &config.memory);
    rules.network(&config.network_configuration);
    rules.scaling(&config.scaling_target);
    rules.tags(&config.tags);
    rules.found
}

/// Letters, digits, underscores and hyphens: ECS names.
fn is_ecs_name_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_' || c == '-'
}

struct Rules<'a> {
    account: &'a str,
    region: &'a str,
    partition: &'static str,
    found: Vec<Invalid>,
}

impl Rules<'_> {
    fn bad(&mut self, field: impl Into<String>, message: impl Into<String>) {
        self.found.push(Invalid::new(field, message));
    }

    fn ecs_name(&mut self, field: &str, name: &str, what: &str) {
        let length = name.chars().count();
        if name.is_empty() {
            self.bad(field, format!("is empty: a {what} needs a name"));
        } else if length > MAX_NAME {
            self.bad(field, format!("is {length} characters long; ECS allows {MAX_NAME}"));
        } else if !name.chars().all(is_ecs_name_char) {
            self.bad(
                field,
                format!("{}: a {what} name takes only letters, digits, underscores and hyphens", quoted(name)),
            );
        }
    }

    fn health_check_path(&mut self, path: &str) {
        let field = "healthCheckPath";
        if !path.starts_with('/') {
            self.bad(
                field,
                format!("{} must start with / (the load balancer requests it), e.g. /health", quoted(path)),
            );
        } else if path.len() > MAX_HEALTH_CHECK_PATH {
            self.bad(
                field,
                format!(
                    "is {} characters long; a target group's health check path has at most {MAX_HEALTH_CHECK_PATH}",
                    path.len()
                ),
            );
        } else if !path.chars().all(|c| ('\u{21}'..='\u{7e}').contains(&c)) {
            self.bad(
                field,
                format!(
                    "{} has a space or a character outside printable ASCII, which no request line carries",
                    quoted(path)
                ),
            );
        }
    }

    fn task_size(&mut self, cpu_text: &str, memory_text: &str) {
        let cpus: Vec<String> = fargate_cpus().map(|cpu| cpu.to_string()).collect();
        let cpu = whole_number(cpu_text).filter(|cpu| fargate_memory_choices(*cpu).is_some());
        if cpu.is_none() {
            self.bad(
                "cpu",
                format!(
                    "{} is not a Fargate cpu value: Fargate accepts {} (1024 is one vCPU)",
                    quoted(cpu_text),
                    cpus.join(", ")
                ),
            );
        }
        let memory = whole_number(memory_text);
        let choices = cpu.and_then(fargate_memory_choices);
        match (cpu, memory, choices) {
            (_, None, choices) => {
                let accepted = choices.map_or(String::new(), |c| format!("; with cpu {cpu_text} Fargate accepts {c}"));
                self.bad("memory", format!("{} is not a whole number of MiB{accepted}", quoted(memory_text)));
            }
            (Some(cpu), Some(memory), Some(choices)) if !fargate_accepts(TaskSize { cpu, memory }) => {
                self.bad("memory", format!("{memory} MiB does not go with cpu {cpu}: Fargate accepts {choices}"));
            }
            _ => {}
        }
    }

    fn network(&mut self, network: &NetworkConfiguration) {
        let lists = [
            ("subnets", &network.subnets, "subnet-", "", MAX_SUBNETS),
            ("securityGroups", &network.security_groups, "sg-", "groupId", MAX_SECURITY_GROUPS),
        ];
        for (name, ids, prefix, created_key, most) in lists {
            let field = format!("networkConfiguration.{name}");
            if ids.len() > most {
                self.bad(&field, format!("has {}; a service takes at most {most}", ids.len()));
            }
            for (index, id) in ids.iter().enumerate() {
                let created = !created_key.is_empty() && placeholder(id).is_some_and(|(_, key)| key == created_key);
                let well_formed = id.strip_prefix(prefix).is_some_and(|rest| {
                    !rest.is_empty() && rest.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit())
                });
                if !created && !well_formed {
                    self.bad(format!("{field}[{index}]"), format!("{} is not an id of the form {prefix}…", quoted(id)));
                }
                if ids[..index].contains(id) {
                    self.bad(format!("{field}[{index}]"), format!("{} is listed twice", quoted(id)));
                }
            }
        }
    }

    fn scaling(&mut self, target: &ScalingTarget) {
        let (min, max) = (target.min_task_count, target.max_task_count);
        if min == 0 {
            // A service scaled to nothing serves nothing, and target tracking on CPU or memory
            // has no task to measure, so it never scales out again.
            self.bad("scalingTarget.minTaskCount", "is 0: the service would run no task; at least 1");
        }
        if max < min {
            self.bad("scalingTarget.maxTaskCount", format!("{max} is less than minTaskCount {min}"));
        }
        if max > MAX_TASKS {
            self.bad(
                "scalingTarget.maxTaskCount",
                format!(
                    "{max} is more than the {MAX_TASKS} tasks ECS runs in one service (its Tasks per service quota)"
                ),
            );
        }
        let metric = target.auto_scaling_metric.as_str();
        if !METRICS.contains(&metric) {
            self.bad(
                "scalingTarget.autoScalingMetric",
                format!("{} is not one of {}", quoted(metric), METRICS.join(", ")),
            );
        }
        let value = target.auto_scaling_target_value;
        let percent = matches!(metric, "AVERAGE_CPU" | "AVERAGE_MEMORY");
        if value == 0 {
            // Target tracking adds tasks until the metric reaches the target: 0 is never reached.
            self.bad(
                "scalingTarget.autoScalingTargetValue",
                "is 0: the service would scale out without end; at least 1",
            );
        } else if percent && value > 100 {
            self.bad(
                "scalingTarget.autoScalingTargetValue",
                format!("{value} for {metric}, a percentage of the task's reservation: 1 to 100"),
            );
        }
    }

    fn container(&mut self, container: &PrimaryContainer) {
        self.image(&container.image);
        if container.container_port == 0 {
            self.bad("primaryContainer.containerPort", "is 0: a port is 1 to 65535");
        }
        for (index, word) in container.command.iter().enumerate() {
            if word.contains('\0') {
                self.bad(
                    format!("primaryContainer.command[{index}]"),
                    "holds a NUL character, which no process argument can",
                );
            }
        }
        // Environment variables and secrets both become the container's environment: one name,
        // one value.
        let mut names: HashMap<&str, String> = HashMap::new();
        let environment = container.environment.iter().map(|kv| (kv.name.as_str(), "environment"));
        let secrets = container.secrets.iter().map(|secret| (secret.name.as_str(), "secrets"));
        let counters = environment.enumerate().chain(secrets.enumerate());
        for (index, (name, list)) in counters {
            let field = format!("primaryContainer.{list}[{index}].name");
            self.variable_name(&field, name);
            if let Some(first) = names.get(name) {
                self.bad(&field, format!("{} is also {first}: each variable is set once", quoted(name)));
            } else {
                names.insert(name, field);
            }
        }
        for (index, kv) in container.environment.iter().enumerate() {
            if kv.value.contains('\0') {
                self.bad(
                    format!("primaryContainer.environment[{index}].value"),
                    "holds a NUL character, which no environment value can",
                );
            }
        }
        for (index, secret) in container.secrets.iter().enumerate() {
            self.secret_source(&format!("primaryContainer.secrets[{index}].valueFrom"), &secret.value_from);
        }
    }

    /// ECS states no rule for names; these are what a process environment cannot hold.
    fn variable_name(&mut self, field: &str, name: &str) {
        if name.is_empty() {
            self.bad(field, "is empty: a variable needs a name");
        } else if name.contains('=') {
            self.bad(field, format!("{} holds =, which ends a variable's name", quoted(name)));
        } else if name.chars().any(|c| c.is_whitespace() || c.is_control()) {
            self.bad(field, format!("{} holds whitespace or a control character", quoted(name)));
        }
    }

    /// ContainerDefinition.image in botocore's documentation: up to 255 letters, digits, `-_:./#`
    /// before any `@`; a digest is `sha256:` and 64 hexadecimal digits.
    fn image(&mut self, image: &str) {
        let field = "primaryContainer.image";
        if image.is_empty() {
            return self
                .bad(field, "is empty: name the image to run, e.g. ACCOUNT.dkr.ecr.REGION.amazonaws.com/NAME:TAG");
        }
        if image.chars().any(|c| c.is_whitespace() || c.is_control()) {
            return self.bad(field, format!("{} holds whitespace or a control character", quoted(image)));
        }
        // A repository the plan creates is named by its URI's placeholder, filled at apply
        // time with a registry host and repository name of safe characters.
        let literal = match image.find('}') {
            Some(end) if placeholder(&image[..=end]).is_some_and(|(_, key)| key == "repositoryUri") => {
                format!("registry.example/repository{}", &image[end + 1..])
            }
            _ => image.to_string(),
        };
        let image = literal.as_str();
        let (name, digest) = match image.split_once('@') {
            Some((name, digest)) => (name, Some(digest)),
            None => (image, None),
        };
        if name.chars().count() > MAX_NAME {
            self.bad(
                field,
                format!("is {} characters long before any digest; ECS allows {MAX_NAME}", name.chars().count()),
            );
        } else if name.is_empty() || !name.chars().all(|c| c.is_ascii_alphanumeric() || "-_:./#".contains(c)) {
            self.bad(field, format!("{}: an image reference takes letters, digits and -_:./# only", quoted(name)));
        }
        if let Some(digest) = digest {
            let hex = digest.strip_prefix("sha256:");
            if !hex.is_some_and(|hex| hex.len() == 64 && hex.chars().all(|c| c.is_ascii_hexdigit())) {
                self.bad(field, format!("{}: a digest is sha256: and 64 hexadecimal digits", quoted(digest)));
            }
        }
    }

    fn tags(&mut self, tags: &[Tag]) {
        if tags.len() > MAX_TAGS {
            self.bad("tags", format!("has {}; a service takes at most {MAX_TAGS}", tags.len()));
        }
        for (index, tag) in tags.iter().enumerate() {
            let key_field = format!("tags[{index}].key");
            let value_field = format!("tags[{index}].value");
            let key_length = tag.key.chars().count();
            if key_length == 0 {
                self.bad(&key_field, "is empty: a tag needs a key");
            } else if key_length > MAX_TAG_KEY {
                self.bad(&key_field, format!("is {key_length} characters long; a tag key has at most {MAX_TAG_KEY}"));
            }
            let value_length = tag.value.chars().count();
            if value_length > MAX_TAG_VALUE {
                self.bad(
                    &value_field,
                    format!("is {value_length} characters long; a tag value has at most {MAX_TAG_VALUE}"),
                );
            }
            for (field, text) in [(&key_field, &tag.key), (&value_field, &tag.value)] {
                self.tag_text(field, text);
            }
            if tags[..index].iter().any(|earlier| earlier.key == tag.key) {
                self.bad(&key_field, format!("{} is used twice: each key has one value", quoted(&tag.key)));
            }
        }
    }

    /// The pattern of `TagKey` and `TagValue` (`[\p{L}\p{Z}\p{N}_.:/=+\-@]*`), and the `aws:`
    /// prefix ECS reserves for keys and values alike (botocore's documentation of `Tag`).
    fn tag_text(&mut self, field: &str, text: &str) {
        let literal = without_placeholders(text);
        let allowed = |c: char| {
            c.is_alphabetic() || c.is_numeric() || (c.is_whitespace() && !c.is_control()) || "_.:/=+-@".contains(c)
        };
        if let Some(c) = literal.chars().find(|c| !allowed(*c)) {
            self.bad(
                field,
                format!(
                    "{} holds {}: tags take letters, digits, spaces and _.:/=+-@",
                    quoted(text),
                    quoted(&c.to_string())
                ),
            );
        }
        if text.get(..4).is_some_and(|prefix| prefix.eq_ignore_ascii_case("aws:")) {
            self.bad(field, format!("{} starts with aws:, which AWS reserves for its own tags", quoted(text)));
        }
    }
}

/// Decimal digits without sign, spaces or leading zeros, as ferry writes them; `None` for
/// anything else, and for numbers too large for a u32 (far beyond any Fargate size).
fn whole_number(text: &str) -> Option<u32> {
    let digits = !text.is_empty() && text.bytes().all(|b| b.is_ascii_digit()) && !text.starts_with('0');
    digits.then(|| text.parse().ok()).flatten()
}

#[cfg(test)]
mod tests;
