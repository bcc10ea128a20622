//! What a cutover plan must hold together, judged from its content alone: every step changes
//! the one Express load balancer the plan names (and apply confirms is the service's own),
//! every split replaces exactly the records the plan assumes, and weights and gates only
//! touch records the plan itself split. A hand-edited plan pointing a step elsewhere is
//! refused before anyone is asked to approve it.

use super::integrity::{Problem, problem};
use super::{Action, Assumption, Plan, WeightedPair};
use crate::model::same_host;

/// Every problem of the plan's cutover steps, none for a plan without any.
pub(super) fn problems(plan: &Plan) -> Vec<Problem> {
    let ingress = plan.assumptions.iter().find_map(|a| match a {
        Assumption::ExpressIngress { load_balancer_arn, dns_name, listener_arn, rule_arn, .. } => {
            Some((load_balancer_arn, dns_name, listener_arn, rule_arn))
        }
        _ => None,
    });
    let splits = super::split_pairs(plan);
    let mut problems = certificate_problems(plan);
    for (index, step) in plan.steps.iter().enumerate() {
        let field = |name: &str| format!("steps[{index}].action.{name}");
        let Some((balancer, dns_name, listener, rule)) = ingress else {
            if is_cutover(&step.action) {
                problems.push(problem(
                    "assumptions",
                    format!("step {} changes an Express load balancer, but the plan does not say whose", step.id),
                ));
            }
            continue;
        };
        match &step.action {
            Action::AddRuleHost { rule_arn, .. } if rule_arn != rule => {
                problems.push(problem(field("rule_arn"), format!("{rule_arn} is not the service's rule {rule}")));
            }
            Action::AddListenerCertificate { listener_arn, .. } if listener_arn != listener => problems.push(problem(
                field("listener_arn"),
                format!("{listener_arn} is not the service's listener {listener}"),
            )),
            Action::SplitRecords { pair } => problems.extend(split_problems(plan, pair, dns_name, &field("pair"))),
            Action::FinalizeRecords { pair } => {
                problems.extend(finalize_problems(plan, pair, dns_name, &field("pair")))
            }
            Action::SetWeights { pair, .. } if !splits.contains(&pair.as_ref()) => problems.push(problem(
                field("pair"),
                format!("weighs records of {} that no split of this plan made", pair.host()),
            )),
            Action::HealthGate { sides, pairs, .. } => {
                if &sides.new_load_balancer_arn != balancer {
                    problems.push(problem(
                        field("sides.new_load_balancer_arn"),
                        format!("{} is not the service's load balancer {balancer}", sides.new_load_balancer_arn),
                    ));
                }
                if pairs.iter().any(|p| !splits.contains(&p)) {
                    problems.push(problem(field("pairs"), "returns records no split of this plan made".to_string()));
                }
            }
            _ => {}
        }
    }
    problems
}

/// The split's new records point at the service's load balancer, and it replaces exactly the
/// records the plan assumes are there.
fn split_problems(plan: &Plan, pair: &WeightedPair, dns_name: &str, field: &str) -> Vec<Problem> {
    let mut problems = Vec::new();
    if !same_host(&pair.new_target.dns_name, dns_name) {
        problems.push(problem(
            format!("{field}.new_target.dns_name"),
            format!("{} is not the service's load balancer {dns_name}", pair.new_target.dns_name),
        ));
    }
    let assumed = plan.assumptions.iter().any(|a| {
        matches!(a, Assumption::Records { zone_id, records } if *zone_id == pair.zone_id && *records == pair.records)
    });
    if !assumed || pair.records.is_empty() {
        problems.push(problem(
            format!("{field}.records"),
            format!("the records of {} it replaces are not the ones the plan assumes", pair.host()),
        ));
    }
    if pair.old_id == pair.new_id {
        problems.push(problem(format!("{field}.new_id"), "both sides of the pair have one identifier".to_string()));
    }
    problems
}

/// Finalize leaves records for the service's load balancer, in place of exactly the weighted
/// pairs the plan assumes are there.
fn finalize_problems(plan: &Plan, pair: &WeightedPair, dns_name: &str, field: &str) -> Vec<Problem> {
    let mut problems = Vec::new();
    if !same_host(&pair.new_target.dns_name, dns_name) {
        problems.push(problem(
            format!("{field}.new_target.dns_name"),
            format!("{} is not the service's load balancer {dns_name}", pair.new_target.dns_name),
        ));
    }
    let weighted: Vec<_> = pair.records.iter().flat_map(|r| [pair.old_record(r, 0), pair.new_record(r, 100)]).collect();
    let assumed = plan.assumptions.iter().any(
        |a| matches!(a, Assumption::Records { zone_id, records } if *zone_id == pair.zone_id && *records == weighted),
    );
    if !assumed || pair.records.is_empty() {
        problems.push(problem(
            format!("{field}.records"),
            format!("the weighted records of {} it replaces are not the ones the plan assumes", pair.host()),
        ));
    }
    problems
}

/// The certificates whose names the checks judge are exactly those the listener will serve:
/// each one a step attaches has its names stated, and each one stated is attached by a step
/// or was on the listener already (which apply confirms). Otherwise a plan could claim a
/// covering certificate it never attaches.
fn certificate_problems(plan: &Plan) -> Vec<Problem> {
    let Some((certificates, served)) = plan.assumptions.iter().find_map(|a| match a {
        Assumption::ExpressIngress { certificates, served_certificates, .. } => {
            Some((certificates, served_certificates))
        }
        _ => None,
    }) else {
        return Vec::new();
    };
    let attached: Vec<(usize, &String)> = plan
        .steps
        .iter()
        .enumerate()
        .filter_map(|(i, s)| match &s.action {
            Action::AddListenerCertificate { certificate_arn, .. } => Some((i, certificate_arn)),
            _ => None,
        })
        .collect();
    let mut problems = Vec::new();
    if certificates.is_empty() && served.is_empty() {
        // A plan made before ferry stated names: its checks warn that coverage is unconfirmed.
        return problems;
    }
    for (index, arn) in &attached {
        if !certificates.contains_key(*arn) {
            problems.push(problem(
                format!("steps[{index}].action.certificate_arn"),
                format!("attaches {arn}, whose names the plan does not state"),
            ));
        }
    }
    for arn in certificates.keys() {
        if !attached.iter().any(|(_, a)| *a == arn) && !served.contains(arn) {
            problems.push(problem(
                "assumptions",
                format!("relies on certificate {arn}, which no step attaches and the listener did not serve"),
            ));
        }
    }
    for arn in served {
        if !certificates.contains_key(arn) || attached.iter().any(|(_, a)| *a == arn) {
            problems.push(problem(
                "assumptions",
                format!("states {arn} as already on the listener, but the plan does not rely on it as such"),
            ));
        }
    }
    problems
}

fn is_cutover(action: &Action) -> bool {
    matches!(
        action,
        Action::AddRuleHost { .. }
            | Action::AddListenerCertificate { .. }
            | Action::SplitRecords { .. }
            | Action::SetWeights { .. }
            | Action::FinalizeRecords { .. }
            | Action::HealthGate { .. }
    )
}
