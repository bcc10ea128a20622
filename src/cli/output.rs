//! Writing to stdout and stderr when the reader may be gone, and printing the final error.
//!
//! A closed pipe never panics ferry (`ferry show plan.json | head -1`):
//! - results (show, runs, discover, inventory, analyze, audit verify, `plan --out -`) go
//!   through [`stdout`]; when the reader closes it, the command stops writing and ferry ends
//!   quietly with status 141 (128 + SIGPIPE), as `cat` and every Unix tool killed by the
//!   signal do, so `set -o pipefail` scripts can still tell the output was cut short;
//! - notes, warnings and progress ([`note!`]) and the outcome lines of apply, resume and
//!   rollback ([`tell!`]) ignore a closed stream: a run never stops halfway because nobody
//!   reads its output, and its exit status says how it ended.

use std::io::{self, Write};
use std::sync::atomic::{AtomicBool, Ordering};

/// The exit status when the reader of stdout went away: 128 + SIGPIPE.
pub const CLOSED_PIPE_STATUS: u8 = 141;

/// Set when a write through [`stdout`] found its reader gone.
static STDOUT_CLOSED: AtomicBool = AtomicBool::new(false);

/// Standard output for a command's results.
pub fn stdout() -> Stdout {
    Stdout(io::stdout().lock())
}

/// Whether a result could not be written because stdout's reader closed it: the command's
/// error is then that, and nothing more needs saying.
pub fn stdout_closed() -> bool {
    STDOUT_CLOSED.load(Ordering::SeqCst)
}

/// Locked standard output that remembers a closed pipe (see [`stdout_closed`]).
pub struct Stdout(io::StdoutLock<'static>);

impl Stdout {
    fn noted<T>(result: io::Result<T>) -> io::Result<T> {
        if let Err(error) = &result
            && error.kind() == io::ErrorKind::BrokenPipe
        {
            STDOUT_CLOSED.store(true, Ordering::SeqCst);
        }
        result
    }
}

impl Write for Stdout {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        Self::noted(self.0.write(buf))
    }

    fn flush(&mut self) -> io::Result<()> {
        Self::noted(self.0.flush())
    }
}

/// Writes one line to stderr; a closed or failing stderr is ignored (nothing can be told).
pub fn note_line(args: std::fmt::Arguments<'_>) {
    let mut err = io::stderr().lock();
    let _ = err.write_fmt(args).and_then(|()| err.write_all(b"\n"));
}

/// Writes one line to stdout, ignoring a closed stdout: for what a run reports after the
/// fact, whose exit status already says how it ended.
pub fn tell_line(args: std::fmt::Arguments<'_>) {
    let mut out = io::stdout().lock();
    let _ = out.write_fmt(args).and_then(|()| out.write_all(b"\n")).and_then(|()| out.flush());
}

/// `eprintln!` that cannot panic.
macro_rules! note {
    ($($arg:tt)*) => { $crate::cli::output::note_line(format_args!($($arg)*)) };
}

/// `println!` that cannot panic, for a run's outcome lines.
macro_rules! tell {
    ($($arg:tt)*) => { $crate::cli::output::tell_line(format_args!($($arg)*)) };
}

pub(crate) use {note, tell};

/// The error as the operator reads it: `ferry: `, the message and its causes (see
/// [`ferry::text::causes_text`]).
pub fn error_text(error: &color_eyre::eyre::Report) -> String {
    ferry::text::causes_text("ferry: ", error.chain().map(|cause| cause.to_string()))
}

/// Prints the error on stderr (see [`error_text`]).
pub fn print_error(error: &color_eyre::eyre::Report) {
    let _ = io::stderr().lock().write_all(error_text(error).as_bytes());
}
