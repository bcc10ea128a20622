//! Running one container CLI command: output streamed line by line from stdout and stderr at
//! once, the last lines kept for the error, a time limit, and the process (with whatever it
//! started) stopped when the limit passes or the caller gives up.

use std::collections::VecDeque;
use std::ffi::OsString;
use std::path::Path;
use std::pin::pin;
use std::process::Stdio;
use std::sync::Mutex;
use std::time::Duration;

use tokio::io::{AsyncBufRead, AsyncBufReadExt, AsyncRead, AsyncWriteExt, BufReader};

use super::{ImageError, Stage, TAIL_LINES, redact_output};

/// Longest line passed on; the rest of a longer line is dropped (a CLI printing binary data
/// must not fill memory).
const MAX_LINE_BYTES: usize = 8 * 1024;

/// How long output may keep coming after the process exited (a helper it left behind may hold
/// the pipe open).
const DRAIN_AFTER_EXIT: Duration = Duration::from_secs(2);

/// One command to run.
pub(super) struct Invocation<'a> {
    pub stage: Stage,
    pub program: &'a Path,
    /// How errors name the program (`docker`).
    pub name: &'a str,
    pub args: Vec<OsString>,
    pub envs: Vec<(&'static str, &'static str)>,
    /// Written to the process's stdin, which is then closed; `None` gives it no stdin at all.
    pub stdin: Option<&'a [u8]>,
    /// Masked wherever they appear in the output.
    pub secrets: &'a [&'a str],
    pub limit: Duration,
}

/// Runs the command to its end, every output line (masked, escaped) to `progress` as it comes.
/// A non-zero exit, a time-out or a failure to start is an error that quotes the last lines.
pub(super) async fn run(
    invocation: Invocation<'_>,
    progress: &(dyn Fn(String) + Send + Sync),
) -> Result<(), ImageError> {
    let Invocation { stage, program, name, args, envs, stdin, secrets, limit } = invocation;
    let mut command = tokio::process::Command::new(program);
    command
        .args(&args)
        .envs(envs)
        .stdin(if stdin.is_some() { Stdio::piped() } else { Stdio::null() })
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .kill_on_drop(true);
    // Its own process group, so a time-out or a cancelled apply stops the helpers it started
    // too (finch's VM shell, buildx, credential helpers), not only the process itself.
    #[cfg(unix)]
    command.process_group(0);
    let mut child =
        command.spawn().map_err(|source| ImageError::Spawn { program: program.display().to_string(), source })?;
    let mut group = GroupKiller::new(child.id());
    let tail = Mutex::new(VecDeque::with_capacity(TAIL_LINES));
    let tail_lines = || tail.lock().unwrap_or_else(|p| p.into_inner()).iter().cloned().collect::<Vec<_>>();

    let work = async {
        let stdin_pipe = child.stdin.take();
        let writer = async move {
            if let (Some(mut pipe), Some(bytes)) = (stdin_pipe, stdin) {
                // A process that exits without reading its stdin closes the pipe: not our error.
                let _ = pipe.write_all(bytes).await;
                let _ = pipe.shutdown().await;
            }
        };
        let out = pump(child.stdout.take(), secrets, &tail, progress);
        let err = pump(child.stderr.take(), secrets, &tail, progress);
        let mut streams = pin!(futures::future::join3(writer, out, err));
        let mut streams_done = false;
        let status = tokio::select! {
            status = child.wait() => status,
            _ = &mut streams => {
                streams_done = true;
                child.wait().await
            }
        };
        // The process has exited and been reaped: its id may be reused, so the group is no
        // longer ours to stop.
        group.disarm();
        if !streams_done {
            let _ = tokio::time::timeout(DRAIN_AFTER_EXIT, &mut streams).await;
        }
        status
    };

    match tokio::time::timeout(limit, work).await {
        Ok(Ok(status)) if status.success() => Ok(()),
        Ok(Ok(status)) => {
            Err(ImageError::Failed { stage, program: name.to_string(), code: status.code(), tail: tail_lines() })
        }
        Ok(Err(wait_error)) => {
            let mut lines = tail_lines();
            lines.push(format!("(ferry could not wait for {name}: {wait_error})"));
            Err(ImageError::Failed { stage, program: name.to_string(), code: None, tail: lines })
        }
        Err(_elapsed) => {
            group.kill();
            let _ = child.start_kill();
            let _ = tokio::time::timeout(Duration::from_secs(5), child.wait()).await;
            Err(ImageError::TimedOut { stage, program: name.to_string(), limit, tail: tail_lines() })
        }
    }
}

