//! Carrying out actions on the sandbox account, with the checks AWS would make.

use async_trait::async_trait;

use super::state::{AccountState, ExpressService, Repository, SandboxRole, StoredSecret, stable_suffix};
use super::{FaultKind, FaultTarget, Sandbox, persist};
use crate::cloud::{Cloud, CloudError, CloudResult, ProgressSink};
use crate::model::service_trust_policy as trust_policy;
use crate::model::{ExpressServiceConfig, IngressRule, RuleSource, SecurityGroup, Tag};
use crate::plan::{Action, ActionOutput, InlinePolicy, SecretSource};
use crate::userdata::assignments;

/// What a deployment reports while it rolls out, in order.
const DEPLOYMENT_STAGES: [&str; 6] = [
    "deployment PENDING · provisioning load balancer and certificate",
    "deployment IN_PROGRESS · load balancer ACTIVE · certificate PROVISIONING",
    "deployment IN_PROGRESS · 0/1 tasks running · pulling image",
    "deployment IN_PROGRESS · canary 5 % · 1/1 tasks running",
    "deployment IN_PROGRESS · canary bake · rollback alarm OK",
    "deployment IN_PROGRESS · traffic 100 % · final bake",
];

#[async_trait]
impl Cloud for Sandbox {
    async fn execute(&self, action: &Action, progress: ProgressSink<'_>) -> CloudResult<ActionOutput> {
        self.become_writer()?;
        self.pause(1).await;
        self.absorb_throttling(action, progress).await;
        let fault = self.fault_for(action).or_else(|| self.scenario_fault(action));
        if let Some((FaultKind::Before, error)) = &fault {
            return Err(error.clone());
        }
        let result = match action {
            Action::WaitServiceActive { service_arn, .. } => self.wait_active(service_arn, progress).await,
            Action::CreateSecret { name, source, tags } => {
                self.secret_value(source).await.and_then(|value| self.create_secret(name, value, tags))
            }
            Action::BuildAndPushImage { dockerfile, image, .. } => {
                self.build_and_push(dockerfile, image, progress).await
            }
            Action::Bake { seconds, why } => self.bake(*seconds, why, progress).await,
            Action::HealthGate { .. } => crate::cutover::carry_out_gate(self, action, progress).await,
            _ if super::cutover::is_cutover(action) => {
                super::cutover::change(&mut self.lock(), &self.account.region, action)
            }
            _ => self.change(action),
        };
        if result.is_ok() {
            self.save()?;
        }
        match fault {
            Some((FaultKind::After, error)) => Err(error),
            // The change is made; the answer never comes. Only the caller's timeout ends this.
            Some((FaultKind::Timeout, _)) => std::future::pending().await,
            _ => result,
        }
    }
}

