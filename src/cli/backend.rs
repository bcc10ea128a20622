//! Choosing the account: a sandbox scenario, or AWS as the CLI would reach it.

use std::sync::Arc;

use clap::Args;
use color_eyre::eyre::{Result, eyre};

use ferry::cloud::ReadCloud;
use ferry::cloud::aws::{AwsCloud, AwsOptions, connect};
use ferry::cloud::sandbox::{Sandbox, SandboxOptions};

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
    Sandbox(Arc<Sandbox>),
    Aws(Arc<AwsCloud>),
}

impl Backend {
    /// A sandbox when one is named, else AWS. Headless sandboxes run without latency.
    pub async fn open(aws: &AwsArgs, sandbox: Option<&str>) -> Result<Backend> {
        if let Some(name) = sandbox {
            return Ok(Backend::Sandbox(Arc::new(Sandbox::load(name, SandboxOptions::instant())?)));
        }
        let options = AwsOptions {
            profile: aws.profile.clone(),
            region: aws.region.clone(),
            endpoint_url: aws.endpoint_url.clone(),
            ..AwsOptions::default()
        };
        Ok(Backend::Aws(Arc::new(connect(&options).await?)))
    }

    pub fn read(&self) -> Arc<dyn ReadCloud> {
        match self {
            Backend::Sandbox(sandbox) => sandbox.clone(),
            Backend::Aws(aws) => aws.clone(),
        }
    }

    /// The instance to work on: given, or the sandbox scenario's application.
    pub fn instance(&self, given: Option<String>) -> Result<String> {
        match (given, self) {
            (Some(id), _) => Ok(id),
            (None, Backend::Sandbox(sandbox)) => Ok(sandbox.app_instance().to_string()),
            (None, Backend::Aws(_)) => Err(eyre!("--instance ID is required on a live account")),
        }
    }

    /// The header's label before the account answers: scenario name or profile.
    pub async fn label(&self) -> String {
        self.read().account().await.map(|a| a.label).unwrap_or_default()
    }
}
