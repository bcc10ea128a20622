//! Storage that falls back to the local disk: `if (config.s3_bucket) { S3 } else { require('./fs')
//! }` or `bucket ? s3() : fsBlobStore(dir)`. Until the bucket setting is given, every task keeps
//! the files it is sent on its own disk and loses them when it stops; the code never says
//! "local" in a setting's default, so only the branch shows it.

use std::sync::LazyLock;

use regex::Regex;

use super::app_files::AppFiles;
use super::source::is_test_path;
use crate::model::{Finding, VariableScope};

const EXTENSIONS: [&str; 6] = ["js", "mjs", "cjs", "ts", "mts", "cts"];

/// A condition on a bucket setting: `if (config.s3_bucket)`, `cfg.bucket ?`.
static BUCKET_TEST: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)(?:\bif\s*\(\s*|^\s*(?:const|let|var)\s+\w+\s*=\s*)!?\s*[\w$.]*?\.?([\w$]*bucket[\w$]*)\s*(?:\)|\?)",
    )
    .expect("valid pattern")
});
/// A store on the filesystem: a local module (`require('./fs')`) or a known package or class.
static FILESYSTEM_STORE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"(?i)require\(\s*['"]\./(?:fs|local|disk|filesystem)(?:[-_]?storage)?['"]\s*\)|fs-blob-store|fsBlobStore|\bnew\s+(?:FS|Fs|File|Local|Disk)\w*Storage\b|\bcreateLocal\w*\("#)
        .expect("valid pattern")
});

/// The blocker for each branch that stores files locally when a bucket setting is missing.
pub fn findings(files: &AppFiles) -> Vec<Finding> {
    let code = files
        .with_extensions(&EXTENSIONS)
        .filter(|(path, _)| !is_test_path(path) && crate::analyze::variables::scope_of(path) == VariableScope::Runtime);
    let mut found = Vec::new();
    for (path, text) in code {
        let lines: Vec<&str> = text.lines().collect();
        for (index, line) in lines.iter().enumerate() {
            let Some(setting) = BUCKET_TEST.captures(line).map(|c| c[1].to_string()) else { continue };
            let Some(local) = fallback_line(&lines, index) else { continue };
            let at = format!("{path}:{}", local + 1);
            // `else if (config.gcs_bucket)` tests another bucket before the same fallback.
            if found.iter().any(|f: &Finding| f.source == at) {
                continue;
            }
            let name = variable_name(&setting);
            found.push(
                Finding::blocker(
                    "local-disk-writes",
                    format!(
                        "stores files on the task's local disk unless {name} is set (the code falls back to a filesystem store): every task keeps its own, and loses them when it stops"
                    ),
                    at,
                )
                .with_fix(format!("set {name} to an S3 bucket on the service")),
            );
        }
    }
    found
}

/// The line of the branch taken without the bucket: the `else` of the `if`, or the far side
/// of a ternary, when it makes a filesystem store.
fn fallback_line(lines: &[&str], index: usize) -> Option<usize> {
    let line = lines[index];
    if let Some((_, otherwise)) = line.split_once('?').and_then(|(_, rest)| rest.split_once(':')) {
        return FILESYSTEM_STORE.is_match(otherwise).then_some(index);
    }
    let mut in_else = false;
    for (offset, line) in lines[index + 1..].iter().take(16).enumerate() {
        if line.contains("else") && !line.contains("else if") {
            in_else = true;
        }
        if in_else && FILESYSTEM_STORE.is_match(line) {
            return Some(index + 1 + offset);
        }
    }
    None
}

/// `s3_bucket` → `S3_BUCKET`, `bucketName` → `BUCKET_NAME`: the variable that fills it.
fn variable_name(setting: &str) -> String {
    let mut name = String::new();
    let mut previous_lower = false;
    for c in setting.chars() {
        if c.is_ascii_uppercase() && previous_lower {
            name.push('_');
        }
        previous_lower = c.is_ascii_lowercase() || c.is_ascii_digit();
        name.push(c.to_ascii_uppercase());
    }
    name
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_bucket_or_the_local_disk() {
        let storage = "class Store {\n  constructor(config) {\n    let Storage = null\n    if (config.s3_bucket) {\n      Storage = require('./s3')\n    } else {\n      Storage = require('./fs')\n    }\n  }\n}\n";
        let ternary = "const store = cfg.bucketName ? s3Store(cfg) : fsBlobStore(join(tmpdir(), 'cache'))\n";
        let remote_only = "if (config.bucket) {\n  client = new S3Client()\n}\n";
        let files = AppFiles::from_pairs([
            ("server/storage/index.js", storage),
            ("src/store.ts", ternary),
            ("src/remote.js", remote_only),
        ]);
        let found: Vec<(String, String)> = findings(&files).into_iter().map(|f| (f.source, f.fix.unwrap())).collect();
        assert_eq!(
            found,
            [
                ("server/storage/index.js:7".to_string(), "set S3_BUCKET to an S3 bucket on the service".to_string()),
                ("src/store.ts:1".to_string(), "set BUCKET_NAME to an S3 bucket on the service".to_string()),
            ]
        );
    }
}
