//! Waiting for an Express service's deployment, as `aws ecs monitor-express-gateway-service`
//! watches it: the service's status and endpoint, its latest deployment (stage, tasks,
//! traffic), the resources ECS provisions for it, and the latest service event. Each poll
//! becomes one compact progress line, sent only when it changed.
//!
//! No SDK waiter exists for Express services, so this polls, bounded by the action's timeout.

use std::time::{Duration, Instant};

use aws_sdk_ecs::types::{EcsManagedResources, ManagedResourceStatus, ServiceDeployment};

use super::express::{cluster_of, describe, endpoint_of, name_of, status_of};
use crate::cloud::aws::AwsCloud;
use crate::cloud::aws::errors::from_sdk;
use crate::cloud::{CloudError, CloudResult, ProgressSink};
use crate::plan::ActionOutput;

/// Longest service event kept in a progress line.
const EVENT_CHARS: usize = 120;

/// What one poll saw.
#[derive(Debug, Default)]
struct Snapshot {
    /// `ACTIVE`, `DRAINING`, `INACTIVE`.
    status: String,
    status_reason: Option<String>,
    endpoint: Option<String>,
    deployment: Option<Deployment>,
    /// Each resource ECS manages for the service, by kind, with its status and reason.
    resources: Vec<(&'static str, String, Option<String>)>,
    event: Option<String>,
}

#[derive(Debug, Default)]
struct Deployment {
    status: String,
    reason: Option<String>,
    stage: Option<String>,
    running: i32,
    pending: i32,
    requested: i32,
    traffic: Option<f64>,
    revision_arn: Option<String>,
}

enum Verdict {
    Active,
    Failed(String),
    Waiting,
}

/// Polls a service just created may go unseen for before "not found" is believed.
const UNSEEN_POLLS: u32 = 3;

pub async fn wait_active(
    cloud: &AwsCloud,
    service_name: &str,
    service_arn: &str,
    timeout_secs: u64,
    progress: ProgressSink<'_>,
) -> CloudResult<ActionOutput> {
    let deadline = Instant::now() + Duration::from_secs(timeout_secs);
    let timed_out = |last: &str| {
        let seen = if last.is_empty() { String::new() } else { format!("; last seen: {last}") };
        CloudError::Other(format!("service {service_name} was not ACTIVE after {timeout_secs} s{seen}"))
    };
    let mut last = String::new();
    let mut unseen_polls = 0;
    loop {
        let remaining = deadline.saturating_duration_since(Instant::now());
        let Ok(polled) = tokio::time::timeout(remaining, poll(cloud, service_arn)).await else {
            return Err(timed_out(&last));
        };
        match polled {
            Ok(snapshot) => {
                let line = line(&snapshot);
                if line != last {
                    progress(line.clone());
                    last = line;
                }
                match verdict(&snapshot) {
                    Verdict::Active => {
                        let endpoint = snapshot.endpoint.unwrap_or_default();
                        return Ok(ActionOutput::new(format!("ACTIVE at {endpoint}"))
                            .with("status", "ACTIVE")
                            .with("endpoint", endpoint));
                    }
                    Verdict::Failed(reason) => {
                        return Err(CloudError::Other(format!("service {service_name}: {reason}")));
                    }
                    Verdict::Waiting => {}
                }
            }
            // Reads can lag behind the create that just answered: a service not found on the
            // first few polls is looked for again.
            Err(error) if error.is_not_found() && unseen_polls < UNSEEN_POLLS => {
                unseen_polls += 1;
                progress(format!("service {service_name} not visible yet, looking again"));
            }
            // The SDK has already retried these; a later poll may get through.
            Err(error @ (CloudError::Network { .. } | CloudError::Throttled { .. })) => {
                let line = format!("poll failed, trying again: {error}");
                if line != last {
                    progress(line.clone());
                    last = line;
                }
            }
            Err(error) => return Err(error),
        }
        let remaining = deadline.saturating_duration_since(Instant::now());
        if remaining.is_zero() {
            return Err(timed_out(&last));
        }
        tokio::time::sleep(cloud.poll_interval.min(remaining)).await;
    }
}

/// Success needs both: the service ACTIVE and its latest deployment SUCCESSFUL. A deployment
/// rolling back or stopped cannot turn successful, so waiting on would only burn the timeout.
fn verdict(snapshot: &Snapshot) -> Verdict {
    let because = |reason: &Option<String>| reason.as_deref().map(|r| format!(": {r}")).unwrap_or_default();
    if matches!(snapshot.status.as_str(), "DRAINING" | "INACTIVE") {
        return Verdict::Failed(format!("the service is {}{}", snapshot.status, because(&snapshot.status_reason)));
    }
    let Some(deployment) = &snapshot.deployment else { return Verdict::Waiting };
    match deployment.status.as_str() {
        "SUCCESSFUL" if snapshot.status == "ACTIVE" => Verdict::Active,
        status if status.starts_with("ROLLBACK") || matches!(status, "STOPPED" | "STOP_REQUESTED" | "FAILED") => {
            Verdict::Failed(format!("deployment {status}{}", because(&deployment.reason)))
        }
        _ => Verdict::Waiting,
    }
}

/// One line: `ACTIVE · deployment IN_PROGRESS (SCALE_UP) · tasks 0/1 running, 1 pending ·
/// traffic 5 % · resources 7/9 ACTIVE, certificate PROVISIONING · event: …`.
fn line(snapshot: &Snapshot) -> String {
    let mut parts = vec![snapshot.status.clone()];
    match &snapshot.deployment {
        None => parts.push("no deployment yet".into()),
        Some(d) => {
            let stage = d.stage.as_deref().map(|s| format!(" ({s})")).unwrap_or_default();
            parts.push(format!("deployment {}{stage}", d.status));
            parts.push(format!("tasks {}/{} running, {} pending", d.running, d.requested, d.pending));
            if let Some(weight) = d.traffic {
                parts.push(format!("traffic {weight:.0} %"));
            }
        }
    }
    if !snapshot.resources.is_empty() {
        let active = snapshot.resources.iter().filter(|(_, status, _)| status == "ACTIVE").count();
        let mut text = format!("resources {active}/{} ACTIVE", snapshot.resources.len());
        let mut others: Vec<String> = Vec::new();
        for (kind, status, reason) in snapshot.resources.iter().filter(|(_, status, _)| status != "ACTIVE") {
            let item = match reason {
                Some(reason) if status == "FAILED" => format!("{kind} {status} ({reason})"),
                _ => format!("{kind} {status}"),
            };
            if !others.contains(&item) {
                others.push(item);
            }
        }
        for other in others {
            text.push_str(", ");
            text.push_str(&other);
        }
        parts.push(text);
    }
    if let Some(event) = &snapshot.event {
        let short: String = event.chars().take(EVENT_CHARS).collect();
        let more = if event.chars().count() > EVENT_CHARS { "…" } else { "" };
        parts.push(format!("event: {short}{more}"));
    }
    parts.join(" · ")
}

/// One round of reads. The service and its deployment decide the outcome and must be read;
/// the resources and the latest event only explain it, so they are skipped if unreadable.
async fn poll(cloud: &AwsCloud, service_arn: &str) -> CloudResult<Snapshot> {
    let cluster = cluster_of(service_arn).unwrap_or("default");
    let (service, latest, event) =
        tokio::join!(describe(cloud, service_arn, false), latest_deployment(cloud, cluster, service_arn), async {
            latest_event(cloud, cluster, service_arn).await.ok().flatten()
        });
    let service = service?.ok_or_else(|| CloudError::not_found("Express service", name_of(service_arn)))?;
    let deployment = match latest? {
        Some(arn) => deployment(cloud, &arn).await?,
        None => None,
    };
    let revision = deployment
        .as_ref()
        .and_then(|d| d.revision_arn.clone())
        .or_else(|| service.active_configurations().iter().find_map(|c| c.service_revision_arn()).map(str::to_string));
    let resources = match revision {
        Some(arn) => managed_resources(cloud, &arn).await.unwrap_or_default(),
        None => Vec::new(),
    };
    Ok(Snapshot {
        status: status_of(&service).unwrap_or("UNKNOWN").to_string(),
        status_reason: service.status().and_then(|s| s.status_reason()).map(str::to_string),
        endpoint: endpoint_of(&service),
        deployment,
        resources,
        event,
    })
}

/// The ARN of the service's newest deployment, if one has started.
async fn latest_deployment(cloud: &AwsCloud, cluster: &str, service_arn: &str) -> CloudResult<Option<String>> {
    let listed = cloud
        .ecs
        .list_service_deployments()
        .cluster(cluster)
        .service(service_arn)
        .max_results(1)
        .send()
        .await
        .map_err(from_sdk("ecs:ListServiceDeployments"))?;
    Ok(listed.service_deployments().first().and_then(|d| d.service_deployment_arn()).map(str::to_string))
}

async fn deployment(cloud: &AwsCloud, deployment_arn: &str) -> CloudResult<Option<Deployment>> {
    let described = cloud
        .ecs
        .describe_service_deployments()
        .service_deployment_arns(deployment_arn)
        .send()
        .await
        .map_err(from_sdk("ecs:DescribeServiceDeployments"))?;
    Ok(described.service_deployments().first().map(deployment_from))
}

fn deployment_from(d: &ServiceDeployment) -> Deployment {
    let target = d.target_service_revision();
    Deployment {
        status: d.status().map(|s| s.as_str().to_string()).unwrap_or_else(|| "UNKNOWN".into()),
        reason: d.status_reason().map(str::to_string),
        stage: d.lifecycle_stage().map(|s| s.as_str().to_string()),
        running: target.map_or(0, |t| t.running_task_count()),
        pending: target.map_or(0, |t| t.pending_task_count()),
        requested: target.map_or(0, |t| t.requested_task_count()),
        traffic: target.and_then(|t| t.requested_production_traffic_weight()),
        revision_arn: target.and_then(|t| t.arn()).map(str::to_string),
    }
}

/// What ECS provisions for the revision (load balancer, certificate, target groups, ...),
/// each with its status.
async fn managed_resources(
    cloud: &AwsCloud,
    revision_arn: &str,
) -> CloudResult<Vec<(&'static str, String, Option<String>)>> {
    let described = cloud
        .ecs
        .describe_service_revisions()
        .service_revision_arns(revision_arn)
        .send()
        .await
        .map_err(from_sdk("ecs:DescribeServiceRevisions"))?;
    Ok(described.service_revisions().iter().filter_map(|r| r.ecs_managed_resources()).flat_map(resources_of).collect())
}

fn resources_of(managed: &EcsManagedResources) -> Vec<(&'static str, String, Option<String>)> {
    let mut all = Vec::new();
    let mut add = |kind: &'static str, status: &ManagedResourceStatus, reason: Option<&str>| {
        all.push((kind, status.as_str().to_string(), reason.map(str::to_string)));
    };
    for path in managed.ingress_paths() {
        if let Some(r) = path.load_balancer() {
            add("load balancer", r.status(), r.status_reason());
        }
        for r in path.load_balancer_security_groups() {
            add("load balancer security group", r.status(), r.status_reason());
        }
        if let Some(r) = path.certificate() {
            add("certificate", r.status(), r.status_reason());
        }
        if let Some(r) = path.listener() {
            add("listener", r.status(), r.status_reason());
        }
        if let Some(r) = path.rule() {
            add("listener rule", r.status(), r.status_reason());
        }
        for r in path.target_groups() {
            add("target group", r.status(), r.status_reason());
        }
    }
    if let Some(scaling) = managed.auto_scaling() {
        if let Some(r) = scaling.scalable_target() {
            add("scalable target", r.status(), r.status_reason());
        }
        for r in scaling.application_auto_scaling_policies() {
            add("scaling policy", r.status(), r.status_reason());
        }
    }
    for r in managed.metric_alarms() {
        add("alarm", r.status(), r.status_reason());
    }
    for r in managed.service_security_groups() {
        add("security group", r.status(), r.status_reason());
    }
    for r in managed.log_groups() {
        add("log group", r.status(), r.status_reason());
    }
    all
}

