//! The instance's own storage and addresses: EBS volumes, their snapshots and Elastic IPs,
//! which cost money until the old stack is retired.

use super::seen;
use crate::cloud::ReadCloud;
use crate::model::{ElasticIp, Snapshot, Unseen, Volume};

/// What the instance holds besides itself, each part noted as unseen when it cannot be read.
pub(super) struct Storage {
    pub volumes: Vec<Volume>,
    pub snapshots: Vec<Snapshot>,
    pub elastic_ips: Vec<ElasticIp>,
    pub unseen: Vec<Unseen>,
}

pub(super) async fn fetch(cloud: &dyn ReadCloud, instance_id: &str) -> Storage {
    let mut unseen = Vec::new();
    let (volumes, elastic_ips) = tokio::join!(cloud.volumes(instance_id), cloud.elastic_ips(instance_id));
    let volumes = seen(volumes, Unseen::EBS_VOLUMES, &mut unseen).unwrap_or_default();
    let elastic_ips = seen(elastic_ips, Unseen::ELASTIC_IPS, &mut unseen).unwrap_or_default();
    let ids: Vec<String> = volumes.iter().map(|v| v.id.clone()).collect();
    let snapshots = seen(cloud.snapshots(&ids).await, Unseen::EBS_SNAPSHOTS, &mut unseen).unwrap_or_default();
    Storage { volumes, snapshots, elastic_ips, unseen }
}
