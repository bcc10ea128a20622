//! Server options that send logs to a file (`uwsgi --logger file:/var/log/uwsgi.log`,
//! `gunicorn --error-logfile /var/log/app.log`) in a command taken from the repository's own
//! image. The platform collects what the process writes to standard output; a file hides the
//! logs, and a folder like /var/log belongs to root while ferry's image runs as uid 1000, so
//! the server may not even start. The option is dropped and the server logs to its output.

use crate::analyze::source::Fact;
use crate::model::Finding;

/// Options whose value is the log destination, with how the value says "a file".
const FILE_OPTIONS: [(&str, Destination); 7] = [
    ("--logger", Destination::Prefixed("file:")),
    ("--req-logger", Destination::Prefixed("file:")),
    ("--logto", Destination::Path),
    ("--logto2", Destination::Path),
    ("--access-logfile", Destination::Path),
    ("--error-logfile", Destination::Path),
    ("--log-file", Destination::Path),
];

#[derive(Clone, Copy)]
enum Destination {
    /// The value is a logger spec; a file one starts with this (`file:/var/log/x.log`).
    Prefixed(&'static str),
    /// The value is a path; `-` and the process's own output streams are not files.
    Path,
}

/// Drops the file-logging options from `start` when it is the repository's image's command,
/// and says so in an info finding.
pub fn drop_log_files(start: &mut Fact<Vec<String>>) -> Option<Finding> {
    if !start.source.contains("the repository's own image") {
        return None;
    }
    let mut kept: Vec<String> = Vec::new();
    let mut dropped: Vec<String> = Vec::new();
    let mut words = start.value.iter().peekable();
    while let Some(word) = words.next() {
        let (option, inline) = match word.split_once('=') {
            Some((option, value)) if option.starts_with("--") => (option, Some(value.to_string())),
            _ => (word.as_str(), None),
        };
        let Some((_, destination)) = FILE_OPTIONS.iter().find(|(name, _)| *name == option) else {
            kept.push(word.clone());
            continue;
        };
        let value = match inline {
            Some(value) => value,
            None => match words.peek() {
                Some(next) if !next.starts_with('-') || next.as_str() == "-" => {
                    words.next().cloned().unwrap_or_default()
                }
                _ => String::new(),
            },
        };
        if writes_a_file(*destination, &value) {
            dropped.push(format!("{option} {value}"));
        } else {
            kept.push(word.clone());
            if !word.contains('=') && !value.is_empty() {
                kept.push(value);
            }
        }
    }
    if dropped.is_empty() {
        return None;
    }
    start.value = kept;
    Some(Finding::info(
        "log-file-dropped",
        format!(
            "the repository's command logs to a file (`{}`): dropped, so that the server logs to its output, which the platform collects (a file hides the logs, and its folder may not be writable by the image's user)",
            dropped.join("`, `")
        ),
        start.source.clone(),
    ))
}

fn writes_a_file(destination: Destination, value: &str) -> bool {
    let stream = |path: &str| {
        path == "-"
            || path.is_empty()
            || ["/dev/stdout", "/dev/stderr", "/proc/self/fd/"].iter().any(|s| path.starts_with(s))
    };
    match destination {
        Destination::Prefixed(prefix) => value.strip_prefix(prefix).is_some_and(|path| !stream(path)),
        Destination::Path => !stream(value),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analyze::source::fact;

    fn words(text: &str) -> Vec<String> {
        text.split_whitespace().map(String::from).collect()
    }

    #[test]
    fn file_loggers_are_dropped_and_output_streams_kept() {
        let image = "Dockerfile:9 (the repository's own image)";
        let mut uwsgi = fact(words("./manage.py pyuwsgi --http=:8000 --logger file:/var/log/uwsgi.log"), image);
        let found = drop_log_files(&mut uwsgi).expect("a finding");
        assert_eq!(uwsgi.value, words("./manage.py pyuwsgi --http=:8000"));
        assert!(found.message.contains("--logger file:/var/log/uwsgi.log"), "{}", found.message);
        let mut gunicorn =
            fact(words("gunicorn --access-logfile - --error-logfile=/var/log/err.log --logto x app:app"), image);
        drop_log_files(&mut gunicorn).expect("a finding");
        assert_eq!(gunicorn.value, words("gunicorn --access-logfile - app:app"));
        let mut streams = fact(words("gunicorn --error-logfile /dev/stderr --logger syslog app:app"), image);
        assert!(drop_log_files(&mut streams).is_none());
        let mut derived = fact(words("gunicorn --error-logfile /tmp/x.log app:app"), "derived");
        assert!(drop_log_files(&mut derived).is_none(), "only the repository's image's command");
    }
}
