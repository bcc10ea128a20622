//! How an action reads to a person: what it does, what it acts on, and how it is undone, in
//! the few words the plan's step list, `ferry show` and the run views print.

use super::Action;

impl Action {
    /// What the action does, in a few words (`create role`).
    pub fn verb(&self) -> &'static str {
        match self {
            Action::CreateEcrRepository { .. } => "create ECR repository",
            Action::DeleteEcrRepository { .. } => "delete ECR repository",
            Action::CreateRole { .. } => "create role",
            Action::DeleteRole { .. } => "delete role",
            Action::CreateSecret { .. } => "create secret",
            Action::DeleteSecret { .. } => "delete secret",
            Action::CreateSecurityGroup { .. } => "create security group",
            Action::DeleteSecurityGroup { .. } => "delete security group",
            Action::AuthorizeIngress { .. } => "authorize ingress",
            Action::RevokeIngress { .. } => "revoke ingress",
            Action::CreateExpressService { .. } => "create Express service",
            Action::DeleteExpressService { .. } => "delete Express service",
            Action::WaitServiceActive { .. } => "wait until ACTIVE",
            Action::BuildAndPushImage { .. } => "build and push image",
            Action::AddRuleHost { .. } => "add host to listener rule",
            Action::RemoveRuleHost { .. } => "remove host from listener rule",
            Action::AddListenerCertificate { .. } => "add listener certificate",
            Action::RemoveListenerCertificate { .. } => "remove listener certificate",
            Action::SplitRecords { .. } => "split records into weighted pairs",
            Action::JoinRecords { .. } => "restore the original records",
            Action::SetWeights { .. } => "set weights",
            Action::ReturnWeights { .. } => "return all traffic to the old stack",
            Action::Bake { .. } => "wait",
            Action::HealthGate { .. } => "health gate",
            Action::FinalizeRecords { .. } => "make the new records plain",
            Action::UnfinalizeRecords { .. } => "put the weighted pairs back",
        }
    }

    /// What the action acts on (`ferry-shop-api-task`, `5432 on sg-db`).
    pub fn target(&self) -> String {
        match self {
            Action::CreateEcrRepository { name, .. }
            | Action::DeleteEcrRepository { name }
            | Action::CreateRole { name, .. }
            | Action::DeleteRole { name }
            | Action::CreateSecret { name, .. }
            | Action::DeleteSecret { name }
            | Action::CreateSecurityGroup { name, .. } => name.clone(),
            Action::DeleteSecurityGroup { group_id } => group_id.clone(),
            Action::AuthorizeIngress { group_id, port, .. } | Action::RevokeIngress { group_id, port, .. } => {
                format!("{port} on {group_id}")
            }
            Action::CreateExpressService { config } => config.service_name.clone(),
            Action::WaitServiceActive { service_name, .. } => service_name.clone(),
            Action::DeleteExpressService { service_arn } => {
                service_arn.rsplit('/').next().unwrap_or(service_arn).to_string()
            }
            Action::BuildAndPushImage { image, .. } => image.rsplit('/').next().unwrap_or(image).to_string(),
            Action::AddRuleHost { host, .. } | Action::RemoveRuleHost { host, .. } => host.clone(),
            Action::AddListenerCertificate { certificate_arn, .. }
            | Action::RemoveListenerCertificate { certificate_arn, .. } => {
                certificate_arn.rsplit('/').next().unwrap_or(certificate_arn).to_string()
            }
            Action::SplitRecords { pair }
            | Action::JoinRecords { pair }
            | Action::ReturnWeights { pair }
            | Action::FinalizeRecords { pair }
            | Action::UnfinalizeRecords { pair } => pair.host().to_string(),
            Action::SetWeights { pair, old_weight, new_weight } => {
                format!("{} old {old_weight} / new {new_weight}", pair.host())
            }
            Action::Bake { seconds, why } => format!("{why} ({seconds} s)"),
            Action::HealthGate { share, window, .. } => format!("at {share} %, last {} min", window.minutes),
        }
    }

    /// How the step will be undone, before it has run.
    pub fn undo_text(&self) -> &'static str {
        match self {
            Action::CreateEcrRepository { .. } => "delete repository (+images)",
            Action::CreateRole { .. } => "detach policies, delete role",
            Action::CreateSecret { .. } => "delete secret (no recovery window)",
            Action::CreateSecurityGroup { .. } => "delete security group",
            Action::AuthorizeIngress { .. } => "revoke the rule",
            Action::CreateExpressService { .. } => "delete service, wait INACTIVE",
            Action::WaitServiceActive { .. } => "nothing to undo",
            Action::BuildAndPushImage { .. } => "removed with the repository",
            Action::AddRuleHost { .. } => "remove the host from the rule",
            Action::AddListenerCertificate { .. } => "remove the certificate",
            Action::SplitRecords { .. } => "restore the original records",
            Action::SetWeights { .. } => "old 100 / new 0",
            Action::Bake { .. } => "nothing to undo",
            Action::HealthGate { .. } => "nothing to undo (a failed gate returns the traffic)",
            Action::FinalizeRecords { .. } => "weighted pairs back, old 0 / new 100",
            _ => "cannot be undone",
        }
    }
}
