//! One side's figures for one path: status counts, failures, latency percentiles, and the
//! body it answers with most.

use std::collections::BTreeMap;

use serde::Serialize;

use super::client::Sample;

/// What one side answered on one path over all its requests.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct SideStats {
    /// Requests sent.
    pub requests: u32,
    /// How many answers had each status code.
    pub statuses: BTreeMap<u16, u32>,
    /// Requests with no answer, by reason (refused, timed out, TLS...).
    pub errors: BTreeMap<String, u32>,
    /// Median latency of the answered requests, in milliseconds.
    pub p50_ms: Option<f64>,
    /// 95th percentile latency of the answered requests, in milliseconds.
    pub p95_ms: Option<f64>,
    /// Size in bytes of the body answered most often.
    pub size: Option<u64>,
    /// sha256 of the body answered most often.
    pub body_sha256: Option<String>,
    /// How many different bodies were answered.
    pub distinct_bodies: u32,
}

impl SideStats {
    /// The figures of `samples`.
    pub fn of(samples: &[Sample]) -> SideStats {
        let mut stats = SideStats { requests: samples.len() as u32, ..SideStats::default() };
        let mut latencies = Vec::new();
        let mut bodies: BTreeMap<(String, u64), u32> = BTreeMap::new();
        for sample in samples {
            match &sample.result {
                Ok(answer) => {
                    *stats.statuses.entry(answer.status).or_default() += 1;
                    *bodies.entry((answer.sha256.clone(), answer.size)).or_default() += 1;
                    latencies.push(sample.latency.as_secs_f64() * 1000.0);
                }
                Err(reason) => *stats.errors.entry(reason.clone()).or_default() += 1,
            }
        }
        latencies.sort_by(f64::total_cmp);
        stats.p50_ms = percentile(&latencies, 50);
        stats.p95_ms = percentile(&latencies, 95);
        stats.distinct_bodies = bodies.len() as u32;
        // Ties go to the first body in hash order, so a report is the same for the same answers.
        if let Some(((sha, size), _)) = bodies.iter().max_by(|a, b| a.1.cmp(b.1).then(b.0.cmp(a.0))) {
            stats.body_sha256 = Some(sha.clone());
            stats.size = Some(*size);
        }
        stats
    }

    /// Answers received.
    pub fn answered(&self) -> u32 {
        self.statuses.values().sum()
    }

    /// Requests with no answer.
    pub fn failed(&self) -> u32 {
        self.errors.values().sum()
    }

    /// Answers whose status is not 2xx.
    pub fn not_2xx(&self) -> u32 {
        self.statuses.iter().filter(|(code, _)| !(200..300).contains(*code)).map(|(_, n)| n).sum()
    }

    /// Answers with a 5xx status.
    pub fn server_errors(&self) -> u32 {
        self.statuses.iter().filter(|(code, _)| (500..600).contains(*code)).map(|(_, n)| n).sum()
    }

    /// The status answered most, if any answer came.
    pub fn main_status(&self) -> Option<u16> {
        self.statuses.iter().max_by(|a, b| a.1.cmp(b.1).then(b.0.cmp(a.0))).map(|(code, _)| *code)
    }
}

/// Nearest-rank percentile of sorted values.
fn percentile(sorted: &[f64], p: usize) -> Option<f64> {
    if sorted.is_empty() {
        return None;
    }
    let rank = (p * sorted.len()).div_ceil(100).max(1);
    sorted.get(rank - 1).copied()
}

/// Whether two sides answered the same body: `None` when either answered none.
pub fn bodies_match(old: &SideStats, new: &SideStats) -> Option<bool> {
    match (&old.body_sha256, &new.body_sha256) {
        (Some(a), Some(b)) => Some(a == b && old.distinct_bodies == 1 && new.distinct_bodies == 1),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;
    use crate::verify::client::Answer;

    fn ok(ms: u64, status: u16, body: &str) -> Sample {
        let sha256 = crate::digest::sha256_hex(body.as_bytes());
        Sample { latency: Duration::from_millis(ms), result: Ok(Answer { status, size: body.len() as u64, sha256 }) }
    }

    #[test]
    fn percentiles_are_nearest_rank_and_failures_are_counted_apart() {
        let mut samples: Vec<Sample> = (1..=20).map(|ms| ok(ms, 200, "ok")).collect();
        samples.push(Sample { latency: Duration::from_secs(10), result: Err("no answer within 10 s".into()) });
        let stats = SideStats::of(&samples);
        assert_eq!((stats.requests, stats.answered(), stats.failed()), (21, 20, 1));
        assert_eq!(stats.p50_ms, Some(10.0));
        assert_eq!(stats.p95_ms, Some(19.0));
        assert_eq!(stats.size, Some(2));
        assert_eq!(stats.distinct_bodies, 1);
    }

    #[test]
    fn bodies_match_only_when_both_sides_answer_one_same_body() {
        let a = SideStats::of(&[ok(1, 200, "ok"), ok(1, 200, "ok")]);
        let b = SideStats::of(&[ok(1, 200, "ok"), ok(1, 503, "down")]);
        assert_eq!(bodies_match(&a, &a), Some(true));
        assert_eq!(bodies_match(&a, &b), Some(false));
        assert_eq!(b.main_status(), Some(200), "ties go to the lower code");
        assert_eq!(bodies_match(&a, &SideStats::default()), None);
        assert_eq!(percentile(&[], 95), None);
    }
}
