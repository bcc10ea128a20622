//! Instance › databases, caches and buckets, by network rules, environment and IAM policy.

use super::{group_label, seen};
use crate::cloud::{CloudResult, ReadCloud};
use crate::model::{
    Bucket, CacheCluster, DataStoreEdge, DbInstance, Evidence, EvidenceKind, Instance, RoleEdge, SecurityGroup, Unseen,
};
use crate::userdata::{assignments, url_host};

/// The account's databases, caches and buckets, read concurrently.
pub(super) struct Stores {
    dbs: CloudResult<Vec<DbInstance>>,
    caches: CloudResult<Vec<CacheCluster>>,
    buckets: CloudResult<Vec<Bucket>>,
}

pub(super) async fn fetch(cloud: &dyn ReadCloud) -> Stores {
    let (dbs, caches, buckets) = tokio::join!(cloud.db_instances(), cloud.cache_clusters(), cloud.buckets());
    Stores { dbs, caches, buckets }
}

/// The stores the instance talks to, each with its evidence.
pub(super) fn connect(
    stores: Stores,
    instance: &Instance,
    groups: &[SecurityGroup],
    role: Option<&RoleEdge>,
) -> (Vec<DataStoreEdge>, Vec<Unseen>) {
    let Stores { dbs, caches, buckets } = stores;
    let mut unseen = Vec::new();
    let mut edges = Vec::new();

    let dbs = seen(dbs, "RDS instances", &mut unseen).unwrap_or_default();
    for db in dbs {
        let found = NetworkEvidence::find(instance, groups, &db.security_group_ids, db.port, &db.endpoint, "RDS");
        if !found.evidence.is_empty() {
            edges.push(DataStoreEdge {
                ingress_group_id: found.admitting_group,
                ..DataStoreEdge::from_db(&db, found.evidence)
            });
        }
    }
    let caches = seen(caches, "ElastiCache clusters", &mut unseen).unwrap_or_default();
    for cache in caches {
        let found =
            NetworkEvidence::find(instance, groups, &cache.security_group_ids, cache.port, &cache.endpoint, "cache");
        if !found.evidence.is_empty() {
            edges.push(DataStoreEdge {
                ingress_group_id: found.admitting_group,
                ..DataStoreEdge::from_cache(&cache, found.evidence)
            });
        }
    }
    let buckets = seen(buckets, "S3 buckets", &mut unseen).unwrap_or_default();
    for bucket in buckets {
        let evidence = bucket_evidence(instance, role, &bucket.name, &bucket.arn());
        if !evidence.is_empty() {
            edges.push(DataStoreEdge::from_bucket(&bucket, evidence));
        }
    }
    (edges, unseen)
}

/// Security group rules admitting the instance, and environment variables naming the host.
struct NetworkEvidence {
    evidence: Vec<Evidence>,
    /// The store's group whose rule admits the instance's group.
    admitting_group: Option<String>,
}

impl NetworkEvidence {
    fn find(
        instance: &Instance,
        groups: &[SecurityGroup],
        store_groups: &[String],
        port: u16,
        endpoint: &str,
        label: &str,
    ) -> NetworkEvidence {
        let mut evidence = Vec::new();
        let mut admitting_group = None;
        for store_group in groups.iter().filter(|g| store_groups.contains(&g.id)) {
            for app_group in &instance.security_group_ids {
                if store_group.admits_group_on(app_group, port) {
                    admitting_group.get_or_insert_with(|| store_group.id.clone());
                    evidence.push(Evidence::new(
                        EvidenceKind::SecurityGroupRule,
                        format!(
                            "{} admits {} on {port}",
                            group_label(groups, &store_group.id),
                            group_label(groups, app_group)
                        ),
                    ));
                }
            }
        }
        let user_data = instance.user_data.as_deref().unwrap_or("");
        for var in assignments(user_data) {
            if url_host(&var.value).is_some_and(|host| host.eq_ignore_ascii_case(endpoint)) || var.value == endpoint {
                evidence.push(Evidence::new(
                    EvidenceKind::EnvironmentHost,
                    format!("{} host matches the {label} endpoint (user data line {})", var.name, var.line),
                ));
            }
        }
        NetworkEvidence { evidence, admitting_group }
    }
}

/// Role policies naming the bucket, and environment variables holding its name.
fn bucket_evidence(instance: &Instance, role: Option<&RoleEdge>, name: &str, arn: &str) -> Vec<Evidence> {
    let mut evidence = Vec::new();
    for policy in role.map(|r| r.role.policies.as_slice()).unwrap_or_default() {
        for resource in policy.resources() {
            if resource == arn || resource.starts_with(&format!("{arn}/")) {
                evidence.push(Evidence::new(
                    EvidenceKind::PolicyResource,
                    format!("policy {} names {resource}", policy.name),
                ));
            }
        }
    }
    for var in assignments(instance.user_data.as_deref().unwrap_or("")) {
        let value = var.value.strip_prefix("s3://").unwrap_or(&var.value);
        if value.trim_end_matches('/') == name || value.starts_with(&format!("{name}/")) {
            evidence.push(Evidence::new(
                EvidenceKind::EnvironmentHost,
                format!("{} names the bucket (user data line {})", var.name, var.line),
            ));
        }
    }
    evidence
}
