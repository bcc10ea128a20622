//! What ferry did this session, as `tracing` events: kept in memory for the log pane, and
//! written to `ferry.log` in the state folder. Every line is masked before it is kept or
//! written, so a secret that slipped into a message never reaches the screen or the disk.

use std::fs::File;
use std::io::Write;
use std::path::Path;
use std::sync::{Arc, Mutex};

use tracing::field::{Field, Visit};
use tracing::{Event, Level, Subscriber};
use tracing_subscriber::Layer;
use tracing_subscriber::filter::Targets;
use tracing_subscriber::layer::{Context, SubscriberExt};

/// The log file's name in the state folder.
pub const FILE_NAME: &str = "ferry.log";

/// The targets whose events are kept: ferry's own, the engine's included.
const TARGETS: [&str; 2] = ["ferry", "ferry_engine"];

/// How bad a kept event was.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Severity {
    Info,
    Warn,
    Error,
}

/// One line of the log: when (UTC, `HH:MM:SS`), how bad, and what happened.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    pub time: String,
    pub severity: Severity,
    pub text: String,
}

/// The session's log lines, shared between the tracing layer that fills it and the pane.
#[derive(Debug, Clone, Default)]
pub struct SessionLog(Arc<Mutex<Vec<Entry>>>);

impl SessionLog {
    /// Every line so far, oldest first.
    pub fn entries(&self) -> Vec<Entry> {
        self.0.lock().unwrap_or_else(|p| p.into_inner()).clone()
    }

    /// How many lines there are.
    pub fn len(&self) -> usize {
        self.0.lock().unwrap_or_else(|p| p.into_inner()).len()
    }

    /// Whether nothing was logged yet.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Keeps a line, masked.
    pub fn push(&self, severity: Severity, text: &str) {
        let entry = Entry { time: clock(), severity, text: mask(text) };
        self.0.lock().unwrap_or_else(|p| p.into_inner()).push(entry);
    }

    /// The layer that keeps ferry's events in this log.
    pub fn layer<S>(&self) -> impl Layer<S>
    where
        S: Subscriber + for<'span> tracing_subscriber::registry::LookupSpan<'span>,
    {
        PaneLayer(self.clone()).with_filter(targets())
    }
}

/// A line with every secret it may hold masked, as user data is shown.
pub fn mask(text: &str) -> String {
    crate::userdata::redact(text).text
}

fn targets() -> Targets {
    TARGETS.iter().fold(Targets::new(), |t, name| t.with_target(*name, Level::INFO))
}

/// The time of day, UTC.
fn clock() -> String {
    let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap_or_default().as_secs();
    let day = now % 86_400;
    format!("{:02}:{:02}:{:02}", day / 3600, day % 3600 / 60, day % 60)
}

struct PaneLayer(SessionLog);

impl<S: Subscriber> Layer<S> for PaneLayer {
    fn on_event(&self, event: &Event<'_>, _ctx: Context<'_, S>) {
        let mut text = Text::default();
        event.record(&mut text);
        let severity = match *event.metadata().level() {
            Level::ERROR => Severity::Error,
            Level::WARN => Severity::Warn,
            _ => Severity::Info,
        };
        self.0.push(severity, &text.0);
    }
}

/// An event's message, then its other fields as `name=value`.
#[derive(Default)]
struct Text(String);

impl Visit for Text {
    fn record_debug(&mut self, field: &Field, value: &dyn std::fmt::Debug) {
        let value = format!("{value:?}");
        self.record_str(field, &value);
    }

    fn record_str(&mut self, field: &Field, value: &str) {
        if field.name() == "message" {
            self.0.insert_str(0, value);
        } else {
            self.0.push_str(&format!(" {}={value}", field.name()));
        }
    }
}

/// Writes the formatted log lines to the file, each masked first.
#[derive(Clone)]
struct MaskedFile(Arc<Mutex<File>>);

impl Write for MaskedFile {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let text = mask(&String::from_utf8_lossy(buf));
        self.0.lock().unwrap_or_else(|p| p.into_inner()).write_all(text.as_bytes())?;
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.0.lock().unwrap_or_else(|p| p.into_inner()).flush()
    }
}

/// Sends this process's ferry events to `log` and, when there is a state folder, appends them
/// to its `ferry.log`. The subscriber is the process's: installed once, by the wizard.
pub fn install(log: &SessionLog, state_dir: Option<&Path>) -> std::io::Result<()> {
    let file = match state_dir {
        Some(dir) => {
            std::fs::create_dir_all(dir)?;
            Some(std::fs::OpenOptions::new().create(true).append(true).open(dir.join(FILE_NAME))?)
        }
        None => None,
    };
    let file_layer = file.map(|file| {
        let writer = MaskedFile(Arc::new(Mutex::new(file)));
        tracing_subscriber::fmt::layer().with_ansi(false).with_writer(move || writer.clone()).with_filter(targets())
    });
    let subscriber = tracing_subscriber::registry().with(log.layer()).with(file_layer);
    // A second wizard in one process (never in ferry itself) keeps the first subscriber.
    let _ = tracing::subscriber::set_global_default(subscriber);
    Ok(())
}

/// Sends this thread's ferry events to `log` until it drops: for tests.
pub fn capture(log: &SessionLog) -> Capture {
    // With a single subscriber registered, tracing asks only the registering thread's own
    // subscriber whether an event site is wanted; a site first reached on another thread (a
    // test running beside this one) would be cached as unwanted, and its events lost here too.
    // A second, idle subscriber makes it ask every live one.
    let second = tracing::Dispatch::new(tracing_subscriber::registry());
    let guard = tracing::subscriber::set_default(tracing_subscriber::registry().with(log.layer()));
    Capture { _guard: guard, _second: second }
}

/// A capture under way: events go to the log until it drops.
pub struct Capture {
    _guard: tracing::subscriber::DefaultGuard,
    _second: tracing::Dispatch,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn events_are_kept_masked() {
        let log = SessionLog::default();
        let _guard = capture(&log);
        tracing::info!(target: "ferry::session", "connected to postgres://app:s3cretPassw0rd@db:5432/shop");
        tracing::warn!(target: "ferry::session", step = 3, "slow");
        tracing::info!(target: "hyper", "not ours");
        let entries = log.entries();
        assert_eq!(entries.len(), 2, "{entries:?}");
        assert!(!entries[0].text.contains("s3cretPassw0rd"), "{entries:?}");
        assert_eq!(entries[1].text, "slow step=3");
        assert_eq!(entries[1].severity, Severity::Warn);
    }
}
