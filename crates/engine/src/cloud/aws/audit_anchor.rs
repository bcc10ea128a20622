//! The audit log's anchor in the account: a CloudWatch Logs group that receives every record
//! as it is written, one log stream per run, each event one record with its line number (as
//! JSON, already masked like the local log).
//!
//! Someone who can rewrite the operator's state folder usually cannot rewrite a log group
//! (retention and IAM are the account's), so the group is what `ferry audit verify
//! --against-cloudwatch` trusts.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use async_trait::async_trait;
use aws_sdk_cloudwatchlogs::types::InputLogEvent;

use super::{AwsCloud, errors};
use crate::audit::{AnchorError, AnchorOpened, Anchored, AnchoredEvent, AuditAnchor};
use crate::cloud::CloudError;

/// At most this many events in one PutLogEvents call (CloudWatch takes 10,000).
const BATCH_EVENTS: usize = 1000;
/// At most this many bytes in one call (CloudWatch takes 1 MiB, 26 bytes counted per event).
const BATCH_BYTES: usize = 900 * 1024;
/// The span of one call's timestamps (CloudWatch takes 24 hours).
const BATCH_SPAN: Duration = Duration::from_secs(23 * 3600);

/// Whether `name` can name a log group: 1 to 512 of `a-z A-Z 0-9 _ - / . #`.
pub fn check_log_group_name(name: &str) -> Result<(), String> {
    let allowed = |c: char| c.is_ascii_alphanumeric() || "_-/.#".contains(c);
    if name.is_empty() || name.len() > 512 || !name.chars().all(allowed) {
        return Err(format!(
            "{:?} is not a CloudWatch Logs group name: 1 to 512 letters, digits and _ - / . #",
            crate::text::escape_controls(name)
        ));
    }
    Ok(())
}

/// A CloudWatch Logs group in the account, as the audit log's anchor.
pub struct CloudWatchAnchor {
    logs: aws_sdk_cloudwatchlogs::Client,
    group: String,
    page_size: Option<i32>,
}

impl AwsCloud {
    /// The log group `group` in this account as the audit log's anchor, reached with the same
    /// credentials, region and endpoint as everything else.
    pub fn audit_anchor(&self, group: &str) -> Result<CloudWatchAnchor, CloudError> {
        check_log_group_name(group).map_err(CloudError::Invalid)?;
        Ok(CloudWatchAnchor { logs: self.logs.clone(), group: group.to_string(), page_size: self.page_size })
    }
}

impl CloudWatchAnchor {
    /// Creates the group when it is missing; whether it did.
    pub async fn ensure_group(&self) -> Result<bool, AnchorError> {
        let created = self.logs.create_log_group().log_group_name(&self.group).send().await;
        match created.map_err(errors::from_sdk("logs:CreateLogGroup")) {
            Ok(_) => Ok(true),
            Err(CloudError::AlreadyExists { .. }) => Ok(false),
            Err(error) => Err(AnchorError(error.to_string())),
        }
    }

    /// Creates the run's stream; whether it did (a resume or rollback finds it there).
    async fn ensure_stream(&self, stream: &str) -> Result<bool, CloudError> {
        let created = self.logs.create_log_stream().log_group_name(&self.group).log_stream_name(stream).send().await;
        match created.map_err(errors::from_sdk("logs:CreateLogStream")) {
            Ok(_) => Ok(true),
            Err(CloudError::AlreadyExists { .. }) => Ok(false),
            Err(error) => Err(error),
        }
    }

    async fn put(&self, stream: &str, events: Vec<InputLogEvent>) -> Result<(), AnchorError> {
        let sent = self
            .logs
            .put_log_events()
            .log_group_name(&self.group)
            .log_stream_name(stream)
            .set_log_events(Some(events))
            .send()
            .await
            .map_err(errors::from_sdk("logs:PutLogEvents"))
            .map_err(|e| AnchorError(e.to_string()))?;
        // CloudWatch answers success while refusing events outside its time window: a refused
        // record is a failure like any other, never a silent gap.
        if let Some(rejected) = sent.rejected_log_events_info() {
            return Err(AnchorError(format!(
                "CloudWatch Logs refused some records for their time (too new from {:?}, too old up to {:?}, expired up to {:?})",
                rejected.too_new_log_event_start_index(),
                rejected.too_old_log_event_end_index(),
                rejected.expired_log_event_end_index()
            )));
        }
        Ok(())
    }
}

