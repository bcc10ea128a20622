//! Building the image with the container CLI on this machine and pushing it to ECR: an ECR
//! login from GetAuthorizationToken (the password goes to the CLI on stdin), then build and
//! push, every line of their output streamed to the progress view.

use crate::cloud::aws::AwsCloud;
use crate::cloud::aws::errors::from_sdk;
use crate::cloud::{CloudError, CloudResult, ProgressSink};
use crate::image::{BuildRequest, ContainerCli, ecr_login_from_token};
use crate::plan::{Action, ActionOutput};

pub async fn build_and_push(
    cloud: &AwsCloud,
    action: &Action,
    progress: ProgressSink<'_>,
) -> CloudResult<ActionOutput> {
    let request =
        BuildRequest::from_action(action).ok_or_else(|| CloudError::Invalid("not an image build step".into()))?;
    if request.context_dir.as_os_str().is_empty() {
        return Err(CloudError::Invalid(no_context().into()));
    }
    let cli = ContainerCli::detect().map_err(|e| CloudError::Other(e.to_string()))?;
    let token = cloud.ecr.get_authorization_token().send().await.map_err(from_sdk("ecr:GetAuthorizationToken"))?;
    let data = token
        .authorization_data()
        .first()
        .ok_or_else(|| CloudError::Other("ECR returned no authorization data".into()))?;
    let login =
        ecr_login_from_token(data.authorization_token().unwrap_or_default(), data.proxy_endpoint().unwrap_or_default())
            .map_err(|e| CloudError::Other(e.to_string()))?;
    let failed = |e: crate::image::ImageError| CloudError::Other(e.to_string());
    progress(format!("{}: logging in to {}", cli.name(), login.registry));
    cli.login_ecr(&login).await.map_err(failed)?;
    cli.build(&request, progress).await.map_err(failed)?;
    cli.push(&request.image, progress).await.map_err(failed)?;
    Ok(ActionOutput::new(format!("{} built and pushed with {}", request.image, cli.name()))
        .with("image", &request.image))
}

/// What stops the image step on this machine, said before apply starts.
pub fn preflight(action: &Action) -> Option<String> {
    let Action::BuildAndPushImage { context_dir, .. } = action else { return None };
    if context_dir.is_empty() {
        return Some(no_context().into());
    }
    if !std::path::Path::new(context_dir).is_dir() {
        return Some(format!("the image's build context {context_dir} is not a folder on this machine"));
    }
    ContainerCli::detect().err().map(|e| e.to_string())
}

fn no_context() -> &'static str {
    "the plan has no source folder to build the image from: make it with --app DIR, or with --image URI to run an image you already have"
}
