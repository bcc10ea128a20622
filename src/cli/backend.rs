//! Choosing the account: a sandbox scenario, or AWS as the CLI would reach it.

use std::sync::Arc;

use clap::Args;
use color_eyre::eyre::{Result, eyre};

use ferry::apply::Target;
use ferry::cloud::aws::{AwsCloud, AwsOptions, connect};
use ferry::cloud::sandbox::{Sandbox, SandboxOptions, Scenario};
use ferry::cloud::{Cloud, ReadCloud};

/// The AWS CLI's connection options; unset ones come from the environment and profiles.
#[derive(Args)]
pub struct AwsArgs {
    /// A named profile from ~/.aws/config (SSO and credential processes work).
    #[arg(long, global = true, value_name = "NAME")]
    profile: Option<String>,
    /// The region to use, overriding the profile and AWS_REGION.
    #[arg(long, global = true, value_name = "REGION")]
    region: Option<String>,
    /// Send every call to this endpoint (AWS_ENDPOINT_URL works too), e.g. a local emulator.
    #[arg(long, global = true, value_name = "URL")]
    endpoint_url: Option<String>,
}

pub enum Backend {
    Sandbox { sandbox: Arc<Sandbox>, scenario: String },
    Aws { aws: Arc<AwsCloud>, args: AwsArgs },
}

impl Clone for AwsArgs {
    fn clone(&self) -> Self {
        AwsArgs { profile: self.profile.clone(), region: self.region.clone(), endpoint_url: self.endpoint_url.clone() }
    }
}

impl Backend {
    /// A sandbox when one is named, else AWS. Headless sandboxes run without latency.
    pub async fn open(aws: &AwsArgs, sandbox: Option<&str>) -> Result<Backend> {
        match sandbox {
            Some(name) => Backend::sandbox(name, SandboxOptions::instant()),
            None => Backend::aws(aws).await,
        }
    }

    /// The scenario's account as the state folder keeps it, so separate commands (plan,
    /// apply, rollback) and a killed process all see one account.
    pub fn sandbox(scenario: &str, mut options: SandboxOptions) -> Result<Backend> {
        // A scenario file is known by its absolute path, so a rollback from another folder
        // reaches the same account.
        let is_bundled = ferry::cloud::sandbox::BUNDLED.iter().any(|(name, _)| *name == scenario);
        let scenario = match std::fs::canonicalize(scenario) {
            Ok(path) if !is_bundled => path.display().to_string(),
            _ => scenario.to_string(),
        };
        let scenario = scenario.as_str();
        options.state_file = ferry::state_dir::sandbox_account(scenario);
        let sandbox = Sandbox::resume(&Scenario::load(scenario)?, options)?;
        Ok(Backend::Sandbox { sandbox: Arc::new(sandbox), scenario: scenario.to_string() })
    }

    pub async fn aws(args: &AwsArgs) -> Result<Backend> {
        let options = AwsOptions {
            profile: args.profile.clone(),
            region: args.region.clone(),
            endpoint_url: args.endpoint_url.clone(),
            ..AwsOptions::default()
        };
        Ok(Backend::Aws { aws: Arc::new(connect(&options).await?), args: args.clone() })
    }

    /// The account a run recorded, reached the same way again.
    /// AWS options given on the command line win (the account is still checked against the
    /// plan's).
    pub async fn for_target(target: &Target, options: SandboxOptions, given: &AwsArgs) -> Result<Backend> {
        match target {
            Target::Sandbox { scenario } => Backend::sandbox(scenario, options),
            Target::Aws { profile, region, endpoint_url } => {
                let args = AwsArgs {
                    profile: given.profile.clone().or_else(|| profile.clone()),
                    region: given.region.clone().or_else(|| region.clone()),
                    endpoint_url: given.endpoint_url.clone().or_else(|| endpoint_url.clone()),
                };
                Backend::aws(&args).await
            }
            Target::InProcess => {
                Err(eyre!("the run was made by a process that has ended; its account cannot be reopened"))
            }
        }
    }

    /// How to reach this account again, for the run's journal.
    pub fn target(&self) -> Target {
        match self {
            Backend::Sandbox { scenario, .. } => Target::Sandbox { scenario: scenario.clone() },
            Backend::Aws { args, .. } => Target::Aws {
                profile: args.profile.clone(),
                region: args.region.clone(),
                endpoint_url: args.endpoint_url.clone(),
            },
        }
    }

    /// The account to change.
    pub fn write(&self) -> Result<Arc<dyn Cloud>> {
        match self {
            Backend::Sandbox { sandbox, .. } => Ok(sandbox.clone()),
            Backend::Aws { aws, .. } => Ok(aws.clone()),
        }
    }

    pub fn read(&self) -> Arc<dyn ReadCloud> {
        match self {
            Backend::Sandbox { sandbox, .. } => sandbox.clone(),
            Backend::Aws { aws, .. } => aws.clone(),
        }
    }

    /// The instance to work on: given, or the sandbox scenario's application.
    pub fn instance(&self, given: Option<String>) -> Result<String> {
        match (given, self) {
            (Some(id), _) => Ok(id),
            (None, Backend::Sandbox { sandbox, .. }) => Ok(sandbox.app_instance().to_string()),
            (None, Backend::Aws { .. }) => Err(eyre!("--instance ID is required on a live account")),
        }
    }

    /// The header's label before the account answers: scenario name or profile.
    pub async fn label(&self) -> String {
        self.read().account().await.map(|a| a.label).unwrap_or_default()
    }
}
