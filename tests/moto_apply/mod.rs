//! What the tests that apply on moto share: ferry's connection to it, a VPC with an app
//! and a database group to change, and the secret the plans read from the environment.

#![allow(dead_code)]

use std::collections::BTreeSet;
use std::sync::Once;

use aws_config::SdkConfig;
use aws_sdk_ec2::types::{IpPermission, IpRange, UserIdGroupPair};

use ferry::cloud::aws::{AwsCloud, AwsOptions, connect};
use ferry::model::Tag;
use ferry::model::placeholders::RUN_ID;

pub const TASK_EXECUTION_POLICY: &str = "arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy";
pub const SECRET_VARIABLE: &str = "FERRY_AWS_APPLY_TEST_DATABASE_URL";
pub const SECRET_VALUE: &str = "postgres://shop:Xy7-only-in-the-secret-Q2@db.internal:5432/shop";

/// Puts the secret the plan reads into this process's environment. Every test here calls it
/// before anything else, so it runs before any thread of this binary reads the environment
/// (aws-config does), which is what makes `set_var` sound.
pub fn secret_in_environment() {
    static SET: Once = Once::new();
    // SAFETY: see above: no other thread of this test binary is reading the environment yet.
    SET.call_once(|| unsafe { std::env::set_var(SECRET_VARIABLE, SECRET_VALUE) });
}

/// ferry's own connection to moto (or a proxy in front of it): one attempt per call (moto's
/// HTTP 500s are retryable).
pub async fn ferry_cloud(endpoint: String, config: &SdkConfig) -> AwsCloud {
    let options = AwsOptions {
        region: Some("us-east-1".into()),
        endpoint_url: Some(endpoint),
        max_attempts: Some(1),
        credentials: config.credentials_provider(),
        ..AwsOptions::default()
    };
    connect(&options).await.expect("connects")
}

/// A VPC with two subnets, the app's group, and the database's group admitting the app and
/// the VPC's range on 5432: the rules a rollback must leave exactly as they were.
pub struct Estate {
    pub vpc: String,
    pub subnets: Vec<String>,
    pub app_group: String,
    pub database_group: String,
}

pub async fn seed(config: &SdkConfig) -> Estate {
    let ec2 = aws_sdk_ec2::Client::new(config);
    let vpc = ec2.create_vpc().cidr_block("10.30.0.0/16").send().await.unwrap();
    let vpc = vpc.vpc().and_then(|v| v.vpc_id()).unwrap().to_string();
    let mut subnets = Vec::new();
    for (cidr, az) in [("10.30.0.0/24", "us-east-1a"), ("10.30.1.0/24", "us-east-1b")] {
        let subnet = ec2.create_subnet().vpc_id(&vpc).cidr_block(cidr).availability_zone(az).send().await.unwrap();
        subnets.push(subnet.subnet().and_then(|s| s.subnet_id()).unwrap().to_string());
    }
    let group = |name: &'static str| {
        let (ec2, vpc) = (ec2.clone(), vpc.clone());
        async move {
            let out = ec2.create_security_group().group_name(name).description(name).vpc_id(vpc).send().await.unwrap();
            out.group_id().unwrap().to_string()
        }
    };
    let app = group("shop-app").await;
    let database = group("shop-db").await;
    let from_app = IpPermission::builder()
        .ip_protocol("tcp")
        .from_port(5432)
        .to_port(5432)
        .user_id_group_pairs(UserIdGroupPair::builder().group_id(&app).build())
        .ip_ranges(IpRange::builder().cidr_ip("10.30.0.0/16").build())
        .build();
    ec2.authorize_security_group_ingress().group_id(&database).ip_permissions(from_app).send().await.unwrap();
    Estate { vpc, subnets, app_group: app, database_group: database }
}

/// The group's ingress rules, one string per source, sorted.
pub async fn rules(config: &SdkConfig, group_id: &str) -> BTreeSet<String> {
    let ec2 = aws_sdk_ec2::Client::new(config);
    let described = ec2.describe_security_groups().group_ids(group_id).send().await.unwrap();
    let mut rules = BTreeSet::new();
    for permission in described.security_groups().iter().flat_map(|g| g.ip_permissions()) {
        let ports = format!(
            "{} {}-{}",
            permission.ip_protocol().unwrap_or_default(),
            permission.from_port().unwrap_or_default(),
            permission.to_port().unwrap_or_default()
        );
        for pair in permission.user_id_group_pairs() {
            rules.insert(format!("{ports} from {}", pair.group_id().unwrap_or_default()));
        }
        for range in permission.ip_ranges() {
            rules.insert(format!("{ports} from {}", range.cidr_ip().unwrap_or_default()));
        }
    }
    rules
}

pub fn tags() -> Vec<Tag> {
    vec![Tag::new("ferry:run-id", RUN_ID), Tag::new("ferry:service", "shop-api")]
}
