//! What a Go app keeps under its configured data directory (`filepath.Join(config.HomeDir(),
//! "repos")`): user data and state, not files of the repository. Reads there are not assets to
//! embed; git repositories and uploads there are the app's state on one task's disk; a gorilla
//! filesystem session store keeps every login on one task.

use super::EXTENSIONS;
use super::code::{literals, without_comment};
use crate::analyze::app_files::AppFiles;
use crate::analyze::source::is_test_path;
use crate::model::Finding;

/// How far above a read the variable holding its path may be assigned.
const ASSIGNMENT_SPAN: usize = 15;

/// Folders under a data directory that hold the app's git repositories.
const REPOSITORY_FOLDERS: [&str; 3] = ["repos", "repositories", "git"];

/// Whether `code` calls something that gives a configured directory: `config.GetHomeDir()`,
/// `settings.AvatarsDir()`, `cfg.DataDir`. `filepath.Dir(exe)` (beside the binary) is not one:
/// it takes an argument, and what sits beside the binary ships with it.
pub(super) fn names_data_dir(code: &str) -> bool {
    let bytes = code.as_bytes();
    let called = |suffix: &str| {
        code.match_indices(suffix)
            .any(|(at, _)| at > 0 && (bytes[at - 1].is_ascii_alphanumeric() || bytes[at - 1] == b'_'))
    };
    called("Dir()")
        || called("Home()")
        || ["HomeDir", "DataDir", "DataPath", "StorageDir"].iter().any(|f| code.contains(f))
}

/// Whether the path the call on `lines[index]` reads comes from a configured directory, on that
/// line or through a variable of the line assigned from one a few lines above.
pub(super) fn read_from_data_dir(lines: &[&str], index: usize) -> bool {
    let code = without_comment(lines[index]);
    if names_data_dir(code) {
        return true;
    }
    let names: Vec<&str> =
        code.split(|c: char| !(c.is_ascii_alphanumeric() || c == '_')).filter(|word| !word.is_empty()).collect();
    lines[index.saturating_sub(ASSIGNMENT_SPAN)..index].iter().rev().any(|line| {
        let line = without_comment(line).trim();
        names.iter().any(|name| {
            line.strip_prefix(name)
                .map(str::trim_start)
                .is_some_and(|rest| rest.starts_with(":=") || rest.starts_with("= "))
                && names_data_dir(line)
        })
    })
}

/// Git repositories under the data directory, and a filesystem session store: blockers.
pub(super) fn data_dir_state(files: &AppFiles, findings: &mut Vec<Finding>) {
    let code: Vec<(&str, &str)> = files.with_extensions(&EXTENSIONS).filter(|(path, _)| !is_test_path(path)).collect();
    let runs_git = code.iter().any(|(_, text)| {
        text.contains("exec.Command(\"git\"") || text.contains("github.com/go-git/go-git") || text.contains("git2go")
    });
    let mut repositories_said = false;
    for (path, text) in &code {
        for (index, line) in text.lines().enumerate() {
            let line = without_comment(line);
            let at = format!("{path}:{}", index + 1);
            if runs_git
                && !repositories_said
                && line.contains("filepath.Join(")
                && names_data_dir(line)
                && literals(line).iter().any(|l| REPOSITORY_FOLDERS.contains(l))
            {
                repositories_said = true;
                findings.push(
                    Finding::blocker(
                        "local-disk-writes",
                        "keeps its git repositories under its data directory on local disk: they are the app's main state, each task has its own, and a stopped task loses them",
                        at.clone(),
                    )
                    .with_fix("mount EFS at the data directory and run one task (git repositories are not safe to share between writers)"),
                );
            }
            if line.contains("sessions.NewFilesystemStore(") {
                findings.push(
                    Finding::blocker(
                        "in-memory-sessions",
                        "keeps user sessions in files on local disk (gorilla sessions FilesystemStore): a user sent to another task is logged out, and a stopped task logs everyone out",
                        at,
                    )
                    .with_fix("use a cookie store with a shared key from Secrets Manager, or a Redis or database session store"),
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_configured_directory_is_named_by_a_call_or_a_field() {
        assert!(names_data_dir("r.Static(\"/avatar\", settings.AvatarsDir())"));
        assert!(names_data_dir("p := filepath.Join(config.GetHomeDir(), \"custom\", \"*.html\")"));
        assert!(names_data_dir("os.ReadDir(cfg.DataDir)"));
        assert!(!names_data_dir("r.Static(\"/static\", filepath.Dir(exe))"));
        assert!(!names_data_dir("r.LoadHTMLGlob(\"templates/*\")"));
    }

    #[test]
    fn a_read_through_a_variable_assigned_from_the_data_directory() {
        let lines =
            ["pattern := filepath.Join(config.HomeDir(), \"custom\", \"*.html\")", "x := 1", "t.ParseGlob(pattern)"];
        assert!(read_from_data_dir(&lines, 2));
        let assets = ["pattern := \"templates/*.html\"", "t.ParseGlob(pattern)"];
        assert!(!read_from_data_dir(&assets, 1));
    }
}
