//! RDS instances and clusters, ElastiCache clusters, S3 buckets.

use super::{AwsCloud, errors::from_sdk};
use crate::cloud::CloudResult;
use crate::model::{Bucket, CacheCluster, DbInstance};

/// RDS instances and Aurora clusters (a cluster's endpoint is what applications name).
pub async fn db_instances(cloud: &AwsCloud) -> CloudResult<Vec<DbInstance>> {
    let mut instances = cloud.rds.describe_db_instances().into_paginator();
    let mut clusters = cloud.rds.describe_db_clusters().into_paginator();
    if let Some(size) = cloud.page_size {
        // RDS takes pages of 20 to 100.
        instances = instances.page_size(size.clamp(20, 100));
        clusters = clusters.page_size(size.clamp(20, 100));
    }
    let (instances, clusters) = tokio::join!(instances.send().try_collect(), clusters.send().try_collect());
    let instances = instances.map_err(from_sdk("rds:DescribeDBInstances"))?;
    let clusters = clusters.map_err(from_sdk("rds:DescribeDBClusters"))?;
    let mut out: Vec<DbInstance> = instances
        .iter()
        .flat_map(|p| p.db_instances())
        // Aurora members are reached through their cluster, listed below.
        .filter(|db| db.db_cluster_identifier().is_none())
        .map(|db| DbInstance {
            identifier: db.db_instance_identifier().unwrap_or_default().to_string(),
            arn: db.db_instance_arn().unwrap_or_default().to_string(),
            engine: db.engine().unwrap_or_default().to_string(),
            engine_version: db.engine_version().unwrap_or_default().to_string(),
            endpoint: db.endpoint().and_then(|e| e.address()).unwrap_or_default().to_string(),
            port: db.endpoint().and_then(|e| e.port()).and_then(|p| u16::try_from(p).ok()).unwrap_or_default(),
            vpc_id: db.db_subnet_group().and_then(|g| g.vpc_id()).unwrap_or_default().to_string(),
            security_group_ids: db
                .vpc_security_groups()
                .iter()
                .filter_map(|g| g.vpc_security_group_id().map(str::to_string))
                .collect(),
        })
        .collect();
    out.extend(clusters.iter().flat_map(|p| p.db_clusters()).map(|c| DbInstance {
        identifier: c.db_cluster_identifier().unwrap_or_default().to_string(),
        arn: c.db_cluster_arn().unwrap_or_default().to_string(),
        engine: c.engine().unwrap_or_default().to_string(),
        engine_version: c.engine_version().unwrap_or_default().to_string(),
        endpoint: c.endpoint().unwrap_or_default().to_string(),
        port: c.port().and_then(|p| u16::try_from(p).ok()).unwrap_or_default(),
        vpc_id: String::new(),
        security_group_ids:
            c.vpc_security_groups().iter().filter_map(|g| g.vpc_security_group_id().map(str::to_string)).collect(),
    }));
    Ok(out)
}

/// Cache clusters, and replication groups (Redis with replicas), whose primary endpoint is
/// what applications name.
pub async fn cache_clusters(cloud: &AwsCloud) -> CloudResult<Vec<CacheCluster>> {
    let mut clusters = cloud.elasticache.describe_cache_clusters().show_cache_node_info(true).into_paginator();
    let mut groups = cloud.elasticache.describe_replication_groups().into_paginator();
    if let Some(size) = cloud.page_size {
        clusters = clusters.page_size(size.clamp(20, 100));
        groups = groups.page_size(size.clamp(20, 100));
    }
    let (clusters, groups) = tokio::join!(clusters.send().try_collect(), groups.send().try_collect());
    let pages = clusters.map_err(from_sdk("elasticache:DescribeCacheClusters"))?;
    let groups = groups.map_err(from_sdk("elasticache:DescribeReplicationGroups"))?;
    let mut out: Vec<CacheCluster> = pages
        .iter()
        .flat_map(|p| p.cache_clusters())
        .map(|c| {
            let node = c.cache_nodes().first().and_then(|n| n.endpoint());
            let endpoint = c.configuration_endpoint().or(node);
            CacheCluster {
                id: c.cache_cluster_id().unwrap_or_default().to_string(),
                arn: c.arn().unwrap_or_default().to_string(),
                engine: c.engine().unwrap_or_default().to_string(),
                engine_version: c.engine_version().unwrap_or_default().to_string(),
                endpoint: endpoint.and_then(|e| e.address()).unwrap_or_default().to_string(),
                port: endpoint.and_then(|e| e.port()).and_then(|p| u16::try_from(p).ok()).unwrap_or_default(),
                security_group_ids: c
                    .security_groups()
                    .iter()
                    .filter_map(|g| g.security_group_id().map(str::to_string))
                    .collect(),
            }
        })
        .collect();
    for group in groups.iter().flat_map(|p| p.replication_groups()) {
        let id = group.replication_group_id().unwrap_or_default();
        // A group's member clusters carry its security groups; the group is what to list.
        let members: Vec<CacheCluster> =
            out.iter().filter(|c| group.member_clusters().contains(&c.id)).cloned().collect();
        out.retain(|c| !group.member_clusters().contains(&c.id));
        let endpoint =
            group.configuration_endpoint().or_else(|| group.node_groups().first().and_then(|n| n.primary_endpoint()));
        out.push(CacheCluster {
            id: id.to_string(),
            arn: group.arn().unwrap_or_default().to_string(),
            engine: group.engine().unwrap_or("redis").to_string(),
            engine_version: members.first().map(|m| m.engine_version.clone()).unwrap_or_default(),
            endpoint: endpoint.and_then(|e| e.address()).unwrap_or_default().to_string(),
            port: endpoint.and_then(|e| e.port()).and_then(|p| u16::try_from(p).ok()).unwrap_or_default(),
            security_group_ids: members.into_iter().flat_map(|m| m.security_group_ids).collect(),
        });
    }
    Ok(out)
}

pub async fn buckets(cloud: &AwsCloud) -> CloudResult<Vec<Bucket>> {
    let pages =
        cloud.s3.list_buckets().into_paginator().send().try_collect().await.map_err(from_sdk("s3:ListAllMyBuckets"))?;
    Ok(pages
        .iter()
        .flat_map(|p| p.buckets())
        .map(|b| Bucket {
            name: b.name().unwrap_or_default().to_string(),
            region: b.bucket_region().unwrap_or(&cloud.region).to_string(),
        })
        .collect())
}
