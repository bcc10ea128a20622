//! The parts of the seeded estate a cutover and a decommission look at: `shop.example.com`
//! as an alias to the old ALB, the listener's certificate, the instance's volume snapshot and
//! its Elastic IP.

use aws_config::SdkConfig;
use aws_sdk_route53::types as r53;

/// The old listener's certificate: an IAM server certificate, which moto takes without an ACM
/// certificate behind it.
pub const CERTIFICATE: &str = "arn:aws:iam::123456789012:server-certificate/shop-example-com";

/// What an alias to the seeded ALB names.
pub struct Balancer {
    pub dns_name: String,
    pub zone_id: String,
}

pub async fn seed(config: &SdkConfig, app_instance: &str, balancer: &Balancer) {
    let route53 = aws_sdk_route53::Client::new(config);
    let zone = route53.create_hosted_zone().name("example.com").caller_reference("ferry-estate").send().await.unwrap();
    let zone_id = zone.hosted_zone().unwrap().id().trim_start_matches("/hostedzone/").to_string();
    let alias = |kind: r53::RrType| {
        let target = r53::AliasTarget::builder()
            .dns_name(format!("dualstack.{}.", balancer.dns_name))
            .hosted_zone_id(&balancer.zone_id)
            .evaluate_target_health(true)
            .build()
            .unwrap();
        let set = r53::ResourceRecordSet::builder().name("shop.example.com.").r#type(kind).alias_target(target);
        r53::Change::builder()
            .action(r53::ChangeAction::Create)
            .resource_record_set(set.build().unwrap())
            .build()
            .unwrap()
    };
    let batch = r53::ChangeBatch::builder().changes(alias(r53::RrType::A)).changes(alias(r53::RrType::Aaaa));
    route53
        .change_resource_record_sets()
        .hosted_zone_id(&zone_id)
        .change_batch(batch.build().unwrap())
        .send()
        .await
        .unwrap();

    let ec2 = aws_sdk_ec2::Client::new(config);
    let address = ec2.allocate_address().send().await.unwrap();
    ec2.associate_address()
        .allocation_id(address.allocation_id().unwrap())
        .instance_id(app_instance)
        .send()
        .await
        .unwrap();
    let volumes = ec2
        .describe_volumes()
        .filters(aws_sdk_ec2::types::Filter::builder().name("attachment.instance-id").values(app_instance).build())
        .send()
        .await
        .unwrap();
    let root = volumes.volumes().first().and_then(|v| v.volume_id()).expect("moto gives the instance a root volume");
    ec2.create_snapshot().volume_id(root).description("nightly").send().await.unwrap();
}
