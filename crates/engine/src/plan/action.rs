//! Every change ferry can make, as data.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::weighted::{GateSides, WeightedPair};
use crate::gate::{Thresholds, Window};
use crate::model::{ExpressServiceConfig, Tag};

/// Where a secret's value comes from. The plan names the source, never the value: the
/// cloud reads it at apply time, so no plan, journal or log ever holds it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "from", rename_all = "kebab-case")]
pub enum SecretSource {
    /// A `NAME=value` assignment in the instance's user data.
    UserDataVariable {
        /// The instance whose user data holds the assignment.
        instance_id: String,
        /// The variable's name, left of the `=`.
        variable: String,
    },
    /// The whole content of a file on the machine that applies the plan (trailing newline dropped).
    File {
        /// The file's path on the applying machine, as given in `--secret NAME=file:PATH`.
        path: String,
    },
    /// An environment variable of the process that applies the plan.
    Environment {
        /// The variable's name, as given in `--secret NAME=env:VAR`.
        variable: String,
    },
}

impl SecretSource {
    /// Reads a source that lives on the applying machine; `None` for sources only the cloud
    /// can read (user data). The value goes straight to the secret store, never to a log.
    pub fn read_local(&self) -> Option<Result<String, String>> {
        match self {
            SecretSource::UserDataVariable { .. } => None,
            SecretSource::File { path } => Some(
                std::fs::read_to_string(path)
                    .map(|text| text.trim_end_matches(['\n', '\r']).to_string())
                    .map_err(|e| format!("cannot read the secret file {path}: {e}")),
            ),
            SecretSource::Environment { variable } => {
                Some(std::env::var(variable).map_err(|_| format!("the environment variable {variable} is not set")))
            }
        }
    }

    /// `read_local` off the async workers and bounded in time: a secret file on a hung network
    /// mount, or a pipe nobody writes, must not stall the run past its timeouts.
    pub async fn read_local_bounded(&self) -> Option<Result<String, String>> {
        if matches!(self, SecretSource::UserDataVariable { .. }) {
            return None;
        }
        let source = self.clone();
        let read = tokio::task::spawn_blocking(move || source.read_local());
        match tokio::time::timeout(std::time::Duration::from_secs(10), read).await {
            Ok(Ok(value)) => value,
            Ok(Err(_)) => Some(Err(format!("reading {} failed", self.describe()))),
            Err(_) => Some(Err(format!("reading {} did not finish within 10 s", self.describe()))),
        }
    }

    /// Where the value comes from, for the plan view: never the value itself.
    pub fn describe(&self) -> String {
        match self {
            SecretSource::UserDataVariable { instance_id, variable } => {
                format!("{variable} in user data of {instance_id}")
            }
            SecretSource::File { path } => format!("file {path}"),
            SecretSource::Environment { variable } => format!("${variable} of the applying process"),
        }
    }
}

/// An inline policy to put on a role: copied from the instance role, or the execution
/// role's `ferry-read-secrets`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct InlinePolicy {
    /// The policy's name on the role.
    pub name: String,
    /// The IAM policy document, as JSON.
    pub document: Value,
}

