//! Roles the account already has that serve exactly as the execution or infrastructure role the
//! plan would make: the same trust, exactly the same policies. The plan then names such a role
//! instead of making another, assumes it stays as it is (apply refuses if it changed), and never
//! changes or removes it: it has no step, so rollback has nothing to undo.
//!
//! "Fits" is judged from a trust document and a list of policies, so the same judgement serves
//! the planner (on roles as read) and every later read of the plan (on the role as assumed).

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::checks::{INFRASTRUCTURE_POLICY, TASK_EXECUTION_POLICY};
use super::{AssumedPolicy, Assumption};
use crate::model::{ExpressServiceConfig, PolicyKind, Role, Unseen};

/// Which of the service's roles an existing role would stand in for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RolePurpose {
    /// Pulls the image, writes logs and reads the service's secrets.
    Execution,
    /// Lets Express Mode make the service's load balancer and scaling.
    Infrastructure,
}

impl RolePurpose {
    /// Both, in the order the plan's steps would make them.
    pub const ALL: [RolePurpose; 2] = [RolePurpose::Execution, RolePurpose::Infrastructure];

    /// The service principal that assumes the role.
    pub fn service(self) -> &'static str {
        match self {
            RolePurpose::Execution => "ecs-tasks.amazonaws.com",
            RolePurpose::Infrastructure => "ecs.amazonaws.com",
        }
    }

    /// The one AWS managed policy the plan's own role would attach.
    pub fn managed_policy(self) -> &'static str {
        match self {
            RolePurpose::Execution => TASK_EXECUTION_POLICY,
            RolePurpose::Infrastructure => INFRASTRUCTURE_POLICY,
        }
    }

    /// The name the ECS console and documentation give such a role: preferred when several fit.
    pub fn well_known_name(self) -> &'static str {
        match self {
            RolePurpose::Execution => "ecsTaskExecutionRole",
            RolePurpose::Infrastructure => "ecsInfrastructureRoleForExpressServices",
        }
    }

    /// The id of the step that makes the plan's own role of this purpose.
    pub fn step_id(self) -> &'static str {
        match self {
            RolePurpose::Execution => "execution-role",
            RolePurpose::Infrastructure => "infrastructure-role",
        }
    }

    /// The service config's field naming the role.
    pub fn config_field(self) -> &'static str {
        match self {
            RolePurpose::Execution => "executionRoleArn",
            RolePurpose::Infrastructure => "infrastructureRoleArn",
        }
    }

    /// The ARN the service config names for this role.
    pub fn arn_in(self, config: &ExpressServiceConfig) -> &str {
        match self {
            RolePurpose::Execution => &config.execution_role_arn,
            RolePurpose::Infrastructure => &config.infrastructure_role_arn,
        }
    }
}

/// The account's roles that might stand in for one the plan makes, read in full, and what could
/// not be read (the plan then makes its own role, as it would without them).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExistingRoles {
    /// Roles whose trust fits one of the purposes, with their policies.
    #[serde(default)]
    pub roles: Vec<Role>,
    /// What could not be listed or read, with the permission that was missing.
    #[serde(default)]
    pub unseen: Vec<Unseen>,
}

impl ExistingRoles {
    /// Nothing found and nothing missed: what a plan without reuse was made from.
    pub fn is_empty(&self) -> bool {
        self.roles.is_empty() && self.unseen.is_empty()
    }
}

/// Where a role would be used: the account and region, and the secrets the execution role must
/// read (as the service names them) with the grant ferry's own role would carry for them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RoleScope {
    account_id: String,
    region: String,
    /// `arn:P:secretsmanager:R:A:secret:ferry/SERVICE/*`: what the plan's own role grants.
    secret_prefix_arn: String,
    /// The ARN of each secret the service reads.
    secrets: Vec<String>,
}

