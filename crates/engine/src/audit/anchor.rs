//! A copy of the log kept outside the machine, and the comparison of the two.
//!
//! Whoever can write the state folder can rewrite the local log and recompute every hash; a
//! copy sent as each record is written, to a place that machine's operator cannot quietly
//! change, is what catches that. Each record travels with its line number, so the comparison
//! is record by record whatever order the copy returns them in.

use std::collections::{BTreeMap, BTreeSet};

use async_trait::async_trait;
use serde::{Deserialize, Serialize};
use thiserror::Error;

use super::chain::short_hash;
use super::{AuditRecord, Chain};

/// Why the anchor could not be reached, written to or read.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[error("{0}")]
pub struct AnchorError(pub String);

/// One record as the anchor holds it: the record exactly as written, and its line in the log.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Anchored {
    /// 1-based line number in the local log.
    pub line: u64,
    /// The record, exactly as the local log holds it.
    pub record: AuditRecord,
}

/// One entry read back from the anchor, before it is known to be a record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AnchoredEvent {
    /// Where in the anchor it was found (a CloudWatch Logs stream).
    pub place: String,
    /// The entry's text: an `Anchored` as JSON, if it is one of ferry's.
    pub message: String,
}

/// What readying the anchor for a run did.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct AnchorOpened {
    /// What had to be created (`log group ferry-audit`, `log stream RUN_ID`), for the record.
    pub created: Vec<String>,
    /// Where this run's records go (the stream).
    pub place: String,
}

/// Somewhere outside the machine that keeps a copy of every record as it is written.
#[async_trait]
pub trait AuditAnchor: Send + Sync {
    /// The anchor as messages name it: `CloudWatch Logs group ferry-audit`.
    fn describe(&self) -> String;
    /// Readies it for `run_id`'s records, creating what is missing. An error means records
    /// cannot be kept there, so the run must not start.
    async fn open(&self, run_id: &str) -> Result<AnchorOpened, AnchorError>;
    /// Sends `run_id`'s records, in the order they were written.
    async fn send(&self, run_id: &str, records: &[Anchored]) -> Result<(), AnchorError>;
    /// Everything it holds, every page of it, in no particular order.
    async fn read(&self) -> Result<Vec<AnchoredEvent>, AnchorError>;
}

/// The local log compared with the anchored copy, record by record.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Comparison {
    /// Distinct lines the anchor holds.
    pub anchored: usize,
    /// Local records equal to their anchored copy.
    pub matched: usize,
    /// What was changed, removed or added on either side: each makes verification fail.
    pub problems: Vec<String>,
    /// What is worth knowing and proves nothing wrong (runs never anchored).
    pub notes: Vec<String>,
}

/// How one line of the local log stands against its anchored copy.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Finding {
    /// In the anchor, not in the local file.
    Removed,
    /// Its content differs from the anchored copy.
    Changed,
    /// Only its hashes differ: the chain was recomputed after an earlier change.
    Rehashed,
    /// Not in the anchor, though its run is.
    NotAnchored,
}

/// Compares the local log with what the anchor returned.
pub fn compare(local: &Chain, events: &[AnchoredEvent]) -> Comparison {
    let mut comparison = Comparison::default();
    let anchored = by_line(events, &mut comparison.problems);
    comparison.anchored = anchored.len();
    let anchored_runs: BTreeSet<&str> = anchored.values().map(|(_, a)| a.record.run_id.as_str()).collect();
    let last_line = anchored.keys().next_back().copied().unwrap_or(0).max(local.len());
    let mut findings: Vec<(u64, Finding, String)> = Vec::new();
    let mut never_anchored: BTreeMap<&str, u64> = BTreeMap::new();
    for line in 1..=last_line {
        match (local.record(line), anchored.get(&line)) {
            (Some(mine), Some((_, copy))) if *mine == copy.record => comparison.matched += 1,
            (Some(mine), Some((place, copy))) => {
                let (finding, fields) = difference(mine, &copy.record);
                findings.push((line, finding, format!("{fields} (the copy is in {place})")));
            }
            (None, Some((_, copy))) => {
                let what = format!("run {}, {} at {}", copy.record.run_id, copy.record.action, copy.record.time);
                if line > local.len() {
                    findings.push((line, Finding::Removed, what));
                } else {
                    findings.push((line, Finding::Changed, format!("it is no longer a record; the copy is {what}")));
                }
            }
            (Some(mine), None) if anchored_runs.contains(mine.run_id.as_str()) => {
                findings.push((line, Finding::NotAnchored, format!("run {}, {}", mine.run_id, mine.action)));
            }
            (Some(mine), None) => *never_anchored.entry(mine.run_id.as_str()).or_default() += 1,
            (None, None) => {}
        }
    }
    for copy in anchored.values().map(|(_, a)| a) {
        if copy.record.hash != copy.record.content_hash() {
            comparison.problems.push(format!(
                "the anchored copy of record {} does not hash to its own hash {}: it was changed where it is kept",
                copy.line,
                short_hash(&copy.record.hash)
            ));
        }
    }
    comparison.problems.extend(describe(&findings, local.len()));
    if !never_anchored.is_empty() {
        let runs: Vec<String> = never_anchored.iter().map(|(run, n)| format!("{run} ({n})")).collect();
        comparison.notes.push(format!(
            "records of runs never anchored (sandbox runs, or runs made without the anchor), protected by the local chain and journals only: {}",
            runs.join(", ")
        ));
    }
    if comparison.anchored == 0 {
        comparison.problems.push("the anchor holds no ferry audit record".into());
    }
    comparison
}