/// One change to an account. Executed only through `cloud::Cloud::execute`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "kebab-case")]
pub enum Action {
    /// Creates the private ECR repository the image is pushed to.
    CreateEcrRepository {
        /// Repository name: the service's, e.g. `shop-api`.
        name: String,
        /// Put on the repository; `ferry:run-id` among them, by which a run knows its own.
        tags: Vec<Tag>,
    },
    /// Deletes the repository and every image in it.
    DeleteEcrRepository {
        /// The repository, by the name its create step gave it.
        name: String,
    },
    /// Creates an IAM role (task, execution or infrastructure) with its policies.
    CreateRole {
        /// Role name, e.g. `ferry-shop-api-task`.
        name: String,
        /// The service principal allowed to assume the role.
        trusted_service: String,
        /// ARNs of the managed policies to attach.
        managed_policy_arns: Vec<String>,
        /// Policies to put on the role inline.
        inline_policies: Vec<InlinePolicy>,
        /// Put on the role; `ferry:run-id` among them, by which a run knows its own.
        tags: Vec<Tag>,
    },
    /// Detaches managed policies, deletes inline ones, then deletes the role.
    DeleteRole {
        /// The role, by the name its create step gave it.
        name: String,
    },
    /// Creates a Secrets Manager secret; its value is read from `source` at apply time.
    CreateSecret {
        /// Secret name, `ferry/SERVICE/VARIABLE`.
        name: String,
        /// Where the value is read from: the plan never holds the value.
        source: SecretSource,
        /// Put on the secret; `ferry:run-id` among them, by which a run knows its own.
        tags: Vec<Tag>,
    },
    /// Deletes without a recovery window, so the name can be used again at once.
    DeleteSecret {
        /// The secret, by the name its create step gave it.
        name: String,
    },
    /// Creates the security group the service's tasks run in.
    CreateSecurityGroup {
        /// Group name, e.g. `ferry-shop-api-service`.
        name: String,
        /// The group's description, as AWS shows it.
        description: String,
        /// The VPC to create it in: the source instance's.
        vpc_id: String,
        /// Put on the group; `ferry:run-id` among them, by which a run knows its own.
        tags: Vec<Tag>,
    },
    /// Deletes a security group by id.
    DeleteSecurityGroup {
        /// The `groupId` its create step returned.
        group_id: String,
    },
    /// Lets the service's tasks reach a data store: one TCP rule on the store's security group.
    AuthorizeIngress {
        /// The data store's security group, which gets the rule.
        group_id: String,
        /// The data store's port, e.g. `5432`.
        port: u16,
        /// The group let in: the plan's service group, as a placeholder
        /// (`${ferry:service-security-group.groupId}`) until apply fills it.
        source_group_id: String,
        /// The rule's description, as AWS shows it.
        description: String,
    },
    /// Removes a rule `AuthorizeIngress` added.
    RevokeIngress {
        /// The security group the rule is on.
        group_id: String,
        /// The rule's TCP port.
        port: u16,
        /// The group the rule lets in.
        source_group_id: String,
    },
    /// Creates the ECS Express Mode service; its first deployment starts at once.
    CreateExpressService {
        /// The service config, as `create-express-gateway-service` takes it; its security group
        /// and `ferry:run-id` tag are placeholders until apply fills them.
        config: Box<ExpressServiceConfig>,
    },
    /// Deletes the service and waits until it is INACTIVE.
    DeleteExpressService {
        /// The `serviceArn` its create step returned.
        service_arn: String,
    },
    /// Polls the new service until it is ACTIVE; changes nothing, so there is nothing to undo.
    WaitServiceActive {
        /// The service's name, for progress and messages.
        service_name: String,
        /// The service to watch: a placeholder (`${ferry:express-service.serviceArn}`) until apply
        /// fills it.
        service_arn: String,
        /// How long to wait before the step fails, in seconds: 40 minutes in the plans ferry
        /// makes, never more than a day.
        timeout_secs: u64,
    },
    /// Builds the image from the plan's own Dockerfile with the container CLI on the applying
    /// machine, then pushes it after an ECR login. The Dockerfile is in the plan, so the plan's
    /// hash covers exactly what is built; its digest is shown for review. Nothing to undo: the
    /// repository's deletion removes its images.
    BuildAndPushImage {
        /// The build context: the application's source folder (absolute path).
        context_dir: String,
        /// The Dockerfile's text, as generated and reviewed.
        dockerfile: String,
        /// The `.dockerignore` text the build uses with it.
        dockerignore: String,
        /// sha256 of `dockerfile`, hex, shown for review; a plan stating any other is refused.
        dockerfile_sha256: String,
        /// Repository URI and tag, e.g. `123.dkr.ecr.eu-west-1.amazonaws.com/shop-api:latest`.
        image: String,
    },
    /// Adds a host name to the Express listener rule's host-header condition, keeping the
    /// hosts it has (removing the Express host would break the service's own endpoint).
    AddRuleHost {
        /// The Express load balancer's listener rule.
        rule_arn: String,
        /// The app's host name, e.g. `shop.example.com`.
        host: String,
    },
    /// Removes a host name `AddRuleHost` added, leaving the others.
    RemoveRuleHost {
        /// The listener rule.
        rule_arn: String,
        /// The host name to take out.
        host: String,
    },
    /// Adds a certificate to an HTTPS listener's certificate list (served by SNI).
    AddListenerCertificate {
        /// The Express load balancer's HTTPS listener.
        listener_arn: String,
        /// A certificate covering the app's host name.
        certificate_arn: String,
    },
    /// Removes a certificate `AddListenerCertificate` added.
    RemoveListenerCertificate {
        /// The listener.
        listener_arn: String,
        /// The certificate to take off it.
        certificate_arn: String,
    },
    /// Replaces the simple records of a host name by weighted pairs in one atomic change:
    /// the old load balancer at 100, the new one at 0, so nothing moves yet.
    SplitRecords {
        /// The records and the weighted pairs that replace them.
        pair: Box<WeightedPair>,
    },
    /// Puts the original records back in one atomic change, removing both weighted records
    /// whatever their weights are by then.
    JoinRecords {
        /// The records and the weighted pairs to remove.
        pair: Box<WeightedPair>,
    },
    /// Sets the weights of the pairs, then waits until Route 53 reports the change INSYNC.
    SetWeights {
        /// The records whose weights change.
        pair: Box<WeightedPair>,
        /// Weight of the old load balancer's records, 0-255.
        old_weight: u8,
        /// Weight of the new load balancer's records, 0-255.
        new_weight: u8,
    },
    /// Sends all traffic back to the old load balancer (old 100, new 0): the undo of a stage,
    /// and what a failed health gate does at once.
    ReturnWeights {
        /// The records whose weights return.
        pair: Box<WeightedPair>,
    },
    /// Ends a finished cutover: the weighted pair gives way to one plain record pointing at
    /// the new load balancer, in one atomic change.
    FinalizeRecords {
        /// The records and the weighted pairs that stood in for them.
        pair: Box<WeightedPair>,
    },
    /// Puts the weighted pair back (old 0, new 100) in place of the plain record
    /// `FinalizeRecords` made: its undo.
    UnfinalizeRecords {
        /// The records and the weighted pairs.
        pair: Box<WeightedPair>,
    },
    /// Judges the new load balancer against the old one over the last window. When the gate
    /// fails, all traffic goes back to the old stack at once (old 100 / new 0) and the step
    /// fails, naming each figure that failed and by how much.
    HealthGate {
        /// The new service's share of traffic at this stage, for messages.
        share: u8,
        /// The records whose weights go back when the gate fails.
        pairs: Vec<WeightedPair>,
        /// Both sides' load balancers and target groups.
        sides: Box<GateSides>,
        /// How far back the figures are read.
        window: Window,
        /// The limits the figures are judged by.
        thresholds: Thresholds,
    },
    /// Waits, changing nothing: one DNS TTL so resolvers see a change, or a stage's bake.
    Bake {
        /// How long, in seconds.
        seconds: u64,
        /// Why, for progress and review (`TTL of shop.example.com`, `bake at 10 %`).
        why: String,
    },
}

