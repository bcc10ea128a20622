//! The verdict: ready to move traffic only when the new side answers the health path with
//! 2xx every time, nothing failed or timed out there, it is not much slower than the old side,
//! and the service is ACTIVE with every task running and its deployment completed.

use super::report::{PathReport, Verdict};
use super::stats::SideStats;
use crate::cloud::ServiceState;

/// p95 counts as much worse when it is more than this many times the old side's...
const SLOWER_FACTOR: f64 = 2.0;
/// ...and more than this many milliseconds above it (a few ms either way is noise).
const SLOWER_MARGIN_MS: f64 = 50.0;

/// Judges the probes and the service's state.
pub fn judge(paths: &[PathReport], service: Option<&ServiceState>, service_error: Option<&str>) -> Verdict {
    let mut verdict = Verdict::default();
    for path in paths {
        judge_path(path, &mut verdict);
    }
    judge_service(service, service_error, &mut verdict.blockers);
    verdict.ready = verdict.blockers.is_empty();
    verdict
}

fn judge_path(report: &PathReport, verdict: &mut Verdict) {
    let (path, new) = (&report.path, &report.new);
    let of = |n: u32| format!("{n}/{}", new.requests);
    if new.failed() > 0 {
        verdict.blockers.push(format!(
            "new endpoint: {} requests to {path} got no answer ({})",
            of(new.failed()),
            reasons(new)
        ));
    }
    if report.health && new.not_2xx() > 0 {
        verdict.blockers.push(format!(
            "new endpoint: {} answers on the health path {path} were not 2xx ({})",
            of(new.not_2xx()),
            codes(new)
        ));
    } else if !report.health && new.server_errors() > 0 {
        verdict.blockers.push(format!(
            "new endpoint: {} answers on {path} were 5xx ({})",
            of(new.server_errors()),
            codes(new)
        ));
    }
    let Some(old) = &report.old else { return };
    if old.failed() > 0 {
        verdict.warnings.push(format!(
            "old entry: {}/{} requests to {path} got no answer ({}): the comparison is partial",
            old.failed(),
            old.requests,
            reasons(old)
        ));
    }
    judge_against_old(report, old, verdict);
}

/// The new side compared with the old: much slower, another status class, another body.
fn judge_against_old(report: &PathReport, old: &SideStats, verdict: &mut Verdict) {
    let (path, new) = (&report.path, &report.new);
    if let (Some(old_p95), Some(new_p95)) = (old.p95_ms, new.p95_ms)
        && new_p95 > old_p95 * SLOWER_FACTOR
        && new_p95 - old_p95 > SLOWER_MARGIN_MS
    {
        verdict.blockers.push(format!(
            "new endpoint is much slower on {path}: p95 {new_p95:.0} ms against {old_p95:.0} ms on the old entry"
        ));
    }
    if !report.health
        && let (Some(o), Some(n)) = (old.main_status(), new.main_status())
        && o / 100 != n / 100
    {
        verdict.warnings.push(format!("{path}: the old entry answers {o}, the new endpoint {n}"));
    }
    if !report.health && report.bodies_match == Some(false) {
        verdict.warnings.push(format!(
            "{path}: the bodies differ (old {} bytes, new {} bytes): check the new side serves the same content",
            size(old),
            size(new)
        ));
    }
}

fn judge_service(service: Option<&ServiceState>, error: Option<&str>, blockers: &mut Vec<String>) {
    let Some(service) = service else {
        blockers.push(match error {
            Some(error) => format!("the service's state could not be read: {error}"),
            None => "the Express service no longer exists".into(),
        });
        return;
    };
    if service.status != "ACTIVE" {
        let why = service.status_reason.as_deref().map(|r| format!(": {r}")).unwrap_or_default();
        blockers.push(format!("the service is {}{why}, not ACTIVE", service.status));
    }
    if service.running_tasks < service.desired_tasks {
        blockers.push(format!("{} of {} tasks are running", service.running_tasks, service.desired_tasks));
    }
    match service.deployment.as_deref() {
        Some("COMPLETED") => {}
        Some(state) => {
            let why = service.deployment_reason.as_deref().map(|r| format!(": {r}")).unwrap_or_default();
            blockers.push(format!("the deployment is {state}{why}, not COMPLETED"));
        }
        None => blockers.push("the service has no deployment".into()),
    }
}

/// `refused ×3, no answer within 10 s ×1`.
fn reasons(stats: &SideStats) -> String {
    stats.errors.iter().map(|(reason, n)| format!("{reason} ×{n}")).collect::<Vec<_>>().join(", ")
}

/// `200 ×7, 503 ×3`.
fn codes(stats: &SideStats) -> String {
    stats.statuses.iter().map(|(code, n)| format!("{code} ×{n}")).collect::<Vec<_>>().join(", ")
}

fn size(stats: &SideStats) -> String {
    stats.size.map_or_else(|| "?".into(), |s| s.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn service(status: &str, running: u32, deployment: &str) -> ServiceState {
        ServiceState {
            status: status.into(),
            status_reason: None,
            running_tasks: running,
            desired_tasks: 2,
            pending_tasks: 0,
            deployment: Some(deployment.into()),
            deployment_reason: None,
        }
    }

    #[test]
    fn a_service_not_fully_up_is_not_ready_for_every_reason() {
        assert!(judge(&[], Some(&service("ACTIVE", 2, "COMPLETED")), None).ready);
        let verdict = judge(&[], Some(&service("DRAINING", 1, "IN_PROGRESS")), None);
        assert!(!verdict.ready);
        assert_eq!(verdict.blockers.len(), 3, "{:?}", verdict.blockers);
        let gone = judge(&[], None, Some("AccessDenied"));
        assert_eq!(gone.blockers, ["the service's state could not be read: AccessDenied"]);
    }
}