impl RoleScope {
    /// The scope of the service `config` describes, in the plan's account and region.
    pub fn for_service(config: &ExpressServiceConfig, account_id: &str, region: &str) -> RoleScope {
        let names = crate::generate::Names::for_service(&config.service_name);
        let partition = crate::model::partition(region);
        RoleScope {
            account_id: account_id.to_string(),
            region: region.to_string(),
            secret_prefix_arn: format!(
                "arn:{partition}:secretsmanager:{region}:{account_id}:secret:{}*",
                names.secret_prefix
            ),
            secrets: config.primary_container.secrets.iter().map(|s| s.value_from.clone()).collect(),
        }
    }
}

impl RoleScope {
    /// The account and region alone: enough to judge trust, which names no secret.
    pub fn account(account_id: &str, region: &str) -> RoleScope {
        RoleScope {
            account_id: account_id.to_string(),
            region: region.to_string(),
            secret_prefix_arn: String::new(),
            secrets: Vec::new(),
        }
    }
}

/// The names of listed roles worth reading in full: those whose trust already fits one of the
/// purposes (a listing holds the trust, not the policies), not another run's, in the account,
/// well-known names first, then by name, at most `limit`.
pub fn candidates(listed: &[Role], scope: &RoleScope, limit: usize) -> Vec<String> {
    let mut names: Vec<(bool, &str)> = listed
        .iter()
        .filter(|r| !r.name.starts_with("ferry-") && in_account(&r.arn, &r.name, scope))
        .filter(|r| RolePurpose::ALL.iter().any(|p| trust_misfit(*p, &r.trust_policy, scope).is_none()))
        .map(|r| (!RolePurpose::ALL.iter().any(|p| p.well_known_name() == r.name), r.name.as_str()))
        .collect();
    names.sort_unstable();
    names.dedup();
    names.into_iter().take(limit).map(|(_, name)| name.to_string()).collect()
}

/// Names in the service config, for each purpose, the existing role that fits best, if any:
/// what the plan then uses instead of making its own.
pub fn name_fitting_roles(config: &mut ExpressServiceConfig, existing: &ExistingRoles, account_id: &str, region: &str) {
    let scope = RoleScope::for_service(config, account_id, region);
    if let Some(role) = choose(existing, RolePurpose::Execution, &scope) {
        config.execution_role_arn = role.arn.clone();
    }
    if let Some(role) = choose(existing, RolePurpose::Infrastructure, &scope) {
        config.infrastructure_role_arn = role.arn.clone();
    }
}

/// A role's policies as a plan assumes them: managed ones by name and ARN (AWS revises its own
/// policies' documents, which ferry's own roles would attach just the same), inline ones with
/// their documents.
pub fn assumed_policies(role: &Role) -> Vec<AssumedPolicy> {
    role.policies
        .iter()
        .map(|p| AssumedPolicy {
            name: p.name.clone(),
            arn: p.arn.clone(),
            document: if p.kind == PolicyKind::Inline { p.document.clone() } else { None },
        })
        .collect()
}

/// The assumption that `role` stays exactly as it was read.
pub fn existing_role_assumption(role: &Role) -> Assumption {
    Assumption::ExistingRole {
        role_name: role.name.clone(),
        role_arn: role.arn.clone(),
        trust_policy: role.trust_policy.clone(),
        policies: assumed_policies(role),
    }
}

/// Why a role with this trust and these policies does not serve as the plan's own role of
/// `purpose` would, or `None` when it does.
pub fn misfit(purpose: RolePurpose, trust: &Value, policies: &[AssumedPolicy], scope: &RoleScope) -> Option<String> {
    if let Some(why) = trust_misfit(purpose, trust, scope) {
        return Some(why);
    }
    let managed: Vec<&str> = policies.iter().filter_map(|p| p.arn.as_deref()).collect();
    if managed != [purpose.managed_policy()] {
        let names: Vec<&str> = managed.iter().map(|arn| short_name(arn)).collect();
        return Some(format!(
            "it has {} attached, not exactly {}",
            if names.is_empty() { "no managed policy".to_string() } else { names.join(", ") },
            short_name(purpose.managed_policy())
        ));
    }
    let inline: Vec<&AssumedPolicy> = policies.iter().filter(|p| p.arn.is_none()).collect();
    let needs_secrets = purpose == RolePurpose::Execution && !scope.secrets.is_empty();
    match inline.as_slice() {
        [] if needs_secrets => Some("it cannot read the service's secrets".into()),
        [] => None,
        [policy] if needs_secrets => secret_grant_misfit(policy, scope),
        _ => Some(format!(
            "it has inline policies ({}) the plan's own role would not",
            inline.iter().map(|p| p.name.as_str()).collect::<Vec<_>>().join(", ")
        )),
    }
}