/// What executing an action returned: ids and ARNs the inverse and later steps need.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ActionOutput {
    /// What the call returned by name (`groupId`, `serviceArn`, `arn`...): what the inverse and
    /// `${ferry:STEP.KEY}` placeholders in later steps read.
    pub values: BTreeMap<String, String>,
    /// One line for the progress view, e.g. `sg-0abc created`.
    pub summary: String,
}

impl ActionOutput {
    /// An output with only its summary, values to be added with `with`.
    pub fn new(summary: impl Into<String>) -> Self {
        ActionOutput { values: BTreeMap::new(), summary: summary.into() }
    }

    /// The output with `key` set to `value`, for building one up in a chain.
    pub fn with(mut self, key: &str, value: impl Into<String>) -> Self {
        self.values.insert(key.to_string(), value.into());
        self
    }

    /// The value the call returned under `key`, if any.
    pub fn get(&self, key: &str) -> Option<&str> {
        self.values.get(key).map(String::as_str)
    }
}

impl Action {
    /// Type names of the actions a plan is made of (the undo actions are not listed).
    pub const FORWARD_TYPES: [&'static str; 8] = [
        "create-ecr-repository",
        "build-and-push-image",
        "create-role",
        "create-secret",
        "create-security-group",
        "authorize-ingress",
        "create-express-service",
        "wait-service-active",
    ];