/// Passes one stream's lines on in order and keeps them in the shared tail.
async fn pump<R: AsyncRead + Unpin>(
    stream: Option<R>,
    secrets: &[&str],
    tail: &Mutex<VecDeque<String>>,
    progress: &(dyn Fn(String) + Send + Sync),
) {
    let Some(stream) = stream else { return };
    let mut reader = BufReader::new(stream);
    let mut buf = Vec::new();
    loop {
        buf.clear();
        match read_line_capped(&mut reader, &mut buf).await {
            Ok(0) | Err(_) => return,
            Ok(_) => {}
        }
        let raw = String::from_utf8_lossy(&buf);
        let raw = raw.trim_end_matches(['\n', '\r']);
        // A carriage return redraws the line (pull progress): what a terminal would show is the
        // last part.
        let Some(shown) = raw.rsplit('\r').find(|part| !part.trim().is_empty()) else { continue };
        let line = redact_output(shown, secrets);
        {
            let mut tail = tail.lock().unwrap_or_else(|p| p.into_inner());
            if tail.len() == TAIL_LINES {
                tail.pop_front();
            }
            tail.push_back(line.clone());
        }
        progress(line);
    }
}

/// Reads up to and including the next newline, keeping at most `MAX_LINE_BYTES` of it.
/// Returns how many bytes were read from the stream (0 at its end).
async fn read_line_capped<R: AsyncBufRead + Unpin>(reader: &mut R, buf: &mut Vec<u8>) -> std::io::Result<usize> {
    let mut read = 0;
    loop {
        let available = reader.fill_buf().await?;
        if available.is_empty() {
            return Ok(read);
        }
        let (used, done) = match available.iter().position(|&b| b == b'\n') {
            Some(at) => (at + 1, true),
            None => (available.len(), false),
        };
        let room = MAX_LINE_BYTES.saturating_sub(buf.len());
        buf.extend_from_slice(&available[..used.min(room)]);
        reader.consume(used);
        read += used;
        if done {
            return Ok(read);
        }
    }
}

/// Kills the process group of a running command when the time is up or when the run is
/// dropped before the command exited. `kill_on_drop` alone reaches only the process itself.
struct GroupKiller {
    #[cfg_attr(not(unix), allow(dead_code))]
    group: Option<u32>,
}

impl GroupKiller {
    fn new(pid: Option<u32>) -> GroupKiller {
        GroupKiller { group: pid.filter(|&pid| pid > 0) }
    }

    fn disarm(&mut self) {
        self.group = None;
    }

    fn kill(&mut self) {
        #[cfg(unix)]
        if let Some(group) = self.group.take()
            && let Ok(group) = libc::pid_t::try_from(group)
        {
            // SAFETY: killpg only sends a signal; the group is the one this run created with
            // `process_group(0)` and its leader has not been reaped yet (see `disarm`).
            unsafe {
                libc::killpg(group, libc::SIGKILL);
            }
        }
    }
}

impl Drop for GroupKiller {
    fn drop(&mut self) {
        self.kill();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn long_lines_are_capped_and_the_rest_skipped() {
        let mut text = vec![b'a'; MAX_LINE_BYTES + 100];
        text.extend_from_slice(b"\nnext\n");
        let mut reader = BufReader::with_capacity(64, text.as_slice());
        let mut buf = Vec::new();
        assert_eq!(read_line_capped(&mut reader, &mut buf).await.unwrap(), MAX_LINE_BYTES + 101);
        assert_eq!(buf.len(), MAX_LINE_BYTES);
        buf.clear();
        read_line_capped(&mut reader, &mut buf).await.unwrap();
        assert_eq!(buf, b"next\n");
        buf.clear();
        assert_eq!(read_line_capped(&mut reader, &mut buf).await.unwrap(), 0);
    }
}
