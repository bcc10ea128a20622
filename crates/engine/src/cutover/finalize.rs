//! Ending a finished cutover: once every stage has moved and baked, each host name's weighted
//! pair gives way to one plain record for the new load balancer. A separate plan, approved
//! and applied like any other; until it is applied the old stack must stay.

use super::CutoverError;
use crate::apply::{RunState, RunStatus};
use crate::plan::{Action, Assumption, Plan, PlanContext, PlanHeader, Step, split_pairs};

/// The finalize plan for a cutover run that moved all traffic and baked at 100 %.
pub fn plan_finalize(cutover: &RunState) -> Result<Plan, CutoverError> {
    let plan = &cutover.plan;
    let pairs = split_pairs(plan);
    if pairs.is_empty() {
        return Err(CutoverError::NotACutover(cutover.run_id.clone()));
    }
    let reached_all = plan.steps.iter().any(|s| matches!(s.action, Action::SetWeights { new_weight: 100, .. }));
    if cutover.status != RunStatus::Applied || !reached_all {
        return Err(CutoverError::NotFinished { run: cutover.run_id.clone(), status: cutover.status.label() });
    }
    let ingress = plan.assumptions.iter().find(|a| matches!(a, Assumption::ExpressIngress { .. })).cloned();
    let mut assumptions: Vec<Assumption> = ingress.into_iter().map(without_certificates).collect();
    let mut steps = Vec::new();
    for pair in pairs {
        // What the last stage left: the pair at old 0 / new 100, which finalize replaces.
        let weighted = pair.records.iter().flat_map(|r| [pair.old_record(r, 0), pair.new_record(r, 100)]).collect();
        assumptions.push(Assumption::Records { zone_id: pair.zone_id.clone(), records: weighted });
        let id = format!("finalize-{}", pair.host().replace(|c: char| !c.is_ascii_alphanumeric(), "-"));
        steps.push(Step { id, action: Action::FinalizeRecords { pair: Box::new(pair.clone()) } });
    }
    let header = PlanHeader {
        service_name: plan.service_name.clone(),
        source_instance_id: plan.source_instance_id.clone(),
        account_id: plan.account_id.clone(),
        region: plan.region.clone(),
    };
    Ok(Plan::new(header, steps, assumptions, PlanContext::default()))
}

/// Finalize attaches no certificate and moves no name onto the listener: the certificates the
/// cutover relied on were confirmed when it was applied.
fn without_certificates(assumption: Assumption) -> Assumption {
    match assumption {
        Assumption::ExpressIngress { service_arn, load_balancer_arn, dns_name, listener_arn, rule_arn, .. } => {
            Assumption::ExpressIngress {
                service_arn,
                load_balancer_arn,
                dns_name,
                listener_arn,
                rule_arn,
                certificates: Default::default(),
                served_certificates: Vec::new(),
            }
        }
        other => other,
    }
}