    /// The action undoing this one, given what executing it returned; `None` when there is
    /// nothing to undo (waits) or it cannot be undone (deletes).
    pub fn inverse(&self, output: &ActionOutput) -> Option<Action> {
        let inverse = match self {
            Action::CreateEcrRepository { name, .. } => Action::DeleteEcrRepository { name: name.clone() },
            Action::CreateRole { name, .. } => Action::DeleteRole { name: name.clone() },
            Action::CreateSecret { name, .. } => Action::DeleteSecret { name: name.clone() },
            Action::CreateSecurityGroup { .. } => {
                Action::DeleteSecurityGroup { group_id: output.get("groupId")?.to_string() }
            }
            Action::AuthorizeIngress { group_id, port, source_group_id, .. } => Action::RevokeIngress {
                group_id: group_id.clone(),
                port: *port,
                source_group_id: source_group_id.clone(),
            },
            Action::CreateExpressService { .. } => {
                Action::DeleteExpressService { service_arn: output.get("serviceArn")?.to_string() }
            }
            Action::AddRuleHost { rule_arn, host } => {
                Action::RemoveRuleHost { rule_arn: rule_arn.clone(), host: host.clone() }
            }
            Action::AddListenerCertificate { listener_arn, certificate_arn } => Action::RemoveListenerCertificate {
                listener_arn: listener_arn.clone(),
                certificate_arn: certificate_arn.clone(),
            },
            Action::SplitRecords { pair } => Action::JoinRecords { pair: pair.clone() },
            Action::SetWeights { pair, .. } => Action::ReturnWeights { pair: pair.clone() },
            Action::FinalizeRecords { pair } => Action::UnfinalizeRecords { pair: pair.clone() },
            Action::WaitServiceActive { .. }
            | Action::Bake { .. }
            | Action::HealthGate { .. }
            | Action::RemoveRuleHost { .. }
            | Action::RemoveListenerCertificate { .. }
            | Action::JoinRecords { .. }
            | Action::ReturnWeights { .. }
            | Action::UnfinalizeRecords { .. }
            | Action::BuildAndPushImage { .. }
            | Action::DeleteEcrRepository { .. }
            | Action::DeleteRole { .. }
            | Action::DeleteSecret { .. }
            | Action::DeleteSecurityGroup { .. }
            | Action::RevokeIngress { .. }
            | Action::DeleteExpressService { .. } => return None,
        };
        Some(inverse)
    }

    /// What to put back at once when this action fails, before anyone decides what to do: a
    /// failed health gate sends every host name's traffic back to the old stack.
    pub fn on_failure(&self) -> Vec<Action> {
        match self {
            Action::HealthGate { pairs, .. } => {
                pairs.iter().map(|pair| Action::ReturnWeights { pair: Box::new(pair.clone()) }).collect()
            }
            _ => Vec::new(),
        }
    }

