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

use super::{Invalid, quoted};
use crate::generate::{TaskSize, fargate_accepts, fargate_cpus, fargate_memory_choices};
use crate::model::partition;
use crate::model::placeholders::PREFIX;
use crate::model::{ExpressServiceConfig, NetworkConfiguration, PrimaryContainer, ScalingTarget, Tag};

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

/// `arn:partition:service:region:account:resource`, split.
struct Arn<'a> {
    partition: &'a str,
    service: &'a str,
    region: &'a str,
    account: &'a str,
    resource: &'a str,
}

fn parse_arn(text: &str) -> Option<Arn<'_>> {
    let mut parts = text.splitn(6, ':');
    if parts.next()? != "arn" {
        return None;
    }
    Some(Arn {
        partition: parts.next()?,
        service: parts.next()?,
        region: parts.next()?,
        account: parts.next()?,
        resource: parts.next()?,
    })
}

/// `${ferry:STEP.KEY}` as the whole value (filled at apply time with what step STEP made):
/// `(STEP, KEY)`.
fn placeholder(value: &str) -> Option<(&str, &str)> {
    let inner = value.strip_prefix(PREFIX)?.strip_suffix('}')?;
    let (step, key) = inner.split_once('.')?;
    let step_ok = !step.is_empty() && step.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
    let key_ok = !key.is_empty() && key.chars().all(|c| c.is_ascii_alphanumeric());
    (step_ok && key_ok).then_some((step, key))
}

/// The text with every closed `${ferry:...}` taken out: what is left is checked as literal
/// text, the placeholders being filled at apply time with ids made of safe characters.
fn without_placeholders(text: &str) -> String {
    let mut out = String::new();
    let mut rest = text;
    while let Some(start) = rest.find(PREFIX) {
        let Some(end) = rest[start..].find('}') else { break };
        out.push_str(&rest[..start]);
        rest = &rest[start + end + 1..];
    }
    out.push_str(rest);
    out
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

    /// An ARN of this account and partition, and of this region when `regional`. Says what
    /// differs; `true` when nothing does.
    fn owned(&mut self, field: &str, arn: &Arn, regional: bool) -> bool {
        let before = self.found.len();
        if arn.partition != self.partition {
            let message = format!(
                "is in partition {}, but the plan deploys to {} (partition {})",
                quoted(arn.partition),
                self.region,
                self.partition
            );
            self.bad(field, message);
        }
        if arn.account != self.account {
            let message =
                format!("names account {}; the plan deploys to account {}", quoted(arn.account), self.account);
            self.bad(field, message);
        }
        if regional && arn.region != self.region {
            let message = format!("names region {}; the plan deploys to {}", quoted(arn.region), self.region);
            self.bad(field, message);
        }
        self.found.len() == before
    }

    fn cluster(&mut self, cluster: &str) {
        if !cluster.starts_with("arn:") {
            return self.ecs_name("cluster", cluster, "cluster");
        }
        let expected = format!("arn:{}:ecs:{}:{}:cluster/NAME", self.partition, self.region, self.account);
        match parse_arn(cluster).filter(|arn| arn.service == "ecs") {
            Some(arn) if self.owned("cluster", &arn, true) => match arn.resource.strip_prefix("cluster/") {
                Some(name) => self.ecs_name("cluster", name, "cluster"),
                None => self.bad("cluster", format!("{} is not a cluster ARN: expected {expected}", quoted(cluster))),
            },
            Some(_) => {}
            None => self.bad("cluster", format!("{} is not a cluster ARN: expected {expected}", quoted(cluster))),
        }
    }

    /// A role of this account, or one the plan creates (`${ferry:STEP.arn}`).
    fn role(&mut self, field: &str, value: &str) {
        if placeholder(value).is_some_and(|(_, key)| key == "arn") {
            return;
        }
        let expected = format!(
            "expected arn:{}:iam::{}:role/NAME, or a role the plan creates (${{ferry:STEP.arn}})",
            self.partition, self.account
        );
        if value.len() > MAX_ARN {
            return self.bad(field, format!("is {} characters long; IAM ARNs have at most {MAX_ARN}", value.len()));
        }
        let Some(arn) = parse_arn(value).filter(|arn| arn.service == "iam") else {
            return self.bad(field, format!("{} is not an IAM role ARN: {expected}", quoted(value)));
        };
        let Some(rest) = arn.resource.strip_prefix("role/") else {
            return self.bad(field, format!("{} is not an IAM role ARN: {expected}", quoted(value)));
        };
        if !arn.region.is_empty() {
            self.bad(field, format!("{} has a region; IAM ARNs have none: {expected}", quoted(value)));
        }
        self.owned(field, &arn, false);
        // role/NAME or role/PATH/NAME: IAM's pathType is / or /printable-ASCII/.
        let (path, name) = rest.rsplit_once('/').unwrap_or(("", rest));
        if !path.chars().all(|c| ('\u{21}'..='\u{7e}').contains(&c)) || path.len() + 2 > MAX_ROLE_PATH {
            self.bad(
                field,
                format!("{}: a role's path is printable ASCII, at most {MAX_ROLE_PATH} characters", quoted(path)),
            );
        }
        let name_ok = (1..=MAX_ROLE_NAME).contains(&name.len())
            && name.chars().all(|c| c.is_ascii_alphanumeric() || "_+=,.@-".contains(c));
        if !name_ok {
            self.bad(field, format!("{}: a role name is 1-{MAX_ROLE_NAME} letters, digits and _+=,.@-", quoted(name)));
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

    /// A Secrets Manager secret or SSM parameter of this account and region, or one the plan
    /// creates (`${ferry:STEP.arn}`).
    fn secret_source(&mut self, field: &str, value: &str) {
        if placeholder(value).is_some_and(|(_, key)| key == "arn") {
            return;
        }
        let (partition, region, account) = (self.partition, self.region, self.account);
        let expected = format!(
            "expected arn:{partition}:secretsmanager:{region}:{account}:secret:NAME, \
             arn:{partition}:ssm:{region}:{account}:parameter/NAME, or a secret the plan creates"
        );
        let Some(arn) = parse_arn(value) else {
            return self.bad(field, format!("{} is not an ARN: {expected}", quoted(value)));
        };
        let well_formed = match arn.service {
            // secret:NAME, optionally :json-key:version-stage:version-id after it.
            "secretsmanager" => arn.resource.strip_prefix("secret:").is_some_and(|rest| {
                let mut parts = rest.split(':');
                let name = parts.next().unwrap_or_default();
                (1..=512).contains(&name.len())
                    && name.chars().all(|c| c.is_ascii_alphanumeric() || "/_+=.@-".contains(c))
                    && parts.count() <= 3
            }),
            "ssm" => arn.resource.strip_prefix("parameter/").is_some_and(|name| {
                (1..=2048).contains(&name.len())
                    && name.chars().all(|c| c.is_ascii_alphanumeric() || "_.-/".contains(c))
            }),
            _ => false,
        };
        if !well_formed {
            return self.bad(field, format!("{} is not a secret or parameter ARN: {expected}", quoted(value)));
        }
        self.owned(field, &arn, true);
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
mod tests {
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
        assert!(
            fields.contains(&"taskRoleArn") && fields.contains(&"primaryContainer.secrets[0].valueFrom"),
            "{found:#?}"
        );
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
        rejects("primaryContainer.environment[0].value", "NUL", |c| {
            c.primary_container.environment[0].value = "\0".into()
        });
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
}