/// The newest event ECS recorded for the service (`has reached a steady state`, a task
/// failing its health check, ...).
async fn latest_event(cloud: &AwsCloud, cluster: &str, service_arn: &str) -> CloudResult<Option<String>> {
    let described = cloud
        .ecs
        .describe_services()
        .cluster(cluster)
        .services(service_arn)
        .send()
        .await
        .map_err(from_sdk("ecs:DescribeServices"))?;
    Ok(described.services().first().and_then(|s| s.events().first()).and_then(|e| e.message()).map(str::to_string))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn snapshot(status: &str, deployment: Option<&str>) -> Snapshot {
        Snapshot {
            status: status.into(),
            deployment: deployment.map(|d| Deployment {
                status: d.into(),
                reason: Some("tasks failed the health check".into()),
                ..Deployment::default()
            }),
            ..Snapshot::default()
        }
    }

    #[test]
    fn success_needs_an_active_service_and_a_successful_deployment() {
        assert!(matches!(verdict(&snapshot("ACTIVE", Some("SUCCESSFUL"))), Verdict::Active));
        assert!(matches!(verdict(&snapshot("ACTIVE", Some("IN_PROGRESS"))), Verdict::Waiting));
        assert!(matches!(verdict(&snapshot("ACTIVE", None)), Verdict::Waiting));
        assert!(matches!(verdict(&snapshot("DRAINING", Some("SUCCESSFUL"))), Verdict::Failed(_)));
        for failed in ["ROLLBACK_IN_PROGRESS", "ROLLBACK_SUCCESSFUL", "ROLLBACK_FAILED", "STOPPED"] {
            let Verdict::Failed(reason) = verdict(&snapshot("ACTIVE", Some(failed))) else { panic!("{failed}") };
            assert!(reason.contains(failed) && reason.contains("health check"), "{reason}");
        }
    }

    #[test]
    fn a_line_names_what_is_not_active_once() {
        let mut seen = snapshot("ACTIVE", Some("IN_PROGRESS"));
        seen.resources = vec![
            ("load balancer", "ACTIVE".into(), None),
            ("target group", "PROVISIONING".into(), None),
            ("target group", "PROVISIONING".into(), None),
            ("certificate", "FAILED".into(), Some("CAA record forbids issuance".into())),
        ];
        seen.event = Some("x".repeat(200));
        let text = line(&seen);
        assert!(text.starts_with("ACTIVE · deployment IN_PROGRESS · tasks 0/0 running, 0 pending"), "{text}");
        assert!(
            text.contains("resources 1/4 ACTIVE, target group PROVISIONING, certificate FAILED (CAA record"),
            "{text}"
        );
        assert!(text.ends_with("…"), "long events are cut: {text}");
    }
}
