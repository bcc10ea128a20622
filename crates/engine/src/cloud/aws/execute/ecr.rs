//! ECR repositories: where the image is pushed. Scanned on push; deleting one removes its
//! images (`force`), which is also how a pushed image is undone.

use aws_sdk_ecr::types::{ImageScanningConfiguration, Tag};

use super::{nonempty, pairs, run_of, unbuildable};
use crate::cloud::aws::AwsCloud;
use crate::cloud::aws::errors::{about, from_sdk};
use crate::cloud::{CloudResult, Found};
use crate::plan::ActionOutput;

pub async fn create(cloud: &AwsCloud, name: &str, tags: &[crate::model::Tag]) -> CloudResult<ActionOutput> {
    let tags = pairs(tags).map(|(k, v)| Tag::builder().key(k).value(v).build()).collect::<Result<Vec<_>, _>>();
    let created = cloud
        .ecr
        .create_repository()
        .repository_name(name)
        .set_tags(nonempty(tags.map_err(unbuildable)?))
        .image_scanning_configuration(ImageScanningConfiguration::builder().scan_on_push(true).build())
        .send()
        .await
        .map_err(about("ecr:CreateRepository", "repository", name))?;
    let repository = created.repository();
    let arn = repository.and_then(|r| r.repository_arn()).unwrap_or_default();
    let uri = repository.and_then(|r| r.repository_uri()).unwrap_or_default();
    Ok(output(arn, uri))
}

/// Deletes the repository with every image in it; a repository already gone is done.
pub async fn delete(cloud: &AwsCloud, name: &str) -> CloudResult<ActionOutput> {
    let deleted = cloud.ecr.delete_repository().repository_name(name).force(true).send().await;
    match deleted.map_err(from_sdk("ecr:DeleteRepository")) {
        Ok(_) => Ok(ActionOutput::new(format!("repository {name} deleted"))),
        Err(error) if error.is_not_found() => Ok(ActionOutput::new(format!("repository {name} already gone"))),
        Err(error) => Err(error),
    }
}

/// The repository by name, with its tags (a second call: DescribeRepositories has none).
pub async fn find(cloud: &AwsCloud, name: &str) -> CloudResult<Option<Found>> {
    let described = cloud.ecr.describe_repositories().repository_names(name).send().await;
    let described = match described.map_err(from_sdk("ecr:DescribeRepositories")) {
        Ok(described) => described,
        Err(error) if error.is_not_found() => return Ok(None),
        Err(error) => return Err(error),
    };
    let Some(repository) = described.repositories().iter().find(|r| r.repository_name() == Some(name)) else {
        return Ok(None);
    };
    let arn = repository.repository_arn().unwrap_or_default();
    let tags = cloud
        .ecr
        .list_tags_for_resource()
        .resource_arn(arn)
        .send()
        .await
        .map_err(from_sdk("ecr:ListTagsForResource"))?;
    let run_id = run_of(tags.tags().iter().map(|t| (t.key(), t.value())));
    Ok(Some(Found { output: output(arn, repository.repository_uri().unwrap_or_default()), run_id }))
}

/// What creating the repository returns: the keys later steps and the inverse read.
fn output(arn: &str, uri: &str) -> ActionOutput {
    ActionOutput::new(format!("repository {uri}")).with("arn", arn).with("repositoryUri", uri)
}
