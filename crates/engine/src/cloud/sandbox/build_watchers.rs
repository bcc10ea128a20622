//! The scenario's CloudWatch alarms and log groups, with the ARNs and dimension values AWS
//! would give them: a load balancer or target group named by the scenario gets the dimension
//! CloudWatch keys its metrics by, taken from the ARN the sandbox made for it.

use super::scenario::{AlarmSpec, LogGroupSpec, Scenario};
use super::state::AccountState;
use crate::gate::{load_balancer_dimension, target_group_dimension};
use crate::model::{Alarm, AlarmMetric, LogGroup, MetricDimension};

impl AccountState {
    /// Fills the alarms and log groups; runs after the load balancers and target groups exist.
    pub(super) fn add_watchers(&mut self, s: &Scenario) {
        let (region, account) = (s.account.region.as_str(), s.account.account_id.as_str());
        self.alarms = s.alarms.iter().map(|spec| self.alarm(spec, region, account)).collect();
        self.log_groups = s.log_groups.iter().map(|spec| log_group(spec, region, account)).collect();
    }

    fn alarm(&self, spec: &AlarmSpec, region: &str, account: &str) -> Alarm {
        let mut dimensions: Vec<MetricDimension> = spec
            .dimensions
            .iter()
            .map(|(name, value)| MetricDimension { name: name.clone(), value: value.clone() })
            .collect();
        let balancer =
            spec.load_balancer.as_ref().and_then(|name| self.load_balancers.iter().find(|b| &b.name == name));
        if let Some(value) = balancer.and_then(|b| load_balancer_dimension(&b.arn)) {
            dimensions.push(MetricDimension { name: "LoadBalancer".into(), value });
        }
        let group = spec.target_group.as_ref().and_then(|name| self.target_groups.iter().find(|t| &t.name == name));
        if let Some(value) = group.and_then(|t| target_group_dimension(&t.arn)) {
            dimensions.push(MetricDimension { name: "TargetGroup".into(), value });
        }
        Alarm {
            name: spec.name.clone(),
            arn: format!("arn:aws:cloudwatch:{region}:{account}:alarm:{}", spec.name),
            metrics: vec![AlarmMetric {
                namespace: spec.namespace.clone(),
                name: spec.metric.clone(),
                dimensions,
                period_seconds: spec.period,
            }],
        }
    }
}

fn log_group(spec: &LogGroupSpec, region: &str, account: &str) -> LogGroup {
    LogGroup {
        name: spec.name.clone(),
        arn: format!("arn:aws:logs:{region}:{account}:log-group:{}", spec.name),
        stored_bytes: spec.stored_bytes,
        retention_days: spec.retention_days,
    }
}
