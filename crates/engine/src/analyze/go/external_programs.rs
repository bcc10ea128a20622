//! Programs a Go binary runs (`exec.Command("git", ...)`): a scratch image holds the binary
//! alone, so each must be installed in the final image, from its Debian package.

use super::EXTENSIONS;
use super::code::without_comment;
use crate::analyze::Fact;
use crate::analyze::app_files::AppFiles;
use crate::analyze::source::{fact, is_test_path};
use crate::model::Finding;

/// Programs apps commonly run, and the Debian package that installs each. A program not named
/// here is not guessed at: its package name could be anything.
const PACKAGES: [(&str, &str); 14] = [
    ("git", "git"),
    ("ffmpeg", "ffmpeg"),
    ("ffprobe", "ffmpeg"),
    ("convert", "imagemagick"),
    ("magick", "imagemagick"),
    ("gs", "ghostscript"),
    ("ssh", "openssh-client"),
    ("rsync", "rsync"),
    ("pandoc", "pandoc"),
    ("gpg", "gnupg"),
    ("sqlite3", "sqlite3"),
    ("pg_dump", "postgresql-client"),
    ("mysqldump", "default-mysql-client"),
    ("wkhtmltopdf", "wkhtmltopdf"),
];

/// The Debian packages of the programs the app's code runs, where the first is run, and an
/// info finding that says why the image is not scratch.
pub(super) fn external_programs(files: &AppFiles, findings: &mut Vec<Finding>) -> Option<Fact<Vec<String>>> {
    let mut packages: Vec<String> = Vec::new();
    let mut runs: Vec<(String, String)> = Vec::new();
    for (path, text) in files.with_extensions(&EXTENSIONS) {
        if is_test_path(path) {
            continue;
        }
        for (index, line) in text.lines().enumerate() {
            let Some(program) = program_run(without_comment(line)) else { continue };
            let Some((_, package)) = PACKAGES.iter().find(|(name, _)| *name == program) else { continue };
            if !packages.iter().any(|p| p == package) {
                packages.push((*package).to_string());
                runs.push((program.to_string(), format!("{path}:{}", index + 1)));
            }
        }
    }
    let (_, first_at) = runs.first()?.clone();
    let names: Vec<String> = runs.iter().map(|(program, _)| format!("`{program}`")).collect();
    findings.push(Finding::info(
        "external-programs",
        format!(
            "runs {} (exec.Command): the image is Debian slim with {} installed, not scratch, which holds the binary alone",
            names.join(", "),
            packages.join(", ")
        ),
        first_at.clone(),
    ));
    Some(fact(packages, first_at))
}

/// The program a line runs by its literal name: `exec.Command("git", ...)` or
/// `exec.CommandContext(ctx, "git", ...)`. A path (`/usr/bin/git`) or a variable is not read.
fn program_run(code: &str) -> Option<&str> {
    let (_, rest) = code.split_once("exec.Command")?;
    let arguments = rest.strip_prefix("Context(").or_else(|| rest.strip_prefix('('))?;
    let first = if rest.starts_with("Context(") { arguments.split_once(',')?.1 } else { arguments };
    let quoted = first.trim_start().strip_prefix('"')?;
    let name = &quoted[..quoted.find('"')?];
    (!name.is_empty() && !name.contains('/')).then_some(name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_program_a_line_runs() {
        assert_eq!(program_run("cmd := exec.Command(\"git\", \"--version\")"), Some("git"));
        assert_eq!(program_run("exec.CommandContext(ctx, \"ffmpeg\", \"-i\", in)"), Some("ffmpeg"));
        assert_eq!(program_run("exec.Command(\"/usr/bin/git\")"), None);
        assert_eq!(program_run("exec.Command(name, args...)"), None);
    }

    #[test]
    fn packages_once_each_with_an_info_finding() {
        let files = AppFiles::from_pairs([
            (
                "git/run.go",
                "package git\nfunc v() { exec.Command(\"git\", \"--version\") }\nfunc l() { exec.Command(\"git\", \"log\") }\n",
            ),
            (
                "media/thumb.go",
                "package media\nfunc t() { exec.Command(\"ffprobe\", p) }\nfunc u() { exec.Command(\"unknown-tool\") }\n",
            ),
        ]);
        let mut findings = Vec::new();
        let found = external_programs(&files, &mut findings).expect("programs");
        assert_eq!(found.value, ["git", "ffmpeg"]);
        assert_eq!(found.source, "git/run.go:2");
        assert_eq!(findings[0].kind, "external-programs");
        assert!(external_programs(&AppFiles::from_pairs([("main.go", "package main\n")]), &mut findings).is_none());
    }
}
