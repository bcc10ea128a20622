//! How a plan that names an existing role is judged, from its content alone: the check that says
//! which role is reused and why it fits, and the integrity problems of a plan that names an
//! existing role it does not assume, or assumes one that does not fit.

use super::integrity::{Problem, problem};
use super::reuse::{RolePurpose, RoleScope, assumed_role, in_account, misfit, short_name};
use super::{Action, Assumption, Check, CheckLevel, Plan};
use crate::model::ExpressServiceConfig;

/// One check per existing role the service uses: a pass saying why it fits, or a deny saying
/// why not (a plan ferry makes never holds one; integrity refuses it first).
pub(super) fn reuse_checks(plan: &Plan, config: &ExpressServiceConfig) -> Vec<Check> {
    let scope = RoleScope::for_service(config, &plan.account_id, &plan.region);
    let mut checks = Vec::new();
    for purpose in RolePurpose::ALL {
        let arn = purpose.arn_in(config);
        if plan.created_role(arn).is_some() {
            continue;
        }
        let Some((name, trust, policies)) = assumed_role(&plan.assumptions, arn) else { continue };
        let id = format!("reused-role:{name}");
        let check = match misfit(purpose, trust, policies, &scope) {
            None => {
                let managed = short_name(purpose.managed_policy());
                let secrets = policies
                    .iter()
                    .find(|p| p.arn.is_none())
                    .map(|p| format!(" and {}, which reads only the service's secrets", p.name))
                    .unwrap_or_default();
                Check {
                    id,
                    level: CheckLevel::Pass,
                    message: format!(
                        "reuses the existing role {name}: it already trusts {} and has exactly {managed}{secrets}",
                        purpose.service()
                    ),
                }
            }
            Some(why) => Check {
                id,
                level: CheckLevel::Deny,
                message: format!("the service would use the existing role {name}, but {why}"),
            },
        };
        checks.push(check);
    }
    checks
}

/// The service's execution and infrastructure roles are each made by the plan or an existing
/// role it assumes, which fits; every existing role it assumes is one the service uses.
pub(super) fn role_problems(
    plan: &Plan,
    config: &ExpressServiceConfig,
    field: &dyn Fn(&str) -> String,
) -> Vec<Problem> {
    let scope = RoleScope::for_service(config, &plan.account_id, &plan.region);
    let mut problems = Vec::new();
    for purpose in RolePurpose::ALL {
        let arn = purpose.arn_in(config);
        if plan.created_role(arn).is_some() {
            continue;
        }
        let message = match assumed_role(&plan.assumptions, arn) {
            None => format!(
                "{arn} is not a role this plan creates, nor an existing role it assumes with the trust and policies it relies on"
            ),
            Some((name, _, _)) if !in_account(arn, name, &scope) => {
                format!("{arn} is not the ARN of role {name} in account {}", plan.account_id)
            }
            Some((name, trust, policies)) => match misfit(purpose, trust, policies, &scope) {
                None => continue,
                Some(why) => format!("the existing role {name} does not serve as the {} role: {why}", label(purpose)),
            },
        };
        problems.push(problem(field(purpose.config_field()), message));
    }
    for assumption in &plan.assumptions {
        let Assumption::ExistingRole { role_name, role_arn, .. } = assumption else { continue };
        let used =
            RolePurpose::ALL.iter().any(|p| p.arn_in(config) == role_arn) && plan.created_role(role_arn).is_none();
        if !used {
            problems.push(problem(
                "assumptions",
                format!("assumes the existing role {role_name}, which the service does not use instead of one the plan makes"),
            ));
        }
    }
    problems
}

/// An existing role assumed by a plan with no service to use it.
pub(super) fn unused_role_problems(plan: &Plan) -> Vec<Problem> {
    let has_service = plan.steps.iter().any(|s| matches!(s.action, Action::CreateExpressService { .. }));
    if has_service {
        return Vec::new();
    }
    plan.assumptions
        .iter()
        .filter_map(|a| match a {
            Assumption::ExistingRole { role_name, .. } => Some(problem(
                "assumptions",
                format!("assumes the existing role {role_name}, but the plan makes no service to use it"),
            )),
            _ => None,
        })
        .collect()
}

fn label(purpose: RolePurpose) -> &'static str {
    match purpose {
        RolePurpose::Execution => "execution",
        RolePurpose::Infrastructure => "infrastructure",
    }
}