#[async_trait]
impl AuditAnchor for CloudWatchAnchor {
    fn describe(&self) -> String {
        format!("CloudWatch Logs group {}", self.group)
    }

    async fn open(&self, run_id: &str) -> Result<AnchorOpened, AnchorError> {
        let mut created = Vec::new();
        let stream = match self.ensure_stream(run_id).await {
            Ok(made) => made,
            Err(error) if error.is_not_found() => {
                if self.ensure_group().await? {
                    created.push(format!("log group {}", self.group));
                }
                self.ensure_stream(run_id).await.map_err(|e| AnchorError(e.to_string()))?
            }
            Err(error) => return Err(AnchorError(error.to_string())),
        };
        if stream {
            created.push(format!("log stream {run_id}"));
        }
        Ok(AnchorOpened { created, place: format!("{}/{run_id}", self.group) })
    }

    async fn send(&self, run_id: &str, records: &[Anchored]) -> Result<(), AnchorError> {
        for batch in batches(records)? {
            self.put(run_id, batch).await?;
        }
        Ok(())
    }

    async fn read(&self) -> Result<Vec<AnchoredEvent>, AnchorError> {
        let mut pages =
            self.logs.filter_log_events().log_group_name(&self.group).set_limit(self.page_size).into_paginator().send();
        let mut events = Vec::new();
        while let Some(page) = pages.next().await {
            let page =
                page.map_err(errors::from_sdk("logs:FilterLogEvents")).map_err(|e| AnchorError(e.to_string()))?;
            events.extend(page.events().iter().map(|event| AnchoredEvent {
                place: format!("log stream {}", event.log_stream_name().unwrap_or("?")),
                message: event.message().unwrap_or_default().to_string(),
            }));
        }
        Ok(events)
    }
}

/// The records as log events, in calls CloudWatch accepts: within its size, count and time
/// span limits, timestamps never going back within a call (it refuses those).
fn batches(records: &[Anchored]) -> Result<Vec<Vec<InputLogEvent>>, AnchorError> {
    let mut batches: Vec<Vec<InputLogEvent>> = Vec::new();
    let (mut bytes, mut first, mut previous) = (0usize, 0i64, 0i64);
    for anchored in records {
        let message = serde_json::to_string(anchored).map_err(|e| AnchorError(e.to_string()))?;
        let timestamp = millis(&anchored.record.time).max(previous);
        let size = message.len() + 26;
        let span = Duration::from_millis(u64::try_from(timestamp - first).unwrap_or(0));
        let full =
            batches.last().is_none_or(|b| b.len() >= BATCH_EVENTS || bytes + size > BATCH_BYTES || span > BATCH_SPAN);
        if full {
            batches.push(Vec::new());
            (bytes, first) = (0, timestamp);
        }
        let event = InputLogEvent::builder().timestamp(timestamp).message(message).build();
        let event = event.map_err(|e| AnchorError(e.to_string()))?;
        if let Some(batch) = batches.last_mut() {
            batch.push(event);
        }
        (bytes, previous) = (bytes + size, timestamp);
    }
    Ok(batches)
}

/// A record's time as milliseconds since the epoch (now, if it does not parse).
fn millis(time: &str) -> i64 {
    let when = humantime::parse_rfc3339(time).unwrap_or_else(|_| SystemTime::now());
    when.duration_since(UNIX_EPOCH).map_or(0, |d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn group_names_follow_cloudwatch_rules() {
        assert!(check_log_group_name("ferry/audit-prod_1.#x").is_ok());
        for bad in ["", "has space", "ünï", &"x".repeat(513)] {
            assert!(check_log_group_name(bad).is_err(), "{bad}");
        }
    }
}
