//! One call from an instance id to everything the wizard and the headless commands show:
//! discover › analyze › generate › plan.

use serde::{Deserialize, Serialize};

use crate::analyze::{AppFiles, Given, analyze_given};
use futures::StreamExt;

use crate::cloud::{CloudError, CloudResult, ReadCloud};
use crate::discover::{DiscoverError, discover};
use crate::generate::{Artifacts, generate};
use crate::model::{AccountInfo, AppProfile, MigrationGraph, Role, Unseen};
use crate::plan::reuse::{self, ExistingRoles, RoleScope};
use crate::plan::{ImageSource, Plan, build_plan_reusing};

/// Everything ferry knows and proposes for moving one instance: what was found, what the app
/// is, what would be written and the plan that would do it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Migration {
    /// The account and region the instance is in.
    pub account: AccountInfo,
    /// The instance and everything discovery found it depends on.
    pub graph: MigrationGraph,
    /// What analysis learned about the application.
    pub profile: AppProfile,
    /// The Dockerfile, .dockerignore and service config, as generated or as the operator
    /// edited them.
    pub artifacts: Artifacts,
    /// The steps that would carry out the migration, built from the artifacts.
    pub plan: Plan,
    /// The application's source folder, when one was read: the image's build context.
    pub source_dir: Option<String>,
    /// An image the operator already has (`--image URI`): the service runs it as it is, and
    /// the plan creates no repository and builds nothing, whatever the URI names.
    pub prebuilt_image: Option<String>,
    /// Where the operator said secret values are (`--secret NAME=env:VAR`), by variable.
    #[serde(default)]
    pub given: Given,
    /// The account's roles that may stand in for the execution and infrastructure roles, and
    /// what could not be read of them (the plan then makes its own); empty when none was found.
    #[serde(default, skip_serializing_if = "ExistingRoles::is_empty")]
    pub existing_roles: ExistingRoles,
}

/// Why a migration could not be prepared.
#[derive(Debug, thiserror::Error)]
pub enum PrepareError {
    /// STS could not say which account and identity the credentials belong to.
    #[error("cannot identify the account: {0}")]
    Account(CloudError),
    /// The instance could not be read.
    #[error(transparent)]
    Discover(#[from] DiscoverError),
}

/// Discovers the instance and analyses, generates and plans from the cloud alone: no source
/// folder, no secret values given.
pub async fn prepare(cloud: &dyn ReadCloud, instance_id: &str) -> Result<Migration, PrepareError> {
    prepare_with(cloud, instance_id, None).await
}

/// As `prepare`, reading the application from its source folder as well.
pub async fn prepare_with(
    cloud: &dyn ReadCloud,
    instance_id: &str,
    app: Option<&AppFiles>,
) -> Result<Migration, PrepareError> {
    prepare_given(cloud, instance_id, app, Given::new()).await
}

/// As `prepare_with`, with the secret values the operator points at (`--secret`).
pub async fn prepare_given(
    cloud: &dyn ReadCloud,
    instance_id: &str,
    app: Option<&AppFiles>,
    given: Given,
) -> Result<Migration, PrepareError> {
    let account_and_roles = async {
        let account = cloud.account().await?;
        let roles = existing_roles(cloud, &account).await;
        Ok::<_, CloudError>((account, roles))
    };
    let (found, graph) = tokio::join!(account_and_roles, discover(cloud, instance_id));
    let ((account, roles), graph) = (found.map_err(PrepareError::Account)?, graph?);
    Ok(Migration::analysed(account, graph, roles, app, given))
}

/// How many roles whose trust fits are read in full: an account may hold thousands of roles,
/// and reading one takes four IAM calls or more.
const MAX_ROLES_READ: usize = 12;
/// How many of them are read at once, so IAM's request rate is not what stops discovery.
const ROLE_READS_AT_ONCE: usize = 4;

/// The account's roles that may stand in for the execution or infrastructure role: listed,
/// and those whose trust fits read in full. A refused or failed call is noted and leaves the
/// plan making its own roles; it never stops the migration.
pub async fn existing_roles(cloud: &dyn ReadCloud, account: &AccountInfo) -> ExistingRoles {
    let unseen = |what: String, error: &CloudError| Unseen {
        what,
        reason: error.to_string(),
        missing_action: match error {
            CloudError::AccessDenied { action, .. } => Some(action.clone()),
            _ => None,
        },
    };
    let listed = match cloud.roles().await {
        Ok(listed) => listed,
        Err(error) => {
            return ExistingRoles { roles: Vec::new(), unseen: vec![unseen("roles to reuse".into(), &error)] };
        }
    };
    let names = reuse::candidates(&listed, &RoleScope::account(&account.account_id, &account.region), MAX_ROLES_READ);
    let reads: Vec<(String, CloudResult<Role>)> = futures::stream::iter(names)
        .map(|name| async move {
            let read = cloud.role(&name).await;
            (name, read)
        })
        .buffered(ROLE_READS_AT_ONCE)
        .collect()
        .await;
    let mut found = ExistingRoles::default();
    for (name, read) in reads {
        match read {
            Ok(role) => found.roles.push(role),
            Err(error) => found.unseen.push(unseen(format!("role {name}"), &error)),
        }
    }
    found
}

impl Migration {
    /// Analyses, generates and plans for a discovered instance: everything after discovery.
    /// An existing role that fits is named in the service config, so the plan uses it.
    fn analysed(
        account: AccountInfo,
        graph: MigrationGraph,
        existing_roles: ExistingRoles,
        app: Option<&AppFiles>,
        given: Given,
    ) -> Migration {
        let profile = analyze_given(&graph, app, &given);
        let artifacts = generated(&graph, &profile, &account, &existing_roles);
        // The image builds from the folder analysed: the server's, when it sits one folder down.
        let located = app.map(crate::analyze::locate_server).unwrap_or_default();
        let built = located.files.as_ref().or(app);
        let source_dir = built.and_then(|a| a.root.as_ref()).map(|root| build_context(root, &profile.build_context));
        let image = ImageSource::Build { source_dir: source_dir.as_deref() };
        let plan = build_plan_reusing(&graph, &profile, &artifacts, &account, image, &existing_roles);
        Migration { account, graph, profile, artifacts, plan, source_dir, prebuilt_image: None, given, existing_roles }
    }

