//! What each step of a cutover changes, in lines a person reviews before approving.

use super::Action;

/// The lines of a cutover step; none for any other action.
pub(super) fn lines(action: &Action) -> Vec<String> {
    match action {
        Action::AddRuleHost { rule_arn, host } => vec![format!("{rule_arn} also matches host {host}")],
        Action::AddListenerCertificate { listener_arn, certificate_arn } => {
            vec![format!("{listener_arn} also serves {certificate_arn}")]
        }
        Action::SplitRecords { pair } => {
            let mut lines: Vec<String> = pair.records.iter().map(|r| format!("replaces {}", record_text(r))).collect();
            lines.push(format!(
                "with weighted pairs: {} at 100, {} at 0 → {}",
                pair.old_id, pair.new_id, pair.new_target.dns_name
            ));
            lines
        }
        Action::SetWeights { pair, old_weight, new_weight } => vec![format!(
            "{}: {} weight {old_weight}, {} weight {new_weight}; waits until Route 53 is INSYNC",
            pair.host(),
            pair.old_id,
            pair.new_id
        )],
        Action::FinalizeRecords { pair } => {
            let mut lines: Vec<String> =
                pair.records.iter().map(|r| format!("leaves {}", record_text(&pair.final_record(r)))).collect();
            lines.push(format!(
                "removes the weighted pairs {} and {}: the old load balancer gets no more traffic",
                pair.old_id, pair.new_id
            ));
            lines
        }
        Action::Bake { seconds, why } => vec![format!("waits {seconds} s ({why}); changes nothing")],
        Action::HealthGate { sides, window, thresholds, .. } => vec![
            format!(
                "compares {} with {} over the last {} min",
                sides.new_load_balancer_arn, sides.old_load_balancer_arn, window.minutes
            ),
            format!(
                "passes with 5xx ≤ {}% (old + {} points), p95 ≤ {} s (old × {}), ≥ {} healthy hosts, ≥ {} requests",
                thresholds.max_5xx_percent,
                thresholds.max_5xx_points_over_old,
                thresholds.max_p95_seconds,
                thresholds.max_p95_times_old,
                thresholds.min_healthy_hosts,
                thresholds.min_requests
            ),
            "on failure: all traffic back to the old stack (old 100 / new 0), and the run stops".into(),
        ],
        _ => Vec::new(),
    }
}

/// A DNS record as one line: `shop.example.com. A alias dualstack.old-alb….`.
fn record_text(record: &crate::model::DnsRecord) -> String {
    let target = match &record.alias {
        Some(alias) => format!("alias {}", alias.dns_name),
        None => format!("{} (TTL {})", record.values.join(", "), record.ttl.unwrap_or_default()),
    };
    format!("{} {} {target}", record.name, record.record_type)
}
