//! The checks of a cutover or finalize plan, judged from its steps: what moves, and whether
//! every stage waits for resolvers and passes a health gate before the next one.

use super::{Action, Check, CheckLevel, Plan};

/// Every check of the plan's traffic steps; none for a plan without any.
pub(super) fn judge(plan: &Plan) -> Vec<Check> {
    let mut checks = Vec::new();
    let mut stages: Vec<(u8, bool, bool)> = Vec::new();
    for step in &plan.steps {
        match &step.action {
            Action::SplitRecords { pair } => {
                let kinds: Vec<&str> = pair.records.iter().map(|r| r.record_type.as_str()).collect();
                checks.push(Check::new(
                    format!("cutover-moves:{}", pair.host()),
                    CheckLevel::Pass,
                    format!("moves {} ({}) to the new load balancer in weighted stages", pair.host(), kinds.join(", ")),
                ));
            }
            Action::SetWeights { new_weight, .. } if stages.last().is_none_or(|s| s.0 != *new_weight) => {
                stages.push((*new_weight, false, false));
            }
            Action::Bake { .. } => {
                if let Some(stage) = stages.last_mut() {
                    stage.1 = true;
                }
            }
            Action::HealthGate { .. } => {
                if let Some(stage) = stages.last_mut() {
                    stage.2 = true;
                }
            }
            Action::FinalizeRecords { pair } => checks.push(Check::new(
                format!("finalize:{}", pair.host()),
                CheckLevel::Pass,
                format!(
                    "leaves one plain record for {} on the new load balancer; the old one gets no more traffic",
                    pair.host()
                ),
            )),
            _ => {}
        }
    }
    for (share, waits, gated) in stages {
        if !waits {
            checks.push(Check::new(
                format!("cutover-wait:{share}"),
                CheckLevel::Warning,
                format!(
                    "the stage at {share} % does not wait one TTL: resolvers may not have seen it when it is judged"
                ),
            ));
        }
        if !gated {
            checks.push(Check::new(
                format!("cutover-ungated:{share}"),
                CheckLevel::Warning,
                format!("the stage at {share} % moves on without a health gate: a failing new side keeps its traffic"),
            ));
        }
    }
    checks
}
