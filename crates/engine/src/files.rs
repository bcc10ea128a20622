//! Reading a file the operator names (a plan, a scenario) without trusting what it is.
//!
//! A path can name a device that never ends (`/dev/zero`), a named pipe that blocks until
//! someone writes, a folder, or a file far larger than any plan: each is refused with an error
//! naming the file, before its contents are read, instead of hanging or reading until memory
//! runs out.

use std::fmt;
use std::io::Read;
use std::path::{Path, PathBuf};

/// The largest plan file read. A plan of a real migration is tens of kilobytes (about fifteen
/// steps, IAM documents of at most a few kilobytes each, one Dockerfile); 16 MiB is hundreds of
/// times that, and still parses in well under a second.
pub const PLAN_MAX_BYTES: u64 = 16 * 1024 * 1024;

/// The largest scenario file read. Scenarios are written by hand (the bundled one is 7 KB);
/// 4 MiB holds hundreds of instances, each with user data at EC2's own 16 KB limit.
pub const SCENARIO_MAX_BYTES: u64 = 4 * 1024 * 1024;

/// A file that was not read, and why. Its `Display` names the file.
#[derive(Debug)]
pub enum FileError {
    /// Opening or reading failed (missing, no permission, an I/O error).
    Read {
        /// What the file was to be, for messages (`plan file`).
        what: &'static str,
        /// The file, as the operator named it.
        path: PathBuf,
        /// The error opening or reading it gave.
        error: std::io::Error,
    },
    /// A folder, device, pipe or socket: nothing a plan or scenario can be.
    NotRegular {
        /// What the file was to be, for messages (`plan file`).
        what: &'static str,
        /// The file, as the operator named it.
        path: PathBuf,
        /// What it is instead, in words: `a folder`, `a named pipe (FIFO)`, `a character device`.
        kind: &'static str,
    },
    /// Larger than `max` bytes; `size` when it was known before reading.
    TooLarge {
        /// What the file was to be, for messages (`plan file`).
        what: &'static str,
        /// The file, as the operator named it.
        path: PathBuf,
        /// Its size in bytes as its metadata gave it; `None` when it outgrew the limit while
        /// being read.
        size: Option<u64>,
        /// The limit, in bytes.
        max: u64,
    },
    /// Not UTF-8 text.
    NotText {
        /// What the file was to be, for messages (`plan file`).
        what: &'static str,
        /// The file, as the operator named it.
        path: PathBuf,
    },
}

impl FileError {
    /// What is wrong with the file, without naming it: for callers whose own error names it.
    pub fn reason(&self) -> String {
        match self {
            FileError::Read { error, .. } => format!("cannot read it ({error})"),
            FileError::NotRegular { kind, .. } => format!("it is {kind}, not a regular file"),
            FileError::TooLarge { what, size, max, .. } => format!("it is {}", too_large(what, *size, *max)),
            FileError::NotText { .. } => "it is not UTF-8 text".to_string(),
        }
    }

    /// The file at fault.
    pub fn path(&self) -> &Path {
        match self {
            FileError::Read { path, .. }
            | FileError::NotRegular { path, .. }
            | FileError::TooLarge { path, .. }
            | FileError::NotText { path, .. } => path,
        }
    }
}

impl fmt::Display for FileError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let path = self.path().display();
        match self {
            FileError::Read { what, error, .. } => write!(f, "cannot read the {what} {path}: {error}"),
            FileError::NotRegular { what, kind, .. } => write!(f, "the {what} {path} is {kind}, not a regular file"),
            FileError::TooLarge { what, size, max, .. } => {
                write!(f, "the {what} {path} is {}", too_large(what, *size, *max))
            }
            FileError::NotText { what, .. } => write!(f, "the {what} {path} is not UTF-8 text"),
        }
    }
}

// No `source()`: the message already holds the I/O error, and a report that walked to it
// would print it twice.
impl std::error::Error for FileError {}