/// The anchored records by line; what is no record, or two different records on one line, is
/// a problem. The same record twice (a send retried after an answer was lost) is not.
fn by_line<'a>(events: &'a [AnchoredEvent], problems: &mut Vec<String>) -> BTreeMap<u64, (&'a str, Anchored)> {
    let mut lines: BTreeMap<u64, (&str, Anchored)> = BTreeMap::new();
    for event in events {
        let Ok(anchored) = serde_json::from_str::<Anchored>(&event.message) else {
            problems.push(format!("{} holds an entry that is not a ferry audit record", event.place));
            continue;
        };
        match lines.get(&anchored.line) {
            Some((_, earlier)) if *earlier == anchored => {}
            Some((place, earlier)) => problems.push(format!(
                "the anchor holds two different records for line {} (run {} in {place}, run {} in {}): the local log was rewritten after that line was sent",
                anchored.line, earlier.record.run_id, anchored.record.run_id, event.place
            )),
            None => {
                lines.insert(anchored.line, (event.place.as_str(), anchored));
            }
        }
    }
    lines
}

/// Which fields of a local record differ from its anchored copy.
fn difference(mine: &AuditRecord, copy: &AuditRecord) -> (Finding, String) {
    let fields: Vec<&str> = [
        ("time", mine.time != copy.time),
        ("run id", mine.run_id != copy.run_id),
        ("operator", mine.operator != copy.operator),
        ("action", mine.action != copy.action),
        ("parameters", mine.parameters != copy.parameters),
        ("outcome", mine.outcome != copy.outcome),
        ("duration", mine.duration_ms != copy.duration_ms),
    ]
    .into_iter()
    .filter_map(|(name, differs)| differs.then_some(name))
    .collect();
    if fields.is_empty() {
        let text = format!(
            "run {}, {}: hash {} here, {} anchored",
            mine.run_id,
            mine.action,
            short_hash(&mine.hash),
            short_hash(&copy.hash)
        );
        return (Finding::Rehashed, text);
    }
    let verb = if fields.len() == 1 { "differs" } else { "differ" };
    (Finding::Changed, format!("run {}: its {} {verb} from the anchored copy", copy.run_id, fields.join(", ")))
}

/// One message per finding, consecutive lines of the same kind said once.
fn describe(findings: &[(u64, Finding, String)], local_lines: u64) -> Vec<String> {
    let mut messages = Vec::new();
    let mut index = 0;
    while index < findings.len() {
        let (first, kind, detail) = &findings[index];
        let mut last = *first;
        while let Some((line, next, _)) = findings.get(index + 1)
            && *next == *kind
            && *line == last + 1
            && *kind != Finding::Changed
        {
            last = *line;
            index += 1;
        }
        let (lines, are) =
            if last == *first { (format!("record {first}"), "is") } else { (format!("records {first}-{last}"), "are") };
        messages.push(match kind {
            Finding::Removed => format!(
                "{lines} {are} anchored but not in the local file, which has {local_lines}: cut from its end (first: {detail})"
            ),
            Finding::Changed => format!("{lines} was changed after it was anchored: {detail}"),
            Finding::Rehashed => format!(
                "{lines} {are} as anchored except for the hashes: the chain was recomputed after an earlier change (first: {detail})"
            ),
            Finding::NotAnchored => format!(
                "{lines} {are} not in the anchor though {} run is: lost on the way, or added to the local file (first: {detail})",
                if are == "is" { "its" } else { "their" }
            ),
        });
        index += 1;
    }
    messages
}