    /// Whether running this action leaves something to undo.
    pub fn has_inverse(&self) -> bool {
        !self.is_undo()
            && !matches!(
                self,
                Action::WaitServiceActive { .. } | Action::BuildAndPushImage { .. } | Action::Bake { .. }
            )
    }

    /// Whether this action makes a named, tagged resource: one whose name must be free before
    /// apply and whose `ferry:run-id` tag tells a crashed run it is its own. A rule or a
    /// change to something that exists (a listener, a zone) is not one.
    pub fn creates_resource(&self) -> bool {
        matches!(
            self,
            Action::CreateEcrRepository { .. }
                | Action::CreateRole { .. }
                | Action::CreateSecret { .. }
                | Action::CreateSecurityGroup { .. }
                | Action::CreateExpressService { .. }
        )
    }

    /// Whether this action undoes another (a delete or revoke).
    pub fn is_undo(&self) -> bool {
        matches!(
            self,
            Action::DeleteEcrRepository { .. }
                | Action::DeleteRole { .. }
                | Action::DeleteSecret { .. }
                | Action::DeleteSecurityGroup { .. }
                | Action::RevokeIngress { .. }
                | Action::DeleteExpressService { .. }
                | Action::RemoveRuleHost { .. }
                | Action::RemoveListenerCertificate { .. }
                | Action::JoinRecords { .. }
                | Action::ReturnWeights { .. }
                | Action::UnfinalizeRecords { .. }
        )
    }

    /// The action's type as written in plan files, e.g. `create-role`.
    pub fn type_name(&self) -> String {
        serde_json::to_value(self)
            .ok()
            .and_then(|v| v.get("type").and_then(Value::as_str).map(str::to_string))
            .unwrap_or_default()
    }

    /// Tags to put on what the action creates, if it creates anything taggable.
    pub fn tags(&self) -> &[Tag] {
        match self {
            Action::CreateEcrRepository { tags, .. }
            | Action::CreateRole { tags, .. }
            | Action::CreateSecret { tags, .. }
            | Action::CreateSecurityGroup { tags, .. } => tags,
            Action::CreateExpressService { config } => &config.tags,
            _ => &[],
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inverses_need_created_ids() {
        let create = Action::CreateSecurityGroup {
            name: "svc".into(),
            description: "d".into(),
            vpc_id: "vpc-1".into(),
            tags: vec![],
        };
        assert_eq!(create.inverse(&ActionOutput::default()), None);
        let out = ActionOutput::new("created").with("groupId", "sg-9");
        assert_eq!(create.inverse(&out), Some(Action::DeleteSecurityGroup { group_id: "sg-9".into() }));
        assert_eq!(Action::DeleteRole { name: "r".into() }.inverse(&out), None);
    }

    #[test]
    fn forward_types_are_the_type_names_of_forward_actions() {
        let create = Action::CreateRole {
            name: "r".into(),
            trusted_service: "s".into(),
            managed_policy_arns: vec![],
            inline_policies: vec![],
            tags: vec![],
        };
        assert!(Action::FORWARD_TYPES.contains(&create.type_name().as_str()));
        let wait = Action::WaitServiceActive { service_name: "s".into(), service_arn: "a".into(), timeout_secs: 1 };
        assert!(Action::FORWARD_TYPES.contains(&wait.type_name().as_str()));
        assert!(!Action::FORWARD_TYPES.contains(&Action::DeleteRole { name: "r".into() }.type_name().as_str()));
    }

    #[test]
    fn actions_round_trip_through_json() {
        let action = Action::AuthorizeIngress {
            group_id: "sg-db".into(),
            port: 5432,
            source_group_id: "${ferry:service-security-group.groupId}".into(),
            description: "ferry".into(),
        };
        let json = serde_json::to_string(&action).unwrap();
        assert!(json.contains("\"type\":\"authorize-ingress\""));
        assert_eq!(serde_json::from_str::<Action>(&json).unwrap(), action);
    }
}
