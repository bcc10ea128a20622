use serde::{Deserialize, Serialize};

/// An RDS database the app may connect to: a DB instance, or a DB cluster such as Aurora
/// (whose member instances are not listed apart).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DbInstance {
    /// The DB instance or cluster identifier.
    pub identifier: String,
    /// The DB instance's or cluster's ARN.
    pub arn: String,
    /// The engine as RDS names it (`postgres`, `mysql`, `aurora-postgresql`).
    pub engine: String,
    /// The engine version (`15.4`).
    pub engine_version: String,
    /// The host name the app connects to; a cluster's writer endpoint.
    pub endpoint: String,
    /// The port the database listens on (`5432`).
    pub port: u16,
    /// The VPC of its subnet group; empty for a cluster.
    pub vpc_id: String,
    /// The VPC security groups attached to it.
    pub security_group_ids: Vec<String>,
}

/// An ElastiCache cache the app may connect to: a cluster, or a replication group (whose
/// member clusters are not listed apart).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CacheCluster {
    /// The cache cluster or replication group id.
    pub id: String,
    /// Its ARN.
    pub arn: String,
    /// `redis`, `valkey` or `memcached`.
    pub engine: String,
    /// The engine version (`7.1`).
    pub engine_version: String,
    /// The host name the app connects to: the configuration endpoint, else the primary or first
    /// node's.
    pub endpoint: String,
    /// The port the cache listens on (`6379`).
    pub port: u16,
    /// The security groups attached to it (for a replication group, its members').
    pub security_group_ids: Vec<String>,
}

/// An S3 bucket the account owns.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Bucket {
    /// The bucket's name, global across AWS.
    pub name: String,
    /// The region the bucket is in.
    pub region: String,
}

impl Bucket {
    /// The bucket's ARN (`arn:aws:s3:::NAME`), as IAM policies name it.
    pub fn arn(&self) -> String {
        format!("arn:aws:s3:::{}", self.name)
    }
}
