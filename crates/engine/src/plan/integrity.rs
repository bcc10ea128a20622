//! Facts a plan states that follow from its content: the checks, the Dockerfile's digest, the
//! assumptions its steps need, and how its steps refer to one another. A plan made by ferry
//! states them exactly; a plan edited by hand and hashed again states them only if the editor
//! got every one right, and is refused, naming the field, otherwise.

use super::checks::judge;
use super::{Action, Assumption, Check, Plan, SecretSource};
use crate::model::ExpressServiceConfig;
use crate::model::placeholders::RUN_ID;

/// One derived fact the plan states wrongly, or a reference its content does not support.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// Where in the plan file, e.g. `steps[1].action.dockerfile_sha256`.
    pub field: String,
    /// What is wrong, in a sentence.
    pub message: String,
}

pub(super) fn problem(field: impl Into<String>, message: impl Into<String>) -> Problem {
    Problem { field: field.into(), message: message.into() }
}

/// Services a role ferry creates may be assumed by.
const ROLE_SERVICES: [&str; 2] = ["ecs-tasks.amazonaws.com", "ecs.amazonaws.com"];

/// Every problem, in the order of the plan file.
pub fn derived_problems(plan: &Plan) -> Vec<Problem> {
    let mut problems = Vec::new();
    problems.extend(step_problems(plan));
    problems.extend(assumption_problems(plan));
    problems.extend(service_problems(plan));
    problems.extend(super::reuse_judge::unused_role_problems(plan));
    problems.extend(super::cutover_integrity::problems(plan));
    problems.extend(check_problems(plan.stated_checks(), &judge(plan)));
    problems
}

/// The digest of what is built, the tag rollback recognises its own work by, who may assume
/// a role, and where a rule's source comes from.
fn step_problems(plan: &Plan) -> Vec<Problem> {
    let mut problems = Vec::new();
    for (index, step) in plan.steps.iter().enumerate() {
        let field = |name: &str| format!("steps[{index}].action.{name}");
        match &step.action {
            Action::BuildAndPushImage { dockerfile, dockerfile_sha256, .. } => {
                let actual = crate::digest::sha256_hex(dockerfile.as_bytes());
                if *dockerfile_sha256 != actual {
                    problems.push(problem(
                        field("dockerfile_sha256"),
                        format!("states {dockerfile_sha256}, the Dockerfile it builds hashes to {actual}"),
                    ));
                }
            }
            Action::CreateRole { trusted_service, .. } if !ROLE_SERVICES.contains(&trusted_service.as_str()) => {
                problems.push(problem(
                    field("trusted_service"),
                    format!(
                        "{trusted_service} may not assume a role ferry makes (only {})",
                        ROLE_SERVICES.join(" or ")
                    ),
                ));
            }
            Action::AuthorizeIngress { source_group_id, .. } if !plan.is_created_group(source_group_id, index) => {
                problems.push(problem(
                        field("source_group_id"),
                        format!(
                            "{source_group_id} is not a group this plan makes: a rule from an existing source may already be there, and rollback would remove what ferry did not make"
                        ),
                    ));
            }
            _ => {}
        }
        let creates_taggable = step.action.creates_resource();
        if creates_taggable && !step.action.tags().iter().any(|t| t.key == "ferry:run-id" && t.value == RUN_ID) {
            let name = if matches!(step.action, Action::CreateExpressService { .. }) { "config.tags" } else { "tags" };
            problems.push(problem(
                field(name),
                format!("lacks the ferry:run-id tag {RUN_ID}: a crashed run could not tell this resource is its own"),
            ));
        }
    }
    problems
}

