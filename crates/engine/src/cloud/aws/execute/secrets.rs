//! Secrets Manager secrets the service reads at start. The value is read from its source at
//! apply time and sent only in the CreateSecret request: outputs, progress and errors name
//! the source, never the value.

use aws_sdk_ec2::types::InstanceAttributeName;
use aws_sdk_secretsmanager::types::Tag;
use base64::Engine as _;

use super::{nonempty, pairs, run_of};
use crate::cloud::aws::AwsCloud;
use crate::cloud::aws::errors::{about, from_sdk};
use crate::cloud::{CloudError, CloudResult, Found};
use crate::plan::{ActionOutput, SecretSource};

pub async fn create(
    cloud: &AwsCloud,
    name: &str,
    source: &SecretSource,
    tags: &[crate::model::Tag],
) -> CloudResult<ActionOutput> {
    let value = read_value(cloud, source).await?;
    let created = cloud
        .secrets
        .create_secret()
        .name(name)
        .secret_string(value)
        .set_tags(nonempty(pairs(tags).map(|(k, v)| Tag::builder().key(k).value(v).build()).collect()))
        .send()
        .await
        .map_err(about("secretsmanager:CreateSecret", "secret", name))?;
    let arn = created.arn().unwrap_or_default();
    Ok(output(name, arn))
}

/// Deletes at once, without the recovery window, so the name can be used again by the next
/// run; a secret already gone is done.
pub async fn delete(cloud: &AwsCloud, name: &str) -> CloudResult<ActionOutput> {
    let deleted = cloud.secrets.delete_secret().secret_id(name).force_delete_without_recovery(true).send().await;
    match deleted.map_err(from_sdk("secretsmanager:DeleteSecret")) {
        Ok(_) => Ok(ActionOutput::new(format!("secret {name} deleted"))),
        Err(error) if error.is_not_found() => Ok(ActionOutput::new(format!("secret {name} already gone"))),
        Err(error) => Err(error),
    }
}

/// The secret by name. One scheduled for deletion counts as absent: it can no longer be
/// read, and it is not what a run created and still owns.
pub async fn find(cloud: &AwsCloud, name: &str) -> CloudResult<Option<Found>> {
    let described = cloud.secrets.describe_secret().secret_id(name).send().await;
    let described = match described.map_err(from_sdk("secretsmanager:DescribeSecret")) {
        Ok(described) => described,
        Err(error) if error.is_not_found() => return Ok(None),
        Err(error) => return Err(error),
    };
    // A secret id also matches by ARN or partial ARN: only the exact name is this secret.
    if described.deleted_date().is_some() || described.name() != Some(name) {
        return Ok(None);
    }
    let run_id = run_of(described.tags().iter().filter_map(|t| Some((t.key()?, t.value()?))));
    Ok(Some(Found { output: output(name, described.arn().unwrap_or_default()), run_id }))
}

fn output(name: &str, arn: &str) -> ActionOutput {
    ActionOutput::new(format!("secret {name} stored")).with("arn", arn)
}

/// The secret's value from where the plan says it is.
async fn read_value(cloud: &AwsCloud, source: &SecretSource) -> CloudResult<String> {
    if let Some(local) = source.read_local_bounded().await {
        return local.map_err(CloudError::Invalid);
    }
    let SecretSource::UserDataVariable { instance_id, variable } = source else {
        return Err(CloudError::Invalid(format!("cannot read the secret from {}", source.describe())));
    };
    let user_data = raw_user_data(cloud, instance_id).await?;
    last_assignment(&user_data, variable)
        .ok_or_else(|| CloudError::Invalid(format!("user data of {instance_id} no longer sets {variable}")))
}

/// The value of the last `NAME=value` for `variable`: a script that assigns twice runs with
/// the last value.
fn last_assignment(user_data: &str, variable: &str) -> Option<String> {
    crate::userdata::assignments(user_data).into_iter().rev().find(|a| a.name == variable).map(|a| a.value)
}

/// The instance's user data as it is, unmasked: only for reading a secret's value, which
/// leaves this module solely inside the CreateSecret request.
async fn raw_user_data(cloud: &AwsCloud, instance_id: &str) -> CloudResult<String> {
    let attribute = cloud
        .ec2
        .describe_instance_attribute()
        .instance_id(instance_id)
        .attribute(InstanceAttributeName::UserData)
        .send()
        .await
        .map_err(about("ec2:DescribeInstanceAttribute", "instance", instance_id))?;
    let encoded = attribute.user_data().and_then(|v| v.value()).unwrap_or_default();
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(encoded.trim())
        .map_err(|_| CloudError::Invalid(format!("user data of {instance_id} is not valid base64")))?;
    String::from_utf8(bytes).map_err(|_| CloudError::Invalid(format!("user data of {instance_id} is not UTF-8 text")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_last_assignment_wins() {
        let script = "#!/bin/sh\nDB_PASSWORD=first\nexport DB_PASSWORD=second\necho done\n";
        assert_eq!(last_assignment(script, "DB_PASSWORD").as_deref(), Some("second"));
        assert_eq!(last_assignment(script, "API_KEY"), None);
    }
}
