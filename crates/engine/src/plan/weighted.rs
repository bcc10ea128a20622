//! The data a cutover's actions carry: the records of a host name and the weighted pairs that
//! stand in for them, and the two sides a health gate compares. Each action holds everything it
//! needs, so it can be carried out, and undone, from the plan alone.

use serde::{Deserialize, Serialize};

use crate::model::{AliasTarget, DnsRecord};

/// The load balancers a health gate compares, and the target groups whose hosts it counts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GateSides {
    /// The Express load balancer.
    pub new_load_balancer_arn: String,
    /// Its target group for the service, whose healthy hosts the gate counts.
    pub new_target_group_arn: Option<String>,
    /// The old load balancer.
    pub old_load_balancer_arn: String,
    /// The old target group.
    pub old_target_group_arn: Option<String>,
}

/// The records of one host name being moved, and the weighted records that stand in for
/// them during a cutover. Everything needed to write either form is here, so each step can
/// be carried out, and undone, from the plan alone.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WeightedPair {
    /// The hosted zone holding the records.
    pub zone_id: String,
    /// The records as they were before the cutover, exactly as Route 53 listed them.
    pub records: Vec<DnsRecord>,
    /// The set identifier of the weighted records that keep the old target.
    pub old_id: String,
    /// The set identifier of the weighted records that point at the new load balancer.
    pub new_id: String,
    /// The new load balancer, as an alias names it (a CNAME record uses its DNS name).
    pub new_target: AliasTarget,
}

impl WeightedPair {
    /// The host name the records are for, without its trailing dot.
    pub fn host(&self) -> &str {
        self.records.first().map_or("", |r| r.name.trim_end_matches('.'))
    }

    /// The weighted record standing in for `original` on the old side, at `weight`. An alias
    /// evaluates its target's health, so Route 53 stops answering with an unhealthy side.
    pub fn old_record(&self, original: &DnsRecord, weight: u8) -> DnsRecord {
        let alias = original.alias.clone().map(|alias| AliasTarget { evaluate_target_health: true, ..alias });
        DnsRecord {
            alias,
            set_identifier: Some(self.old_id.clone()),
            weight: Some(i64::from(weight)),
            ..original.clone()
        }
    }

    /// The plain record a finished cutover leaves for `original`: its name and type, pointing
    /// at the new load balancer, with no identifier or weight.
    pub fn final_record(&self, original: &DnsRecord) -> DnsRecord {
        DnsRecord { set_identifier: None, weight: None, ..self.new_record(original, 0) }
    }

    /// The weighted record on the new side for `original`'s name and type, at `weight`: an
    /// alias where the original is an alias, a CNAME to the new load balancer where it is one.
    pub fn new_record(&self, original: &DnsRecord, weight: u8) -> DnsRecord {
        let (alias, values) = match original.alias {
            Some(_) => (Some(self.new_target.clone()), Vec::new()),
            None => (None, vec![self.new_target.dns_name.trim_start_matches("dualstack.").to_string()]),
        };
        DnsRecord {
            alias,
            values,
            set_identifier: Some(self.new_id.clone()),
            weight: Some(i64::from(weight)),
            ..original.clone()
        }
    }
}

/// The pairs a plan's split steps make, in plan order: what its weights, gates and finalize
/// may touch.
pub fn split_pairs(plan: &super::Plan) -> Vec<&WeightedPair> {
    plan.steps
        .iter()
        .filter_map(|s| match &s.action {
            super::Action::SplitRecords { pair } => Some(pair.as_ref()),
            _ => None,
        })
        .collect()
}
