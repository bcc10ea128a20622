//! Files the app writes into a folder it serves: `app.mount("/assets", StaticFiles(directory=
//! ASSET_DIR))` or `send_from_directory(ASSET_DIR, name)`, and a request's handler writing
//! `open(os.path.join(ASSET_DIR, name), "wb")`. A later request for that file may reach
//! another task, which never had it, and every task loses what it wrote when it stops.

use std::sync::LazyLock;

use regex::Regex;

use crate::analyze::app_files::AppFiles;
use crate::analyze::source::is_test_path;
use crate::analyze::variables::scope_of;
use crate::model::{Finding, FindingLevel, VariableScope};

/// A folder served by name: `StaticFiles(directory=ASSET_DIR)`, `send_from_directory(ASSET_DIR,`.
static SERVED: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?:StaticFiles\(\s*directory\s*=\s*|send_from_directory\(\s*)([A-Za-z_][\w.]*)\s*[,)]")
        .expect("valid pattern")
});

/// How many lines after a path is built under the folder its write may come.
const WRITE_WITHIN: usize = 6;

/// One blocker at the first write into a served folder, unless another finding already says
/// the app keeps files on its disk.
pub(super) fn findings(files: &AppFiles, findings: &mut Vec<Finding>) {
    let kept = |f: &Finding| f.kind == "local-disk-writes" && f.level == FindingLevel::Blocker;
    if findings.iter().any(kept) {
        return;
    }
    let running = |path: &str| !is_test_path(path) && scope_of(path) == VariableScope::Runtime;
    let code: Vec<(&str, &str)> = files.with_extensions(&["py"]).filter(|(path, _)| running(path)).collect();
    let served: Vec<(String, String)> = code
        .iter()
        .flat_map(|(path, text)| {
            text.lines().enumerate().filter_map(move |(index, line)| {
                let folder = SERVED.captures(line)?[1].rsplit('.').next()?.to_string();
                Some((folder, format!("{path}:{}", index + 1)))
            })
        })
        .collect();
    for (folder, served_at) in &served {
        let Some(at) = code.iter().find_map(|(path, text)| write_into(text, folder).map(|l| format!("{path}:{l}")))
        else {
            continue;
        };
        findings.push(
            Finding::blocker(
                "local-disk-writes",
                format!("writes files into {folder}, the folder it serves ({served_at}): a later request for one may reach another task, which never had it, and each task loses what it wrote when it stops"),
                at,
            )
            .with_fix("write the files to S3 and serve them from there, or mount shared storage (EFS) at the folder"),
        );
        return;
    }
}

/// The line (1-based) where `text` writes a file under `folder`: a path joined under it,
/// then opened for writing or written within a few lines.
fn write_into(text: &str, folder: &str) -> Option<usize> {
    let lines: Vec<&str> = text.lines().collect();
    let under =
        |value: &str| value.contains(&format!("path.join({folder},")) || value.contains(&format!("{folder} / "));
    lines.iter().enumerate().find_map(|(index, line)| {
        let code = line.split('#').next().unwrap_or("");
        let (target, value) = code.split_once('=')?;
        let target = target.trim();
        let bare = !target.is_empty() && target.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
        if !bare || value.starts_with('=') || !under(value) {
            return None;
        }
        let after = lines.iter().enumerate().skip(index + 1).take(WRITE_WITHIN);
        after.filter(|(_, l)| writes(l, target)).map(|(at, _)| at + 1).next()
    })
}

/// Whether `line` writes the file at the path held by `name`.
fn writes(line: &str, name: &str) -> bool {
    let code = line.split('#').next().unwrap_or("");
    let opened = code.split_once("open(").is_some_and(|(_, rest)| {
        rest.starts_with(&format!("{name},")) && ["\"w", "'w"].iter().any(|m| rest.contains(m))
    });
    opened || [".write_bytes(", ".write_text("].iter().any(|m| code.contains(&format!("{name}{m}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_write_into_a_folder_the_app_serves() {
        let store = "from config import ASSET_DIR\n\ndef mount(app):\n    app.mount(\"/assets\", StaticFiles(directory=ASSET_DIR), name=\"assets\")\n\ndef keep(data, name):\n    target = os.path.join(ASSET_DIR, name)\n    if not os.path.exists(target):\n        with open(target, \"wb\") as out:\n            out.write(data)\n";
        let mut found = Vec::new();
        findings(&AppFiles::from_pairs([("assets/store.py", store)]), &mut found);
        assert_eq!(found.iter().map(|f| f.source.as_str()).collect::<Vec<_>>(), ["assets/store.py:9"]);
        let reads_only = store.replace("\"wb\"", "\"rb\"");
        let mut found = Vec::new();
        findings(&AppFiles::from_pairs([("assets/store.py", reads_only.as_str())]), &mut found);
        assert!(found.is_empty(), "{found:?}");
    }
}
