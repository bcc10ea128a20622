//! Finding what a create action made (`ReadCloud::lookup`): by the name or rule the action
//! gives, with read calls only. The outputs are the ones `execute` returns for the action,
//! so a plan or a crashed run can go on as if the create call had answered.

use super::AwsCloud;
use super::execute::{ecr, express, iam, secrets, security_groups};
use crate::cloud::{CloudResult, Found};
use crate::plan::Action;

pub async fn lookup(cloud: &AwsCloud, action: &Action) -> CloudResult<Option<Found>> {
    let found = match action {
        Action::CreateEcrRepository { name, .. } => ecr::find(cloud, name).await,
        Action::CreateRole { name, .. } => iam::find(cloud, name).await,
        Action::CreateSecret { name, .. } => secrets::find(cloud, name).await,
        Action::CreateSecurityGroup { name, vpc_id, .. } => security_groups::find_group(cloud, name, vpc_id).await,
        Action::AuthorizeIngress { group_id, port, source_group_id, .. } => {
            security_groups::find_rule(cloud, group_id, *port, source_group_id).await
        }
        Action::CreateExpressService { config } => express::find(cloud, config).await,
        _ => Ok(None),
    };
    // Each finder answers `None` for what is absent; a "not found" from a call it did not
    // expect (a VPC or cluster gone) means the same.
    match found {
        Err(error) if error.is_not_found() => Ok(None),
        other => other,
    }
}
