//! Finding what a create action made, by the name or rule the action gives: the sandbox's
//! answer to `ReadCloud::lookup`. The outputs match what `execute` returns for the same action.

use super::Sandbox;
use crate::cloud::Found;
use crate::model::{RuleSource, Tag};
use crate::plan::{Action, ActionOutput};

const RUN_TAG: &str = "ferry:run-id";

fn run_of(tags: &[Tag]) -> Option<String> {
    tags.iter().find(|t| t.key == RUN_TAG).map(|t| t.value.clone())
}

impl Sandbox {
    pub(super) fn find(&self, action: &Action) -> Option<Found> {
        let state = self.lock();
        let found = |output: ActionOutput, run_id: Option<String>| Some(Found { output, run_id });
        match action {
            Action::CreateEcrRepository { name, .. } => {
                let repository = state.repositories.get(name)?;
                found(
                    ActionOutput::new(format!("repository {}", repository.uri))
                        .with("arn", &repository.arn)
                        .with("repositoryUri", &repository.uri),
                    run_of(&repository.tags),
                )
            }
            Action::CreateRole { name, .. } => {
                let role = state.roles.get(name)?;
                found(ActionOutput::new(role.arn.clone()).with("arn", &role.arn), run_of(&role.tags))
            }
            Action::CreateSecret { name, .. } => {
                let secret = state.secrets.get(name)?;
                found(ActionOutput::new(format!("secret {name} stored")).with("arn", &secret.arn), run_of(&secret.tags))
            }
            Action::CreateSecurityGroup { name, vpc_id, .. } => {
                let group = state.security_groups.iter().find(|g| &g.name == name && &g.vpc_id == vpc_id)?;
                found(
                    ActionOutput::new(format!("{} created", group.id)).with("groupId", &group.id),
                    group.tags.get(RUN_TAG).cloned(),
                )
            }
            Action::AuthorizeIngress { group_id, port, source_group_id, .. } => {
                let group = state.security_groups.iter().find(|g| &g.id == group_id)?;
                let admits = group.ingress.iter().any(|r| {
                    r.from_port == *port
                        && r.to_port == *port
                        && matches!(&r.source, RuleSource::Group { group_id } if group_id == source_group_id)
                });
                admits.then(|| Found {
                    output: ActionOutput::new(format!("{group_id} admits {source_group_id} on {port}")),
                    run_id: None,
                })
            }
            Action::CreateExpressService { config } => {
                let service = state
                    .express_services
                    .values()
                    .find(|s| s.config.service_name == config.service_name && s.config.cluster == config.cluster)?;
                found(
                    ActionOutput::new("service created, first deployment started")
                        .with("serviceArn", &service.arn)
                        .with("endpoint", &service.endpoint),
                    run_of(&service.config.tags),
                )
            }
            _ => None,
        }
    }
}
