//! Seeding moto, through the Rust SDK, with an estate that mirrors the node-shop scenario:
//! the app instance behind an ALB, its role and policies, PostgreSQL, Redis and a bucket,
//! plus enough other instances and roles to need several pages.

use aws_config::{BehaviorVersion, Region, SdkConfig};
use aws_sdk_ec2::types as ec2;
use aws_sdk_elasticloadbalancingv2::types as elb;
use base64::Engine as _;

pub const ACCOUNT: &str = "123456789012";
pub const BUCKET: &str = "shop-uploads-111122223333";

pub async fn sdk_config(endpoint: &str) -> SdkConfig {
    aws_config::defaults(BehaviorVersion::latest())
        .region(Region::new("us-east-1"))
        .endpoint_url(endpoint)
        .credentials_provider(aws_sdk_ec2::config::Credentials::new("testing", "testing", None, None, "ferry-tests"))
        .load()
        .await
}

/// One instance with `user_data` on moto's default AMI; its id.
pub async fn instance_with_user_data(config: &SdkConfig, user_data: &str) -> String {
    let run = aws_sdk_ec2::Client::new(config)
        .run_instances()
        .image_id("ami-760aaa0f")
        .min_count(1)
        .max_count(1)
        .user_data(base64::engine::general_purpose::STANDARD.encode(user_data))
        .send()
        .await
        .expect("moto runs the instance");
    run.instances()[0].instance_id().expect("an instance id").to_string()
}

/// What the seeded estate is made of, for assertions.
pub struct Estate {
    pub app_instance: String,
    pub vpc: String,
    pub db_endpoint: String,
    pub cache_endpoint: String,
}

pub struct Size {
    pub extra_instances: i32,
    pub extra_roles: usize,
}

pub async fn seed(config: &SdkConfig, size: Size) -> Estate {
    let ec2c = aws_sdk_ec2::Client::new(config);
    let iam = aws_sdk_iam::Client::new(config);
    let elbc = aws_sdk_elasticloadbalancingv2::Client::new(config);
    let rds = aws_sdk_rds::Client::new(config);
    let cache = aws_sdk_elasticache::Client::new(config);
    let s3 = aws_sdk_s3::Client::from_conf(aws_sdk_s3::config::Builder::from(config).force_path_style(true).build());

    let network = seed_network(&ec2c).await;
    let groups = seed_security_groups(&ec2c, &network.vpc).await;
    seed_iam(&iam, size.extra_roles).await;
    s3.create_bucket().bucket(BUCKET).send().await.unwrap();
    s3.create_bucket().bucket("unrelated-logs-bucket").send().await.unwrap();
    let (db_endpoint, cache_endpoint) = seed_stores(&rds, &cache, &network, &groups).await;
    let app_instance = seed_app_instance(&ec2c, &network, &groups, &db_endpoint, &cache_endpoint).await;
    seed_other_instances(&ec2c, &network, size.extra_instances).await;
    let balancer = seed_load_balancer(&elbc, &network, &groups, &app_instance).await;
    super::old_stack::seed(config, &app_instance, &balancer).await;

    Estate { app_instance, vpc: network.vpc, db_endpoint, cache_endpoint }
}

/// The seeded VPC and its subnets.
struct Network {
    vpc: String,
    public_a: String,
    public_b: String,
    private_a: String,
    private_b: String,
}

/// Network: two public subnets behind an internet gateway, two private ones.
async fn seed_network(ec2c: &aws_sdk_ec2::Client) -> Network {
    let vpc = ec2c.create_vpc().cidr_block("10.20.0.0/16").send().await.unwrap();
    let vpc = vpc.vpc().and_then(|v| v.vpc_id()).unwrap().to_string();
    let subnet = |cidr: &'static str, az: &'static str| {
        let (ec2c, vpc) = (ec2c.clone(), vpc.clone());
        async move {
            let out = ec2c.create_subnet().vpc_id(vpc).cidr_block(cidr).availability_zone(az).send().await.unwrap();
            out.subnet().and_then(|s| s.subnet_id()).unwrap().to_string()
        }
    };
    let public_a = subnet("10.20.0.0/24", "us-east-1a").await;
    let public_b = subnet("10.20.1.0/24", "us-east-1b").await;
    let private_a = subnet("10.20.16.0/20", "us-east-1a").await;
    let private_b = subnet("10.20.32.0/20", "us-east-1b").await;
    let igw = ec2c.create_internet_gateway().send().await.unwrap();
    let igw = igw.internet_gateway().and_then(|g| g.internet_gateway_id()).unwrap().to_string();
    ec2c.attach_internet_gateway().internet_gateway_id(&igw).vpc_id(&vpc).send().await.unwrap();
    let table = ec2c.create_route_table().vpc_id(&vpc).send().await.unwrap();
    let table = table.route_table().and_then(|t| t.route_table_id()).unwrap().to_string();
    ec2c.create_route()
        .route_table_id(&table)
        .destination_cidr_block("0.0.0.0/0")
        .gateway_id(&igw)
        .send()
        .await
        .unwrap();
    for subnet in [&public_a, &public_b] {
        ec2c.associate_route_table().route_table_id(&table).subnet_id(subnet).send().await.unwrap();
    }
    Network { vpc, public_a, public_b, private_a, private_b }
}

