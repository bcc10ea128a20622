use async_trait::async_trait;

use super::Sandbox;
use crate::cloud::{CloudError, CloudResult, Found, ReadCloud, ServiceState};
use crate::model::{
    AccountInfo, Alarm, AutoScalingGroup, Bucket, CacheCluster, DbInstance, DnsRecord, ElasticIp, ExpressIngress,
    HostedZone, Instance, InstanceProfile, Listener, ListenerCertificate, LoadBalancer, LogGroup, Policy, PolicyKind,
    Role, SecurityGroup, Snapshot, Subnet, TargetGroup, TargetHealth, Volume, Vpc,
};
use crate::plan::Action;
use crate::userdata::redact;

#[async_trait]
impl ReadCloud for Sandbox {
    async fn account(&self) -> CloudResult<AccountInfo> {
        self.pause(1).await;
        Ok(self.account.clone())
    }

    async fn instances(&self) -> CloudResult<Vec<Instance>> {
        self.pause(1).await;
        Ok(self.lock().instances.iter().map(masked).collect())
    }

    async fn instance(&self, id: &str) -> CloudResult<Instance> {
        self.pause(1).await;
        let state = self.lock();
        state.instances.iter().find(|i| i.id == id).map(masked).ok_or_else(|| CloudError::not_found("instance", id))
    }

    async fn user_data(&self, id: &str) -> CloudResult<Option<String>> {
        self.pause(1).await;
        let state = self.lock();
        let instance =
            state.instances.iter().find(|i| i.id == id).ok_or_else(|| CloudError::not_found("instance", id))?;
        Ok(masked(instance).user_data)
    }

    async fn vpcs(&self) -> CloudResult<Vec<Vpc>> {
        self.pause(1).await;
        Ok(self.lock().vpcs.clone())
    }

    async fn subnets(&self) -> CloudResult<Vec<Subnet>> {
        self.pause(1).await;
        Ok(self.lock().subnets.clone())
    }

    async fn security_groups(&self) -> CloudResult<Vec<SecurityGroup>> {
        self.pause(1).await;
        Ok(self.lock().security_groups.clone())
    }

    async fn load_balancers(&self) -> CloudResult<Vec<LoadBalancer>> {
        self.pause(1).await;
        Ok(self.lock().load_balancers.clone())
    }

    async fn listeners(&self, load_balancer_arn: &str) -> CloudResult<Vec<Listener>> {
        self.pause(1).await;
        let state = self.lock();
        if !state.load_balancers.iter().any(|lb| lb.arn == load_balancer_arn) {
            return Err(CloudError::not_found("load balancer", load_balancer_arn));
        }
        Ok(state.listeners.iter().filter(|l| l.load_balancer_arn == load_balancer_arn).cloned().collect())
    }

    async fn target_groups(&self) -> CloudResult<Vec<TargetGroup>> {
        self.pause(1).await;
        Ok(self.lock().target_groups.clone())
    }

    async fn target_group_stickiness(&self, target_group_arn: &str) -> CloudResult<Option<String>> {
        self.pause(1).await;
        let state = self.lock();
        let group = state
            .target_groups
            .iter()
            .find(|g| g.arn == target_group_arn)
            .ok_or_else(|| CloudError::not_found("target group", target_group_arn))?;
        Ok(group.stickiness.clone())
    }

    async fn target_health(&self, target_group_arn: &str) -> CloudResult<Vec<TargetHealth>> {
        self.pause(1).await;
        self.lock()
            .target_health
            .get(target_group_arn)
            .cloned()
            .ok_or_else(|| CloudError::not_found("target group", target_group_arn))
    }

    async fn instance_profile(&self, arn_or_name: &str) -> CloudResult<InstanceProfile> {
        self.pause(1).await;
        let name = arn_or_name.rsplit('/').next().unwrap_or(arn_or_name);
        self.lock()
            .instance_profiles
            .iter()
            .find(|p| p.name == name)
            .cloned()
            .ok_or_else(|| CloudError::not_found("instance profile", arn_or_name))
    }

    async fn role(&self, name: &str) -> CloudResult<Role> {
        // GetRole, ListAttachedRolePolicies, ListRolePolicies, then a document each.
        self.pause(3).await;
        let state = self.lock();
        let role = state.roles.get(name).ok_or_else(|| CloudError::not_found("role", name))?;
        let managed = role.managed_policy_arns.iter().map(|arn| {
            let stored = state.managed_policies.get(arn);
            Policy {
                name: stored.map_or_else(|| arn.rsplit('/').next().unwrap_or(arn).to_string(), |m| m.name.clone()),
                arn: Some(arn.clone()),
                kind: if arn.starts_with("arn:aws:iam::aws:") {
                    PolicyKind::AwsManaged
                } else {
                    PolicyKind::CustomerManaged
                },
                document: stored.map(|m| m.document.clone()),
                unreadable: None,
            }
        });
        let inline = role.inline_policies.iter().map(|(policy_name, document)| Policy {
            name: policy_name.clone(),
            arn: None,
            kind: PolicyKind::Inline,
            document: Some(document.clone()),
            unreadable: None,
        });
        Ok(Role {
            arn: role.arn.clone(),
            name: role.name.clone(),
            trust_policy: role.trust_policy.clone(),
            policies: inline.chain(managed).collect(),
        })
    }

    async fn roles(&self) -> CloudResult<Vec<Role>> {
        self.pause(1).await;
        let state = self.lock();
        Ok(state
            .roles
            .values()
            .map(|r| Role {
                arn: r.arn.clone(),
                name: r.name.clone(),
                trust_policy: r.trust_policy.clone(),
                policies: Vec::new(),
            })
            .collect())
    }

