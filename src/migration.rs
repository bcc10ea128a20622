//! One call from an instance id to everything the wizard and the headless commands show:
//! discover › analyze › generate › plan.

use serde::{Deserialize, Serialize};

use crate::analyze::{AppFiles, analyze_app};
use crate::cloud::{CloudError, ReadCloud};
use crate::discover::{DiscoverError, discover};
use crate::generate::{Artifacts, generate};
use crate::model::{AccountInfo, AppProfile, MigrationGraph};
use crate::plan::{Plan, build_plan};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Migration {
    pub account: AccountInfo,
    pub graph: MigrationGraph,
    pub profile: AppProfile,
    pub artifacts: Artifacts,
    pub plan: Plan,
    /// The application's source folder, when one was read: the image's build context.
    pub source_dir: Option<String>,
}

#[derive(Debug, thiserror::Error)]
pub enum PrepareError {
    #[error("cannot identify the account: {0}")]
    Account(CloudError),
    #[error(transparent)]
    Discover(#[from] DiscoverError),
}

pub async fn prepare(cloud: &dyn ReadCloud, instance_id: &str) -> Result<Migration, PrepareError> {
    prepare_with(cloud, instance_id, None).await
}

/// As `prepare`, reading the application from its source folder as well.
pub async fn prepare_with(
    cloud: &dyn ReadCloud,
    instance_id: &str,
    app: Option<&AppFiles>,
) -> Result<Migration, PrepareError> {
    let (account, graph) = tokio::join!(cloud.account(), discover(cloud, instance_id));
    let (account, graph) = (account.map_err(PrepareError::Account)?, graph?);
    Ok(Migration::analysed(account, graph, app))
}

impl Migration {
    /// Analyses, generates and plans for a discovered instance: everything after discovery.
    fn analysed(account: AccountInfo, graph: MigrationGraph, app: Option<&AppFiles>) -> Migration {
        let profile = analyze_app(&graph, app);
        let artifacts = generate(&graph, &profile, &account);
        let source_dir = app.and_then(|a| a.root.as_ref()).map(|root| root.display().to_string());
        let plan = build_plan(&graph, &profile, &artifacts, &account, source_dir.as_deref());
        Migration { account, graph, profile, artifacts, plan, source_dir }
    }

    /// Analyses again with another source folder (or none), keeping what discovery found.
    /// The artifacts are generated afresh, so edits to them are replaced.
    pub fn with_app(self, app: Option<&AppFiles>) -> Migration {
        Migration::analysed(self.account, self.graph, app)
    }
}

impl Migration {
    /// Replaces the artifacts (after an edit) and plans again, so the hash follows the edit.
    pub fn with_artifacts(mut self, artifacts: Artifacts) -> Migration {
        self.plan = build_plan(&self.graph, &self.profile, &artifacts, &self.account, self.source_dir.as_deref());
        self.artifacts = artifacts;
        self
    }

    /// Runs an image the operator already has instead of building one (`--image URI`): the
    /// plan then creates no repository and builds nothing.
    pub fn with_image(self, uri: &str) -> Migration {
        let mut artifacts = self.artifacts.clone();
        artifacts.service_config.primary_container.image = uri.to_string();
        self.with_artifacts(artifacts)
    }
}

/// One file `ferry generate` writes, relative to the output folder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ArtifactFile {
    pub path: String,
    pub contents: String,
}

impl Migration {
    /// Everything an operator ships or reviews: the Dockerfile, .dockerignore, the Express
    /// service config, and one IAM document per role the plan creates.
    pub fn artifact_files(&self) -> Vec<ArtifactFile> {
        let file = |path: &str, contents: String| ArtifactFile { path: path.to_string(), contents };
        let mut files = vec![
            file("Dockerfile", self.artifacts.dockerfile.clone()),
            file(".dockerignore", self.artifacts.dockerignore.clone()),
            file("service.json", self.artifacts.service_json() + "\n"),
        ];
        for step in &self.plan.steps {
            if let crate::plan::Action::CreateRole {
                name, trusted_service, managed_policy_arns, inline_policies, ..
            } = &step.action
            {
                let document = serde_json::json!({
                    "RoleName": name,
                    "AssumeRolePolicyDocument": crate::model::service_trust_policy(trusted_service),
                    "ManagedPolicyArns": managed_policy_arns,
                    "InlinePolicies": inline_policies.iter().map(|p| (p.name.clone(), p.document.clone())).collect::<serde_json::Map<_, _>>(),
                });
                files.push(file(
                    &format!("iam/{name}.json"),
                    serde_json::to_string_pretty(&document).unwrap_or_default() + "\n",
                ));
            }
        }
        files
    }
}
