//! Plans made quick enough for a test.

use ferry::plan::{Action, Plan, PlanHeader};

/// The plan with each deployment wait bounded to a second: the sandbox deploys in a few
/// instant polls, and a step that never answers is given up on at once.
pub fn with_short_waits(plan: &Plan) -> Plan {
    let steps = plan
        .steps
        .iter()
        .cloned()
        .map(|mut step| {
            if let Action::WaitServiceActive { timeout_secs, .. } = &mut step.action {
                *timeout_secs = 1;
            }
            step
        })
        .collect();
    let header = PlanHeader {
        service_name: plan.service_name.clone(),
        source_instance_id: plan.source_instance_id.clone(),
        account_id: plan.account_id.clone(),
        region: plan.region.clone(),
    };
    Plan::new(header, steps, plan.assumptions.clone(), plan.context.clone())
}