    async fn db_instances(&self) -> CloudResult<Vec<DbInstance>> {
        self.pause(1).await;
        Ok(self.lock().db_instances.clone())
    }

    async fn cache_clusters(&self) -> CloudResult<Vec<CacheCluster>> {
        self.pause(1).await;
        Ok(self.lock().cache_clusters.clone())
    }

    async fn buckets(&self) -> CloudResult<Vec<Bucket>> {
        self.pause(1).await;
        Ok(self.lock().buckets.clone())
    }

    async fn auto_scaling_group(&self, name: &str) -> CloudResult<Option<AutoScalingGroup>> {
        self.pause(1).await;
        Ok(self.lock().auto_scaling_groups.iter().find(|g| g.name == name).cloned())
    }

    async fn hosted_zones(&self) -> CloudResult<Vec<HostedZone>> {
        self.pause(1).await;
        Ok(self.lock().hosted_zones.clone())
    }

    async fn records(&self, zone_id: &str) -> CloudResult<Vec<DnsRecord>> {
        self.pause(1).await;
        self.lock().records.get(zone_id).cloned().ok_or_else(|| CloudError::not_found("hosted zone", zone_id))
    }

    async fn listener_certificates(&self, listener_arn: &str) -> CloudResult<Vec<ListenerCertificate>> {
        self.pause(1).await;
        let state = self.lock();
        if !state.listeners.iter().any(|l| l.arn == listener_arn) {
            return Err(CloudError::not_found("listener", listener_arn));
        }
        Ok(state.listener_certificates.get(listener_arn).cloned().unwrap_or_default())
    }

    async fn certificate_domains(&self, certificate_arn: &str) -> CloudResult<Option<Vec<String>>> {
        self.pause(1).await;
        let state = self.lock();
        if let Some(domains) = state.certificate_domains.get(certificate_arn) {
            return Ok(Some(domains.clone()));
        }
        // IAM keeps no names to read; a listener's certificate the scenario gives no names
        // for is taken the same way, so older scenarios keep working, with a warning.
        let served = state.listener_certificates.values().flatten().any(|c| c.arn == certificate_arn);
        if certificate_arn.starts_with("arn:aws:iam:") || served {
            return Ok(None);
        }
        Err(CloudError::not_found("certificate", certificate_arn))
    }

    async fn volumes(&self, instance_id: &str) -> CloudResult<Vec<Volume>> {
        self.pause(1).await;
        Ok(self.lock().volumes.get(instance_id).cloned().unwrap_or_default())
    }

    async fn snapshots(&self, volume_ids: &[String]) -> CloudResult<Vec<Snapshot>> {
        self.pause(1).await;
        Ok(self.lock().snapshots.iter().filter(|s| volume_ids.contains(&s.volume_id)).cloned().collect())
    }

    async fn elastic_ips(&self, instance_id: &str) -> CloudResult<Vec<ElasticIp>> {
        self.pause(1).await;
        Ok(self.lock().elastic_ips.get(instance_id).cloned().unwrap_or_default())
    }

    async fn alarms(&self) -> CloudResult<Vec<Alarm>> {
        self.pause(1).await;
        Ok(self.lock().alarms.clone())
    }

    async fn log_groups(&self) -> CloudResult<Vec<LogGroup>> {
        self.pause(1).await;
        Ok(self.lock().log_groups.clone())
    }

    async fn express_ingress(&self, service_arn: &str) -> CloudResult<ExpressIngress> {
        self.pause(3).await;
        let state = self.lock();
        let service = state
            .express_services
            .get(service_arn)
            .ok_or_else(|| CloudError::not_found("Express service", service_arn))?;
        Ok(super::cutover::ingress_of(service, &self.account.region))
    }

    async fn lookup(&self, action: &Action) -> CloudResult<Option<Found>> {
        self.pause(1).await;
        Ok(self.find(action))
    }

    async fn express_service_state(&self, service_arn: &str) -> CloudResult<Option<ServiceState>> {
        // DescribeExpressGatewayService and DescribeServices.
        self.pause(2).await;
        let state = self.lock();
        let Some(service) = state.express_services.get(service_arn) else { return Ok(None) };
        let desired = service.config.scaling_target.min_task_count;
        // The first deployment brings up the minimum count, all at once when it completes.
        let done = service.polls_left == 0;
        Ok(Some(ServiceState {
            status: service.status.clone(),
            status_reason: None,
            running_tasks: if done { desired } else { 0 },
            desired_tasks: desired,
            pending_tasks: if done { 0 } else { desired },
            deployment: Some(if done { "COMPLETED" } else { "IN_PROGRESS" }.into()),
            deployment_reason: None,
        }))
    }

    async fn probe_route(&self, host: &str) -> CloudResult<Option<String>> {
        self.probe_route_of(host)
    }

    async fn load_balancer_metrics(
        &self,
        load_balancer_arn: &str,
        target_group_arn: Option<&str>,
        window: crate::gate::Window,
    ) -> CloudResult<crate::gate::LoadBalancerMetrics> {
        // One GetMetricData call.
        self.pause(1).await;
        self.metrics.of(&self.account, load_balancer_arn, target_group_arn, window)
    }
}

/// The instance as every reader sees it: secrets in user data masked. Only `execute` reads
/// the raw values, when it writes a secret.
fn masked(instance: &Instance) -> Instance {
    Instance { user_data: instance.user_data.as_deref().map(|u| redact(u).text), ..instance.clone() }
}