impl Sandbox {
    /// Before the first change of a saved account: take its lock, so no other process changes
    /// it at the same time, and read it again, as another process may have changed it since
    /// this one loaded it.
    fn become_writer(&self) -> CloudResult<()> {
        let Some(path) = &self.state_file else { return Ok(()) };
        let mut lock = self.writer_lock.lock().unwrap_or_else(|p| p.into_inner());
        if lock.is_some() {
            return Ok(());
        }
        let lock_path = path.with_extension("lock");
        if let Some(parent) = lock_path.parent() {
            std::fs::create_dir_all(parent).map_err(|e| CloudError::Other(format!("{}: {e}", parent.display())))?;
        }
        let file = std::fs::OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&lock_path)
            .map_err(|e| CloudError::Other(format!("{}: {e}", lock_path.display())))?;
        file.try_lock().map_err(|_| {
            CloudError::Other("another ferry process is changing this sandbox account: wait for it to finish".into())
        })?;
        if let Some(saved) = persist::load(path).map_err(|e| CloudError::Other(e.to_string()))? {
            *self.lock() = self.with_scenario_user_data(saved.account);
            let mut counters = self.counters.lock().unwrap_or_else(|p| p.into_inner());
            counters.next_id = counters.next_id.max(saved.next_id);
        }
        *lock = Some(file);
        Ok(())
    }

    /// Writes the account to its state file, when it has one.
    fn save(&self) -> CloudResult<()> {
        let Some(path) = &self.state_file else { return Ok(()) };
        let next_id = self.counters.lock().unwrap_or_else(|p| p.into_inner()).next_id;
        persist::save(path, next_id, &self.lock()).map_err(|e| CloudError::Other(e.to_string()))
    }

    /// The fault to inject into this call, if `--fail-at` names it.
    fn fault_for(&self, action: &Action) -> Option<(FaultKind, CloudError)> {
        let mut counters = self.counters.lock().unwrap_or_else(|p| p.into_inner());
        let named = matches!(&self.fail_at, Some(super::FailAt { target: FaultTarget::Action(kind), .. }) if *kind == action.type_name());
        // An undo fails only when named by its type (a failed gate's `return-weights`): a step
        // number counts the forward steps of an apply.
        if action.is_undo() {
            return named.then(|| {
                (
                    FaultKind::Before,
                    CloudError::InjectedFault { at: action.type_name(), message: fault_message(action) },
                )
            });
        }
        // Every run tags what it creates with its id, starting at its first step: a new id
        // means a new apply, whose steps count from 1 again.
        let run_id = action.tags().iter().find(|t| t.key == "ferry:run-id").map(|t| t.value.clone());
        if run_id.is_some() && run_id != counters.run_id {
            counters.run_id = run_id;
            counters.forward_steps = 0;
        }
        counters.forward_steps += 1;
        let at = self.fail_at.as_ref()?;
        let hit = match &at.target {
            FaultTarget::Step(n) => *n == counters.forward_steps,
            FaultTarget::Action(kind) => *kind == action.type_name(),
        };
        let message = match at.kind {
            FaultKind::After => format!("{} (after the change was made)", fault_message(action)),
            _ => fault_message(action),
        };
        hit.then(|| (at.kind, CloudError::InjectedFault { at: at.to_string(), message }))
    }

    async fn secret_value(&self, source: &SecretSource) -> CloudResult<String> {
        if let Some(local) = source.read_local_bounded().await {
            return local.map_err(CloudError::Invalid);
        }
        let SecretSource::UserDataVariable { instance_id, variable } = source else {
            return Err(CloudError::Invalid(format!("cannot read the secret from {}", source.describe())));
        };
        let state = self.lock();
        let instance = state
            .instances
            .iter()
            .find(|i| &i.id == instance_id)
            .ok_or_else(|| CloudError::not_found("instance", instance_id))?;
        assignments(instance.user_data.as_deref().unwrap_or(""))
            .into_iter()
            .rev()
            .find(|a| &a.name == variable)
            .map(|a| a.value)
            .ok_or_else(|| CloudError::Invalid(format!("user data of {instance_id} no longer sets {variable}")))
    }

    fn create_secret(&self, name: &str, value: String, tags: &[crate::model::Tag]) -> CloudResult<ActionOutput> {
        let value_hmac = self.secret_digest(&value).map_err(|e| CloudError::Other(e.to_string()))?;
        let mut state = self.lock();
        if state.secrets.contains_key(name) {
            return Err(CloudError::AlreadyExists { kind: "secret".into(), id: name.into() });
        }
        let arn = format!(
            "arn:aws:secretsmanager:{}:{}:secret:{name}-{}",
            self.account.region,
            self.account.account_id,
            &stable_suffix(name)[..6]
        );
        state.secrets.insert(name.into(), StoredSecret { arn: arn.clone(), value_hmac, tags: tags.to_vec() });
        Ok(ActionOutput::new(format!("secret {name} stored")).with("arn", arn))
    }

    async fn wait_active(&self, service_arn: &str, progress: ProgressSink<'_>) -> CloudResult<ActionOutput> {
        loop {
            let (status, polls_left, endpoint) = {
                let mut state = self.lock();
                let service = state
                    .express_services
                    .get_mut(service_arn)
                    .ok_or_else(|| CloudError::not_found("Express service", service_arn))?;
                if service.polls_left > 0 {
                    service.polls_left -= 1;
                }
                if service.polls_left == 0 {
                    service.status = "ACTIVE".into();
                }
                (service.status.clone(), service.polls_left, service.endpoint.clone())
            };
            if polls_left == 0 {
                return Ok(ActionOutput::new(format!("ACTIVE at {endpoint}"))
                    .with("status", status)
                    .with("endpoint", endpoint));
            }
            let total = self.deploy_polls.max(1);
            let done = total.saturating_sub(polls_left);
            let stage = (done as usize * DEPLOYMENT_STAGES.len() / total as usize).min(DEPLOYMENT_STAGES.len() - 1);
            progress(DEPLOYMENT_STAGES[stage].to_string());
            // Polling every few calls' worth of time, as the CLI's monitor does.
            self.pause(4).await;
        }
    }

    /// Simulates a build (each Dockerfile instruction is a build step) and a push, and
    /// records the tag in the repository, which must exist as it must on ECR.
    async fn build_and_push(
        &self,
        dockerfile: &str,
        image: &str,
        progress: ProgressSink<'_>,
    ) -> CloudResult<ActionOutput> {
        let (repository_uri, tag) = image.rsplit_once(':').unwrap_or((image, "latest"));
        let name = repository_uri.split_once('/').map_or(repository_uri, |(_, name)| name).to_string();
        if !self.lock().repositories.contains_key(&name) {
            return Err(CloudError::not_found("repository", &name));
        }
        let instructions: Vec<&str> =
            dockerfile.lines().map(str::trim).filter(|l| !l.is_empty() && !l.starts_with('#')).collect();
        for (index, line) in instructions.iter().enumerate() {
            progress(format!("STEP {}/{}: {}", index + 1, instructions.len(), crate::text::escape_controls(line)));
            self.pause(1).await;
        }
        progress(format!("pushing {image}"));
        self.pause(1).await;
        let mut state = self.lock();
        let repository = state.repositories.get_mut(&name).ok_or_else(|| CloudError::not_found("repository", &name))?;
        repository.images.retain(|t| t != tag);
        repository.images.push(tag.to_string());
        Ok(ActionOutput::new(format!("{image} built and pushed (simulated build)")).with("image", image))
    }

    /// Every other action: one synchronous change to the account.
    fn change(&self, action: &Action) -> CloudResult<ActionOutput> {
        let mut state = self.lock();
        match action {
            Action::CreateEcrRepository { name, tags } => self.create_repository(&mut state, name, tags),
            Action::DeleteEcrRepository { name } => {
                state.repositories.remove(name);
                Ok(ActionOutput::new(format!("repository {name} deleted")))
            }
            Action::CreateRole { name, trusted_service, managed_policy_arns, inline_policies, tags } => {
                self.create_role(&mut state, name, trusted_service, managed_policy_arns, inline_policies, tags)
            }
            Action::DeleteRole { name } => {
                state.roles.remove(name);
                Ok(ActionOutput::new(format!("role {name} deleted")))
            }
            Action::DeleteSecret { name } => {
                state.secrets.remove(name);
                Ok(ActionOutput::new(format!("secret {name} deleted")))
            }
            Action::CreateSecurityGroup { name, description, vpc_id, tags } => {
                self.create_security_group(&mut state, name, description, vpc_id, tags)
            }
            Action::DeleteSecurityGroup { group_id } => delete_security_group(&mut state, group_id),
            Action::AuthorizeIngress { group_id, port, source_group_id, .. } => {
                authorize_ingress(&mut state, group_id, *port, source_group_id)
            }
            Action::RevokeIngress { group_id, port, source_group_id } => {
                if let Some(group) = state.security_groups.iter_mut().find(|g| &g.id == group_id) {
                    group.ingress.retain(|r| {
                        !(r.from_port == *port
                            && r.to_port == *port
                            && matches!(&r.source, RuleSource::Group { group_id: s } if s == source_group_id))
                    });
                }
                Ok(ActionOutput::new(format!("rule {port} from {source_group_id} revoked")))
            }
            Action::CreateExpressService { config } => self.create_express_service(&mut state, config),
            Action::DeleteExpressService { service_arn } => {
                state.express_services.remove(service_arn);
                Ok(ActionOutput::new("service deleted (INACTIVE)"))
            }
            _ => Err(CloudError::Other(format!("{} is not a synchronous change", action.verb()))),
        }
    }

    fn create_repository(&self, state: &mut AccountState, name: &str, tags: &[Tag]) -> CloudResult<ActionOutput> {
        let (acct, region) = (&self.account.account_id, &self.account.region);
        if state.repositories.contains_key(name) {
            return Err(CloudError::AlreadyExists { kind: "repository".into(), id: name.to_string() });
        }
        let uri = format!("{acct}.dkr.ecr.{region}.amazonaws.com/{name}");
        let arn = format!("arn:aws:ecr:{region}:{acct}:repository/{name}");
        let repository = Repository { arn: arn.clone(), uri: uri.clone(), tags: tags.to_vec(), images: Vec::new() };
        state.repositories.insert(name.to_string(), repository);
        Ok(ActionOutput::new(format!("repository {uri}")).with("arn", arn).with("repositoryUri", uri))
    }

    /// Refused when the name is taken, or a managed policy is neither AWS's own nor one the
    /// account holds.
    fn create_role(
        &self,
        state: &mut AccountState,
        name: &str,
        trusted_service: &str,
        managed_policy_arns: &[String],
        inline_policies: &[InlinePolicy],
        tags: &[Tag],
    ) -> CloudResult<ActionOutput> {
        if state.roles.contains_key(name) {
            return Err(CloudError::AlreadyExists { kind: "role".into(), id: name.to_string() });
        }
        for arn in managed_policy_arns {
            let aws_managed = arn.starts_with("arn:aws:iam::aws:policy/");
            if !aws_managed && !state.managed_policies.contains_key(arn) {
                return Err(CloudError::not_found("policy", arn));
            }
        }
        let arn = format!("arn:aws:iam::{}:role/{name}", self.account.account_id);
        state.roles.insert(
            name.to_string(),
            SandboxRole {
                arn: arn.clone(),
                name: name.to_string(),
                trust_policy: trust_policy(trusted_service),
                managed_policy_arns: managed_policy_arns.to_vec(),
                inline_policies: inline_policies.iter().map(|p| (p.name.clone(), p.document.clone())).collect(),
                tags: tags.to_vec(),
            },
        );
        let count = managed_policy_arns.len() + inline_policies.len();
        let plural = if count == 1 { "policy" } else { "policies" };
        Ok(ActionOutput::new(format!("{arn} with {count} {plural}")).with("arn", arn))
    }

    /// Refused unless the VPC exists and holds no group of that name; the id comes from the
    /// sandbox's counter.
    fn create_security_group(
        &self,
        state: &mut AccountState,
        name: &str,
        description: &str,
        vpc_id: &str,
        tags: &[Tag],
    ) -> CloudResult<ActionOutput> {
        if !state.vpcs.iter().any(|v| v.id == vpc_id) {
            return Err(CloudError::not_found("VPC", vpc_id));
        }
        if state.security_groups.iter().any(|g| g.name == name && g.vpc_id == vpc_id) {
            return Err(CloudError::AlreadyExists { kind: "security group".into(), id: name.to_string() });
        }
        let id = format!("sg-0f{:015x}", self.next_id());
        state.security_groups.push(SecurityGroup {
            id: id.clone(),
            name: name.to_string(),
            vpc_id: vpc_id.to_string(),
            description: description.to_string(),
            ingress: Vec::new(),
            tags: tags.iter().map(|t| (t.key.clone(), t.value.clone())).collect(),
        });
        Ok(ActionOutput::new(format!("{id} created")).with("groupId", id))
    }

    /// Refused when the service exists or a role or security group it names does not; its
    /// first deployment then takes `deploy_polls` polls of [`Sandbox::wait_active`].
    fn create_express_service(
        &self,
        state: &mut AccountState,
        config: &ExpressServiceConfig,
    ) -> CloudResult<ActionOutput> {
        let (acct, region) = (&self.account.account_id, &self.account.region);
        let cluster = &config.cluster;
        let arn = format!("arn:aws:ecs:{region}:{acct}:service/{cluster}/{}", config.service_name);
        if state.express_services.contains_key(&arn) {
            return Err(CloudError::AlreadyExists { kind: "service".into(), id: config.service_name.clone() });
        }
        for role in [&config.execution_role_arn, &config.infrastructure_role_arn] {
            if !state.roles.values().any(|r| &r.arn == role) {
                return Err(CloudError::Invalid(format!("InvalidParameterException: role {role} does not exist")));
            }
        }
        for group in &config.network_configuration.security_groups {
            if !state.security_groups.iter().any(|g| &g.id == group) {
                return Err(CloudError::Invalid(format!(
                    "InvalidParameterException: security group {group} does not exist"
                )));
            }
        }
        let endpoint = format!("https://{}-{}.ecs.{region}.on.aws", config.service_name, &stable_suffix(&arn)[..8]);
        state.express_services.insert(
            arn.clone(),
            ExpressService {
                arn: arn.clone(),
                config: config.clone(),
                status: "ACTIVE".into(),
                endpoint: endpoint.clone(),
                polls_left: self.deploy_polls,
                extra_hosts: Vec::new(),
                extra_certificates: Vec::new(),
            },
        );
        Ok(ActionOutput::new("service created, first deployment started")
            .with("serviceArn", arn)
            .with("endpoint", endpoint))
    }
}