    /// Analyses again with another source folder (or none), keeping what discovery found and
    /// the image the operator named. The artifacts are generated afresh, so edits to them are
    /// replaced.
    pub fn with_app(self, app: Option<&AppFiles>) -> Migration {
        let prebuilt = self.prebuilt_image.clone();
        let migration = Migration::analysed(self.account, self.graph, self.existing_roles, app, self.given);
        match prebuilt {
            Some(uri) => migration.with_image(&uri),
            None => migration,
        }
    }
}

/// The folder the image builds from: the analysed folder, or the one its build needs (a Maven
/// module's reactor above it).
fn build_context(root: &std::path::Path, relative: &str) -> String {
    let folder = root.join(relative);
    std::fs::canonicalize(&folder).unwrap_or(folder).display().to_string()
}

/// The artifacts as generated, naming in the service config the existing roles that fit.
fn generated(
    graph: &MigrationGraph,
    profile: &AppProfile,
    account: &AccountInfo,
    existing: &ExistingRoles,
) -> Artifacts {
    let mut artifacts = generate(graph, profile, account);
    reuse::name_fitting_roles(&mut artifacts.service_config, existing, &account.account_id, &account.region);
    artifacts
}

impl Migration {
    /// The artifacts as ferry would generate them now, existing roles that fit included: what
    /// an edit is told apart from.
    pub fn generated_artifacts(&self) -> Artifacts {
        generated(&self.graph, &self.profile, &self.account, &self.existing_roles)
    }

    /// Analyses again with the secret values the operator points at, from the same source
    /// folder (or none): each becomes a secret the plan creates from that place.
    pub fn with_given(self, app: Option<&AppFiles>, given: Given) -> Migration {
        let prebuilt = self.prebuilt_image.clone();
        let migration = Migration::analysed(self.account, self.graph, self.existing_roles, app, given);
        match prebuilt {
            Some(uri) => migration.with_image(&uri),
            None => migration,
        }
    }

    /// Replaces the artifacts (after an edit) and plans again, so the hash follows the edit.
    /// An image edited to one outside the repository ferry would create is run as it is.
    pub fn with_artifacts(mut self, artifacts: Artifacts) -> Migration {
        let image = self.image_source(&artifacts);
        self.plan =
            build_plan_reusing(&self.graph, &self.profile, &artifacts, &self.account, image, &self.existing_roles);
        self.artifacts = artifacts;
        self
    }

    /// Runs an image the operator already has instead of building one (`--image URI`): the
    /// plan then creates no repository and builds nothing, even when the URI names the
    /// repository ferry would have created.
    pub fn with_image(mut self, uri: &str) -> Migration {
        let mut artifacts = self.artifacts.clone();
        artifacts.service_config.primary_container.image = uri.to_string();
        self.prebuilt_image = Some(uri.to_string());
        self.with_artifacts(artifacts)
    }

    /// Built when the config runs the image ferry's own repository would hold and the
    /// operator named no image of their own.
    fn image_source(&self, artifacts: &Artifacts) -> ImageSource<'_> {
        let repository = format!(
            "{}.dkr.ecr.{}.amazonaws.com/{}",
            self.account.account_id, self.account.region, artifacts.names.repository
        );
        let image = &artifacts.service_config.primary_container.image;
        let ours = image.strip_prefix(&repository).is_some_and(|rest| rest.starts_with(':') || rest.starts_with('@'));
        match &self.prebuilt_image {
            Some(named) if named == image => ImageSource::Prebuilt,
            _ if ours => ImageSource::Build { source_dir: self.source_dir.as_deref() },
            _ => ImageSource::Prebuilt,
        }
    }
}

/// One file `ferry generate` writes, relative to the output folder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ArtifactFile {
    /// The path below the output folder, `/`-separated: `Dockerfile`, `iam/ROLE.json`.
    pub path: String,
    /// The file's whole text.
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