/// The seeded security groups' ids.
struct Groups {
    alb: String,
    app: String,
    db: String,
    cache: String,
}

/// Security groups: ALB from anywhere, app from the ALB, stores from the app.
async fn seed_security_groups(ec2c: &aws_sdk_ec2::Client, vpc: &str) -> Groups {
    let group = |name: &'static str| {
        let (ec2c, vpc) = (ec2c.clone(), vpc.to_string());
        async move {
            let out = ec2c.create_security_group().group_name(name).description(name).vpc_id(vpc).send().await.unwrap();
            out.group_id().unwrap().to_string()
        }
    };
    let sg_alb = group("shop-alb").await;
    let sg_app = group("shop-app").await;
    let sg_db = group("shop-db").await;
    let sg_cache = group("shop-cache").await;
    let from_cidr = |port: i32| {
        ec2::IpPermission::builder()
            .ip_protocol("tcp")
            .from_port(port)
            .to_port(port)
            .ip_ranges(ec2::IpRange::builder().cidr_ip("0.0.0.0/0").build())
            .build()
    };
    let from_group = |port: i32, source: &str| {
        ec2::IpPermission::builder()
            .ip_protocol("tcp")
            .from_port(port)
            .to_port(port)
            .user_id_group_pairs(ec2::UserIdGroupPair::builder().group_id(source).build())
            .build()
    };
    for (group_id, permission) in [
        (&sg_alb, from_cidr(443)),
        (&sg_app, from_group(3000, &sg_alb)),
        (&sg_db, from_group(5432, &sg_app)),
        (&sg_cache, from_group(6379, &sg_app)),
    ] {
        ec2c.authorize_security_group_ingress().group_id(group_id).ip_permissions(permission).send().await.unwrap();
    }
    Groups { alb: sg_alb, app: sg_app, db: sg_db, cache: sg_cache }
}

/// IAM: the instance's role with an inline S3 policy and an AWS managed policy.
async fn seed_iam(iam: &aws_sdk_iam::Client, extra_roles: usize) {
    let trust = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}]}"#;
    iam.create_role().role_name("shop-ec2-role").assume_role_policy_document(trust).send().await.unwrap();
    let s3_policy = format!(
        r#"{{"Version":"2012-10-17","Statement":[{{"Effect":"Allow","Action":["s3:GetObject","s3:PutObject"],"Resource":"arn:aws:s3:::{BUCKET}/*"}}]}}"#
    );
    iam.put_role_policy()
        .role_name("shop-ec2-role")
        .policy_name("shop-s3-access")
        .policy_document(s3_policy)
        .send()
        .await
        .unwrap();
    iam.attach_role_policy()
        .role_name("shop-ec2-role")
        .policy_arn("arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore")
        .send()
        .await
        .unwrap();
    iam.create_instance_profile().instance_profile_name("shop-ec2-profile").send().await.unwrap();
    iam.add_role_to_instance_profile()
        .instance_profile_name("shop-ec2-profile")
        .role_name("shop-ec2-role")
        .send()
        .await
        .unwrap();
    for n in 0..extra_roles {
        iam.create_role()
            .role_name(format!("other-role-{n:03}"))
            .assume_role_policy_document(trust)
            .send()
            .await
            .unwrap();
    }
}

/// Data stores in the private subnets; the database's endpoint, then the cache's.
async fn seed_stores(
    rds: &aws_sdk_rds::Client,
    cache: &aws_sdk_elasticache::Client,
    network: &Network,
    groups: &Groups,
) -> (String, String) {
    rds.create_db_subnet_group()
        .db_subnet_group_name("shop-db-subnets")
        .db_subnet_group_description("shop")
        .subnet_ids(&network.private_a)
        .subnet_ids(&network.private_b)
        .send()
        .await
        .unwrap();
    let db = rds
        .create_db_instance()
        .db_instance_identifier("shop-db")
        .engine("postgres")
        .engine_version("15.4")
        .db_instance_class("db.t3.micro")
        .allocated_storage(20)
        .master_username("shop")
        .master_user_password("not-the-real-one")
        .db_subnet_group_name("shop-db-subnets")
        .vpc_security_group_ids(&groups.db)
        .send()
        .await
        .unwrap();
    let db_endpoint = db.db_instance().and_then(|d| d.endpoint()).and_then(|e| e.address()).unwrap().to_string();
    let group = cache
        .create_replication_group()
        .replication_group_id("shop-cache")
        .replication_group_description("shop")
        .engine("redis")
        .cache_node_type("cache.t3.micro")
        .security_group_ids(&groups.cache)
        .send()
        .await
        .unwrap();
    let cache_endpoint = group
        .replication_group()
        .and_then(|g| g.node_groups().first())
        .and_then(|n| n.primary_endpoint())
        .and_then(|e| e.address())
        .unwrap()
        .to_string();
    (db_endpoint, cache_endpoint)
}