/// The trust lets exactly `purpose`'s service assume the role, with nothing that could stop it:
/// every statement an Allow of `sts:AssumeRole` to that one service, conditioned at most on the
/// plan's own account (the confused-deputy guard AWS recommends).
pub fn trust_misfit(purpose: RolePurpose, trust: &Value, scope: &RoleScope) -> Option<String> {
    let service = purpose.service();
    let statements = as_list(trust.get("Statement"));
    if statements.is_empty() {
        return Some("its trust policy has no statement".into());
    }
    for statement in statements {
        let Some(fields) = statement.as_object() else { return Some("its trust policy is not readable".into()) };
        if let Some(key) =
            fields.keys().find(|k| !["Sid", "Effect", "Principal", "Action", "Condition"].contains(&k.as_str()))
        {
            return Some(format!("its trust policy has {key}"));
        }
        if statement.get("Effect").and_then(Value::as_str) != Some("Allow") {
            return Some("its trust policy has a statement that is not an Allow".into());
        }
        if !is_only(statement.get("Action"), "sts:AssumeRole") {
            return Some("its trust policy allows more than sts:AssumeRole".into());
        }
        let principal = statement.get("Principal").and_then(Value::as_object);
        let only_service = principal.is_some_and(|p| p.len() == 1 && is_only(p.get("Service"), service));
        if !only_service {
            return Some(format!("its trust policy lets in more or other than {service}"));
        }
        if let Some(condition) = statement.get("Condition")
            && !condition_is_own_account(condition, scope)
        {
            return Some("its trust policy has a condition that may keep ECS out".into());
        }
    }
    None
}

/// Conditions that only confine the service to the plan's own account: `aws:SourceAccount`
/// equal to it, or `aws:SourceArn` like any ECS resource of it in the plan's region.
fn condition_is_own_account(condition: &Value, scope: &RoleScope) -> bool {
    let Some(operators) = condition.as_object() else { return false };
    let partition = crate::model::partition(&scope.region);
    let own_arn = format!("arn:{partition}:ecs:{}:{}:*", scope.region, scope.account_id);
    !operators.is_empty()
        && operators.iter().all(|(operator, keys)| {
            let Some(keys) = keys.as_object() else { return false };
            !keys.is_empty()
                && keys.iter().all(|(key, value)| match (operator.as_str(), key.as_str()) {
                    ("StringEquals", "aws:SourceAccount") => is_only(Some(value), &scope.account_id),
                    ("ArnLike" | "StringLike", "aws:SourceArn") => is_only(Some(value), &own_arn),
                    _ => false,
                })
        })
}