/// The assumptions every plan of these steps needs, so apply checks what the steps rely on.
fn assumption_problems(plan: &Plan) -> Vec<Problem> {
    let mut problems = Vec::new();
    let has = |wanted: &dyn Fn(&Assumption) -> bool| plan.assumptions.iter().any(wanted);
    // A secret read from user data is read at apply time: apply must check first that the
    // user data is still what the plan was made from.
    for step in &plan.steps {
        if let Action::CreateSecret { source: SecretSource::UserDataVariable { instance_id, .. }, .. } = &step.action
            && !has(&|a| matches!(a, Assumption::Instance { instance_id: i, .. } if i == instance_id))
        {
            problems.push(problem(
                "assumptions",
                format!(
                    "step {} reads the user data of {instance_id}, but the plan does not say what it holds",
                    step.id
                ),
            ));
        }
    }
    for step in &plan.steps {
        let creates = step.action.creates_resource();
        let assumed = has(&|a| matches!(a, Assumption::NameFree { step_id } if *step_id == step.id));
        if creates && !assumed {
            problems
                .push(problem("assumptions", format!("step {} creates, but nothing checks its name is free", step.id)));
        }
        if let Action::AuthorizeIngress { group_id, .. } = &step.action
            && !has(&|a| matches!(a, Assumption::SecurityGroupRules { group_id: g, .. } if g == group_id))
        {
            problems.push(problem(
                "assumptions",
                format!("step {} changes {group_id}, but the plan does not say which rules it has now", step.id),
            ));
        }
    }
    for assumption in &plan.assumptions {
        if let Assumption::NameFree { step_id } = assumption
            && !plan.steps.iter().any(|s| s.id == *step_id)
        {
            problems.push(problem("assumptions", format!("names step {step_id}, which the plan does not have")));
        }
    }
    let networks = plan.assumptions.iter().filter(|a| matches!(a, Assumption::Network { .. })).count();
    if networks > 1 {
        problems.push(problem("assumptions", "more than one network"));
    }
    problems
}

/// The service the plan creates is the plan's, in the plan's subnets, with the plan's roles,
/// secrets and image.
fn service_problems(plan: &Plan) -> Vec<Problem> {
    let mut problems = Vec::new();
    let services: Vec<(usize, &ExpressServiceConfig)> = plan
        .steps
        .iter()
        .enumerate()
        .filter_map(|(i, s)| match &s.action {
            Action::CreateExpressService { config } => Some((i, config.as_ref())),
            _ => None,
        })
        .collect();
    let [(index, config)] = services.as_slice() else {
        // A plan of a few resources (no service) is shown and judged as it is; two services
        // would make the plan's service name, and what its checks judged, ambiguous.
        if services.len() > 1 {
            problems.push(problem("steps", format!("{} services; a plan creates at most one", services.len())));
        }
        return problems;
    };
    let service = Service { index: *index, config };
    if config.service_name != plan.service_name {
        problems.push(problem(
            service.field("serviceName"),
            format!("{} is not the plan's service {}", config.service_name, plan.service_name),
        ));
    }
    problems.extend(service_network_problems(plan, &service));
    problems.extend(service_role_problems(plan, &service));
    problems.extend(service_secret_problems(plan, &service));
    problems.extend(service_image_problems(plan, &service));
    problems
}

/// The one service a plan creates, and the index of its step.
struct Service<'a> {
    index: usize,
    config: &'a ExpressServiceConfig,
}

impl Service<'_> {
    /// Where a field of the service's configuration is in the plan file.
    fn field(&self, name: &str) -> String {
        format!("steps[{}].action.config.{name}", self.index)
    }
}

/// The service runs in the subnets the plan assumes, with the security group the plan makes.
fn service_network_problems(plan: &Plan, service: &Service) -> Vec<Problem> {
    let mut problems = Vec::new();
    let config = service.config;
    let mut assumed: Vec<&str> = plan.assumed_subnets().iter().map(|s| s.id.as_str()).collect();
    let mut used: Vec<&str> = config.network_configuration.subnets.iter().map(String::as_str).collect();
    assumed.sort_unstable();
    used.sort_unstable();
    if assumed != used {
        problems.push(problem(
            service.field("networkConfiguration.subnets"),
            format!("{} are not the subnets the plan assumes ({})", used.join(", "), assumed.join(", ")),
        ));
    }
    for group in &config.network_configuration.security_groups {
        if !plan.is_created_group(group, service.index) {
            problems.push(problem(
                service.field("networkConfiguration.securityGroups"),
                format!("{group} is not the group this plan makes for the service"),
            ));
        }
    }
    problems
}

/// Every role the service names is one the plan creates, or, for the execution and
/// infrastructure roles, an existing role the plan assumes and that fits: the task role carries
/// the app's own permissions, which only a role made from the instance's is judged on.
fn service_role_problems(plan: &Plan, service: &Service) -> Vec<Problem> {
    let config = service.config;
    let mut problems = super::reuse_judge::role_problems(plan, config, &|name| service.field(name));
    if let Some(arn) = &config.task_role_arn
        && plan.created_role(arn).is_none()
    {
        problems.push(problem(service.field("taskRoleArn"), format!("{arn} is not a role this plan creates")));
    }
    problems
}