/// Refused while another group's rule admits the group or a service runs in it.
fn delete_security_group(state: &mut AccountState, group_id: &str) -> CloudResult<ActionOutput> {
    let referenced = state
        .security_groups
        .iter()
        .any(|g| g.ingress.iter().any(|r| matches!(&r.source, RuleSource::Group { group_id: s } if s == group_id)));
    let in_use = state
        .express_services
        .values()
        .any(|s| s.config.network_configuration.security_groups.iter().any(|g| g == group_id));
    if referenced || in_use {
        return Err(CloudError::Invalid(format!("DependencyViolation: {group_id} is still referenced")));
    }
    state.security_groups.retain(|g| g.id != group_id);
    Ok(ActionOutput::new(format!("{group_id} deleted")))
}

/// Adds one TCP rule admitting `source_group_id`; both groups must exist, the rule must be new.
fn authorize_ingress(
    state: &mut AccountState,
    group_id: &str,
    port: u16,
    source_group_id: &str,
) -> CloudResult<ActionOutput> {
    if !state.security_groups.iter().any(|g| g.id == source_group_id) {
        return Err(CloudError::not_found("security group", source_group_id));
    }
    let group = state
        .security_groups
        .iter_mut()
        .find(|g| g.id == group_id)
        .ok_or_else(|| CloudError::not_found("security group", group_id))?;
    let rule = IngressRule {
        protocol: "tcp".into(),
        from_port: port,
        to_port: port,
        source: RuleSource::Group { group_id: source_group_id.to_string() },
    };
    if group.ingress.contains(&rule) {
        return Err(CloudError::AlreadyExists { kind: "rule".into(), id: format!("{port} from {source_group_id}") });
    }
    group.ingress.push(rule);
    Ok(ActionOutput::new(format!("{group_id} admits {source_group_id} on {port}")))
}

/// The error AWS would plausibly give at this step, so a trainer's failure looks real.
pub(super) fn fault_message(action: &Action) -> String {
    match action {
        Action::CreateEcrRepository { .. } => "LimitExceededException: repository limit reached",
        Action::CreateRole { .. } => "LimitExceeded: cannot exceed quota for RolesPerAccount: 1000",
        Action::CreateSecret { .. } => "AccessDeniedException: not authorized to perform secretsmanager:CreateSecret",
        Action::CreateSecurityGroup { .. } => {
            "SecurityGroupLimitExceeded: the maximum number of security groups has been reached"
        }
        Action::AuthorizeIngress { .. } => {
            "RulesPerSecurityGroupLimitExceeded: the maximum number of rules per security group has been reached"
        }
        Action::CreateExpressService { .. } => {
            "InvalidParameterException: subnets must have at least 8 free IP addresses"
        }
        Action::WaitServiceActive { .. } => {
            "deployment failed: tasks failed the health check and the deployment rolled back"
        }
        Action::BuildAndPushImage { .. } => "denied: requested access to the resource is denied (docker push)",
        _ => "ServiceUnavailable: please retry",
    }
    .to_string()
}