/// The app instance, whose user data names the stores; its id.
async fn seed_app_instance(
    ec2c: &aws_sdk_ec2::Client,
    network: &Network,
    groups: &Groups,
    db_endpoint: &str,
    cache_endpoint: &str,
) -> String {
    let user_data = format!(
        "#!/bin/bash\ncurl -fsSL https://rpm.nodesource.com/setup_20.x | bash -\nyum install -y nodejs\nnpm install -g pm2\n\
         cat > /opt/shop-api/.env <<'ENV'\nPORT=3000\nNODE_ENV=production\n\
         DATABASE_URL=postgres://shop:Tr0ub4dor-prod-2024@{db_endpoint}:5432/shop\nREDIS_URL=redis://{cache_endpoint}:6379\n\
         SESSION_SECRET=8f1c2e0b6a9d4c7e93b15a2f6d0e4c81\nUPLOADS_BUCKET={BUCKET}\nENV\npm2 start server.js --name shop-api\n"
    );
    let run = ec2c
        .run_instances()
        .image_id("ami-760aaa0f")
        .instance_type(ec2::InstanceType::T3Small)
        .min_count(1)
        .max_count(1)
        .subnet_id(&network.public_a)
        .security_group_ids(&groups.app)
        .iam_instance_profile(ec2::IamInstanceProfileSpecification::builder().name("shop-ec2-profile").build())
        .user_data(base64::engine::general_purpose::STANDARD.encode(user_data))
        .tag_specifications(name_tag("shop-api-prod"))
        .send()
        .await
        .unwrap();
    run.instances().first().and_then(|i| i.instance_id()).unwrap().to_string()
}

/// The app instance's neighbours, alternating between the private subnets.
async fn seed_other_instances(ec2c: &aws_sdk_ec2::Client, network: &Network, count: i32) {
    // Separate launches make separate reservations, which is what DescribeInstances pages by.
    for n in 0..count {
        ec2c.run_instances()
            .image_id("ami-760aaa0f")
            .instance_type(ec2::InstanceType::T3Micro)
            .min_count(1)
            .max_count(1)
            .subnet_id(if n % 2 == 0 { &network.private_a } else { &network.private_b })
            .tag_specifications(name_tag(&format!("worker-{n:04}")))
            .send()
            .await
            .unwrap();
    }
}

/// The ALB, its target group on 3000 with /healthz, the instance registered, HTTPS:443.
async fn seed_load_balancer(
    elbc: &aws_sdk_elasticloadbalancingv2::Client,
    network: &Network,
    groups: &Groups,
    app_instance: &str,
) -> super::old_stack::Balancer {
    let lb = elbc
        .create_load_balancer()
        .name("shop-alb")
        .subnets(&network.public_a)
        .subnets(&network.public_b)
        .security_groups(&groups.alb)
        .scheme(elb::LoadBalancerSchemeEnum::InternetFacing)
        .r#type(elb::LoadBalancerTypeEnum::Application)
        .send()
        .await
        .unwrap();
    let created = lb.load_balancers().first().unwrap();
    let lb_arn = created.load_balancer_arn().unwrap().to_string();
    let balancer = super::old_stack::Balancer {
        dns_name: created.dns_name().unwrap().to_string(),
        zone_id: created.canonical_hosted_zone_id().unwrap().to_string(),
    };
    let tg = elbc
        .create_target_group()
        .name("shop-tg")
        .protocol(elb::ProtocolEnum::Http)
        .port(3000)
        .vpc_id(&network.vpc)
        .health_check_path("/healthz")
        .target_type(elb::TargetTypeEnum::Instance)
        .send()
        .await
        .unwrap();
    let tg_arn = tg.target_groups().first().and_then(|t| t.target_group_arn()).unwrap().to_string();
    // Sticky sessions, which ferry reports as a readiness finding.
    elbc.modify_target_group_attributes()
        .target_group_arn(&tg_arn)
        .attributes(elb::TargetGroupAttribute::builder().key("stickiness.enabled").value("true").build())
        .attributes(elb::TargetGroupAttribute::builder().key("stickiness.type").value("lb_cookie").build())
        .send()
        .await
        .unwrap();
    elbc.register_targets()
        .target_group_arn(&tg_arn)
        .targets(elb::TargetDescription::builder().id(app_instance).port(3000).build())
        .send()
        .await
        .unwrap();
    elbc.create_listener()
        .load_balancer_arn(&lb_arn)
        .protocol(elb::ProtocolEnum::Https)
        .port(443)
        .certificates(elb::Certificate::builder().certificate_arn(super::old_stack::CERTIFICATE).build())
        .default_actions(elb::Action::builder().r#type(elb::ActionTypeEnum::Forward).target_group_arn(&tg_arn).build())
        .send()
        .await
        .unwrap();
    balancer
}

fn name_tag(name: &str) -> ec2::TagSpecification {
    ec2::TagSpecification::builder()
        .resource_type(ec2::ResourceType::Instance)
        .tags(ec2::Tag::builder().key("Name").value(name).build())
        .build()
}