/// The whole text of the regular file at `path`, refused when it is no regular file or holds
/// more than `max_bytes`. `what` ("plan file") names it in errors.
pub fn read_bounded_text(path: &Path, max_bytes: u64, what: &'static str) -> Result<String, FileError> {
    let read_error = |error| FileError::Read { what, path: path.to_path_buf(), error };
    // Looked at before opening: opening a named pipe waits for a writer.
    let metadata = std::fs::metadata(path).map_err(read_error)?;
    check(&metadata, path, max_bytes, what)?;
    let file = open_without_waiting(path).map_err(read_error)?;
    // And again on what was opened, which may have been swapped in since.
    let metadata = file.metadata().map_err(read_error)?;
    check(&metadata, path, max_bytes, what)?;
    // Bounded while reading too: a file can grow after its size was checked, and some report
    // no size at all (/proc).
    let mut bytes = Vec::with_capacity(usize::try_from(metadata.len()).unwrap_or(0));
    file.take(max_bytes + 1).read_to_end(&mut bytes).map_err(read_error)?;
    if bytes.len() as u64 > max_bytes {
        return Err(FileError::TooLarge { what, path: path.to_path_buf(), size: None, max: max_bytes });
    }
    String::from_utf8(bytes).map_err(|_| FileError::NotText { what, path: path.to_path_buf() })
}

fn check(metadata: &std::fs::Metadata, path: &Path, max: u64, what: &'static str) -> Result<(), FileError> {
    if !metadata.is_file() {
        return Err(FileError::NotRegular { what, path: path.to_path_buf(), kind: kind_of(&metadata.file_type()) });
    }
    if metadata.len() > max {
        return Err(FileError::TooLarge { what, path: path.to_path_buf(), size: Some(metadata.len()), max });
    }
    Ok(())
}

/// Opens for reading; on Unix without blocking, so a pipe swapped in after the first look
/// opens at once and is then refused by the second.
fn open_without_waiting(path: &Path) -> std::io::Result<std::fs::File> {
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        // No effect on a regular file's reads.
        options.custom_flags(libc::O_NONBLOCK);
    }
    options.open(path)
}

fn kind_of(file_type: &std::fs::FileType) -> &'static str {
    if file_type.is_dir() {
        return "a folder";
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if file_type.is_fifo() {
            return "a named pipe (FIFO)";
        }
        if file_type.is_char_device() {
            return "a character device";
        }
        if file_type.is_block_device() {
            return "a block device";
        }
        if file_type.is_socket() {
            return "a socket";
        }
    }
    "not a file"
}

/// `larger than the 16 MiB a plan file may be (16777217 bytes)`: the size exact, since it
/// can be a byte over.
fn too_large(what: &str, size: Option<u64>, max: u64) -> String {
    const MIB: u64 = 1024 * 1024;
    let max = if max >= MIB && max.is_multiple_of(MIB) { format!("{} MiB", max / MIB) } else { format!("{max} bytes") };
    let size = size.map(|size| format!(" ({size} bytes)")).unwrap_or_default();
    format!("larger than the {max} a {what} may be{size}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_regular_file_is_read_whole() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("plan.json");
        std::fs::write(&path, "{}\n").unwrap();
        assert_eq!(read_bounded_text(&path, 3, "plan file").unwrap(), "{}\n");
    }

    #[test]
    fn a_file_over_the_limit_is_refused_with_both_sizes() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("plan.json");
        std::fs::write(&path, "{}\n").unwrap();
        let error = read_bounded_text(&path, 2, "plan file").unwrap_err();
        assert_eq!(
            error.to_string(),
            format!("the plan file {} is larger than the 2 bytes a plan file may be (3 bytes)", path.display())
        );
        assert_eq!(too_large("plan file", None, PLAN_MAX_BYTES), "larger than the 16 MiB a plan file may be");
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn a_file_without_a_size_is_bounded_while_read() {
        // /proc files are regular and report a size of 0, whatever they hold.
        let error = read_bounded_text(Path::new("/proc/self/status"), 10, "scenario file").unwrap_err();
        assert_eq!(error.reason(), "it is larger than the 10 bytes a scenario file may be");
    }

    #[test]
    fn a_folder_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let error = read_bounded_text(dir.path(), 100, "scenario file").unwrap_err();
        assert_eq!(error.reason(), "it is a folder, not a regular file");
    }

    #[cfg(unix)]
    #[test]
    fn an_endless_device_is_refused_before_reading() {
        let error = read_bounded_text(Path::new("/dev/zero"), 100, "plan file").unwrap_err();
        assert_eq!(error.to_string(), "the plan file /dev/zero is a character device, not a regular file");
    }

    #[test]
    fn bytes_that_are_not_text_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("plan.json");
        std::fs::write(&path, [0xff, 0xfe]).unwrap();
        assert!(matches!(read_bounded_text(&path, 100, "plan file"), Err(FileError::NotText { .. })));
    }

    #[test]
    fn a_missing_file_says_why() {
        let error = read_bounded_text(Path::new("/nonexistent/plan.json"), 100, "plan file").unwrap_err();
        assert!(error.to_string().starts_with("cannot read the plan file /nonexistent/plan.json: "), "{error}");
    }
}
