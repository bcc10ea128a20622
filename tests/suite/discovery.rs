//! Discovery on the node-shop sandbox: every edge, with its evidence.

use ferry::cloud::sandbox::{Sandbox, SandboxOptions};
use ferry::discover::discover;
use ferry::model::{DataStoreKind, EvidenceKind, MigrationGraph, PolicyKind, Scheme};

async fn node_shop() -> MigrationGraph {
    let sandbox = Sandbox::load("node-shop", SandboxOptions::instant()).unwrap();
    discover(&sandbox, sandbox.app_instance()).await.unwrap()
}

fn has(evidence: &[ferry::model::Evidence], kind: EvidenceKind, text: &str) -> bool {
    evidence.iter().any(|e| e.kind == kind && e.text.contains(text))
}

#[tokio::test]
async fn finds_the_load_balancer_listener_and_target_group() {
    let graph = node_shop().await;
    assert_eq!(graph.routes.len(), 1);
    let route = &graph.routes[0];
    assert_eq!(route.load_balancer.name, "shop-alb");
    assert_eq!(route.load_balancer.scheme, Scheme::InternetFacing);
    assert_eq!(route.target_group.name, "shop-tg");
    assert_eq!(route.target_group.port, 3000);
    assert_eq!(route.target_group.health_check.path.as_deref(), Some("/healthz"));
    assert_eq!((route.listeners[0].protocol.as_str(), route.listeners[0].port), ("HTTPS", 443));
    assert!(has(&route.evidence, EvidenceKind::TargetRegistration, "registered in shop-tg on port 3000"));
    assert!(has(&route.evidence, EvidenceKind::ListenerForward, "HTTPS:443 on shop-alb forwards to shop-tg"));
}

#[tokio::test]
async fn finds_the_role_and_its_policies() {
    let graph = node_shop().await;
    let edge = graph.role.expect("role");
    assert_eq!(edge.role.name, "shop-ec2-role");
    assert_eq!(edge.instance_profile.name, "shop-ec2-profile");
    let kinds: Vec<_> = edge.role.policies.iter().map(|p| (p.name.as_str(), p.kind)).collect();
    assert!(kinds.contains(&("shop-s3-access", PolicyKind::Inline)));
    assert!(kinds.contains(&("AmazonSSMManagedInstanceCore", PolicyKind::AwsManaged)));
    assert!(edge.role.policies.iter().all(|p| p.document.is_some()), "documents are decoded");
    assert!(has(&edge.evidence, EvidenceKind::InstanceProfile, "shop-ec2-profile carries role shop-ec2-role"));
}

#[tokio::test]
async fn finds_rds_redis_and_the_bucket_with_evidence() {
    let graph = node_shop().await;
    let store = |kind| graph.data_stores.iter().find(|d| d.kind == kind).expect("store");

    let rds = store(DataStoreKind::Rds);
    assert_eq!((rds.name.as_str(), rds.port), ("shop-db", Some(5432)));
    assert!(rds.engine.starts_with("postgres"));
    assert!(has(
        &rds.evidence,
        EvidenceKind::SecurityGroupRule,
        "shop-db (sg-0c3d4e5f6a7b8c9d0) admits shop-app (sg-0b2c3d4e5f6a7b8c9) on 5432"
    ));
    assert!(has(&rds.evidence, EvidenceKind::EnvironmentHost, "DATABASE_URL host matches the RDS endpoint"));

    let redis = store(DataStoreKind::ElastiCache);
    assert_eq!((redis.name.as_str(), redis.port), ("shop-cache", Some(6379)));
    assert!(has(&redis.evidence, EvidenceKind::SecurityGroupRule, "on 6379"));
    assert!(has(&redis.evidence, EvidenceKind::EnvironmentHost, "REDIS_URL host"));

    let bucket = store(DataStoreKind::S3);
    assert_eq!(bucket.name, "shop-uploads-111122223333");
    assert!(has(&bucket.evidence, EvidenceKind::PolicyResource, "names arn:aws:s3:::shop-uploads-111122223333/*"));

    assert_eq!(graph.data_stores.len(), 3, "unrelated buckets are not dependencies");
    assert!(graph.unseen.is_empty());
}

#[tokio::test]
async fn user_data_secrets_are_masked_in_the_graph() {
    let graph = node_shop().await;
    let json = serde_json::to_string(&graph).unwrap();
    assert!(!json.contains("Tr0ub4dor-prod-2024"), "the database password never leaves discovery");
    assert!(!json.contains("8f1c2e0b6a9d4c7e93b15a2f6d0e4c81"), "the session secret never leaves discovery");
    assert!(json.contains("postgres://shop:••••@shop-db"), "the host stays readable");
}

#[tokio::test]
async fn an_instance_without_dependencies_has_an_empty_graph() {
    let sandbox = Sandbox::load("node-shop", SandboxOptions::instant()).unwrap();
    let graph = discover(&sandbox, "i-0123456789abcdef0").await.unwrap();
    assert!(graph.routes.is_empty() && graph.role.is_none() && graph.data_stores.is_empty());
}

#[tokio::test]
async fn an_unknown_instance_is_a_clear_error() {
    let sandbox = Sandbox::load("node-shop", SandboxOptions::instant()).unwrap();
    let error = discover(&sandbox, "i-nope").await.unwrap_err().to_string();
    assert_eq!(error, "cannot read instance i-nope: instance i-nope not found");
}