#[cfg(test)]
mod tests {
    use super::super::{AuditEntry, AuditLog, read_chain};
    use super::*;
    use serde_json::json;

    fn log_of(n: u64) -> (tempfile::TempDir, std::path::PathBuf, Vec<AnchoredEvent>) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("audit.jsonl");
        let mut log = AuditLog::open(&path).unwrap();
        let mut events = Vec::new();
        for i in 0..n {
            let entry = AuditEntry {
                run_id: "run-1".into(),
                operator: "ops".into(),
                action: "create role".into(),
                parameters: json!({ "n": i }),
                outcome: "ok".into(),
                duration_ms: 1,
            };
            let appended = log.append_counted(entry).unwrap();
            let message = serde_json::to_string(&Anchored { line: appended.line, record: appended.record }).unwrap();
            events.push(AnchoredEvent { place: "run-1".into(), message });
        }
        (dir, path, events)
    }

    #[test]
    fn the_same_log_matches_whatever_order_the_copy_comes_in() {
        let (_dir, path, mut events) = log_of(4);
        events.reverse();
        events.push(events[0].clone());
        let comparison = compare(&read_chain(&path).unwrap().unwrap(), &events);
        assert_eq!((comparison.anchored, comparison.matched), (4, 4));
        assert!(comparison.problems.is_empty(), "{:?}", comparison.problems);
    }

    #[test]
    fn a_recomputed_chain_names_the_changed_record_and_the_rehashed_ones() {
        let (_dir, path, events) = log_of(5);
        let text = std::fs::read_to_string(&path).unwrap();
        let mut previous = super::super::GENESIS.to_string();
        let mut rewritten = String::new();
        for line in text.lines() {
            let mut record: AuditRecord = serde_json::from_str(line).unwrap();
            if record.parameters == json!({ "n": 1 }) {
                record.action = "delete role".into();
            }
            record.prev_hash = previous;
            record.hash = record.content_hash();
            previous = record.hash.clone();
            rewritten += &(serde_json::to_string(&record).unwrap() + "\n");
        }
        std::fs::write(&path, rewritten).unwrap();
        let chain = read_chain(&path).unwrap().unwrap();
        assert_eq!(chain.broken, None, "the chain itself is whole again");
        let comparison = compare(&chain, &events);
        assert_eq!(comparison.matched, 1);
        assert_eq!(comparison.problems.len(), 2, "{:?}", comparison.problems);
        assert!(
            comparison.problems[0]
                .starts_with("record 2 was changed after it was anchored: run run-1: its action differs")
        );
        assert!(comparison.problems[1].starts_with("records 3-5 are as anchored except for the hashes"));
    }

    #[test]
    fn a_removed_tail_and_an_unknown_entry_are_named() {
        let (_dir, path, mut events) = log_of(5);
        let text = std::fs::read_to_string(&path).unwrap();
        let kept: Vec<&str> = text.lines().take(3).collect();
        std::fs::write(&path, kept.join("\n") + "\n").unwrap();
        events.push(AnchoredEvent { place: "run-1".into(), message: "hello".into() });
        let comparison = compare(&read_chain(&path).unwrap().unwrap(), &events);
        assert_eq!(comparison.problems.len(), 2, "{:?}", comparison.problems);
        assert!(comparison.problems[0].contains("not a ferry audit record"));
        assert!(
            comparison.problems[1].starts_with("records 4-5 are anchored but not in the local file, which has 3"),
            "{:?}",
            comparison.problems
        );
    }

    #[test]
    fn a_record_never_anchored_is_a_note_unless_its_run_is_anchored() {
        let (_dir, path, events) = log_of(3);
        let comparison = compare(&read_chain(&path).unwrap().unwrap(), &events[..2]);
        assert!(
            comparison.problems[0].starts_with("record 3 is not in the anchor though its run is"),
            "{:?}",
            comparison.problems
        );
        let comparison = compare(&read_chain(&path).unwrap().unwrap(), &[]);
        assert_eq!(comparison.problems, vec!["the anchor holds no ferry audit record".to_string()]);
        assert!(comparison.notes[0].contains("run-1 (3)"), "{:?}", comparison.notes);
    }
}
