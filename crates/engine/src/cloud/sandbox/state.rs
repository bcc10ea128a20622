//! The sandbox account's contents, built from a scenario and changed by actions.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::model::{
    AutoScalingGroup, Bucket, CacheCluster, DbInstance, ExpressServiceConfig, Instance, InstanceProfile, Listener,
    LoadBalancer, ManagedPolicy, SecurityGroup, Subnet, Tag, TargetGroup, TargetHealth, Vpc,
};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SandboxRole {
    pub arn: String,
    pub name: String,
    pub trust_policy: Value,
    pub managed_policy_arns: Vec<String>,
    pub inline_policies: BTreeMap<String, Value>,
    pub tags: Vec<Tag>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Repository {
    pub arn: String,
    pub uri: String,
    pub tags: Vec<Tag>,
    /// Image tags pushed to it.
    #[serde(default)]
    pub images: Vec<String>,
}

/// A stored secret. The sandbox keeps no value, only a keyed fingerprint of it, so neither its
/// saved account file nor a snapshot holds a secret or anything a guess can be checked
/// against; tests compare fingerprints with [`super::Sandbox::secret_digest`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StoredSecret {
    pub arn: String,
    /// HMAC-SHA256 of the value under the sandbox's digest key (see `digest_key`).
    pub value_hmac: String,
    pub tags: Vec<Tag>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ExpressService {
    pub arn: String,
    pub config: ExpressServiceConfig,
    pub status: String,
    pub endpoint: String,
    /// Polls left before the first deployment completes.
    pub polls_left: u32,
}

/// Everything in the account. Two states compare equal exactly when the accounts hold the
/// same resources, which is how tests prove a rollback left nothing behind.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AccountState {
    pub vpcs: Vec<Vpc>,
    pub subnets: Vec<Subnet>,
    pub security_groups: Vec<SecurityGroup>,
    pub instances: Vec<Instance>,
    pub load_balancers: Vec<LoadBalancer>,
    pub listeners: Vec<Listener>,
    pub target_groups: Vec<TargetGroup>,
    pub target_health: BTreeMap<String, Vec<TargetHealth>>,
    pub instance_profiles: Vec<InstanceProfile>,
    pub roles: BTreeMap<String, SandboxRole>,
    pub managed_policies: BTreeMap<String, ManagedPolicy>,
    pub db_instances: Vec<DbInstance>,
    pub cache_clusters: Vec<CacheCluster>,
    pub buckets: Vec<Bucket>,
    pub auto_scaling_groups: Vec<AutoScalingGroup>,
    pub repositories: BTreeMap<String, Repository>,
    pub secrets: BTreeMap<String, StoredSecret>,
    pub express_services: BTreeMap<String, ExpressService>,
}

impl AccountState {
    /// The account as it is written to disk: every instance's user data masked as every
    /// reader sees it, so the saved file holds no secret. The sandbox puts the scenario's
    /// own user data back when it loads the file.
    pub fn without_secrets(&self) -> AccountState {
        let mut account = self.clone();
        for instance in &mut account.instances {
            instance.user_data = instance.user_data.as_deref().map(|u| crate::userdata::redact(u).text);
        }
        account
    }
}

/// 16 hex digits derived from a name, for ARNs and DNS names that look real and stay stable.
pub fn stable_suffix(seed: &str) -> String {
    crate::digest::sha256_hex(seed.as_bytes())[..16].to_string()
}