/// The one inline policy grants `secretsmanager:GetSecretValue` on the service's secrets and
/// nothing else: on ferry's prefix for the service, as the plan's own role would, or on each
/// secret the service reads by its exact name.
fn secret_grant_misfit(policy: &AssumedPolicy, scope: &RoleScope) -> Option<String> {
    let name = &policy.name;
    let Some(document) = &policy.document else { return Some(format!("its policy {name} could not be read")) };
    let mut resources: Vec<&str> = Vec::new();
    for statement in as_list(document.get("Statement")) {
        let Some(fields) = statement.as_object() else { return Some(format!("its policy {name} is not readable")) };
        let plain = fields.keys().all(|k| ["Sid", "Effect", "Action", "Resource"].contains(&k.as_str()));
        let allow = statement.get("Effect").and_then(Value::as_str) == Some("Allow");
        if !plain || !allow || !is_only(statement.get("Action"), "secretsmanager:GetSecretValue") {
            return Some(format!("its policy {name} grants more than reading secrets"));
        }
        resources.extend(as_list(statement.get("Resource")).iter().filter_map(|r| r.as_str()));
    }
    resources.sort_unstable();
    resources.dedup();
    let mut exact: Vec<String> = scope.secrets.iter().map(|s| format!("{s}-??????")).collect();
    exact.sort_unstable();
    exact.dedup();
    let on_prefix = resources == [scope.secret_prefix_arn.as_str()];
    (!on_prefix && resources != exact).then(|| format!("its policy {name} does not read exactly the service's secrets"))
}

/// The fitting role to use for `purpose`, if any: the well-known name first, then by name, so
/// the same account always gives the same plan. Roles named `ferry-…` are another run's, which
/// its rollback would delete from under this service.
pub fn choose<'a>(existing: &'a ExistingRoles, purpose: RolePurpose, scope: &RoleScope) -> Option<&'a Role> {
    choose_among(existing.roles.iter(), purpose, scope)
}

fn choose_among<'a>(
    roles: impl Iterator<Item = &'a Role>,
    purpose: RolePurpose,
    scope: &RoleScope,
) -> Option<&'a Role> {
    let mut fitting: Vec<&Role> = roles
        .filter(|r| !r.name.starts_with("ferry-") && in_account(&r.arn, &r.name, scope))
        .filter(|r| misfit(purpose, &r.trust_policy, &assumed_policies(r), scope).is_none())
        .collect();
    fitting.sort_by_key(|r| (r.name != purpose.well_known_name(), r.name.clone()));
    fitting.first().copied()
}

/// The ARN is this role's in the plan's account (a listing of another account's role, or an
/// ARN that does not end in the name, is not trusted to be the role the service would get).
pub fn in_account(arn: &str, name: &str, scope: &RoleScope) -> bool {
    arn.starts_with("arn:")
        && arn.contains(&format!(":iam::{}:role/", scope.account_id))
        && arn.rsplit('/').next() == Some(name)
}

/// The role the plan assumes under this ARN, as (name, trust, policies).
pub fn assumed_role<'a>(assumptions: &'a [Assumption], arn: &str) -> Option<(&'a str, &'a Value, &'a [AssumedPolicy])> {
    assumptions.iter().find_map(|a| match a {
        Assumption::ExistingRole { role_name, role_arn, trust_policy, policies } if role_arn == arn => {
            Some((role_name.as_str(), trust_policy, policies.as_slice()))
        }
        _ => None,
    })
}

/// The policy's name: the part of its ARN after the last `/`.
pub fn short_name(arn: &str) -> &str {
    arn.rsplit('/').next().unwrap_or(arn)
}

/// The element holds exactly `wanted`, as a string or a list of one.
fn is_only(value: Option<&Value>, wanted: &str) -> bool {
    let items = as_list(value);
    items.len() == 1 && items[0].as_str() == Some(wanted)
}

/// A policy element that may be one value or a list of them.
fn as_list(value: Option<&Value>) -> Vec<&Value> {
    match value {
        Some(Value::Array(items)) => items.iter().collect(),
        Some(single) => vec![single],
        None => Vec::new(),
    }
}

/// The existing role the service config names for `purpose`, when it is one of `existing` and
/// fits: the plan then uses it and makes no role of its own for that purpose.
pub fn reused_role<'a>(
    existing: &'a ExistingRoles,
    purpose: RolePurpose,
    config: &ExpressServiceConfig,
    scope: &RoleScope,
) -> Option<&'a Role> {
    let arn = purpose.arn_in(config);
    choose_among(existing.roles.iter().filter(|r| r.arn == arn), purpose, scope)
}

#[cfg(test)]
#[path = "reuse_tests.rs"]
mod tests;