/// Every secret the service reads is one the plan creates, and every secret the plan creates
/// is one the service reads.
fn service_secret_problems(plan: &Plan, service: &Service) -> Vec<Problem> {
    let mut problems = Vec::new();
    let config = service.config;
    for (i, secret) in config.primary_container.secrets.iter().enumerate() {
        if plan.created_secret(&secret.value_from).is_none() {
            problems.push(problem(
                service.field(&format!("primaryContainer.secrets[{i}].valueFrom")),
                format!("{} is not a secret this plan creates", secret.value_from),
            ));
        }
    }
    for step in &plan.steps {
        let Action::CreateSecret { name, .. } = &step.action else { continue };
        let used = config
            .primary_container
            .secrets
            .iter()
            .any(|s| plan.created_secret(&s.value_from).is_some_and(|(created, _)| created == name));
        if !used {
            problems.push(problem("steps", format!("secret {name} is created but the service does not use it")));
        }
    }
    problems
}

/// At most one image is built; it is the one the service runs, pushed into a repository the
/// plan creates.
fn service_image_problems(plan: &Plan, service: &Service) -> Vec<Problem> {
    let mut problems = Vec::new();
    let config = service.config;
    let repositories: Vec<(&str, &str)> = plan
        .steps
        .iter()
        .filter_map(|s| match &s.action {
            Action::CreateEcrRepository { name, .. } => Some((s.id.as_str(), name.as_str())),
            _ => None,
        })
        .collect();
    let builds: Vec<(usize, &String)> = plan
        .steps
        .iter()
        .enumerate()
        .filter_map(|(i, s)| match &s.action {
            Action::BuildAndPushImage { image, .. } => Some((i, image)),
            _ => None,
        })
        .collect();
    if builds.len() > 1 {
        problems.push(problem("steps", "more than one image build"));
    }
    for (build, image) in builds {
        if *image != config.primary_container.image {
            problems.push(problem(
                service.field("primaryContainer.image"),
                format!("{} is not the image the plan builds ({image})", config.primary_container.image),
            ));
        }
        // A push into a repository ferry did not make would overwrite someone else's image.
        let registry = format!("{}.dkr.ecr.{}.amazonaws.com/", plan.account_id, plan.region);
        let into_own = repositories.iter().any(|(id, name)| {
            let uri = image
                .strip_prefix(&format!("${{ferry:{id}.repositoryUri}}"))
                .or_else(|| image.strip_prefix(&registry).and_then(|rest| rest.strip_prefix(name)));
            uri.is_some_and(|tag| tag.starts_with(':') || tag.starts_with('@'))
        });
        if !into_own {
            problems.push(problem(
                format!("steps[{build}].action.image"),
                format!("{image} is not in a repository this plan creates: the push would overwrite an image ferry did not make"),
            ));
        }
    }
    problems
}

/// The stated checks against those the content judges, first difference named.
fn check_problems(stated: &[Check], judged: &[Check]) -> Vec<Problem> {
    for check in judged {
        match stated.iter().find(|s| s.id == check.id) {
            None => {
                return vec![problem(
                    "checks",
                    format!("the content judges {} {}, which the file leaves out", check.level.label(), check.id),
                )];
            }
            Some(found) if found.level != check.level => {
                return vec![problem(
                    "checks",
                    format!(
                        "{} is stated as {}, the content judges it {}",
                        check.id,
                        found.level.label(),
                        check.level.label()
                    ),
                )];
            }
            Some(found) if found.message != check.message => {
                return vec![problem(
                    "checks",
                    format!("the message of {} is not the one the content gives", check.id),
                )];
            }
            Some(_) => {}
        }
    }
    if let Some(extra) = stated.iter().find(|s| !judged.iter().any(|j| j.id == s.id)) {
        return vec![problem("checks", format!("states {}, which the content does not judge", extra.id))];
    }
    if stated.len() != judged.len() || stated.iter().zip(judged).any(|(a, b)| a != b) {
        return vec![problem("checks", "are not in the order the content gives them")];
    }
    Vec::new()
}
