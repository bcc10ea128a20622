//! The checks of a cutover or finalize plan, judged from its steps: what moves, and whether
//! every stage waits for resolvers and passes a health gate before the next one.

use std::collections::BTreeMap;

use super::{Action, Assumption, Check, CheckLevel, Plan};
use crate::model::CertificateEdge;

/// Every check of the plan's traffic steps; none for a plan without any.
pub(super) fn judge(plan: &Plan) -> Vec<Check> {
    let mut checks = certificate_checks(plan);
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

/// Whether each name the plan moves is served by a certificate the listener will have, judged
/// from the names the plan's assumption gives each certificate (apply reads them again).
fn certificate_checks(plan: &Plan) -> Vec<Check> {
    let Some(certificates) = plan.assumptions.iter().find_map(|a| match a {
        Assumption::ExpressIngress { certificates, .. } => Some(certificates),
        _ => None,
    }) else {
        return Vec::new();
    };
    let mut hosts: Vec<String> = super::split_pairs(plan).iter().map(|p| p.host().to_ascii_lowercase()).collect();
    hosts.dedup();
    if hosts.is_empty() {
        return Vec::new();
    }
    if certificates.is_empty() {
        // A plan made before ferry judged coverage: judging it now would change the checks it
        // states, and an interrupted run of it could no longer be resumed. Its certificates
        // are the old listener's, as ferry chose them then.
        return Vec::new();
    }
    hosts.iter().map(|host| host_check(certificates, host)).collect()
}

/// Pass when a certificate's names cover `host`; a warning when only certificates whose names
/// ferry could not read might; a deny when none can, as clients would be refused.
fn host_check(certificates: &BTreeMap<String, Option<Vec<String>>>, host: &str) -> Check {
    let id = format!("cutover-certificate:{host}");
    let covering = certificates
        .iter()
        .find(|(_, names)| names.as_deref().is_some_and(|names| CertificateEdge::names_cover(names, host)));
    if let Some((arn, _)) = covering {
        let short = arn.rsplit('/').next().unwrap_or(arn);
        return Check::new(id, CheckLevel::Pass, format!("{host} is covered by certificate {short}"));
    }
    let unknown: Vec<&str> = certificates.iter().filter(|(_, n)| n.is_none()).map(|(a, _)| a.as_str()).collect();
    if unknown.is_empty() {
        return Check::new(
            id,
            CheckLevel::Deny,
            format!("no certificate the plan gives the listener covers {host}: clients would get a certificate error"),
        );
    }
    Check::new(
        id,
        CheckLevel::Warning,
        format!(
            "ferry could not read the names of {}, so it could not confirm {host} is covered: check the certificate names it before approving",
            unknown.join(", ")
        ),
    )
}
